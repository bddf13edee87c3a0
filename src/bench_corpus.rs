//! The parse benchmark's corpus, shared by `benches/parse.rs` and `minijs --write-bench-corpus`
//! (used by scripts/bench-parse.sh to time node on the very same text).

use std::path::Path;

/// Builds a corpus of at least `min_bytes`: every `.js` program found, each wrapped in its own
/// function so that repeated top-level declarations stay legal, repeated as often as needed.
pub fn build(min_bytes: usize) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    for dir in ["../shared/bench", "scripts", "tests/js/parse"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "js") {
                if let Ok(s) = std::fs::read_to_string(&p) {
                    if crate::syntax::parse(&s).is_ok() {
                        sources.push(s);
                    }
                }
            }
        }
    }
    let mut out = String::new();
    let mut n = 0;
    while out.len() < min_bytes && !sources.is_empty() {
        for s in &sources {
            out.push_str(&format!("function corpus{n}() {{\n{s}\n}}\n"));
            n += 1;
        }
    }
    out
}
