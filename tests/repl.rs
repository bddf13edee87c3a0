//! The REPL with piped input (`minijs -i`), against a transcript recorded from `node -i` on
//! the same input (tests/js/repl/session.in → session.node.out); only the banner differs.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

#[test]
fn piped_session_matches_node() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/repl");
    let input = std::fs::read(dir.join("session.in")).unwrap();
    let expected = std::fs::read_to_string(dir.join("session.node.out")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .arg("-i")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("minijs runs");
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let got = String::from_utf8_lossy(&out.stdout).into_owned();
    let expected = expected.replacen(
        "Welcome to Node.js v20.20.2.",
        &format!("Welcome to minijs {}.", minijs::VERSION),
        1,
    );
    assert_eq!(got, expected);
}

#[test]
fn multi_line_input_errors_and_underscore() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .arg("-i")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("minijs runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"[1,\n2]\n_.length\nfunction inner() { throw new RangeError('deep') }\ninner()\nthrow { a: 1 }\n_error.a\n.nope\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let got = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(got.contains("> ... [ 1, 2 ]\n> 2\n"), "{got}");
    assert!(
        got.contains("Uncaught RangeError: deep\n    at inner (REPL"),
        "{got}"
    );
    assert!(got.contains("Uncaught { a: 1 }\n> 1\n"), "{got}");
    assert!(got.contains("Invalid REPL keyword"), "{got}");
}

/// An unhandled rejection in the REPL: the input's value, then `Uncaught` and the reason, as
/// node's REPL prints them; the session goes on.
#[test]
fn unhandled_rejections_are_reported_after_the_value() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .arg("-i")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("minijs runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Promise.reject(42)\n1+1\nPromise.resolve(3).then((v) => v * 2)\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let got = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        got.contains("> Promise { <rejected> 42 }\nUncaught 42\n> 2\n> Promise { 6 }\n"),
        "{got}"
    );
}
