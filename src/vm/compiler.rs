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
//! Exceptions: `try` pushes a handler; `finally` is compiled inline on each way out of the
//! protected block (normal end, exception, and every `break`/`continue`/`return` that leaves
//! it: `unwind_tries`), so the VM knows only catch handlers.
//!
//! Classes: the constructor is a closure of kind ClassCtor/DerivedCtor whose body starts (or,
//! derived, continues after each `super(...)`) with the instance field initialisers; the
//! `Class` instruction creates the prototype; methods are `DefineMethod`s (which set the home
//! object that `super.x` reads).
//!
//! Static blocks and static field initialisers are compiled as methods of the class, called
//! once as the class is defined (`run_as_method`). Generators and async functions are
//! coroutines (see src/vm/coroutine.rs).
//!
//! A class has a scope of its own: its name, its private names (`#x`, made fresh by each
//! evaluation: `NewPrivateName`) and hidden bindings for what the constructor installs on each
//! instance (the functions of private methods, the keys of computed fields, evaluated once).
//! `o.#x` is `GetPrivate`/`SetPrivate` with the name's register; see src/vm/private.rs.
//!
//! Dynamic scopes: a function that calls a direct `eval` (or contains one that does) keeps every
//! binding in environments, by name (`capture_all`), and each call site records the names and
//! slots of the environments around it (`EvalSite`), from which the eval code is compiled at run
//! time as an arrow of the caller. A sloppy direct eval's `var`s go to an object in the hidden
//! `%vars` slot of the calling function's scope; a `with` scope holds its object in a hidden
//! `%with` slot. Names that resolve past such a scope compile to `GetDyn`/`SetDyn`, which look
//! in those objects first (`vm/dynscope.rs`); code without them compiles as before.
//!
//! Not compiled yet (a `CompileError::Unsupported` names the construct): BigInt. TDZ is checked for captured
//! let/const/class bindings (environment slots start in the TDZ), not yet for ones kept in
//! registers.

use std::collections::{HashMap, HashSet};

use super::capture::{self, Names};

use super::bytecode::{Const, Count, Ic, Jump, Op, Reg};
use super::function::{
    CoKind, Constant, DynFallback, DynSite, EvalLayer, EvalSite, FnKind, Proto, ScopeSite,
};
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

/// Compiles a CommonJS module: the file's body as the body of
/// `function (exports, require, module, __filename, __dirname)`, as node wraps it (without
/// changing any line or column).
pub fn compile_module(program: &Program) -> CResult<Proto> {
    let span = program.span;
    let params = ["exports", "require", "module", "__filename", "__dirname"]
        .iter()
        .map(|n| Param {
            target: Pattern::new(
                PatternKind::Ident(Ident {
                    name: (*n).into(),
                    span,
                }),
                span,
            ),
            default: None,
            rest: false,
        })
        .collect();
    let f = Function {
        name: None,
        kind: FunctionKind::Normal,
        params,
        body: program.body.clone(),
        expression_body: false,
        is_async: false,
        is_generator: false,
        span,
    };
    let mut outer = FnCompiler::new("", false);
    let r = outer.temp(span)?;
    outer.function_into(&f, r, span, FnKind::TopLevel, "", Vec::new(), span)?;
    Ok(outer.proto.protos.remove(0))
}

/// Compiles a script (top-level declarations are globals).
pub fn compile_script(program: &Program) -> CResult<Proto> {
    compile_script_with(program, false)
}

/// [`compile_script`]; with `top_level_await` the script is an async body: running it returns
/// a promise of its completion value (the REPL's top-level `await`).
pub fn compile_script_with(program: &Program, top_level_await: bool) -> CResult<Proto> {
    let mut f = FnCompiler::new("", true);
    f.proto.kind = super::function::FnKind::TopLevel;
    if top_level_await {
        f.proto.co = CoKind::Async;
    }
    f.captured = capture::free_in_nested(&[], &program.body);
    f.strict = has_use_strict(&program.body);
    f.capture_all = capture::direct_eval_in(&[], &program.body).1;
    // The completion value (what `-p` prints): the last top-level expression statement's.
    let completion = f.temp(program.span)?;
    f.emit(Op::LoadUndefined { dst: completion }, program.span);
    f.predeclare_lexicals(&program.body, program.span)?;
    f.hoist_functions(&program.body)?;
    for s in &program.body {
        match &s.kind {
            StmtKind::Expr(e) => {
                f.expr_into(e, completion)?;
                f.release(completion.0 as u16 + 1);
            }
            _ => f.stmt(s)?,
        }
    }
    f.emit(Op::Return { src: completion }, program.span);
    Ok(f.finish())
}

/// Why eval code does not run.
pub enum EvalError {
    /// A SyntaxError the spec names for eval code (a `var` over a lexical binding).
    Syntax(String),
    Compile(CompileError),
}

impl From<CompileError> for EvalError {
    fn from(e: CompileError) -> Self {
        EvalError::Compile(e)
    }
}

/// Compiles the code of a direct eval (§19.2.1.3 EvalDeclarationInstantiation) for the call
/// site `site`: a function run as an arrow of the caller (its `this`, `new.target` and
/// `super`), in the caller's environment. Strict eval code keeps its `var`s to itself; sloppy
/// eval code declares them in the caller's variable environment (its `%vars` object, or the
/// global object at a script's top level).
pub fn compile_eval(program: &Program, site: &EvalSite) -> Result<Proto, EvalError> {
    let span = program.span;
    let body = &program.body;
    let strict = site.strict || has_use_strict(body);
    let sloppy_global = !strict && site.script_top;
    let mut f = FnCompiler::new("", sloppy_global);
    f.proto.kind = FnKind::Arrow;
    f.strict = strict;
    f.outer = site
        .layers
        .iter()
        .map(|l| l.slots.iter().cloned().collect())
        .collect();
    f.outer_lex = site
        .layers
        .iter()
        .map(|l| l.lexical.iter().cloned().collect())
        .collect();
    f.outer_dynamic = f
        .outer
        .iter()
        .any(|l| l.contains_key(capture::VARS) || l.contains_key(capture::WITH));
    f.lexicals = site.lexicals.iter().cloned().collect();
    f.outer_consts = site.consts.iter().cloned().collect();
    f.captured = capture::free_in_nested(&[], body);
    let (_, any_eval) = capture::direct_eval_in(&[], body);
    f.capture_all = any_eval || f.captured.contains(capture::EVAL);
    let mut vars = Vec::new();
    var_names(body, &mut vars);
    let fn_names: Vec<Box<str>> = body
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::Function(func) => func.name.as_ref().map(|n| n.name.clone()),
            _ => None,
        })
        .collect();
    let completion;
    if sloppy_global {
        completion = f.temp(span)?;
        f.emit(Op::LoadUndefined { dst: completion }, span);
        f.predeclare_lexicals(body, span)?;
        f.hoist_functions(body)?;
    } else if strict {
        let mut names = vars.clone();
        names.extend(lexical_names(body));
        f.scopes.clear();
        f.open_scope(&names, span)?;
        f.mark_lexical(&lexical_names(body));
        completion = f.temp(span)?;
        f.emit(Op::LoadUndefined { dst: completion }, span);
        for v in &vars {
            match f.scopes[0].bindings.get(v).copied() {
                Some(b @ Binding::Env(_)) => f.init_binding(b, completion, span),
                Some(Binding::Reg(_)) => {}
                None => {
                    let r = f.temp(span)?;
                    f.emit(Op::LoadUndefined { dst: r }, span);
                    f.scopes[0].bindings.insert(v.clone(), Binding::Reg(r));
                }
            }
        }
        f.predeclare_lexicals(body, span)?;
        f.hoist_functions(body)?;
    } else {
        // The var names must not be lexical bindings between here and the variable
        // environment; those it already has are assigned, the others declared in `%vars`.
        let mut declared = vars.clone();
        for n in &fn_names {
            if !declared.contains(n) {
                declared.push(n.clone());
            }
        }
        let mut new_vars = Vec::new();
        'names: for n in &declared {
            for l in &site.layers {
                if l.lexical.contains(n) {
                    return Err(EvalError::Syntax(format!(
                        "Identifier '{n}' has already been declared"
                    )));
                }
                let is_var_scope = l.slots.iter().any(|(s, _)| &**s == capture::VARS);
                // A binding of an inner scope (a catch parameter, say) is not the var's.
                if is_var_scope && l.slots.iter().any(|(s, _)| s == n) {
                    continue 'names;
                }
                if is_var_scope {
                    break;
                }
            }
            new_vars.push(n.clone());
        }
        let lexical: Vec<Box<str>> = lexical_names(body)
            .into_iter()
            .filter(|n| !fn_names.contains(n))
            .collect();
        f.scopes.clear();
        f.open_scope(&lexical, span)?;
        f.mark_lexical(&lexical);
        completion = f.temp(span)?;
        f.emit(Op::LoadUndefined { dst: completion }, span);
        if let Resolved::Env { depth, slot } = f.resolve(capture::VARS) {
            for n in &new_vars {
                let name = f.constant(Constant::String(n.to_string()));
                f.emit(
                    Op::DeclareEvalVar {
                        name,
                        depth: Count(depth),
                        slot: Count(slot),
                    },
                    span,
                );
            }
        }
        f.predeclare_lexicals(body, span)?;
        for s in body {
            if let StmtKind::Function(func) = &s.kind {
                let mark = f.next_reg;
                let t = f.temp(s.span)?;
                f.closure(func, t, s.span)?;
                if let Some(n) = &func.name {
                    f.store_name(&n.name, t, s.span)?;
                }
                f.release(mark);
            }
        }
    }
    for s in body {
        match &s.kind {
            StmtKind::Expr(e) => {
                f.expr_into(e, completion)?;
                f.release(completion.0 as u16 + 1);
            }
            StmtKind::Function(_) if !strict && !sloppy_global => {}
            _ => f.stmt(s)?,
        }
    }
    f.emit(Op::Return { src: completion }, span);
    Ok(f.finish())
}

struct Loop {
    breaks: Vec<usize>,
    continues: Vec<usize>,
    /// Environments pushed when the loop began (a jump out pops the ones above).
    env_depth: usize,
    /// Exception handlers active when the loop began (a jump out pops the ones above, running
    /// their `finally` blocks).
    try_depth: usize,
    /// The labels naming this statement.
    labels: Vec<Box<str>>,
    /// A loop (`continue` may target it), not a labelled block or a switch.
    is_loop: bool,
    /// A for-of loop's iterator register (closed when a `break` leaves the loop).
    iter: Option<Reg>,
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
    /// The names declared `const` here.
    consts: HashSet<Box<str>>,
    /// Whether this scope pushed an environment (it has captured bindings).
    has_env: bool,
    env_slots: u16,
    /// It has a `%vars` or `%with` binding: names resolving past it are looked up at run time.
    dynamic: bool,
    /// Its let/const/class names (kept only in functions with a direct eval, for its checks).
    lexical: HashSet<Box<str>>,
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
    /// Active `try` regions, innermost last, with the `finally` block each must run when a
    /// jump leaves it.
    tries: Vec<Option<Vec<Stmt>>>,
    /// The short-circuit jumps of the optional chains being compiled, innermost last.
    opt_exits: Vec<Vec<usize>>,
    /// Labels waiting for the statement they name.
    pending_labels: Vec<Box<str>>,
    /// Names declared `const` at the script's top level, and in enclosing functions (an
    /// over-approximation: a `let` in between that shadows one is not told apart).
    global_consts: HashSet<Box<str>>,
    outer_consts: HashSet<Box<str>>,
    /// Names declared with let/const/class: reads of their environment slots check the TDZ.
    lexicals: HashSet<Box<str>>,
    /// A class constructor's instance fields, initialised on entry (or after `super()`).
    fields: Vec<InstanceElement>,
    /// A named function expression's own name (bound to the function inside it).
    self_name: Option<Box<str>>,
    /// Compiling a constructor's field initialisers.
    in_field_init: bool,
    /// Registers of let/const/class bindings whose declaration has not been compiled yet:
    /// they hold the TDZ marker, so a read or write compiled before it is checked.
    uninit: HashSet<u8>,
    /// The iterator registers of the enclosing `for await` loops (closing them awaits).
    async_iters: HashSet<u8>,
    /// Strict mode code.
    strict: bool,
    /// A direct eval is called in this function or a nested one: every binding lives in an
    /// environment, by name.
    capture_all: bool,
    /// The lexical names of each `outer` layer (kept when `capture_all`).
    outer_lex: Vec<HashSet<Box<str>>>,
    /// Some `outer` layer is dynamic (has `%vars` or `%with`).
    outer_dynamic: bool,
}

/// What a class constructor installs on each instance before its body runs (§7.3.34
/// InitializeInstanceElements): private methods and accessors first, then the fields in order.
#[derive(Clone)]
enum InstanceElement {
    /// A private method (kind 1), getter (2) or setter (3), +4 for the class's first one: the
    /// bindings of its private name and of its function.
    Method {
        name: Box<str>,
        func: Box<str>,
        kind: u16,
    },
    Field {
        key: FieldKey,
        init: Option<Expr>,
    },
}

#[derive(Clone)]
enum FieldKey {
    /// A literal key.
    Named(Box<str>),
    /// A computed key: the binding holding it (evaluated when the class was defined).
    Computed(Box<str>),
    /// A private name: its binding.
    Private(Box<str>),
}

/// A member expression's key: a name (`o.p`), a computed key's register (`o[k]`) or the
/// register of a private name (`o.#x`).
#[derive(Clone, Copy)]
enum MemberKey {
    Name(Const),
    Elem(Reg),
    Private(Reg),
}

#[derive(Hash, PartialEq, Eq)]
enum ConstKey {
    Number(u64),
    String(String),
    Units(Box<[u16]>),
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
            tries: Vec::new(),
            opt_exits: Vec::new(),
            pending_labels: Vec::new(),
            global_consts: HashSet::new(),
            outer_consts: HashSet::new(),
            lexicals: HashSet::new(),
            fields: Vec::new(),
            self_name: None,
            in_field_init: false,
            uninit: HashSet::new(),
            async_iters: HashSet::new(),
            strict: false,
            capture_all: false,
            outer_lex: Vec::new(),
            outer_dynamic: false,
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

    /// A string literal's constant: its UTF-8 text, or its code units when it holds lone
    /// surrogates (which no Rust `String` can).
    fn string_constant(&mut self, u: &crate::syntax::token::Utf16) -> Const {
        match u.as_str_if_valid() {
            Some(s) => self.constant(Constant::String(s)),
            None => self.constant(Constant::Units(u.0.clone())),
        }
    }

