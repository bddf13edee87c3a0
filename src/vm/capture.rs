//! Capture analysis: which of a function's bindings are used by functions nested in it. Those
//! live in heap `Env` cells; the rest stay in registers.
//!
//! It is conservative: a name counts as captured when any nested function refers to it freely
//! and the function declares it somewhere (block scopes are not told apart). Over-capturing only
//! costs an environment slot; it never changes what a name means.

use std::collections::HashSet;

use crate::syntax::ast::*;

pub type Names = HashSet<Box<str>>;

// ---- The hidden bindings of a function ----
//
// An arrow function has no `this`, `new.target` or active function of its own: it sees its
// enclosing function's, lexically (§9.1.1.3). The walker counts them as references under names
// no identifier can spell, so capture analysis tells which functions' nested arrows use them.
// Only a derived constructor's `this` changes while it runs (`super()` initialises it, maybe
// from inside an arrow), so only there does the compiler keep `this` in an environment slot;
// elsewhere an arrow closure copies its creator's `this` when it is made (see `NewClosure`).

/// The hidden binding of a function's `this` (in a derived constructor whose arrows use it).
pub const THIS: &str = "this";
/// The hidden binding of a function's `new.target` (when its arrows use it).
pub const NEW_TARGET: &str = "new.target";
/// The hidden binding of the active function: the derived constructor whose parent `super()`
/// constructs (when its arrows call `super()`).
pub const ACTIVE_FN: &str = "%fn";

/// Counted as a reference wherever a direct `eval(…)` is called: every function around it
/// keeps all its bindings in environments, by name, for the eval code to find.
pub const EVAL: &str = "%eval";
/// The hidden binding of a function scope whose code calls a sloppy direct eval: the object
/// holding the `var`s that eval code declares (created by the first such declaration).
pub const VARS: &str = "%vars";
/// The hidden binding of a `with` statement's scope: its object.
pub const WITH: &str = "%with";

/// Whether a name is one no identifier can spell (hidden bindings never resolve through a
/// `with` object or eval-declared variables).
pub fn is_hidden(name: &str) -> bool {
    matches!(name.as_bytes().first(), Some(b'#' | b'%' | b'['))
        || name.contains(' ')
        || name == THIS
        || name == NEW_TARGET
}

/// Whether `params`/`body` call a direct eval themselves (`own`, outside nested functions and
/// arrows) and anywhere (`any`).
pub fn direct_eval_in(params: &[Param], body: &[Stmt]) -> (bool, bool) {
    let w = walk_uses(params, body);
    let own = w.refs.contains(EVAL);
    (own, own || w.nested_free.contains(EVAL))
}

// ---- The hidden bindings of a class scope ----
//
// A class body's private names and the values its constructor needs from the class definition
// are bindings of the class scope whose names no identifier can spell, so they resolve (and
// are captured) like any other binding, and a nested class shadows them lexically.

/// The binding holding the private name `#name` (the AST keeps names without the `#`).
pub fn private_binding(name: &str) -> Box<str> {
    format!("#{name}").into()
}

/// The binding holding the function of an instance private method (`method #m`), getter
/// (`get #m`) or setter (`set #m`), made once per class evaluation.
pub fn private_method_binding(name: &str, kind: MethodKind) -> Box<str> {
    let k = match kind {
        MethodKind::Method => "method",
        MethodKind::Get => "get",
        MethodKind::Set => "set",
    };
    format!("{k} #{name}").into()
}

/// The binding holding the key of the instance field `members[index]` with a computed key
/// (evaluated once, when the class is defined).
pub fn field_key_binding(index: usize) -> Box<str> {
    format!("[field {index}]").into()
}

