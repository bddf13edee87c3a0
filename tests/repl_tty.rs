//! The REPL on a terminal, driven through a pseudo-terminal (rexpect): what a person typing
//! sees. Every wait is for text to appear (30 s at most), never a sleep, and nothing here
//! measures time, so a loaded machine makes the tests slower, not flaky.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

use rexpect::session::PtySession;

const TIMEOUT_MS: u64 = 30_000;

/// node's color codes, as the REPL echoes results.
fn yellow(s: &str) -> String {
    format!("\x1b[33m{s}\x1b[39m")
}
fn green(s: &str) -> String {
    format!("\x1b[32m{s}\x1b[39m")
}
const GREY_UNDEFINED: &str = "\x1b[90mundefined\x1b[39m";

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("minijs-tty-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn spawn(dir: &Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_minijs"));
    cmd.current_dir(dir)
        .env("MINIJS_REPL_HISTORY", dir.join("history"))
        .env("TERM", "xterm")
        .env_remove("NO_COLOR");
    let mut p = rexpect::session::spawn_command(cmd, Some(TIMEOUT_MS)).expect("minijs starts");
    p.exp_string("Type \".help\" for more information.")
        .unwrap();
    p.exp_string("> ").unwrap();
    p
}

/// Types a line and waits for `expect` in what follows.
fn line(p: &mut PtySession, text: &str, expect: &str) {
    p.send_line(text).unwrap();
    if let Err(e) = p.exp_string(expect) {
        panic!("after {text:?}: no {expect:?}: {e}");
    }
}

/// Types keys (no Enter added).
fn keys(p: &mut PtySession, text: &str) {
    p.send(text).unwrap();
    p.flush().unwrap();
}

/// Waits until the line sent last was taken and the next prompt reads keys (rustyline turns
/// bracketed paste off as a line ends and on as a prompt starts): a Ctrl+C sent earlier could
/// arrive while an input runs, where it is a signal.
fn wait_for_prompt(p: &mut PtySession) {
    p.exp_string("\x1b[?2004l").unwrap();
    p.exp_string("\x1b[?2004h").unwrap();
}

/// Waits until the prompt after the output expected last reads keys (see `wait_for_prompt`).
fn prompt_started(p: &mut PtySession) {
    p.exp_string("\x1b[?2004h").unwrap();
}

fn exit_status(p: &mut PtySession) -> i32 {
    match p.process().wait() {
        Ok(rexpect::process::WaitStatus::Exited(_, code)) => code,
        other => panic!("{other:?}"),
    }
}

#[test]
fn echo_multi_line_errors_and_colors() {
    let dir = temp_dir("echo");
    let mut p = spawn(&dir);
    line(&mut p, "1 + 1", &yellow("2"));
    line(&mut p, "'str'", &green("'str'"));
    line(&mut p, "let x = 5", GREY_UNDEFINED);
    line(&mut p, "function f() {", "... ");
    line(&mut p, "return x * 2", "... ");
    line(&mut p, "}", GREY_UNDEFINED);
    line(&mut p, "f()", &yellow("10"));
    line(
        &mut p,
        "nope",
        "Uncaught ReferenceError: nope is not defined",
    );
    line(&mut p, "throw new Error('boom')", "Uncaught Error: boom");
    line(&mut p, "_error.message", &green("'boom'"));
    line(
        &mut p,
        "({a: {b: null}})",
        "{ a: { b: \x1b[1mnull\x1b[22m } }",
    );
    line(&mut p, ".exit", "");
    assert_eq!(exit_status(&mut p), 0);
}

#[test]
fn dot_commands_and_editor_mode() {
    let dir = temp_dir("dot");
    let mut p = spawn(&dir);
    line(&mut p, ".help", ".editor   Enter editor mode");
    p.exp_string("Press Ctrl+C to abort current expression, Ctrl+D to exit the REPL")
        .unwrap();
    line(&mut p, "[1,", "... ");
    line(&mut p, ".break", "> ");
    line(&mut p, "40 + 2", &yellow("42"));
    line(
        &mut p,
        ".editor",
        "// Entering editor mode (Ctrl+D to finish, Ctrl+C to cancel)",
    );
    p.send_line("function twice(n) {").unwrap();
    p.send_line("  return n * 2").unwrap();
    p.send_line("}").unwrap();
    keys(&mut p, "twice(21) + 1000");
    p.send_control('d').unwrap();
    p.exp_string(&yellow("1042")).unwrap();
    // Ctrl+C leaves editor mode without evaluating.
    line(&mut p, ".editor", "Entering editor mode");
    p.send_line("thisIsNeverEvaluated()").unwrap();
    // Ctrl+C while an input runs is a signal (it ends a runaway loop): wait for the prompt.
    wait_for_prompt(&mut p);
    p.send_control('c').unwrap();
    // rustyline drops keys read together with a Ctrl+C: wait for the next prompt.
    wait_for_prompt(&mut p);
    line(&mut p, "'after cancel'", &green("'after cancel'"));
    line(&mut p, "typeof thisIsNeverEvaluated", &green("'undefined'"));
    // .save writes the lines entered; .load enters a file.
    let saved = dir.join("saved.js");
    line(
        &mut p,
        &format!(".save {}", saved.display()),
        "Session saved to: ",
    );
    let text = std::fs::read_to_string(&saved).unwrap();
    // In editor mode each line starts with the previous line's indentation (as node's).
    assert!(
        text.contains("function twice(n) {\n  return n * 2\n  }\n  twice(21) + 1000"),
        "{text}"
    );
    assert!(text.contains("40 + 2"), "{text}");
    std::fs::write(dir.join("load.js"), "let loaded = 7\nloaded * 6\n").unwrap();
    line(&mut p, ".load load.js", &yellow("42"));
    line(&mut p, ".load missing.js", "Failed to load: missing.js");
    line(&mut p, ".nope", "Invalid REPL keyword");
    line(&mut p, ".exit", "");
    assert_eq!(exit_status(&mut p), 0);
}

