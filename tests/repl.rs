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

// ---- Tab completion, called directly (no terminal) ----

use minijs::repl::{Flow, Repl};

fn repl() -> Repl {
    Repl::new(minijs::vm::interp::Vm::new())
}

fn feed(r: &mut Repl, line: &str) -> String {
    let (out, flow) = r.feed(line);
    assert_eq!(flow, Flow::Continue, "{line}");
    out
}

#[test]
fn completes_members_of_simple_expressions() {
    let mut r = repl();
    assert_eq!(r.complete("Math.ma").candidates(), ["Math.max"]);
    assert_eq!(r.complete("[].pu").candidates(), ["[].push"]);
    assert_eq!(r.complete("\"\".len").candidates(), ["\"\".length"]);
    assert_eq!(r.complete("x = [].pu").candidates(), ["[].push"]);
    assert_eq!(r.complete("[].pu").complete_on, "[].pu");
    // Case-insensitive, as node's.
    assert_eq!(r.complete("Math.MA").candidates(), ["Math.max"]);
    feed(&mut r, "memwatch = require('memwatch-next')");
    assert_eq!(
        r.complete("memwatch.He").candidates(),
        ["memwatch.HeapDiff"]
    );
    feed(&mut r, "o2 = {alpha: 1, beta: 2}");
    let c = r.complete("o2.");
    assert_eq!(c.complete_on, "o2.");
    // The prototype's group first, the own properties last, a "" between groups.
    let n = c.completions.len();
    assert_eq!(&c.completions[n - 3..], ["", "o2.alpha", "o2.beta"]);
    assert!(c.completions.contains(&"o2.hasOwnProperty".to_string()));
    assert!(!c.completions.contains(&"o2.__defineGetter__".to_string()));
    assert_eq!(r.complete("o2?.al").candidates(), ["o2?.alpha"]);
    assert_eq!(
        r.complete("o2['alpha'].toFi").candidates(),
        ["o2['alpha'].toFixed"]
    );
    // Functions show V8's own properties.
    let f = r.complete("Array.");
    assert!(f.candidates().contains(&"Array.prototype"), "{f:?}");
    assert!(f.candidates().contains(&"Array.isArray"), "{f:?}");
}

#[test]
fn completes_globals_keywords_commands_and_modules() {
    let mut r = repl();
    feed(&mut r, "let lexical = 1");
    assert_eq!(r.complete("lexi").candidates(), ["lexical"]);
    assert_eq!(r.complete("wi").candidates(), ["with"]);
    assert_eq!(r.complete("requ").candidates(), ["require"]);
    let all = r.complete("");
    assert!(all.candidates().contains(&"Array"));
    assert!(
        !all.candidates().contains(&"with"),
        "keywords only after a letter"
    );
    assert!(!all.candidates().iter().any(|c| c.starts_with("__minijs")));
    // Built-in modules are globals, loaded on first use.
    assert_eq!(r.complete("htt").candidates(), ["http"]);
    assert!(r
        .complete("http.cr")
        .candidates()
        .contains(&"http.createServer"));
    let c = r.complete(".he");
    assert_eq!(
        (c.candidates(), c.complete_on.as_str()),
        (vec!["help"], "he")
    );
    let c = r.complete("const h = require('ht");
    assert_eq!(
        (c.candidates(), c.complete_on.as_str()),
        (vec!["http"], "ht")
    );
    assert_eq!(r.complete("require(\"memw").candidates(), ["memwatch-next"]);
    assert!(r.complete("1 + ").candidates().is_empty());
    assert!(r.complete("x.1").candidates().is_empty());
}

#[test]
fn completion_runs_no_user_code() {
    let mut r = repl();
    feed(
        &mut r,
        "calls = 0; obj = { get g() { calls++; return {x: 1} } }",
    );
    feed(&mut r, "function f() { calls++; return {y: 1} }");
    assert!(r.complete("obj.g.").candidates().is_empty());
    assert!(r.complete("f().").candidates().is_empty());
    assert!(r.complete("(calls++).").candidates().is_empty());
    assert!(r.complete("[f()].").candidates().is_empty());
    assert!(r.complete("undefinedName.").candidates().is_empty());
    assert!(r.complete("null.").candidates().is_empty());
    assert_eq!(feed(&mut r, "calls"), "0\n");
    // The getter itself is listed (its name is a key of obj).
    assert_eq!(r.complete("obj.").candidates().last(), Some(&"obj.g"));
}

#[test]
fn completion_never_panics() {
    let mut r = repl();
    let long = "a.".repeat(2000);
    for s in [
        "",
        ".",
        "..",
        "a..",
        "?.",
        "[",
        "'",
        "`${",
        "a?.",
        "1.",
        "(",
        ")",
        "😀.",
        "x.y.z.",
        "ß.",
        "'😀'.le",
        "[1,2,[3]].",
        "{a: 1}.",
        "`t`.",
        "this.",
        "({}).",
        "a\u{200d}.",
        "require('",
        "require(",
        "}.",
        "/re/.",
        long.as_str(),
    ] {
        let c = r.complete(s);
        assert!(
            s.ends_with(&c.complete_on) || c.completions.is_empty(),
            "{s}"
        );
    }
}

#[test]
fn assigning_underscore_disables_it_as_node_does() {
    // Recorded from node v20 -i on the same input (only the banner differs).
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
        .write_all(b"1\n_ = 7\n2\n_\n_error = 1\nthrow 3\n_error\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let got = String::from_utf8_lossy(&out.stdout).into_owned();
    let expected = "> 1\n> Expression assignment to _ now disabled.\n7\n> 2\n> 7\n\
                    > Expression assignment to _error now disabled.\n1\n> Uncaught 3\n> 1\n> ";
    assert!(got.ends_with(expected), "{got}");
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

/// Top-level `await` (node-compat §4.2): the input runs as an async body and its value is what
/// it settles with; declarations persist; the event loop runs while it waits.
#[test]
fn top_level_await() {
    let mut r = repl();
    assert_eq!(feed(&mut r, "await Promise.resolve(7)"), "7\n");
    assert_eq!(feed(&mut r, "const v = await 5"), "undefined\n");
    assert_eq!(feed(&mut r, "v * 2"), "10\n");
    assert_eq!(
        feed(
            &mut r,
            "await new Promise(res => setTimeout(() => res('late'), 20))"
        ),
        "'late'\n"
    );
    assert_eq!(
        feed(&mut r, "await Promise.reject(new TypeError('no'))"),
        "Uncaught TypeError: no\n"
    );
    feed(&mut r, "let s = 0");
    feed(
        &mut r,
        "for await (const x of [1, Promise.resolve(2)]) { s += x }",
    );
    assert_eq!(feed(&mut r, "s"), "3\n");
    assert_eq!(feed(&mut r, "[await 1, await 2]"), "[ 1, 2 ]\n");
    assert_eq!(feed(&mut r, "_"), "[ 1, 2 ]\n");
    // `await` as an identifier still works where no operand follows.
    assert_eq!(feed(&mut r, "var await = 3; await"), "3\n");
}
