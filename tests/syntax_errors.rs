//! Runs every fixture in tests/js/syntax_errors (recorded from node v20 by regen.sh) through the
//! parser and the node-style renderer and compares the report byte for byte.
//!
//! Fixtures minijs does not match yet are listed in tests/js/syntax_errors/KNOWN_FAILURES, one
//! name a line (QuickJS's test262_errors.txt habit): the test fails when a fixture outside the
//! list fails, and also when a listed one starts passing, so the list stays exact.
#![allow(clippy::print_stdout)] // the test prints how many fixtures match

use std::collections::BTreeSet;
use std::path::Path;

use minijs::diagnostics::syntax_error_report;
use minijs::source::SourceFile;

fn report(src: String) -> String {
    let file = SourceFile::new("FILE", src);
    match minijs::syntax::parse(&file.text) {
        Ok(_) => "(parsed without error)\n".to_string(),
        Err(e) => syntax_error_report(&file, &e),
    }
}

#[test]
fn node_syntax_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/syntax_errors");
    let known: BTreeSet<String> = std::fs::read_to_string(dir.join("KNOWN_FAILURES"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "js").then(|| p.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    names.sort();
    let (mut passed, mut unexpected, mut fixed) = (0, Vec::new(), Vec::new());
    for name in &names {
        let src = std::fs::read(dir.join(format!("{name}.js"))).expect("read fixture");
        let expected =
            std::fs::read_to_string(dir.join(format!("{name}.stderr"))).expect("expected output");
        let got = match String::from_utf8(src) {
            Ok(s) => report(s),
            Err(_) => continue,
        };
        let ok = got == expected;
        if ok {
            passed += 1;
        }
        match (ok, known.contains(name)) {
            (false, false) => {
                unexpected.push(format!("--- {name}\nexpected:\n{expected}got:\n{got}"))
            }
            (true, true) => fixed.push(name.clone()),
            _ => {}
        }
    }
    println!(
        "syntax error fixtures: {passed} of {} match node",
        names.len()
    );
    if std::env::var_os("MINIJS_BLESS_KNOWN").is_some() {
        let failing: Vec<&String> = names
            .iter()
            .filter(|n| {
                let src = std::fs::read_to_string(dir.join(format!("{n}.js"))).unwrap_or_default();
                let expected =
                    std::fs::read_to_string(dir.join(format!("{n}.stderr"))).unwrap_or_default();
                report(src) != expected
            })
            .collect();
        let body: String = failing.iter().map(|n| format!("{n}\n")).collect();
        std::fs::write(dir.join("KNOWN_FAILURES"), format!("# Fixtures whose report differs from node's (regenerate: MINIJS_BLESS_KNOWN=1 cargo test --test syntax_errors)\n{body}")).unwrap();
        return;
    }
    assert!(
        unexpected.is_empty() && fixed.is_empty(),
        "{} fixtures fail that are not in KNOWN_FAILURES:\n{}\n{} listed fixtures now pass (remove them): {:?}",
        unexpected.len(),
        unexpected.join("\n"),
        fixed.len(),
        fixed
    );
}
