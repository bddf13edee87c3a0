//! The abstract syntax tree.
//!
//! Every node carries its [`Span`] (byte offsets into the source; line and column are computed
//! on demand by [`crate::source::SourceFile`]). `Expr`, `Stmt` and `Pattern` also carry their
//! nesting `depth` (1 for a leaf), computed when the node is built. The parser refuses trees
//! deeper than [`MAX_DEPTH`], so every recursive pass over the tree (the compiler, `Drop`, the
//! dumper) has a known bound and can never overflow the Rust stack.
//!
//! Cover grammar: some nodes exist only between parsing and validation — an object literal's
//! `{ a = 1 }` shorthand initializer ([`Prop::CoverInit`]) and the parenthesised forms that may
//! turn out to be arrow parameters ([`ExprKind::CoverParams`]). The parser converts or rejects
//! them, so the compiler never sees them.

use std::fmt;

pub use super::token::{TemplateChunk, Utf16};

/// The deepest tree the parser builds. Deeper input is a `RangeError: Maximum call stack size
/// exceeded`, as in V8, whose parser recurses and fails at a similar depth (node v20 on this
/// machine: about 1,640 nested parentheses, 2,010 arrays, 2,840 blocks). Kept low enough that
/// dropping a tree this deep fits a 2 MB thread stack in a debug build. Known difference: node
/// accepts a left-deep chain such as a 1,000,000-term `1+1+…`; minijs stops at this depth.
pub const MAX_DEPTH: u32 = 3_000;

/// A byte range in one source file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{}..{}", self.start, self.end)
    }
}

/// An identifier with its span.
#[derive(Clone, PartialEq)]
pub struct Ident {
    pub name: Box<str>,
    pub span: Span,
}

impl fmt::Debug for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.name, self.span)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub body: Vec<Stmt>,
    pub span: Span,
}

// ---- Statements ----

#[derive(Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
    pub depth: u32,
}

