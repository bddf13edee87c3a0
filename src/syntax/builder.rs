//! What the grammar's actions call: node constructors, the cover-grammar conversions
//! (expression → pattern, parenthesised expression → arrow parameters) and the ASI check.
//! Keeping this code here keeps `grammar/minijs.lalrpop` to syntax.
//!
//! The error type is LALRPOP's `ParseError`, which carries a whole token and so is large; it is
//! only built on the error path, once per parse, so it is not boxed.
#![allow(clippy::result_large_err)]

use std::cell::RefCell;

use lalrpop_util::{ErrorRecovery, ParseError};

use super::ast::*;
use super::error::{SyntaxError, SyntaxErrorKind as K};
use super::lexer::LexState;
use super::token::Tok;

pub type PError = ParseError<usize, Tok, SyntaxError>;
type PResult<T> = Result<T, PError>;

fn user(kind: K, span: Span) -> PError {
    ParseError::User {
        error: SyntaxError::new(kind, span),
    }
}

/// Parser state shared with the actions.
pub struct Ctx {
    pub lex: LexState,
    /// The first semicolon insertion that ECMA-262 does not allow: the real syntax error.
    pub bad_asi: RefCell<Option<SyntaxError>>,
    src_len: usize,
}

impl Ctx {
    pub fn new(src_len: usize) -> Ctx {
        Ctx {
            lex: LexState::default(),
            bad_asi: RefCell::new(None),
            src_len,
        }
    }

    /// Called when LALRPOP's error recovery inserted a `Semi`. `start` is the start of the
    /// recovery's span: for a pure insertion (nothing popped or dropped) it is the end of the
    /// previous token. See the grammar's header for the whole argument.
    pub fn asi(&self, start: usize, rec: ErrorRecovery<usize, Tok, SyntaxError>, do_while: bool) {
        let (at, is_rbrace) = match &rec.error {
            ParseError::UnrecognizedToken {
                token: (s, t, _), ..
            } => (*s, *t == Tok::RBrace),
            _ => (self.src_len, false),
        };
        let snap = self.lex.at(at);
        let pure = rec.dropped_tokens.is_empty() && start == snap.prev_end && snap.start == at;
        // `a?.b` then a template on the next line: ECMA-262 makes the template part of the
        // chain (an early error) so that no semicolon is inserted.
        let chain_template = match &rec.error {
            ParseError::UnrecognizedToken {
                token: (_, Tok::NoSubTemplate(_) | Tok::TemplateHead(_), _),
                expected,
            } => expected.iter().any(|x| x.trim_matches('"') == "?."),
            _ => false,
        };
        let allowed = pure
            && !chain_template
            && match &rec.error {
                ParseError::UnrecognizedToken { .. } => is_rbrace || snap.nl_before || do_while,
                ParseError::UnrecognizedEof { .. } => true,
                _ => false,
            };
        if !allowed && self.bad_asi.borrow().is_none() {
            let err = self.convert(rec.error);
            *self.bad_asi.borrow_mut() = Some(err);
        }
    }

