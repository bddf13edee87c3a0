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
    parse_checked(src, false)
}

/// Parses and checks. The grammar cannot know whether `yield` is an operator (generators)
/// or a name (sloppy code elsewhere: `yield + 1`, `yield * 2`, `yield(x)`); it parses the
/// operator, and when the early-error pass finds such a `yield` outside a generator, the
/// script is parsed again with those words lexed as names (rare: no cost otherwise).
fn parse_checked(src: &str, top_level_await: bool) -> Result<Program, SyntaxError> {
    parse_checked_in(src, top_level_await, None)
}

/// Parses and checks eval code (`ctx`: what the code around the eval allows).
pub fn parse_eval(src: &str, ctx: early::EvalContext) -> Result<Program, SyntaxError> {
    parse_checked_in(src, false, Some(ctx))
}

fn parse_checked_in(
    src: &str,
    top_level_await: bool,
    eval: Option<early::EvalContext>,
) -> Result<Program, SyntaxError> {
    let mut names: Vec<usize> = Vec::new();
    // `yield / 2` in sloppy code: the lexer took the `/` for a regex. The script is then
    // parsed again with every `yield` before a `/` taken as a name; the early pass rejects
    // that guess where such a `yield` cannot be a name (strict code, a generator: a script
    // mixing `yield / 2` in sloppy code with `yield /re/` in a generator is not parsed).
    let mut guessed: Option<SyntaxError> = None;
    loop {
        let program = match parse_lexing_names(src, names.clone(), guessed.is_some()) {
            Ok(p) => p,
            Err(e) if names.is_empty() && guessed.is_none() && src.contains("yield") => {
                match parse_lexing_names(src, Vec::new(), true) {
                    Ok(p) => {
                        guessed = Some(e);
                        p
                    }
                    Err(_) => return Err(e),
                }
            }
            Err(e) => return Err(guessed.unwrap_or(e)),
        };
        // (Under the guess, an early error names the `yield` that cannot be a name, as node
        // does in strict code.)
        let found = early::check_in(&program, src, top_level_await, eval)?;
        if found.is_empty() {
            return Ok(program);
        }
        if found.iter().all(|f| names.binary_search(f).is_ok()) {
            // A word the lexer could not turn into a name (never seen): refuse it rather
            // than compile an operator outside a generator.
            let at = found[0];
            return Err(SyntaxError::new(
                SyntaxErrorKind::StrictReserved,
                ast::Span::new(at, at + 5),
            ));
        }
        names.extend(found);
        names.sort_unstable();
        names.dedup();
    }
}

/// Parses a script whose top level is an async body, where `await` is an operator (the
/// REPL's top-level `await`, tried when [`parse`] reports `await` outside an async function).
pub fn parse_top_level_await(src: &str) -> Result<Program, SyntaxError> {
    parse_checked(src, true)
}

/// The grammar alone, without the early-error pass (for the benchmark that tells their costs
/// apart).
#[doc(hidden)]
pub fn parse_without_early_errors(src: &str) -> Result<Program, SyntaxError> {
    parse_lexing_names(src, Vec::new(), false)
}

/// The grammar, with the `yield` words at `yield_names` (sorted offsets) lexed as names
/// (and, when asked, every `yield` before a `/`).
fn parse_lexing_names(
    src: &str,
    yield_names: Vec<usize>,
    yield_before_slash_is_name: bool,
) -> Result<Program, SyntaxError> {
    let _ = ast::take_too_deep();
    let mut ctx = Ctx::new(src.len());
    ctx.lex.yield_names = yield_names;
    ctx.lex.yield_before_slash_is_name = yield_before_slash_is_name;
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
