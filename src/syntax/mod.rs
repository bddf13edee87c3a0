//! The front end: source text → [`ast::Program`].
//!
//! `token` (logos tokens) → `lexer` (stateful adapter: regex/template/ASI facts) → the LALRPOP
//! parser generated from `grammar/minijs.lalrpop` (actions in `builder`) → `early` (early errors
//! that need the whole tree: declarations, labels, `return`/`break` targets). Errors are
//! [`SyntaxError`] values with spans; LALRPOP's errors are converted once, in [`parse`].

pub mod ast;
pub mod builder;
pub mod dump;
pub mod early;
pub mod error;
pub mod lexer;
pub mod scan;
pub mod token;

#[allow(clippy::all, unused_parens, unused_qualifications, clippy::pedantic)]
mod grammar {
    lalrpop_util::lalrpop_mod!(pub minijs, "/minijs.rs");
}

use ast::Program;
use builder::Ctx;
pub use error::{SyntaxError, SyntaxErrorKind};

/// Parses a script. The first error in source order is returned, as node reports it.
pub fn parse(src: &str) -> Result<Program, SyntaxError> {
    let program = parse_without_early_errors(src)?;
    early::check(&program, src)?;
    Ok(program)
}

/// Parses a script whose top level is an async body, where `await` is an operator (the
/// REPL's top-level `await`, tried when [`parse`] reports `await` outside an async function).
pub fn parse_top_level_await(src: &str) -> Result<Program, SyntaxError> {
    let program = parse_without_early_errors(src)?;
    early::check_with(&program, src, true)?;
    Ok(program)
}

/// The grammar alone, without the early-error pass (for the benchmark that tells their costs
/// apart).
#[doc(hidden)]
pub fn parse_without_early_errors(src: &str) -> Result<Program, SyntaxError> {
    let _ = ast::take_too_deep();
    let ctx = Ctx::new(src.len());
    let result = {
        let lexer = lexer::Lexer::new(src, &ctx.lex);
        grammar::minijs::ScriptParser::new().parse(&ctx, lexer)
    };
    let too_deep = ast::take_too_deep();
    if let Some(bad) = ctx.bad_asi.borrow_mut().take() {
        return Err(bad);
    }
    if let Some(span) = too_deep {
        return Err(SyntaxError::new(SyntaxErrorKind::TooDeep, span));
    }
    result.map_err(|e| ctx.convert(e))
}