    /// Converts LALRPOP's error into ours, with V8's message for where the parser stood. Must
    /// run while the lexer state still describes the offending token.
    pub fn convert(&self, e: PError) -> SyntaxError {
        let src_len = self.src_len;
        use super::lexer::Context;
        let (tok, expected, at) = match e {
            ParseError::User { error } => return error,
            ParseError::InvalidToken { location } => {
                let span = Span::new(location, location + 1);
                return SyntaxError::new(K::Lex(super::token::LexErrorKind::InvalidToken), span);
            }
            ParseError::ExtraToken { token: (s, t, e) } => {
                return SyntaxError::new(K::UnexpectedToken(t), Span::new(s, e))
            }
            ParseError::UnrecognizedEof { expected, .. } => {
                (None, expected, Span::new(src_len, src_len))
            }
            ParseError::UnrecognizedToken {
                token: (s, t, e),
                expected,
            } => (Some(t), expected, Span::new(s, e)),
        };
        // An error at a `;` the lexer inserted is an error at the token after it.
        let (tok, at) = match tok {
            Some(Tok::Semi) if at.start == at.end => match self.lex.synthetic_at(at.start as usize)
            {
                Some((t, span)) => (Some(t), span),
                None => (Some(Tok::Semi), at),
            },
            t => (t, at),
        };
        let lex = self.lex.at(at.start as usize);
        let expects = |name: &str| expected.iter().any(|x| x.trim_matches('"') == name);
        let prev = Span::new(lex.prev_start, lex.prev_end);
        // V8's more specific messages, decided by where the parser stood.
        match lex.context {
            Context::CallArgs if expects(")") && !lex.prev_is_separator => {
                return SyntaxError::new(K::MissingParenAfterArgs, prev);
            }
            Context::Template(start) if expects("template_tail") => {
                let end = if tok.is_some() {
                    at.start as usize
                } else {
                    prev.end as usize
                };
                return SyntaxError::new(K::MissingBraceInTemplate, Span::new(start, end));
            }
            _ => {}
        }
        // Inside parameter-list parentheses, a `,` or `=` where only `)` may come follows a rest
        // parameter. V8 marks the `,` or `=` of a function, and the end of the rest binding (the
        // token before) of an arrow.
        if matches!(lex.context, Context::Params | Context::Paren)
            && expected.len() == 1
            && expects(")")
        {
            let span = if lex.context == Context::Params {
                at
            } else {
                prev
            };
            match tok {
                Some(Tok::Comma) => return SyntaxError::new(K::RestParamLast, span),
                Some(Tok::Eq) => return SyntaxError::new(K::RestInit, span),
                _ => {}
            }
        }
        match &tok {
            // `let [0] = x`: V8 parses a pattern in brackets or braces as a literal, then finds
            // the element is no target.
            Some(
                Tok::Number(_)
                | Tok::BigInt(_)
                | Tok::String(_)
                | Tok::This
                | Tok::Null
                | Tok::True
                | Tok::False
                | Tok::NoSubTemplate(_)
                | Tok::RegExp(_),
            ) if lex.context == Context::Pattern && expects("ident") && !expects("number") => {
                return SyntaxError::new(K::InvalidDestructuringTarget, at);
            }
            // `if (a) let x = 1`: `let` starts a declaration where only a statement may stand.
            Some(Tok::Let) if expects("var") => {
                return SyntaxError::new(K::LexicalInSingleStatement, at);
            }
            // `(a)(b) => 1`, `f(a) => 1`: a call where arrow parameters should have been.
            Some(Tok::Arrow) => {
                if let Some((s, e)) = lex.closed_call {
                    let span = Span::new(s as usize, e as usize);
                    return SyntaxError::new(K::MalformedArrowParams, span);
                }
            }
            // `new a?.b()`: `new` takes no optional chain (`?.` is unexpected only there).
            Some(Tok::QDot) => return SyntaxError::new(K::OptionalChainFromNew, at),
            // `` a?.b`x` ``: a template where only the chain could continue.
            Some(Tok::NoSubTemplate(_) | Tok::TemplateHead(_)) if expects("?.") => {
                return SyntaxError::new(K::OptionalChainTemplate, at);
            }
            // Words that are reserved in strict code; in sloppy code V8 names the
            // future-reserved ones `undefined` (its message table has no name for them).
            Some(t @ (Tok::Ident(_) | Tok::Let | Tok::Static | Tok::Yield | Tok::YieldNl)) => {
                let name = match t {
                    Tok::Ident(n) => &**n,
                    t => t.text(),
                };
                let future = matches!(
                    name,
                    "implements" | "interface" | "package" | "private" | "protected" | "public"
                );
                if lex.strict && (future || matches!(name, "let" | "static" | "yield")) {
                    return SyntaxError::new(K::StrictReserved, at);
                }
                if future {
                    return SyntaxError::new(
                        K::UnexpectedToken(Tok::Ident("undefined".into())),
                        at,
                    );
                }
                if lex.strict {
                    // (`let`, `static`, `yield` in strict code were handled above.)
                } else if matches!(t, Tok::Yield | Tok::YieldNl) {
                    return SyntaxError::new(K::UnexpectedToken(Tok::Ident("yield".into())), at);
                }
                if name == "await" {
                    return SyntaxError::new(K::ReservedWord, at);
                }
                // V8 quotes `async` as a token even where it is a name.
                if name == "async" {
                    return SyntaxError::new(K::UnexpectedToken(Tok::Async), at);
                }
            }
            _ => {}
        }
        if expected.len() == 2 && expects("catch") && expects("finally") {
            return SyntaxError::new(K::MissingCatchOrFinally, prev);
        }
        match tok {
            Some(t @ Tok::RegExp(..)) => SyntaxError::new(
                K::UnexpectedToken(t),
                Span::new(at.start as usize, at.start as usize + 1),
            ),
            Some(t) => SyntaxError::new(K::UnexpectedToken(t), at),
            None => SyntaxError::new(K::UnexpectedEnd, at),
        }
    }
}

// ---- Statements ----

pub enum ForHeader {
    Classic(Option<ForInit>, Option<Expr>, Option<Expr>),
    In(ForHead, Expr),
    Of(ForHead, Expr, bool),
}

pub fn for_stmt(h: ForHeader, body: Stmt, span: Span) -> Stmt {
    let body = Box::new(body);
    let kind = match h {
        ForHeader::Classic(init, test, update) => StmtKind::For {
            init: init.map(Box::new),
            test: test.map(Box::new),
            update: update.map(Box::new),
            body,
        },
        ForHeader::In(head, e) => StmtKind::ForIn(head, Box::new(e), body),
        ForHeader::Of(head, iterable, is_await) => StmtKind::ForOf {
            head,
            iterable: Box::new(iterable),
            body,
            is_await,
        },
    };
    Stmt::new(kind, span)
}

pub fn for_in_target_boxed(
    t: Chain,
    e: Expr,
    is_of: bool,
    is_await: bool,
    span: Span,
) -> PResult<Box<ForHeader>> {
    for_in_target(climb(t)?, e, is_of, is_await, span).map(Box::new)
}

pub fn for_in_target(
    t: Expr,
    e: Expr,
    is_of: bool,
    is_await: bool,
    span: Span,
) -> PResult<ForHeader> {
    let kind = if is_of {
        K::InvalidLhsForOf
    } else {
        K::InvalidLhsForIn
    };
    if is_of {
        // `for (let.x of …)`: ECMA-262 forbids a for-of target that starts with `let`.
        let mut leftmost = &t;
        while let ExprKind::Member { object, .. } | ExprKind::Call { callee: object, .. } =
            &leftmost.kind
        {
            leftmost = object;
        }
        if matches!(&leftmost.kind, ExprKind::Ident(n) if &**n == "let")
            && leftmost.span.start == t.span.start
        {
            return Err(user(K::ForOfStartsWithLet, leftmost.span));
        }
    }
    let target = Box::new(to_assign_target(t).map_err(|_| user(kind, span))?);
    Ok(if is_of {
        ForHeader::Of(ForHead::Target(target), e, is_await)
    } else {
        ForHeader::In(ForHead::Target(target), e)
    })
}