/// The bindings of a class's scope: its own name, then its private names, the functions of
/// its instance private methods and the keys of its computed instance fields.
pub fn class_scope_names(c: &Class) -> Vec<Box<str>> {
    let mut out: Vec<Box<str>> = c.name.iter().map(|n| n.name.clone()).collect();
    for (i, m) in c.members.iter().enumerate() {
        match (&m.key, &m.kind) {
            (PropKey::Private(n), kind) => {
                let b = private_binding(n);
                if !out.contains(&b) {
                    out.push(b);
                }
                if let (ClassMemberKind::Method(k, _), false) = (kind, m.is_static) {
                    out.push(private_method_binding(n, *k));
                }
            }
            (PropKey::Computed(_), ClassMemberKind::Field(_)) if !m.is_static => {
                out.push(field_key_binding(i));
            }
            _ => {}
        }
    }
    out
}

/// The private names (`#x` bindings) a function's own code uses, outside its nested functions.
pub fn private_refs(f: &Function) -> Vec<Box<str>> {
    let mut w = Walker::default();
    for p in &f.params {
        w.pattern_defaults(&p.target);
        if let Some(d) = &p.default {
            w.expr(d);
        }
    }
    for s in &f.body {
        w.stmt(s);
    }
    let mut out: Vec<Box<str>> = w.refs.into_iter().filter(|n| n.starts_with('#')).collect();
    out.sort();
    out
}

/// The names a class's members use without declaring them (its private names among them).
pub fn used_in_class(c: &Class) -> Names {
    let mut w = Walker::default();
    w.class(c);
    w.refs.union(&w.nested_free).cloned().collect()
}

/// The names that functions nested in `params`/`body` use without declaring them.
pub fn free_in_nested(params: &[Param], body: &[Stmt]) -> Names {
    walk_uses(params, body).nested_free
}

/// The names that functions nested in an expression use (a constructor's field initialisers,
/// which it compiles inline: a class expression there has a scope of its own).
pub fn free_in_nested_expr(e: &Expr) -> Names {
    let mut w = Walker::default();
    w.expr(e);
    w.nested_free
}

/// A walk of a function's parameters (their names, then their defaults) and body.
fn walk_function(f: &Function) -> Walker {
    let mut w = Walker::default();
    for p in &f.params {
        w.declare_pattern(&p.target);
    }
    w.walk_params_and_body(&f.params, &f.body);
    w
}

/// A walk of parameters' defaults and a body, declaring no parameter names.
fn walk_uses(params: &[Param], body: &[Stmt]) -> Walker {
    let mut w = Walker::default();
    w.walk_params_and_body(params, body);
    w
}

impl Walker {
    fn walk_params_and_body(&mut self, params: &[Param], body: &[Stmt]) {
        for p in params {
            self.pattern_defaults(&p.target);
            if let Some(d) = &p.default {
                self.expr(d);
            }
        }
        for s in body {
            self.stmt(s);
        }
    }
}

/// The free names of a function: referenced inside it (or its nested functions) and not
/// declared by it.
fn free_of(f: &Function) -> Names {
    let w = walk_function(f);
    let mut free: Names = w.refs.union(&w.nested_free).cloned().collect();
    let own_name = f.name.as_ref().map(|n| n.name.clone());
    free.retain(|n| !w.decls.contains(n) && &**n != "arguments" && Some(n) != own_name.as_ref());
    if f.kind != FunctionKind::Arrow {
        strip_function_bindings(&mut free);
    }
    free
}

/// Removes the hidden bindings every non-arrow function has of its own (`this`, `new.target`
/// and the active function): its nested arrows see those, not the enclosing function's.
pub fn strip_function_bindings(names: &mut Names) {
    for n in [THIS, NEW_TARGET, ACTIVE_FN] {
        names.remove(n);
    }
}

/// Whether a function uses its own name (inside itself or its nested functions).
fn refers_to_self(f: &Function) -> bool {
    let Some(n) = &f.name else { return false };
    let w = walk_function(f);
    !w.decls.contains(&n.name) && (w.refs.contains(&n.name) || w.nested_free.contains(&n.name))
}

/// `eval` or `(eval)` as a callee: a call of it is a direct eval when it resolves to %eval%.
pub fn is_eval_callee(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Ident(n) => &**n == "eval",
        ExprKind::Paren(x) => is_eval_callee(x),
        _ => false,
    }
}

