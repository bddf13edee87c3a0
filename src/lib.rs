//! minijs: a JavaScript interpreter with its own garbage collector and memory observability.
//!
//! Layers, each using only those above it: `source`, `diagnostics` → `syntax` (lexer, parser,
//! AST, early errors) → `vm` (values, objects, compiler, interpreter) → `gc` (the heap).
#![deny(unsafe_code)]

#[doc(hidden)]
pub mod bench_corpus;
pub mod diagnostics;
pub mod fxhash;
pub mod gc;
pub mod heapdiff;
pub mod repl;
pub mod runtime;
pub mod source;
pub mod syntax;
pub mod vm;

/// The version string minijs prints where node prints its own.
pub const VERSION: &str = concat!("v", env!("CARGO_PKG_VERSION"));
