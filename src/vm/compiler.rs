//! AST → bytecode, for the subset the VM runs so far.
//!
//! Registers: a function's parameters come first (`r0…`), then its locals as their scopes open,
//! then temporaries, allocated stack-wise. A call puts the callee in `R[base]`, `this` in
//! `R[base + 1]` and the arguments after them.
//!
//! Bindings: in a function, `var`, `let`, `const` and function declarations are registers;
//! names not found in any enclosing scope of the function are globals (`GetGlobal`). At the top
//! level of a script, declarations are globals too, as in a classic script (`--script`).
//!
//! Not compiled yet (a `CompileError::Unsupported` names the construct): reading or writing a
//! variable of an *enclosing function* (closure environments), destructuring, classes, `this`,
//! `new`, object and array literals, `switch`, `try`, labels, generators and async functions.
//! TDZ checks are not emitted yet either. These are issue 3's next steps.

use std::collections::HashMap;

use super::bytecode::{Const, Count, Ic, Jump, Op, Reg};
use super::function::{Constant, Proto};
use crate::syntax::ast::*;

#[derive(Debug, Clone, PartialEq)]
pub enum CompileError {
    /// A construct the compiler does not handle yet.
    Unsupported { what: &'static str, span: Span },
    /// More registers than an 8-bit operand can name.
    TooManyRegisters { span: Span },
}

type CResult<T> = Result<T, CompileError>;

fn unsupported<T>(what: &'static str, span: Span) -> CResult<T> {
    Err(CompileError::Unsupported { what, span })
}

/// Compiles a script (top-level declarations are globals).
pub fn compile_script(program: &Program) -> CResult<Proto> {
    let mut f = FnCompiler::new("", true);
    f.hoist_functions(&program.body)?;
    for s in &program.body {
        f.stmt(s)?;
    }
    let r = f.temp(program.span)?;
    f.emit(Op::LoadUndefined { dst: r }, program.span);
    f.emit(Op::Return { src: r }, program.span);
    Ok(f.finish())
}

struct Loop {
    breaks: Vec<usize>,
    continues: Vec<usize>,
}

struct FnCompiler {
    proto: Proto,
    /// Scopes of local bindings, innermost last: name → register.
    scopes: Vec<HashMap<Box<str>, Reg>>,
    next_reg: u16,
    const_index: HashMap<ConstKey, u16>,
    loops: Vec<Loop>,
    /// The script's top level: declarations there are globals.
    is_script: bool,
    /// Locals of the enclosing functions: using one needs a closure environment (not yet).
    outer_names: Vec<Box<str>>,
}

#[derive(Hash, PartialEq, Eq)]
enum ConstKey {
    Number(u64),
    String(String),
}

impl FnCompiler {
    fn new(name: &str, is_script: bool) -> Self {
        FnCompiler {
            proto: Proto {
                name: name.into(),
                ..Proto::default()
            },
            scopes: vec![HashMap::new()],
            next_reg: 0,
            const_index: HashMap::new(),
            loops: Vec::new(),
            is_script,
            outer_names: Vec::new(),
        }
    }

    fn finish(self) -> Proto {
        self.proto
    }

    fn emit(&mut self, op: Op, span: Span) -> usize {
        self.proto.ops.push(op);
        self.proto.spans.push(span);
        self.proto.ops.len() - 1
    }

    fn temp(&mut self, span: Span) -> CResult<Reg> {
        if self.next_reg >= 255 {
            return Err(CompileError::TooManyRegisters { span });
        }
        let r = Reg(self.next_reg as u8);
        self.next_reg += 1;
        self.proto.nregs = self.proto.nregs.max(self.next_reg);
        Ok(r)
    }

    /// Frees temporaries down to `mark` (registers are a stack).
    fn release(&mut self, mark: u16) {
        self.next_reg = mark;
    }

    fn constant(&mut self, c: Constant) -> Const {
        let key = match &c {
            Constant::Number(n) => ConstKey::Number(n.to_bits()),
            Constant::String(s) => ConstKey::String(s.clone()),
        };
        if let Some(&i) = self.const_index.get(&key) {
            return Const(i);
        }
        let i = self.proto.consts.len() as u16;
        self.proto.consts.push(c);
        self.const_index.insert(key, i);
        Const(i)
    }

    fn ic(&mut self) -> Ic {
        self.proto.ics += 1;
        Ic(self.proto.ics - 1)
    }

