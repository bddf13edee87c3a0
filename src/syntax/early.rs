//! Early errors: the static semantics ECMA-262 requires before a script runs, checked on the
//! finished tree — declarations and their scopes, labels and `break`/`continue` targets,
//! `super`, `yield`/`await`, strict-mode restrictions, class private names, and the cover
//! grammar leftovers (`{a = 1}` outside a pattern).
//!
//! The script is a CommonJS module: node compiles it as the body of a sloppy function, so
//! top-level `return`, `new.target` and `arguments` are fine, and a `"use strict"` directive at
//! the top makes the whole file strict.
//!
//! Which error is reported, and where, follows V8 (see tests/js/syntax_errors/README.md). V8
//! stops at the first error it *detects* while parsing, and some errors are detected only at
//! the end of a construct: a function declaration that redeclares a name is declared after its
//! body was parsed, a `var` in a nested block is checked against the blocks it crosses when the
//! enclosing function ends, strict-mode parameter errors wait for the end of the body (it may
//! start with `"use strict"`), private names are resolved when the outermost class ends. So
//! every error is recorded with its *detection point*, and the one detected first wins. Some
//! of those end-of-construct checks still run while V8 unwinds from an error inside the
//! construct, and replace it when they mark text before it ([`Checker::report_late`]).
//!
//! The walk recurses; the parser bounds the tree depth ([`MAX_DEPTH`](super::ast::MAX_DEPTH)),
//! and the recursive functions keep their frames small: their `match` arms bind nothing, the
//! work for a node kind lives in its own non-inlined function, and errors are built outside
//! the recursion. At `MAX_DEPTH` the walk takes less than 1 MiB of stack in a debug build
//! (`deep_trees_fit_the_test_stack`).

use std::collections::HashMap as StdHashMap;
use std::hash::BuildHasherDefault;

use crate::fxhash::FxHasher;

use super::ast::*;
use super::error::{SyntaxError, SyntaxErrorKind as K};
use super::token::{Tok, Utf16};

/// Checks the early errors of a parsed script; `src` is the text it was parsed from (directives,
/// legacy octal literals and escapes are judged on the raw text).
pub fn check(program: &Program, src: &str) -> Result<(), SyntaxError> {
    check_with(program, src, false).map(|_| ())
}

/// [`check`], where `top_level_await` makes the script's top level an async body (the REPL's
/// top-level `await`). Returns the offsets (sorted) of the `yield` words the grammar took for
/// operators that are names here (sloppy code outside generators): the caller parses again
/// with them lexed as names.
pub fn check_with(
    program: &Program,
    src: &str,
    top_level_await: bool,
) -> Result<Vec<usize>, SyntaxError> {
    check_in(program, src, top_level_await, None)
}

/// What the code around a direct eval allows its code: strict mode, `super.x`, `super()`.
#[derive(Clone, Copy, Debug, Default)]
pub struct EvalContext {
    pub strict: bool,
    pub super_prop: bool,
    pub super_call: bool,
}

/// [`check_with`] for eval code (`eval`: the context of a direct eval; indirect eval code is
/// checked as a script but for `return`).
pub fn check_in(
    program: &Program,
    src: &str,
    top_level_await: bool,
    eval: Option<EvalContext>,
) -> Result<Vec<usize>, SyntaxError> {
    let mut c = Checker::new(src);
    c.top_level_await = top_level_await;
    c.eval = eval;
    c.program(program);
    match c.best {
        Some((_, e)) => Err(e),
        None => {
            let mut names = std::mem::take(&mut c.yield_names);
            names.sort_unstable();
            names.dedup();
            Ok(names)
        }
    }
}

/// The maps of declared names: keyed by short strings from the source, and built for every scope,
/// so hashed with the multiply-rotate hash of rustc's FxHasher rather than SipHash (which was a
/// visible share of the early-error pass). A script can only slow its own parse down with
/// colliding names.
type HashMap<K, V> = StdHashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Identifiers that strict code may not use as names.
const STRICT_RESERVED: &[&str] = &[
    "implements",
    "interface",
    "let",
    "package",
    "private",
    "protected",
    "public",
    "static",
    "yield",
];

fn is_strict_reserved(name: &str) -> bool {
    STRICT_RESERVED.contains(&name)
}

fn is_eval_or_arguments(name: &str) -> bool {
    name == "eval" || name == "arguments"
}

// ---- Scopes ----

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ScopeKind {
    /// Receives `var` declarations: a function body, the script, a static block, or the body of
    /// a function with non-simple parameters (V8's "varblock" scope).
    Declaration,
    Block,
    /// The scope of a `catch (e)` parameter; `var e` in the catch block may cross it.
    Catch,
}

#[derive(Clone, Copy)]
struct Binding {
    lexical: bool,
    /// A plain function declaration directly in a block in sloppy code: redeclaring one with
    /// another is allowed (Annex B).
    sloppy_fn: bool,
}

struct Scope<'a> {
    kind: ScopeKind,
    parent: usize,
    names: HashMap<&'a str, Binding>,
    /// Lexical declarations in declaration order, with the position V8 reports them at.
    lexical: Vec<(&'a str, u32)>,
}

/// What the code at the current point may contain. Saved and restored around functions, class
/// bodies, field initializers and parameters.
#[derive(Clone, Copy, Default)]
struct Ctx {
    strict: bool,
    /// `yield` is an operator (generator code, or arrow parameters inside it).
    generator: bool,
    /// `await` is an operator.
    is_async: bool,
    /// Inside the formal parameters of the innermost function.
    params: bool,
    super_call: bool,
    super_prop: bool,
    /// A class field initializer or static block (arrow functions inherit it).
    no_arguments: bool,
    /// Directly in a class static block: `await` is reserved.
    await_reserved: bool,
    return_ok: bool,
    /// In the parameters of an async arrow where `await` is a name outside: V8 parsed them as
    /// the arguments of a call to `async`, so `await x` there is a name followed by a token.
    async_arrow_head: bool,
}

/// Per-function (or static block) state.
#[derive(Default)]
struct Func<'a> {
    /// The context around the function, restored when it ends.
    outer: Ctx,
    outer_cur: usize,
    /// The first scope of the function in [`Checker::scopes`].
    scope_base: usize,
    /// The first of its parameter names in [`Checker::param_names`].
    names_base: usize,
    /// The scope of its parameters, and that of its body (the same for simple parameters).
    param_scope: usize,
    body_scope: usize,
    simple: bool,
    strict: bool,
    /// The first repeated parameter name.
    dup: Option<Span>,
    /// Where the strict-mode octal check starts.
    octal_floor: u32,
    var_scope: usize,
    /// `var` declarations made inside nested blocks: (name, position, scope declared from).
    nested_vars: Vec<(&'a str, u32, usize)>,
    /// The enclosing labels, innermost last, and whether each labels an iteration statement.
    labels: Vec<(&'a str, bool)>,
    loops: u32,
    breakables: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PrivateKind {
    Other,
    Getter(bool),
    Setter(bool),
    Both,
}

#[derive(Default)]
struct ClassCtx<'a> {
    declared: HashMap<&'a str, PrivateKind>,
    /// Private names used but not (yet) found: name and the range V8 reports (the `.`).
    unresolved: Vec<(&'a str, Span)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Octal {
    Literal,
    LeadingZero,
    Escape,
    Escape89,
}

/// Errors that mark a keyword (see [`Checker::keyword_error`]).
#[derive(Clone, Copy)]
enum Kw {
    Class,
    Return,
    With,
    SuperProp,
    SuperCall,
    ForAwait,
    Default,
}

/// Where the parser (V8's) returns when an expression ends right here: what it reports when
/// `await` or `yield` is an identifier followed by another token.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Tail {
    /// `ExpectSemicolon` of a statement: V8 has a special message for `await`.
    Stmt,
    /// A call's argument list: `missing ) after argument list`.
    Args,
    /// Anything else: the next token is unexpected.
    #[default]
    Other,
}

/// How a binding identifier is declared.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bind {
    Var,
    Lexical,
    /// Parameters are collected by [`Checker::function`] (duplicates are judged at its end).
    Param,
}

/// Where a statement stands: single-statement positions may not hold declarations.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pos {
    List,
    /// Loop and `with` bodies.
    Single,
    /// The branches of `if`: sloppy code may put a plain function declaration there.
    IfBody,
    /// The body of a labelled statement; `allow_fn` when the label itself stands where a
    /// labelled function declaration is allowed (sloppy code, statement list).
    Labeled {
        allow_fn: bool,
    },
}

struct Checker<'a> {
    src: &'a str,
    /// The error detected first so far: (detection point, error).
    best: Option<(u32, SyntaxError)>,
    /// `yield` words parsed as operators that are names here (see [`check_with`]).
    yield_names: Vec<usize>,
    /// All scopes of the functions being checked; the scopes of a function are dropped when it
    /// ends (a nested `var` is checked against the blocks it crosses only then).
    scopes: Vec<Scope<'a>>,
    cur: usize,
    funcs: Vec<Func<'a>>,
    classes: Vec<ClassCtx<'a>>,
    ctx: Ctx,
    /// The last legacy octal literal or escape seen (V8's scanner remembers only the last one
    /// and strict functions look at it when they end).
    last_octal: Option<(Span, Octal)>,
    /// Parameter names of the functions being walked.
    param_names: Vec<&'a Ident>,
    /// Contexts saved around class bodies and field initializers.
    saved: Vec<Ctx>,
    /// Where the next function's octal check starts, when that is after its start (a method:
    /// after its key).
    octal_floor: Option<u32>,
    /// What ends when the current expression ends; with whether the statement there is in an
    /// async function.
    tail: Tail,
    tail_async: bool,
    /// The top level is an async body (the REPL's top-level `await`).
    top_level_await: bool,
    /// Checking eval code (see [`EvalContext`]).
    eval: Option<EvalContext>,
}

const NO_SCOPE: usize = usize::MAX;

impl<'a> Checker<'a> {
    fn new(src: &'a str) -> Self {
        Checker {
            src,
            best: None,
            yield_names: Vec::new(),
            scopes: Vec::new(),
            cur: NO_SCOPE,
            funcs: Vec::new(),
            classes: Vec::new(),
            ctx: Ctx::default(),
            eval: None,
            last_octal: None,
            param_names: Vec::new(),
            saved: Vec::new(),
            octal_floor: None,
            tail: Tail::Other,
            tail_async: false,
            top_level_await: false,
        }
    }

    /// Records an error detected at `key`; the earliest detection wins (the first recorded on
    /// a tie). After an error V8 stops parsing, so later checks do not run.
    fn report(&mut self, key: u32, kind: K, span: Span) {
        if self.best.as_ref().is_none_or(|(k, _)| key < *k) {
            self.best = Some((key, SyntaxError::new(kind, span)));
        }
    }

    /// An error found by a check that V8 runs when the construct starting at `start` ends,
    /// even while unwinding from an error inside it (a function declaration's binding, the
    /// strict function-name and octal checks, the nested-`var` check, the validation of
    /// `{a = 1}`). V8's error handler then keeps the new error if it lies entirely before the
    /// pending one (`PendingCompilationErrorHandler::ReportMessageAt`).
    fn report_late(&mut self, start: u32, key: u32, kind: K, span: Span) {
        match &self.best {
            Some((k, pending)) if *k >= start && *k <= key => {
                if span.end < pending.span.start {
                    let k = *k;
                    self.best = Some((k, SyntaxError::new(kind, span)));
                }
            }
            _ => self.report(key, kind, span),
        }
    }

    /// [`Checker::report_late`] for an error value.
    fn report_late_err(&mut self, start: u32, key: u32, e: Option<SyntaxError>) {
        if let Some(e) = e {
            self.report_late(start, key, e.kind, e.span);
        }
    }

    /// [`Checker::report`] for an error value.
    fn report_err(&mut self, key: u32, e: Option<SyntaxError>) {
        if let Some(e) = e {
            self.report(key, e.kind, e.span);
        }
    }

    /// Reports an error that marks a keyword at `pos` (`len` bytes). Called from the
    /// recursive walk, which so keeps no error values in its frames.
    #[inline(never)]
    fn keyword_error(&mut self, pos: u32, len: usize, which: Kw) {
        let span = self.word(pos, len);
        let kind = match which {
            Kw::Class => K::UnexpectedTokenText("class".into()),
            Kw::Return => K::IllegalReturn,
            Kw::With => K::StrictWith,
            Kw::SuperProp => K::SuperPropOutsideMethod,
            Kw::SuperCall => K::SuperCallOutsideConstructor,
            Kw::ForAwait => K::ReservedWord,
            Kw::Default => K::MultipleDefaults,
        };
        self.report(span.start, kind, span);
    }

