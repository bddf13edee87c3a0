//! memwatch-next's output as insta snapshots: the stats sequence and leak report of tutorial
//! script 1, the HeapDiff of tutorial script 2 (both driven by an EventEmitter instead of
//! the network), the LeakingClass example and the error cases, and a shrinking heap.
//!
//! Heap numbers are minijs's own accounting, so they are the same on every run: the scripts
//! run under MINIJS_DETERMINISTIC=1 (no environment, fixed pid and clock) from a fixed path
//! (file names are heap strings too).

use std::path::Path;
use std::process::Command;

fn run(name: &str) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/js/memwatch")
        .join(name);
    let dir = Path::new("/tmp/minijs-memwatch-snapshots");
    std::fs::create_dir_all(dir).unwrap();
    let script = dir.join(name);
    std::fs::copy(&src, &script).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .arg(&script)
        .arg("--expose-gc")
        .current_dir(dir)
        .env_clear()
        .env("MINIJS_DETERMINISTIC", "1")
        .output()
        .expect("minijs runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "--- stdout\n{}--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn tutorial1_stats_and_leak() {
    let out = run("tutorial1.js");
    // EventEmitter's warning at the 11th listener (node prints it too).
    assert!(out.contains("MaxListenersExceededWarning"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn tutorial2_heapdiff() {
    let out = run("tutorial2.js");
    // The listeners: 5 × 10,000 closures (plus a handful of the runtime's own).
    assert!(out.contains("what: 'Closure'"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn leaking_class_and_errors() {
    insta::assert_snapshot!(run("leaking_class.js"));
}

#[test]
fn shrinking_heap_gives_a_negative_trend() {
    let out = run("shrinking.js");
    assert!(out.contains(" -"), "{out}");
    insta::assert_snapshot!(out);
}

/// Suspended generators are heap objects: HeapDiff counts 1,000 of them while an array holds
/// them, and their collection once it is dropped (issue 11).
#[test]
fn suspended_generators_in_heapdiff() {
    let out = run("suspended_generators.js");
    assert!(out.contains("Generator +1000\n"), "{out}");
    assert!(out.contains("Generator -1000\n"), "{out}");
}

/// WeakMap and WeakSet entries are ephemerons: dropping the keys frees the values (issue 4).
#[test]
fn weak_collections_release_values_with_their_keys() {
    let out = run("weak_collections.js");
    assert!(out.contains("Array -1000\nObject -1000\n"), "{out}");
    assert!(out.contains("kept true false\nv\n"), "{out}");
}

/// minijs's HeapDiff options (spec §8): `ignoreLessThanBytes` drops small rows, and
/// `allocationSites` gives the growing buckets with the function and line that allocated
/// their new nodes; the result of end() keeps memwatch's shape.
#[test]
fn heapdiff_options_and_allocation_sites() {
    insta::assert_snapshot!(run("allocation_sites.js"));
}

/// The leak report keeps memwatch's `{ growth, reason }` as its enumerable keys; a listener
/// can read the streak behind it (`heap_sizes`, `elapsed_ms`; spec §8).
#[test]
fn leak_report_can_be_expanded() {
    let out = run("leak_expand.js");
    assert!(
        out.contains("[ 'growth', 'reason' ]\n5 true\ntrue\nnumber\n"),
        "{out}"
    );
}

/// Minor collections count as num_inc_gc and emit no 'stats' of their own (spec §2): two
/// million short-lived objects, then memwatch.gc()'s two full collections.
#[test]
fn minor_collections_count_as_num_inc_gc() {
    let out = run("scavenges.js");
    assert!(out.contains("full 2 inc many\n"), "{out}");
}