impl fmt::Debug for Stmt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ", self.span)?;
        self.kind.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    Var,
    Let,
    Const,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VarDecl {
    pub kind: VarKind,
    pub decls: Vec<VarDeclarator>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VarDeclarator {
    pub target: Pattern,
    pub init: Option<Box<Expr>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ForInit {
    Var(VarDecl),
    Expr(Expr),
}

/// The left side of `for (… in/of …)`.
#[derive(Debug, Clone, PartialEq)]
pub enum ForHead {
    /// `var x`, `let [a, b]`, `const {c}`.
    Decl(VarKind, Box<Pattern>),
    /// An assignment target: `x`, `o.p`, `[a, b]`.
    Target(Box<Pattern>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Catch {
    pub param: Option<Pattern>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SwitchCase {
    /// `None` for `default:`.
    pub test: Option<Expr>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
/// Statements. Payloads larger than an expression are boxed, so that a `Stmt` stays small: the
/// parser moves statements on its stack and in every statement list (it was 240 bytes with the
/// `for` and `try` payloads inline; boxing them made parsing markedly faster).
pub enum StmtKind {
    Expr(Expr),
    Var(VarDecl),
    Function(Box<Function>),
    Class(Box<Class>),
    Return(Option<Expr>),
    If(Box<Expr>, Box<Stmt>, Option<Box<Stmt>>),
    Block(Vec<Stmt>),
    For {
        init: Option<Box<ForInit>>,
        test: Option<Box<Expr>>,
        update: Option<Box<Expr>>,
        body: Box<Stmt>,
    },
    ForIn(ForHead, Box<Expr>, Box<Stmt>),
    ForOf {
        head: ForHead,
        iterable: Box<Expr>,
        body: Box<Stmt>,
        is_await: bool,
    },
    While(Box<Expr>, Box<Stmt>),
    DoWhile(Box<Stmt>, Box<Expr>),
    Break(Option<Ident>),
    Continue(Option<Ident>),
    Throw(Expr),
    Try {
        block: Vec<Stmt>,
        handler: Option<Box<Catch>>,
        finalizer: Option<Vec<Stmt>>,
    },
    Switch(Box<Expr>, Vec<SwitchCase>),
    Labeled(Ident, Box<Stmt>),
    With(Box<Expr>, Box<Stmt>),
    Empty,
    Debugger,
}

// ---- Expressions ----

#[derive(Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
    pub depth: u32,
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ", self.span)?;
        self.kind.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Plus,
    Not,
    BitNot,
    Typeof,
    Void,
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateOp {
    Inc,
    Dec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Exp,
    Shl,
    Shr,
    UShr,
    BitAnd,
    BitOr,
    BitXor,
    Eq,
    Ne,
    StrictEq,
    StrictNe,
    Lt,
    Gt,
    Le,
    Ge,
    In,
    Instanceof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogicalOp {
    And,
    Or,
    Coalesce,
}

/// `=` or a compound assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    Assign,
    Bin(BinOp),
    Logical(LogicalOp),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ArrayElem {
    Hole,
    Expr(Expr),
    Spread(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Expr(Expr),
    Spread(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum PropKey {
    Ident(Box<str>),
    String(Utf16),
    Number(f64),
    Computed(Box<Expr>),
    Private(Box<str>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Prop {
    /// `key: value`
    Init(PropKey, Expr),
    /// `{ x }`
    Shorthand(Ident),
    /// `m() {}`, `get m() {}`, `set m(v) {}` (and async/generator methods)
    Method(PropKey, MethodKind, Box<Function>),
    /// `...obj`
    Spread(Expr),
    /// `{ x = 1 }`: only valid when the literal turns out to be a destructuring pattern.
    CoverInit(Ident, Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    Method,
    Get,
    Set,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub quasis: Vec<TemplateChunk>,
    pub exprs: Vec<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Ident(Box<str>),
    Number(f64),
    String(Utf16),
    BigInt(Box<str>),
    Bool(bool),
    Null,
    This,
    RegExp {
        pattern: Box<str>,
        flags: Box<str>,
    },
    Template(Box<Template>),
    TaggedTemplate(Box<Expr>, Box<Template>),
    Array(Vec<ArrayElem>),
    Object(Vec<Prop>),
    Function(Box<Function>),
    Arrow(Box<Function>),
    Class(Box<Class>),
    Unary(UnaryOp, Box<Expr>),
    Update {
        op: UpdateOp,
        prefix: bool,
        target: Box<Expr>,
    },
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Logical(LogicalOp, Box<Expr>, Box<Expr>),
    Assign {
        op: AssignOp,
        target: Box<Pattern>,
        value: Box<Expr>,
    },
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `callee(args)`; `optional` for `callee?.(args)`.
    Call {
        callee: Box<Expr>,
        args: Vec<Arg>,
        optional: bool,
    },
    New {
        callee: Box<Expr>,
        args: Vec<Arg>,
    },
    /// `obj.name`, `obj[expr]`; `optional` for `obj?.name`.
    Member {
        object: Box<Expr>,
        prop: MemberProp,
        optional: bool,
    },
    /// `super.name`, `super[expr]`
    SuperMember(MemberProp),
    /// `super(args)`
    SuperCall(Vec<Arg>),
    NewTarget,
    /// The outermost node of an optional chain: a short circuit anywhere inside ends here.
    OptionalChain(Box<Expr>),
    Sequence(Vec<Expr>),
    /// Parentheses are kept: they decide what `(a) = 1` and `(a, b) => c` mean.
    Paren(Box<Expr>),
    Yield {
        arg: Option<Box<Expr>>,
        delegate: bool,
    },
    Await(Box<Expr>),
    /// `import(specifier)`: a dynamic import.
    ImportCall(Box<Expr>),
    /// `#x in obj`: whether `obj` has the private name (ES2022 brand check).
    PrivateIn(Ident, Box<Expr>),
    /// Parenthesised arrow parameters that are not an expression: `()`, `(a, ...b)`, `(a,)`.
    /// Valid only right before `=>`.
    CoverParams(Vec<Param>),
    /// Stands in for a subtree that was refused (too deep); never reaches the compiler.
    Invalid,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MemberProp {
    Name(Ident),
    Computed(Box<Expr>),
    Private(Ident),
}

// ---- Patterns ----

#[derive(Clone, PartialEq)]
pub struct Pattern {
    pub kind: PatternKind,
    pub span: Span,
    pub depth: u32,
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ", self.span)?;
        self.kind.fmt(f)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PatternKind {
    Ident(Ident),
    Object {
        props: Vec<ObjectPatProp>,
        rest: Option<Box<Pattern>>,
    },
    Array {
        elems: Vec<Option<PatElem>>,
        rest: Option<Box<Pattern>>,
    },
    /// A member expression as an assignment target (`o.p = 1`, `[o.p] = a`).
    Expr(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PatElem {
    pub target: Pattern,
    pub default: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectPatProp {
    pub key: PropKey,
    pub target: Pattern,
    pub default: Option<Expr>,
    pub shorthand: bool,
}

// ---- Functions and classes ----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionKind {
    Normal,
    Arrow,
    Method,
    Getter,
    Setter,
    ClassConstructor,
    DerivedConstructor,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub target: Pattern,
    pub default: Option<Expr>,
    pub rest: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub name: Option<Ident>,
    pub kind: FunctionKind,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    /// An arrow function with an expression body: `body` is one synthesised `return`.
    pub expression_body: bool,
    pub is_async: bool,
    pub is_generator: bool,
    /// The source text span, for `Function.prototype.toString`.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub name: Option<Ident>,
    pub superclass: Option<Expr>,
    pub members: Vec<ClassMember>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClassMemberKind {
    Method(MethodKind, Box<Function>),
    Field(Option<Expr>),
    StaticBlock(Vec<Stmt>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClassMember {
    pub key: PropKey,
    pub is_static: bool,
    pub kind: ClassMemberKind,
    pub span: Span,
}

// ---- Depth ----

thread_local! {
    /// The span of the first node that passed [`MAX_DEPTH`] in the current parse.
    static FIRST_TOO_DEEP: std::cell::Cell<Option<Span>> = const { std::cell::Cell::new(None) };
}

fn note_too_deep(span: Span) {
    FIRST_TOO_DEEP.with(|c| {
        if c.get().is_none() {
            c.set(Some(span))
        }
    });
}

/// Takes (and clears) the span of the first too-deep node seen on this thread.
pub fn take_too_deep() -> Option<Span> {
    FIRST_TOO_DEEP.with(|c| c.take())
}

fn max_depth(it: impl IntoIterator<Item = u32>) -> u32 {
    it.into_iter().max().unwrap_or(0)
}

fn opt_e(e: &Option<Expr>) -> u32 {
    e.as_ref().map_or(0, |e| e.depth)
}

fn opt_b(e: &Option<Box<Expr>>) -> u32 {
    e.as_ref().map_or(0, |e| e.depth)
}

fn stmts_depth(body: &[Stmt]) -> u32 {
    max_depth(body.iter().map(|s| s.depth))
}

fn args_depth(args: &[Arg]) -> u32 {
    max_depth(args.iter().map(|a| match a {
        Arg::Expr(e) | Arg::Spread(e) => e.depth,
    }))
}

fn key_depth(k: &PropKey) -> u32 {
    match k {
        PropKey::Computed(e) => e.depth,
        _ => 0,
    }
}

fn params_depth(params: &[Param]) -> u32 {
    max_depth(params.iter().map(|p| p.target.depth.max(opt_e(&p.default))))
}

pub fn function_depth(f: &Function) -> u32 {
    params_depth(&f.params).max(stmts_depth(&f.body))
}

pub fn class_depth(c: &Class) -> u32 {
    let members = max_depth(c.members.iter().map(|m| {
        key_depth(&m.key).max(match &m.kind {
            ClassMemberKind::Method(_, f) => function_depth(f),
            ClassMemberKind::Field(e) => opt_e(e),
            ClassMemberKind::StaticBlock(b) => stmts_depth(b),
        })
    }));
    members.max(opt_e(&c.superclass))
}

fn template_depth(t: &Template) -> u32 {
    max_depth(t.exprs.iter().map(|e| e.depth))
}

fn member_prop_depth(p: &MemberProp) -> u32 {
    match p {
        MemberProp::Computed(e) => e.depth,
        _ => 0,
    }
}

impl ExprKind {
    /// The depth of the deepest child node.
    fn child_depth(&self) -> u32 {
        use ExprKind::*;
        match self {
            Ident(_)
            | Number(_)
            | String(_)
            | BigInt(_)
            | Bool(_)
            | Null
            | This
            | RegExp { .. }
            | NewTarget
            | Invalid => 0,
            Template(t) => template_depth(t),
            TaggedTemplate(tag, t) => tag.depth.max(template_depth(t)),
            Array(elems) => max_depth(elems.iter().map(|e| match e {
                ArrayElem::Hole => 0,
                ArrayElem::Expr(e) | ArrayElem::Spread(e) => e.depth,
            })),
            Object(props) => max_depth(props.iter().map(|p| match p {
                Prop::Init(k, v) => key_depth(k).max(v.depth),
                Prop::Shorthand(_) => 0,
                Prop::Method(k, _, f) => key_depth(k).max(function_depth(f)),
                Prop::Spread(e) => e.depth,
                Prop::CoverInit(_, e) => e.depth,
            })),
            Function(f) | Arrow(f) => function_depth(f),
            Class(c) => class_depth(c),
            Unary(_, e)
            | Paren(e)
            | Await(e)
            | OptionalChain(e)
            | ImportCall(e)
            | PrivateIn(_, e) => e.depth,
            Update { target, .. } => target.depth,
            Binary(_, a, b) | Logical(_, a, b) => a.depth.max(b.depth),
            Assign { target, value, .. } => target.depth.max(value.depth),
            Conditional(a, b, c) => a.depth.max(b.depth).max(c.depth),
            Call { callee, args, .. } | New { callee, args } => callee.depth.max(args_depth(args)),
            Member { object, prop, .. } => object.depth.max(member_prop_depth(prop)),
            SuperMember(p) => member_prop_depth(p),
            SuperCall(args) => args_depth(args),
            Sequence(es) => max_depth(es.iter().map(|e| e.depth)),
            Yield { arg, .. } => arg.as_ref().map_or(0, |e| e.depth),
            CoverParams(ps) => params_depth(ps),
        }
    }
}

impl StmtKind {
    fn child_depth(&self) -> u32 {
        use StmtKind::*;
        let decl =
            |d: &VarDecl| max_depth(d.decls.iter().map(|d| d.target.depth.max(opt_b(&d.init))));
        let head = |h: &ForHead| match h {
            ForHead::Decl(_, p) | ForHead::Target(p) => p.depth,
        };
        match self {
            Expr(e) | Throw(e) => e.depth,
            Var(d) => decl(d),
            Function(f) => function_depth(f),
            Class(c) => class_depth(c),
            Return(e) => opt_e(e),
            If(c, a, b) => c.depth.max(a.depth).max(b.as_ref().map_or(0, |s| s.depth)),
            Block(b) => stmts_depth(b),
            For {
                init,
                test,
                update,
                body,
            } => {
                let i = match init.as_deref() {
                    None => 0,
                    Some(ForInit::Var(d)) => decl(d),
                    Some(ForInit::Expr(e)) => e.depth,
                };
                i.max(opt_b(test)).max(opt_b(update)).max(body.depth)
            }
            ForIn(h, e, b) => head(h).max(e.depth).max(b.depth),
            ForOf {
                head: h,
                iterable,
                body,
                ..
            } => head(h).max(iterable.depth).max(body.depth),
            While(e, b) | With(e, b) => e.depth.max(b.depth),
            DoWhile(b, e) => e.depth.max(b.depth),
            Break(_) | Continue(_) | Empty | Debugger => 0,
            Try {
                block,
                handler,
                finalizer,
            } => stmts_depth(block)
                .max(handler.as_ref().map_or(0, |h| {
                    stmts_depth(&h.body).max(h.param.as_ref().map_or(0, |p| p.depth))
                }))
                .max(finalizer.as_deref().map_or(0, stmts_depth)),
            Switch(e, cases) => e.depth.max(max_depth(
                cases
                    .iter()
                    .map(|c| opt_e(&c.test).max(stmts_depth(&c.body))),
            )),
            Labeled(_, s) => s.depth,
        }
    }
}

impl PatternKind {
    fn child_depth(&self) -> u32 {
        match self {
            PatternKind::Ident(_) => 0,
            PatternKind::Object { props, rest } => max_depth(
                props
                    .iter()
                    .map(|p| key_depth(&p.key).max(p.target.depth).max(opt_e(&p.default))),
            )
            .max(rest.as_ref().map_or(0, |r| r.depth)),
            PatternKind::Array { elems, rest } => max_depth(elems.iter().map(|e| {
                e.as_ref()
                    .map_or(0, |e| e.target.depth.max(opt_e(&e.default)))
            }))
            .max(rest.as_ref().map_or(0, |r| r.depth)),
            PatternKind::Expr(e) => e.depth,
        }
    }
}

impl Expr {
    /// Builds a node; a node deeper than [`MAX_DEPTH`] replaces its children with
    /// [`ExprKind::Invalid`] (the parser reports the error), so no tree is ever deeper.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        let depth = kind.child_depth() + 1;
        if depth > MAX_DEPTH {
            note_too_deep(span);
            return Expr {
                kind: ExprKind::Invalid,
                span,
                depth: MAX_DEPTH + 1,
            };
        }
        Expr { kind, span, depth }
    }
    pub fn is_too_deep(&self) -> bool {
        self.depth > MAX_DEPTH
    }
}

impl Stmt {
    pub fn new(kind: StmtKind, span: Span) -> Stmt {
        let depth = kind.child_depth() + 1;
        if depth > MAX_DEPTH {
            note_too_deep(span);
            return Stmt {
                kind: StmtKind::Empty,
                span,
                depth: MAX_DEPTH + 1,
            };
        }
        Stmt { kind, span, depth }
    }
}

impl Pattern {
    pub fn new(kind: PatternKind, span: Span) -> Pattern {
        let depth = kind.child_depth() + 1;
        if depth > MAX_DEPTH {
            note_too_deep(span);
            let ident = Ident {
                name: "".into(),
                span,
            };
            return Pattern {
                kind: PatternKind::Ident(ident),
                span,
                depth: MAX_DEPTH + 1,
            };
        }
        Pattern { kind, span, depth }
    }
}