#[test]
fn tab_completion() {
    let dir = temp_dir("tab");
    let mut p = spawn(&dir);
    line(&mut p, "o2 = {alphabet: 'xyz', beta: 2}", &green("'xyz'"));
    // A unique candidate completes inline; typing goes on after it.
    keys(&mut p, "o2.alph\t.length\r");
    p.exp_string(&yellow("3")).unwrap();
    keys(&mut p, "[].pu\t");
    p.exp_string("sh").unwrap();
    keys(&mut p, "(1, 2, 3)\r");
    p.exp_string(&yellow("3")).unwrap();
    // Two tabs list the candidates.
    keys(&mut p, "o2.\t\t");
    // In columns: the own properties (last) come after some of the prototype's.
    p.exp_string("o2.alphabet").unwrap();
    p.exp_string("o2.beta").unwrap();
    p.send_control('u').unwrap();
    line(
        &mut p,
        "memwatch = require('memwatch-next'); 'loaded'",
        &green("'loaded'"),
    );
    keys(&mut p, "typeof memwatch.He\t\r");
    p.exp_string(&green("'function'")).unwrap();
    p.send_control('d').unwrap();
    assert_eq!(exit_status(&mut p), 0);
}

#[test]
fn timers_fire_and_servers_answer_while_the_prompt_waits() {
    let dir = temp_dir("loop");
    let mut p = spawn(&dir);
    line(
        &mut p,
        "setTimeout(() => console.log('tick' + 'tock'), 300); 0",
        &yellow("0"),
    );
    // Typed before or after the timer prints: the line being edited survives the output.
    keys(&mut p, "abc");
    p.exp_string("ticktock").unwrap();
    line(
        &mut p,
        "def",
        "Uncaught ReferenceError: abcdef is not defined",
    );
    // An exception in a callback is reported; the REPL goes on.
    line(
        &mut p,
        "setTimeout(() => { throw new Error('in ' + 'timer') }, 10); 1",
        &yellow("1"),
    );
    p.exp_string("Uncaught Error: in timer").unwrap();
    // A server started at the prompt answers while the prompt waits.
    let port = 20_000 + (std::process::id() % 20_000) as u16;
    line(
        &mut p,
        &format!(
            "s = require('http').createServer((q, r) => r.end('served ' + q.url)).listen({port}); 'up'"
        ),
        &green("'up'"),
    );
    let body = get(port, "/x");
    assert!(body.ends_with("served /x"), "{body}");
    line(&mut p, "s.close(); 'closed'", &green("'closed'"));
    prompt_started(&mut p);
    p.send_control('c').unwrap();
    p.exp_string("(To exit, press Ctrl+C again or Ctrl+D or type .exit)")
        .unwrap();
    prompt_started(&mut p);
    p.send_control('c').unwrap();
    assert_eq!(exit_status(&mut p), 0);
}

/// A GET over a plain socket (retrying while the server starts).
fn get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    for _ in 0..300 {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
                .unwrap();
            write!(
                s,
                "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut out = String::new();
            let _ = s.read_to_string(&mut out);
            return out;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("no server on port {port}");
}

#[test]
fn history_file_is_written_newest_first() {
    let dir = temp_dir("hist");
    std::fs::write(dir.join("history"), "old entry\n").unwrap();
    let mut p = spawn(&dir);
    line(&mut p, "1 + 2", &yellow("3"));
    line(&mut p, "1 + 2", &yellow("3"));
    line(&mut p, "   ", "> ");
    line(&mut p, "'second'", &green("'second'"));
    // Up arrow recalls the previous line.
    keys(&mut p, "\x1b[A\r");
    p.exp_string(&green("'second'")).unwrap();
    p.send_control('d').unwrap();
    assert_eq!(exit_status(&mut p), 0);
    let h = std::fs::read_to_string(dir.join("history")).unwrap();
    assert_eq!(h, "'second'\n1 + 2\nold entry");
}
