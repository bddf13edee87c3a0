//! The stateful lexer adapter between logos and the LALRPOP parser.
//!
//! logos sees JavaScript as context-free; four things are not, and are decided here:
//!
//! * **Regex or division.** A `/` or `/=` starts a regular expression literal unless the
//!   previous token ends an expression ([`Tok::ends_expression`]).
//! * **Templates.** `` ` `` starts a template; `${` inside it pushes a `Template` entry on the
//!   bracket stack, and the `}` that pops it resumes the template text, so substitutions nest
//!   to any depth (`` `a${`b${c}`}` ``).
//! * **Line terminators for ASI.** The parser inserts semicolons through LALRPOP error recovery
//!   (see `grammar/minijs.lalrpop`, nonterminal `Semi`). To decide whether an insertion is legal it
//!   needs to know whether a line terminator came before the offending token, and where the
//!   previous token ended: [`LexState`] holds those facts for the token most recently handed to
//!   the parser (LALRPOP recovers at its one-token lookahead, which is that token).
//! * **Restricted productions.** `return`/`break`/`continue` followed by a line terminator get an
//!   explicit `;`; `yield` followed by one becomes [`Tok::YieldNl`] (a yield without operand);
//!   `async` followed by one is a plain identifier; `++`/`--` after a line terminator become
//!   [`Tok::PlusPlusNl`]/[`Tok::MinusMinusNl`], which only the prefix forms accept; `=>` after one
//!   becomes [`Tok::ArrowNl`], which nothing accepts; `throw` followed by one is an error.
//!
//! The adapter also bounds bracket nesting at [`crate::syntax::ast::MAX_DEPTH`], so that a file of
//! fifty million `(` costs a RangeError, not gigabytes of parser stack.

use std::cell::RefCell;

use logos::Logos;

use super::ast::{Span, MAX_DEPTH};
use super::error::{SyntaxError, SyntaxErrorKind as K};
use super::scan::{self, ChunkEnd, NumLit};
use super::token::{keyword, LexErrorKind, RawTok, ScanError, Tok};

/// What the ASI check and the error messages need to know about one token the parser saw.
#[derive(Debug, Default, Clone, Copy)]
pub struct Snapshot {
    /// Start of the token (the end of input at EOF).
    pub start: usize,
    /// Start and end of the token before it.
    pub prev_start: usize,
    pub prev_end: usize,
    /// Whether a line terminator came between those two tokens.
    pub nl_before: bool,
    /// The innermost open bracket before the token was read.
    pub context: Context,
    /// Whether the token before it was `(` or `,` (no argument is complete there).
    pub prev_is_separator: bool,
    /// Whether the token is in strict code, as far as the lexer can tell (a `"use strict"`
    /// directive at the start of the script or of a body, or a class body). Used only to word
    /// error messages as V8 does.
    pub strict: bool,
    /// When the token before it was a `)` closing a call's arguments: where V8 puts that call
    /// (the callee's start if it is one identifier, else the `(`) and the end of the token before
    /// the `)`, the range V8 marks when `=>` follows (`(a)(b) => 1`).
    pub closed_call: Option<(u32, u32)>,
}

/// Snapshots of the most recent tokens, shared by reference between the lexer (which writes)
/// and the grammar's actions (which read). LALRPOP's error recovery may read further tokens
/// before it gives up, so the facts about the offending token are looked up by its offset.
#[derive(Debug)]
pub struct LexState {
    /// A ring of the last [`HISTORY`] snapshots; `next` is the total number recorded.
    history: RefCell<([Snapshot; HISTORY], usize)>,
    synthetic: RefCell<Vec<(usize, Tok, Span)>>,
    /// Offsets of `yield` words that are names (sloppy code outside generators, found by the
    /// early-error pass): lexed as identifiers when the script is parsed again.
    pub yield_names: Vec<usize>,
    /// A first guess, tried when a script with `yield` fails to parse: every `yield` followed
    /// by `/` is a name (`yield / 2` in sloppy code), so that the early-error pass can run and
    /// find which `yield`s really are names (`yield_names`) for the final parse.
    pub yield_before_slash_is_name: bool,
}

/// How many recent tokens are remembered.
const HISTORY: usize = 256;

impl Default for LexState {
    fn default() -> Self {
        LexState {
            history: RefCell::new(([Snapshot::default(); HISTORY], 0)),
            synthetic: RefCell::default(),
            yield_names: Vec::new(),
            yield_before_slash_is_name: false,
        }
    }
}

impl LexState {
    /// Remembers the real token after a synthetic `;` at `at`, so that an error found at the
    /// `;` is reported at that token, as V8 reports it.
    fn note_synthetic(&self, at: usize, tok: Tok, span: Span) {
        let mut s = self.synthetic.borrow_mut();
        if s.len() == 8 {
            s.remove(0);
        }
        s.push((at, tok, span));
    }

    /// The real token after the synthetic `;` at `at`, if there was one.
    pub fn synthetic_at(&self, at: usize) -> Option<(Tok, Span)> {
        self.synthetic
            .borrow()
            .iter()
            .rev()
            .find(|s| s.0 == at)
            .map(|s| (s.1.clone(), s.2))
    }

