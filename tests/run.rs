//! Runs the scripts in tests/js/run through the `minijs` binary and compares stdout with the
//! recorded `NAME.stdout` (recorded from node v20), and the bench programs the VM can already
//! run against ../shared/bench/expected.txt.

use std::path::Path;
use std::process::Command;

fn run(path: &Path) -> (String, String, i32) {
    run_with(path, false)
}

/// Runs a script; `stress` sets MINIJS_GC_STRESS=1 (a full collection at every allocation).
fn run_with(path: &Path, stress: bool) -> (String, String, i32) {
    // The fixtures were recorded from node in UTC: they must not depend on the caller's zone.
    run_in_zone(path, stress, Some(Some("UTC")))
}

/// `run_with` with TZ set (`Some(Some(zone))`), removed (`Some(None)`) or inherited (`None`).
fn run_in_zone(path: &Path, stress: bool, tz: Option<Option<&str>>) -> (String, String, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_minijs"));
    cmd.arg(path);
    if stress {
        cmd.env("MINIJS_GC_STRESS", "1");
    }
    match tz {
        Some(Some(zone)) => {
            cmd.env("TZ", zone);
        }
        Some(None) => {
            cmd.env_remove("TZ");
        }
        None => {}
    }
    let out = cmd.output().expect("minijs runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn run_fixtures() {
    check_fixtures(false);
}

/// The same fixtures with a collection at every allocation: a forgotten root shows up here.
#[test]
fn run_fixtures_under_gc_stress() {
    check_fixtures(true);
}

fn check_fixtures(stress: bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/run");
    let mut failures = Vec::new();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "js") {
            continue;
        }
        n += 1;
        let expected = std::fs::read_to_string(path.with_extension("stdout")).unwrap();
        let (stdout, stderr, code) = run_with(&path, stress);
        if stdout != expected || code != 0 {
            failures.push(format!(
                "{}: exit {code}\n--- expected\n{expected}--- got\n{stdout}{stderr}",
                path.display()
            ));
        }
    }
    assert!(n >= 3);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// tests/js/run_tz/dates.js under each zone of `TZ_FIXTURES`.
#[test]
fn run_time_zone_fixtures() {
    check_tz_fixtures(false);
}

#[test]
fn run_time_zone_fixtures_under_gc_stress() {
    check_tz_fixtures(true);
}

/// tests/js/run_tz/dates.js under each zone: (the expected output's name, the TZ value, or
/// `None` for TZ unset). Each NAME.stdout was recorded with node under the same TZ.
const TZ_FIXTURES: &[(&str, Option<&str>)] = &[
    ("berlin", Some("Europe/Berlin")),
    ("dublin", Some("Europe/Dublin")),
    ("est5edt", Some("EST5EDT")),
    ("kathmandu", Some("Asia/Kathmandu")),
    ("kolkata", Some("Asia/Kolkata")),
    ("new_york", Some("America/New_York")),
    ("new_york_colon", Some(":America/New_York")),
    ("posix_fixed", Some("JST-9")),
    ("sydney", Some("Australia/Sydney")),
    ("unknown_zone", Some("Foo/Bar")),
    ("unset", None),
    ("utc", Some("UTC")),
];

