//! AST → bytecode, for the subset the VM runs so far.
//!
//! Registers: a function's parameters come first (`r0…`), then its locals as their scopes open,
//! then temporaries, allocated stack-wise. A call puts the callee in `R[base]`, `this` in
//! `R[base + 1]` and the arguments after them.
//!
//! Bindings: in a function, `var`, `let`, `const` and function declarations are registers,
//! except those a nested function uses (`capture.rs`): a scope with such bindings pushes a heap
//! `Env` on entry and keeps them there, and a `for (let …)` loop copies its environment for each
//! iteration (`CloneEnv`), so closures made in the loop keep their own binding. A name resolves
//! to a register, to an environment `depth` levels out and a slot, or to a global. At the top
//! level of a script, declarations are globals, as in a classic script (`--script`).
//!
//! Not compiled yet (a `CompileError::Unsupported` names the construct): destructuring, classes,
//! `this`, `new`, object and array literals, `switch`, `try`, labels, generators and async
//! functions. TDZ checks are not emitted yet either. These are issue 3's next steps.

use std::collections::HashMap;

use super::capture::{self, Names};

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
    f.proto.kind = super::function::FnKind::TopLevel;
    f.captured = capture::free_in_nested(&[], &program.body);
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
    /// Environments pushed when the loop began (a jump out pops the ones above).
    env_depth: usize,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Binding {
    Reg(Reg),
    /// A slot of the environment of the scope that declares it.
    Env(u16),
}

/// Where a name lives, seen from the current point of the code.
enum Resolved {
    Reg(Reg),
    Env { depth: u16, slot: u16 },
    Global,
}

#[derive(Default)]
struct Scope {
    bindings: HashMap<Box<str>, Binding>,
    /// Whether this scope pushed an environment (it has captured bindings).
    has_env: bool,
    env_slots: u16,
}

struct FnCompiler {
    proto: Proto,
    /// Scopes of local bindings, innermost last.
    scopes: Vec<Scope>,
    /// Names declared here that nested functions use: they live in environments.
    captured: Names,
    /// The environments of the enclosing functions visible here, innermost first: name → slot.
    outer: Vec<HashMap<Box<str>, u16>>,
    next_reg: u16,
    const_index: HashMap<ConstKey, u16>,
    loops: Vec<Loop>,
    /// The script's top level: declarations there are globals.
    is_script: bool,
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
            scopes: vec![Scope::default()],
            captured: Names::new(),
            outer: Vec::new(),
            next_reg: 0,
            const_index: HashMap::new(),
            loops: Vec::new(),
            is_script,
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
            Constant::Template(..) => {
                // Each tagged template site has its own strings object.
                let i = self.proto.consts.len() as u16;
                self.proto.consts.push(c);
                return Const(i);
            }
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

    fn resolve(&self, name: &str) -> Resolved {
        let mut depth = 0;
        for s in self.scopes.iter().rev() {
            match s.bindings.get(name) {
                Some(Binding::Reg(r)) => return Resolved::Reg(*r),
                Some(Binding::Env(slot)) => return Resolved::Env { depth, slot: *slot },
                None => {}
            }
            if s.has_env {
                depth += 1;
            }
        }
        for layer in &self.outer {
            if let Some(&slot) = layer.get(name) {
                return Resolved::Env { depth, slot };
            }
            depth += 1;
        }
        Resolved::Global
    }

    /// The register of a local that lives in one (for reading it without a copy).
    fn lookup(&self, name: &str) -> Option<Reg> {
        match self.resolve(name) {
            Resolved::Reg(r) => Some(r),
            _ => None,
        }
    }

    /// Opens a scope whose own declarations are `names`; the captured ones get an environment.
    fn open_scope(&mut self, names: &[Box<str>], span: Span) -> CResult<()> {
        let captured: Vec<&Box<str>> = names
            .iter()
            .filter(|n| self.captured.contains(*n))
            .collect();
        let mut scope = Scope::default();
        if !captured.is_empty() {
            scope.has_env = true;
            for n in captured {
                if !scope.bindings.contains_key(n) {
                    scope
                        .bindings
                        .insert(n.clone(), Binding::Env(scope.env_slots));
                    scope.env_slots += 1;
                }
            }
            self.emit(
                Op::PushEnv {
                    slots: Count(scope.env_slots),
                },
                span,
            );
        }
        self.scopes.push(scope);
        Ok(())
    }