    fn record(&self, snap: Snapshot) {
        let mut h = self.history.borrow_mut();
        let n = h.1;
        h.0[n % HISTORY] = snap;
        h.1 = n + 1;
    }

    /// The snapshot of the token starting at `start` (the latest one if it is not remembered).
    pub fn at(&self, start: usize) -> Snapshot {
        let h = self.history.borrow();
        let (ring, n) = (&h.0, h.1);
        let recent = (n.saturating_sub(HISTORY)..n)
            .rev()
            .map(|i| ring[i % HISTORY]);
        let latest = n.checked_sub(1).map(|i| ring[i % HISTORY]);
        recent
            .clone()
            .find(|s| s.start == start)
            .or(latest)
            .unwrap_or_default()
    }
}

/// The innermost open bracket.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub enum Context {
    #[default]
    Other,
    /// The parentheses of a call's (or `new`'s) argument list.
    CallArgs,
    /// A template substitution `${ … }` whose expression starts at this offset.
    Template(usize),
    /// The parameters of a function (not an arrow).
    Params,
    /// Other parentheses: a parenthesised expression or arrow parameters.
    Paren,
    /// Brackets or braces: perhaps a destructuring pattern.
    Pattern,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ParenKind {
    /// A call's (or `new`'s) argument list.
    Call,
    /// The head of `if`, `while`, `for`, `with`, `switch` or `catch`: a statement follows it.
    Header,
    /// A function's parameters (after `function`, `function f`, `*m`, `get m`, `set m`).
    Function,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Open {
    /// Parentheses; for a call's arguments, where V8 puts the call (see [`Snapshot::closed_call`]).
    Paren(ParenKind, u32),
    Bracket,
    /// Braces; `true` when they certainly hold statements (a block or a body).
    Brace(bool),
    /// A template substitution; the start of its expression, once known.
    Template(Option<usize>),
}

type Spanned = (usize, Tok, usize);

pub struct Lexer<'s, 'c> {
    src: &'s str,
    inner: logos::Lexer<'s, RawTok>,
    stack: Vec<Open>,
    prev: Option<Tok>,
    /// The token before `prev` (to tell `f(` a call from `function f(`).
    prev_prev: Option<Tok>,
    prev_start: usize,
    prev_end: usize,
    /// A token lexed ahead (after `yield`/`async`), with its newline flag.
    peeked: Option<(Result<Spanned, SyntaxError>, bool)>,
    /// A synthetic `;` to hand out before the next token.
    pending_semi: Option<(Result<Spanned, SyntaxError>, bool)>,
    /// Whether the last `)` closed a statement header (`if (…)`), after which no `;` goes.
    rparen_closed_header: bool,
    /// Whether any token has been lexed yet.
    lexed_any: bool,
    /// Whether the last `}` lexed closed braces that hold statements.
    closed_block: bool,
    /// The bracket depth from which the code is strict (`None`: sloppy).
    strict_from: Option<usize>,
    /// After `class`: the bracket depth at which its body's `{` will open.
    class_at: Option<usize>,
    /// Set when a `)` that closes a call's arguments is lexed: where V8 puts the call.
    closed_call: Option<u32>,
    /// The call the last `)` handed out closed, with the end of the token before that `)`.
    call_before: Option<(u32, u32)>,
    failed: bool,
    state: &'c LexState,
}

impl<'s, 'c> Lexer<'s, 'c> {
    pub fn new(src: &'s str, state: &'c LexState) -> Self {
        let mut inner = RawTok::lexer(src);
        // A `#!` line at the very start is a comment (hashbang grammar).
        if src.starts_with("#!") {
            inner.bump(line_end(src, 0));
        }
        Lexer {
            src,
            inner,
            stack: Vec::new(),
            prev: None,
            prev_prev: None,
            prev_start: 0,
            prev_end: 0,
            peeked: None,
            pending_semi: None,
            rparen_closed_header: false,
            lexed_any: false,
            closed_block: false,
            strict_from: None,
            class_at: None,
            closed_call: None,
            call_before: None,
            failed: false,
            state,
        }
    }

    /// A scanner error; `start..end` is used when the scanner gave no range of its own.
    fn err(&mut self, e: impl Into<ScanError>, start: usize, end: usize) -> SyntaxError {
        self.failed = true;
        let e = e.into();
        let (s, t) = e.span.unwrap_or((start, end));
        SyntaxError::new(K::Lex(e.kind), Span::new(s, t))
    }

    fn special(&mut self, kind: K, start: usize, end: usize) -> SyntaxError {
        self.failed = true;
        SyntaxError::new(kind, Span::new(start, end))
    }

    fn push(&mut self, open: Open, start: usize, end: usize) -> Result<(), SyntaxError> {
        self.stack.push(open);
        if self.stack.len() > MAX_DEPTH as usize {
            return Err(self.special(K::TooDeep, start, end));
        }
        Ok(())
    }

    /// What a `(` after the previous tokens opens.
    fn paren_kind(&self) -> ParenKind {
        match (&self.prev, &self.prev_prev) {
            (Some(Tok::If | Tok::While | Tok::For | Tok::With | Tok::Switch | Tok::Catch), _) => {
                ParenKind::Header
            }
            (Some(Tok::Await), Some(Tok::For)) => ParenKind::Header,
            (Some(Tok::Function), _) => ParenKind::Function,
            (_, Some(Tok::Function | Tok::Star | Tok::Get | Tok::Set)) => ParenKind::Function,
            (Some(p), _) if p.ends_expression() => ParenKind::Call,
            _ => ParenKind::Other,
        }
    }

    /// Whether a `{` opened now certainly holds statements (a block or a function, class or
    /// arrow body), judged by the token before it. Object literals never follow these tokens:
    /// after `)`, `{` is a body or a block (`(a)\n{b: 1}` is a block too).
    fn opens_block(&self) -> bool {
        match &self.prev {
            None => true,
            // (Not in a `for (;;)` head.)
            Some(Tok::Semi) => matches!(self.stack.last(), None | Some(Open::Brace(true))),
            Some(
                Tok::RParen
                | Tok::Arrow
                | Tok::Else
                | Tok::Do
                | Tok::Try
                | Tok::Finally
                | Tok::Catch,
            ) => true,
            Some(Tok::LBrace) => matches!(self.stack.last(), Some(Open::Brace(true))),
            _ => false,
        }
    }

    /// Whether a line terminator before `next` certainly means an inserted `;`, so that the
    /// parser need not discover it through error recovery (which is slow: it computes the
    /// expected-token set). True when the previous token can only end an expression, `next` can
    /// never continue one, and we are at statement level (no open `(`, `[` or `${`, so never in
    /// a `for` header). Everything else is left to the grammar's recovery-based ASI.
    fn certain_asi(&self, next: &Tok) -> bool {
        let statement_level = matches!(self.stack.last(), None | Some(Open::Brace(_)));
        let prev_ends = match &self.prev {
            Some(Tok::RParen) => !self.rparen_closed_header,
            Some(p) => matches!(
                p,
                Tok::Ident(_)
                    | Tok::Number(_)
                    | Tok::BigInt(_)
                    | Tok::String(_)
                    | Tok::NoSubTemplate(_)
                    | Tok::TemplateTail(_)
                    | Tok::RegExp(..)
                    | Tok::RBracket
                    | Tok::This
                    | Tok::Null
                    | Tok::True
                    | Tok::False
            ),
            None => false,
        };
        let next_starts = matches!(
            next,
            Tok::Ident(_)
                | Tok::Number(_)
                | Tok::BigInt(_)
                | Tok::String(_)
                | Tok::Var
                | Tok::Let
                | Tok::Const
                | Tok::If
                | Tok::For
                | Tok::While
                | Tok::Do
                | Tok::Return
                | Tok::Function
                | Tok::Class
                | Tok::Switch
                | Tok::Try
                | Tok::Throw
                | Tok::Break
                | Tok::Continue
                | Tok::This
                | Tok::Null
                | Tok::True
                | Tok::False
                | Tok::New
                | Tok::Typeof
                | Tok::Void
                | Tok::Delete
                | Tok::Debugger
        );
        statement_level && prev_ends && next_starts
    }

    /// Lexes one token with its "line terminator before" flag; `None` at end of input.
    fn lex(&mut self) -> Option<(Result<Spanned, SyntaxError>, bool)> {
        let mut nl = false;
        loop {
            let raw = self.inner.next()?;
            let span = self.inner.span();
            let (start, end) = (span.start, span.end);
            let tok = match raw {
                Err(e) => return Some((Err(self.err(e, start, end)), nl)),
                Ok(RawTok::Newline) => {
                    nl = true;
                    continue;
                }
                Ok(RawTok::LineComment) => continue,
                Ok(RawTok::BlockComment(has_nl)) => {
                    nl |= has_nl;
                    continue;
                }
                Ok(RawTok::HtmlOpen) => {
                    self.inner.bump(line_end(self.src, end) - end);
                    continue;
                }
                // `-->` is a comment after a line terminator, or at the start of the input.
                Ok(RawTok::HtmlClose) if nl || !self.lexed_any => {
                    self.inner.bump(line_end(self.src, end) - end);
                    continue;
                }
                Ok(RawTok::HtmlClose) => {
                    // `a-->b` is `a-- > b`.
                    self.peeked = Some((Ok((start + 2, Tok::Gt, end)), false));
                    return Some((Ok((start, Tok::MinusMinus, start + 2)), nl));
                }
                Ok(RawTok::AsciiIdent) => {
                    // A non-ASCII letter or an escape may continue the word.
                    let next = self.src[end..].chars().next();
                    let word = match next {
                        Some(c) if c == '\\' || (!c.is_ascii() && scan::is_id_continue(c)) => {
                            match scan::identifier(self.src, start, end) {
                                Ok((name, escaped, e)) => {
                                    self.inner.bump(e - end);
                                    return Some((self.word(name, escaped, start, e), nl));
                                }
                                Err(k) => return Some((Err(self.err(k, start, end)), nl)),
                            }
                        }
                        _ => &self.src[start..end],
                    };
                    keyword(word).unwrap_or_else(|| Tok::Ident(word.into()))
                }
                Ok(RawTok::IdentStartOther) => match scan::identifier(self.src, start, start) {
                    Ok((name, escaped, e)) => {
                        self.inner.bump(e - end);
                        return Some((self.word(name, escaped, start, e), nl));
                    }
                    Err(k) => return Some((Err(self.err(k, start, end)), nl)),
                },
                Ok(RawTok::Number(NumLit::Num(n))) => Tok::Number(n),
                Ok(RawTok::Number(NumLit::BigInt(b))) => Tok::BigInt(b),
                Ok(RawTok::String(s)) => Tok::String(s),
                Ok(RawTok::Backtick) => return Some((self.template(start, end, true), nl)),
                Ok(RawTok::RBrace) => {
                    if let Some(Open::Template(_)) = self.stack.last() {
                        self.stack.pop();
                        return Some((self.template(start, end, false), nl));
                    }
                    self.closed_block = self.stack.pop() == Some(Open::Brace(true));
                    Tok::RBrace
                }
                Ok(RawTok::LBrace) => {
                    if self.class_at == Some(self.stack.len()) {
                        // A class body is strict code.
                        self.class_at = None;
                        if self.strict_from.is_none() {
                            self.strict_from = Some(self.stack.len() + 1);
                        }
                    }
                    let block = self.opens_block();
                    if let Err(e) = self.push(Open::Brace(block), start, end) {
                        return Some((Err(e), nl));
                    }
                    Tok::LBrace
                }
                Ok(RawTok::LParen) => {
                    let kind = self.paren_kind();
                    // V8 places a call at its callee when that is one identifier.
                    let at = match self.prev {
                        Some(Tok::Ident(_) | Tok::Async | Tok::Let | Tok::Of | Tok::Get)
                        | Some(Tok::Set | Tok::Static) => self.prev_start,
                        _ => start,
                    };
                    if let Err(e) = self.push(Open::Paren(kind, at as u32), start, end) {
                        return Some((Err(e), nl));
                    }
                    Tok::LParen
                }
                Ok(RawTok::LBracket) => {
                    if let Err(e) = self.push(Open::Bracket, start, end) {
                        return Some((Err(e), nl));
                    }
                    Tok::LBracket
                }
                Ok(RawTok::RParen) => {
                    let open = self.stack.pop();
                    self.rparen_closed_header =
                        matches!(open, Some(Open::Paren(ParenKind::Header, _)));
                    self.closed_call = match open {
                        Some(Open::Paren(ParenKind::Call, at)) => Some(at),
                        _ => None,
                    };
                    Tok::RParen
                }
                Ok(RawTok::RBracket) => {
                    self.stack.pop();
                    Tok::RBracket
                }
                Ok(r @ (RawTok::Slash | RawTok::SlashEq)) => {
                    if self.prev.as_ref().is_some_and(Tok::ends_expression) {
                        if r == RawTok::Slash {
                            Tok::Slash
                        } else {
                            Tok::SlashEq
                        }
                    } else {
                        match scan::regexp(self.src, start) {
                            Ok((pattern, flags, e)) => {
                                self.inner.bump(e - end);
                                return Some((
                                    Ok((start, Tok::RegExp(Box::new((pattern, flags))), e)),
                                    nl,
                                ));
                            }
                            Err(k) => return Some((Err(self.err(k, start, end)), nl)),
                        }
                    }
                }
                Ok(RawTok::Hash) => match scan::identifier(self.src, end, end) {
                    Ok((name, _, e)) => {
                        self.inner.bump(e - end);
                        return Some((Ok((start, Tok::PrivateName(name.into()), e)), nl));
                    }
                    Err(_) => {
                        return Some((Err(self.err(LexErrorKind::InvalidToken, start, end)), nl))
                    }
                },
                Ok(RawTok::QDot)
                    if self.src.as_bytes().get(end).is_some_and(u8::is_ascii_digit) =>
                {
                    // `a?.5:b` is `a ? .5 : b`.
                    match scan::scan_number(self.src, start + 1) {
                        Ok((NumLit::Num(n), e)) => {
                            self.inner.bump(e - end);
                            self.peeked = Some((Ok((start + 1, Tok::Number(n), e)), false));
                        }
                        Ok((NumLit::BigInt(_), _)) => {
                            return Some((
                                Err(self.err(LexErrorKind::InvalidNumber, start + 1, end)),
                                nl,
                            ))
                        }
                        Err(k) => return Some((Err(self.err(k, start + 1, end)), nl)),
                    }
                    return Some((Ok((start, Tok::Question, start + 1)), nl));
                }
                Ok(RawTok::PlusPlus) if nl => Tok::PlusPlusNl,
                Ok(RawTok::MinusMinus) if nl => Tok::MinusMinusNl,
                Ok(RawTok::Arrow) if nl => Tok::ArrowNl,
                Ok(raw) => punct(raw),
            };
            return Some((Ok((start, tok, end)), nl));
        }
    }

    fn word(
        &mut self,
        name: String,
        escaped: bool,
        start: usize,
        end: usize,
    ) -> Result<Spanned, SyntaxError> {
        match keyword(&name) {
            Some(_) if escaped => Err(self.err(LexErrorKind::EscapedKeyword, start, end)),
            Some(k) => Ok((start, k, end)),
            None => Ok((start, Tok::Ident(name.into()), end)),
        }
    }

    /// A template chunk: after `` ` `` (`first`) or after the `}` closing a substitution.
    fn template(&mut self, start: usize, end: usize, first: bool) -> Result<Spanned, SyntaxError> {
        match scan::template_chunk(self.src, end) {
            Ok((chunk, how, e)) => {
                self.inner.bump(e - end);
                let tok = match (first, how) {
                    (true, ChunkEnd::Tail) => Tok::NoSubTemplate(Box::new(chunk)),
                    (true, ChunkEnd::Substitution) => Tok::TemplateHead(Box::new(chunk)),
                    (false, ChunkEnd::Tail) => Tok::TemplateTail(Box::new(chunk)),
                    (false, ChunkEnd::Substitution) => Tok::TemplateMiddle(Box::new(chunk)),
                };
                if matches!(tok, Tok::TemplateHead(_) | Tok::TemplateMiddle(_)) {
                    self.push(Open::Template(None), start, e)?;
                }
                Ok((start, tok, e))
            }
            Err(k) => Err(self.err(k, start, end)),
        }
    }

    /// The next token, its newline flag, and whether it was held back behind a synthetic `;`.
    fn next_raw(&mut self) -> Option<(Result<Spanned, SyntaxError>, bool, bool)> {
        if let Some((item, nl)) = self.pending_semi.take() {
            return Some((item, nl, true));
        }
        if let Some((item, nl)) = self.peeked.take() {
            return Some((item, nl, false));
        }
        let r = self.lex().map(|(item, nl)| (item, nl, false));
        self.lexed_any = true;
        r
    }

    /// Whether a statement (or a `for` head's declaration) can begin at the next token, judged
    /// by the previous token; `nl`: a line terminator came before the next token.
    fn statement_can_start(&self, nl: bool) -> bool {
        match &self.prev {
            None => true,
            Some(Tok::Semi | Tok::LBrace | Tok::RBrace | Tok::Colon | Tok::Else | Tok::Do) => true,
            Some(Tok::RParen) => self.rparen_closed_header || nl,
            Some(Tok::LParen) => {
                matches!(self.stack.last(), Some(Open::Paren(ParenKind::Header, _)))
            }
            Some(_) => nl,
        }
    }

    /// Whether the code at the current bracket depth is strict.
    fn strict(&self) -> bool {
        self.strict_from.is_some_and(|d| self.stack.len() >= d)
    }

    /// A string token ending at `end` was handed out: a `"use strict"` directive at the start of
    /// the script or of a body makes the code strict. (Only the first directive is looked at,
    /// and a block is not told apart from a body: the flag only words error messages.)
    fn directive(&mut self, end: usize) {
        let text = self.src.get(end.saturating_sub(12)..end).unwrap_or("");
        let at_start = matches!(
            (&self.prev, &self.prev_prev),
            (None, _) | (Some(Tok::LBrace), Some(Tok::RParen | Tok::Arrow))
        );
        if at_start
            && (text == "'use strict'" || text == "\"use strict\"")
            && self.strict_from.is_none()
        {
            self.strict_from = Some(self.stack.len());
        }
    }

    /// The innermost bracket context, as the parser sees it before the next token.
    fn context(&self) -> Context {
        match self.stack.last() {
            Some(Open::Paren(ParenKind::Call, _)) => Context::CallArgs,
            Some(Open::Template(Some(at))) => Context::Template(*at),
            Some(Open::Paren(ParenKind::Function, _)) => Context::Params,
            Some(Open::Paren(ParenKind::Other, _)) => Context::Paren,
            Some(Open::Bracket | Open::Brace(_)) => Context::Pattern,
            _ => Context::Other,
        }
    }
}

/// Whether `async` before this token (on the same line) can begin an async function, method or
/// arrow: `async function`, `async (`, `async x =>`, `async *m() {}`, `async [k]() {}`,
/// `async 'm'() {}`, `async delete() {}`. Not before `in` and `instanceof`, which make `async`
/// an operand.
fn continues_async(t: &Tok) -> bool {
    use Tok::*;
    !matches!(t, In | Instanceof)
        && (t.is_word()
            || matches!(
                t,
                LParen | LBracket | Star | String(_) | Number(_) | BigInt(_) | PrivateName(_)
            ))
}

/// Whether a statement can end with this token, so that before a `}` closing a block a `;` is
/// certainly inserted (sparing the parser an error recovery). `)` is decided by the caller: not
/// after a statement header.
fn ends_statement(t: &Tok) -> bool {
    use Tok::*;
    matches!(
        t,
        Ident(_)
            | Number(_)
            | BigInt(_)
            | String(_)
            | NoSubTemplate(_)
            | TemplateTail(_)
            | RegExp(..)
            | RBracket
            | This
            | Null
            | True
            | False
            | PlusPlus
            | MinusMinus
            | Return
            | Break
            | Continue
            | Debugger
    )
}

/// Whether this token can only come after an operand, so that a `yield` or `await` before it
/// is a name. `closing`: also count the tokens that end an expression (`)`, `;` …), after which
/// `yield` is an operator without operand but `await` can only be a name.
fn follows_operand(t: &Tok, closing: bool) -> bool {
    use Tok::*;
    matches!(
        t,
        Eq | PlusEq
            | MinusEq
            | StarEq
            | PercentEq
            | StarStarEq
            | ShlEq
            | ShrEq
            | UShrEq
            | AmpEq
            | PipeEq
            | CaretEq
            | AmpAmpEq
            | PipePipeEq
            | QQEq
            | Dot
            | QDot
            | Arrow
            | Question
            | EqEq
            | Ne
            | EqEqEq
            | NeEq
            | Lt
            | Gt
            | Le
            | Ge
            | AmpAmp
            | PipePipe
            | QQ
            | Amp
            | Pipe
            | Caret
            | Percent
            | StarStar
            | Shl
            | Shr
            | UShr
            | Instanceof
            | In
    ) || (closing && matches!(t, RParen | RBracket | RBrace | Comma | Semi | Colon))
}

/// Whether `let` before this token starts a lexical declaration (V8's `IsNextLetKeyword`): a
/// pattern or a name follows. (In strict code V8 takes `let implements` as the reserved word
/// `let` and an identifier; the early errors report the same at `let` for the declaration.)
fn starts_let_binding(t: &Tok) -> bool {
    use Tok::*;
    matches!(
        t,
        LBrace
            | LBracket
            | Ident(_)
            | Static
            | Let
            | Yield
            | YieldNl
            | Await
            | Get
            | Set
            | Of
            | Async
    )
}

/// The end of the line that `from` is on.
fn line_end(src: &str, from: usize) -> usize {
    src[from..]
        .find(['\n', '\r', '\u{2028}', '\u{2029}'])
        .map_or(src.len(), |i| from + i)
}

fn punct(raw: RawTok) -> Tok {
    use RawTok as R;
    match raw {
        R::RBrace => Tok::RBrace,
        R::Dot => Tok::Dot,
        R::Ellipsis => Tok::Ellipsis,
        R::Semi => Tok::Semi,
        R::Comma => Tok::Comma,
        R::Lt => Tok::Lt,
        R::Gt => Tok::Gt,
        R::Le => Tok::Le,
        R::Ge => Tok::Ge,
        R::EqEq => Tok::EqEq,
        R::Ne => Tok::Ne,
        R::EqEqEq => Tok::EqEqEq,
        R::NeEq => Tok::NeEq,
        R::Plus => Tok::Plus,
        R::Minus => Tok::Minus,
        R::Star => Tok::Star,
        R::Slash => Tok::Slash,
        R::Percent => Tok::Percent,
        R::StarStar => Tok::StarStar,
        R::PlusPlus => Tok::PlusPlus,
        R::MinusMinus => Tok::MinusMinus,
        R::Shl => Tok::Shl,
        R::Shr => Tok::Shr,
        R::UShr => Tok::UShr,
        R::Amp => Tok::Amp,
        R::Pipe => Tok::Pipe,
        R::Caret => Tok::Caret,
        R::Bang => Tok::Bang,
        R::Tilde => Tok::Tilde,
        R::AmpAmp => Tok::AmpAmp,
        R::PipePipe => Tok::PipePipe,
        R::QQ => Tok::QQ,
        R::Question => Tok::Question,
        R::QDot => Tok::QDot,
        R::Colon => Tok::Colon,
        R::Eq => Tok::Eq,
        R::PlusEq => Tok::PlusEq,
        R::MinusEq => Tok::MinusEq,
        R::StarEq => Tok::StarEq,
        R::SlashEq => Tok::SlashEq,
        R::PercentEq => Tok::PercentEq,
        R::StarStarEq => Tok::StarStarEq,
        R::ShlEq => Tok::ShlEq,
        R::ShrEq => Tok::ShrEq,
        R::UShrEq => Tok::UShrEq,
        R::AmpEq => Tok::AmpEq,
        R::PipeEq => Tok::PipeEq,
        R::CaretEq => Tok::CaretEq,
        R::AmpAmpEq => Tok::AmpAmpEq,
        R::PipePipeEq => Tok::PipePipeEq,
        R::QQEq => Tok::QQEq,
        R::Arrow => Tok::Arrow,
        // Handled by the adapter before this point.
        R::Newline
        | R::LineComment
        | R::BlockComment(_)
        | R::AsciiIdent
        | R::IdentStartOther
        | R::Number(_)
        | R::String(_)
        | R::Backtick
        | R::LBrace
        | R::LParen
        | R::RParen
        | R::LBracket
        | R::RBracket
        | R::Hash
        | R::HtmlOpen
        | R::HtmlClose => Tok::Semi,
    }
}

impl Iterator for Lexer<'_, '_> {
    type Item = Result<Spanned, SyntaxError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let context = self.context();
        let (mut item, mut nl, held_back) = match self.next_raw() {
            Some(x) => x,
            None => {
                // `throw` then a line terminator, then the end of input.
                if self.prev == Some(Tok::Throw)
                    && line_end(self.src, self.prev_end) < self.src.len()
                {
                    let (s, e) = (self.prev_start, self.prev_end);
                    return Some(Err(self.special(K::NewlineAfterThrow, s, e)));
                }
                self.state.record(Snapshot {
                    start: self.src.len(),
                    prev_start: self.prev_start,
                    prev_end: self.prev_end,
                    nl_before: true,
                    context: self.context(),
                    prev_is_separator: matches!(self.prev, Some(Tok::LParen | Tok::Comma)),
                    strict: self.strict(),
                    closed_call: None,
                });
                return None;
            }
        };
        let mut synthetic = false;
        if let (Ok((start, tok, end)), false) = (&mut item, held_back) {
            let (start, end) = (*start, *end);
            // Restricted productions that look at the token after a keyword.
            let insert = match (&self.prev, nl, &*tok) {
                // `return\nx` is `return; x`.
                (Some(Tok::Return | Tok::Break | Tok::Continue), true, t) => {
                    !matches!(t, Tok::Semi)
                }
                // `{ a }`: a `}` after a complete statement that lacks its `;`.
                (Some(Tok::RParen), _, Tok::RBrace) => {
                    self.closed_block && !self.rparen_closed_header
                }
                (Some(p), _, Tok::RBrace) => self.closed_block && ends_statement(p),
                (_, true, t) => self.certain_asi(t),
                _ => false,
            };
            if insert {
                // Hand out a `;` first, then this token.
                self.state
                    .note_synthetic(self.prev_end, tok.clone(), Span::new(start, end));
                self.pending_semi = Some((item, nl));
                item = Ok((self.prev_end, Tok::Semi, self.prev_end));
                nl = false;
                synthetic = true;
            }
        }
        if let (Ok((start, tok, end)), false) = (&mut item, synthetic) {
            let (start, end) = (*start, *end);
            match (&self.prev, nl, &*tok) {
                (Some(Tok::Throw), true, _) => {
                    let (s, e) = (self.prev_start, self.prev_end);
                    return Some(Err(self.special(K::NewlineAfterThrow, s, e)));
                }
                (_, _, Tok::Yield | Tok::Await | Tok::Async | Tok::Let) => {
                    // (Judged before the token ahead opens a bracket.)
                    let statement_start = self.statement_can_start(nl);
                    // Look one token ahead. A `/` after a word that is certainly a name here
                    // (`yield` where the early pass found it one; `let` and `async`, which a
                    // `/` can never continue as keywords) divides: lex it so.
                    let surely_name = match tok {
                        Tok::Yield => {
                            self.state.yield_names.binary_search(&start).is_ok()
                                || (self.state.yield_before_slash_is_name && {
                                    let rest = self.src[end..].trim_start();
                                    rest.starts_with('/')
                                        && !rest.starts_with("//")
                                        && !rest.starts_with("/*")
                                })
                        }
                        Tok::Let | Tok::Async => true,
                        _ => false,
                    };
                    let before = if surely_name {
                        self.prev.replace(Tok::Ident(Box::default()))
                    } else {
                        None
                    };
                    let ahead = self.lex();
                    if surely_name {
                        self.prev = before;
                    }
                    let (next, nl_after) = match &ahead {
                        Some((Ok((_, t, _)), n)) => (Some(t), *n),
                        Some((Err(_), n)) => (None, *n),
                        None => (None, true),
                    };
                    match tok {
                        Tok::Yield if surely_name => *tok = Tok::Ident("yield".into()),
                        // `yield` and `await` before a token that only an operand can precede
                        // are names (`yield = 1`, `await.x`): as operators they would need an
                        // operand there.
                        Tok::Yield | Tok::Await
                            if next.is_some_and(|t| follows_operand(t, false)) =>
                        {
                            *tok = Tok::Ident(tok.text().into())
                        }
                        Tok::Await if next.is_none_or(|t| follows_operand(t, true)) => {
                            *tok = Tok::Ident("await".into())
                        }
                        Tok::Yield if nl_after => *tok = Tok::YieldNl,
                        // `async` is the keyword only where an async function, method or
                        // arrow can follow on the same line; elsewhere it is a name.
                        Tok::Async if nl_after || !next.is_some_and(continues_async) => {
                            *tok = Tok::Ident("async".into())
                        }
                        // `let` starts a declaration where a statement can begin and a binding
                        // follows (V8's IsNextLetKeyword, even across a line break); elsewhere
                        // it is a name (`x = let[0]`).
                        Tok::Let if !next.is_some_and(starts_let_binding) || !statement_start => {
                            *tok = Tok::Ident("let".into())
                        }
                        _ => {}
                    }
                    // A `(` after the word was lexed before the word became the previous
                    // token: after `async` or the name `let` it opens a call's arguments (or an
                    // async arrow's parameters, parsed as such).
                    if matches!(tok, Tok::Async | Tok::Ident(_))
                        && matches!(next, Some(Tok::LParen))
                    {
                        if let Some(Open::Paren(kind @ ParenKind::Other, at)) =
                            self.stack.last_mut()
                        {
                            *kind = ParenKind::Call;
                            *at = start as u32;
                        }
                    }
                    // Likewise a `{` after the word opens a pattern or an object literal.
                    if matches!(next, Some(Tok::LBrace)) {
                        if let Some(Open::Brace(block)) = self.stack.last_mut() {
                            *block = false;
                        }
                    }
                    self.peeked = ahead;
                }
                _ => {}
            }
            let _ = (start, end);
        }
        if let Err(e) = &item {
            if e.kind == K::Lex(LexErrorKind::UnterminatedTemplate) {
                // V8 reports an unterminated template (or `${` left open) at the end of input.
                item = Err(SyntaxError::new(K::UnexpectedEnd, e.span));
            }
        }
        if let Ok((_, Tok::String(_), end)) = &item {
            self.directive(*end);
        }
        if self.strict_from.is_some_and(|d| self.stack.len() < d) {
            self.strict_from = None;
        }
        if let Ok((start, tok, end)) = &item {
            if matches!(tok, Tok::Class) && self.class_at.is_none() {
                self.class_at = Some(self.stack.len());
            }
            let closed_call = match tok {
                Tok::RParen => {
                    self.call_before = self.closed_call.take().map(|at| (at, self.prev_end as u32));
                    None
                }
                _ if matches!(self.prev, Some(Tok::RParen)) => self.call_before,
                _ => None,
            };
            // The first token after `${` starts the substitution's expression.
            if !matches!(tok, Tok::TemplateHead(_) | Tok::TemplateMiddle(_)) {
                if let Some(Open::Template(at @ None)) = self.stack.last_mut() {
                    *at = Some(*start);
                }
            }
            self.state.record(Snapshot {
                start: *start,
                prev_start: self.prev_start,
                prev_end: self.prev_end,
                nl_before: nl,
                context,
                prev_is_separator: matches!(self.prev, Some(Tok::LParen | Tok::Comma)),
                strict: self.strict(),
                closed_call,
            });
            // A synthetic `;` is invisible to the facts about "the previous token".
            if !synthetic {
                self.prev_start = *start;
                self.prev_end = *end;
                self.prev_prev = self.prev.take();
                self.prev = Some(tok.kind_only());
            }
        }
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        let state = LexState::default();
        Lexer::new(src, &state)
            .map(|r| r.map(|(_, t, _)| t).unwrap())
            .collect()
    }

    #[test]
    fn regex_versus_division() {
        assert!(matches!(toks("a / b / c")[1], Tok::Slash));
        assert!(matches!(toks("x = /ab+c/g")[2], Tok::RegExp(..)));
        assert!(matches!(toks("(1) / 2")[3], Tok::Slash));
        assert!(matches!(toks("return /x/")[1], Tok::RegExp(..)));
        // `let` and `async` followed by `/` are names, and the `/` divides.
        assert!(matches!(toks("x = let / 2 / 1")[3], Tok::Slash));
        assert!(matches!(toks("x = async / 2 / 1")[3], Tok::Slash));
        assert!(matches!(toks("x = async /2/ 1")[5], Tok::Slash));
    }

    #[test]
    fn nested_templates() {
        let t = toks("`a${`b${c}d`}e`");
        assert!(matches!(t[0], Tok::TemplateHead(_)));
        assert!(matches!(t[1], Tok::TemplateHead(_)));
        assert!(matches!(t[2], Tok::Ident(_)));
        assert!(matches!(t[3], Tok::TemplateTail(_)));
        assert!(matches!(t[4], Tok::TemplateTail(_)));
        let t = toks("`${ {a:1}.a }`");
        assert!(matches!(t.last(), Some(Tok::TemplateTail(_))));
    }

    #[test]
    fn restricted_productions() {
        assert_eq!(
            toks("return\nx"),
            vec![Tok::Return, Tok::Semi, Tok::Ident("x".into())]
        );
        assert_eq!(toks("a\n++b")[1], Tok::PlusPlusNl);
        assert_eq!(toks("a++")[1], Tok::PlusPlus);
        assert_eq!(toks("yield\nx")[0], Tok::YieldNl);
        assert_eq!(toks("async\nfunction f(){}")[0], Tok::Ident("async".into()));
    }

    #[test]
    fn let_and_async_are_keywords_only_where_they_can_be() {
        let name = |n: &str| Tok::Ident(n.into());
        assert_eq!(toks("let x")[0], Tok::Let);
        assert_eq!(toks("let [a] = b")[0], Tok::Let);
        assert_eq!(toks("let\nx = 1")[0], Tok::Let);
        assert_eq!(toks("for (let x of y);")[2], Tok::Let);
        assert_eq!(toks("let = 1")[0], name("let"));
        assert_eq!(toks("x = let[0]")[2], name("let"));
        assert_eq!(toks("for (let in o);")[2], name("let"));
        assert_eq!(toks("async function f() {}")[0], Tok::Async);
        assert_eq!(toks("async (x) => x")[0], Tok::Async);
        assert_eq!(toks("x = async + 1")[2], name("async"));
        assert_eq!(toks("async in o")[0], name("async"));
    }

    #[test]
    fn unicode_identifiers() {
        assert_eq!(toks("café"), vec![Tok::Ident("café".into())]);
        assert_eq!(toks("\\u0061b"), vec![Tok::Ident("ab".into())]);
        assert_eq!(toks("ünï"), vec![Tok::Ident("ünï".into())]);
        assert_eq!(toks("#!/usr/bin/env node\nx"), vec![Tok::Ident("x".into())]);
    }
}