#[derive(Default)]
struct Walker {
    /// Names referenced directly (not inside nested functions).
    refs: Names,
    /// Names declared directly.
    decls: Names,
    /// Free names of the nested functions.
    nested_free: Names,
}

impl Walker {
    fn function(&mut self, f: &Function) {
        let free = free_of(f);
        self.nested_free.extend(free);
        if let Some(n) = &f.name {
            // A named function expression's own name is local to it, not a reference.
            let _ = n;
        }
    }

    fn declare_pattern(&mut self, p: &Pattern) {
        match &p.kind {
            PatternKind::Ident(i) => {
                self.decls.insert(i.name.clone());
            }
            PatternKind::Object { props, rest } => {
                for pr in props {
                    self.declare_pattern(&pr.target);
                }
                if let Some(r) = rest {
                    self.declare_pattern(r);
                }
            }
            PatternKind::Array { elems, rest } => {
                for e in elems.iter().flatten() {
                    self.declare_pattern(&e.target);
                }
                if let Some(r) = rest {
                    self.declare_pattern(r);
                }
            }
            PatternKind::Expr(e) => self.expr(e),
        }
    }

    /// Expressions inside a pattern (defaults, computed keys) and assignment targets.
    fn pattern_defaults(&mut self, p: &Pattern) {
        match &p.kind {
            PatternKind::Ident(_) => {}
            PatternKind::Object { props, rest } => {
                for pr in props {
                    if let PropKey::Computed(k) = &pr.key {
                        self.expr(k);
                    }
                    self.pattern_defaults(&pr.target);
                    if let Some(d) = &pr.default {
                        self.expr(d);
                    }
                }
                if let Some(r) = rest {
                    self.pattern_defaults(r);
                }
            }
            PatternKind::Array { elems, rest } => {
                for e in elems.iter().flatten() {
                    self.pattern_defaults(&e.target);
                    if let Some(d) = &e.default {
                        self.expr(d);
                    }
                }
                if let Some(r) = rest {
                    self.pattern_defaults(r);
                }
            }
            PatternKind::Expr(e) => self.expr(e),
        }
    }

    /// An assignment target: its names are references.
    fn target(&mut self, p: &Pattern) {
        match &p.kind {
            PatternKind::Ident(i) => {
                self.refs.insert(i.name.clone());
            }
            PatternKind::Expr(e) => self.expr(e),
            PatternKind::Object { props, rest } => {
                for pr in props {
                    self.target(&pr.target);
                    if let Some(d) = &pr.default {
                        self.expr(d);
                    }
                }
                if let Some(r) = rest {
                    self.target(r);
                }
            }
            PatternKind::Array { elems, rest } => {
                for e in elems.iter().flatten() {
                    self.target(&e.target);
                    if let Some(d) = &e.default {
                        self.expr(d);
                    }
                }
                if let Some(r) = rest {
                    self.target(r);
                }
            }
        }
    }

    fn var_decl(&mut self, d: &VarDecl) {
        for v in &d.decls {
            self.declare_pattern(&v.target);
            self.pattern_defaults(&v.target);
            if let Some(i) = &v.init {
                self.expr(i);
            }
        }
    }