/// `for (let x = 1 of a)`: a declaration with an initializer in a for-in/of head, an error
/// (V8 marks the declarator) — except Annex B's sloppy `for (var x = 1 in o)` (B.3.5), whose
/// initializer is evaluated and stored before the object expression. It becomes
/// `for (var x in (x = 1, o))`, where the assignment's span is the declarator's: the early
/// pass knows it by that (a written assignment starts after `in`) and rejects it in strict
/// code.
pub fn for_in_initializer(
    kind: VarKind,
    target: Pattern,
    init: Expr,
    object: Expr,
    is_of: bool,
    span: Span,
) -> PResult<Box<ForHeader>> {
    let which = if is_of { "for-of" } else { "for-in" };
    if is_of || kind != VarKind::Var || !matches!(target.kind, PatternKind::Ident(_)) {
        return Err(user(K::ForInOfInitializer(which), span));
    }
    let depth = init.depth.max(object.depth) + 1;
    let assign = Expr {
        kind: ExprKind::Assign {
            op: AssignOp::Assign,
            target: Box::new(target.clone()),
            value: Box::new(init),
        },
        span,
        depth,
    };
    let seq_span = Span::new(span.start as usize, object.span.end as usize);
    let object = Expr {
        kind: ExprKind::Sequence(vec![assign, object]),
        span: seq_span,
        depth: depth + 1,
    };
    Ok(Box::new(ForHeader::In(
        ForHead::Decl(kind, Box::new(target)),
        object,
    )))
}

// ---- Functions and classes ----

pub fn function(
    name: Option<Ident>,
    params: Vec<Param>,
    body: Vec<Stmt>,
    is_async: bool,
    is_generator: bool,
    span: Span,
) -> Function {
    Function {
        name,
        kind: FunctionKind::Normal,
        params,
        body,
        expression_body: false,
        is_async,
        is_generator,
        span,
    }
}

pub fn params(v: Vec<Box<Param>>, last: Option<Box<Param>>, rest: Option<Pattern>) -> Vec<Param> {
    let mut v: Vec<Param> = v.into_iter().chain(last).map(|p| *p).collect();
    if let Some(r) = rest {
        v.push(Param {
            target: r,
            default: None,
            rest: true,
        });
    }
    v
}

pub struct MethodDef {
    pub key: PropKey,
    pub key_span: Span,
    pub params_span: Span,
    pub kind: MethodKind,
    pub func: Function,
}

pub fn method(
    (key, key_span): (PropKey, Span),
    kind: MethodKind,
    (params, params_span): (Vec<Param>, Span),
    body: Vec<Stmt>,
    is_async: bool,
    is_generator: bool,
    span: Span,
) -> Box<MethodDef> {
    let fkind = match kind {
        MethodKind::Method => FunctionKind::Method,
        MethodKind::Get => FunctionKind::Getter,
        MethodKind::Set => FunctionKind::Setter,
    };
    let func = Function {
        name: None,
        kind: fkind,
        params,
        body,
        expression_body: false,
        is_async,
        is_generator,
        span,
    };
    Box::new(MethodDef {
        key,
        key_span,
        params_span,
        kind,
        func,
    })
}

fn check_accessor(m: &MethodDef) -> PResult<()> {
    match m.kind {
        MethodKind::Get if !m.func.params.is_empty() => Err(user(K::GetterArity, m.params_span)),
        MethodKind::Set if m.func.params.len() != 1 => Err(user(K::SetterArity, m.params_span)),
        MethodKind::Set if m.func.params[0].rest => Err(user(K::SetterRest, m.params_span)),
        _ => Ok(()),
    }
}

#[allow(clippy::boxed_local)] // the grammar hands boxes, to keep its symbol type small
pub fn object_method(m: Box<MethodDef>) -> PResult<Prop> {
    let m = *m;
    check_accessor(&m)?;
    if let PropKey::Private(_) = m.key {
        return Err(user(
            K::UnexpectedToken(Tok::PrivateName("".into())),
            m.func.span,
        ));
    }
    Ok(Prop::Method(m.key, m.kind, Box::new(m.func)))
}

fn is_constructor_key(k: &PropKey) -> bool {
    match k {
        PropKey::Ident(n) => &**n == "constructor",
        PropKey::String(s) => s.as_str_if_valid().as_deref() == Some("constructor"),
        _ => false,
    }
}

#[allow(clippy::boxed_local)] // as above
pub fn class_method(m: Box<MethodDef>, is_static: bool, span: Span) -> PResult<ClassMember> {
    let mut m = *m;
    check_accessor(&m)?;
    if !is_static && is_constructor_key(&m.key) {
        let special = if m.kind != MethodKind::Method {
            Some(K::ConstructorIsSpecial)
        } else if m.func.is_async {
            Some(K::ConstructorIsAsync)
        } else if m.func.is_generator {
            Some(K::ConstructorIsGenerator)
        } else {
            None
        };
        if let Some(kind) = special {
            return Err(user(kind, m.key_span));
        }
        m.func.kind = FunctionKind::ClassConstructor;
    }
    Ok(ClassMember {
        key: m.key,
        is_static,
        kind: ClassMemberKind::Method(m.kind, Box::new(m.func)),
        span,
    })
}

pub fn class(
    name: Option<Ident>,
    superclass: Option<Expr>,
    members: Vec<Option<Box<ClassMember>>>,
    span: Span,
) -> PResult<Box<Class>> {
    let mut members: Vec<ClassMember> = members.into_iter().flatten().map(|m| *m).collect();
    let mut seen_ctor = false;
    for m in &mut members {
        if let ClassMemberKind::Method(_, f) = &mut m.kind {
            if f.kind == FunctionKind::ClassConstructor {
                if seen_ctor {
                    // V8 marks the key: the member's span starts with it.
                    let key = Span::new(
                        m.span.start as usize,
                        m.span.start as usize + "constructor".len(),
                    );
                    return Err(user(K::DuplicateConstructor, key));
                }
                seen_ctor = true;
                if superclass.is_some() {
                    f.kind = FunctionKind::DerivedConstructor;
                }
            }
        }
    }
    Ok(Box::new(Class {
        name,
        superclass,
        members,
        span,
    }))
}