    fn at_script_top(&self) -> bool {
        self.is_script && self.scopes.len() == 1
    }

    fn lookup(&self, name: &str) -> Option<Reg> {
        self.scopes.iter().rev().find_map(|s| s.get(name).copied())
    }

    /// Declares a local in the innermost scope (or, at a script's top level, nothing: a global).
    fn declare(&mut self, name: &str, span: Span) -> CResult<Option<Reg>> {
        if self.at_script_top() {
            return Ok(None);
        }
        if let Some(&r) = self.scopes.last().and_then(|s| s.get(name)) {
            return Ok(Some(r));
        }
        let r = self.temp(span)?;
        self.scopes
            .last_mut()
            .expect("a scope")
            .insert(name.into(), r);
        Ok(Some(r))
    }

    fn patch(&mut self, at: usize, target: usize) {
        let offset = Jump(target as i32 - at as i32 - 1);
        match &mut self.proto.ops[at] {
            Op::Jmp { offset: o }
            | Op::JmpTrue { offset: o, .. }
            | Op::JmpFalse { offset: o, .. } => *o = offset,
            Op::JmpNullish { offset: o, .. } => *o = offset,
            _ => unreachable!("patching a jump"),
        }
    }

    fn here(&self) -> usize {
        self.proto.ops.len()
    }

    // ---- Statements ----

    /// Function declarations are hoisted: created before the body's first statement.
    fn hoist_functions(&mut self, body: &[Stmt]) -> CResult<()> {
        for s in body {
            if let StmtKind::Function(f) = &s.kind {
                let name = f.name.as_ref().map(|n| n.name.clone()).unwrap_or_default();
                let mark = self.next_reg;
                let r = match self.declare(&name, s.span)? {
                    Some(r) => r,
                    None => self.temp(s.span)?,
                };
                self.closure(f, r, s.span)?;
                if self.at_script_top() {
                    let name_c = self.constant(Constant::String(name.to_string()));
                    let ic = self.ic();
                    self.emit(
                        Op::SetGlobal {
                            src: r,
                            name: name_c,
                            ic,
                        },
                        s.span,
                    );
                    self.release(mark);
                }
            }
        }
        Ok(())
    }