    // ---- Source text helpers ----

    /// The range of the one character at `pos` (V8's `Location(pos, pos + 1)`).
    fn one_char(&self, pos: u32) -> Span {
        let p = pos as usize;
        let len = self
            .src
            .get(p..)
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8);
        Span::new(p, p + len)
    }

    /// The range of `n` UTF-16 units of source text from `pos`.
    fn units(&self, pos: u32, n: usize) -> Span {
        let p = pos as usize;
        let mut end = p;
        let mut count = 0;
        for c in self.src[p.min(self.src.len())..].chars() {
            if count >= n {
                break;
            }
            count += c.len_utf16();
            end += c.len_utf8();
        }
        Span::new(p, end)
    }

    /// A fixed-length keyword at `pos`.
    fn word(&self, pos: u32, len: usize) -> Span {
        let p = pos as usize;
        Span::new(p, (p + len).min(self.src.len()))
    }

    /// Skips white space, line terminators and comments from byte `i`.
    fn skip_trivia(&self, mut i: usize) -> usize {
        let s = self.src;
        while i < s.len() {
            let rest = &s[i..];
            if rest.starts_with("//") {
                i += rest
                    .find(['\n', '\r', '\u{2028}', '\u{2029}'])
                    .unwrap_or(rest.len());
            } else if let Some(comment) = rest.strip_prefix("/*") {
                i += comment.find("*/").map_or(rest.len(), |n| n + 4);
            } else {
                let c = rest.chars().next().unwrap_or('x');
                if c.is_whitespace() || c == '\u{feff}' {
                    i += c.len_utf8();
                } else {
                    break;
                }
            }
        }
        i
    }

    /// The end of the identifier-like word starting at `i`.
    fn word_end(&self, i: usize) -> usize {
        let rest = &self.src[i.min(self.src.len())..];
        let n = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '\\'))
            .map_or(rest.len(), |(n, _)| n);
        i + n
    }

    /// The text of the token starting at `pos`, for "Unexpected token '…'": a word or one
    /// punctuator character.
    fn token_text(&self, pos: u32) -> (Span, Box<str>) {
        let p = pos as usize;
        let end = self.word_end(p);
        let end = if end > p {
            end
        } else {
            self.one_char(pos).end as usize
        };
        (Span::new(p, end), self.src[p..end].into())
    }

    /// The punctuator (longest match) or word starting at `pos`.
    fn punctuator(&self, pos: u32) -> (Span, Box<str>) {
        const PUNCTUATORS: &[&str] = &[
            ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>",
            "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=",
            "%=", "&=", "|=", "^=", "**", "<<", ">>",
        ];
        let p = pos as usize;
        let rest = self.src.get(p..).unwrap_or("");
        match PUNCTUATORS.iter().find(|x| rest.starts_with(**x)) {
            Some(x) => (Span::new(p, p + x.len()), (*x).into()),
            None => self.token_text(pos),
        }
    }

    // ---- Scopes ----

    fn push_scope(&mut self, kind: ScopeKind) {
        self.scopes.push(Scope {
            kind,
            parent: self.cur,
            names: HashMap::default(),
            lexical: Vec::new(),
        });
        self.cur = self.scopes.len() - 1;
    }

    /// Leaves the current scope; its bindings stay until the function ends.
    fn pop_scope(&mut self) {
        self.cur = self.scopes[self.cur].parent;
    }

    fn func(&mut self) -> &mut Func<'a> {
        self.funcs.last_mut().expect("inside a function")
    }

    /// V8's `Scope::DeclareVariable`: `var` goes to the function's declaration scope (and is
    /// remembered for the end-of-function check when it comes from a nested block); a
    /// conflict with a binding of the same scope is detected at `key`, marking `span`.
    /// `late`: the start of a function declaration, declared (and checked) even while V8
    /// unwinds from an error in its body.
    #[allow(clippy::too_many_arguments)]
    fn declare(
        &mut self,
        name: &'a str,
        lexical: bool,
        sloppy_fn: bool,
        pos: u32,
        span: Span,
        key: u32,
        late: Option<u32>,
    ) {
        let target = if lexical {
            self.cur
        } else {
            let f = self.func();
            let t = f.var_scope;
            if t != self.cur {
                let cur = self.cur;
                self.func().nested_vars.push((name, pos, cur));
            }
            t
        };
        let scope = &mut self.scopes[target];
        let conflict = match scope.names.get(name) {
            Some(b) => (b.lexical || lexical) && !(b.sloppy_fn && sloppy_fn),
            None => {
                scope.names.insert(name, Binding { lexical, sloppy_fn });
                false
            }
        };
        if lexical {
            scope.lexical.push((name, pos));
        }
        if conflict {
            let kind = K::AlreadyDeclared(name.into());
            match late {
                Some(start) => self.report_late(start, key, kind, span),
                None => self.report(key, kind, span),
            }
        }
    }

    /// The nested-`var` check V8 runs when a function ends
    /// (`DeclarationScope::CheckConflictingVarDeclarations`).
    fn nested_var_conflict(&self) -> Option<SyntaxError> {
        let f = self.funcs.last()?;
        for &(name, pos, from) in &f.nested_vars {
            let mut s = from;
            while s != f.var_scope && s != NO_SCOPE {
                let scope = &self.scopes[s];
                if scope.kind != ScopeKind::Catch && scope.names.contains_key(name) {
                    return Some(SyntaxError::new(
                        K::AlreadyDeclared(name.into()),
                        self.one_char(pos),
                    ));
                }
                s = scope.parent;
            }
        }
        None
    }

    /// V8's `ReportVarRedeclarationIn`: the first lexical declaration of `name` in `scope`,
    /// marked from its position for the length of the name.
    fn redeclaration_in(&self, scope: usize, name: &str) -> Option<SyntaxError> {
        let &(n, pos) = self.scopes[scope]
            .lexical
            .iter()
            .find(|(n, _)| *n == name)?;
        let span = self.units(pos, n.encode_utf16().count());
        Some(SyntaxError::new(K::AlreadyDeclared(n.into()), span))
    }

    // ---- Program and statements ----

    /// The span of a `"use strict"` directive in the directive prologue of `body`.
    fn use_strict(&self, body: &[Stmt]) -> Option<Span> {
        for s in body {
            let StmtKind::Expr(e) = &s.kind else {
                return None;
            };
            let ExprKind::String(_) = &e.kind else {
                return None;
            };
            let raw = &self.src[e.span.start as usize..e.span.end as usize];
            if raw == "\"use strict\"" || raw == "'use strict'" {
                return Some(e.span);
            }
        }
        None
    }

    fn program(&mut self, p: &'a Program) {
        self.ctx = Ctx {
            strict: self.use_strict(&p.body).is_some(),
            return_ok: true,
            is_async: self.top_level_await,
            ..Ctx::default()
        };
        if let Some(e) = self.eval {
            self.ctx.strict |= e.strict;
            self.ctx.super_prop = e.super_prop;
            self.ctx.super_call = e.super_call;
            self.ctx.return_ok = false;
        }
        self.push_scope(ScopeKind::Declaration);
        self.funcs.push(Func {
            outer: self.ctx,
            outer_cur: NO_SCOPE,
            param_scope: self.cur,
            body_scope: self.cur,
            simple: true,
            strict: self.ctx.strict,
            var_scope: self.cur,
            ..Func::default()
        });
        self.stmts(&p.body);
        let key = self.src.len() as u32;
        let e = self.nested_var_conflict();
        self.report_late_err(0, key, e);
        if self.ctx.strict {
            let e = self.octal_in(Span::new(0, self.src.len()));
            self.report_late_err(0, key, e);
        }
    }

    /// The strict-mode octal error for the last legacy octal seen, if it lies in `range`
    /// (V8's `CheckStrictOctalLiteral`, run when a strict function ends).
    fn octal_in(&mut self, range: Span) -> Option<SyntaxError> {
        let (span, kind) = self.last_octal?;
        if span.start < range.start || span.end > range.end {
            return None;
        }
        self.last_octal = None;
        let kind = match kind {
            Octal::Literal => K::StrictOctalLiteral,
            Octal::LeadingZero => K::StrictDecimalLeadingZero,
            Octal::Escape => K::StrictOctalEscape,
            Octal::Escape89 => K::Strict8Or9Escape,
        };
        Some(SyntaxError::new(kind, span))
    }

    fn stmts(&mut self, body: &'a [Stmt]) {
        for s in body {
            self.stmt(s, Pos::List);
        }
    }

    fn stmt(&mut self, s: &'a Stmt, pos: Pos) {
        use StmtKind as S;
        // Arms bind nothing: the frame of this recursive function stays small.
        match s.kind {
            S::Expr(_) | S::Throw(_) => self.expr_stmt(s),
            S::Var(_) => self.var_stmt(s, pos),
            S::Function(_) => self.function_declaration(s, pos),
            S::Class(_) => self.class_declaration(s, pos),
            S::Return(_) => self.return_stmt(s),
            S::If(..) => self.if_stmt(s),
            S::Block(_) => self.block_stmt(s),
            S::For { .. } => self.for_stmt(s),
            S::ForIn(..) | S::ForOf { .. } => self.for_in_of(s),
            S::While(..) | S::DoWhile(..) => self.while_stmt(s),
            S::Break(_) => self.break_stmt(s),
            S::Continue(_) => self.continue_stmt(s),
            S::Try { .. } => self.try_stmt(s),
            S::Switch(..) => self.switch_stmt(s),
            S::Labeled(..) => self.labeled(s, pos),
            S::With(..) => self.with_stmt(s),
            S::Empty | S::Debugger => {}
        }
    }

    #[inline(never)]
    fn expr_stmt(&mut self, s: &'a Stmt) {
        if let StmtKind::Expr(e) | StmtKind::Throw(e) = &s.kind {
            self.stmt_expr(e);
        }
    }

    #[inline(never)]
    fn var_stmt(&mut self, s: &'a Stmt, pos: Pos) {
        let StmtKind::Var(d) = &s.kind else { return };
        if pos != Pos::List && d.kind != VarKind::Var {
            self.single_statement_declaration(s, d.kind == VarKind::Const);
        }
        self.let_then_reserved(d.kind, d.decls.first().map(|d| &d.target), s.span.start);
        self.var_decl(d);
    }

    /// In strict code `let` followed by `implements`, `interface`, `package`, `private`,
    /// `protected` or `public` is not a declaration for V8: `let` itself is the reserved word
    /// it reports.
    #[inline(never)]
    fn let_then_reserved(&mut self, kind: VarKind, first: Option<&Pattern>, let_pos: u32) {
        if kind != VarKind::Let || !self.ctx.strict {
            return;
        }
        if let Some(Pattern {
            kind: PatternKind::Ident(id),
            ..
        }) = first
        {
            if is_strict_reserved(&id.name) && !matches!(&*id.name, "let" | "static" | "yield") {
                let span = self.word(let_pos, 3);
                self.report(span.start, K::StrictReserved, span);
            }
        }
    }

    /// Where the `let` / `const` / `var` of a `for (…` head starts.
    fn for_decl_pos(&self, s: &Stmt) -> u32 {
        let i = self.skip_trivia(s.span.start as usize + 3);
        let i = if self.src[i..].starts_with("await") {
            self.skip_trivia(i + 5)
        } else {
            i
        };
        self.skip_trivia(i + 1) as u32
    }

    #[inline(never)]
    fn class_declaration(&mut self, s: &'a Stmt, pos: Pos) {
        let StmtKind::Class(c) = &s.kind else { return };
        if pos != Pos::List {
            self.keyword_error(s.span.start, 5, Kw::Class);
        }
        self.class(c, true);
    }

    #[inline(never)]
    fn return_stmt(&mut self, s: &'a Stmt) {
        let StmtKind::Return(e) = &s.kind else { return };
        if !self.ctx.return_ok {
            self.keyword_error(s.span.start, 6, Kw::Return);
        }
        if let Some(e) = e {
            // An arrow function's expression body ends where the arrow does.
            if e.span == s.span {
                self.expr(e);
            } else {
                self.stmt_expr(e);
            }
        }
    }

    #[inline(never)]
    fn if_stmt(&mut self, s: &'a Stmt) {
        let StmtKind::If(c, a, b) = &s.kind else {
            return;
        };
        self.expr(c);
        self.stmt(a, Pos::IfBody);
        if let Some(b) = b {
            self.stmt(b, Pos::IfBody);
        }
    }

    #[inline(never)]
    fn block_stmt(&mut self, s: &'a Stmt) {
        let StmtKind::Block(b) = &s.kind else { return };
        self.push_scope(ScopeKind::Block);
        self.stmts(b);
        self.pop_scope();
    }

    #[inline(never)]
    fn while_stmt(&mut self, s: &'a Stmt) {
        match &s.kind {
            StmtKind::While(c, b) => {
                self.expr(c);
                self.loop_body(b);
            }
            StmtKind::DoWhile(b, c) => {
                self.loop_body(b);
                self.expr(c);
            }
            _ => {}
        }
    }

    #[inline(never)]
    fn with_stmt(&mut self, s: &'a Stmt) {
        let StmtKind::With(o, b) = &s.kind else {
            return;
        };
        if self.ctx.strict {
            self.keyword_error(s.span.start, 4, Kw::With);
        }
        self.expr(o);
        self.stmt(b, Pos::Single);
    }

    /// `if (a) let x = 1;`, `while (a) const x = 1;`.
    #[inline(never)]
    fn single_statement_declaration(&mut self, s: &Stmt, is_const: bool) {
        if is_const {
            let span = self.word(s.span.start, 5);
            self.report(span.start, K::UnexpectedTokenText("const".into()), span);
        } else {
            let span = self.word(s.span.start, 3);
            self.report(span.start, K::LexicalInSingleStatement, span);
        }
    }

    #[inline(never)]
    fn var_decl(&mut self, d: &'a VarDecl) {
        let bind = if d.kind == VarKind::Var {
            Bind::Var
        } else {
            Bind::Lexical
        };
        for decl in &d.decls {
            self.bind_pattern(&decl.target, bind);
            match &decl.init {
                Some(init) => self.stmt_expr(init),
                None => self.missing_initializer(&decl.target, d.kind),
            }
        }
    }

    /// `const a;`, `let [a];` (not in for-in/of heads, which have no initializer).
    #[inline(never)]
    fn missing_initializer(&mut self, t: &Pattern, kind: VarKind) {
        let is_const = match t.kind {
            PatternKind::Ident(_) if kind == VarKind::Const => true,
            PatternKind::Object { .. } | PatternKind::Array { .. } => false,
            _ => return,
        };
        self.report(t.span.end, K::MissingInitializer { is_const }, t.span);
    }

    #[inline(never)]
    fn function_declaration(&mut self, s: &'a Stmt, pos: Pos) {
        let StmtKind::Function(f) = &s.kind else {
            return;
        };
        if pos != Pos::List {
            self.function_position(s, f, pos);
        }
        // `if (a) function f() {}` declares `f` in a block of its own.
        let own_block = pos == Pos::IfBody;
        if own_block {
            self.push_scope(ScopeKind::Block);
        }
        self.function(f);
        self.declare_function(s, f);
        if own_block {
            self.pop_scope();
        }
    }

    /// A function declaration where a single statement stands.
    #[inline(never)]
    fn function_position(&mut self, s: &'a Stmt, f: &'a Function, pos: Pos) {
        let start = s.span.start;
        let sloppy_ok =
            !self.ctx.strict && matches!(pos, Pos::IfBody | Pos::Labeled { allow_fn: true });
        if f.is_async {
            let span = self.word(start, 5);
            self.report(start, K::AsyncFunctionPosition, span);
        } else if sloppy_ok {
            if f.is_generator {
                let star = self.skip_trivia(start as usize + 8);
                let span = self.one_char(star as u32);
                self.report(span.start, K::GeneratorPosition, span);
            }
        } else {
            let span = self.word(start, 8);
            let kind = if self.ctx.strict {
                K::StrictFunctionPosition
            } else {
                K::SloppyFunctionPosition
            };
            self.report(start, kind, span);
        }
    }

    /// A function declaration's name: like `var` at the top level of a function or script,
    /// lexical in a block. Declared when the body has been parsed.
    #[inline(never)]
    fn declare_function(&mut self, s: &'a Stmt, f: &'a Function) {
        let Some(name) = &f.name else { return };
        let start = s.span.start;
        let lexical = self.scopes[self.cur].kind != ScopeKind::Declaration;
        let sloppy_fn = lexical && !self.ctx.strict && !f.is_async && !f.is_generator;
        let span = self.one_char(start);
        self.declare(
            &name.name,
            lexical,
            sloppy_fn,
            start,
            span,
            f.span.end,
            Some(start),
        );
    }

    fn loop_body(&mut self, body: &'a Stmt) {
        let f = self.func();
        f.loops += 1;
        f.breakables += 1;
        self.stmt(body, Pos::Single);
        let f = self.func();
        f.loops -= 1;
        f.breakables -= 1;
    }

    #[inline(never)]
    fn for_stmt(&mut self, s: &'a Stmt) {
        let StmtKind::For {
            init,
            test,
            update,
            body,
        } = &s.kind
        else {
            return;
        };
        let init = init.as_deref();
        let scoped = matches!(init, Some(ForInit::Var(d)) if d.kind != VarKind::Var);
        if scoped {
            self.push_scope(ScopeKind::Block);
        }
        match init {
            Some(ForInit::Var(d)) => {
                let first = d.decls.first().map(|d| &d.target);
                self.let_then_reserved(d.kind, first, self.for_decl_pos(s));
                self.var_decl(d);
            }
            Some(ForInit::Expr(e)) => self.expr(e),
            None => {}
        }
        if let Some(t) = test {
            self.expr(t);
        }
        if let Some(u) = update {
            self.expr(u);
        }
        self.loop_body(body);
        if scoped {
            self.pop_scope();
        }
    }

    #[inline(never)]
    fn for_in_of(&mut self, s: &'a Stmt) {
        let (head, e, body, aw) = match &s.kind {
            StmtKind::ForIn(head, e, body) => (head, e, body, false),
            StmtKind::ForOf {
                head,
                iterable,
                body,
                is_await,
            } => (head, iterable, body, *is_await),
            _ => return,
        };
        if aw && !self.ctx.is_async {
            let p = self.skip_trivia(s.span.start as usize + 3);
            self.keyword_error(p as u32, 5, Kw::ForAwait);
        }
        match head {
            ForHead::Decl(kind, p) => {
                // Annex B's `for (var x = 1 in o)` (see builder::for_in_initializer): sloppy
                // code only.
                if let ExprKind::Sequence(es) = &e.kind {
                    if let Some(Expr {
                        kind: ExprKind::Assign { .. },
                        span,
                        ..
                    }) = es.first()
                    {
                        if span.start == p.span.start && self.ctx.strict {
                            self.report(span.start, K::ForInOfInitializer("for-in"), *span);
                        }
                    }
                }
                self.let_then_reserved(*kind, Some(p), self.for_decl_pos(s));
                let scoped = *kind != VarKind::Var;
                if scoped {
                    self.push_scope(ScopeKind::Block);
                }
                let bind = if scoped { Bind::Lexical } else { Bind::Var };
                self.bind_pattern(p, bind);
                self.expr(e);
                self.loop_body(body);
                if scoped {
                    self.pop_scope();
                }
            }
            ForHead::Target(p) => {
                self.assign_pattern(p);
                self.expr(e);
                self.loop_body(body);
            }
        }
    }

    #[inline(never)]
    fn break_stmt(&mut self, s: &'a Stmt) {
        let StmtKind::Break(label) = &s.kind else {
            return;
        };
        match label {
            None => {
                if self.func().breakables == 0 {
                    let span = self.word(s.span.start, 5);
                    self.report(span.start, K::IllegalBreak, span);
                }
            }
            Some(l) => {
                self.ident_ref(&l.name, l.span);
                if !self.func().labels.iter().any(|(n, _)| *n == &*l.name) {
                    self.report(l.span.start, K::UndefinedLabel(l.name.clone()), l.span);
                }
            }
        }
    }

    #[inline(never)]
    fn continue_stmt(&mut self, s: &'a Stmt) {
        let StmtKind::Continue(label) = &s.kind else {
            return;
        };
        match label {
            None => {
                if self.func().loops == 0 {
                    let span = self.word(s.span.start, 8);
                    self.report(span.start, K::IllegalContinue, span);
                }
            }
            Some(l) => {
                self.ident_ref(&l.name, l.span);
                let found = self
                    .func()
                    .labels
                    .iter()
                    .rev()
                    .find(|(n, _)| *n == &*l.name);
                match found {
                    None => self.report(l.span.start, K::UndefinedLabel(l.name.clone()), l.span),
                    Some((_, false)) => self.report(
                        l.span.start,
                        K::IllegalContinueLabel(l.name.clone()),
                        l.span,
                    ),
                    Some((_, true)) => {}
                }
            }
        }
    }

    #[inline(never)]
    fn labeled(&mut self, s: &'a Stmt, pos: Pos) {
        let StmtKind::Labeled(label, body) = &s.kind else {
            return;
        };
        self.label_name(label);
        let mut inner = body;
        while let StmtKind::Labeled(_, b) = &inner.kind {
            inner = b;
        }
        let is_loop = matches!(
            inner.kind,
            StmtKind::For { .. }
                | StmtKind::ForIn(..)
                | StmtKind::ForOf { .. }
                | StmtKind::While(..)
                | StmtKind::DoWhile(..)
        );
        self.func().labels.push((&label.name, is_loop));
        let allow_fn = matches!(pos, Pos::List | Pos::Labeled { allow_fn: true });
        self.stmt(body, Pos::Labeled { allow_fn });
        self.func().labels.pop();
    }

    #[inline(never)]
    fn label_name(&mut self, label: &'a Ident) {
        self.ident_ref(&label.name, label.span);
        if self.func().labels.iter().any(|(n, _)| *n == &*label.name) {
            let kind = K::LabelRedeclared(label.name.clone());
            self.report(label.span.start, kind, label.span);
        }
    }

    #[inline(never)]
    fn try_stmt(&mut self, s: &'a Stmt) {
        let StmtKind::Try {
            block,
            handler,
            finalizer,
        } = &s.kind
        else {
            return;
        };
        self.push_scope(ScopeKind::Block);
        self.stmts(block);
        self.pop_scope();
        if let Some(h) = handler {
            self.catch_clause(h);
        }
        if let Some(f) = finalizer {
            self.push_scope(ScopeKind::Block);
            self.stmts(f);
            self.pop_scope();
        }
    }

    #[inline(never)]
    fn catch_clause(&mut self, h: &'a Catch) {
        let Some(param) = &h.param else {
            self.push_scope(ScopeKind::Block);
            self.stmts(&h.body);
            self.pop_scope();
            return;
        };
        match &param.kind {
            PatternKind::Ident(id) => {
                self.push_scope(ScopeKind::Catch);
                self.binding_name(id, true);
                let cur = self.cur;
                self.scopes[cur].names.insert(
                    &id.name,
                    Binding {
                        lexical: false,
                        sloppy_fn: false,
                    },
                );
                self.push_scope(ScopeKind::Block);
                let body = self.cur;
                self.stmts(&h.body);
                self.pop_scope();
                // `catch (e) { let e; }`: checked when the catch block ends.
                if self.scopes[body].names.contains_key(&*id.name) {
                    if let Some(e) = self.redeclaration_in(body, &id.name) {
                        self.report(h.span.end, e.kind, e.span);
                    }
                }
                self.pop_scope();
            }
            _ => {
                self.push_scope(ScopeKind::Block);
                let pattern_scope = self.cur;
                self.bind_pattern(param, Bind::Lexical);
                self.push_scope(ScopeKind::Block);
                let body = self.cur;
                self.stmts(&h.body);
                self.pop_scope();
                let conflict = self.scopes[body]
                    .lexical
                    .iter()
                    .find(|(n, _)| self.scopes[pattern_scope].names.contains_key(n))
                    .map(|&(n, pos)| (n, pos));
                if let Some((n, _)) = conflict {
                    let e = self.redeclaration_in(body, n);
                    self.report_err(h.span.end, e);
                }
                self.pop_scope();
            }
        }
    }

    #[inline(never)]
    fn switch_stmt(&mut self, s: &'a Stmt) {
        let StmtKind::Switch(d, cases) = &s.kind else {
            return;
        };
        self.expr(d);
        self.push_scope(ScopeKind::Block);
        self.func().breakables += 1;
        let mut seen_default = false;
        for c in cases {
            match &c.test {
                Some(t) => self.expr(t),
                None if seen_default => self.keyword_error(c.span.start, 7, Kw::Default),
                None => seen_default = true,
            }
            self.stmts(&c.body);
        }
        self.func().breakables -= 1;
        self.pop_scope();
    }

    // ---- Bindings ----

    fn bind_pattern(&mut self, p: &'a Pattern, bind: Bind) {
        match p.kind {
            PatternKind::Ident(_) => self.bind_ident(p, bind),
            PatternKind::Object { .. } | PatternKind::Array { .. } => {
                self.destructuring(p, Some(bind))
            }
            PatternKind::Expr(_) => self.pattern_expr(p),
        }
    }

    /// The parts of an object or array pattern: bindings when `bind` is given, assignment
    /// targets otherwise.
    #[inline(never)]
    fn destructuring(&mut self, p: &'a Pattern, bind: Option<Bind>) {
        match &p.kind {
            PatternKind::Object { props, rest } => {
                for prop in props {
                    if let PropKey::Computed(e) = &prop.key {
                        self.expr(e);
                    }
                    let plain = !prop.shorthand && prop.default.is_none();
                    self.pattern_part(&prop.target, bind, prop.default.as_ref(), plain);
                }
                if let Some(r) = rest {
                    self.pattern_part(r, bind, None, true);
                }
            }
            PatternKind::Array { elems, rest } => {
                for el in elems.iter().flatten() {
                    let plain = el.default.is_none();
                    self.pattern_part(&el.target, bind, el.default.as_ref(), plain);
                }
                if let Some(r) = rest {
                    self.pattern_part(r, bind, None, true);
                }
            }
            _ => {}
        }
    }

    /// An element of a pattern. `plain`: an assignment target without default that is not a
    /// shorthand property; V8 rejects `eval` / `arguments` there as an invalid target.
    fn pattern_part(
        &mut self,
        p: &'a Pattern,
        bind: Option<Bind>,
        default: Option<&'a Expr>,
        plain: bool,
    ) {
        match bind {
            Some(b) => self.bind_pattern(p, b),
            None if plain => self.plain_target(p),
            None => self.assign_pattern(p),
        }
        if let Some(d) = default {
            self.expr(d);
        }
    }

    #[inline(never)]
    fn pattern_expr(&mut self, p: &'a Pattern) {
        if let PatternKind::Expr(e) = &p.kind {
            self.expr(e);
        }
    }

    #[inline(never)]
    fn bind_ident(&mut self, p: &'a Pattern, bind: Bind) {
        let PatternKind::Ident(id) = &p.kind else {
            return;
        };
        let name = &*id.name;
        match bind {
            Bind::Param => {
                // Strict-mode checks on parameter names wait for the end of the function.
                self.contextual_name(name, id.span);
                self.param_names.push(id);
            }
            Bind::Var => {
                self.binding_name(id, true);
                let span = self.one_char(id.span.start);
                self.declare(name, false, false, id.span.start, span, id.span.start, None);
            }
            Bind::Lexical => {
                self.binding_name(id, true);
                let span = self.one_char(id.span.start);
                self.declare(name, true, false, id.span.start, span, id.span.start, None);
                if name == "let" {
                    self.report(id.span.start, K::LetInLexical, id.span);
                }
            }
        }
    }

    /// Checks a binding identifier's name: strict-mode restrictions (`eval_args`: including
    /// `eval` and `arguments`), `yield` in generators and `await` in async functions.
    fn binding_name(&mut self, id: &Ident, eval_args: bool) {
        let name = &*id.name;
        if self.ctx.strict {
            if eval_args && is_eval_or_arguments(name) {
                self.report(id.span.start, K::StrictEvalArguments, id.span);
                return;
            }
            if is_strict_reserved(name) {
                self.report(id.span.start, K::StrictReserved, id.span);
                return;
            }
        }
        self.contextual_name(name, id.span);
    }

    /// `yield` in generators and `await` in async functions are reserved.
    fn contextual_name(&mut self, name: &str, span: Span) {
        let reserved = (name == "yield" && self.ctx.generator)
            || (name == "await" && (self.ctx.is_async || self.ctx.await_reserved));
        if reserved {
            // `await => 1`: V8 read the operator and stops at the `=>`.
            let next = self.skip_trivia(span.end as usize);
            if self.src[next..].starts_with("=>") {
                let arrow = Span::new(next, next + 2);
                self.report(next as u32, K::UnexpectedTokenText("=>".into()), arrow);
                return;
            }
        }
        if name == "yield" && self.ctx.generator {
            self.report(
                span.start,
                K::UnexpectedToken(Tok::Ident(name.into())),
                span,
            );
        } else if name == "await" && (self.ctx.is_async || self.ctx.await_reserved) {
            self.report(span.start, K::ReservedWord, span);
        }
    }

    /// An identifier reference (or label).
    #[inline(never)]
    fn ident_ref(&mut self, name: &str, span: Span) {
        if (name == "yield" && self.ctx.generator) || (name == "await" && self.ctx.is_async) {
            // The operator without its operand (`yield = 1` in a generator): V8 stops at the
            // token after it.
            let (next, text) = self.punctuator(self.skip_trivia(span.end as usize) as u32);
            let kind = if text.is_empty() {
                K::UnexpectedEnd
            } else {
                K::UnexpectedTokenText(text)
            };
            self.report(next.start, kind, next);
            return;
        }
        self.name_ref(name, span);
    }

    /// A name used as a value (also a shorthand property `{a}`).
    fn name_ref(&mut self, name: &str, span: Span) {
        if self.ctx.strict && is_strict_reserved(name) {
            self.report(span.start, K::StrictReserved, span);
        } else {
            self.contextual_name(name, span);
        }
        if name == "arguments" && self.ctx.no_arguments {
            self.report(span.start, K::ArgumentsInClassField, span);
        }
    }

    /// An identifier assigned to (`x = 1`, `x++`, `[x] = a`, `for (x in o)`); `range`: the
    /// target with its parentheses, which V8 marks for `eval` / `arguments`.
    fn target_ident(&mut self, name: &str, span: Span, range: Span) {
        self.ident_ref(name, span);
        if self.ctx.strict && is_eval_or_arguments(name) {
            self.report(range.start, K::StrictEvalArguments, range);
        }
    }

    /// The range of `inner` with the parentheses around it, for an expression starting at
    /// `outer_start` (`(eval) = 1`: the tree keeps no parentheses in assignment targets).
    fn with_parens(&self, outer_start: u32, inner: Span) -> Span {
        let b = self.src.as_bytes();
        let opens = b[outer_start as usize..inner.start as usize]
            .iter()
            .filter(|&&c| c == b'(')
            .count();
        if opens == 0 {
            return inner;
        }
        let mut end = inner.end as usize;
        for _ in 0..opens {
            let j = self.skip_trivia(end);
            if b.get(j) != Some(&b')') {
                break;
            }
            end = j + 1;
        }
        Span::new(outer_start as usize, end)
    }

    fn assign_pattern(&mut self, p: &'a Pattern) {
        match p.kind {
            PatternKind::Ident(_) => self.target_pattern_ident(p),
            PatternKind::Object { .. } | PatternKind::Array { .. } => self.destructuring(p, None),
            PatternKind::Expr(_) => self.pattern_expr(p),
        }
    }

    #[inline(never)]
    fn plain_target(&mut self, p: &'a Pattern) {
        match &p.kind {
            PatternKind::Ident(id) if self.ctx.strict && is_eval_or_arguments(&id.name) => {
                self.report(id.span.start, K::InvalidDestructuringTarget, id.span);
            }
            _ => self.assign_pattern(p),
        }
    }

    #[inline(never)]
    fn target_pattern_ident(&mut self, p: &'a Pattern) {
        if let PatternKind::Ident(id) = &p.kind {
            self.target_ident(&id.name, id.span, id.span);
        }
    }

    // ---- Functions ----

    fn function(&mut self, f: &'a Function) {
        self.enter_function(f);
        for p in &f.params {
            self.param(p);
        }
        self.enter_body(f);
        self.stmts(&f.body);
        self.exit_function(f);
    }

    #[inline(never)]
    fn param(&mut self, p: &'a Param) {
        self.bind_pattern(&p.target, Bind::Param);
        if let Some(d) = &p.default {
            self.expr(d);
        }
    }

    #[inline(never)]
    fn enter_function(&mut self, f: &'a Function) {
        let outer = self.ctx;
        let arrow = f.kind == FunctionKind::Arrow;
        let directive = if f.expression_body {
            None
        } else {
            self.use_strict(&f.body)
        };
        let simple = f.params.iter().all(|p| {
            !p.rest && p.default.is_none() && matches!(p.target.kind, PatternKind::Ident(_))
        });
        if let Some(d) = directive {
            if !simple {
                self.report(d.start, K::UseStrictNonSimple, d);
            }
        }
        // The parameters are seen with the strictness around the function: a directive in
        // the body makes them strict only when the body is reached.
        let mut ctx = outer;
        if arrow {
            ctx.is_async = outer.is_async || f.is_async;
            ctx.async_arrow_head = f.is_async && !outer.is_async && !outer.await_reserved;
        } else {
            ctx.generator = f.is_generator;
            ctx.is_async = f.is_async;
        }
        ctx.params = true;
        ctx.return_ok = true;
        ctx.await_reserved = false;
        match f.kind {
            FunctionKind::Arrow => {}
            FunctionKind::Normal => {
                ctx.super_call = false;
                ctx.super_prop = false;
                ctx.no_arguments = false;
                ctx.await_reserved = false;
            }
            FunctionKind::Method
            | FunctionKind::Getter
            | FunctionKind::Setter
            | FunctionKind::ClassConstructor => {
                ctx.super_call = false;
                ctx.super_prop = true;
                ctx.no_arguments = false;
                ctx.await_reserved = false;
            }
            FunctionKind::DerivedConstructor => {
                ctx.super_call = true;
                ctx.super_prop = true;
                ctx.no_arguments = false;
                ctx.await_reserved = false;
            }
        }
        self.ctx = ctx;
        let scope_base = self.scopes.len();
        let outer_cur = self.cur;
        self.push_scope(ScopeKind::Declaration);
        self.funcs.push(Func {
            outer,
            outer_cur,
            scope_base,
            names_base: self.param_names.len(),
            param_scope: self.cur,
            body_scope: self.cur,
            simple,
            strict: outer.strict || directive.is_some(),
            var_scope: self.cur,
            octal_floor: self.octal_floor.take().unwrap_or(f.span.start),
            ..Func::default()
        });
    }

    /// The parameters have been seen: the body begins.
    #[inline(never)]
    fn enter_body(&mut self, f: &'a Function) {
        let dup = self.declare_params();
        self.func().dup = dup;
        let (strict, simple) = {
            let func = self.func();
            (func.strict, func.simple)
        };
        self.ctx.params = false;
        self.ctx.async_arrow_head = false;
        self.ctx.strict = strict;
        if !f.expression_body {
            // (Restored by `expr` when the function expression ends.)
            self.tail = Tail::Other;
        }
        if f.kind == FunctionKind::Arrow {
            self.ctx.generator = false;
            self.ctx.is_async = f.is_async;
        }
        if !simple {
            self.push_scope(ScopeKind::Declaration);
            let s = self.cur;
            let func = self.func();
            func.var_scope = s;
            func.body_scope = s;
        }
    }

    /// The parameter names of the current function: declared in its scope; the first
    /// duplicate.
    fn declare_params(&mut self) -> Option<Span> {
        let (base, scope) = {
            let f = self.funcs.last()?;
            (f.names_base, f.param_scope)
        };
        let mut dup = None;
        for &id in &self.param_names[base..] {
            let names = &mut self.scopes[scope].names;
            if names.contains_key(&*id.name) {
                dup = dup.or(Some(id.span));
            } else {
                let b = Binding {
                    lexical: false,
                    sloppy_fn: false,
                };
                names.insert(&id.name, b);
            }
        }
        dup
    }

    /// What V8 checks when a function ends.
    #[inline(never)]
    fn exit_function(&mut self, f: &'a Function) {
        let Some(func) = self.funcs.last() else {
            return;
        };
        let (outer, strict, simple) = (func.outer, func.strict, func.simple);
        let octal_floor = func.octal_floor;
        let (names_base, body_scope) = (func.names_base, func.body_scope);
        let (start, key) = (f.span.start, f.span.end);
        let e = self.nested_var_conflict();
        self.report_late_err(start, key, e);
        if !simple {
            let conflict = self.param_names[names_base..]
                .iter()
                .find(|id| {
                    self.scopes[body_scope]
                        .names
                        .get(&*id.name)
                        .is_some_and(|b| b.lexical)
                })
                .map(|id| &*id.name);
            if let Some(name) = conflict {
                let e = self.redeclaration_in(body_scope, name);
                self.report_err(key, e);
            }
        }
        self.parameter_errors(f, key);
        if let Some(name) = &f.name {
            if strict {
                if is_eval_or_arguments(&name.name) {
                    self.report_late(start, key, K::StrictEvalArguments, name.span);
                } else if is_strict_reserved(&name.name) {
                    if outer.strict {
                        self.report(name.span.start, K::StrictReserved, name.span);
                    } else {
                        self.report_late(start, key, K::StrictReserved, name.span);
                    }
                }
            }
        }
        if strict {
            // V8's scanner is one token ahead: when a function inside another one ends, the
            // token after its `}` has been scanned already (a function at the top level is
            // checked before that; see `PreParser::PreParseFunction`).
            if self.funcs.len() > 2 {
                if let Some(o) = self.octal_token_at(f.span.end as usize) {
                    self.last_octal = Some(o);
                }
            }
            // (The script's octal check runs even after an error; a function's does not.)
            let range = Span::new(octal_floor.max(f.span.start) as usize, f.span.end as usize);
            let e = self.octal_in(range);
            self.report_err(key, e);
        }
        self.leave_func();
    }

    /// What V8 reports about the parameter names when the function ends: in strict code a
    /// parameter named `eval` or `arguments` first; otherwise the earlier of a repeated name
    /// (not allowed in strict code, methods, arrow functions or with non-simple parameters)
    /// and a strict-mode reserved word.
    #[inline(never)]
    fn parameter_errors(&mut self, f: &'a Function, key: u32) {
        let Some(func) = self.funcs.last() else {
            return;
        };
        let (strict, simple, dup) = (func.strict, func.simple, func.dup);
        let params = &self.param_names[func.names_base..];
        if strict {
            if let Some(id) = params.iter().find(|id| is_eval_or_arguments(&id.name)) {
                self.report(key, K::StrictEvalArguments, id.span);
                return;
            }
        }
        let dup_allowed = !strict && simple && f.kind == FunctionKind::Normal;
        // Arrow parameters are checked by the parser.
        let dup = dup.filter(|_| !dup_allowed && f.kind != FunctionKind::Arrow);
        let reserved = if strict {
            params
                .iter()
                .find(|id| is_strict_reserved(&id.name))
                .map(|id| id.span)
        } else {
            None
        };
        match (dup, reserved) {
            (Some(d), Some(r)) if r.start < d.start => self.report(key, K::StrictReserved, r),
            (Some(d), _) => self.report(key, K::DuplicateParam, d),
            (None, Some(r)) => self.report(key, K::StrictReserved, r),
            (None, None) => {}
        }
    }

    /// Drops the state of the innermost function (or static block).
    fn leave_func(&mut self) {
        if let Some(func) = self.funcs.pop() {
            self.param_names.truncate(func.names_base);
            self.scopes.truncate(func.scope_base);
            self.cur = func.outer_cur;
            self.ctx = func.outer;
        }
    }

    // ---- Classes ----

    fn class(&mut self, c: &'a Class, is_decl: bool) {
        self.enter_class(c);
        if let Some(h) = &c.superclass {
            self.expr(h);
        }
        self.classes.push(ClassCtx::default());
        for m in &c.members {
            self.class_member(m);
        }
        self.exit_class(c, is_decl);
    }

    /// All parts of a class are strict code.
    #[inline(never)]
    fn enter_class(&mut self, c: &'a Class) {
        self.saved.push(self.ctx);
        self.ctx.strict = true;
        if let Some(n) = &c.name {
            self.binding_name(n, true);
        }
    }

    #[inline(never)]
    fn exit_class(&mut self, c: &'a Class, is_decl: bool) {
        let mut cls = self.classes.pop().unwrap_or_default();
        cls.unresolved.sort_by_key(|(_, s)| s.start);
        for (name, span) in cls.unresolved {
            if cls.declared.contains_key(name) {
                continue;
            }
            if let Some(outer_class) = self.classes.last_mut() {
                outer_class.unresolved.push((name, span));
            } else {
                self.report(c.span.end, K::PrivateNotDeclared(name.into()), span);
            }
        }
        if let Some(ctx) = self.saved.pop() {
            self.ctx = ctx;
        }
        if is_decl {
            if let Some(n) = &c.name {
                // A class is declared when its body has been parsed.
                self.declare(&n.name, true, false, c.span.start, c.span, c.span.end, None);
            }
        }
    }

    #[inline(never)]
    fn class_member(&mut self, m: &'a ClassMember) {
        self.class_member_name(m);
        if let PropKey::Computed(e) = &m.key {
            self.expr(e);
        }
        match &m.kind {
            ClassMemberKind::Method(_, f) => {
                let p = self.member_key_pos(m);
                self.octal_floor = Some(self.key_end(&m.key, p));
                self.function(f);
            }
            ClassMemberKind::Field(init) => {
                if let Some(e) = init {
                    self.field_initializer(e);
                }
            }
            ClassMemberKind::StaticBlock(body) => self.static_block(body, m.span),
        }
        self.declare_private(m);
    }

    /// Where a class member's key starts: after `static`, `async`, `*`, `get`/`set`.
    fn member_key_pos(&self, m: &ClassMember) -> usize {
        let method = match &m.kind {
            ClassMemberKind::Method(kind, f) => Some((*kind, &**f)),
            _ => None,
        };
        self.key_pos(m.span.start as usize, m.is_static, method)
    }

    /// Where the key of a class member or object method starting at `start` begins.
    fn key_pos(
        &self,
        start: usize,
        is_static: bool,
        method: Option<(MethodKind, &Function)>,
    ) -> usize {
        let mut i = start;
        let skip = |i: &mut usize, word: &str| {
            if self.src[*i..].starts_with(word) {
                *i = self.skip_trivia(*i + word.len());
            }
        };
        if is_static {
            skip(&mut i, "static");
        }
        if let Some((kind, f)) = method {
            if f.is_async {
                skip(&mut i, "async");
            }
            if f.is_generator {
                skip(&mut i, "*");
            }
            match kind {
                MethodKind::Get => skip(&mut i, "get"),
                MethodKind::Set => skip(&mut i, "set"),
                MethodKind::Method => {}
            }
        }
        i
    }

    /// Where a method's key ends: V8's strict-mode octal check for the method starts there
    /// (at its parameters).
    fn key_end(&self, key: &PropKey, pos: usize) -> u32 {
        match key {
            PropKey::Computed(e) => (self.skip_trivia(e.span.end as usize) + 1) as u32,
            PropKey::String(_) => self.string_token(pos).end,
            PropKey::Number(_) => self.number_token(pos).end,
            _ => pos as u32,
        }
    }

    /// The span of the string literal starting at `i`.
    fn string_token(&self, i: usize) -> Span {
        let b = self.src.as_bytes();
        let q = b.get(i).copied().unwrap_or(b'"');
        let mut j = i + 1;
        while j < b.len() && b[j] != q {
            j += if b[j] == b'\\' { 2 } else { 1 };
        }
        Span::new(i, (j + 1).min(b.len()))
    }

    /// Checks on a class member's name: `#constructor`, `static prototype`, a field named
    /// `constructor`; records a legacy octal in a number or string key.
    #[inline(never)]
    fn class_member_name(&mut self, m: &'a ClassMember) {
        if let ClassMemberKind::StaticBlock(_) = m.kind {
            return;
        }
        let is_field = matches!(m.kind, ClassMemberKind::Field(_));
        let (name, span): (&'a str, Span) = match &m.key {
            PropKey::Private(n) => {
                let p = self.member_key_pos(m);
                (n, Span::new(p, p + 1 + n.len()))
            }
            PropKey::Ident(n) => {
                let p = self.member_key_pos(m);
                (n, Span::new(p, self.word_end(p).max(p + 1)))
            }
            PropKey::Number(_) => {
                let p = self.member_key_pos(m);
                let span = self.number_token(p);
                self.key_octal(span);
                return;
            }
            PropKey::String(_) => {
                let p = self.member_key_pos(m);
                let span = self.string_token(p);
                self.key_octal(span);
                match &m.key {
                    PropKey::String(s) if s.as_str_if_valid().as_deref() == Some("prototype") => {
                        ("prototype", span)
                    }
                    PropKey::String(s) if s.as_str_if_valid().as_deref() == Some("constructor") => {
                        ("constructor", span)
                    }
                    _ => return,
                }
            }
            _ => return,
        };
        if let PropKey::Private(_) = m.key {
            // (Declared, and checked for duplicates, once the member is parsed.)
            if name == "constructor" {
                let kind = if is_field {
                    K::ConstructorField
                } else {
                    K::ConstructorPrivate
                };
                self.report(span.end, kind, span);
            }
            return;
        }
        if m.is_static && name == "prototype" {
            self.report(span.end, K::StaticPrototype, span);
        } else if is_field && name == "constructor" {
            self.report(span.end, K::ConstructorField, span);
        }
    }

    /// Declares a private name once its member has been parsed; a name declared twice (other
    /// than a getter and a setter of the same staticness) is reported at the member's last
    /// token.
    #[inline(never)]
    fn declare_private(&mut self, m: &'a ClassMember) {
        let PropKey::Private(name) = &m.key else {
            return;
        };
        if &**name == "constructor" {
            return;
        }
        let kind = match &m.kind {
            ClassMemberKind::Method(MethodKind::Get, _) => PrivateKind::Getter(m.is_static),
            ClassMemberKind::Method(MethodKind::Set, _) => PrivateKind::Setter(m.is_static),
            _ => PrivateKind::Other,
        };
        let Some(cls) = self.classes.last_mut() else {
            return;
        };
        let ok = match cls.declared.get(&**name).copied() {
            None => {
                cls.declared.insert(name, kind);
                true
            }
            Some(PrivateKind::Getter(s)) if kind == PrivateKind::Setter(s) => {
                cls.declared.insert(name, PrivateKind::Both);
                true
            }
            Some(PrivateKind::Setter(s)) if kind == PrivateKind::Getter(s) => {
                cls.declared.insert(name, PrivateKind::Both);
                true
            }
            Some(_) => false,
        };
        if !ok {
            let at = self.member_last_token(m, name);
            self.report(at.end, K::AlreadyDeclared(format!("#{name}").into()), at);
        }
    }

    /// The last token of a class member: a method's `}`; a field's `;`, or else the last
    /// token of its initializer, or its name.
    fn member_last_token(&self, m: &ClassMember, name: &str) -> Span {
        let b = self.src.as_bytes();
        match &m.kind {
            ClassMemberKind::Field(init) => {
                let end = match init {
                    Some(e) => e.span.end as usize,
                    None => {
                        let p = self.member_key_pos(m);
                        p + 1 + name.len()
                    }
                };
                let next = self.skip_trivia(end);
                if b.get(next) == Some(&b';') {
                    return Span::new(next, next + 1);
                }
                match init {
                    Some(_) => {
                        let mut start = end;
                        while start > 0
                            && (b[start - 1].is_ascii_alphanumeric()
                                || b[start - 1] == b'_'
                                || b[start - 1] == b'$')
                        {
                            start -= 1;
                        }
                        if start == end {
                            start = end.saturating_sub(1);
                        }
                        Span::new(start, end)
                    }
                    None => Span::new(end - 1 - name.len(), end),
                }
            }
            _ => {
                let end = m.span.end as usize;
                Span::new(end.saturating_sub(1), end)
            }
        }
    }

    fn field_initializer(&mut self, e: &'a Expr) {
        self.enter_initializer();
        self.expr(e);
        if let Some(ctx) = self.saved.pop() {
            self.ctx = ctx;
        }
    }

    /// A class field initializer or static block: strict, `super.x` allowed, `arguments` not.
    #[inline(never)]
    fn enter_initializer(&mut self) {
        self.saved.push(self.ctx);
        self.ctx = Ctx {
            strict: true,
            super_prop: true,
            no_arguments: true,
            ..Ctx::default()
        };
    }

    fn static_block(&mut self, body: &'a [Stmt], span: Span) {
        self.enter_static_block();
        self.stmts(body);
        self.exit_static_block(span);
    }

    #[inline(never)]
    fn enter_static_block(&mut self) {
        let outer = self.ctx;
        self.enter_initializer();
        self.saved.pop();
        self.ctx.await_reserved = true;
        let scope_base = self.scopes.len();
        let outer_cur = self.cur;
        self.push_scope(ScopeKind::Declaration);
        self.funcs.push(Func {
            outer,
            outer_cur,
            scope_base,
            names_base: self.param_names.len(),
            param_scope: self.cur,
            body_scope: self.cur,
            simple: true,
            strict: true,
            var_scope: self.cur,
            ..Func::default()
        });
    }

    #[inline(never)]
    fn exit_static_block(&mut self, span: Span) {
        if let Some(e) = self.nested_var_conflict() {
            self.report(span.end, e.kind, e.span);
        }
        self.leave_func();
    }

    // ---- Expressions ----

    fn expr(&mut self, e: &'a Expr) {
        use ExprKind as E;
        let tail = self.tail;
        // Operators leave the tail as it is: `x = await y` ends where the statement ends.
        if !matches!(
            e.kind,
            E::Binary(..)
                | E::Logical(..)
                | E::Conditional(..)
                | E::Sequence(_)
                | E::Assign { .. }
                | E::Unary(..)
                | E::Update { .. }
                | E::Await(_)
                | E::Yield { .. }
                | E::Arrow(_)
        ) {
            self.tail = Tail::Other;
        }
        // Arms bind nothing: the frame of this recursive function stays small.
        match e.kind {
            E::Ident(_) => self.ident_expr(e),
            E::Number(_) => self.number_literal(e.span),
            E::String(_) => self.string_literal(e.span),
            E::BigInt(_)
            | E::Bool(_)
            | E::Null
            | E::This
            | E::RegExp { .. }
            | E::NewTarget
            | E::Invalid => {}
            E::Template(_) | E::TaggedTemplate(..) => self.template(e),
            E::Array(_) => self.array(e),
            E::Object(_) => self.object(e),
            E::Function(_) | E::Arrow(_) => self.function_expr(e),
            E::Class(_) => self.class_expr(e),
            E::Unary(..) => self.unary(e),
            E::Update { .. } => self.update(e),
            E::Binary(..) | E::Logical(..) | E::Conditional(..) | E::Sequence(_) => {
                self.operands(e)
            }
            E::Assign { .. } => self.assign(e),
            E::Call { .. } | E::New { .. } => self.call(e),
            E::Member { .. } => self.member(e),
            E::SuperMember(_) | E::SuperCall(_) => self.super_expr(e),
            E::OptionalChain(_) | E::Paren(_) | E::ImportCall(_) => self.wrapped(e),
            E::PrivateIn(..) => self.private_in(e),
            E::Yield { .. } => self.yield_expr(e),
            E::Await(_) => self.await_expr(e),
            E::CoverParams(_) => self.cover_params(e),
        }
        self.tail = tail;
    }

    /// Walks an expression that ends where a statement ends.
    fn stmt_expr(&mut self, e: &'a Expr) {
        let (tail, tail_async) = (self.tail, self.tail_async);
        self.tail = Tail::Stmt;
        self.tail_async = self.ctx.is_async;
        self.expr(e);
        self.tail = tail;
        self.tail_async = tail_async;
    }

    #[inline(never)]
    fn ident_expr(&mut self, e: &'a Expr) {
        if let ExprKind::Ident(name) = &e.kind {
            self.ident_ref(name, e.span);
        }
    }

    #[inline(never)]
    fn template(&mut self, e: &'a Expr) {
        match &e.kind {
            ExprKind::Template(t) => self.exprs(&t.exprs),
            ExprKind::TaggedTemplate(tag, t) => {
                self.expr(tag);
                self.exprs(&t.exprs);
            }
            _ => {}
        }
    }

    #[inline(never)]
    fn array(&mut self, e: &'a Expr) {
        let ExprKind::Array(elems) = &e.kind else {
            return;
        };
        for el in elems {
            match el {
                ArrayElem::Hole => {}
                ArrayElem::Expr(x) | ArrayElem::Spread(x) => self.expr(x),
            }
        }
    }

    #[inline(never)]
    fn function_expr(&mut self, e: &'a Expr) {
        if let ExprKind::Function(f) | ExprKind::Arrow(f) = &e.kind {
            self.function(f);
        }
    }

    #[inline(never)]
    fn class_expr(&mut self, e: &'a Expr) {
        if let ExprKind::Class(c) = &e.kind {
            self.class(c, false);
        }
    }

    #[inline(never)]
    fn unary(&mut self, e: &'a Expr) {
        let ExprKind::Unary(op, x) = &e.kind else {
            return;
        };
        self.expr(x);
        if *op == UnaryOp::Delete {
            self.delete_operand(x);
        }
    }

    #[inline(never)]
    fn update(&mut self, e: &'a Expr) {
        if let ExprKind::Update { target, .. } = &e.kind {
            self.update_target(target);
        }
    }

    #[inline(never)]
    fn operands(&mut self, e: &'a Expr) {
        match &e.kind {
            ExprKind::Binary(_, a, b) | ExprKind::Logical(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Conditional(a, b, c) => {
                self.expr(a);
                let tail = self.tail;
                self.tail = Tail::Other;
                self.expr(b);
                self.tail = tail;
                self.expr(c);
            }
            ExprKind::Sequence(xs) => self.exprs(xs),
            _ => {}
        }
    }

    #[inline(never)]
    fn assign(&mut self, e: &'a Expr) {
        if let ExprKind::Assign { target, value, .. } = &e.kind {
            match &target.kind {
                PatternKind::Ident(id) => {
                    let range = self.with_parens(e.span.start, id.span);
                    self.target_ident(&id.name, id.span, range);
                }
                _ => self.assign_pattern(target),
            }
            self.expr(value);
        }
    }

    #[inline(never)]
    fn call(&mut self, e: &'a Expr) {
        if let ExprKind::Call { callee, args, .. } | ExprKind::New { callee, args } = &e.kind {
            self.expr(callee);
            self.args(args);
        }
    }

    #[inline(never)]
    fn member(&mut self, e: &'a Expr) {
        if let ExprKind::Member { object, prop, .. } = &e.kind {
            self.expr(object);
            self.member_prop(prop, object);
        }
    }

    #[inline(never)]
    fn super_expr(&mut self, e: &'a Expr) {
        match &e.kind {
            ExprKind::SuperMember(prop) => {
                if !self.ctx.super_prop {
                    self.keyword_error(e.span.start, 5, Kw::SuperProp);
                }
                if let MemberProp::Computed(x) = prop {
                    self.expr(x);
                }
            }
            ExprKind::SuperCall(args) => {
                if !self.ctx.super_call {
                    self.keyword_error(e.span.start, 5, Kw::SuperCall);
                }
                self.args(args);
            }
            _ => {}
        }
    }

    #[inline(never)]
    fn wrapped(&mut self, e: &'a Expr) {
        if let ExprKind::OptionalChain(x) | ExprKind::Paren(x) | ExprKind::ImportCall(x) = &e.kind {
            self.expr(x);
        }
    }

    /// `#x in obj`: the private name must be declared by an enclosing class.
    #[inline(never)]
    fn private_in(&mut self, e: &'a Expr) {
        let ExprKind::PrivateIn(id, x) = &e.kind else {
            return;
        };
        let at = self.one_char(id.span.start);
        match self.classes.last_mut() {
            Some(cls) => cls.unresolved.push((&id.name, at)),
            None => self.report(id.span.start, K::PrivateNotDeclared(id.name.clone()), at),
        }
        self.expr(x);
    }

    #[inline(never)]
    fn cover_params(&mut self, e: &'a Expr) {
        let ExprKind::CoverParams(ps) = &e.kind else {
            return;
        };
        for p in ps {
            self.assign_pattern(&p.target);
            if let Some(d) = &p.default {
                self.expr(d);
            }
        }
    }

    fn exprs(&mut self, xs: &'a [Expr]) {
        for x in xs {
            self.expr(x);
        }
    }

    fn args(&mut self, args: &'a [Arg]) {
        let tail = self.tail;
        for a in args {
            match a {
                Arg::Expr(x) | Arg::Spread(x) => {
                    self.tail = Tail::Args;
                    self.expr(x);
                }
            }
        }
        self.tail = tail;
    }

    #[inline(never)]
    fn object(&mut self, e: &'a Expr) {
        let ExprKind::Object(props) = &e.kind else {
            return;
        };
        let span = e.span;
        for p in props {
            match p {
                Prop::Init(k, v) => {
                    match k {
                        PropKey::Computed(x) => self.expr(x),
                        PropKey::Number(_) | PropKey::String(_) => {
                            if let Some(key) = self.key_before_colon(v.span.start as usize) {
                                self.key_octal(key);
                            }
                        }
                        _ => {}
                    }
                    self.expr(v);
                }
                Prop::Shorthand(id) => self.name_ref(&id.name, id.span),
                Prop::Method(k, kind, f) => {
                    self.object_method_key(k, *kind, f);
                    self.function(f);
                }
                Prop::Spread(x) => self.expr(x),
                Prop::CoverInit(id, d) => {
                    self.ident_ref(&id.name, id.span);
                    self.expr(d);
                }
            }
        }
        self.cover_initializer(props, span);
    }

    #[inline(never)]
    fn object_method_key(&mut self, k: &'a PropKey, kind: MethodKind, f: &'a Function) {
        let p = self.key_pos(f.span.start as usize, false, Some((kind, f)));
        match k {
            PropKey::Computed(x) => self.expr(x),
            PropKey::Number(_) => self.key_octal(self.number_token(p)),
            PropKey::String(_) => self.key_octal(self.string_token(p)),
            _ => {}
        }
        self.octal_floor = Some(self.key_end(k, p));
    }

    /// `{a = 1}` in an object literal that is not a pattern: detected when the literal
    /// turns out not to be one, even after an error inside it.
    #[inline(never)]
    fn cover_initializer(&mut self, props: &[Prop], literal: Span) {
        let first = props.iter().find_map(|p| match p {
            Prop::CoverInit(id, d) => Some(Span::new(id.span.start as usize, d.span.end as usize)),
            _ => None,
        });
        if let Some(bad) = first {
            self.report_late(literal.start, literal.end, K::InvalidShorthandInit, bad);
        }
    }

    #[inline(never)]
    fn member_prop(&mut self, prop: &'a MemberProp, object: &Expr) {
        match prop {
            MemberProp::Name(_) => {}
            MemberProp::Computed(x) => self.expr(x),
            MemberProp::Private(id) => {
                // V8 marks the `.` (or `?.`) before the name.
                let p = self.skip_trivia(object.span.end as usize);
                let dot = if p < id.span.start as usize {
                    self.one_char(p as u32)
                } else {
                    self.one_char(id.span.start)
                };
                match self.classes.last_mut() {
                    Some(cls) => cls.unresolved.push((&id.name, dot)),
                    None => self.report(id.span.start, K::PrivateNotDeclared(id.name.clone()), dot),
                }
            }
        }
    }

    #[inline(never)]
    fn delete_operand(&mut self, x: &Expr) {
        let mut inner = x;
        if let ExprKind::OptionalChain(i) = &inner.kind {
            inner = i;
        }
        if let ExprKind::Member {
            prop: MemberProp::Private(id),
            ..
        } = &inner.kind
        {
            self.report(x.span.end, K::PrivateDelete, id.span);
            return;
        }
        if !self.ctx.strict {
            return;
        }
        let mut y = x;
        let mut paren = false;
        while let ExprKind::Paren(i) = &y.kind {
            y = i;
            paren = true;
        }
        if let ExprKind::Ident(_) = y.kind {
            let span = if paren {
                Span::new(x.span.end as usize - 1, x.span.end as usize)
            } else {
                y.span
            };
            self.report(x.span.end, K::StrictDelete, span);
        }
    }

    #[inline(never)]
    fn update_target(&mut self, target: &'a Expr) {
        let mut t = target;
        while let ExprKind::Paren(i) = &t.kind {
            t = i;
        }
        match &t.kind {
            ExprKind::Ident(name) => self.target_ident(name, t.span, target.span),
            _ => self.expr(target),
        }
    }

    /// `yield`: an operator in generators; elsewhere an identifier, so `yield 1` in sloppy code
    /// is an identifier followed by a number.
    #[inline(never)]
    fn yield_expr(&mut self, e: &'a Expr) {
        let ExprKind::Yield { arg, .. } = &e.kind else {
            return;
        };
        self.yield_check(e);
        if let Some(a) = arg {
            self.expr(a);
        }
    }

    #[inline(never)]
    fn yield_check(&mut self, e: &'a Expr) {
        let ExprKind::Yield { arg, delegate } = &e.kind else {
            return;
        };
        let (arg, delegate) = (arg.as_deref(), *delegate);
        let kw = self.word(e.span.start, 5);
        if self.ctx.generator {
            if self.ctx.params {
                self.report(kw.start, K::YieldInParameter, kw);
            }
        } else if self.ctx.strict {
            self.report(kw.start, K::StrictReserved, kw);
        } else if arg.is_none() || delegate {
            // `yield` alone, or `yield * x`: a name (times x).
            self.yield_names.push(kw.start as usize);
        } else if let Some(a) = arg {
            self.yield_names.push(kw.start as usize);
            // `yield (x)`, `yield [x]`, `yield + x`, `` yield `x` `` continue the identifier.
            if let Some((kind, span)) = self.unexpected_first_token(a) {
                if self.tail == Tail::Args {
                    self.report(span.start, K::MissingParenAfterArgs, kw);
                } else {
                    self.report(span.start, kind, span);
                }
            }
        }
    }

    /// `await`: an operator in async functions; elsewhere V8 reports "await is only valid in
    /// async functions…" when an operand follows.
    #[inline(never)]
    fn await_expr(&mut self, e: &'a Expr) {
        let ExprKind::Await(x) = &e.kind else { return };
        self.await_check(e, x);
        self.expr(x);
    }

    #[inline(never)]
    fn await_check(&mut self, e: &Expr, x: &Expr) {
        let kw = self.word(e.span.start, 5);
        if self.ctx.await_reserved && !self.ctx.is_async {
            self.report(kw.start, K::ReservedWord, kw);
        } else if self.ctx.is_async {
            if self.ctx.params {
                match self.unexpected_first_token(x) {
                    Some((_, span)) if self.ctx.async_arrow_head => {
                        self.report(span.start, K::MissingParenAfterArgs, kw)
                    }
                    _ => self.report(kw.start, K::AwaitInParameter, kw),
                }
            }
        } else if let Some((kind, span)) = self.unexpected_first_token(x) {
            // `await` is an identifier here and a token follows it.
            match self.tail {
                Tail::Stmt if !self.tail_async => self.report(span.start, K::AwaitOutsideAsync, kw),
                Tail::Args => self.report(span.start, K::MissingParenAfterArgs, kw),
                _ => self.report(span.start, kind, span),
            }
        }
    }

    /// The error V8 reports for the first token of `e` when it follows an identifier: `None`
    /// when that token continues the identifier into a longer expression (`(`, `[`, a template,
    /// a binary `+`/`-`, `/`).
    fn unexpected_first_token(&self, e: &Expr) -> Option<(K, Span)> {
        let mut x = e;
        loop {
            x = match &x.kind {
                ExprKind::Binary(_, a, _)
                | ExprKind::Logical(_, a, _)
                | ExprKind::Conditional(a, _, _)
                | ExprKind::Call { callee: a, .. }
                | ExprKind::Member { object: a, .. }
                | ExprKind::TaggedTemplate(a, _)
                | ExprKind::OptionalChain(a) => a,
                ExprKind::Sequence(xs) => xs.first()?,
                ExprKind::Update {
                    prefix: false,
                    target,
                    ..
                } => target,
                ExprKind::Update { target, .. } => target,
                ExprKind::Assign { target, .. } => match &target.kind {
                    PatternKind::Expr(t) => t,
                    PatternKind::Ident(id) => {
                        return Some((K::UnexpectedToken(Tok::Ident(id.name.clone())), id.span))
                    }
                    _ => return self.text_token(target.span.start),
                },
                ExprKind::Number(_) | ExprKind::BigInt(_) => {
                    return Some((K::UnexpectedToken(Tok::Number(0.0)), x.span))
                }
                ExprKind::String(_) => {
                    return Some((
                        K::UnexpectedToken(Tok::String(Utf16::from_utf8_str(""))),
                        x.span,
                    ))
                }
                ExprKind::Ident(name) => {
                    return Some((K::UnexpectedToken(Tok::Ident(name.clone())), x.span))
                }
                ExprKind::Template(_)
                | ExprKind::RegExp { .. }
                | ExprKind::Array(_)
                | ExprKind::Paren(_)
                | ExprKind::CoverParams(_)
                | ExprKind::Arrow(_)
                | ExprKind::Invalid => return None,
                ExprKind::Unary(UnaryOp::Neg | UnaryOp::Plus, _) => return None,
                _ => return self.text_token(x.span.start),
            };
        }
    }

    fn text_token(&self, pos: u32) -> Option<(K, Span)> {
        let (span, text) = self.token_text(pos);
        Some((K::UnexpectedTokenText(text), span))
    }

    // ---- Literals ----

    fn number_literal(&mut self, span: Span) {
        if let Some(o) = self.octal_number(span) {
            self.last_octal = Some(o);
        }
    }

    fn string_literal(&mut self, span: Span) {
        if let Some(o) = self.string_literal_octal(span) {
            self.last_octal = Some(o);
        }
    }

    /// A legacy octal number literal, or a string literal with an octal escape, as the next
    /// token from `pos`.
    fn octal_token_at(&self, pos: usize) -> Option<(Span, Octal)> {
        let i = self.skip_trivia(pos);
        let b = self.src.as_bytes();
        match b.get(i)? {
            b'0'..=b'9' => self.octal_number(self.number_token(i)),
            b'"' | b'\'' => self.string_literal_octal(self.string_token(i)),
            _ => None,
        }
    }

    /// The span of the numeric literal starting at `i`.
    fn number_token(&self, i: usize) -> Span {
        let b = self.src.as_bytes();
        let mut j = i;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
            j += 1;
        }
        if j < b.len() && b[j] == b'.' && !b[i..j].iter().all(|c| (b'0'..=b'7').contains(c)) {
            j += 1;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
        }
        Span::new(i, j)
    }

    /// A legacy octal (`010`) or leading-zero decimal (`08`) number literal.
    fn octal_number(&self, span: Span) -> Option<(Span, Octal)> {
        let raw = &self.src.as_bytes()[span.start as usize..span.end as usize];
        if raw.len() >= 2 && raw[0] == b'0' && raw[1].is_ascii_digit() {
            let kind = if raw.iter().all(|c| (b'0'..=b'7').contains(c)) {
                Octal::Literal
            } else {
                Octal::LeadingZero
            };
            return Some((span, kind));
        }
        None
    }

    /// The key token of an object literal property `key: value`, found backwards from the
    /// value (property keys carry no span).
    fn key_before_colon(&self, value_start: usize) -> Option<Span> {
        let b = self.src.as_bytes();
        let mut j = value_start;
        while j > 0 && b[j - 1].is_ascii_whitespace() {
            j -= 1;
        }
        if j == 0 || b[j - 1] != b':' {
            return None;
        }
        j -= 1;
        while j > 0 && b[j - 1].is_ascii_whitespace() {
            j -= 1;
        }
        let end = j;
        let q = *b.get(end.checked_sub(1)?)?;
        if q == b'"' || q == b'\'' {
            let mut k = end - 1;
            while k > 0 {
                k -= 1;
                if b[k] == q {
                    let mut n = 0;
                    while k > n && b[k - 1 - n] == b'\\' {
                        n += 1;
                    }
                    if n % 2 == 0 {
                        return Some(Span::new(k, end));
                    }
                }
            }
            None
        } else {
            let mut k = end;
            while k > 0
                && (b[k - 1].is_ascii_alphanumeric() || b[k - 1] == b'.' || b[k - 1] == b'_')
            {
                k -= 1;
            }
            Some(Span::new(k, end))
        }
    }

    /// Records the legacy octal in a number or string property key the scanner went over.
    fn key_octal(&mut self, span: Span) {
        let o = match self.src.as_bytes().get(span.start as usize) {
            Some(b'"' | b'\'') => self.string_literal_octal(span),
            Some(b'0'..=b'9') => self.octal_number(span),
            _ => None,
        };
        if let Some(o) = o {
            self.last_octal = Some(o);
        }
    }

    /// The last legacy octal escape (`\01`, `\1`, `\08`) or `\8`/`\9` in a string literal, with
    /// the range V8's scanner records for it.
    fn string_literal_octal(&self, span: Span) -> Option<(Span, Octal)> {
        let base = span.start as usize;
        let b = &self.src.as_bytes()[base..span.end as usize];
        if !b.contains(&b'\\') {
            return None;
        }
        let mut found = None;
        let mut i = 1;
        while i + 1 < b.len() {
            if b[i] != b'\\' {
                i += 1;
                continue;
            }
            let c = b[i + 1];
            match c {
                b'0'..=b'7' => {
                    let mut x = u32::from(c - b'0');
                    let mut j = i + 2;
                    let mut n = 0;
                    while n < 2 && j < b.len() && (b'0'..=b'7').contains(&b[j]) {
                        let nx = x * 8 + u32::from(b[j] - b'0');
                        if nx >= 256 {
                            break;
                        }
                        x = nx;
                        j += 1;
                        n += 1;
                    }
                    if c != b'0' || n > 0 || (j < b.len() && matches!(b[j], b'8' | b'9')) {
                        let s = base + j - n - 1;
                        found = Some((Span::new(s, base + j - 1), Octal::Escape));
                    }
                    i = j;
                }
                b'8' | b'9' => {
                    found = Some((Span::new(base + i, base + i + 1), Octal::Escape89));
                    i += 2;
                }
                _ => i += 2,
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    //! Every expectation here was checked against node v20.20.2 (`node --check`).

    use crate::syntax::parse;

    fn ok(src: &str) {
        if let Err(e) = parse(src) {
            panic!("{src:?} should parse, got {:?} at {:?}", e.kind, e.span);
        }
    }

    /// The error's message and the source text it marks.
    fn err(src: &str) -> (String, String) {
        match parse(src) {
            Ok(_) => panic!("{src:?} should fail"),
            Err(e) => (
                e.message(),
                src[e.span.start as usize..e.span.end as usize].to_string(),
            ),
        }
    }

    fn err_is(src: &str, message: &str, marked: &str) {
        let (m, t) = err(src);
        assert_eq!((m.as_str(), t.as_str()), (message, marked), "for {src:?}");
    }

    #[test]
    fn valid_scoping() {
        ok("let a; { let a; { let a; } }");
        ok("{ let a; } { let a; }");
        ok("var a; var a;");
        ok("function f() {} function f() {}");
        ok("var f; function f() {}");
        ok("function a() {} var a; function a() {}");
        ok("function f(a) { { let a; } }");
        ok("function f(a) { var a; }");
        ok("function f(a = 1) { var a; }");
        ok("function f(a) { function a() {} }");
        ok("function f(a, a) {}");
        ok("try {} catch (e) { var e; }");
        ok("try {} catch (e) { { let e; } }");
        ok("{ function f() {} function f() {} }");
        ok("switch (1) { case 1: function f() {} case 2: function f() {} }");
        ok("let x; { function x() {} }");
        ok("for (let i = 0; i < 1; i++) { let i; }");
        ok("for (let a of []) { let a; }");
        ok("for (var i of x) { let i; }");
        ok("let a; (function () { var a; });");
        ok("(function f() { let f; });");
        ok("x = class A { m() { let A; } };");
        ok("class A {} { class A {} }");
        ok("var x; { var x; }");
        ok("function f() { var arguments; let eval; }");
        ok("let require = 1, module, exports;");
    }

    #[test]
    fn valid_control_flow() {
        ok("a: while (1) { break a; }");
        ok("a: { break a; } a: { break a; }");
        ok("while (1) { switch (1) { case 1: break; } }");
        ok("while (1) { switch (1) { case 1: continue; } }");
        ok("a: for (;;) { b: for (;;) { continue a; } }");
        ok("a: b: while (1) { continue a; }");
        ok("do { break; } while (0)");
        ok("return 1");
        ok("function f() { return; }");
    }

    #[test]
    fn valid_functions_and_classes() {
        ok("function f() { return () => new.target; }");
        ok("new.target");
        ok("x = { m() { return super.x; } }");
        ok("x = { get m() { return () => super.m; } }");
        ok("class A extends B { constructor() { super(); () => super(); } }");
        ok("class A { x = super.y; static { super.z; } }");
        ok("class A { x = () => this; #a; m() { return this.#a; } }");
        ok("class A { #a; m() { class B { n() { return this.#a; } } } }");
        ok("class A { get #a() {} set #a(v) {} }");
        ok("class A { m() { return this.#b; } #b = 1 }");
        ok("class A { x = function () { return arguments; } }");
        ok("function* g() { yield 1; yield* g(); }");
        ok("x; async function f() { await 1; for await (x of y) {} }");
        ok("x = async () => await 1");
        ok("function f() { yield(1); yield; yield[0]; yield - 1; }");
        ok("function f() { await(1); await[0]; }");
        ok("x = {a: 1, b}; ({a = 1} = {}); [{a = 1}] = [];");
        ok("function f() { 'use strict'; return 1; }");
        ok("x = 010; y = '\\01';");
        ok("function f() { 010; } function g() { 'use strict'; }");
        ok("function f() { 010; 'use strict' }");
        ok("class A { '\\01'() {} 010() {} x = 010 }");
        ok("delete x; with (a) {}");
        ok("var public, eval, arguments; eval = 1;");
    }

    #[test]
    fn redeclarations() {
        let already = "Identifier 'a' has already been declared";
        err_is("let a; let a;", already, "a");
        err_is("let a; var a;", already, "a");
        err_is("var a; let a;", already, "a");
        err_is("let [a, a] = [];", already, "a");
        err_is("function f(a) { let a; }", already, "a");
        err_is("let a; function a() {}", already, "f");
        err_is("let a; class a {}", already, "class a {}");
        err_is(
            "'use strict'; { function a() {} function a() {} }",
            already,
            "f",
        );
        err_is("{ async function a() {} function a() {} }", already, "f");
        // (No test source starts with `async` or `yield`: the lexer currently takes the first
        // token of a file for one after a line break.)
        // An immediate conflict marks one character...
        let abc = "Identifier 'abc' has already been declared";
        err_is("let abc; let abc;", abc, "a");
        // ...a `var` in a block, checked when the function ends, too (even the earlier one)...
        err_is("{ let abc; var abc; }", abc, "a");
        err_is("{ var abc; let abc; }", abc, "a");
        err_is("for (let abc of []) { var abc; }", abc, "a");
        // ...`ReportVarRedeclarationIn` the length of the name.
        err_is("function f(abc = 1) { let abc; }", abc, "abc");
        err_is("try {} catch (abc) { let abc; }", abc, "abc");
        err_is("try {} catch ([abc]) { let abc; }", abc, "abc");
        err_is("try {} catch (abc) { function abc() {} }", abc, "fun");
    }

    #[test]
    fn errors_reported_while_unwinding() {
        let abc = "Identifier 'abc' has already been declared";
        // A function is declared after its body, even when the body has an error...
        err_is("let abc; function abc() { break; }", abc, "f");
        err_is("let abc; function abc() { let x; let x; }", abc, "f");
        // ...a class is not.
        err_is(
            "let abc; class abc { m() { break; } }",
            "Illegal break statement",
            "break",
        );
        err_is(
            "function eval() { 'use strict'; break; }",
            "Unexpected eval or arguments in strict mode",
            "eval",
        );
        err_is("{ let abc; var abc; break; }", abc, "a");
        err_is(
            "x = {a = 1, b: () => { break; }}",
            "Invalid shorthand property initializer",
            "a = 1",
        );
        err_is(
            "'use strict'; 010; function f() { break; }",
            "Octal literals are not allowed in strict mode.",
            "010",
        );
        err_is(
            "function f() { 'use strict'; 010; break; }",
            "Illegal break statement",
            "break",
        );
    }

    #[test]
    fn declaration_errors() {
        err_is("const a;", "Missing initializer in const declaration", "a");
        err_is(
            "const a, b = 1;",
            "Missing initializer in const declaration",
            "a",
        );
        err_is(
            "let [a];",
            "Missing initializer in destructuring declaration",
            "[a]",
        );
        err_is(
            "for (const a;;) {}",
            "Missing initializer in const declaration",
            "a",
        );
        ok("for (const a of b) {} for (let [a] in b) {}");
    }

    #[test]
    fn control_flow_errors() {
        err_is("break;", "Illegal break statement", "break");
        err_is(
            "while (1) { (function () { break; }); }",
            "Illegal break statement",
            "break",
        );
        err_is(
            "continue;",
            "Illegal continue statement: no surrounding iteration statement",
            "continue",
        );
        err_is(
            "switch (1) { case 1: continue; }",
            "Illegal continue statement: no surrounding iteration statement",
            "continue",
        );
        err_is("a: { break b; }", "Undefined label 'b'", "b");
        err_is(
            "a: { continue a; }",
            "Illegal continue statement: 'a' does not denote an iteration statement",
            "a",
        );
        err_is("a: a: ;", "Label 'a' has already been declared", "a");
        err_is("a: { a: ; }", "Label 'a' has already been declared", "a");
        err_is(
            "a: while (1) { (() => { continue a; }); }",
            "Undefined label 'a'",
            "a",
        );
        err_is(
            "class A { static { return; } }",
            "Illegal return statement",
            "return",
        );
        err_is(
            "switch (a) { default: case 1: default: }",
            "More than one default clause in switch statement",
            "default",
        );
    }

    #[test]
    fn context_errors() {
        err_is("super()", "'super' keyword unexpected here", "super");
        err_is(
            "function f() { super.x }",
            "'super' keyword unexpected here",
            "super",
        );
        err_is(
            "x = { m() { super() } }",
            "'super' keyword unexpected here",
            "super",
        );
        err_is(
            "class A extends B { x = super() }",
            "'super' keyword unexpected here",
            "super",
        );
        err_is(
            "class A { constructor() { super() } }",
            "'super' keyword unexpected here",
            "super",
        );
        err_is(
            "class A { x = () => arguments }",
            "'arguments' is not allowed in class field initializer or static initialization block",
            "arguments",
        );
        err_is(
            "f({a = 1})",
            "Invalid shorthand property initializer",
            "a = 1",
        );
        err_is(
            "x = [{a = 1}]",
            "Invalid shorthand property initializer",
            "a = 1",
        );
    }

    #[test]
    fn yield_and_await() {
        let not_async =
            "await is only valid in async functions and the top level bodies of modules";
        err_is("function f() { await x }", not_async, "await");
        err_is("function f() { x = await y }", not_async, "await");
        err_is(
            "function f() { f(await x) }",
            "missing ) after argument list",
            "await",
        );
        err_is(
            "function f() { if (await x) {} }",
            "Unexpected identifier 'x'",
            "x",
        );
        err_is(
            "x; async function f() { () => await 1 }",
            "Unexpected number",
            "1",
        );
        err_is(
            "function f() { for await (x of y) {} }",
            "Unexpected reserved word",
            "await",
        );
        err_is(
            "class A { static { await 1 } }",
            "Unexpected reserved word",
            "await",
        );
        err_is("x; yield 1", "Unexpected number", "1");
        err_is("x; yield x", "Unexpected identifier 'x'", "x");
        err_is("x; yield this", "Unexpected token 'this'", "this");
        err_is("f(yield 1)", "missing ) after argument list", "yield");
        err_is(
            "'use strict'; yield",
            "Unexpected strict mode reserved word",
            "yield",
        );
        err_is(
            "function* g() { (a = yield) => 1 }",
            "Yield expression not allowed in formal parameter",
            "yield",
        );
        err_is(
            "function* g() { function* h(a = yield) {} }",
            "Yield expression not allowed in formal parameter",
            "yield",
        );
        ok("function* g() { () => yield; function h(a = yield) {} }");
    }

    #[test]
    fn strict_errors() {
        err_is(
            "'use strict'; with (a) {}",
            "Strict mode code may not include a with statement",
            "with",
        );
        err_is(
            "'use strict'; delete x",
            "Delete of an unqualified identifier in strict mode.",
            "x",
        );
        let eval = "Unexpected eval or arguments in strict mode";
        err_is("function f() { 'use strict'; eval = 1 }", eval, "eval");
        err_is("'use strict'; (eval) = 1", eval, "(eval)");
        err_is("'use strict'; ++(arguments)", eval, "(arguments)");
        err_is("'use strict'; ({eval} = {})", eval, "eval");
        err_is(
            "'use strict'; [eval] = []",
            "Invalid destructuring assignment target",
            "eval",
        );
        err_is("'use strict'; try {} catch (eval) {}", eval, "eval");
        err_is("class eval {}", eval, "eval");
        let dup = "Duplicate parameter name not allowed in this context";
        err_is("function f(a, a) { 'use strict' }", dup, "a");
        err_is("function f(a, a = 1) {}", dup, "a");
        err_is("x = { m(a, a) {} }", dup, "a");
        // `eval` beats a repeated name; otherwise the earlier of the two.
        err_is("function f(a, a, eval) { 'use strict' }", eval, "eval");
        let reserved = "Unexpected strict mode reserved word";
        err_is("function f(a, a, public) { 'use strict' }", dup, "a");
        err_is(
            "function f(a, public, a) { 'use strict' }",
            reserved,
            "public",
        );
        err_is("function eval(a, a) { 'use strict' }", eval, "eval");
        err_is(
            "function f(a = 1) { 'use strict' }",
            "Illegal 'use strict' directive in function with non-simple parameter list",
            "'use strict'",
        );
        err_is("'use strict'; var public = 1", reserved, "public");
        err_is("'use strict'; let interface = 1", reserved, "let");
        err_is("'use strict'; let static = 1", reserved, "static");
        err_is("class A { m() { var package } }", reserved, "package");
    }

    #[test]
    fn strict_octal_errors() {
        let octal = "Octal literals are not allowed in strict mode.";
        err_is("function f() { 'use strict'; return 010 }", octal, "010");
        err_is(
            "class A { m() { return 08 } }",
            "Decimals with leading zeros are not allowed in strict mode.",
            "08",
        );
        let escape = "Octal escape sequences are not allowed in strict mode.";
        // An escape before the directive counts too.
        err_is("function f() { '\\01'; 'use strict' }", escape, "0");
        err_is("'use strict'; '\\08'", escape, "");
        err_is(
            "'use strict'; '\\9'",
            "\\8 and \\9 are not allowed in strict mode.",
            "\\",
        );
        err_is(
            "function f() { 'use strict'; x = { 010: 1 } }",
            octal,
            "010",
        );
        // V8 remembers the last octal only; its scanner is a token ahead of the parser.
        err_is("'use strict'; x = 010 + 011", octal, "011");
        err_is(
            "function f() { 'use strict'; function g() { 011 } 010 }",
            octal,
            "010",
        );
        err_is("'use strict'; function g() { 011 } 010", octal, "011");
    }

    #[test]
    fn private_name_errors() {
        let undeclared = "Private field '#a' must be declared in an enclosing class";
        err_is("this.#a", undeclared, ".");
        err_is("class A { m() { this.#a } }", undeclared, ".");
        err_is(
            "class A { m() { class B { #b; n() { this.#a } } } }",
            undeclared,
            ".",
        );
        let twice = "Identifier '#a' has already been declared";
        err_is("class A { #a; #a; }", twice, ";");
        err_is("class A { #a; #a = foo }", twice, "foo");
        err_is("class A { #a; #a }", twice, "#a");
        err_is("class A { #a; #a() {} }", twice, "}");
        err_is("class A { get #a() {} get #a() {} }", twice, "}");
        err_is(
            "class A { #a; m() { delete this.#a } }",
            "Private fields can not be deleted",
            "#a",
        );
        err_is(
            "class A { #constructor }",
            "Classes may not have a field named 'constructor'",
            "#constructor",
        );
        err_is(
            "class A { static prototype() {} }",
            "Classes may not have a static property named 'prototype'",
            "prototype",
        );
    }

    /// The walk recurses once per tree level: the deepest trees the parser builds, of every
    /// shape, must not overflow the 2 MiB stack of a test thread.
    #[test]
    fn deep_trees_fit_the_test_stack() {
        // Nesting levels that give a tree just below the parser's limit, per shape.
        let d = crate::syntax::ast::MAX_DEPTH as usize - 10;
        let cases = [
            format!("x = {}1{};", "(".repeat(d), ")".repeat(d)),
            format!("{}{}", "{".repeat(d), "}".repeat(d)),
            format!("{} 1;", "if (1) ".repeat(d)),
            format!("x = {}1{};", "[".repeat(d), "]".repeat(d)),
            format!("{}1{}", "f(".repeat(d), ")".repeat(d)),
            format!("x = {}1{};", "`${".repeat(d), "}`".repeat(d)),
            format!("{}{}", "try { ".repeat(d), "} finally {}".repeat(d)),
            format!(
                "{}1{}",
                "(function () { return ".repeat(d / 3),
                "; })".repeat(d / 3)
            ),
            format!(
                "{}1{}",
                "(() => { return ".repeat(d / 3),
                "; })".repeat(d / 3)
            ),
            format!("{}{}", "x = { m() { ".repeat(d / 3), "} };".repeat(d / 3)),
            format!(
                "{}{}",
                "class A { m() { ".repeat(d / 2),
                "} }".repeat(d / 2)
            ),
            format!(
                "{}{}",
                "for (let i of x) { ".repeat(d / 2),
                "}".repeat(d / 2)
            ),
        ];
        for src in cases {
            let r = std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || {
                    let p = parse(&src);
                    let ok = p.is_ok();
                    // Dropping a deep tree recurses too; that is not what is tested here.
                    std::mem::forget(p);
                    ok
                })
                .unwrap()
                .join();
            assert!(matches!(r, Ok(true)));
        }
    }
}