    fn stmts(&mut self, b: &[Stmt]) {
        for s in b {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Throw(e) => self.expr(e),
            StmtKind::Var(d) => self.var_decl(d),
            StmtKind::Function(f) => {
                if let Some(n) = &f.name {
                    self.decls.insert(n.name.clone());
                }
                // A declaration's name is bound outside it: uses inside are free.
                let mut free = free_of(f);
                if let Some(n) = &f.name {
                    if refers_to_self(f) {
                        free.insert(n.name.clone());
                    }
                }
                self.nested_free.extend(free);
            }
            StmtKind::Class(c) => {
                if let Some(n) = &c.name {
                    self.decls.insert(n.name.clone());
                }
                self.class(c);
            }
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    self.expr(e);
                }
            }
            StmtKind::If(c, a, b) => {
                self.expr(c);
                self.stmt(a);
                if let Some(b) = b {
                    self.stmt(b);
                }
            }
            StmtKind::Block(b) => self.stmts(b),
            StmtKind::For {
                init,
                test,
                update,
                body,
            } => {
                match init.as_deref() {
                    Some(ForInit::Var(d)) => self.var_decl(d),
                    Some(ForInit::Expr(e)) => self.expr(e),
                    None => {}
                }
                if let Some(t) = test {
                    self.expr(t);
                }
                if let Some(u) = update {
                    self.expr(u);
                }
                self.stmt(body);
            }
            StmtKind::ForIn(h, e, body) => {
                self.for_head(h);
                self.expr(e);
                self.stmt(body);
            }
            StmtKind::ForOf {
                head,
                iterable,
                body,
                ..
            } => {
                self.for_head(head);
                self.expr(iterable);
                self.stmt(body);
            }
            StmtKind::While(c, b) | StmtKind::With(c, b) => {
                self.expr(c);
                self.stmt(b);
            }
            StmtKind::DoWhile(b, c) => {
                self.stmt(b);
                self.expr(c);
            }
            StmtKind::Try {
                block,
                handler,
                finalizer,
            } => {
                self.stmts(block);
                if let Some(h) = handler {
                    if let Some(p) = &h.param {
                        self.declare_pattern(p);
                    }
                    self.stmts(&h.body);
                }
                if let Some(f) = finalizer {
                    self.stmts(f);
                }
            }
            StmtKind::Switch(d, cases) => {
                self.expr(d);
                for c in cases {
                    if let Some(t) = &c.test {
                        self.expr(t);
                    }
                    self.stmts(&c.body);
                }
            }
            StmtKind::Labeled(_, b) => self.stmt(b),
            StmtKind::Break(_) | StmtKind::Continue(_) | StmtKind::Empty | StmtKind::Debugger => {}
        }
    }

    fn for_head(&mut self, h: &ForHead) {
        match h {
            ForHead::Decl(_, p) => {
                self.declare_pattern(p);
                self.pattern_defaults(p);
            }
            ForHead::Target(p) => self.target(p),
        }
    }

    fn class(&mut self, c: &Class) {
        if let Some(s) = &c.superclass {
            self.expr(s);
        }
        // The constructor (a nested function) installs the instance private methods and
        // fields: it reads their private names, functions and computed keys.
        for (i, m) in c.members.iter().enumerate() {
            if m.is_static {
                continue;
            }
            match (&m.key, &m.kind) {
                (PropKey::Private(n), kind) => {
                    self.nested_free.insert(private_binding(n));
                    if let ClassMemberKind::Method(k, _) = kind {
                        self.nested_free.insert(private_method_binding(n, *k));
                    }
                }
                (PropKey::Computed(_), ClassMemberKind::Field(_)) => {
                    self.nested_free.insert(field_key_binding(i));
                }
                _ => {}
            }
        }
        for m in &c.members {
            if let PropKey::Computed(k) = &m.key {
                self.expr(k);
            }
            match &m.kind {
                ClassMemberKind::Method(_, f) => self.function(f),
                ClassMemberKind::Field(Some(e)) => {
                    // Field initialisers run as methods: their free names are captured.
                    let mut w = Walker::default();
                    w.expr(e);
                    let mut free: Names = w.refs.into_iter().chain(w.nested_free).collect();
                    strip_function_bindings(&mut free);
                    self.nested_free.extend(free);
                }
                ClassMemberKind::Field(None) => {}
                ClassMemberKind::StaticBlock(b) => {
                    let mut w = Walker::default();
                    w.stmts(b);
                    let mut free: Names = w.refs.union(&w.nested_free).cloned().collect();
                    free.retain(|n| !w.decls.contains(n));
                    strip_function_bindings(&mut free);
                    self.nested_free.extend(free);
                }
            }
        }
    }

    fn args(&mut self, args: &[Arg]) {
        for a in args {
            match a {
                Arg::Expr(e) | Arg::Spread(e) => self.expr(e),
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Ident(n) => {
                self.refs.insert(n.clone());
            }
            ExprKind::Number(_)
            | ExprKind::String(_)
            | ExprKind::BigInt(_)
            | ExprKind::Bool(_)
            | ExprKind::Null
            | ExprKind::RegExp { .. }
            | ExprKind::Invalid => {}
            ExprKind::This => {
                self.refs.insert(THIS.into());
            }
            ExprKind::NewTarget => {
                self.refs.insert(NEW_TARGET.into());
            }
            ExprKind::Template(t) => t.exprs.iter().for_each(|x| self.expr(x)),
            ExprKind::TaggedTemplate(tag, t) => {
                self.expr(tag);
                t.exprs.iter().for_each(|x| self.expr(x));
            }
            ExprKind::Array(elems) => {
                for el in elems {
                    if let ArrayElem::Expr(x) | ArrayElem::Spread(x) = el {
                        self.expr(x);
                    }
                }
            }
            ExprKind::Object(props) => {
                for p in props {
                    match p {
                        Prop::Init(k, v) => {
                            if let PropKey::Computed(k) = k {
                                self.expr(k);
                            }
                            self.expr(v);
                        }
                        Prop::Shorthand(i) => {
                            self.refs.insert(i.name.clone());
                        }
                        Prop::Method(k, _, f) => {
                            if let PropKey::Computed(k) = k {
                                self.expr(k);
                            }
                            self.function(f);
                        }
                        Prop::Spread(x) => self.expr(x),
                        Prop::CoverInit(i, x) => {
                            self.refs.insert(i.name.clone());
                            self.expr(x);
                        }
                    }
                }
            }
            ExprKind::Function(f) | ExprKind::Arrow(f) => self.function(f),
            ExprKind::Class(c) => self.class(c),
            ExprKind::Unary(_, x)
            | ExprKind::Paren(x)
            | ExprKind::Await(x)
            | ExprKind::OptionalChain(x)
            | ExprKind::ImportCall(x) => self.expr(x),
            ExprKind::PrivateIn(id, x) => {
                self.refs.insert(private_binding(&id.name));
                self.expr(x);
            }
            ExprKind::Update { target, .. } => self.expr(target),
            ExprKind::Binary(_, a, b) | ExprKind::Logical(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Assign { target, value, .. } => {
                self.target(target);
                self.expr(value);
            }
            ExprKind::Conditional(a, b, c) => {
                self.expr(a);
                self.expr(b);
                self.expr(c);
            }
            ExprKind::Call { callee, args, .. } if is_eval_callee(callee) => {
                // A direct eval sees (and may use) every binding around it.
                for n in [EVAL, THIS, NEW_TARGET, ACTIVE_FN] {
                    self.refs.insert(n.into());
                }
                self.expr(callee);
                self.args(args);
            }
            ExprKind::Call { callee, args, .. } | ExprKind::New { callee, args } => {
                self.expr(callee);
                self.args(args);
            }
            ExprKind::Member { object, prop, .. } => {
                self.expr(object);
                match prop {
                    MemberProp::Computed(k) => self.expr(k),
                    MemberProp::Private(id) => {
                        self.refs.insert(private_binding(&id.name));
                    }
                    MemberProp::Name(_) => {}
                }
            }
            ExprKind::SuperMember(prop) => {
                self.refs.insert(THIS.into());
                if let MemberProp::Computed(k) = prop {
                    self.expr(k);
                }
            }
            ExprKind::SuperCall(args) => {
                for n in [THIS, ACTIVE_FN, NEW_TARGET] {
                    self.refs.insert(n.into());
                }
                self.args(args)
            }
            ExprKind::Sequence(xs) => xs.iter().for_each(|x| self.expr(x)),
            ExprKind::Yield { arg, .. } => {
                if let Some(a) = arg {
                    self.expr(a);
                }
            }
            ExprKind::CoverParams(ps) => {
                for p in ps {
                    self.pattern_defaults(&p.target);
                }
            }
        }
    }
}