    fn block(&mut self, body: &[Stmt]) -> CResult<()> {
        self.scopes.push(HashMap::new());
        let mark = self.next_reg;
        self.hoist_functions(body)?;
        for s in body {
            self.stmt(s)?;
        }
        self.scopes.pop();
        self.release(mark);
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> CResult<()> {
        let span = s.span;
        match &s.kind {
            StmtKind::Expr(e) => {
                let mark = self.next_reg;
                self.expr(e)?;
                self.release(mark);
            }
            StmtKind::Var(d) => self.var_decl(d)?,
            StmtKind::Function(_) => {} // hoisted
            StmtKind::Return(e) => {
                let mark = self.next_reg;
                let r = match e {
                    Some(e) => self.expr(e)?,
                    None => {
                        let r = self.temp(span)?;
                        self.emit(Op::LoadUndefined { dst: r }, span);
                        r
                    }
                };
                self.emit(Op::Return { src: r }, span);
                self.release(mark);
            }
            StmtKind::If(c, a, b) => {
                let mark = self.next_reg;
                let cond = self.expr(c)?;
                self.release(mark);
                let jf = self.emit(
                    Op::JmpFalse {
                        cond,
                        offset: Jump(0),
                    },
                    span,
                );
                self.stmt(a)?;
                match b {
                    Some(b) => {
                        let jend = self.emit(Op::Jmp { offset: Jump(0) }, span);
                        let here = self.here();
                        self.patch(jf, here);
                        self.stmt(b)?;
                        let here = self.here();
                        self.patch(jend, here);
                    }
                    None => {
                        let here = self.here();
                        self.patch(jf, here);
                    }
                }
            }
            StmtKind::Block(b) => self.block(b)?,
            StmtKind::While(c, body) => {
                let top = self.here();
                let mark = self.next_reg;
                let cond = self.expr(c)?;
                self.release(mark);
                let jf = self.emit(
                    Op::JmpFalse {
                        cond,
                        offset: Jump(0),
                    },
                    span,
                );
                self.loop_body(body, top)?;
                let back = self.emit(Op::Jmp { offset: Jump(0) }, span);
                self.patch(back, top);
                let end = self.here();
                self.patch(jf, end);
                self.end_loop(end, top);
            }
            StmtKind::DoWhile(body, c) => {
                let top = self.here();
                self.loop_body(body, usize::MAX)?;
                let cont = self.here();
                let mark = self.next_reg;
                let cond = self.expr(c)?;
                self.release(mark);
                let jt = self.emit(
                    Op::JmpTrue {
                        cond,
                        offset: Jump(0),
                    },
                    span,
                );
                self.patch(jt, top);
                let end = self.here();
                self.end_loop(end, cont);
            }
            StmtKind::For {
                init,
                test,
                update,
                body,
            } => {
                self.scopes.push(HashMap::new());
                let mark = self.next_reg;
                match init.as_deref() {
                    Some(ForInit::Var(d)) => self.var_decl_in_for(d)?,
                    Some(ForInit::Expr(e)) => {
                        let m = self.next_reg;
                        self.expr(e)?;
                        self.release(m);
                    }
                    None => {}
                }
                let top = self.here();
                let jf = match test {
                    Some(t) => {
                        let m = self.next_reg;
                        let cond = self.expr(t)?;
                        self.release(m);
                        Some(self.emit(
                            Op::JmpFalse {
                                cond,
                                offset: Jump(0),
                            },
                            span,
                        ))
                    }
                    None => None,
                };
                self.loop_body(body, usize::MAX)?;
                let cont = self.here();
                if let Some(u) = update {
                    let m = self.next_reg;
                    self.expr(u)?;
                    self.release(m);
                }
                let back = self.emit(Op::Jmp { offset: Jump(0) }, span);
                self.patch(back, top);
                let end = self.here();
                if let Some(jf) = jf {
                    self.patch(jf, end);
                }
                self.end_loop(end, cont);
                self.scopes.pop();
                self.release(mark);
            }
            StmtKind::Break(None) => {
                let j = self.emit(Op::Jmp { offset: Jump(0) }, span);
                match self.loops.last_mut() {
                    Some(l) => l.breaks.push(j),
                    None => return unsupported("break outside a loop (switch and labels)", span),
                }
            }
            StmtKind::Continue(None) => {
                let j = self.emit(Op::Jmp { offset: Jump(0) }, span);
                match self.loops.last_mut() {
                    Some(l) => l.continues.push(j),
                    None => return unsupported("continue outside a loop", span),
                }
            }
            StmtKind::Throw(e) => {
                let mark = self.next_reg;
                let r = self.expr(e)?;
                self.emit(Op::Throw { src: r }, span);
                self.release(mark);
            }
            StmtKind::Empty | StmtKind::Debugger => {}
            StmtKind::Break(Some(_)) | StmtKind::Continue(Some(_)) | StmtKind::Labeled(..) => {
                return unsupported("labels", span)
            }
            StmtKind::Class(_) => return unsupported("classes", span),
            StmtKind::ForIn(..) | StmtKind::ForOf { .. } => {
                return unsupported("for-in and for-of", span)
            }
            StmtKind::Try { .. } => return unsupported("try statements", span),
            StmtKind::Switch(..) => return unsupported("switch statements", span),
            StmtKind::With(..) => return unsupported("with statements", span),
        }
        Ok(())
    }

    fn loop_body(&mut self, body: &Stmt, _top: usize) -> CResult<()> {
        self.loops.push(Loop {
            breaks: Vec::new(),
            continues: Vec::new(),
        });
        self.stmt(body)
    }

    fn end_loop(&mut self, end: usize, cont: usize) {
        let l = self.loops.pop().expect("a loop");
        for b in l.breaks {
            self.patch(b, end);
        }
        for c in l.continues {
            self.patch(c, cont);
        }
    }

    fn var_decl_in_for(&mut self, d: &VarDecl) -> CResult<()> {
        // Bindings of a `for` head live in the loop's own scope, even at the top level.
        let was_script = self.is_script;
        if d.kind != VarKind::Var {
            self.is_script = false;
        }
        let r = self.var_decl(d);
        self.is_script = was_script;
        r
    }

    fn var_decl(&mut self, d: &VarDecl) -> CResult<()> {
        for decl in &d.decls {
            let PatternKind::Ident(id) = &decl.target.kind else {
                return unsupported("destructuring", decl.span);
            };
            match self.declare(&id.name, decl.span)? {
                Some(r) => match &decl.init {
                    Some(init) => {
                        let mark = self.next_reg;
                        self.expr_into(init, r)?;
                        self.release(mark);
                    }
                    None if d.kind != VarKind::Var => {
                        self.emit(Op::LoadUndefined { dst: r }, decl.span);
                    }
                    None => {
                        self.emit(Op::LoadUndefined { dst: r }, decl.span);
                    }
                },
                None => {
                    // A global (script top level).
                    let mark = self.next_reg;
                    let v = match &decl.init {
                        Some(init) => self.expr(init)?,
                        None => {
                            let v = self.temp(decl.span)?;
                            self.emit(Op::LoadUndefined { dst: v }, decl.span);
                            v
                        }
                    };
                    let name = self.constant(Constant::String(id.name.to_string()));
                    let ic = self.ic();
                    self.emit(Op::SetGlobal { src: v, name, ic }, decl.span);
                    self.release(mark);
                }
            }
        }
        Ok(())
    }

    fn closure(&mut self, f: &Function, dst: Reg, span: Span) -> CResult<()> {
        if f.is_async || f.is_generator {
            return unsupported("generators and async functions", span);
        }
        let name = f
            .name
            .as_ref()
            .map(|n| n.name.to_string())
            .unwrap_or_default();
        let mut inner = FnCompiler::new(&name, false);
        inner.proto.nparams = f.params.len() as u16;
        for p in &f.params {
            let PatternKind::Ident(id) = &p.target.kind else {
                return unsupported("destructuring parameters", f.span);
            };
            if p.default.is_some() || p.rest {
                return unsupported("default and rest parameters", f.span);
            }
            let r = inner.temp(span)?;
            inner.scopes[0].insert(id.name.clone(), r);
        }
        // Names of this function's enclosing functions would need environments: refuse them.
        inner.outer_names = self.visible_locals();
        inner.hoist_functions(&f.body)?;
        for s in &f.body {
            inner.stmt(s)?;
        }
        let r = inner.temp(f.span)?;
        inner.emit(Op::LoadUndefined { dst: r }, f.span);
        inner.emit(Op::Return { src: r }, f.span);
        let idx = self.proto.protos.len() as u16;
        self.proto.protos.push(inner.finish());
        self.emit(
            Op::NewClosure {
                dst,
                func: Const(idx),
            },
            span,
        );
        Ok(())
    }

    fn visible_locals(&self) -> Vec<Box<str>> {
        let mut v: Vec<Box<str>> = self.scopes.iter().flat_map(|s| s.keys().cloned()).collect();
        v.extend(self.outer_names.iter().cloned());
        v
    }

    // ---- Expressions ----

    /// Compiles `e` and returns the register holding its value: a fresh temporary, or the
    /// register of a local variable (which the caller must not write).
    fn expr(&mut self, e: &Expr) -> CResult<Reg> {
        if let ExprKind::Ident(name) = &e.kind {
            if let Some(r) = self.lookup(name) {
                return Ok(r);
            }
        }
        let r = self.temp(e.span)?;
        self.expr_into(e, r)?;
        Ok(r)
    }

    /// Compiles `e` into `dst`.
    fn expr_into(&mut self, e: &Expr, dst: Reg) -> CResult<()> {
        let span = e.span;
        let mark = self.next_reg;
        match &e.kind {
            ExprKind::Number(n) => {
                if n.fract() == 0.0
                    && *n >= 0.0
                    && *n <= u16::MAX as f64
                    && !(*n == 0.0 && n.is_sign_negative())
                {
                    self.emit(
                        Op::LoadInt {
                            dst,
                            value: Count(*n as u16),
                        },
                        span,
                    );
                } else {
                    let k = self.constant(Constant::Number(*n));
                    self.emit(Op::LoadConst { dst, idx: k }, span);
                }
            }
            ExprKind::String(u) => {
                let k = self.constant(Constant::String(u.to_string_lossy()));
                self.emit(Op::LoadConst { dst, idx: k }, span);
            }
            ExprKind::Bool(true) => {
                self.emit(Op::LoadTrue { dst }, span);
            }
            ExprKind::Bool(false) => {
                self.emit(Op::LoadFalse { dst }, span);
            }
            ExprKind::Null => {
                self.emit(Op::LoadNull { dst }, span);
            }
            ExprKind::Ident(name) => self.load_name(name, dst, span)?,
            ExprKind::Paren(x) => self.expr_into(x, dst)?,
            ExprKind::Sequence(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    if i + 1 == xs.len() {
                        self.expr_into(x, dst)?;
                    } else {
                        let m = self.next_reg;
                        self.expr(x)?;
                        self.release(m);
                    }
                }
            }
            ExprKind::Binary(op, a, b) => {
                let ra = self.operand_preserved(a, b)?;
                let rb = self.expr(b)?;
                self.emit(binary_op(*op, dst, ra, rb), span);
            }
            ExprKind::Logical(op, a, b) => {
                self.expr_into(a, dst)?;
                let j = match op {
                    LogicalOp::And => self.emit(
                        Op::JmpFalse {
                            cond: dst,
                            offset: Jump(0),
                        },
                        span,
                    ),
                    LogicalOp::Or => self.emit(
                        Op::JmpTrue {
                            cond: dst,
                            offset: Jump(0),
                        },
                        span,
                    ),
                    LogicalOp::Coalesce => {
                        let skip = self.emit(
                            Op::JmpNullish {
                                cond: dst,
                                offset: Jump(0),
                            },
                            span,
                        );
                        let out = self.emit(Op::Jmp { offset: Jump(0) }, span);
                        let here = self.here();
                        self.patch(skip, here);
                        out
                    }
                };
                self.expr_into(b, dst)?;
                let end = self.here();
                self.patch(j, end);
            }
            ExprKind::Conditional(c, a, b) => {
                let cond = self.expr(c)?;
                let jf = self.emit(
                    Op::JmpFalse {
                        cond,
                        offset: Jump(0),
                    },
                    span,
                );
                self.release(mark);
                self.expr_into(a, dst)?;
                let jend = self.emit(Op::Jmp { offset: Jump(0) }, span);
                let here = self.here();
                self.patch(jf, here);
                self.expr_into(b, dst)?;
                let end = self.here();
                self.patch(jend, end);
            }
            ExprKind::Unary(op, x) => {
                let r = self.expr(x)?;
                let op = match op {
                    UnaryOp::Neg => Op::Neg { dst, src: r },
                    UnaryOp::Plus => Op::ToNumber { dst, src: r },
                    UnaryOp::Not => Op::Not { dst, src: r },
                    UnaryOp::BitNot => Op::BitNot { dst, src: r },
                    UnaryOp::Typeof => Op::TypeOf { dst, src: r },
                    UnaryOp::Void => Op::LoadUndefined { dst },
                    UnaryOp::Delete => return unsupported("delete", span),
                };
                self.emit(op, span);
            }
            ExprKind::Update { op, prefix, target } => {
                self.update(*op, *prefix, target, dst, span)?
            }
            ExprKind::Assign { op, target, value } => self.assign(*op, target, value, dst, span)?,
            ExprKind::Call {
                callee,
                args,
                optional: false,
            } => self.call(callee, args, dst, span)?,
            ExprKind::Member {
                object,
                prop,
                optional: false,
            } => {
                let obj = self.expr(object)?;
                match prop {
                    MemberProp::Name(n) => {
                        let name = self.constant(Constant::String(n.name.to_string()));
                        let ic = self.ic();
                        self.emit(Op::GetProp { dst, obj, name, ic }, span);
                    }
                    MemberProp::Computed(k) => {
                        let key = self.expr(k)?;
                        self.emit(Op::GetElem { dst, obj, key }, span);
                    }
                    MemberProp::Private(_) => return unsupported("private names", span),
                }
            }
            ExprKind::Function(f) => self.closure(f, dst, span)?,
            ExprKind::Arrow(f) => self.closure(f, dst, span)?,
            ExprKind::Template(t) => {
                let k = self.constant(Constant::String(String::new()));
                self.emit(Op::LoadConst { dst, idx: k }, span);
                for (i, q) in t.quasis.iter().enumerate() {
                    let text = q
                        .cooked
                        .as_ref()
                        .map(|c| c.to_string_lossy())
                        .unwrap_or_default();
                    if !text.is_empty() {
                        let m = self.next_reg;
                        let r = self.temp(span)?;
                        let k = self.constant(Constant::String(text));
                        self.emit(Op::LoadConst { dst: r, idx: k }, span);
                        self.emit(Op::Add { dst, a: dst, b: r }, span);
                        self.release(m);
                    }
                    if let Some(x) = t.exprs.get(i) {
                        let m = self.next_reg;
                        let r = self.expr(x)?;
                        self.emit(Op::Add { dst, a: dst, b: r }, span);
                        self.release(m);
                    }
                }
            }
            _ => return unsupported(expr_kind_name(&e.kind), span),
        }
        self.release(mark);
        Ok(())
    }