// ---- Patterns ----

pub fn object_pattern(
    v: Vec<Box<ObjectPatProp>>,
    last: Option<Box<ObjectPatProp>>,
    rest: Option<Pattern>,
    span: Span,
) -> Pattern {
    let v: Vec<ObjectPatProp> = v.into_iter().chain(last).map(|p| *p).collect();
    Pattern::new(
        PatternKind::Object {
            props: v,
            rest: rest.map(Box::new),
        },
        span,
    )
}

/// `{a, ...rest}` in a declaration: the rest element must be a name.
pub fn object_pattern_rest(
    v: Vec<Box<ObjectPatProp>>,
    rest: Pattern,
    span: Span,
) -> PResult<Pattern> {
    if !matches!(rest.kind, PatternKind::Ident(_)) {
        return Err(user(K::RestNotIdentifier, rest.span));
    }
    Ok(object_pattern(v, None, Some(rest), span))
}

pub fn array_pattern(
    v: Vec<Option<Box<PatElem>>>,
    last: Option<Box<PatElem>>,
    rest: Option<Pattern>,
    span: Span,
) -> Pattern {
    let mut v: Vec<Option<PatElem>> = v.into_iter().map(|e| e.map(|e| *e)).collect();
    if let Some(l) = last {
        v.push(Some(*l));
    }
    Pattern::new(
        PatternKind::Array {
            elems: v,
            rest: rest.map(Box::new),
        },
        span,
    )
}

/// Converts an expression on the left of `=` (or a for-in/of head) to an assignment target.
/// Object and array literals become destructuring patterns.
pub fn to_assign_target(e: Expr) -> Result<Pattern, SyntaxError> {
    to_pattern(e, false)
}

/// `binding`: the target declares names (arrow parameters), so member expressions are not
/// allowed in it.
fn to_pattern(e: Expr, binding: bool) -> Result<Pattern, SyntaxError> {
    let span = e.span;
    let bad = |span| SyntaxError::new(K::InvalidDestructuringTarget, span);
    match e.kind {
        ExprKind::Ident(name) => Ok(Pattern::new(PatternKind::Ident(Ident { name, span }), span)),
        ExprKind::Member {
            optional: false, ..
        }
        | ExprKind::SuperMember(_)
            if !binding =>
        {
            Ok(Pattern::new(PatternKind::Expr(Box::new(e)), span))
        }
        ExprKind::Paren(inner) if !binding => match inner.kind {
            ExprKind::Ident(_)
            | ExprKind::Member {
                optional: false, ..
            }
            | ExprKind::SuperMember(_) => to_pattern(*inner, binding),
            _ => Err(bad(span)),
        },
        ExprKind::Array(elems) => {
            let n = elems.len();
            let mut out = Vec::with_capacity(n);
            let mut rest = None;
            for (i, el) in elems.into_iter().enumerate() {
                match el {
                    ArrayElem::Hole => out.push(None),
                    ArrayElem::Expr(x) => out.push(Some(to_elem(x, binding)?)),
                    ArrayElem::Spread(x) => {
                        // V8 marks the element from its `...` (three characters before it).
                        let rest_span =
                            Span::new(x.span.start.saturating_sub(3) as usize, x.span.end as usize);
                        if i + 1 != n {
                            return Err(SyntaxError::new(K::RestElementLast, rest_span));
                        }
                        if matches!(x.kind, ExprKind::Assign { .. }) {
                            return Err(SyntaxError::new(K::InvalidDestructuringTarget, rest_span));
                        }
                        rest = Some(Box::new(to_pattern(x, binding)?));
                    }
                }
            }
            Ok(Pattern::new(PatternKind::Array { elems: out, rest }, span))
        }
        ExprKind::Object(props) => {
            let n = props.len();
            let mut out = Vec::with_capacity(n);
            let mut rest = None;
            for (i, p) in props.into_iter().enumerate() {
                match p {
                    Prop::Init(key, value) => {
                        let PatElem { target, default } = to_elem(value, binding)?;
                        out.push(ObjectPatProp {
                            key,
                            target,
                            default,
                            shorthand: false,
                        });
                    }
                    Prop::Shorthand(id) => {
                        let s = id.span;
                        let key = PropKey::Ident(id.name.clone());
                        out.push(ObjectPatProp {
                            key,
                            target: Pattern::new(PatternKind::Ident(id), s),
                            default: None,
                            shorthand: true,
                        });
                    }
                    Prop::CoverInit(id, default) => {
                        let s = id.span;
                        let key = PropKey::Ident(id.name.clone());
                        out.push(ObjectPatProp {
                            key,
                            target: Pattern::new(PatternKind::Ident(id), s),
                            default: Some(default),
                            shorthand: true,
                        });
                    }
                    Prop::Spread(x) => {
                        if i + 1 != n {
                            return Err(SyntaxError::new(K::RestLast, x.span));
                        }
                        // `{...x}` takes a name (binding) or a simple target (assignment).
                        if binding && !matches!(x.kind, ExprKind::Ident(_)) {
                            return Err(SyntaxError::new(K::RestNotIdentifier, x.span));
                        }
                        if matches!(x.kind, ExprKind::Object(_) | ExprKind::Array(_)) {
                            return Err(SyntaxError::new(K::RestNotAssignable, x.span));
                        }
                        rest = Some(Box::new(to_pattern(x, binding)?));
                    }
                    Prop::Method(_, _, f) => return Err(bad(f.span)),
                }
            }
            Ok(Pattern::new(PatternKind::Object { props: out, rest }, span))
        }
        _ => Err(bad(span)),
    }
}

