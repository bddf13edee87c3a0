//! The one renderer of source excerpts, in node's layout:
//!
//! ```text
//! /abs/path/app.js:2
//! let b = ;
//!         ^
//!
//! SyntaxError: Unexpected token ';'
//! ```
//!
//! The caret line follows node exactly (see tests/js/syntax_errors/README.md): V8 reports a
//! range of UTF-16 columns; node writes, for each column before the start, a tab if the *byte*
//! at that index of the line is a tab and a space otherwise, then one `^` per column of the
//! range; if the range ends past the line's byte length there is no caret line at all.

use crate::source::{utf16_len, SourceFile};
use crate::syntax::ast::Span;

/// The longest caret line node prints.
const MAX_CARET_LINE: usize = 1020;

/// `FILE:LINE`, the source line and the caret line (each ending in `\n`; the caret line is
/// omitted when node omits it).
pub fn excerpt(file: &SourceFile, span: Span) -> String {
    let start = span.start as usize;
    let line = file.line_index(start);
    let text = file.line_text(line);
    let line_start = file.line_start(line);
    let col_start = utf16_len(&file.text[line_start..start]);
    let end = (span.end as usize).max(start);
    // A range that crosses the end of the line: measure it in UTF-16 units all the same.
    let col_end = col_start + utf16_len(&file.text[start..end.min(file.text.len())]);
    let mut out = format!("{}:{}\n{}\n", file.name, line + 1, text);
    if col_end <= text.len() {
        let bytes = text.as_bytes();
        let mut caret = String::with_capacity(col_end);
        for i in 0..col_start {
            caret.push(if bytes.get(i) == Some(&b'\t') {
                '\t'
            } else {
                ' '
            });
        }
        for _ in col_start..col_end {
            caret.push('^');
        }
        caret.truncate(MAX_CARET_LINE);
        out.push_str(&caret);
        out.push('\n');
    }
    out
}

/// A whole parse-time error report, as node prints it for a file that does not compile, minus
/// node's internal stack frames.
pub fn syntax_error_report(file: &SourceFile, err: &crate::syntax::SyntaxError) -> String {
    let class = match err.class() {
        crate::syntax::error::ErrorClass::SyntaxError => "SyntaxError",
        crate::syntax::error::ErrorClass::RangeError => "RangeError",
    };
    format!(
        "{}\n{}: {}\n",
        excerpt(file, err.span),
        class,
        err.message()
    )
}