    /// The left operand of a binary operator, copied to a temporary when the right operand
    /// could change the variable it reads (`i + (i = 1)`).
    fn operand_preserved(&mut self, a: &Expr, b: &Expr) -> CResult<Reg> {
        let r = self.expr(a)?;
        if self.is_local_reg(r) && !is_pure(b) {
            let t = self.temp(a.span)?;
            self.emit(Op::Move { dst: t, src: r }, a.span);
            return Ok(t);
        }
        Ok(r)
    }

    fn is_local_reg(&self, r: Reg) -> bool {
        self.scopes.iter().any(|s| s.values().any(|&l| l == r))
    }

    fn check_outer(&self, name: &str, span: Span) -> CResult<()> {
        if self.lookup(name).is_none() && self.outer_names.iter().any(|n| &**n == name) {
            return unsupported("closures over variables of an enclosing function", span);
        }
        Ok(())
    }

    fn load_name(&mut self, name: &str, dst: Reg, span: Span) -> CResult<()> {
        self.check_outer(name, span)?;
        if let Some(r) = self.lookup(name) {
            if r != dst {
                self.emit(Op::Move { dst, src: r }, span);
            }
            return Ok(());
        }
        if name == "undefined" {
            self.emit(Op::LoadUndefined { dst }, span);
            return Ok(());
        }
        let k = self.constant(Constant::String(name.to_string()));
        let ic = self.ic();
        self.emit(Op::GetGlobal { dst, name: k, ic }, span);
        Ok(())
    }