fn to_elem(e: Expr, binding: bool) -> Result<PatElem, SyntaxError> {
    match e.kind {
        ExprKind::Assign {
            op: AssignOp::Assign,
            target,
            value,
        } => {
            if binding {
                check_binding(&target)?;
            }
            Ok(PatElem {
                target: *target,
                default: Some(*value),
            })
        }
        _ => Ok(PatElem {
            target: to_pattern(e, binding)?,
            default: None,
        }),
    }
}

/// A pattern that came from an assignment inside a parameter list must bind names only.
fn check_binding(p: &Pattern) -> Result<(), SyntaxError> {
    match &p.kind {
        PatternKind::Ident(_) => Ok(()),
        PatternKind::Expr(e) => Err(SyntaxError::new(K::InvalidDestructuringTarget, e.span)),
        PatternKind::Object { props, rest } => {
            for p in props {
                check_binding(&p.target)?;
            }
            rest.as_deref().map_or(Ok(()), check_binding)
        }
        PatternKind::Array { elems, rest } => {
            for e in elems.iter().flatten() {
                check_binding(&e.target)?;
            }
            rest.as_deref().map_or(Ok(()), check_binding)
        }
    }
}

// ---- Expressions ----

pub fn sequence(a: Expr, e: Expr, span: Span) -> Expr {
    match a.kind {
        ExprKind::Sequence(mut v) => {
            v.push(e);
            Expr::new(ExprKind::Sequence(v), span)
        }
        kind => {
            let a = Expr {
                kind,
                span: a.span,
                depth: a.depth,
            };
            Expr::new(ExprKind::Sequence(vec![a, e]), span)
        }
    }
}

fn is_simple_target(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Ident(_)
        | ExprKind::Member {
            optional: false, ..
        }
        | ExprKind::SuperMember(_) => true,
        ExprKind::Paren(inner) => is_simple_target(inner),
        _ => false,
    }
}

pub fn assign(op: AssignOp, target: Expr, value: Expr, span: Span) -> PResult<Expr> {
    let tspan = target.span;
    let target = match (&op, &target.kind) {
        (AssignOp::Assign, ExprKind::Array(_) | ExprKind::Object(_)) => {
            to_assign_target(target).map_err(|e| ParseError::User { error: e })?
        }
        _ if is_simple_target(&target) => {
            to_assign_target(target).map_err(|e| ParseError::User { error: e })?
        }
        _ => return Err(user(K::InvalidLhsAssign, tspan)),
    };
    Ok(Expr::new(
        ExprKind::Assign {
            op,
            target: Box::new(target),
            value: Box::new(value),
        },
        span,
    ))
}

pub fn logical(op: LogicalOp, a: Expr, b: Expr, span: Span) -> Expr {
    Expr::new(ExprKind::Logical(op, Box::new(a), Box::new(b)), span)
}

// ---- Binary operators: one flat chain, built into a tree by precedence ----

/// A binary operator of the flat chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Bin(BinOp),
    Logical(LogicalOp),
}

impl Op {
    /// Binding power: higher binds tighter. `??` shares no level with `||`/`&&` (mixing them
    /// unparenthesised is an error, checked before climbing).
    fn precedence(self) -> u8 {
        use BinOp::*;
        match self {
            Op::Logical(LogicalOp::Coalesce) => 1,
            Op::Logical(LogicalOp::Or) => 2,
            Op::Logical(LogicalOp::And) => 3,
            Op::Bin(BitOr) => 4,
            Op::Bin(BitXor) => 5,
            Op::Bin(BitAnd) => 6,
            Op::Bin(Eq | Ne | StrictEq | StrictNe) => 7,
            Op::Bin(Lt | Gt | Le | Ge | In | Instanceof) => 8,
            Op::Bin(Shl | Shr | UShr) => 9,
            Op::Bin(Add | Sub) => 10,
            Op::Bin(Mul | Div | Rem) => 11,
            Op::Bin(Exp) => 12,
        }
    }

    fn token(self) -> Tok {
        match self {
            Op::Logical(LogicalOp::Coalesce) => Tok::QQ,
            Op::Logical(LogicalOp::Or) => Tok::PipePipe,
            Op::Logical(LogicalOp::And) => Tok::AmpAmp,
            Op::Bin(_) => Tok::Plus,
        }
    }
}

/// Operands and operators in source order. A lone operand allocates nothing.
pub enum Chain {
    One(Expr),
    Many(Box<ChainParts>),
}

pub struct ChainParts {
    operands: Vec<Expr>,
    ops: Vec<(Op, Span)>,
    /// `#x in …` starts the chain: the first operand stands for this private name, and the
    /// first operator is that `in` (the climber builds `PrivateIn` when it reduces it).
    private_lhs: Option<Ident>,
}

/// The start of a chain `#x in e …`: `e` binds by precedence like any right operand of `in`.
pub fn private_in_chain((name, span): (Box<str>, Span), in_span: Span, rhs: Expr) -> Chain {
    let placeholder = Expr::new(ExprKind::Invalid, span);
    Chain::Many(Box::new(ChainParts {
        operands: vec![placeholder, rhs],
        ops: vec![(Op::Bin(BinOp::In), in_span)],
        private_lhs: Some(Ident { name, span }),
    }))
}

impl Chain {
    pub fn push(self, op: Op, span: Span, e: Expr) -> Chain {
        let mut parts = match self {
            Chain::One(first) => Box::new(ChainParts {
                // (Room for a few operators without growing.)
                operands: {
                    let mut v = Vec::with_capacity(4);
                    v.push(first);
                    v
                },
                ops: Vec::with_capacity(3),
                private_lhs: None,
            }),
            Chain::Many(p) => p,
        };
        parts.operands.push(e);
        parts.ops.push((op, span));
        Chain::Many(parts)
    }
}

