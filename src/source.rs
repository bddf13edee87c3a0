//! Source files: text plus a line table. Lines are split at LF, CR, CRLF, U+2028 and U+2029, as
//! JavaScript (and so V8's error reports) count them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

use crate::syntax::ast::Span;

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in messages (node shows the absolute path of a file).
    pub name: String,
    pub text: String,
    /// Byte offset of the start of each line; built on first use (only reports need it).
    line_starts: OnceLock<Vec<usize>>,
    /// Debug information for heap snapshots: for each function (by its span) that creates
    /// closures inside environments, the names of those environments' slots, innermost
    /// environment first (`Code::load` records them from the compiler's `Proto::env_names`).
    scope_names: RefCell<HashMap<(u32, u32), ScopeNames>>,
}

/// The slot names of a chain of environments, innermost first (`""` where unknown).
pub type ScopeNames = Rc<[Box<[Box<str>]>]>;

fn line_table(text: &str) -> Vec<usize> {
    let mut line_starts = vec![0];
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => line_starts.push(i + 1),
            b'\r' => {
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                line_starts.push(i + 1);
            }
            // U+2028 / U+2029 are E2 80 A8 / E2 80 A9.
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => {
                i += 2;
                line_starts.push(i + 1);
            }
            _ => {}
        }
        i += 1;
    }
    line_starts
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
            scope_names: RefCell::default(),
        }
    }

    /// Records the environment slot names seen by the function at `span` (see `scope_names`).
    pub fn set_scope_names(&self, span: Span, names: ScopeNames) {
        self.scope_names
            .borrow_mut()
            .insert((span.start, span.end), names);
    }

    /// The environment slot names seen by the function at `span`, if it has any.
    pub fn scope_names(&self, span: Span) -> Option<ScopeNames> {
        self.scope_names
            .borrow()
            .get(&(span.start, span.end))
            .cloned()
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_table(&self.text))
    }

    /// Zero-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The text of a zero-based line, without its terminator.
    pub fn line_text(&self, line: usize) -> &str {
        let starts = self.line_starts();
        let start = starts[line];
        let end = starts.get(line + 1).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r', '\u{2028}', '\u{2029}'])
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()[line]
    }

    /// One-based line and column (in UTF-16 units, as V8 counts) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_index(offset);
        let start = self.line_starts()[line];
        let col = utf16_len(&self.text[start..offset.min(self.text.len()).max(start)]);
        (line + 1, col + 1)
    }

    pub fn span_text(&self, span: Span) -> &str {
        &self.text[span.start as usize..span.end as usize]
    }
}

pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}