fn check_tz_fixtures(stress: bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/run_tz");
    let script = dir.join("dates.js");
    let mut failures = Vec::new();
    for &(name, tz) in TZ_FIXTURES {
        if tz.is_none() {
            // Recorded where /etc/localtime is UTC (or absent).
            let local = std::fs::canonicalize("/etc/localtime").ok();
            let local = local.as_ref().and_then(|p| p.file_name()?.to_str());
            if local.is_some_and(|z| !matches!(z, "UTC" | "UCT" | "Universal" | "Zulu")) {
                #[allow(clippy::print_stderr)] // a skip is said aloud
                {
                    eprintln!("skipping TZ unset: /etc/localtime is not UTC");
                }
                continue;
            }
        }
        let expected = std::fs::read_to_string(dir.join(format!("{name}.stdout"))).unwrap();
        let (stdout, stderr, code) = run_in_zone(&script, stress, Some(tz));
        if stdout != expected || code != 0 {
            failures.push(format!(
                "{name} (TZ {tz:?}): exit {code}\n--- expected\n{expected}--- got\n{stdout}{stderr}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bench_programs_the_vm_runs_print_their_checksums() {
    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench");
    let Ok(expected) = std::fs::read_to_string(bench.join("expected.txt")) else {
        #[allow(clippy::print_stderr)] // a skip is said aloud
        {
            eprintln!("skipping: ../shared/bench is not beside the repository");
        }
        return;
    };
    // Every program of ../shared/bench.
    const RUNNABLE: &[&str] = &[
        "arrays.js",
        "closures.js",
        "emitter.js",
        "fib.js",
        "gc_churn.js",
        "heap_grow.js",
        "json.js",
        "loops.js",
        "objects.js",
        "parser.js",
        "strings.js",
    ];
    for program in RUNNABLE {
        let line = expected
            .lines()
            .find(|l| l.starts_with(program))
            .expect("expected line");
        let want = line.split_once('\t').unwrap().1;
        let (stdout, stderr, code) = run(&bench.join(program));
        assert_eq!((stdout.trim_end(), code), (want, 0), "{program}: {stderr}");
    }
}

#[test]
fn uncaught_reference_error_exits_1() {
    let dir = std::env::temp_dir().join(format!("minijs-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("ref.js");
    std::fs::write(&f, "console.log('before')\nnotDefined + 1\n").unwrap();
    let (stdout, stderr, code) = run(&f);
    assert_eq!(stdout, "before\n");
    assert_eq!(code, 1);
    assert!(
        stderr.contains("notDefined + 1\n^\n\nReferenceError: notDefined is not defined"),
        "{stderr}"
    );
}

#[test]
fn eval_flag_runs_code_as_eval() {
    let out = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .args(["-e", "let x = 6; console.log(x * 7)"])
        .output()
        .expect("minijs runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "42\n");
    let out = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .args(["-e", "nope()"])
        .output()
        .expect("minijs runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(
        "[eval]:1\nnope()\n^\n\nReferenceError: nope is not defined\n    at [eval]:1:1\n"
    ));
    // As node's evalScript: the runtime, require, and the event loop after the code.
    let out = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .args([
            "-p",
            "setTimeout(() => console.log('later'), 5); require('path').basename(__filename + '/x.js')",
        ])
        .output()
        .expect("minijs runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "x.js\nlater\n");
}

/// The uncaught-error report of node-compat §3.1, frame for frame, up to node's internal
/// loader frames (minijs has no such frames: its loader is Rust) and the version line.
#[test]
fn uncaught_error_prints_like_node() {
    let dir = std::env::temp_dir().join(format!("minijs-uncaught-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("app.js");
    std::fs::write(
        &f,
        "function inner(obj) {\n  return obj.missing.deeper;\n}\nfunction outer() {\n  return inner({});\n}\nconsole.log('before');\nouter();\nconsole.log('after');\n",
    )
    .unwrap();
    let (stdout, stderr, code) = run(&f);
    let p = f.display();
    assert_eq!(stdout, "before\n");
    assert_eq!(code, 1);
    let want = format!(
        "{p}:2\n  return obj.missing.deeper;\n                     ^\n\nTypeError: Cannot read properties of undefined (reading 'deeper')\n    at inner ({p}:2:22)\n    at outer ({p}:5:10)\n    at Object.<anonymous> ({p}:8:1)\n"
    );
    assert!(stderr.starts_with(&want), "got:\n{stderr}\nwant:\n{want}");

    // A thrown Error: the caret is at `throw`, the frame at `new Error`; extra own
    // properties follow the stack in braces.
    std::fs::write(
        &f,
        "const e = new Error('with props'); e.code = 'ECODE'; throw e;\n",
    )
    .unwrap();
    let (_, stderr, code) = run(&f);
    assert_eq!(code, 1);
    let want = format!(
        "{p}:1\nconst e = new Error('with props'); e.code = 'ECODE'; throw e;\n                                                     ^\n\nError: with props\n    at Object.<anonymous> ({p}:1:11) {{\n  code: 'ECODE'\n}}\n\n"
    );
    assert!(stderr.starts_with(&want), "got:\n{stderr}\nwant:\n{want}");

    // A thrown primitive: a leading blank line, no blank line after the caret, the hint.
    std::fs::write(&f, "throw 'a string';\n").unwrap();
    let (_, stderr, code) = run(&f);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(&format!("\n{p}:1\nthrow 'a string';\n^\na string\n(Use `")),
        "{stderr}"
    );
}

#[test]
fn print_flag_prints_the_completion_value() {
    for (code, want) in [
        ("1 + 2", "3\n"),
        ("'s' + 1", "s1\n"),
        ("let a = [1]; a.length", "1\n"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_minijs"))
            .args(["-p", code])
            .output()
            .expect("minijs runs");
        assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{code}");
    }
}

#[test]
fn dump_bytecode_lists_every_function() {
    let out = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .args(["--dump-bytecode", "-e", "function f(a) { return a + 1 }"])
        .output()
        .expect("minijs runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("function <anonymous>/f (Normal, 1 params"),
        "{text}"
    );
    assert!(text.contains("Add r"), "{text}");
}

#[test]
fn gc_is_defined_only_with_expose_gc_in_either_position() {
    let dir = std::env::temp_dir().join(format!("minijs-gcflag-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("g.js");
    std::fs::write(
        &f,
        "console.log(typeof gc)\ntry { global.gc() } catch (e) { console.log(e.message) }\n",
    )
    .unwrap();
    let run_args = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_minijs"))
            .args(args)
            .output()
            .expect("minijs runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let p = f.to_str().unwrap();
    assert_eq!(run_args(&[p]), "undefined\nglobal.gc is not a function\n");
    assert_eq!(run_args(&[p, "--expose-gc"]), "function\n");
    assert_eq!(run_args(&["--expose-gc", p]), "function\n");
}

/// The non-moving heap's compaction: a full collection that frees most of a large heap gives
/// the allocator's empty pages back to the system at once (the resident size falls), without
/// waiting for later allocation to purge them.
#[test]
fn a_full_collection_that_frees_most_of_the_heap_gives_memory_back() {
    let dir = std::env::temp_dir().join(format!("minijs-release-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("release.js");
    std::fs::write(
        &f,
        "const rss = () => process.memoryUsage().rss\n\
         let a = []\n\
         for (let i = 0; i < 300000; i++) a.push({ i, s: 'x' + i, arr: [i, i + 1] })\n\
         const full = rss()\n\
         a = null\n\
         gc()\n\
         const after = rss()\n\
         console.log(full > 60 * 2 ** 20, after < full / 3, process.memoryUsage().heapUsed < 2 ** 20)\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .arg("--expose-gc")
        .arg(&f)
        .output()
        .expect("minijs runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "true true true\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn heap_limit_ends_with_node_s_fatal_error() {
    let dir = std::env::temp_dir().join(format!("minijs-oom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("oom.js");
    std::fs::write(&f, "const a = []\nwhile (true) a.push({ x: a.length })\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .arg("--max-old-space-size=32")
        .arg(&f)
        .output()
        .expect("minijs runs");
    assert_eq!(out.status.code(), Some(134));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"
        ),
        "{stderr}"
    );
}

#[test]
fn unhandled_rejection_is_reported_where_the_error_was_made() {
    let dir = std::env::temp_dir().join(format!("minijs-unhandled-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("ur.js");
    std::fs::write(
        &f,
        "Promise.reject(new Error('boom'))\nsetTimeout(() => console.log('never'), 50)\n",
    )
    .unwrap();
    let (stdout, stderr, code) = run(&f);
    let p = f.display();
    assert_eq!((stdout.as_str(), code), ("", 1));
    let want = format!(
        "{p}:1\nPromise.reject(new Error('boom'))\n               ^\n\nError: boom\n    at Object.<anonymous> ({p}:1:16)\n"
    );
    assert!(stderr.starts_with(&want), "got:\n{stderr}\nwant:\n{want}");
}

#[test]
fn console_time_and_warnings() {
    let dir = std::env::temp_dir().join(format!("minijs-time-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("t.js");
    std::fs::write(
        &f,
        "console.time()\nconsole.timeLog('default', 'x', { a: 1 })\nconsole.timeEnd()\nconsole.timeEnd('nope')\nconsole.time('a'); console.time('a')\n",
    )
    .unwrap();
    let (stdout, stderr, code) = run(&f);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with("default: ") && lines[0].ends_with("ms x { a: 1 }"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("default: ") && lines[1].ends_with("ms"),
        "{stdout}"
    );
    assert!(stderr.contains(") Warning: No such label 'nope' for console.timeEnd()\n(Use `minijs --trace-warnings ...` to show where the warning was created)\n"), "{stderr}");
    assert!(
        stderr.contains(") Warning: Label 'a' already exists for console.time()"),
        "{stderr}"
    );
}

/// Runs `src` as a script file named `name` in a fresh directory: (stdout, stderr, status).
fn run_source(dir_name: &str, src: &str) -> (String, String, i32, String) {
    let dir = std::env::temp_dir().join(format!("minijs-{dir_name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("main.js");
    std::fs::write(&f, src).unwrap();
    let (stdout, stderr, code) = run(&f);
    (stdout, stderr, code, f.display().to_string())
}

/// A rejection whose reason is not an Error: node's UnhandledPromiseRejection, reported at
/// node's own line, with the code, exit status 1; nothing after it runs.
#[test]
fn unhandled_non_error_rejection_prints_node_s_report() {
    let (stdout, stderr, code, _) = run_source(
        "unhandled-42",
        "process.exitCode = 3\nconsole.log('sync')\nPromise.reject(42)\nsetTimeout(() => console.log('never'), 1)\n",
    );
    assert_eq!((stdout.as_str(), code), ("sync\n", 1));
    let want = "node:internal/process/promises:389
      new UnhandledPromiseRejection(reason);
      ^

UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason \"42\".
    at throwUnhandledRejectionsMode (node:internal/process/promises:389:7)
    at processPromiseRejections (node:internal/process/promises:470:17)
    at process.processTicksAndRejections (node:internal/process/task_queues:96:32) {
  code: 'ERR_UNHANDLED_REJECTION'
}

minijs v0.1.0
";
    assert_eq!(stderr, want);
    // Objects are named as V8's NoSideEffectsToString names them.
    for (reason, shown) in [
        ("{ a: 1 }", "#<Object>"),
        ("[1, 2]", "[object Array]"),
        ("'str'", "str"),
        ("undefined", "undefined"),
        ("Symbol('s')", "Symbol(s)"),
        ("new (class Foo {})", "#<Foo>"),
        ("Object.create(null)", "[object Object]"),
    ] {
        let (_, stderr, code, _) =
            run_source("unhandled-kinds", &format!("Promise.reject({reason})\n"));
        assert_eq!(code, 1);
        assert!(
            stderr.contains(&format!("with the reason \"{shown}\".\n")),
            "{reason}: {stderr}"
        );
    }
}

/// An Error without frames (Promise.any's AggregateError) and an error-like object (an own
/// `stack`): reported at node's `triggerUncaughtException` line.
#[test]
fn unhandled_rejections_without_a_place_point_at_node_s_line() {
    let (_, stderr, code, _) = run_source("unhandled-any", "Promise.any([])\n");
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "node:internal/process/promises:391\n    triggerUncaughtException(err, true /* fromPromise */);\n    ^\n\n[AggregateError: All promises were rejected] { [errors]: [] }\n\nminijs v0.1.0\n"
    );
    let (_, stderr, code, _) =
        run_source("unhandled-errorlike", "Promise.reject({ stack: 'x' })\n");
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "\nnode:internal/process/promises:391\n    triggerUncaughtException(err, true /* fromPromise */);\n    ^\n{ stack: 'x' }\n\nminijs v0.1.0\n"
    );
}

/// node looks at rejections once the ticks and microtasks of a callback have drained: a
/// handler added later in the same drain (a later microtask turn, a nextTick) is in time, one
/// added by a timer is not; a rejection in a timer ends the process after that timer's drain.
#[test]
fn unhandled_rejections_are_checked_when_the_drain_ends() {
    let (stdout, stderr, code, _) = run_source(
        "unhandled-in-time",
        "const a = Promise.reject(new Error('a'))\n\
         Promise.resolve().then(() => 0).then(() => 0).then(() => a.catch(() => console.log('a caught')))\n\
         const b = Promise.reject('b')\n\
         process.nextTick(() => b.catch(() => console.log('b caught')))\n",
    );
    assert_eq!(
        (stdout.as_str(), stderr.as_str(), code),
        ("b caught\na caught\n", "", 0)
    );

    let (stdout, stderr, code, p) = run_source(
        "unhandled-too-late",
        "const a = Promise.reject(new Error('late'))\n\
         setTimeout(() => a.catch(() => console.log('too late')), 0)\n\
         Promise.resolve().then(() => console.log('microtask runs first'))\n",
    );
    assert_eq!((stdout.as_str(), code), ("microtask runs first\n", 1));
    assert!(
        stderr.starts_with(&format!(
            "{p}:1\nconst a = Promise.reject(new Error('late'))\n                         ^\n\nError: late\n    at Object.<anonymous> ({p}:1:26)\n"
        )),
        "{stderr}"
    );

    let (stdout, stderr, code, _) = run_source(
        "unhandled-in-timer",
        "setTimeout(() => {\n  Promise.resolve().then(() => { throw new TypeError('in a handler') })\n  process.nextTick(() => console.log('tick'))\n  Promise.resolve().then(() => console.log('microtask'))\n}, 1)\n\
         setTimeout(() => console.log('never'), 20)\n",
    );
    assert_eq!((stdout.as_str(), code), ("tick\nmicrotask\n", 1));
    assert!(
        stderr.contains("\nTypeError: in a handler\n    at "),
        "{stderr}"
    );
}

/// `--script` has no event loop, but promise jobs run when the script ends.
#[test]
fn script_mode_runs_promise_jobs() {
    let dir = std::env::temp_dir().join(format!("minijs-script-jobs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("s.js");
    std::fs::write(
        &f,
        "Promise.resolve(1).then((v) => console.log('job', v))\nconsole.log('sync')\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .arg("--script")
        .arg(&f)
        .output()
        .expect("minijs runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "sync\njob 1\n");
    assert_eq!(out.status.code(), Some(0));
}

/// An environment value that is not UTF-8 is decoded lossily, as node does, and a TZ that
/// names nothing is UTC under the name "GMT+00:00".
#[cfg(unix)]
#[test]
fn env_values_that_are_not_utf8_do_not_panic() {
    use std::os::unix::ffi::OsStrExt;
    let out = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .args([
            "-p",
            "JSON.stringify([process.env.TZ, String(new Date(0))])",
        ])
        .env("TZ", std::ffi::OsStr::from_bytes(b"A\xff"))
        .output()
        .expect("minijs runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "[\"A\u{fffd}\",\"Thu Jan 01 1970 00:00:00 GMT+0000 (GMT+00:00)\"]\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