/// Builds the tree of a chain by precedence (left-associative, `**` right-associative), with
/// explicit stacks. Early errors: `??` mixed with `||`/`&&` without parentheses (reported at
/// the later of the two operators, as V8 does), and a unary operand on the left of `**`.
pub fn climb(chain: Chain) -> PResult<Expr> {
    let parts = match chain {
        Chain::One(e) => return Ok(e),
        Chain::Many(p) => *p,
    };
    let (mut seen_coalesce, mut seen_andor) = (false, false);
    for &(op, span) in &parts.ops {
        match op {
            Op::Logical(LogicalOp::Coalesce) if seen_andor => {
                return Err(user(K::UnexpectedToken(op.token()), span));
            }
            Op::Logical(LogicalOp::And | LogicalOp::Or) if seen_coalesce => {
                return Err(user(K::UnexpectedToken(op.token()), span));
            }
            Op::Logical(LogicalOp::Coalesce) => seen_coalesce = true,
            Op::Logical(_) => seen_andor = true,
            Op::Bin(_) => {}
        }
    }
    let mut private = parts.private_lhs;
    let mut operands: Vec<Expr> = Vec::with_capacity(parts.operands.len());
    let mut ops: Vec<(Op, Span)> = Vec::with_capacity(parts.ops.len());
    let mut input = parts.operands.into_iter();
    operands.extend(input.next());
    for ((op, span), rhs) in parts.ops.into_iter().zip(input) {
        while let Some(&(top, _)) = ops.last() {
            let right_assoc = op == Op::Bin(BinOp::Exp);
            if top.precedence() > op.precedence()
                || (top.precedence() == op.precedence() && !right_assoc)
            {
                reduce_top(&mut operands, &mut ops, &mut private)?;
            } else {
                break;
            }
        }
        ops.push((op, span));
        operands.push(rhs);
    }
    while !ops.is_empty() {
        reduce_top(&mut operands, &mut ops, &mut private)?;
    }
    Ok(operands.pop().expect("a chain has an operand"))
}

fn reduce_top(
    operands: &mut Vec<Expr>,
    ops: &mut Vec<(Op, Span)>,
    private: &mut Option<Ident>,
) -> PResult<()> {
    let (op, op_span) = ops.pop().expect("an operator to reduce");
    let rhs = operands.pop().expect("right operand");
    let lhs = operands.pop().expect("left operand");
    let span = lhs.span.to(rhs.span);
    // The chain's first operator takes the private name (`#x in …`) as its left operand: it is
    // reduced last, when nothing else is left on the stacks.
    if operands.is_empty() && ops.is_empty() {
        if let Some(name) = private.take() {
            operands.push(Expr::new(ExprKind::PrivateIn(name, Box::new(rhs)), span));
            return Ok(());
        }
    }
    let e = match op {
        Op::Bin(BinOp::Exp) => exponent(lhs, op_span, rhs, span)?,
        Op::Bin(b) => binary(b, lhs, rhs, span),
        Op::Logical(l) => logical(l, lhs, rhs, span),
    };
    operands.push(e);
    Ok(())
}

/// `a ** b`; a unary operand on the left is an early error (`-1 ** 2`).
pub fn exponent(a: Expr, op: Span, b: Expr, span: Span) -> PResult<Expr> {
    if matches!(a.kind, ExprKind::Unary(..) | ExprKind::Await(_)) {
        return Err(user(K::UnaryBeforeExponent, a.span.to(op)));
    }
    Ok(binary(BinOp::Exp, a, b, span))
}

pub fn binary(op: BinOp, a: Expr, b: Expr, span: Span) -> Expr {
    Expr::new(ExprKind::Binary(op, Box::new(a), Box::new(b)), span)
}

pub fn update(op: UpdateOp, prefix: bool, target: Expr, span: Span) -> PResult<Expr> {
    if !is_simple_target(&target) {
        let kind = if prefix {
            K::InvalidLhsPrefix
        } else {
            K::InvalidLhsPostfix
        };
        return Err(user(kind, target.span));
    }
    Ok(Expr::new(
        ExprKind::Update {
            op,
            prefix,
            target: Box::new(target),
        },
        span,
    ))
}

pub fn member_name(
    object: Expr,
    (name, nspan): (Box<str>, Span),
    optional: bool,
    span: Span,
) -> Expr {
    let prop = MemberProp::Name(Ident { name, span: nspan });
    Expr::new(
        ExprKind::Member {
            object: Box::new(object),
            prop,
            optional,
        },
        span,
    )
}

pub fn member_private(object: Expr, (name, nspan): (Box<str>, Span), span: Span) -> Expr {
    member_private_opt(object, (name, nspan), false, span)
}

/// `o.#x`, or `o?.#x` (`optional`) in an optional chain.
pub fn member_private_opt(
    object: Expr,
    (name, nspan): (Box<str>, Span),
    optional: bool,
    span: Span,
) -> Expr {
    let prop = MemberProp::Private(Ident { name, span: nspan });
    Expr::new(
        ExprKind::Member {
            object: Box::new(object),
            prop,
            optional,
        },
        span,
    )
}

pub fn member_computed(object: Expr, e: Expr, optional: bool, span: Span) -> Expr {
    let prop = MemberProp::Computed(Box::new(e));
    Expr::new(
        ExprKind::Member {
            object: Box::new(object),
            prop,
            optional,
        },
        span,
    )
}

pub fn super_member_name((name, nspan): (Box<str>, Span), span: Span) -> Expr {
    Expr::new(
        ExprKind::SuperMember(MemberProp::Name(Ident { name, span: nspan })),
        span,
    )
}

