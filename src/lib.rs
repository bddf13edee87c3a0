//! minijs: a JavaScript interpreter with its own garbage collector and memory observability.
//!
//! Layers, each using only those above it: `source`, `diagnostics` → `syntax` (lexer, parser,
//! AST, early errors).

#[doc(hidden)]
pub mod bench_corpus;
pub mod diagnostics;
pub mod source;
pub mod syntax;

/// The version string minijs prints where node prints its own.
pub const VERSION: &str = concat!("v", env!("CARGO_PKG_VERSION"));