    fn constant(&mut self, c: Constant) -> Const {
        let key = match &c {
            Constant::Number(n) => ConstKey::Number(n.to_bits()),
            Constant::String(s) => ConstKey::String(s.clone()),
            Constant::Units(u) => ConstKey::Units(u.clone()),
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
        if self.dyn_site(name).is_some() {
            return None;
        }
        match self.resolve(name) {
            Resolved::Reg(r) => Some(r),
            _ => None,
        }
    }

    /// Whether names may resolve at run time here (a `with` or a sloppy direct eval around).
    fn any_dynamic(&self) -> bool {
        self.outer_dynamic || self.scopes.iter().any(|s| s.dynamic)
    }

    /// Where `name` resolves statically, and the dynamic scopes (`%with`, `%vars`) passed on
    /// the way: `(depth, slot, is_with)`, innermost first.
    fn resolve_dyn(&self, name: &str) -> (Resolved, Vec<(u16, u16, bool)>) {
        let mut checks = Vec::new();
        let mut depth = 0;
        let hidden = |get: &dyn Fn(&str) -> Option<u16>, depth: u16, checks: &mut Vec<_>| {
            if let Some(slot) = get(capture::WITH) {
                checks.push((depth, slot, true));
            }
            if let Some(slot) = get(capture::VARS) {
                checks.push((depth, slot, false));
            }
        };
        for s in self.scopes.iter().rev() {
            match s.bindings.get(name) {
                Some(Binding::Reg(r)) => return (Resolved::Reg(*r), checks),
                Some(Binding::Env(slot)) => return (Resolved::Env { depth, slot: *slot }, checks),
                None => {}
            }
            if s.has_env {
                if s.dynamic {
                    let get = |n: &str| match s.bindings.get(n) {
                        Some(Binding::Env(slot)) => Some(*slot),
                        _ => None,
                    };
                    hidden(&get, depth, &mut checks);
                }
                depth += 1;
            }
        }
        for layer in &self.outer {
            if let Some(&slot) = layer.get(name) {
                return (Resolved::Env { depth, slot }, checks);
            }
            let get = |n: &str| layer.get(n).copied();
            hidden(&get, depth, &mut checks);
            depth += 1;
        }
        (Resolved::Global, checks)
    }

    /// The dynamic lookup site for `name`, when a `with` or eval-declared variables may hold it.
    fn dyn_site(&self, name: &str) -> Option<DynSite> {
        if !self.any_dynamic() || capture::is_hidden(name) {
            return None;
        }
        let (r, checks) = self.resolve_dyn(name);
        if checks.is_empty() {
            return None;
        }
        let fallback = match r {
            Resolved::Reg(r) => DynFallback::Reg(r.0),
            Resolved::Env { depth, slot } => DynFallback::Env {
                depth,
                slot,
                tdz: self.lexicals.contains(name),
            },
            Resolved::Global => DynFallback::Global,
        };
        Some(DynSite {
            name: 0,
            checks: checks.into(),
            fallback,
        })
    }

    /// Adds a dynamic lookup site for `name`; its index.
    fn add_dyn_site(&mut self, name: &str, mut site: DynSite) -> Const {
        site.name = self.constant(Constant::String(name.to_string())).0;
        self.proto.sites.push(ScopeSite::Dyn(site));
        Const(self.proto.sites.len() as u16 - 1)
    }

    /// Opens a scope whose own declarations are `names`; the captured ones get an environment.
    fn open_scope(&mut self, names: &[Box<str>], span: Span) -> CResult<()> {
        let captured: Vec<&Box<str>> = names
            .iter()
            .filter(|n| self.capture_all || self.captured.contains(*n) || n.starts_with('%'))
            .collect();
        let mut scope = Scope {
            dynamic: names
                .iter()
                .any(|n| &**n == capture::VARS || &**n == capture::WITH),
            ..Scope::default()
        };
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

    /// Records `names` as the innermost scope's lexical ones (for a direct eval's checks).
    fn mark_lexical(&mut self, names: &[Box<str>]) {
        if self.capture_all {
            if let Some(s) = self.scopes.last_mut() {
                s.lexical.extend(names.iter().cloned());
            }
        }
    }

    /// What a direct eval called here needs to know (see [`EvalSite`]).
    fn eval_site(&self) -> EvalSite {
        let mut layers: Vec<EvalLayer> = self
            .scopes
            .iter()
            .rev()
            .filter(|s| s.has_env)
            .map(|s| EvalLayer {
                slots: s
                    .bindings
                    .iter()
                    .filter_map(|(n, b)| match b {
                        Binding::Env(slot) => Some((n.clone(), *slot)),
                        Binding::Reg(_) => None,
                    })
                    .collect(),
                lexical: s.lexical.iter().cloned().collect(),
            })
            .collect();
        for (i, l) in self.outer.iter().enumerate() {
            layers.push(EvalLayer {
                slots: l.iter().map(|(n, s)| (n.clone(), *s)).collect(),
                lexical: self
                    .outer_lex
                    .get(i)
                    .map(|x| x.iter().cloned().collect())
                    .unwrap_or_default(),
            });
        }
        let mut consts: Vec<Box<str>> = self.outer_consts.iter().cloned().collect();
        consts.extend(self.global_consts.iter().cloned());
        for sc in &self.scopes {
            consts.extend(sc.consts.iter().cloned());
        }
        EvalSite {
            layers,
            strict: self.strict,
            script_top: matches!(self.resolve(capture::VARS), Resolved::Global)
                && self.proto.kind == FnKind::TopLevel,
            super_prop: !self.is_script || self.proto.kind != FnKind::TopLevel,
            super_call: matches!(self.resolve(capture::ACTIVE_FN), Resolved::Env { .. }),
            consts,
            lexicals: self.lexicals.iter().cloned().collect(),
        }
    }

    fn close_scope(&mut self, span: Span) {
        let s = self.scopes.pop().expect("a scope");
        for b in s.bindings.values() {
            if let Binding::Reg(r) = b {
                self.uninit.remove(&r.0);
            }
        }
        if s.has_env {
            self.emit(Op::PopEnv, span);
        }
    }

    /// `R[dst]` = slot `slot` of the environment `depth` levels out.
    fn load_env(&mut self, dst: Reg, depth: u16, slot: u16, span: Span) {
        self.emit(
            Op::GetEnv {
                dst,
                depth: Count(depth),
                slot: Count(slot),
            },
            span,
        );
    }

    /// `R[src]` into slot `slot` of this function's own (innermost) environment.
    fn store_own_env(&mut self, src: Reg, slot: u16, span: Span) {
        self.emit(
            Op::SetEnv {
                src,
                depth: Count(0),
                slot: Count(slot),
            },
            span,
        );
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
        if let Binding::Reg(r) = b {
            self.uninit.remove(&r.0);
        }
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
            Op::JmpNullish { offset: o, .. }
            | Op::JmpUndefined { offset: o, .. }
            | Op::IterNext { offset: o, .. }
            | Op::ForInNext { offset: o, .. }
            | Op::ResumeMode { offset: o, .. }
            | Op::IterResultValue { offset: o, .. }
            | Op::AsyncIterClose { offset: o, .. }
            | Op::Try { offset: o, .. } => *o = offset,
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
        let names = lexical_names(body);
        self.open_scope(&names, span)?;
        self.mark_lexical(&names);
        self.predeclare_lexicals(body, span)?;
        self.hoist_functions(body)?;
        for s in body {
            self.stmt(s)?;
        }
        self.close_scope(span);
        self.release(mark);
        Ok(())
    }

    /// Gives the let/const/class bindings of a block their registers at block entry, holding
    /// the TDZ marker until their declarations run.
    fn predeclare_lexicals(&mut self, body: &[Stmt], span: Span) -> CResult<()> {
        let mut names = Vec::new();
        for s in body {
            match &s.kind {
                StmtKind::Var(d) if d.kind != VarKind::Var => names.extend(pattern_names_of(d)),
                StmtKind::Class(c) => names.extend(c.name.as_ref().map(|n| n.name.clone())),
                _ => {}
            }
        }
        if self.at_script_top() {
            // Script-level let/const/class are globals in their TDZ until declared.
            for n in names {
                let k = self.constant(Constant::String(n.to_string()));
                self.emit(
                    Op::DeclareGlobal {
                        name: k,
                        kind: Count(1),
                    },
                    span,
                );
            }
            return Ok(());
        }
        for n in names {
            self.lexicals.insert(n.clone());
            if self
                .scopes
                .last()
                .is_some_and(|s| s.bindings.contains_key(&n))
            {
                continue;
            }
            let r = self.temp(span)?;
            self.emit(Op::LoadHole { dst: r }, span);
            self.scopes
                .last_mut()
                .expect("a scope")
                .bindings
                .insert(n, Binding::Reg(r));
            self.uninit.insert(r.0);
        }
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
                let r = self.temp(span)?;
                match e {
                    Some(e) => self.expr_into(e, r)?,
                    None => {
                        self.emit(Op::LoadUndefined { dst: r }, span);
                    }
                }
                if self.proto.co == CoKind::AsyncGenerator {
                    self.await_into(r, r, span)?;
                }
                self.emit_return(r, span)?;
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
            StmtKind::Break(label) => {
                self.loop_exit(true, label.as_ref().map(|l| &*l.name), span)?
            }
            StmtKind::Continue(label) => {
                self.loop_exit(false, label.as_ref().map(|l| &*l.name), span)?
            }
            StmtKind::Throw(e) => {
                let mark = self.next_reg;
                let r = self.expr(e)?;
                self.emit(Op::Throw { src: r }, span);
                self.release(mark);
            }
            StmtKind::Empty | StmtKind::Debugger => {}
            StmtKind::Labeled(label, body) => {
                self.pending_labels.push(label.name.clone());
                let is_loop = matches!(
                    body.kind,
                    StmtKind::For { .. }
                        | StmtKind::ForIn(..)
                        | StmtKind::ForOf { .. }
                        | StmtKind::While(..)
                        | StmtKind::DoWhile(..)
                        | StmtKind::Labeled(..)
                );
                if is_loop {
                    self.stmt(body)?;
                } else {
                    self.push_breakable(false, None);
                    self.stmt(body)?;
                    let end = self.here();
                    self.end_loop(end, end);
                }
            }
            StmtKind::Class(c) => {
                let mark = self.next_reg;
                let name = c.name.as_ref().map(|n| n.name.clone()).unwrap_or_default();
                let t = self.temp(span)?;
                self.class(c, &name, t)?;
                self.declare_and_init(&name, VarKind::Let, t, span)?;
                self.release(mark.max(self.next_reg_after_locals()));
            }
            StmtKind::ForIn(head, obj, body) => self.for_in(head, obj, body, span)?,
            StmtKind::ForOf {
                head,
                iterable,
                body,
                is_await,
            } => {
                if *is_await {
                    self.for_await(head, iterable, body, span)?
                } else {
                    self.for_of(head, iterable, body, span)?
                }
            }
            StmtKind::Try {
                block,
                handler,
                finalizer,
            } => self.try_stmt(block, handler.as_deref(), finalizer.as_deref(), span)?,
            StmtKind::Switch(disc, cases) => self.switch(disc, cases, span)?,
            StmtKind::With(obj, body) => {
                // Sloppy code only (the early errors refuse it in strict code). The body's
                // names resolve through the object first (`GetDyn`/`SetDyn`).
                let mark = self.next_reg;
                let t = self.temp(span)?;
                self.expr_into(obj, t)?;
                self.emit(Op::ToObject { dst: t, src: t }, span);
                self.open_scope(&[capture::WITH.into()], span)?;
                self.init_binding(self.binding_of(capture::WITH), t, span);
                self.release(mark);
                self.stmt(body)?;
                self.close_scope(span);
            }
        }
        Ok(())
    }

    /// Returns R[r] from the function: runs the `finally` blocks being left and closes the
    /// iterators of the for-of loops being left first.
    fn emit_return(&mut self, r: Reg, span: Span) -> CResult<()> {
        self.unwind_tries(0, span)?;
        let iters: Vec<Reg> = self.loops.iter().filter_map(|l| l.iter).collect();
        for it in iters.into_iter().rev() {
            self.close_iter(it, span)?;
        }
        self.sync_this(span)?;
        self.emit(Op::Return { src: r }, span);
        Ok(())
    }

    /// In a derived constructor whose `this` lives in its environment (an arrow may call
    /// `super()`), copies it to the frame before a return, which checks it.
    fn sync_this(&mut self, span: Span) -> CResult<()> {
        if self.proto.kind != FnKind::DerivedCtor {
            return Ok(());
        }
        if let Resolved::Env { depth, slot } = self.resolve(capture::THIS) {
            let t = self.temp(span)?;
            self.load_env(t, depth, slot, span);
            self.emit(Op::SyncThis { src: t }, span);
            self.release(t.0 as u16);
        }
        Ok(())
    }

    /// `this`: the frame's (an arrow's is its creator's, copied when it was made), or, in a
    /// derived constructor and its arrows, the constructor's environment slot (checked: it is
    /// uninitialised until `super()` returns).
    fn load_this(&mut self, dst: Reg, span: Span) {
        match self.resolve(capture::THIS) {
            Resolved::Env { depth, slot } => {
                self.load_env(dst, depth, slot, span);
                self.emit(Op::CheckThis { src: dst }, span);
            }
            _ => {
                self.emit(Op::LoadThis { dst }, span);
            }
        }
    }

    /// `await R[src]` into R[dst] (a throw resumption throws at this point).
    fn await_into(&mut self, src: Reg, dst: Reg, span: Span) -> CResult<()> {
        let mark = self.next_reg;
        let t = self.temp(span)?;
        self.temp(span)?;
        self.emit(
            Op::Yield {
                dst: t,
                src,
                kind: Count(2),
            },
            span,
        );
        self.emit(
            Op::ResumeMode {
                reg: t,
                offset: Jump(0),
            },
            span,
        );
        self.emit(Op::Move { dst, src: t }, span);
        self.release(mark);
        Ok(())
    }

    /// `yield R[src]` into R[dst]: a throw resumption throws here, a return resumption returns
    /// from the generator (running the `finally` blocks being left).
    fn yield_into(&mut self, src: Reg, dst: Reg, span: Span) -> CResult<()> {
        let mark = self.next_reg;
        let t = self.temp(span)?;
        self.temp(span)?;
        if self.proto.co == CoKind::AsyncGenerator {
            // An async generator awaits the value it yields (ECMA-262 §27.6.3.8).
            self.await_into(src, t, span)?;
            self.emit(
                Op::Yield {
                    dst: t,
                    src: t,
                    kind: Count(1),
                },
                span,
            );
        } else {
            self.emit(
                Op::Yield {
                    dst: t,
                    src,
                    kind: Count(1),
                },
                span,
            );
        }
        let dispatch = self.emit(
            Op::ResumeMode {
                reg: t,
                offset: Jump(0),
            },
            span,
        );
        if self.proto.co == CoKind::AsyncGenerator {
            self.await_into(t, t, span)?;
        }
        self.emit_return(t, span)?;
        let here = self.here();
        self.patch(dispatch, here);
        self.emit(Op::Move { dst, src: t }, span);
        self.release(mark);
        Ok(())
    }

    /// `yield* R[src]` into R[dst] in a generator (ECMA-262 §15.5.5): every resumption is
    /// forwarded to the inner iterator (`DelegateStep`), whose results pass through.
    fn yield_star_into(&mut self, src: Reg, dst: Reg, span: Span) -> CResult<()> {
        if self.proto.co == CoKind::AsyncGenerator {
            return self.async_yield_star_into(src, dst, span);
        }
        let mark = self.next_reg;
        let iter = self.temp(span)?;
        self.temp(span)?;
        let recv = self.temp(span)?;
        let mode = self.temp(span)?;
        let t = self.temp(span)?;
        let action = self.temp(span)?;
        let k = self.temp(span)?;
        let c = self.temp(span)?;
        self.emit(
            Op::GetIterator {
                iter,
                src,
                kind: Count(0),
            },
            span,
        );
        self.emit(Op::LoadUndefined { dst: recv }, span);
        self.emit(
            Op::LoadInt {
                dst: mode,
                value: Count(0),
            },
            span,
        );
        let top = self.here();
        self.emit(Op::DelegateStep { dst: t, iter, recv }, span);
        let to_done = self.jump_if_int(action, 1, (k, c), true, span);
        let to_yield = self.jump_if_int(action, 2, (k, c), false, span);
        self.emit_return(t, span)?;
        let here = self.here();
        self.patch(to_yield, here);
        self.emit(
            Op::Yield {
                dst: recv,
                src: t,
                kind: Count(3),
            },
            span,
        );
        let back = self.emit(Op::Jmp { offset: Jump(0) }, span);
        self.patch(back, top);
        let here = self.here();
        self.patch(to_done, here);
        self.emit(Op::Move { dst, src: t }, span);
        let _ = mode;
        self.release(mark);
        Ok(())
    }

    /// `yield*` in an async generator (ECMA-262 §15.5.5, generatorKind async): the inner
    /// iterator is async (or a wrapped sync one), each of its results is awaited, and the
    /// values are yielded one by one.
    fn async_yield_star_into(&mut self, src: Reg, dst: Reg, span: Span) -> CResult<()> {
        let mark = self.next_reg;
        let iter = self.temp(span)?;
        self.temp(span)?;
        let recv = self.temp(span)?;
        let mode = self.temp(span)?;
        let t = self.temp(span)?;
        let action = self.temp(span)?;
        let k = self.temp(span)?;
        let c = self.temp(span)?;
        self.emit(
            Op::GetIterator {
                iter,
                src,
                kind: Count(1),
            },
            span,
        );
        self.emit(Op::LoadUndefined { dst: recv }, span);
        self.emit(
            Op::LoadInt {
                dst: mode,
                value: Count(0),
            },
            span,
        );
        let top = self.here();
        self.emit(Op::AsyncDelegateCall { dst: t, iter, recv }, span);
        let has_result = self.jump_if_int(action, 2, (k, c), false, span);
        // A return resumption and no `return` method: return the (awaited) received value.
        self.await_into(t, t, span)?;
        self.emit_return(t, span)?;
        let here = self.here();
        self.patch(has_result, here);
        self.await_into(t, t, span)?;
        self.emit(
            Op::DelegateResult {
                dst: t,
                src: t,
                recv,
            },
            span,
        );
        let to_done = self.jump_if_int(action, 1, (k, c), true, span);
        let to_yield = self.jump_if_int(action, 2, (k, c), false, span);
        self.emit_return(t, span)?;
        let here = self.here();
        self.patch(to_yield, here);
        self.emit(
            Op::Yield {
                dst: recv,
                src: t,
                kind: Count(1),
            },
            span,
        );
        // A return resumption awaits the value first (AsyncGeneratorYield).
        let not_return = self.jump_if_int(mode, 2, (k, c), false, span);
        self.await_into(recv, recv, span)?;
        let here = self.here();
        self.patch(not_return, here);
        let back = self.emit(Op::Jmp { offset: Jump(0) }, span);
        self.patch(back, top);
        let here = self.here();
        self.patch(to_done, here);
        self.emit(Op::Move { dst, src: t }, span);
        self.release(mark);
        Ok(())
    }

    /// Emits `R[c] := R[x] === n` (with `n` loaded into R[k]) and a forward jump taken when
    /// that is `when_equal`; returns the jump to patch (the delegation loops' dispatch on a
    /// step's action and the resumption mode).
    fn jump_if_int(
        &mut self,
        x: Reg,
        n: u16,
        (k, c): (Reg, Reg),
        when_equal: bool,
        span: Span,
    ) -> usize {
        self.emit(
            Op::LoadInt {
                dst: k,
                value: Count(n),
            },
            span,
        );
        self.emit(Op::StrictEq { dst: c, a: x, b: k }, span);
        let offset = Jump(0);
        if when_equal {
            self.emit(Op::JmpTrue { cond: c, offset }, span)
        } else {
            self.emit(Op::JmpFalse { cond: c, offset }, span)
        }
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
        self.push_breakable(true, None);
        self.stmt(body)
    }

    /// Opens a break target (a loop, a switch or a labelled statement) with the pending labels.
    fn push_breakable(&mut self, is_loop: bool, iter: Option<Reg>) {
        let env_depth = self.env_depth();
        let labels = std::mem::take(&mut self.pending_labels);
        self.loops.push(Loop {
            breaks: Vec::new(),
            continues: Vec::new(),
            env_depth,
            try_depth: self.tries.len(),
            labels,
            is_loop,
            iter,
        });
    }

    /// `break` or `continue`, optionally labelled: leave the `try` regions inside the target
    /// (running their `finally` blocks), close for-of iterators, pop the environments, jump.
    fn loop_exit(&mut self, is_break: bool, label: Option<&str>, span: Span) -> CResult<()> {
        let target = self.loops.iter().rposition(|l| match label {
            Some(name) => l.labels.iter().any(|x| &**x == name),
            None => l.is_loop || is_break,
        });
        let Some(t) = target else {
            return unsupported("break or continue without a target", span);
        };
        let (try_depth, env_depth) = (self.loops[t].try_depth, self.loops[t].env_depth);
        self.unwind_tries(try_depth, span)?;
        // Close the iterators of the for-of loops being left. The handler that closes the
        // target loop's iterator on an exception sits below its `try_depth` (see
        // `iteration_body`): a break pops it before calling `return()`.
        let close: Vec<Reg> = self.loops[t..]
            .iter()
            .enumerate()
            .filter(|(i, _)| is_break || *i > 0)
            .filter_map(|(_, l)| l.iter)
            .collect();
        let target_iter = if is_break { self.loops[t].iter } else { None };
        for r in close.into_iter().rev() {
            if Some(r) == target_iter {
                self.emit(Op::EndTry, span);
            }
            self.close_iter(r, span)?;
        }
        for _ in env_depth..self.env_depth() {
            self.emit(Op::PopEnv, span);
        }
        let j = self.emit(Op::Jmp { offset: Jump(0) }, span);
        let l = &mut self.loops[t];
        if is_break {
            l.breaks.push(j);
        } else {
            l.continues.push(j);
        }
        Ok(())
    }

    /// Leaves the `try` regions above `depth`: pops each handler and runs its `finally`
    /// block inline (compiled as if the regions above it were already gone).
    fn unwind_tries(&mut self, depth: usize, span: Span) -> CResult<()> {
        for i in (depth..self.tries.len()).rev() {
            self.emit(Op::EndTry, span);
            if let Some(fin) = self.tries[i].clone() {
                let saved = self.tries.split_off(i);
                let loops_saved = self.loops.len();
                let r = self.block(&fin, span);
                debug_assert_eq!(self.loops.len(), loops_saved);
                self.tries.extend(saved);
                r?;
            }
        }
        Ok(())
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
            let mark = self.next_reg;
            let PatternKind::Ident(id) = &decl.target.kind else {
                let v = self.temp(decl.span)?;
                match &decl.init {
                    Some(init) => self.expr_into(init, v)?,
                    None => {
                        self.emit(Op::LoadUndefined { dst: v }, decl.span);
                    }
                }
                self.bind_pattern(&decl.target, v, Some(d.kind))?;
                self.release(mark.max(self.next_reg_after_locals()));
                continue;
            };
            if d.kind == VarKind::Const {
                self.note_const(&id.name);
            }
            if d.kind != VarKind::Var {
                self.lexicals.insert(id.name.clone());
            }
            if d.kind == VarKind::Var && !self.at_script_top() {
                // `var` was declared when the function began; this is an assignment.
                if let Some(init) = &decl.init {
                    let v = self.temp(decl.span)?;
                    self.init_named(init, &id.name, v)?;
                    self.store_name(&id.name, v, decl.span)?;
                }
                self.release(mark);
                continue;
            }
            if d.kind == VarKind::Var && decl.init.is_none() && self.at_script_top() {
                // `var x;` at the top level only declares (it keeps an existing value).
                let name = self.constant(Constant::String(id.name.to_string()));
                self.emit(
                    Op::DeclareGlobal {
                        name,
                        kind: Count(0),
                    },
                    decl.span,
                );
                continue;
            }
            match self.declare(&id.name, decl.span)? {
                Some(Binding::Reg(r)) => {
                    match &decl.init {
                        Some(init) => self.init_named(init, &id.name, r)?,
                        None => {
                            self.emit(Op::LoadUndefined { dst: r }, decl.span);
                        }
                    }
                    self.uninit.remove(&r.0);
                }
                Some(b) => {
                    let v = self.temp(decl.span)?;
                    match &decl.init {
                        Some(init) => self.init_named(init, &id.name, v)?,
                        None => {
                            self.emit(Op::LoadUndefined { dst: v }, decl.span);
                        }
                    }
                    self.init_binding(b, v, decl.span);
                }
                None => {
                    // A global (script top level).
                    let v = self.temp(decl.span)?;
                    match &decl.init {
                        Some(init) => self.init_named(init, &id.name, v)?,
                        None => {
                            self.emit(Op::LoadUndefined { dst: v }, decl.span);
                        }
                    }
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

    fn note_const(&mut self, name: &str) {
        if self.at_script_top() {
            self.global_consts.insert(name.into());
        } else if let Some(s) = self.scopes.last_mut() {
            s.consts.insert(name.into());
        }
    }

    /// Whether `name`, seen from here, is a `const` binding.
    fn is_const(&self, name: &str) -> bool {
        for s in self.scopes.iter().rev() {
            if s.bindings.contains_key(name) {
                return s.consts.contains(name);
            }
        }
        for layer in &self.outer {
            if layer.contains_key(name) {
                return self.outer_consts.contains(name);
            }
        }
        self.global_consts.contains(name)
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
        let name = f
            .name
            .as_ref()
            .map(|n| n.name.to_string())
            .unwrap_or_default();
        self.function_into(f, dst, span, fn_kind(f.kind), &name, Vec::new(), f.span)
    }

    /// Compiles a nested function and emits the closure creation into `dst`.
    #[allow(clippy::too_many_arguments)]
    fn function_into(
        &mut self,
        f: &Function,
        dst: Reg,
        span: Span,
        kind: FnKind,
        name: &str,
        fields: Vec<InstanceElement>,
        src_span: Span,
    ) -> CResult<()> {
        let mut inner = FnCompiler::new(name, false);
        inner.proto.kind = kind;
        inner.proto.co = match (f.is_async, f.is_generator) {
            (false, false) => CoKind::None,
            (false, true) => CoKind::Generator,
            (true, false) => CoKind::Async,
            (true, true) => CoKind::AsyncGenerator,
        };
        inner.proto.span = src_span;
        inner.proto.def_start = f.span.start;
        inner.fields = fields;
        inner.self_name = f.name.as_ref().map(|n| n.name.clone());
        inner.captured = capture::free_in_nested(&f.params, &f.body);
        inner.strict = self.strict
            || matches!(kind, FnKind::ClassCtor | FnKind::DerivedCtor)
            || has_use_strict(&f.body);
        let (own_eval, any_eval) = capture::direct_eval_in(&f.params, &f.body);
        inner.capture_all = any_eval || inner.captured.contains(capture::EVAL);
        if own_eval {
            // The eval code may use this function's `this`, `new.target` and `super()`.
            for n in [capture::THIS, capture::NEW_TARGET, capture::ACTIVE_FN] {
                inner.captured.insert(n.into());
            }
        }
        for e in &inner.fields {
            if let InstanceElement::Field { init: Some(x), .. } = e {
                inner.captured.extend(capture::free_in_nested_expr(x));
            }
        }
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
        if inner.capture_all {
            let mut lex: Vec<HashSet<Box<str>>> = self
                .scopes
                .iter()
                .rev()
                .filter(|s| s.has_env)
                .map(|s| s.lexical.clone())
                .collect();
            lex.extend(self.outer_lex.iter().cloned());
            lex.resize(outer.len(), HashSet::new());
            inner.outer_lex = lex;
        }
        inner.outer_dynamic = outer
            .iter()
            .any(|l| l.contains_key(capture::VARS) || l.contains_key(capture::WITH));
        inner.proto.env_names = outer
            .iter()
            .map(|layer| {
                let len = layer.values().map(|&s| s as usize + 1).max().unwrap_or(0);
                let mut names: Vec<Box<str>> = vec![Box::from(""); len];
                for (n, &slot) in layer {
                    names[slot as usize] = n.clone();
                }
                names
            })
            .collect();
        // A non-arrow function has its own `this`, `new.target` and active function; so do
        // field initialisers (compiled inline in the constructor) for `new.target`.
        if kind != FnKind::Arrow {
            for layer in &mut outer {
                for n in [capture::THIS, capture::NEW_TARGET, capture::ACTIVE_FN] {
                    layer.remove(n);
                }
            }
        } else if self.in_field_init {
            for layer in &mut outer {
                for n in [capture::NEW_TARGET, capture::ACTIVE_FN] {
                    layer.remove(n);
                }
            }
        }
        // An arrow that may call `super()` initialises the instance's fields after it.
        if kind == FnKind::Arrow && !self.in_field_init && inner.fields.is_empty() {
            inner.fields = self.fields.clone();
        }
        inner.outer = outer;
        inner.lexicals = self.lexicals.clone();
        inner.global_consts = self.global_consts.clone();
        inner.outer_consts = self.outer_consts.clone();
        for sc in &self.scopes {
            inner.outer_consts.extend(sc.consts.iter().cloned());
        }
        // Parameters: the first `nparams` registers receive the arguments.
        let simple: Vec<Option<Box<str>>> = f
            .params
            .iter()
            .map(|p| match (&p.target.kind, &p.default, p.rest) {
                (PatternKind::Ident(id), None, false) => Some(id.name.clone()),
                _ => None,
            })
            .collect();
        let nparams = f.params.iter().filter(|p| !p.rest).count();
        inner.proto.nparams = nparams as u16;
        inner.proto.length = f
            .params
            .iter()
            .take_while(|p| p.default.is_none() && !p.rest)
            .count() as u16;
        let mut param_regs = Vec::new();
        for _ in 0..nparams {
            param_regs.push(inner.temp(span)?);
        }
        // The function scope: parameters, `var`s and top-level declarations; captured ones go
        // to the function's environment.
        let mut names: Vec<Box<str>> = Vec::new();
        for p in &f.params {
            pattern_names(&p.target, &mut names);
        }
        let mut vars = Vec::new();
        var_names(&f.body, &mut vars);
        names.extend(vars.iter().cloned());
        names.extend(lexical_names(&f.body));
        // A function with a direct eval has its `arguments` by name (its arrows' too), and a
        // sloppy one an object for the variables the eval code declares.
        let add_arguments = inner.capture_all
            && !matches!(kind, FnKind::Arrow)
            && !names.iter().any(|n| &**n == "arguments");
        if add_arguments {
            names.push("arguments".into());
        }
        if own_eval && !inner.strict {
            names.push(capture::VARS.into());
        }
        // The hidden bindings the function's arrows read from its environment.
        let hidden: &[&str] = match kind {
            FnKind::DerivedCtor => &[capture::THIS, capture::NEW_TARGET, capture::ACTIVE_FN],
            FnKind::Arrow => &[],
            _ => &[capture::NEW_TARGET],
        };
        for &n in hidden {
            if inner.captured.contains(n) {
                names.push(n.into());
            }
        }
        inner.scopes.clear();
        inner.open_scope(&names, f.span)?;
        if inner.capture_all {
            let mut lex = Vec::new();
            for s in &f.body {
                if let StmtKind::Var(d) = &s.kind {
                    if d.kind != VarKind::Var {
                        lex.extend(pattern_names_of(d));
                    }
                } else if let StmtKind::Class(c) = &s.kind {
                    lex.extend(c.name.as_ref().map(|n| n.name.clone()));
                }
            }
            inner.scopes[0].lexical.extend(lex);
        }
        if add_arguments {
            if let Some(b) = inner.scopes[0].bindings.get("arguments").copied() {
                let t = inner.temp(f.span)?;
                inner.emit(Op::CreateArguments { dst: t }, f.span);
                inner.init_binding(b, t, f.span);
                inner.release(t.0 as u16);
            }
        }
        for (n, load) in [
            (capture::NEW_TARGET, Op::LoadNewTarget { dst: Reg(0) }),
            (capture::ACTIVE_FN, Op::LoadCallee { dst: Reg(0) }),
        ] {
            if !hidden.contains(&n) {
                continue;
            }
            if let Some(Binding::Env(slot)) = inner.scopes[0].bindings.get(n).copied() {
                let t = inner.temp(f.span)?;
                let load = match load {
                    Op::LoadNewTarget { .. } => Op::LoadNewTarget { dst: t },
                    _ => Op::LoadCallee { dst: t },
                };
                inner.emit(load, f.span);
                inner.store_own_env(t, slot, f.span);
                inner.release(t.0 as u16);
            }
        }
        // Captured `var`s start as undefined (the environment's slots start in the TDZ).
        for v in &vars {
            if let Some(Binding::Env(slot)) = inner.scopes[0].bindings.get(v).copied() {
                let t = inner.temp(f.span)?;
                inner.emit(Op::LoadUndefined { dst: t }, f.span);
                inner.store_own_env(t, slot, f.span);
                inner.release(t.0 as u16);
            }
        }
        for (i, p) in f.params.iter().enumerate() {
            if let Some(n) = &simple[i] {
                let r = param_regs[i];
                match inner.scopes[0].bindings.get(n).copied() {
                    Some(Binding::Env(slot)) => {
                        inner.emit(
                            Op::SetEnv {
                                src: r,
                                depth: Count(0),
                                slot: Count(slot),
                            },
                            f.span,
                        );
                    }
                    _ => {
                        inner.scopes[0].bindings.insert(n.clone(), Binding::Reg(r));
                    }
                }
                continue;
            }
            let src = if p.rest {
                let r = inner.temp(span)?;
                inner.emit(
                    Op::Rest {
                        dst: r,
                        from: Count(i as u16),
                    },
                    p.target.span,
                );
                r
            } else {
                param_regs[i]
            };
            if let Some(d) = &p.default {
                inner.apply_default(src, d, p.target.span)?;
            }
            inner.bind_pattern(&p.target, src, Some(VarKind::Let))?;
        }
        for v in vars {
            if !inner.scopes[0].bindings.contains_key(&v) {
                let r = inner.temp(f.span)?;
                inner.emit(Op::LoadUndefined { dst: r }, f.span);
                inner.scopes[0].bindings.insert(v, Binding::Reg(r));
            }
        }
        // The private names the function's own code uses are loaded once, here, into
        // registers: they never change while it runs, and `this.#x` in a loop then costs one
        // instruction, as `this.x` does.
        for n in capture::private_refs(f) {
            if let Resolved::Env { .. } = inner.resolve(&n) {
                let r = inner.temp(f.span)?;
                inner.load_name(&n, r, f.span)?;
                inner.scopes[0].bindings.insert(n, Binding::Reg(r));
            }
        }
        if kind == FnKind::ClassCtor {
            inner.emit_fields(f.span)?;
        }
        inner.predeclare_lexicals(&f.body, f.span)?;
        inner.hoist_functions(&f.body)?;
        if matches!(inner.proto.co, CoKind::Generator | CoKind::AsyncGenerator) {
            // The call returns the generator object here, after the parameters are bound.
            let t = inner.temp(f.span)?;
            inner.temp(f.span)?;
            inner.emit(Op::LoadUndefined { dst: t }, f.span);
            inner.emit(
                Op::Yield {
                    dst: t,
                    src: t,
                    kind: Count(0),
                },
                f.span,
            );
            inner.release(t.0 as u16);
        }
        for s in &f.body {
            inner.stmt(s)?;
        }
        let r = inner.temp(f.span)?;
        inner.emit(Op::LoadUndefined { dst: r }, f.span);
        inner.sync_this(f.span)?;
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
                if !self.uninit.contains(&r.0) {
                    return Ok(r);
                }
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
                let k = self.string_constant(u);
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
                let j = self.logical_skip(*op, dst, span);
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
            ExprKind::Unary(UnaryOp::Delete, x) => self.delete(x, dst, span)?,
            ExprKind::Unary(UnaryOp::Typeof, x) if matches!(&x.kind, ExprKind::Ident(n) if self.dyn_site(n).is_some()) =>
            {
                let ExprKind::Ident(n) = &x.kind else {
                    unreachable!()
                };
                let site = self.dyn_site(n).expect("a dynamic name");
                let site = self.add_dyn_site(n, site);
                self.emit(
                    Op::GetDyn {
                        dst,
                        site,
                        mode: Count(1),
                    },
                    span,
                );
                self.emit(Op::TypeOf { dst, src: dst }, span);
            }
            ExprKind::Unary(UnaryOp::Typeof, x)
                if matches!(&x.kind, ExprKind::Ident(n) if matches!(self.resolve(n), Resolved::Global)
                    && &**n != "arguments"
                    && self.self_name.as_deref() != Some(&**n)) =>
            {
                let ExprKind::Ident(n) = &x.kind else {
                    unreachable!()
                };
                let k = self.constant(Constant::String(n.to_string()));
                self.emit(Op::TypeOfGlobal { dst, name: k }, span);
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
                    UnaryOp::Delete => unreachable!("handled above"),
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
                optional,
            } => self.call(callee, args, *optional, dst, span)?,
            ExprKind::New { callee, args } => {
                let base = self.temp(span)?;
                let _unused = self.temp(span)?;
                self.expr_into(callee, base)?;
                let spread = self.args_into(args, span)?;
                if spread {
                    self.emit(Op::NewSpread { dst, callee: base }, span);
                } else {
                    self.emit(
                        Op::New {
                            dst,
                            callee: base,
                            argc: Count(args.len() as u16),
                        },
                        span,
                    );
                }
            }
            ExprKind::OptionalChain(inner) => {
                self.opt_exits.push(Vec::new());
                self.expr_into(inner, dst)?;
                let exits = self.opt_exits.pop().unwrap_or_default();
                let skip = self.emit(Op::Jmp { offset: Jump(0) }, span);
                let here = self.here();
                for j in exits {
                    self.patch(j, here);
                }
                self.emit(Op::LoadUndefined { dst }, span);
                let end = self.here();
                self.patch(skip, end);
            }
            ExprKind::SuperMember(prop) => {
                let mark = self.next_reg;
                let this = self.temp(span)?;
                self.load_this(this, span);
                let key = self.temp(span)?;
                match prop {
                    MemberProp::Name(n) => {
                        let k = self.constant(Constant::String(n.name.to_string()));
                        self.emit(Op::LoadConst { dst: key, idx: k }, span);
                    }
                    MemberProp::Computed(k) => self.expr_into(k, key)?,
                    MemberProp::Private(_) => return unsupported("private names", span),
                }
                self.emit(Op::GetSuper { dst, key, this }, span);
                self.release(mark);
            }
            ExprKind::SuperCall(args)
                if matches!(self.resolve(capture::ACTIVE_FN), Resolved::Env { .. }) =>
            {
                // An arrow of this constructor may call `super()` too: the constructor, its
                // `new.target` and its `this` are in its environment.
                let first = self.next_reg;
                let n = args.len() as u16;
                if !self.args_into(args, span)? {
                    self.emit(
                        Op::NewArray {
                            dst: Reg(first as u8),
                            first: Reg(first as u8),
                            count: Count(n),
                        },
                        span,
                    );
                }
                self.release(first + 1);
                let func = self.temp(span)?;
                let nt = self.temp(span)?;
                self.load_name(capture::ACTIVE_FN, func, span)?;
                self.load_name(capture::NEW_TARGET, nt, span)?;
                self.emit(
                    Op::SuperConstruct {
                        dst,
                        args: Reg(first as u8),
                    },
                    span,
                );
                self.release(first);
                let Resolved::Env { depth, slot } = self.resolve(capture::THIS) else {
                    return unsupported("super() without a this binding", span);
                };
                self.emit(
                    Op::BindThis {
                        src: dst,
                        depth: Count(depth),
                        slot: Count(slot),
                    },
                    span,
                );
                self.emit_fields(span)?;
            }
            ExprKind::SuperCall(args) => {
                let first = self.next_reg;
                let spread = self.args_into(args, span)?;
                if spread {
                    self.emit(
                        Op::SuperCallSpread {
                            dst,
                            args: Reg(first as u8),
                        },
                        span,
                    );
                } else {
                    self.emit(
                        Op::SuperCall {
                            dst,
                            first: Reg(first as u8),
                            argc: Count(args.len() as u16),
                        },
                        span,
                    );
                }
                self.release(first);
                if let Resolved::Env { depth, slot } = self.resolve(capture::THIS) {
                    self.emit(
                        Op::SetEnv {
                            src: dst,
                            depth: Count(depth),
                            slot: Count(slot),
                        },
                        span,
                    );
                }
                self.emit_fields(span)?;
            }
            // In a field initialiser (compiled inside the constructor) new.target is undefined.
            ExprKind::NewTarget if self.in_field_init => {
                self.emit(Op::LoadUndefined { dst }, span);
            }
            ExprKind::NewTarget => match self.resolve(capture::NEW_TARGET) {
                Resolved::Global => {
                    self.emit(Op::LoadNewTarget { dst }, span);
                }
                _ => self.load_name(capture::NEW_TARGET, dst, span)?,
            },
            ExprKind::Class(c) => {
                let name = c
                    .name
                    .as_ref()
                    .map(|n| n.name.to_string())
                    .unwrap_or_default();
                self.class(c, &name, dst)?;
            }
            ExprKind::RegExp { pattern, flags } => {
                let p = self.constant(Constant::String(pattern.to_string()));
                let f = self.constant(Constant::String(flags.to_string()));
                self.emit(
                    Op::NewRegExp {
                        dst,
                        pattern: p,
                        flags: f,
                    },
                    span,
                );
            }
            ExprKind::TaggedTemplate(tag, t) => self.tagged_template(tag, t, dst, span)?,
            ExprKind::Member {
                object,
                prop,
                optional,
            } => {
                let obj = self.expr(object)?;
                if *optional {
                    self.short_circuit_if_nullish(obj, span);
                }
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
                    MemberProp::Private(id) => {
                        let key = self.private_name(id)?;
                        let ic = self.ic();
                        self.emit(Op::GetPrivate { dst, obj, key, ic }, span);
                    }
                }
            }
            ExprKind::PrivateIn(id, x) => {
                let obj = self.expr(x)?;
                let key = self.private_name(id)?;
                self.emit(Op::HasPrivate { dst, key, obj }, span);
            }
            ExprKind::Object(props) => self.object_literal(props, dst, span)?,
            ExprKind::Array(elems)
                if elems.len() > 64 || elems.iter().any(|e| !matches!(e, ArrayElem::Expr(_))) =>
            {
                self.emit(
                    Op::NewArray {
                        dst,
                        first: dst,
                        count: Count(0),
                    },
                    span,
                );
                for el in elems {
                    let m = self.next_reg;
                    match el {
                        ArrayElem::Expr(x) => {
                            let r = self.expr(x)?;
                            self.emit(Op::ArrayPush { arr: dst, src: r }, span);
                        }
                        ArrayElem::Spread(x) => {
                            let r = self.expr(x)?;
                            self.emit(Op::ArraySpread { arr: dst, src: r }, span);
                        }
                        ArrayElem::Hole => {
                            let r = self.temp(span)?;
                            self.emit(Op::LoadHole { dst: r }, span);
                            self.emit(Op::ArrayPush { arr: dst, src: r }, span);
                        }
                    }
                    self.release(m);
                }
            }
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
                self.load_this(dst, span);
            }
            ExprKind::Function(f) => self.closure(f, dst, span)?,
            ExprKind::Arrow(f) => self.closure(f, dst, span)?,
            ExprKind::Yield { arg, delegate } => {
                let v = match arg {
                    Some(a) => self.expr(a)?,
                    None => {
                        let t = self.temp(span)?;
                        self.emit(Op::LoadUndefined { dst: t }, span);
                        t
                    }
                };
                if *delegate {
                    self.yield_star_into(v, dst, span)?;
                } else {
                    self.yield_into(v, dst, span)?;
                }
            }
            ExprKind::Await(a) => {
                let v = self.expr(a)?;
                self.await_into(v, dst, span)?;
            }
            ExprKind::Template(t) => {
                let k = self.constant(Constant::String(String::new()));
                self.emit(Op::LoadConst { dst, idx: k }, span);
                for (i, q) in t.quasis.iter().enumerate() {
                    if let Some(text) = q.cooked.as_ref().filter(|c| !c.0.is_empty()) {
                        let m = self.next_reg;
                        let r = self.temp(span)?;
                        let k = self.string_constant(text);
                        self.emit(Op::LoadConst { dst: r, idx: k }, span);
                        self.emit(Op::Add { dst, a: dst, b: r }, span);
                        self.release(m);
                    }
                    if let Some(x) = t.exprs.get(i) {
                        let m = self.next_reg;
                        let r = self.temp(span)?;
                        self.expr_into(x, r)?;
                        self.emit(Op::ToStr { dst: r, src: r }, x.span);
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
        if let Some(site) = self.dyn_site(name) {
            let site = self.add_dyn_site(name, site);
            self.emit(
                Op::GetDyn {
                    dst,
                    site,
                    mode: Count(0),
                },
                span,
            );
            return Ok(());
        }
        match self.resolve(name) {
            Resolved::Reg(r) => {
                if self.uninit.contains(&r.0) {
                    let k = self.constant(Constant::String(name.to_string()));
                    self.emit(Op::CheckTdz { src: r, name: k }, span);
                }
                if r != dst {
                    self.emit(Op::Move { dst, src: r }, span);
                }
            }
            Resolved::Env { depth, slot } => {
                self.load_env(dst, depth, slot, span);
                if self.lexicals.contains(name) {
                    let k = self.constant(Constant::String(name.to_string()));
                    self.emit(Op::CheckTdz { src: dst, name: k }, span);
                }
            }
            Resolved::Global if name == "undefined" => {
                self.emit(Op::LoadUndefined { dst }, span);
            }
            Resolved::Global if self.self_name.as_deref() == Some(name) => {
                self.emit(Op::LoadCallee { dst }, span);
            }
            Resolved::Global
                if name == "arguments" && !self.is_script && self.proto.kind != FnKind::Arrow =>
            {
                self.emit(Op::CreateArguments { dst }, span);
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
        if self.is_const(name) {
            let k = self.constant(Constant::String(name.to_string()));
            self.emit(Op::ThrowConst { name: k }, span);
            return Ok(());
        }
        if let Some(site) = self.dyn_site(name) {
            let site = self.add_dyn_site(name, site);
            self.emit(Op::SetDyn { src, site }, span);
            return Ok(());
        }
        match self.resolve(name) {
            Resolved::Reg(r) => {
                if self.uninit.contains(&r.0) {
                    let k = self.constant(Constant::String(name.to_string()));
                    self.emit(Op::CheckTdz { src: r, name: k }, span);
                }
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
        // Unwrap `(x) = …` and `(o.p) = …`.
        let target_expr = match &target.kind {
            PatternKind::Expr(e) => {
                let mut e: &Expr = e;
                while let ExprKind::Paren(x) = &e.kind {
                    e = x;
                }
                Some(e)
            }
            _ => None,
        };
        let ident = match (&target.kind, target_expr.map(|e| &e.kind)) {
            (PatternKind::Ident(id), _) => Some(id.name.clone()),
            (_, Some(ExprKind::Ident(n))) => Some(n.clone()),
            _ => None,
        };
        if let Some(name) = ident {
            match op {
                AssignOp::Assign => {
                    self.init_named(value, &name, dst)?;
                    self.store_name(&name, dst, span)?;
                }
                AssignOp::Bin(b) => {
                    self.load_name(&name, dst, span)?;
                    let v = self.expr(value)?;
                    self.emit(binary_op(b, dst, dst, v), span);
                    self.store_name(&name, dst, span)?;
                }
                AssignOp::Logical(l) => {
                    self.load_name(&name, dst, span)?;
                    let j = self.logical_skip(l, dst, span);
                    self.init_named(value, &name, dst)?;
                    self.store_name(&name, dst, span)?;
                    let end = self.here();
                    self.patch(j, end);
                }
            }
            return Ok(());
        }
        let member = match target_expr.map(|e| &e.kind) {
            Some(ExprKind::Member {
                object,
                prop,
                optional: false,
            }) => Some((object, prop)),
            _ => None,
        };
        let Some((object, prop)) = member else {
            if op != AssignOp::Assign {
                return unsupported("this assignment target", span);
            }
            // Destructuring assignment: the value is the result.
            self.expr_into(value, dst)?;
            return self.bind_pattern(target, dst, None);
        };
        let obj = self.expr(object)?;
        let key = self.member_key(prop)?;
        let espan = target_expr.map_or(span, |e| e.span);
        let mut skip = None;
        match op {
            AssignOp::Assign => self.expr_into(value, dst)?,
            AssignOp::Bin(b) => {
                self.member_get(key, obj, dst, espan);
                let v = self.expr(value)?;
                self.emit(binary_op(b, dst, dst, v), span);
            }
            AssignOp::Logical(l) => {
                self.member_get(key, obj, dst, espan);
                skip = Some(self.logical_skip(l, dst, span));
                self.expr_into(value, dst)?;
            }
        }
        self.member_set(key, obj, dst, espan);
        if let Some(j) = skip {
            let end = self.here();
            self.patch(j, end);
        }
        Ok(())
    }

    /// The key of a member expression being read and written (`o.p += 1`, `o[k]++`,
    /// `o.#x ??= v`), evaluated once.
    fn member_key(&mut self, prop: &MemberProp) -> CResult<MemberKey> {
        Ok(match prop {
            MemberProp::Name(n) => {
                MemberKey::Name(self.constant(Constant::String(n.name.to_string())))
            }
            MemberProp::Computed(k) => MemberKey::Elem(self.expr(k)?),
            MemberProp::Private(id) => MemberKey::Private(self.private_name(id)?),
        })
    }

    /// R[dst] := R[obj][key].
    fn member_get(&mut self, key: MemberKey, obj: Reg, dst: Reg, span: Span) {
        let op = match key {
            MemberKey::Name(name) => Op::GetProp {
                dst,
                obj,
                name,
                ic: self.ic(),
            },
            MemberKey::Elem(key) => Op::GetElem { dst, obj, key },
            MemberKey::Private(key) => Op::GetPrivate {
                dst,
                obj,
                key,
                ic: self.ic(),
            },
        };
        self.emit(op, span);
    }

    /// R[obj][key] := R[src].
    fn member_set(&mut self, key: MemberKey, obj: Reg, src: Reg, span: Span) {
        let op = match key {
            MemberKey::Name(name) => Op::SetProp {
                obj,
                name,
                src,
                ic: self.ic(),
            },
            MemberKey::Elem(key) => Op::SetElem { obj, key, src },
            MemberKey::Private(key) => Op::SetPrivate {
                obj,
                key,
                src,
                ic: self.ic(),
            },
        };
        self.emit(op, span);
    }

    /// The register holding the private name `#id` (a binding of the class scope that
    /// declares it: `private.rs`).
    fn private_name(&mut self, id: &Ident) -> CResult<Reg> {
        let name = capture::private_binding(&id.name);
        if let Some(r) = self.lookup(&name) {
            return Ok(r);
        }
        let r = self.temp(id.span)?;
        self.load_name(&name, r, id.span)?;
        Ok(r)
    }

    /// The jump of `a &&= b` / `a ||= b` / `a ??= b` that skips the assignment.
    fn logical_skip(&mut self, l: LogicalOp, v: Reg, span: Span) -> usize {
        match l {
            LogicalOp::And => self.emit(
                Op::JmpFalse {
                    cond: v,
                    offset: Jump(0),
                },
                span,
            ),
            LogicalOp::Or => self.emit(
                Op::JmpTrue {
                    cond: v,
                    offset: Jump(0),
                },
                span,
            ),
            LogicalOp::Coalesce => {
                let j = self.emit(
                    Op::JmpNullish {
                        cond: v,
                        offset: Jump(0),
                    },
                    span,
                );
                let out = self.emit(Op::Jmp { offset: Jump(0) }, span);
                let here = self.here();
                self.patch(j, here);
                out
            }
        }
    }

    /// Evaluates an initialiser into `dst`, naming an anonymous function or class after the
    /// binding (`const f = () => {}` has `f.name === 'f'`).
    fn init_named(&mut self, value: &Expr, name: &str, dst: Reg) -> CResult<()> {
        match &value.kind {
            ExprKind::Function(f) | ExprKind::Arrow(f) if f.name.is_none() => self.function_into(
                f,
                dst,
                value.span,
                fn_kind(f.kind),
                name,
                Vec::new(),
                f.span,
            ),
            ExprKind::Class(c) if c.name.is_none() => self.class(c, name, dst),
            _ => self.expr_into(value, dst),
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
        let key = self.member_key(prop)?;
        self.member_get(key, obj, old, span);
        self.emit(Op::ToNumber { dst: old, src: old }, span);
        let new = self.temp(span)?;
        let step = match op {
            UpdateOp::Inc => Op::Inc { dst: new, src: old },
            UpdateOp::Dec => Op::Dec { dst: new, src: old },
        };
        self.emit(step, span);
        self.member_set(key, obj, new, span);
        let result = if prefix { new } else { old };
        self.emit(Op::Move { dst, src: result }, span);
        Ok(())
    }

    fn call(
        &mut self,
        callee: &Expr,
        args: &[Arg],
        optional: bool,
        dst: Reg,
        span: Span,
    ) -> CResult<()> {
        let base = self.temp(span)?;
        let this = self.temp(span)?;
        let mut c = callee;
        while let ExprKind::Paren(x) = &c.kind {
            if matches!(x.kind, ExprKind::Member { .. }) {
                c = x;
            } else {
                break;
            }
        }
        match &c.kind {
            ExprKind::Member {
                object,
                prop,
                optional: member_optional,
            } => {
                self.expr_into(object, this)?;
                if *member_optional {
                    self.short_circuit_if_nullish(this, span);
                }
                match prop {
                    MemberProp::Name(n) => {
                        let name = self.constant(Constant::String(n.name.to_string()));
                        let ic = self.ic();
                        self.emit(
                            Op::GetProp {
                                dst: base,
                                obj: this,
                                name,
                                ic,
                            },
                            c.span,
                        );
                    }
                    MemberProp::Computed(k) => {
                        let key = self.expr(k)?;
                        self.emit(
                            Op::GetElem {
                                dst: base,
                                obj: this,
                                key,
                            },
                            c.span,
                        );
                        self.release(this.0 as u16 + 1);
                    }
                    MemberProp::Private(id) => {
                        let key = self.private_name(id)?;
                        let ic = self.ic();
                        self.emit(
                            Op::GetPrivate {
                                dst: base,
                                obj: this,
                                key,
                                ic,
                            },
                            c.span,
                        );
                        self.release(this.0 as u16 + 1);
                    }
                }
            }
            ExprKind::SuperMember(_) => {
                self.expr_into(c, base)?;
                self.load_this(this, span);
            }
            ExprKind::Ident(n) if self.dyn_site(n).is_some() => {
                // Through a `with` object, the object is the call's `this`.
                let site = self.dyn_site(n).expect("a dynamic name");
                let site = self.add_dyn_site(n, site);
                self.emit(
                    Op::GetDyn {
                        dst: base,
                        site,
                        mode: Count(2),
                    },
                    span,
                );
            }
            _ => {
                self.expr_into(callee, base)?;
                self.emit(Op::LoadUndefined { dst: this }, span);
            }
        }
        if optional {
            self.short_circuit_if_nullish(base, span);
        }
        let spread = self.args_into(args, span)?;
        if !optional && capture::is_eval_callee(callee) {
            // Maybe a direct eval (§13.3.6.1): the VM tells when it runs.
            let site = self.eval_site();
            self.proto.sites.push(ScopeSite::Eval(Box::new(site)));
            let site = Const(self.proto.sites.len() as u16 - 1);
            let argc = if spread { u16::MAX } else { args.len() as u16 };
            self.emit(
                Op::CallEval {
                    dst,
                    callee: base,
                    argc: Count(argc),
                    site,
                },
                span,
            );
            return Ok(());
        }
        if spread {
            self.emit(Op::CallSpread { dst, callee: base }, span);
        } else {
            self.emit(
                Op::Call {
                    dst,
                    callee: base,
                    argc: Count(args.len() as u16),
                },
                span,
            );
        }
        Ok(())
    }

    /// Inside an optional chain: if R[v] is null or undefined, the whole chain is undefined.
    fn short_circuit_if_nullish(&mut self, v: Reg, span: Span) {
        let j = self.emit(
            Op::JmpNullish {
                cond: v,
                offset: Jump(0),
            },
            span,
        );
        if let Some(e) = self.opt_exits.last_mut() {
            e.push(j);
        }
    }

    /// `tag\`a${x}b\``: the tag is called with the strings array and the substitutions.
    fn tagged_template(&mut self, tag: &Expr, t: &Template, dst: Reg, span: Span) -> CResult<()> {
        let cooked = t
            .quasis
            .iter()
            .map(|q| q.cooked.as_ref().map(|c| c.0.clone()))
            .collect();
        let raw = t.quasis.iter().map(|q| q.raw.to_string_lossy()).collect();
        let strings = self.constant(Constant::Template(cooked, raw));
        let base = self.temp(span)?;
        let this = self.temp(span)?;
        match &tag.kind {
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
                self.expr_into(tag, base)?;
                self.emit(Op::LoadUndefined { dst: this }, span);
            }
        }
        let s = self.temp(span)?;
        self.emit(
            Op::TemplateObject {
                dst: s,
                idx: strings,
            },
            span,
        );
        for x in &t.exprs {
            let r = self.temp(x.span)?;
            self.expr_into(x, r)?;
            self.release(r.0 as u16 + 1);
        }
        self.emit(
            Op::Call {
                dst,
                callee: base,
                argc: Count(t.exprs.len() as u16 + 1),
            },
            span,
        );
        Ok(())
    }

    /// `delete o.p`, `delete o[k]`; anything else is `true` (sloppy mode).
    fn delete(&mut self, x: &Expr, dst: Reg, span: Span) -> CResult<()> {
        match &x.kind {
            ExprKind::Paren(inner) => self.delete(inner, dst, span),
            ExprKind::Member { object, prop, .. } => {
                let obj = self.expr(object)?;
                let key = self.temp(span)?;
                match prop {
                    MemberProp::Name(n) => {
                        let k = self.constant(Constant::String(n.name.to_string()));
                        self.emit(Op::LoadConst { dst: key, idx: k }, span);
                    }
                    MemberProp::Computed(k) => self.expr_into(k, key)?,
                    MemberProp::Private(_) => return unsupported("private names", span),
                }
                self.emit(Op::DeleteElem { dst, obj, key }, span);
                Ok(())
            }
            ExprKind::Ident(_) => {
                self.emit(Op::LoadFalse { dst }, span);
                Ok(())
            }
            _ => {
                self.effect(x)?;
                self.emit(Op::LoadTrue { dst }, span);
                Ok(())
            }
        }
    }

    fn object_literal(&mut self, props: &[Prop], dst: Reg, span: Span) -> CResult<()> {
        let ic = self.ic();
        self.emit(Op::NewObject { dst, ic }, span);
        for p in props {
            let mark = self.next_reg;
            match p {
                Prop::Init(PropKey::Ident(n), v) if &**n == "__proto__" => {
                    let r = self.expr(v)?;
                    self.emit(Op::SetProto { obj: dst, proto: r }, span);
                }
                Prop::Init(PropKey::String(u), v) if u.to_string_lossy() == "__proto__" => {
                    let r = self.expr(v)?;
                    self.emit(Op::SetProto { obj: dst, proto: r }, span);
                }
                Prop::Init(PropKey::Ident(n), v) => {
                    let r = self.named_value(v, n)?;
                    self.define_named(dst, n, r, span)?;
                }
                // (A key with lone surrogates goes through `load_key` below.)
                Prop::Init(PropKey::String(u), v) if u.as_str_if_valid().is_some() => {
                    let name = u.to_string_lossy();
                    let r = self.named_value(v, &name)?;
                    self.define_named(dst, &name, r, span)?;
                }
                Prop::Init(key, v) => {
                    let k = self.temp(span)?;
                    self.load_key(key, k, span)?;
                    let r = self.expr(v)?;
                    if is_anonymous_function(v) {
                        self.emit(Op::SetFunctionName { func: r, key: k }, span);
                    }
                    self.emit(
                        Op::DefineField {
                            obj: dst,
                            key: k,
                            src: r,
                        },
                        span,
                    );
                }
                Prop::Shorthand(id) => {
                    let r = self.temp(span)?;
                    self.load_name(&id.name, r, id.span)?;
                    self.define_named(dst, &id.name, r, span)?;
                }
                Prop::Method(key, mk, f) => {
                    let k = self.temp(span)?;
                    self.load_key(key, k, span)?;
                    let func = self.temp(span)?;
                    let fname = static_key(key).unwrap_or_default();
                    let (fname, kind, flags) = match mk {
                        MethodKind::Get => (format!("get {fname}"), FnKind::Getter, 1 | 4),
                        MethodKind::Set => (format!("set {fname}"), FnKind::Setter, 2 | 4),
                        MethodKind::Method => (fname, FnKind::Method, 4),
                    };
                    self.function_into(f, func, span, kind, &fname, Vec::new(), f.span)?;
                    self.emit(
                        Op::DefineMethod {
                            obj: dst,
                            key: k,
                            func,
                            flags: Count(flags),
                        },
                        span,
                    );
                }
                Prop::Spread(x) => {
                    let r = self.expr(x)?;
                    self.emit(
                        Op::CopyProps {
                            dst,
                            src: r,
                            first: r,
                            count: Count(0),
                        },
                        span,
                    );
                }
                Prop::CoverInit(..) => return unsupported("this object literal", span),
            }
            self.release(mark);
        }
        Ok(())
    }

    /// The value of `name: v`: an anonymous function or class gets the property's name.
    fn named_value(&mut self, v: &Expr, name: &str) -> CResult<Reg> {
        match &v.kind {
            ExprKind::Function(f) | ExprKind::Arrow(f) if f.name.is_none() => {
                let r = self.temp(v.span)?;
                self.function_into(f, r, v.span, fn_kind(f.kind), name, Vec::new(), f.span)?;
                Ok(r)
            }
            ExprKind::Class(c) if c.name.is_none() => {
                let r = self.temp(v.span)?;
                self.class(c, name, r)?;
                Ok(r)
            }
            _ => self.expr(v),
        }
    }

    /// Defines `obj.name = src` in a literal: a plain store for ordinary names (fast, cached),
    /// a define for index-like names.
    fn define_named(&mut self, obj: Reg, name: &str, src: Reg, span: Span) -> CResult<()> {
        let is_index = !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit());
        if is_index {
            let k = self.temp(span)?;
            let c = self.constant(Constant::String(name.to_string()));
            self.emit(Op::LoadConst { dst: k, idx: c }, span);
            self.emit(Op::DefineField { obj, key: k, src }, span);
        } else {
            self.set_named(obj, name, src, span);
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
/// IsAnonymousFunctionDefinition: a function, arrow or class expression without a name (the
/// value a computed key names at run time).
fn is_anonymous_function(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Function(f) | ExprKind::Arrow(f) => f.name.is_none(),
        ExprKind::Class(c) => c.name.is_none(),
        _ => false,
    }
}

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

/// Whether a body starts with a `"use strict"` directive (written without escapes).
fn has_use_strict(body: &[Stmt]) -> bool {
    for s in body {
        let StmtKind::Expr(e) = &s.kind else {
            return false;
        };
        let ExprKind::String(u) = &e.kind else {
            return false;
        };
        if u.as_str_if_valid().as_deref() == Some("use strict") && e.span.end - e.span.start == 12 {
            return true;
        }
    }
    false
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

/// The VM's kind for a function of the AST.
fn fn_kind(k: FunctionKind) -> FnKind {
    match k {
        FunctionKind::Normal => FnKind::Normal,
        FunctionKind::Arrow => FnKind::Arrow,
        FunctionKind::Method => FnKind::Method,
        FunctionKind::Getter => FnKind::Getter,
        FunctionKind::Setter => FnKind::Setter,
        FunctionKind::ClassConstructor => FnKind::ClassCtor,
        FunctionKind::DerivedConstructor => FnKind::DerivedCtor,
    }
}

/// A property key's static name, when it has one.
fn static_key(k: &PropKey) -> Option<String> {
    match k {
        PropKey::Ident(n) => Some(n.to_string()),
        PropKey::String(u) => Some(u.to_string_lossy()),
        PropKey::Number(n) => Some(super::value::number_to_string(*n)),
        PropKey::Computed(_) | PropKey::Private(_) => None,
    }
}

impl FnCompiler {
    /// Declares `name` with `kind` in the current scope and initialises it from `src`.
    fn declare_and_init(&mut self, name: &str, kind: VarKind, src: Reg, span: Span) -> CResult<()> {
        if name.is_empty() {
            return Ok(());
        }
        if kind == VarKind::Const {
            self.note_const(name);
        }
        if kind != VarKind::Var {
            self.lexicals.insert(name.into());
        }
        match self.declare(name, span)? {
            Some(b) => self.init_binding(b, src, span),
            None => {
                let k = self.constant(Constant::String(name.to_string()));
                let ic = self.ic();
                self.emit(Op::SetGlobal { src, name: k, ic }, span);
            }
        }
        Ok(())
    }

    /// `if (R[v] === undefined) R[v] = default`.
    fn apply_default(&mut self, v: Reg, default: &Expr, span: Span) -> CResult<()> {
        let j = self.emit(
            Op::JmpUndefined {
                cond: v,
                offset: Jump(0),
            },
            span,
        );
        let skip = self.emit(Op::Jmp { offset: Jump(0) }, span);
        let here = self.here();
        self.patch(j, here);
        self.expr_into(default, v)?;
        let end = self.here();
        self.patch(skip, end);
        Ok(())
    }

    /// Binds a pattern to the value in `src`: declares (`kind`) or assigns (`None`).
    fn bind_pattern(&mut self, p: &Pattern, src: Reg, kind: Option<VarKind>) -> CResult<()> {
        let mark = self.next_reg;
        match &p.kind {
            PatternKind::Ident(id) => match kind {
                Some(VarKind::Var) if !self.at_script_top() => {
                    self.store_name(&id.name, src, p.span)?
                }
                Some(k) => self.declare_and_init(&id.name, k, src, p.span)?,
                None => self.store_name(&id.name, src, p.span)?,
            },
            PatternKind::Expr(e) => self.assign_to_target(e, src, p.span)?,
            PatternKind::Object { props, rest } => {
                let keys_first = self.next_reg;
                let mut key_regs = Vec::new();
                if rest.is_some() {
                    for _ in props {
                        key_regs.push(self.temp(p.span)?);
                    }
                }
                for (i, pr) in props.iter().enumerate() {
                    let v = self.temp(p.span)?;
                    match (&pr.key, rest.is_some()) {
                        (PropKey::Ident(n), false) => {
                            let name = self.constant(Constant::String(n.to_string()));
                            let ic = self.ic();
                            self.emit(
                                Op::GetProp {
                                    dst: v,
                                    obj: src,
                                    name,
                                    ic,
                                },
                                p.span,
                            );
                        }
                        _ => {
                            let k = match key_regs.get(i) {
                                Some(r) => *r,
                                None => self.temp(p.span)?,
                            };
                            self.load_key(&pr.key, k, p.span)?;
                            self.emit(
                                Op::GetElem {
                                    dst: v,
                                    obj: src,
                                    key: k,
                                },
                                p.span,
                            );
                        }
                    }
                    if let Some(d) = &pr.default {
                        self.apply_default(v, d, p.span)?;
                    }
                    self.bind_pattern(&pr.target, v, kind)?;
                }
                if let Some(r) = rest {
                    let o = self.temp(p.span)?;
                    let ic = self.ic();
                    self.emit(Op::NewObject { dst: o, ic }, p.span);
                    self.emit(
                        Op::CopyProps {
                            dst: o,
                            src,
                            first: Reg(keys_first as u8),
                            count: Count(key_regs.len() as u16),
                        },
                        p.span,
                    );
                    self.bind_pattern(r, o, kind)?;
                }
            }
            PatternKind::Array { elems, rest } => {
                let iter = self.temp(p.span)?;
                let _state = self.temp(p.span)?;
                self.emit(Op::GetIter { iter, src }, p.span);
                for el in elems {
                    let v = self.temp(p.span)?;
                    self.emit(Op::LoadUndefined { dst: v }, p.span);
                    self.emit(
                        Op::IterNext {
                            dst: v,
                            iter,
                            offset: Jump(0),
                        },
                        p.span,
                    );
                    if let Some(el) = el {
                        if let Some(d) = &el.default {
                            self.apply_default(v, d, p.span)?;
                        }
                        self.bind_pattern(&el.target, v, kind)?;
                    }
                }
                if let Some(r) = rest {
                    let arr = self.temp(p.span)?;
                    self.emit(
                        Op::NewArray {
                            dst: arr,
                            first: arr,
                            count: Count(0),
                        },
                        p.span,
                    );
                    let t = self.temp(p.span)?;
                    let top = self.here();
                    let next = self.emit(
                        Op::IterNext {
                            dst: t,
                            iter,
                            offset: Jump(0),
                        },
                        p.span,
                    );
                    self.emit(Op::ArrayPush { arr, src: t }, p.span);
                    let back = self.emit(Op::Jmp { offset: Jump(0) }, p.span);
                    self.patch(back, top);
                    let end = self.here();
                    self.patch(next, end);
                    self.bind_pattern(r, arr, kind)?;
                } else {
                    // Not exhausted: close the iterator (its `return`, ECMA-262 §8.6.2).
                    self.emit(Op::IterClose { iter }, p.span);
                }
            }
        }
        self.release(mark.max(self.next_reg_after_locals()));
        Ok(())
    }

    /// Loads a property key (a name, a number or a computed expression) into `dst`.
    fn load_key(&mut self, key: &PropKey, dst: Reg, span: Span) -> CResult<()> {
        match key {
            PropKey::Computed(e) => self.expr_into(e, dst),
            PropKey::Private(_) => unsupported("private names", span),
            PropKey::Number(n) => {
                let k = self.constant(Constant::Number(*n));
                self.emit(Op::LoadConst { dst, idx: k }, span);
                Ok(())
            }
            PropKey::String(u) => {
                let k = self.string_constant(u);
                self.emit(Op::LoadConst { dst, idx: k }, span);
                Ok(())
            }
            other => {
                let name = static_key(other).unwrap_or_default();
                let k = self.constant(Constant::String(name));
                self.emit(Op::LoadConst { dst, idx: k }, span);
                Ok(())
            }
        }
    }

    /// Writes `src` to an assignment target expression (a member, or a parenthesised name).
    fn assign_to_target(&mut self, e: &Expr, src: Reg, span: Span) -> CResult<()> {
        match &e.kind {
            ExprKind::Paren(x) => self.assign_to_target(x, src, span),
            ExprKind::Ident(n) => self.store_name(n, src, span),
            ExprKind::Member {
                object,
                prop,
                optional: false,
            } => {
                let mark = self.next_reg;
                let obj = self.expr(object)?;
                match prop {
                    MemberProp::Name(n) => {
                        let name = self.constant(Constant::String(n.name.to_string()));
                        let ic = self.ic();
                        self.emit(Op::SetProp { obj, name, src, ic }, e.span);
                    }
                    MemberProp::Computed(k) => {
                        let key = self.expr(k)?;
                        self.emit(Op::SetElem { obj, key, src }, e.span);
                    }
                    MemberProp::Private(id) => {
                        let key = self.private_name(id)?;
                        let ic = self.ic();
                        self.emit(Op::SetPrivate { obj, key, src, ic }, e.span);
                    }
                }
                self.release(mark);
                Ok(())
            }
            _ => unsupported("this assignment target", span),
        }
    }

    /// The names a for-in/of head declares lexically (they get a scope per iteration).
    fn head_names(head: &ForHead) -> Vec<Box<str>> {
        match head {
            ForHead::Decl(k, p) if *k != VarKind::Var => {
                let mut out = Vec::new();
                pattern_names(p, &mut out);
                out
            }
            _ => Vec::new(),
        }
    }

    fn bind_head(&mut self, head: &ForHead, v: Reg) -> CResult<()> {
        match head {
            ForHead::Decl(k, p) => self.bind_pattern(p, v, Some(*k)),
            ForHead::Target(p) => self.bind_pattern(p, v, None),
        }
    }

    /// A for-of loop's guard, emitted just before the loop's first instruction: a handler that
    /// closes the iterator when an exception leaves the body (§14.7.5.7 ForIn/OfBodyEvaluation:
    /// an abrupt completion calls IteratorClose; an error from `return()` is dropped in favour
    /// of the exception). It is pushed once, below the loop's `try_depth`, so `continue` keeps
    /// it; the loop's end and a `break` pop it, and `return` and jumps to outer loops pop it
    /// as they pop every handler they leave. Returns (exception register, register for an
    /// ignored error, the Try's index).
    fn iter_guard(&mut self, span: Span) -> CResult<(Reg, Reg, usize)> {
        let exc = self.temp(span)?;
        let ignored = self.temp(span)?;
        let at = self.emit(
            Op::Try {
                reg: exc,
                offset: Jump(0),
            },
            span,
        );
        self.tries.push(None);
        Ok((exc, ignored, at))
    }

    /// The shared shape of for-in and for-of: `next` is the instruction that fetches the next
    /// value into `v` or jumps out; the body runs in a fresh scope for the head's bindings.
    /// A for-of passes its iterator and the guard from [`Self::iter_guard`].
    #[allow(clippy::too_many_arguments)]
    fn iteration_body(
        &mut self,
        head: &ForHead,
        body: &Stmt,
        v: Reg,
        iter: Option<(Reg, (Reg, Reg, usize))>,
        top: usize,
        next: usize,
        span: Span,
    ) -> CResult<()> {
        self.push_breakable(true, iter.map(|(it, _)| it));
        let names = Self::head_names(head);
        let was_script = self.is_script;
        if !names.is_empty() {
            self.is_script = false;
        }
        self.open_scope(&names, span)?;
        self.bind_head(head, v)?;
        self.stmt(body)?;
        self.close_scope(span);
        self.is_script = was_script;
        let cont = self.here();
        let back = self.emit(Op::Jmp { offset: Jump(0) }, span);
        self.patch(back, top);
        let end = match iter {
            Some((it, (exc, ignored, try_at))) => {
                self.tries.pop();
                let handler = self.here();
                self.patch_try(try_at, handler);
                let inner = self.emit(
                    Op::Try {
                        reg: ignored,
                        offset: Jump(0),
                    },
                    span,
                );
                self.close_iter(it, span)?;
                self.emit(Op::EndTry, span);
                let rethrow = self.here();
                self.patch_try(inner, rethrow);
                self.emit(Op::ReThrow { src: exc }, span);
                // The iterator is done: pop the guard. A `break` lands after it.
                let exhausted = self.here();
                self.patch(next, exhausted);
                self.emit(Op::EndTry, span);
                self.here()
            }
            None => {
                let end = self.here();
                self.patch(next, end);
                end
            }
        };
        self.end_loop(end, cont);
        Ok(())
    }

    fn for_in(&mut self, head: &ForHead, obj: &Expr, body: &Stmt, span: Span) -> CResult<()> {
        let mark = self.next_reg;
        let keys = self.temp(span)?;
        let _index = self.temp(span)?;
        let o = self.expr(obj)?;
        self.emit(Op::ForInKeys { dst: keys, src: o }, span);
        let k = self.temp(span)?;
        let top = self.here();
        let next = self.emit(
            Op::ForInNext {
                dst: k,
                keys,
                offset: Jump(0),
            },
            span,
        );
        self.iteration_body(head, body, k, None, top, next, span)?;
        self.release(mark.max(self.next_reg_after_locals()));
        Ok(())
    }

    /// `for await (x of it)` (ECMA-262 §14.7.5.6 with iteratorKind async): each
    /// `next()` result is awaited; leaving early awaits `return()`.
    fn for_await(
        &mut self,
        head: &ForHead,
        iterable: &Expr,
        body: &Stmt,
        span: Span,
    ) -> CResult<()> {
        let mark = self.next_reg;
        let iter = self.temp(span)?;
        let next_fn = self.temp(span)?;
        let src = self.expr(iterable)?;
        self.emit(
            Op::GetIterator {
                iter,
                src,
                kind: Count(1),
            },
            iterable.span,
        );
        self.async_iters.insert(iter.0);
        let v = self.temp(span)?;
        // While a step runs, R[iter] is undefined (the iterator is done if the step throws:
        // the guard does not close it) and R[held] holds the iterator.
        let held = self.temp(span)?;
        self.emit(
            Op::Move {
                dst: held,
                src: iter,
            },
            span,
        );
        let guard = self.iter_guard(span)?;
        let top = self.here();
        let call_mark = self.next_reg;
        let f = self.temp(span)?;
        let this = self.temp(span)?;
        self.emit(
            Op::Move {
                dst: f,
                src: next_fn,
            },
            span,
        );
        self.emit(
            Op::Move {
                dst: this,
                src: held,
            },
            span,
        );
        self.emit(Op::LoadUndefined { dst: iter }, span);
        self.emit(
            Op::Call {
                dst: f,
                callee: f,
                argc: Count(0),
            },
            span,
        );
        self.await_into(f, f, span)?;
        let next = self.emit(
            Op::IterResultValue {
                dst: v,
                src: f,
                offset: Jump(0),
            },
            span,
        );
        self.emit(
            Op::Move {
                dst: iter,
                src: held,
            },
            span,
        );
        self.release(call_mark);
        self.iteration_body(head, body, v, Some((iter, guard)), top, next, span)?;
        self.async_iters.remove(&iter.0);
        self.release(mark.max(self.next_reg_after_locals()));
        Ok(())
    }

    /// Closes the iterator of a loop being left: `return()`, awaited for a for await.
    fn close_iter(&mut self, it: Reg, span: Span) -> CResult<()> {
        if !self.async_iters.contains(&it.0) {
            self.emit(Op::IterClose { iter: it }, span);
            return Ok(());
        }
        let mark = self.next_reg;
        let t = self.temp(span)?;
        let skip = self.emit(
            Op::AsyncIterClose {
                dst: t,
                iter: it,
                offset: Jump(0),
            },
            span,
        );
        self.await_into(t, t, span)?;
        let here = self.here();
        self.patch(skip, here);
        self.release(mark);
        Ok(())
    }

    fn for_of(&mut self, head: &ForHead, iterable: &Expr, body: &Stmt, span: Span) -> CResult<()> {
        let mark = self.next_reg;
        let iter = self.temp(span)?;
        let _state = self.temp(span)?;
        let src = self.expr(iterable)?;
        self.emit(Op::GetIter { iter, src }, iterable.span);
        let v = self.temp(span)?;
        let guard = self.iter_guard(span)?;
        let top = self.here();
        let next = self.emit(
            Op::IterNext {
                dst: v,
                iter,
                offset: Jump(0),
            },
            span,
        );
        self.iteration_body(head, body, v, Some((iter, guard)), top, next, span)?;
        self.release(mark.max(self.next_reg_after_locals()));
        Ok(())
    }

    /// try/catch/finally: `finally` is compiled inline on the normal path, on the exception
    /// path (then rethrown), and on every `break`/`continue`/`return` that leaves the block.
    fn try_stmt(
        &mut self,
        block: &[Stmt],
        handler: Option<&Catch>,
        finalizer: Option<&[Stmt]>,
        span: Span,
    ) -> CResult<()> {
        let mark = self.next_reg;
        let exc = self.temp(span)?;
        let fin: Option<Vec<Stmt>> = finalizer.map(|f| f.to_vec());
        let try_op = self.emit(
            Op::Try {
                reg: exc,
                offset: Jump(0),
            },
            span,
        );
        self.tries.push(fin.clone());
        self.block(block, span)?;
        self.tries.pop();
        self.emit(Op::EndTry, span);
        if let Some(f) = &fin {
            self.block(f, span)?;
        }
        let mut to_end = vec![self.emit(Op::Jmp { offset: Jump(0) }, span)];
        let catch_at = self.here();
        self.patch_try(try_op, catch_at);
        if let Some(h) = handler {
            let inner_try = if fin.is_some() {
                let t = self.emit(
                    Op::Try {
                        reg: exc,
                        offset: Jump(0),
                    },
                    span,
                );
                self.tries.push(fin.clone());
                Some(t)
            } else {
                None
            };
            let mut names = Vec::new();
            if let Some(p) = &h.param {
                pattern_names(p, &mut names);
            }
            let was_script = self.is_script;
            self.is_script = false;
            self.open_scope(&names, h.span)?;
            if let Some(p) = &h.param {
                self.bind_pattern(p, exc, Some(VarKind::Let))?;
            }
            self.is_script = was_script;
            self.block(&h.body, h.span)?;
            self.close_scope(h.span);
            if let Some(t) = inner_try {
                self.tries.pop();
                self.emit(Op::EndTry, span);
                if let Some(f) = &fin {
                    self.block(f, span)?;
                }
                to_end.push(self.emit(Op::Jmp { offset: Jump(0) }, span));
                let here = self.here();
                self.patch_try(t, here);
            }
        }
        if let Some(f) = &fin {
            // The exception path: run the finally block, then rethrow.
            self.block(f, span)?;
            self.emit(Op::ReThrow { src: exc }, span);
        }
        let end = self.here();
        for j in to_end {
            self.patch(j, end);
        }
        self.release(mark.max(self.next_reg_after_locals()));
        Ok(())
    }

    fn patch_try(&mut self, at: usize, target: usize) {
        let offset = Jump(target as i32 - at as i32 - 1);
        if let Op::Try { offset: o, .. } = &mut self.proto.ops[at] {
            *o = offset;
        }
    }

    fn switch(&mut self, disc: &Expr, cases: &[SwitchCase], span: Span) -> CResult<()> {
        let mark = self.next_reg;
        let d = self.temp(span)?;
        self.expr_into(disc, d)?;
        let mut names = Vec::new();
        for c in cases {
            names.extend(lexical_names(&c.body));
        }
        let was_script = self.is_script;
        self.is_script = false;
        self.open_scope(&names, span)?;
        for c in cases {
            self.predeclare_lexicals(&c.body, span)?;
            self.hoist_functions(&c.body)?;
        }
        let t = self.temp(span)?;
        let mut jumps = Vec::new();
        for c in cases {
            if let Some(test) = &c.test {
                self.expr_into(test, t)?;
                self.emit(Op::StrictEq { dst: t, a: d, b: t }, c.span);
                jumps.push(Some(self.emit(
                    Op::JmpTrue {
                        cond: t,
                        offset: Jump(0),
                    },
                    c.span,
                )));
            } else {
                jumps.push(None);
            }
        }
        let jdefault = self.emit(Op::Jmp { offset: Jump(0) }, span);
        self.push_breakable(false, None);
        let mut has_default = false;
        for (c, j) in cases.iter().zip(jumps) {
            let here = self.here();
            match j {
                Some(j) => self.patch(j, here),
                None => {
                    has_default = true;
                    self.patch(jdefault, here);
                }
            }
            for s in &c.body {
                self.stmt(s)?;
            }
        }
        let end = self.here();
        if !has_default {
            self.patch(jdefault, end);
        }
        self.end_loop(end, end);
        self.close_scope(span);
        self.is_script = was_script;
        self.release(mark.max(self.next_reg_after_locals()));
        Ok(())
    }

    /// A class (§15.7.14 ClassDefinitionEvaluation): its constructor (explicit or default) in
    /// `dst`, the prototype's methods, static members.
    ///
    /// The class scope holds the class's own name, its private names and the hidden bindings
    /// its constructor reads (`capture::class_scope_names`). Elements are evaluated in order
    /// (methods defined, computed keys evaluated once); then the class binding is initialised
    /// and the static fields and blocks run, in order.
    fn class(&mut self, c: &Class, name: &str, dst: Reg) -> CResult<()> {
        // A class body is strict code.
        let was = std::mem::replace(&mut self.strict, true);
        let r = self.class_strict(c, name, dst);
        self.strict = was;
        r
    }

    fn class_strict(&mut self, c: &Class, name: &str, dst: Reg) -> CResult<()> {
        let span = c.span;
        let mark = self.next_reg;
        let parent = self.temp(span)?;
        let derived = c.superclass.is_some();
        let scope_names = capture::class_scope_names(c);
        self.open_scope(&scope_names, span)?;
        for n in &scope_names {
            if !self
                .scopes
                .last()
                .is_some_and(|s| s.bindings.contains_key(n))
            {
                let r = self.temp(span)?;
                let scope = self.scopes.last_mut().expect("a scope");
                scope.bindings.insert(n.clone(), Binding::Reg(r));
            }
        }
        // The class's own name: immutable, in its TDZ until the elements are evaluated.
        let own_name = c.name.as_ref().map(|n| n.name.clone());
        if let Some(n) = &own_name {
            self.lexicals.insert(n.clone());
            self.note_const(n);
            if let Some(r) = self.lookup(n) {
                self.emit(Op::LoadHole { dst: r }, span);
                self.uninit.insert(r.0);
            }
        }
        // The heritage is evaluated in the class scope, where the class's own name is in its
        // TDZ (`class A extends A {}` is a ReferenceError), before this class's private names
        // exist.
        if let Some(sc) = &c.superclass {
            self.expr_into(sc, parent)?;
        } else {
            self.emit(Op::LoadUndefined { dst: parent }, span);
        }
        // A new private name for each name the class declares.
        // The class name in V8's messages about private methods: an anonymous class is
        // "anonymous", or "." when its code uses one of its static private methods (V8 then
        // gives the class a variable of that name).
        let brand_class = match &own_name {
            Some(n) => n.to_string(),
            None => {
                let used = capture::used_in_class(c);
                let static_method_used = c.members.iter().any(|m| {
                    matches!((&m.key, &m.kind, m.is_static), (PropKey::Private(n), ClassMemberKind::Method(..), true)
                        if used.contains(&capture::private_binding(n)))
                });
                if static_method_used { "." } else { "anonymous" }.to_string()
            }
        };
        let mut declared: Vec<&str> = Vec::new();
        for m in &c.members {
            let PropKey::Private(n) = &m.key else {
                continue;
            };
            if declared.contains(&&**n) {
                continue;
            }
            declared.push(n);
            let brand = match (&m.kind, m.is_static) {
                (ClassMemberKind::Method(..), false) => format!("i{brand_class}"),
                (ClassMemberKind::Method(..), true) => format!("s{brand_class}"),
                _ => String::new(),
            };
            let t = self.temp(m.span)?;
            let text = self.constant(Constant::String(format!("#{n}")));
            let brand = self.constant(Constant::String(brand));
            self.emit(
                Op::NewPrivateName {
                    dst: t,
                    name: text,
                    brand,
                },
                m.span,
            );
            let b = self.binding_of(&capture::private_binding(n));
            self.init_binding(b, t, m.span);
            self.release(t.0 as u16);
        }
        // The instance elements the constructor installs: private methods, then fields.
        let mut fields = Vec::new();
        for m in &c.members {
            if let (PropKey::Private(n), ClassMemberKind::Method(k, _), false) =
                (&m.key, &m.kind, m.is_static)
            {
                let kind = match k {
                    MethodKind::Method => 1,
                    MethodKind::Get => 2,
                    MethodKind::Set => 3,
                } + if fields.is_empty() { 4 } else { 0 };
                fields.push(InstanceElement::Method {
                    name: capture::private_binding(n),
                    func: capture::private_method_binding(n, *k),
                    kind,
                });
            }
        }
        for (i, m) in c.members.iter().enumerate() {
            if let (ClassMemberKind::Field(init), false) = (&m.kind, m.is_static) {
                let key = match &m.key {
                    PropKey::Private(n) => FieldKey::Private(capture::private_binding(n)),
                    PropKey::Computed(_) => FieldKey::Computed(capture::field_key_binding(i)),
                    k => FieldKey::Named(static_key(k).unwrap_or_default().into_boxed_str()),
                };
                fields.push(InstanceElement::Field {
                    key,
                    init: init.clone(),
                });
            }
        }
        let ctor = c
            .members
            .iter()
            .find_map(|m| match (&m.kind, &m.key, m.is_static) {
                (ClassMemberKind::Method(MethodKind::Method, f), PropKey::Ident(n), false)
                    if &**n == "constructor" =>
                {
                    Some(f)
                }
                _ => None,
            });
        let kind = if derived {
            FnKind::DerivedCtor
        } else {
            FnKind::ClassCtor
        };
        let default_ctor;
        let ctor_fn: &Function = match ctor {
            Some(f) => f,
            None => {
                default_ctor = default_constructor(derived, span);
                &default_ctor
            }
        };
        self.function_into(ctor_fn, dst, span, kind, name, fields, span)?;
        let proto = self.temp(span)?;
        self.emit(
            Op::Class {
                dst: proto,
                ctor: dst,
                parent,
                has_parent: Count(derived as u16),
            },
            span,
        );
        // Computed keys of static fields, kept until the static fields are defined.
        let mut static_keys: HashMap<usize, Reg> = HashMap::new();
        for (i, m) in c.members.iter().enumerate() {
            let m_mark = self.next_reg;
            let target = if m.is_static { dst } else { proto };
            match (&m.kind, &m.key) {
                (ClassMemberKind::Method(mk, f), PropKey::Private(n)) => {
                    let func = self.temp(m.span)?;
                    let fname = match mk {
                        MethodKind::Get => format!("get #{n}"),
                        MethodKind::Set => format!("set #{n}"),
                        MethodKind::Method => format!("#{n}"),
                    };
                    let kind = match mk {
                        MethodKind::Get => FnKind::Getter,
                        MethodKind::Set => FnKind::Setter,
                        MethodKind::Method => FnKind::Method,
                    };
                    self.function_into(f, func, m.span, kind, &fname, Vec::new(), f.span)?;
                    self.emit(Op::Homed { func, home: target }, m.span);
                    if m.is_static {
                        let key = self.private_name(&Ident {
                            name: n.clone(),
                            span: m.span,
                        })?;
                        let kind = match mk {
                            MethodKind::Method => 1,
                            MethodKind::Get => 2,
                            MethodKind::Set => 3,
                        };
                        self.emit(
                            Op::DefinePrivate {
                                obj: dst,
                                key,
                                src: func,
                                kind: Count(kind),
                            },
                            m.span,
                        );
                    } else {
                        let b = self.binding_of(&capture::private_method_binding(n, *mk));
                        self.init_binding(b, func, m.span);
                    }
                }
                (ClassMemberKind::Method(mk, f), _) => {
                    if !m.is_static
                        && matches!(&m.key, PropKey::Ident(n) if &**n == "constructor")
                        && *mk == MethodKind::Method
                    {
                        continue;
                    }
                    let key = self.temp(m.span)?;
                    self.load_key(&m.key, key, m.span)?;
                    let func = self.temp(m.span)?;
                    let fname = static_key(&m.key).unwrap_or_default();
                    let fname = match mk {
                        MethodKind::Get => format!("get {fname}"),
                        MethodKind::Set => format!("set {fname}"),
                        MethodKind::Method => fname,
                    };
                    let kind = match mk {
                        MethodKind::Get => FnKind::Getter,
                        MethodKind::Set => FnKind::Setter,
                        MethodKind::Method => FnKind::Method,
                    };
                    self.function_into(f, func, m.span, kind, &fname, Vec::new(), f.span)?;
                    let flags = match mk {
                        MethodKind::Get => 1,
                        MethodKind::Set => 2,
                        MethodKind::Method => 0,
                    };
                    self.emit(
                        Op::DefineMethod {
                            obj: target,
                            key,
                            func,
                            flags: Count(flags),
                        },
                        m.span,
                    );
                }
                (ClassMemberKind::Field(_), PropKey::Computed(e)) => {
                    // The key is evaluated (and converted) once, now, in element order.
                    let k = self.temp(m.span)?;
                    self.expr_into(e, k)?;
                    self.emit(Op::ToKey { dst: k, src: k }, m.span);
                    if m.is_static {
                        static_keys.insert(i, k);
                        continue;
                    }
                    let b = self.binding_of(&capture::field_key_binding(i));
                    self.init_binding(b, k, m.span);
                }
                _ => {}
            }
            self.release(m_mark);
        }
        if let Some(n) = &own_name {
            let b = self.binding_of(n);
            self.init_binding(b, dst, span);
        }
        // The static fields and blocks, in order, with `this` = the class.
        for (i, m) in c.members.iter().enumerate() {
            if !m.is_static {
                continue;
            }
            let m_mark = self.next_reg;
            match &m.kind {
                ClassMemberKind::Field(init) => {
                    let key = match (&m.key, static_keys.get(&i)) {
                        (_, Some(&r)) => r,
                        (PropKey::Private(n), None) => self.private_name(&Ident {
                            name: n.clone(),
                            span: m.span,
                        })?,
                        (k, None) => {
                            let r = self.temp(m.span)?;
                            self.load_key(k, r, m.span)?;
                            r
                        }
                    };
                    let v = self.temp(m.span)?;
                    match init {
                        // The initialiser runs as a method of the class (`this` is the
                        // class), as §15.7.10 ClassFieldDefinitionEvaluation makes it.
                        Some(e) => {
                            let body = vec![Stmt::new(StmtKind::Return(Some(e.clone())), e.span)];
                            self.run_as_method(body, dst, v, m.span)?;
                            if is_anonymous_function(e) {
                                self.emit(Op::SetFunctionName { func: v, key }, m.span);
                            }
                        }
                        None => {
                            self.emit(Op::LoadUndefined { dst: v }, m.span);
                        }
                    }
                    let op = match &m.key {
                        PropKey::Private(_) => Op::DefinePrivate {
                            obj: dst,
                            key,
                            src: v,
                            kind: Count(0),
                        },
                        _ => Op::DefineField {
                            obj: dst,
                            key,
                            src: v,
                        },
                    };
                    self.emit(op, m.span);
                }
                ClassMemberKind::StaticBlock(body) => {
                    // `static { … }`: a method of the class, called once, in member order.
                    let ignored = self.temp(m.span)?;
                    self.run_as_method(body.clone(), dst, ignored, m.span)?;
                }
                ClassMemberKind::Method(..) => {}
            }
            self.release(m_mark);
        }
        self.close_scope(span);
        self.release(mark);
        Ok(())
    }

    /// The binding `name` of the innermost scope (a class scope's hidden bindings).
    fn binding_of(&self, name: &str) -> Binding {
        *self
            .scopes
            .last()
            .and_then(|s| s.bindings.get(name))
            .expect("a binding of the class scope")
    }

    /// Compiles `body` as a method without parameters and calls it at once with `this` =
    /// R[this]; its return value goes to R[dst] (static blocks and static field initialisers).
    fn run_as_method(&mut self, body: Vec<Stmt>, this: Reg, dst: Reg, span: Span) -> CResult<()> {
        let mark = self.next_reg;
        let f = self.temp(span)?;
        let th = self.temp(span)?;
        let func = Function {
            name: None,
            kind: FunctionKind::Method,
            params: Vec::new(),
            body,
            expression_body: false,
            is_async: false,
            is_generator: false,
            span,
        };
        self.function_into(&func, f, span, FnKind::Method, "", Vec::new(), span)?;
        self.emit(
            Op::Homed {
                func: f,
                home: this,
            },
            span,
        );
        self.emit(Op::Move { dst: th, src: this }, span);
        self.emit(
            Op::Call {
                dst: f,
                callee: f,
                argc: Count(0),
            },
            span,
        );
        self.emit(Op::Move { dst, src: f }, span);
        self.release(mark);
        Ok(())
    }

    /// A class constructor's instance elements (§7.3.34 InitializeInstanceElements): the
    /// private methods, then each field defined on `this` with its initialiser's value.
    fn emit_fields(&mut self, span: Span) -> CResult<()> {
        let fields = self.fields.clone();
        if fields.is_empty() {
            return Ok(());
        }
        // The initialisers are compiled here but belong to the class scope: the constructor's
        // own parameters and locals are hidden from them (its preloaded private names stay).
        let hidden: Vec<HashMap<Box<str>, Binding>> = self
            .scopes
            .iter_mut()
            .map(|s| {
                let keep = s
                    .bindings
                    .iter()
                    .filter(|(n, _)| n.starts_with('#') || n.as_ref() == capture::THIS)
                    .map(|(n, b)| (n.clone(), *b))
                    .collect();
                std::mem::replace(&mut s.bindings, keep)
            })
            .collect();
        let self_name = self.self_name.take();
        self.in_field_init = true;
        let r = self.emit_fields_in_class_scope(&fields, span);
        self.in_field_init = false;
        for (s, b) in self.scopes.iter_mut().zip(hidden) {
            s.bindings = b;
        }
        self.self_name = self_name;
        r
    }

    fn emit_fields_in_class_scope(
        &mut self,
        fields: &[InstanceElement],
        span: Span,
    ) -> CResult<()> {
        for f in fields {
            let mark = self.next_reg;
            let this = self.temp(span)?;
            self.load_this(this, span);
            let key = self.temp(span)?;
            let v = self.temp(span)?;
            match f {
                InstanceElement::Method { name, func, kind } => {
                    self.load_name(name, key, span)?;
                    self.load_name(func, v, span)?;
                    self.emit(
                        Op::DefinePrivate {
                            obj: this,
                            key,
                            src: v,
                            kind: Count(*kind),
                        },
                        span,
                    );
                }
                InstanceElement::Field { key: fk, init } => {
                    let fname = match fk {
                        FieldKey::Named(n) => {
                            let k = self.constant(Constant::String(n.to_string()));
                            self.emit(Op::LoadConst { dst: key, idx: k }, span);
                            Some(n.clone())
                        }
                        FieldKey::Computed(b) => {
                            self.load_name(b, key, span)?;
                            None
                        }
                        FieldKey::Private(b) => {
                            self.load_name(b, key, span)?;
                            Some(b.clone())
                        }
                    };
                    match (init, fname) {
                        (Some(e), Some(n)) => self.init_named(e, &n, v)?,
                        (Some(e), None) => {
                            self.expr_into(e, v)?;
                            if is_anonymous_function(e) {
                                self.emit(Op::SetFunctionName { func: v, key }, span);
                            }
                        }
                        (None, _) => {
                            self.emit(Op::LoadUndefined { dst: v }, span);
                        }
                    }
                    let op = match fk {
                        FieldKey::Private(_) => Op::DefinePrivate {
                            obj: this,
                            key,
                            src: v,
                            kind: Count(0),
                        },
                        _ => Op::DefineField {
                            obj: this,
                            key,
                            src: v,
                        },
                    };
                    self.emit(op, span);
                }
            }
            self.release(mark);
        }
        Ok(())
    }

    /// Arguments into consecutive registers starting at the next free register (no spread),
    /// or into an array in that register (spread); returns whether they were spread.
    fn args_into(&mut self, args: &[Arg], span: Span) -> CResult<bool> {
        let spread = args.iter().any(|a| matches!(a, Arg::Spread(_)));
        if !spread {
            for a in args {
                let Arg::Expr(x) = a else { unreachable!() };
                let r = self.temp(x.span)?;
                self.expr_into(x, r)?;
                self.release(r.0 as u16 + 1);
            }
            return Ok(false);
        }
        let arr = self.temp(span)?;
        self.emit(
            Op::NewArray {
                dst: arr,
                first: arr,
                count: Count(0),
            },
            span,
        );
        for a in args {
            let mark = self.next_reg;
            match a {
                Arg::Expr(x) => {
                    let r = self.expr(x)?;
                    self.emit(Op::ArrayPush { arr, src: r }, span);
                }
                Arg::Spread(x) => {
                    let r = self.expr(x)?;
                    self.emit(Op::ArraySpread { arr, src: r }, span);
                }
            }
            self.release(mark);
        }
        Ok(true)
    }
}

/// `constructor() {}` or, for a derived class, `constructor(...args) { super(...args); }`.
fn default_constructor(derived: bool, span: Span) -> Function {
    let (params, body) = if derived {
        let args = Ident {
            name: "args".into(),
            span,
        };
        let param = Param {
            target: Pattern::new(PatternKind::Ident(args), span),
            default: None,
            rest: true,
        };
        let call = Expr::new(
            ExprKind::SuperCall(vec![Arg::Spread(Expr::new(
                ExprKind::Ident("args".into()),
                span,
            ))]),
            span,
        );
        (vec![param], vec![Stmt::new(StmtKind::Expr(call), span)])
    } else {
        (Vec::new(), Vec::new())
    };
    Function {
        name: None,
        kind: if derived {
            FunctionKind::DerivedConstructor
        } else {
            FunctionKind::ClassConstructor
        },
        params,
        body,
        expression_body: false,
        is_async: false,
        is_generator: false,
        span,
    }
}
