//! The front end: source text → [`ast::Program`].
//!
//! `token` (logos tokens) → `lexer` (stateful adapter: regex/template/ASI facts) → the LALRPOP
//! parser generated from `grammar/minijs.lalrpop` (actions in `builder`) → `early` (early errors
//! that need the whole tree: declarations, labels, `return`/`break` targets). Errors are
//! [`SyntaxError`] values with spans; LALRPOP's errors are converted once, in [`parse`].

pub mod ast;
pub mod builder;
pub mod error;
pub mod lexer;
pub mod scan;
pub mod token;

#[allow(clippy::all, unused_parens, unused_qualifications, clippy::pedantic)]
mod grammar {
    lalrpop_util::lalrpop_mod!(pub minijs, "/minijs.rs");
}

use lalrpop_util::ParseError;

use ast::{Program, Span};
use builder::Ctx;
pub use error::{SyntaxError, SyntaxErrorKind};
use token::Tok;

/// Parses a script. The first error in source order is returned, as node reports it.
pub fn parse(src: &str) -> Result<Program, SyntaxError> {
    let _ = ast::take_too_deep();
    let ctx = Ctx::default();
    let result = {
        let lexer = lexer::Lexer::new(src, &ctx.lex);
        grammar::minijs::ScriptParser::new().parse(&ctx, lexer)
    };
    let too_deep = ast::take_too_deep();
    if let Some(bad) = ctx.bad_asi.borrow_mut().take() {
        return Err(convert(bad, &ctx, src));
    }
    if let Some(span) = too_deep {
        return Err(SyntaxError::new(SyntaxErrorKind::TooDeep, span));
    }
    result.map_err(|e| convert(e, &ctx, src))
}

fn convert(e: ParseError<usize, Tok, SyntaxError>, ctx: &Ctx, src: &str) -> SyntaxError {
    let _ = ctx;
    match e {
        ParseError::User { error } => error,
        ParseError::InvalidToken { location } => SyntaxError::new(
            SyntaxErrorKind::Lex(token::LexErrorKind::InvalidToken),
            Span::new(location, location + 1),
        ),
        ParseError::UnrecognizedEof { .. } => SyntaxError::new(
            SyntaxErrorKind::UnexpectedEnd,
            Span::new(src.len(), src.len()),
        ),
        ParseError::UnrecognizedToken {
            token: (s, t, e),
            expected,
        } => {
            let _ = expected;
            SyntaxError::new(SyntaxErrorKind::UnexpectedToken(t), Span::new(s, e))
        }
        ParseError::ExtraToken { token: (s, t, e) } => {
            SyntaxError::new(SyntaxErrorKind::UnexpectedToken(t), Span::new(s, e))
        }
    }
}