    fn store_name(&mut self, name: &str, src: Reg, span: Span) -> CResult<()> {
        self.check_outer(name, span)?;
        if let Some(r) = self.lookup(name) {
            if r != src {
                self.emit(Op::Move { dst: r, src }, span);
            }
            return Ok(());
        }
        let k = self.constant(Constant::String(name.to_string()));
        let ic = self.ic();
        self.emit(Op::SetGlobal { src, name: k, ic }, span);
        Ok(())
    }

    fn assign(
        &mut self,
        op: AssignOp,
        target: &Pattern,
        value: &Expr,
        dst: Reg,
        span: Span,
    ) -> CResult<()> {
        match (&target.kind, op) {
            (PatternKind::Ident(id), AssignOp::Assign) => {
                self.expr_into(value, dst)?;
                self.store_name(&id.name, dst, span)
            }
            (PatternKind::Ident(id), AssignOp::Bin(b)) => {
                self.load_name(&id.name, dst, span)?;
                let v = self.expr(value)?;
                self.emit(binary_op(b, dst, dst, v), span);
                self.store_name(&id.name, dst, span)
            }
            (PatternKind::Expr(m), AssignOp::Assign) => {
                let ExprKind::Member {
                    object,
                    prop,
                    optional: false,
                } = &m.kind
                else {
                    return unsupported("this assignment target", span);
                };
                let obj = self.expr(object)?;
                match prop {
                    MemberProp::Name(n) => {
                        self.expr_into(value, dst)?;
                        let name = self.constant(Constant::String(n.name.to_string()));
                        let ic = self.ic();
                        self.emit(
                            Op::SetProp {
                                obj,
                                name,
                                src: dst,
                                ic,
                            },
                            span,
                        );
                    }
                    MemberProp::Computed(k) => {
                        let key = self.expr(k)?;
                        self.expr_into(value, dst)?;
                        self.emit(Op::SetElem { obj, key, src: dst }, span);
                    }
                    MemberProp::Private(_) => return unsupported("private names", span),
                }
                Ok(())
            }
            _ => unsupported("destructuring and logical assignment", span),
        }
    }