pub fn new_target((name, nspan): (Box<str>, Span), span: Span) -> PResult<Expr> {
    if &*name != "target" {
        return Err(user(K::UnexpectedToken(Tok::Ident(name)), nspan));
    }
    Ok(Expr::new(ExprKind::NewTarget, span))
}

pub fn async_ident(span: Span) -> Expr {
    Expr::new(ExprKind::Ident("async".into()), span)
}

pub fn call(callee: Expr, args: Vec<Arg>, optional: bool, span: Span) -> Expr {
    Expr::new(
        ExprKind::Call {
            callee: Box::new(callee),
            args,
            optional,
        },
        span,
    )
}

/// `async(args)`: a call of a function named `async`, unless `=>` follows.
pub fn async_call(args: Vec<Arg>, async_span: Span, span: Span) -> Expr {
    call(async_ident(async_span), args, false, span)
}

pub enum ChainLink {
    Call(Vec<Arg>, bool, usize),
    Computed(Expr, bool, usize),
    Name((Box<str>, Span), bool),
    Private((Box<str>, Span), bool),
}

pub fn optional_chain(base: Expr, links: Vec<ChainLink>, span: Span) -> Expr {
    let start = base.span.start as usize;
    let mut e = base;
    for link in links {
        e = match link {
            ChainLink::Call(args, optional, r) => call(e, args, optional, Span::new(start, r)),
            ChainLink::Computed(x, optional, r) => {
                member_computed(e, x, optional, Span::new(start, r))
            }
            ChainLink::Name(n, optional) => {
                let r = n.1.end as usize;
                member_name(e, n, optional, Span::new(start, r))
            }
            ChainLink::Private(n, optional) => {
                let r = n.1.end as usize;
                member_private_opt(e, n, optional, Span::new(start, r))
            }
        };
    }
    Expr::new(ExprKind::OptionalChain(Box::new(e)), span)
}

#[allow(clippy::boxed_local)] // tokens carry template chunks boxed
pub fn template(
    head: Box<TemplateChunk>,
    first: Expr,
    rest: Vec<(Box<TemplateChunk>, Expr)>,
    tail: Box<TemplateChunk>,
) -> Template {
    let mut quasis = vec![*head];
    let mut exprs = vec![first];
    for (chunk, e) in rest {
        quasis.push(*chunk);
        exprs.push(e);
    }
    quasis.push(*tail);
    Template { quasis, exprs }
}

pub fn untagged_template(t: Template, span: Span) -> PResult<Expr> {
    if let Some(q) = t.quasis.iter().find(|q| q.cooked.is_none()) {
        return Err(match &q.invalid_escape {
            Some(e) => {
                let (s, end) = e.span.unwrap_or((span.start as usize, span.end as usize));
                user(K::Lex(e.kind.clone()), Span::new(s, end))
            }
            None => user(K::InvalidTemplateEscape, span),
        });
    }
    Ok(Expr::new(ExprKind::Template(Box::new(t)), span))
}

/// A regular expression literal, validated now: V8 reports a bad pattern as an early
/// SyntaxError. `regress` (ECMAScript semantics) parses it; its messages are mapped to V8's.
pub fn regexp((pattern, flags): (Box<str>, Box<str>), span: Span) -> PResult<Expr> {
    if let Err(e) = regress::Regex::with_flags(&pattern, &*flags) {
        let reason = v8_regexp_message(&e.to_string(), &pattern, &flags);
        let message = format!("Invalid regular expression: /{pattern}/{flags}: {reason}");
        return Err(user(K::InvalidRegExp(message), span));
    }
    Ok(Expr::new(ExprKind::RegExp { pattern, flags }, span))
}

/// V8's wording for what regress found wrong (regress's messages are coarser in places, so the
/// pattern decides between V8's alternatives).
pub(crate) fn v8_regexp_message(regress: &str, pattern: &str, flags: &str) -> String {
    let count = |c| pattern.chars().filter(|&x| x == c).count();
    let msg = match regress {
        "Unbalanced parenthesis" if count('(') > count(')') => "Unterminated group",
        "Unbalanced parenthesis" => "Unmatched ')'",
        "Unbalanced bracket" => "Unterminated character class",
        "Invalid quantifier" => "numbers out of order in {} quantifier",
        "Incomplete escape" => "\\ at end of pattern",
        "Duplicate capture group name" => "Duplicate capture group name",
        "Invalid unicode escape" => "Invalid Unicode escape",
        "Invalid token at named capture group identifier" if pattern.contains("(?<") => {
            "Invalid capture group name"
        }
        "Invalid token at named capture group identifier" => "Invalid group",
        "Invalid atom character" if pattern.contains(['*', '+', '?']) => "Nothing to repeat",
        "Invalid atom character" if flags.contains(['u', 'v']) && pattern.contains(['{', '}']) => {
            "Lone quantifier brackets"
        }
        m if m.starts_with("Range values reversed") => "Range out of order in character class",
        m if m.starts_with("Backreference to invalid named capture group") => {
            "Invalid named capture referenced"
        }
        m => return m.to_string(),
    };
    msg.to_string()
}

pub fn array(v: Vec<Option<ArrayElem>>, last: Option<ArrayElem>, span: Span) -> Expr {
    let mut elems: Vec<ArrayElem> = v
        .into_iter()
        .map(|e| e.unwrap_or(ArrayElem::Hole))
        .collect();
    elems.extend(last);
    Expr::new(ExprKind::Array(elems), span)
}