    fn close_scope(&mut self, span: Span) {
        let s = self.scopes.pop().expect("a scope");
        if s.has_env {
            self.emit(Op::PopEnv, span);
        }
    }

    /// How many environments are pushed in this function right now.
    fn env_depth(&self) -> usize {
        self.scopes.iter().filter(|s| s.has_env).count()
    }

    /// Declares a name in the innermost scope; `None` at a script's top level (a global).
    fn declare(&mut self, name: &str, span: Span) -> CResult<Option<Binding>> {
        if self.at_script_top() {
            return Ok(None);
        }
        if let Some(&b) = self.scopes.last().and_then(|s| s.bindings.get(name)) {
            return Ok(Some(b));
        }
        let r = self.temp(span)?;
        self.scopes
            .last_mut()
            .expect("a scope")
            .bindings
            .insert(name.into(), Binding::Reg(r));
        Ok(Some(Binding::Reg(r)))
    }

    /// Writes `src` to a declared binding.
    fn init_binding(&mut self, b: Binding, src: Reg, span: Span) {
        match b {
            Binding::Reg(r) if r == src => {}
            Binding::Reg(r) => {
                self.emit(Op::Move { dst: r, src }, span);
            }
            Binding::Env(slot) => {
                self.emit(
                    Op::SetEnv {
                        src,
                        depth: Count(0),
                        slot: Count(slot),
                    },
                    span,
                );
            }
        }
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
                match self.declare(&name, s.span)? {
                    Some(Binding::Reg(r)) => self.closure(f, r, s.span)?,
                    Some(b) => {
                        let t = self.temp(s.span)?;
                        self.closure(f, t, s.span)?;
                        self.init_binding(b, t, s.span);
                        self.release(mark);
                    }
                    None => {
                        let t = self.temp(s.span)?;
                        self.closure(f, t, s.span)?;
                        let name_c = self.constant(Constant::String(name.to_string()));
                        let ic = self.ic();
                        self.emit(
                            Op::SetGlobal {
                                src: t,
                                name: name_c,
                                ic,
                            },
                            s.span,
                        );
                        self.release(mark);
                    }
                }
            }
        }
        Ok(())
    }

    fn block(&mut self, body: &[Stmt], span: Span) -> CResult<()> {
        let mark = self.next_reg;
        self.open_scope(&lexical_names(body), span)?;
        self.hoist_functions(body)?;
        for s in body {
            self.stmt(s)?;
        }
        self.close_scope(span);
        self.release(mark);
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> CResult<()> {
        let span = s.span;
        match &s.kind {
            StmtKind::Expr(e) => {
                self.effect(e)?;
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
                let jf = self.jump_if_false(c, span)?;
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
            StmtKind::Block(b) => self.block(b, span)?,
            StmtKind::While(c, body) => {
                let top = self.here();
                let jf = self.jump_if_false(c, span)?;
                self.loop_body(body)?;
                let back = self.emit(Op::Jmp { offset: Jump(0) }, span);
                self.patch(back, top);
                let end = self.here();
                self.patch(jf, end);
                self.end_loop(end, top);
            }
            StmtKind::DoWhile(body, c) => {
                let top = self.here();
                self.loop_body(body)?;
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
                let mark = self.next_reg;
                let names = match init.as_deref() {
                    Some(ForInit::Var(d)) if d.kind != VarKind::Var => pattern_names_of(d),
                    _ => Vec::new(),
                };
                // The bindings of a `for (let …)` head are block-scoped, even at the top level.
                let was_script = self.is_script;
                if !names.is_empty() {
                    self.is_script = false;
                }
                self.open_scope(&names, span)?;
                let per_iteration = self.scopes.last().is_some_and(|s| s.has_env);
                match init.as_deref() {
                    Some(ForInit::Var(d)) => self.var_decl(d)?,
                    Some(ForInit::Expr(e)) => {
                        self.effect(e)?;
                    }
                    None => {}
                }
                let top = self.here();
                let jf = match test {
                    Some(t) => Some(self.jump_if_false(t, span)?),
                    None => None,
                };
                self.loop_body(body)?;
                let cont = self.here();
                if per_iteration {
                    // Each iteration gets its own copy of the loop's bindings.
                    self.emit(Op::CloneEnv, span);
                }
                if let Some(u) = update {
                    self.effect(u)?;
                }
                let back = self.emit(Op::Jmp { offset: Jump(0) }, span);
                self.patch(back, top);
                let end = self.here();
                if let Some(jf) = jf {
                    self.patch(jf, end);
                }
                self.end_loop(end, cont);
                self.close_scope(span);
                self.is_script = was_script;
                self.release(mark);
            }
            StmtKind::Break(None) => self.loop_exit(true, span)?,
            StmtKind::Continue(None) => self.loop_exit(false, span)?,
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

    /// Evaluates `cond` and emits a forward `JmpFalse` on it; returns the jump to patch.
    fn jump_if_false(&mut self, cond: &Expr, span: Span) -> CResult<usize> {
        let mark = self.next_reg;
        let cond = self.expr(cond)?;
        self.release(mark);
        Ok(self.emit(
            Op::JmpFalse {
                cond,
                offset: Jump(0),
            },
            span,
        ))
    }

    /// Evaluates `e` for its effects only.
    fn effect(&mut self, e: &Expr) -> CResult<()> {
        let mark = self.next_reg;
        self.expr(e)?;
        self.release(mark);
        Ok(())
    }

    fn loop_body(&mut self, body: &Stmt) -> CResult<()> {
        let env_depth = self.env_depth();
        self.loops.push(Loop {
            breaks: Vec::new(),
            continues: Vec::new(),
            env_depth,
        });
        self.stmt(body)
    }

    /// `break` (or `continue`) out of the innermost loop: pop the environments pushed inside
    /// it, jump, and record the jump for patching when the loop ends.
    fn loop_exit(&mut self, is_break: bool, span: Span) -> CResult<()> {
        if self.loops.is_empty() {
            let what = if is_break {
                "break outside a loop (switch and labels)"
            } else {
                "continue outside a loop"
            };
            return unsupported(what, span);
        }
        self.pop_envs_to_loop(span);
        let j = self.emit(Op::Jmp { offset: Jump(0) }, span);
        let l = self.loops.last_mut().expect("checked above");
        if is_break {
            l.breaks.push(j);
        } else {
            l.continues.push(j);
        }
        Ok(())
    }

    fn pop_envs_to_loop(&mut self, span: Span) {
        if let Some(l) = self.loops.last() {
            for _ in l.env_depth..self.env_depth() {
                self.emit(Op::PopEnv, span);
            }
        }
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

    fn var_decl(&mut self, d: &VarDecl) -> CResult<()> {
        for decl in &d.decls {
            let PatternKind::Ident(id) = &decl.target.kind else {
                return unsupported("destructuring", decl.span);
            };
            let mark = self.next_reg;
            if d.kind == VarKind::Var && !self.at_script_top() {
                // `var` was declared when the function began; this is an assignment.
                if let Some(init) = &decl.init {
                    let v = self.temp(decl.span)?;
                    self.expr_into(init, v)?;
                    self.store_name(&id.name, v, decl.span)?;
                }
                self.release(mark);
                continue;
            }
            match self.declare(&id.name, decl.span)? {
                Some(Binding::Reg(r)) => match &decl.init {
                    Some(init) => self.expr_into(init, r)?,
                    None => {
                        self.emit(Op::LoadUndefined { dst: r }, decl.span);
                    }
                },
                Some(b) => {
                    let v = self.temp(decl.span)?;
                    match &decl.init {
                        Some(init) => self.expr_into(init, v)?,
                        None => {
                            self.emit(Op::LoadUndefined { dst: v }, decl.span);
                        }
                    }
                    self.init_binding(b, v, decl.span);
                }
                None => {
                    // A global (script top level).
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
                }
            }
            if self.lookup(&id.name).is_none_or(|r| r.0 as u16 >= mark) {
                self.release(mark.max(self.next_reg_after_locals()));
            }
        }
        Ok(())
    }

    /// The first register above every declared local.
    fn next_reg_after_locals(&self) -> u16 {
        self.scopes
            .iter()
            .flat_map(|s| s.bindings.values())
            .filter_map(|b| match b {
                Binding::Reg(r) => Some(r.0 as u16 + 1),
                Binding::Env(_) => None,
            })
            .max()
            .unwrap_or(0)
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
        inner.captured = capture::free_in_nested(&f.params, &f.body);
        // The environments visible where the closure is created, innermost first.
        let mut outer: Vec<HashMap<Box<str>, u16>> = self
            .scopes
            .iter()
            .rev()
            .filter(|s| s.has_env)
            .map(|s| {
                s.bindings
                    .iter()
                    .filter_map(|(n, b)| match b {
                        Binding::Env(slot) => Some((n.clone(), *slot)),
                        Binding::Reg(_) => None,
                    })
                    .collect()
            })
            .collect();
        outer.extend(self.outer.iter().cloned());
        inner.outer = outer;
        inner.proto.nparams = f.params.len() as u16;
        let mut params = Vec::new();
        for p in &f.params {
            let PatternKind::Ident(id) = &p.target.kind else {
                return unsupported("destructuring parameters", f.span);
            };
            if p.default.is_some() || p.rest {
                return unsupported("default and rest parameters", f.span);
            }
            let r = inner.temp(span)?;
            params.push((id.name.clone(), r));
        }
        // The function scope: parameters, `var`s and top-level declarations; captured ones go
        // to the function's environment.
        let mut names: Vec<Box<str>> = params.iter().map(|(n, _)| n.clone()).collect();
        let mut vars = Vec::new();
        var_names(&f.body, &mut vars);
        names.extend(vars.iter().cloned());
        names.extend(lexical_names(&f.body));
        inner.scopes.clear();
        inner.open_scope(&names, f.span)?;
        for (n, r) in &params {
            match inner.scopes[0].bindings.get(n).copied() {
                Some(Binding::Env(slot)) => {
                    inner.emit(
                        Op::SetEnv {
                            src: *r,
                            depth: Count(0),
                            slot: Count(slot),
                        },
                        f.span,
                    );
                }
                _ => {
                    inner.scopes[0].bindings.insert(n.clone(), Binding::Reg(*r));
                }
            }
        }
        for v in vars {
            if !inner.scopes[0].bindings.contains_key(&v) {
                let r = inner.temp(f.span)?;
                inner.emit(Op::LoadUndefined { dst: r }, f.span);
                inner.scopes[0].bindings.insert(v, Binding::Reg(r));
            }
        }
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
                        self.effect(x)?;
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
                let jf = self.jump_if_false(c, span)?;
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
            ExprKind::Object(props) => self.object_literal(props, dst, span)?,
            ExprKind::Array(elems) => {
                let first = self.next_reg;
                for el in elems {
                    let ArrayElem::Expr(x) = el else {
                        return unsupported("holes and spread in array literals", span);
                    };
                    let r = self.temp(x.span)?;
                    self.expr_into(x, r)?;
                    self.release(r.0 as u16 + 1);
                }
                if elems.len() > 255 {
                    return unsupported("array literals with more than 255 elements", span);
                }
                self.emit(
                    Op::NewArray {
                        dst,
                        first: Reg(first as u8),
                        count: Count(elems.len() as u16),
                    },
                    span,
                );
            }
            ExprKind::This => {
                self.emit(Op::LoadThis { dst }, span);
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
        self.scopes
            .iter()
            .any(|s| s.bindings.values().any(|&b| b == Binding::Reg(r)))
    }

    fn load_name(&mut self, name: &str, dst: Reg, span: Span) -> CResult<()> {
        match self.resolve(name) {
            Resolved::Reg(r) => {
                if r != dst {
                    self.emit(Op::Move { dst, src: r }, span);
                }
            }
            Resolved::Env { depth, slot } => {
                self.emit(
                    Op::GetEnv {
                        dst,
                        depth: Count(depth),
                        slot: Count(slot),
                    },
                    span,
                );
            }
            Resolved::Global if name == "undefined" => {
                self.emit(Op::LoadUndefined { dst }, span);
            }
            Resolved::Global => {
                let k = self.constant(Constant::String(name.to_string()));
                let ic = self.ic();
                self.emit(Op::GetGlobal { dst, name: k, ic }, span);
            }
        }
        Ok(())
    }

    fn store_name(&mut self, name: &str, src: Reg, span: Span) -> CResult<()> {
        match self.resolve(name) {
            Resolved::Reg(r) => {
                if r != src {
                    self.emit(Op::Move { dst: r, src }, span);
                }
            }
            Resolved::Env { depth, slot } => {
                self.emit(
                    Op::SetEnv {
                        src,
                        depth: Count(depth),
                        slot: Count(slot),
                    },
                    span,
                );
            }
            Resolved::Global => {
                let k = self.constant(Constant::String(name.to_string()));
                let ic = self.ic();
                self.emit(Op::SetGlobal { src, name: k, ic }, span);
            }
        }
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
            return self.update_member(op, prefix, t, dst, span);
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

    /// `o.p++`, `o[k]--`: read, convert, step, write back.
    fn update_member(
        &mut self,
        op: UpdateOp,
        prefix: bool,
        target: &Expr,
        dst: Reg,
        span: Span,
    ) -> CResult<()> {
        let ExprKind::Member {
            object,
            prop,
            optional: false,
        } = &target.kind
        else {
            return unsupported("this ++/-- target", span);
        };
        let obj = self.expr(object)?;
        let old = self.temp(span)?;
        let key = match prop {
            MemberProp::Name(n) => {
                let name = self.constant(Constant::String(n.name.to_string()));
                let ic = self.ic();
                self.emit(
                    Op::GetProp {
                        dst: old,
                        obj,
                        name,
                        ic,
                    },
                    span,
                );
                Err(name)
            }
            MemberProp::Computed(k) => {
                let key = self.expr(k)?;
                self.emit(Op::GetElem { dst: old, obj, key }, span);
                Ok(key)
            }
            MemberProp::Private(_) => return unsupported("private names", span),
        };
        self.emit(Op::ToNumber { dst: old, src: old }, span);
        let new = self.temp(span)?;
        let step = match op {
            UpdateOp::Inc => Op::Inc { dst: new, src: old },
            UpdateOp::Dec => Op::Dec { dst: new, src: old },
        };
        self.emit(step, span);
        match key {
            Err(name) => {
                let ic = self.ic();
                self.emit(
                    Op::SetProp {
                        obj,
                        name,
                        src: new,
                        ic,
                    },
                    span,
                );
            }
            Ok(key) => {
                self.emit(Op::SetElem { obj, key, src: new }, span);
            }
        }
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

    fn object_literal(&mut self, props: &[Prop], dst: Reg, span: Span) -> CResult<()> {
        let ic = self.ic();
        self.emit(Op::NewObject { dst, ic }, span);
        for p in props {
            let mark = self.next_reg;
            match p {
                Prop::Init(PropKey::Ident(n), v) => {
                    let r = self.expr(v)?;
                    self.set_named(dst, n, r, span);
                }
                Prop::Init(PropKey::String(u), v) => {
                    let r = self.expr(v)?;
                    self.set_named(dst, &u.to_string_lossy(), r, span);
                }
                Prop::Init(PropKey::Number(n), v) => {
                    let key = self.temp(span)?;
                    let k = self.constant(Constant::Number(*n));
                    self.emit(Op::LoadConst { dst: key, idx: k }, span);
                    let r = self.expr(v)?;
                    self.emit(
                        Op::SetElem {
                            obj: dst,
                            key,
                            src: r,
                        },
                        span,
                    );
                }
                Prop::Init(PropKey::Computed(k), v) => {
                    let key = self.expr(k)?;
                    let r = self.expr(v)?;
                    self.emit(
                        Op::SetElem {
                            obj: dst,
                            key,
                            src: r,
                        },
                        span,
                    );
                }
                Prop::Shorthand(id) => {
                    let r = self.temp(span)?;
                    self.load_name(&id.name, r, id.span)?;
                    self.set_named(dst, &id.name, r, span);
                }
                Prop::Method(PropKey::Ident(n), MethodKind::Method, f) => {
                    let r = self.temp(span)?;
                    self.closure(f, r, span)?;
                    self.set_named(dst, n, r, span);
                }
                _ => return unsupported("this kind of object literal property", span),
            }
            self.release(mark);
        }
        Ok(())
    }

    fn set_named(&mut self, obj: Reg, name: &str, src: Reg, span: Span) {
        let k = self.constant(Constant::String(name.to_string()));
        let ic = self.ic();
        self.emit(
            Op::SetProp {
                obj,
                name: k,
                src,
                ic,
            },
            span,
        );
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

/// Names a block declares for itself: `let`, `const`, `class` and function declarations.
fn lexical_names(body: &[Stmt]) -> Vec<Box<str>> {
    let mut out = Vec::new();
    for s in body {
        match &s.kind {
            StmtKind::Var(d) if d.kind != VarKind::Var => out.extend(pattern_names_of(d)),
            StmtKind::Function(f) => out.extend(f.name.as_ref().map(|n| n.name.clone())),
            StmtKind::Class(c) => out.extend(c.name.as_ref().map(|n| n.name.clone())),
            _ => {}
        }
    }
    out
}

fn pattern_names_of(d: &VarDecl) -> Vec<Box<str>> {
    let mut out = Vec::new();
    for v in &d.decls {
        pattern_names(&v.target, &mut out);
    }
    out
}

fn pattern_names(p: &Pattern, out: &mut Vec<Box<str>>) {
    match &p.kind {
        PatternKind::Ident(i) => out.push(i.name.clone()),
        PatternKind::Object { props, rest } => {
            props.iter().for_each(|pr| pattern_names(&pr.target, out));
            if let Some(r) = rest {
                pattern_names(r, out);
            }
        }
        PatternKind::Array { elems, rest } => {
            elems
                .iter()
                .flatten()
                .for_each(|e| pattern_names(&e.target, out));
            if let Some(r) = rest {
                pattern_names(r, out);
            }
        }
        PatternKind::Expr(_) => {}
    }
}

/// `var` names declared anywhere in a function body (not in nested functions).
fn var_names(body: &[Stmt], out: &mut Vec<Box<str>>) {
    for s in body {
        var_names_stmt(s, out);
    }
}

fn var_names_stmt(s: &Stmt, out: &mut Vec<Box<str>>) {
    match &s.kind {
        StmtKind::Var(d) if d.kind == VarKind::Var => out.extend(pattern_names_of(d)),
        StmtKind::If(_, a, b) => {
            var_names_stmt(a, out);
            if let Some(b) = b {
                var_names_stmt(b, out);
            }
        }
        StmtKind::Block(b) => var_names(b, out),
        StmtKind::For { init, body, .. } => {
            if let Some(ForInit::Var(d)) = init.as_deref() {
                if d.kind == VarKind::Var {
                    out.extend(pattern_names_of(d));
                }
            }
            var_names_stmt(body, out);
        }
        StmtKind::ForIn(h, _, body) | StmtKind::ForOf { head: h, body, .. } => {
            if let ForHead::Decl(VarKind::Var, p) = h {
                pattern_names(p, out);
            }
            var_names_stmt(body, out);
        }
        StmtKind::While(_, b)
        | StmtKind::DoWhile(b, _)
        | StmtKind::Labeled(_, b)
        | StmtKind::With(_, b) => var_names_stmt(b, out),
        StmtKind::Try {
            block,
            handler,
            finalizer,
        } => {
            var_names(block, out);
            if let Some(h) = handler {
                var_names(&h.body, out);
            }
            if let Some(f) = finalizer {
                var_names(f, out);
            }
        }
        StmtKind::Switch(_, cases) => cases.iter().for_each(|c| var_names(&c.body, out)),
        _ => {}
    }
}