    fn update(
        &mut self,
        op: UpdateOp,
        prefix: bool,
        target: &Expr,
        dst: Reg,
        span: Span,
    ) -> CResult<()> {
        let mut t = target;
        while let ExprKind::Paren(x) = &t.kind {
            t = x;
        }
        let ExprKind::Ident(name) = &t.kind else {
            return unsupported("++/-- on a property", span);
        };
        let old = self.temp(span)?;
        self.load_name(name, old, span)?;
        self.emit(Op::ToNumber { dst: old, src: old }, span);
        let new = self.temp(span)?;
        let step = match op {
            UpdateOp::Inc => Op::Inc { dst: new, src: old },
            UpdateOp::Dec => Op::Dec { dst: new, src: old },
        };
        self.emit(step, span);
        self.store_name(name, new, span)?;
        let result = if prefix { new } else { old };
        self.emit(Op::Move { dst, src: result }, span);
        Ok(())
    }

    fn call(&mut self, callee: &Expr, args: &[Arg], dst: Reg, span: Span) -> CResult<()> {
        let base = self.temp(span)?;
        let this = self.temp(span)?;
        match &callee.kind {
            ExprKind::Member {
                object,
                prop: MemberProp::Name(n),
                optional: false,
            } => {
                self.expr_into(object, this)?;
                let name = self.constant(Constant::String(n.name.to_string()));
                let ic = self.ic();
                self.emit(
                    Op::GetProp {
                        dst: base,
                        obj: this,
                        name,
                        ic,
                    },
                    span,
                );
            }
            _ => {
                self.expr_into(callee, base)?;
                self.emit(Op::LoadUndefined { dst: this }, span);
            }
        }
        for a in args {
            let Arg::Expr(x) = a else {
                return unsupported("spread arguments", span);
            };
            let r = self.temp(x.span)?;
            self.expr_into(x, r)?;
            self.release(r.0 as u16 + 1);
        }
        self.emit(
            Op::Call {
                dst,
                callee: base,
                argc: Count(args.len() as u16),
            },
            span,
        );
        Ok(())
    }
}

fn binary_op(op: BinOp, dst: Reg, a: Reg, b: Reg) -> Op {
    use BinOp::*;
    match op {
        Add => Op::Add { dst, a, b },
        Sub => Op::Sub { dst, a, b },
        Mul => Op::Mul { dst, a, b },
        Div => Op::Div { dst, a, b },
        Rem => Op::Rem { dst, a, b },
        Exp => Op::Exp { dst, a, b },
        Shl => Op::Shl { dst, a, b },
        Shr => Op::Shr { dst, a, b },
        UShr => Op::UShr { dst, a, b },
        BitAnd => Op::BitAnd { dst, a, b },
        BitOr => Op::BitOr { dst, a, b },
        BitXor => Op::BitXor { dst, a, b },
        Eq => Op::Eq { dst, a, b },
        Ne => Op::Ne { dst, a, b },
        StrictEq => Op::StrictEq { dst, a, b },
        StrictNe => Op::StrictNe { dst, a, b },
        Lt => Op::Lt { dst, a, b },
        Gt => Op::Gt { dst, a, b },
        Le => Op::Le { dst, a, b },
        Ge => Op::Ge { dst, a, b },
        In => Op::In { dst, a, b },
        Instanceof => Op::InstanceOf { dst, a, b },
    }
}

/// Whether evaluating `e` certainly writes no variable.
fn is_pure(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Ident(_)
        | ExprKind::Number(_)
        | ExprKind::String(_)
        | ExprKind::Bool(_)
        | ExprKind::Null => true,
        ExprKind::Paren(x) | ExprKind::Unary(_, x) => is_pure(x),
        ExprKind::Binary(_, a, b) | ExprKind::Logical(_, a, b) => is_pure(a) && is_pure(b),
        ExprKind::Member {
            object,
            prop: MemberProp::Name(_),
            ..
        } => is_pure(object),
        _ => false,
    }
}

fn expr_kind_name(k: &ExprKind) -> &'static str {
    match k {
        ExprKind::Object(_) => "object literals",
        ExprKind::Array(_) => "array literals",
        ExprKind::This => "this",
        ExprKind::New { .. } => "new",
        ExprKind::Class(_) => "classes",
        ExprKind::RegExp { .. } => "regular expressions",
        ExprKind::TaggedTemplate(..) => "tagged templates",
        ExprKind::OptionalChain(_) | ExprKind::Call { .. } | ExprKind::Member { .. } => {
            "optional chaining"
        }
        ExprKind::Yield { .. } | ExprKind::Await(_) => "generators and async functions",
        ExprKind::SuperCall(_) | ExprKind::SuperMember(_) => "super",
        ExprKind::BigInt(_) => "BigInt",
        _ => "this expression",
    }
}