/// An object literal; each property comes with its span (for `key: value`, it starts at the key).
pub fn object(
    v: Vec<(Box<Prop>, Span)>,
    last: Option<(Box<Prop>, Span)>,
    span: Span,
) -> PResult<Expr> {
    let mut props = Vec::with_capacity(v.len() + 1);
    let mut seen_proto = false;
    for (p, pspan) in v.into_iter().chain(last) {
        // `__proto__: v` twice is an early error; V8 marks the second key.
        let key_len = match &*p {
            Prop::Init(PropKey::Ident(n), _) if &**n == "__proto__" => Some(9),
            Prop::Init(PropKey::String(s), _)
                if s.as_str_if_valid().as_deref() == Some("__proto__") =>
            {
                Some(11)
            }
            _ => None,
        };
        if let Some(len) = key_len {
            if seen_proto {
                let start = pspan.start as usize;
                return Err(user(K::DuplicateProto, Span::new(start, start + len)));
            }
            seen_proto = true;
        }
        props.push(*p);
    }
    Ok(Expr::new(ExprKind::Object(props), span))
}

// ---- Arrow functions ----

pub fn ident_params(i: Ident) -> Expr {
    let s = i.span;
    Expr::new(ExprKind::Ident(i.name), s)
}

pub fn cover_params(e: Option<Expr>, rest: Option<Pattern>, span: Span) -> PResult<Expr> {
    let mut params = match e {
        Some(e) => expr_to_params(e).map_err(|error| ParseError::User { error })?,
        None => vec![],
    };
    if let Some(r) = rest {
        params.push(Param {
            target: r,
            default: None,
            rest: true,
        });
    }
    Ok(Expr::new(ExprKind::CoverParams(params), span))
}

fn expr_to_param(e: Expr) -> Result<Param, SyntaxError> {
    match e.kind {
        ExprKind::Assign {
            op: AssignOp::Assign,
            target,
            value,
        } => {
            check_binding(&target)?;
            Ok(Param {
                target: *target,
                default: Some(*value),
                rest: false,
            })
        }
        _ => Ok(Param {
            target: to_pattern(e, true)?,
            default: None,
            rest: false,
        }),
    }
}

fn expr_to_params(e: Expr) -> Result<Vec<Param>, SyntaxError> {
    match e.kind {
        ExprKind::Sequence(items) => {
            // V8 reports the last parameter that is not a valid target (`(1, 2) => 3` marks `2`).
            let mut params = Vec::with_capacity(items.len());
            let mut error = None;
            for item in items {
                match expr_to_param(item) {
                    Ok(p) => params.push(p),
                    Err(e) => error = Some(e),
                }
            }
            match error {
                Some(e) => Err(e),
                None => Ok(params),
            }
        }
        _ => Ok(vec![expr_to_param(e)?]),
    }
}

fn arrow_params(p: Expr) -> Result<Vec<Param>, SyntaxError> {
    match p.kind {
        ExprKind::CoverParams(v) => Ok(v),
        ExprKind::Paren(inner) => expr_to_params(*inner),
        ExprKind::Ident(_) => Ok(vec![expr_to_param(p)?]),
        _ => Err(SyntaxError::new(K::InvalidDestructuringTarget, p.span)),
    }
}

/// V8 marks the second occurrence of a duplicated name.
fn check_unique_params(params: &[Param], _span: Span) -> PResult<()> {
    let mut names: Vec<&Ident> = Vec::new();
    fn collect<'a>(p: &'a Pattern, out: &mut Vec<&'a Ident>) {
        match &p.kind {
            PatternKind::Ident(i) => out.push(i),
            PatternKind::Object { props, rest } => {
                props.iter().for_each(|p| collect(&p.target, out));
                if let Some(r) = rest {
                    collect(r, out);
                }
            }
            PatternKind::Array { elems, rest } => {
                elems.iter().flatten().for_each(|e| collect(&e.target, out));
                if let Some(r) = rest {
                    collect(r, out);
                }
            }
            PatternKind::Expr(_) => {}
        }
    }
    for p in params {
        collect(&p.target, &mut names);
    }
    for (i, n) in names.iter().enumerate() {
        if names[..i].iter().any(|m| m.name == n.name) {
            return Err(user(K::DuplicateParam, n.span));
        }
    }
    Ok(())
}

pub fn arrow(
    p: Expr,
    (body, expression_body): (Vec<Stmt>, bool),
    is_async: bool,
    span: Span,
) -> PResult<Expr> {
    let pspan = p.span;
    let params = arrow_params(p).map_err(|error| ParseError::User { error })?;
    check_unique_params(&params, pspan)?;
    let f = Function {
        name: None,
        kind: FunctionKind::Arrow,
        params,
        body,
        expression_body,
        is_async,
        is_generator: false,
        span,
    };
    Ok(Expr::new(ExprKind::Arrow(Box::new(f)), span))
}

/// `async (a, b) => …`: the head was parsed as a call of `async`.
pub fn async_arrow(head: Expr, body: (Vec<Stmt>, bool), span: Span) -> PResult<Expr> {
    let hspan = head.span;
    let ExprKind::Call { args, .. } = head.kind else {
        return Err(user(K::InvalidDestructuringTarget, hspan));
    };
    let mut params = Vec::with_capacity(args.len());
    let n = args.len();
    for (i, a) in args.into_iter().enumerate() {
        match a {
            Arg::Expr(e) => {
                params.push(expr_to_param(e).map_err(|error| ParseError::User { error })?)
            }
            Arg::Spread(e) => {
                if i + 1 != n {
                    return Err(user(K::RestLast, e.span));
                }
                let target = to_pattern(e, true).map_err(|error| ParseError::User { error })?;
                params.push(Param {
                    target,
                    default: None,
                    rest: true,
                });
            }
        }
    }
    let p = Expr::new(ExprKind::CoverParams(params), hspan);
    arrow(p, body, true, span)
}
