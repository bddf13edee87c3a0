//! The VM's hot paths, each a small script of 100,000 iterations run on a fresh VM: calls,
//! property get/set through inline caches (own and prototype hits), closure creation, object
//! allocation (with collections), string concatenation, promise reactions (the script, then
//! its microtask jobs), generator resumption and awaits, one full collection of a heap of
//! 1,000,000 small live objects, and short-lived allocation with minor collections beside
//! that old heap.

use criterion::{criterion_group, criterion_main, Criterion};
use std::rc::Rc;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn run(src: &str) {
    let file = minijs::source::SourceFile::new("bench.js", src);
    let program = minijs::syntax::parse(&file.text).expect("parses");
    let proto = minijs::vm::compiler::compile_script(&program).expect("compiles");
    let mut vm = minijs::vm::interp::Vm::new();
    let code = vm.load(&Rc::new(file), proto);
    vm.run_script(code).expect("runs");
    // Promise jobs, as the runtime runs them after a script.
    minijs::runtime::drain_ticks(&mut vm).expect("the jobs run");
}

const CASES: &[(&str, &str)] = &[
    (
        "calls",
        "function add(a, b) { return a + b } let s = 0; for (let i = 0; i < 100000; i++) s = add(s, i)",
    ),
    (
        "property get/set (own, cached)",
        "const o = { x: 0, y: 1 }; for (let i = 0; i < 100000; i++) { o.x = o.x + o.y }",
    ),
    (
        "method call (prototype hit)",
        "class P { constructor() { this.n = 0 } inc() { this.n++ } } const p = new P(); for (let i = 0; i < 100000; i++) p.inc()",
    ),
    (
        "closure creation",
        "let f; for (let i = 0; i < 100000; i++) { f = () => i }",
    ),
    (
        "allocation",
        "let o; for (let i = 0; i < 100000; i++) { o = { a: i, b: [i] } }",
    ),
    (
        "string concatenation",
        "let s = ''; for (let i = 0; i < 100000; i++) { s += 'x' } s.length",
    ),
    (
        "promise reactions (a then chain)",
        "let p = Promise.resolve(0); for (let i = 0; i < 100000; i++) p = p.then((v) => v + 1)",
    ),
    (
        "promise reactions (one promise, many thens)",
        "const p = Promise.resolve(1); let s = 0; for (let i = 0; i < 100000; i++) p.then((v) => { s += v })",
    ),
    (
        "generator (100,000 yields)",
        "function* g(n) { for (let i = 0; i < n; i++) yield i } let s = 0; for (const v of g(100000)) s += v",
    ),
    (
        "async loop (100,000 awaits)",
        "async function f() { let s = 0; for (let i = 0; i < 100000; i++) s += await i; return s } f()",
    ),
];

fn bench_vm(c: &mut Criterion) {
    let mut g = c.benchmark_group("vm");
    g.sample_size(10);
    for (name, src) in CASES {
        g.bench_function(*name, |b| b.iter(|| run(src)));
    }
    g.finish();
}

fn bench_gc(c: &mut Criterion) {
    let mut g = c.benchmark_group("gc");
    g.sample_size(10);
    // A VM holding 1,000,000 small live objects; each iteration is one full collection.
    let file = minijs::source::SourceFile::new(
        "heap.js",
        "var keep = []; for (let i = 0; i < 1000000; i++) keep.push({ i })",
    );
    let program = minijs::syntax::parse(&file.text).expect("parses");
    let proto = minijs::vm::compiler::compile_script(&program).expect("compiles");
    let mut vm = minijs::vm::interp::Vm::new();
    let code = vm.load(&Rc::new(file), proto);
    vm.run_script(code).expect("runs");
    g.bench_function("full collection, 1,000,000 live objects", |b| {
        b.iter(|| vm.collect_hidden())
    });
    // The same old heap; each iteration makes 100,000 short-lived objects (about 20 MB, so
    // the pacing itself runs a few minor collections) and then one more minor collection.
    let file = minijs::source::SourceFile::new(
        "churn.js",
        "function churn() { let o; for (let i = 0; i < 100000; i++) o = { i }; return o }",
    );
    let program = minijs::syntax::parse(&file.text).expect("parses");
    let proto = minijs::vm::compiler::compile_script(&program).expect("compiles");
    let code = vm.load(&Rc::new(file), proto);
    vm.run_script(code).expect("runs");
    vm.collect_hidden();
    let k = vm.intern("churn");
    let churn = vm
        .get(minijs::vm::value::Value::heap(vm.global), k)
        .expect("churn");
    g.bench_function(
        "100,000 short-lived objects + minor collection, 1,000,000 old objects",
        |b| {
            b.iter(|| {
                vm.call(churn, minijs::vm::value::Value::UNDEFINED, &[])
                    .expect("runs");
                vm.collect_minor();
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench_vm, bench_gc);
criterion_main!(benches);
