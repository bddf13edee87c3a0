use std::cell::RefCell;

use super::*;

/// A test cell: a named node with outgoing references.
struct Node {
    name: &'static str,
    next: RefCell<Vec<Gc<Node>>>,
}

impl Trace for Node {
    fn trace(&self, t: &mut dyn Tracer) {
        let Node { name: _, next } = self;
        for (i, n) in next.borrow().iter().enumerate() {
            t.edge(EdgeName::Index(i as u32), (*n).into());
        }
    }
    fn self_size(&self) -> usize {
        HEADER_BYTES + std::mem::size_of::<Node>() + self.next.borrow().capacity() * 8
    }
    fn kind(&self) -> &'static str {
        "Node"
    }
}

fn node(heap: &mut Heap, name: &'static str) -> Gc<Node> {
    heap.alloc(Node {
        name,
        next: RefCell::new(Vec::new()),
    })
}

/// Stores `b` into `a` without the write barrier (only right after allocating `a`, or to
/// check that the verify pass catches a missed barrier).
fn link(a: Gc<Node>, b: Gc<Node>) {
    a.get().next.borrow_mut().push(b);
}

/// Stores `b` into `a` through the write barrier (INV-4).
fn store(heap: &Heap, a: Gc<Node>, b: Gc<Node>) {
    a.get().next.borrow_mut().push(b);
    heap.write_barrier(a, Some(b.into()));
}

fn roots_of(list: &[Gc<Node>]) -> impl FnMut(&mut dyn Tracer) + '_ {
    move |t| {
        for r in list {
            t.edge(EdgeName::Internal("root"), (*r).into());
        }
    }
}

#[test]
fn unreachable_cycles_are_freed() {
    let mut heap = Heap::new();
    let a = node(&mut heap, "a");
    let b = node(&mut heap, "b");
    link(a, b);
    link(b, a);
    let keep = node(&mut heap, "keep");
    assert_eq!(heap.cell_count(), 3);
    let report = heap.collect(&mut roots_of(&[keep]));
    assert_eq!(report.cells_after, 1);
    assert_eq!(keep.get().name, "keep");
}

#[test]
fn reachable_cycles_survive() {
    let mut heap = Heap::new();
    let a = node(&mut heap, "a");
    let b = node(&mut heap, "b");
    link(a, b);
    link(b, a);
    heap.collect(&mut roots_of(&[a]));
    assert_eq!(heap.cell_count(), 2);
    assert_eq!(a.get().next.borrow()[0].get().name, "b");
}

#[test]
fn a_million_long_list_is_traced_without_recursion() {
    let mut heap = Heap::new();
    let head = node(&mut heap, "head");
    let mut tail = head;
    for _ in 0..1_000_000 {
        let n = node(&mut heap, "n");
        link(tail, n);
        tail = n;
    }
    let report = heap.collect(&mut roots_of(&[head]));
    assert_eq!(report.cells_after, 1_000_001);
    let report = heap.collect(&mut roots_of(&[]));
    assert_eq!(report.cells_after, 0);
}

#[test]
fn used_bytes_after_a_collection_equal_the_live_self_sizes() {
    let mut heap = Heap::new();
    let root = node(&mut heap, "root");
    for i in 0..100 {
        let n = node(&mut heap, "n");
        if i % 3 == 0 {
            link(root, n);
        }
    }
    heap.collect(&mut roots_of(&[root]));
    let mut sum = 0;
    heap.for_each_cell(|_, kind, size| {
        assert_eq!(kind, "Node");
        sum += size;
    });
    assert_eq!(heap.used_bytes(), sum);
    assert_eq!(heap.cell_count(), 1 + 34);
}

#[test]
fn ids_are_stable_across_collections_and_never_reused() {
    let mut heap = Heap::new();
    let a = node(&mut heap, "a");
    let b = node(&mut heap, "b");
    let (ida, idb) = (a.id(), b.id());
    assert_eq!(ida % 2, 1);
    assert_eq!(idb, ida + 2);
    heap.collect(&mut roots_of(&[b]));
    assert_eq!(b.id(), idb);
    let c = node(&mut heap, "c");
    assert!(c.id() > idb, "ids are not reused after {ida} was freed");
}

#[test]
fn collections_are_deterministic() {
    let run = || {
        let mut heap = Heap::new();
        let root = node(&mut heap, "root");
        let mut reports = Vec::new();
        for round in 0..5 {
            for i in 0..1000 {
                let n = node(&mut heap, "n");
                if (i + round) % 7 == 0 {
                    link(root, n);
                }
            }
            reports.push(heap.collect(&mut roots_of(&[root])));
        }
        reports
    };
    assert_eq!(run(), run());
}

#[test]
fn minor_collections_free_short_lived_garbage() {
    let mut heap = Heap::new();
    let root = node(&mut heap, "root");
    heap.collect(&mut roots_of(&[root]));
    let live = heap.used_bytes();
    for _ in 0..10_000 {
        let a = node(&mut heap, "garbage");
        let b = node(&mut heap, "garbage");
        link(a, b);
        link(b, a); // young cycles die too
    }
    assert_eq!(heap.young_count(), 20_000);
    heap.verify_generations();
    let report = heap.collect_minor(&mut roots_of(&[root]));
    assert_eq!(report.cells_after, 1);
    assert_eq!(heap.cell_count(), 1);
    assert_eq!(heap.used_bytes(), live);
    assert_eq!((heap.minor_collections(), heap.full_collections()), (1, 1));
}

#[test]
fn an_old_cell_keeps_a_young_one_through_the_barrier() {
    let mut heap = Heap::new();
    let root = node(&mut heap, "root");
    let old = node(&mut heap, "old");
    link(root, old);
    heap.collect(&mut roots_of(&[root]));
    // `old` is reachable only through `root`; a young chain hangs from it.
    let young = node(&mut heap, "young");
    let younger = node(&mut heap, "younger");
    link(young, younger);
    store(&heap, old, young);
    assert_eq!(heap.remembered_count(), 1);
    heap.verify_generations();
    heap.collect_minor(&mut roots_of(&[root]));
    assert_eq!(heap.cell_count(), 4);
    assert_eq!(heap.remembered_count(), 0);
    let y = old.get().next.borrow()[0];
    assert_eq!(y.get().name, "young");
    assert_eq!(y.get().next.borrow()[0].get().name, "younger");
    // Survivors are old now: a second minor collection keeps them without any barrier.
    heap.verify_generations();
    heap.collect_minor(&mut roots_of(&[root]));
    assert_eq!(heap.cell_count(), 4);
}

#[test]
#[should_panic(expected = "missed write barrier")]
fn the_verify_pass_finds_a_missed_barrier() {
    let mut heap = Heap::new();
    let root = node(&mut heap, "root");
    heap.collect(&mut roots_of(&[root]));
    let young = node(&mut heap, "young");
    link(root, young); // no barrier
    heap.verify_generations();
}

#[test]
fn minor_collections_do_not_trace_old_cells() {
    let mut heap = Heap::new();
    let root = node(&mut heap, "root");
    let dropped = node(&mut heap, "dropped");
    link(root, dropped);
    heap.collect(&mut roots_of(&[root]));
    // Unreachable old cells stay until a full collection (old is live by definition).
    heap.collect_minor(&mut roots_of(&[]));
    assert_eq!(heap.cell_count(), 2);
    heap.collect(&mut roots_of(&[]));
    assert_eq!(heap.cell_count(), 0);
    assert_eq!(heap.used_bytes(), 0);
}

#[test]
fn used_bytes_stay_exact_across_minor_collections() {
    let mut heap = Heap::new();
    let root = node(&mut heap, "root");
    heap.collect(&mut roots_of(&[root]));
    for round in 0..5 {
        for i in 0..500 {
            let n = node(&mut heap, "n");
            if (i + round) % 5 == 0 {
                store(&heap, root, n);
            }
        }
        heap.verify_generations();
        heap.collect_minor(&mut roots_of(&[root]));
        // The remembered root grew its vector: re-measured by the minor collection.
        let mut sum = 0;
        heap.for_each_cell(|_, _, size| sum += size);
        assert_eq!(heap.used_bytes(), sum);
    }
    heap.collect(&mut roots_of(&[root]));
    heap.verify_full();
}

#[test]
fn mixed_collections_are_deterministic() {
    let run = || {
        let mut heap = Heap::new();
        let root = node(&mut heap, "root");
        let mut reports = Vec::new();
        for round in 0..12 {
            for i in 0..1000 {
                let n = node(&mut heap, "n");
                if (i + round) % 11 == 0 {
                    store(&heap, root, n);
                }
            }
            if round % 4 == 3 {
                reports.push(heap.collect(&mut roots_of(&[root])));
            } else {
                heap.verify_generations();
                reports.push(heap.collect_minor(&mut roots_of(&[root])));
            }
        }
        (reports, heap.used_bytes(), heap.cell_count())
    };
    assert_eq!(run(), run());
}

/// Runs `src`, makes everything old (a full collection), calls the global `mutate()`, which
/// stores new objects into old ones, checks INV-4, runs a minor collection, and returns what
/// the global `check()` returns.
fn barrier_script(src: &str) -> String {
    use crate::vm::interp::Vm;
    use crate::vm::value::Value;
    let program = crate::syntax::parse(src).expect("parses");
    let proto = crate::vm::compiler::compile_script(&program).expect("compiles");
    let mut vm = Vm::new();
    let source = std::rc::Rc::new(crate::source::SourceFile::new("t.js", src.to_string()));
    let code = vm.load(&source, proto);
    vm.run_script(code).expect("runs");
    let call = |vm: &mut Vm, name: &str| {
        let k = vm.intern(name);
        let f = vm.get(Value::heap(vm.global), k).expect("a global");
        vm.call(f, Value::UNDEFINED, &[]).expect("runs")
    };
    let drain = |vm: &mut Vm| {
        while let Some((f, args)) = vm.host.microtasks.pop_front() {
            vm.call(f, Value::UNDEFINED, &args).expect("a job");
        }
    };
    vm.collect();
    assert_eq!(vm.heap.young_count(), 0);
    call(&mut vm, "mutate");
    drain(&mut vm);
    vm.heap.verify_generations();
    vm.collect_minor();
    vm.collect_minor();
    let out = call(&mut vm, "check");
    drain(&mut vm);
    let out = if src.contains("function result") {
        call(&mut vm, "result")
    } else {
        out
    };
    vm.to_rust_string(out).expect("a string")
}

#[test]
fn every_barrier_path_keeps_young_objects_alive() {
    let src = r#"
        var o = { a: 1 }, arr = [1, 2, 3], m = new Map(), s = new Set(), wm = new WeakMap();
        var key = {}, dict = { x: 1 }; delete dict.x;
        var proto = Object.create(null), fns = [];
        function cell() { var v = { n: 0 }; return [function () { return v; }, function (x) { v = x; }]; }
        var c = cell();
        function* g() { var got = yield 1; yield got; }
        var it = g(); it.next();
        var pending, p = new Promise(function (r) { pending = r; });
        var settled;
        p.then(function (v) { settled = v; });
        class K { get v() { return this._v; } }
        var k = new K();
        function mutate() {
            o.b = { n: 'prop' };                       // new property (shape transition)
            o.a = { n: 'slot' };                        // existing slot
            arr[1] = { n: 'index' };
            arr.push({ n: 'push' });
            arr.unshift({ n: 'unshift' });
            arr.splice(2, 0, { n: 'splice' });
            m.set({ n: 'mkey' }, { n: 'mval' });
            s.add({ n: 'sadd' });
            wm.set(key, { n: 'weak' });
            dict.y = { n: 'dict' };
            Object.defineProperty(o, 'd', { value: { n: 'define' }, enumerable: false });
            Object.setPrototypeOf(proto, { n: 'proto' });
            c[1]({ n: 'closure' });
            it.next({ n: 'generator' });
            k._v = { n: 'class' };
            pending({ n: 'promise' });
        }
        function check() {
            var mk, mv; m.forEach(function (v, kk) { mk = kk; mv = v; });
            var sv; s.forEach(function (v) { sv = v; });
            return [o.b.n, o.a.n, arr[2].n, arr[arr.length - 1].n, arr[0].n, arr[2 + 1].n, mk.n, mv.n,
                    sv.n, wm.get(key).n, dict.y.n, o.d.n, Object.getPrototypeOf(proto).n,
                    c[0]().n, k.v.n].join();
        }
        function result() { return check() + '|' + settled.n; }
    "#;
    assert_eq!(
        barrier_script(src),
        "prop,slot,splice,push,unshift,index,mkey,mval,sadd,weak,dict,define,proto,closure,class|promise"
    );
}

impl Tagged for Node {
    const TAG: u64 = 6;
}

struct Other;
impl Trace for Other {
    fn trace(&self, _: &mut dyn Tracer) {}
    fn self_size(&self) -> usize {
        HEADER_BYTES
    }
    fn kind(&self) -> &'static str {
        "Other"
    }
}
impl Tagged for Other {
    const TAG: u64 = 5;
}

#[test]
fn tagged_words_decode_only_as_their_own_type() {
    let mut heap = Heap::new();
    let n = node(&mut heap, "n");
    let o = heap.alloc(Other);
    let wn = encode(n);
    let wo = encode(o);
    assert_eq!(decode::<Node>(wn), Some(n));
    assert_eq!(decode::<Other>(wo), Some(o));
    assert_eq!(decode::<Other>(wn), None);
    assert_eq!(decode::<Node>(wo), None);
    assert_eq!(decode::<Node>(1.5f64.to_bits()), None);
    let v = crate::vm::value::Value::heap(n);
    assert!(!v.is_number());
    assert_eq!(v.as_heap::<Node>().map(|g| g.get().name), Some("n"));
}

#[test]
fn a_script_run_twice_collects_identically() {
    use crate::vm::interp::Vm;
    let src = "var keep = []; var t = 0;
        for (let i = 0; i < 300000; i++) {
            const o = { i: i, s: 'n' + (i % 100), a: [i] };
            if (i % 50 === 0) keep.push(o);
            t += o.a[0];
        }";
    let run = || {
        let program = crate::syntax::parse(src).expect("parses");
        let proto = crate::vm::compiler::compile_script(&program).expect("compiles");
        let mut vm = Vm::new();
        let source = std::rc::Rc::new(crate::source::SourceFile::new("t.js", src.to_string()));
        let code = vm.load(&source, proto);
        vm.run_script(code).expect("runs");
        let during = (
            vm.heap.minor_collections(),
            vm.heap.full_collections(),
            vm.heap.used_bytes(),
            vm.heap.cell_count(),
        );
        vm.collect();
        vm.heap.verify_full();
        (during, vm.heap.used_bytes(), vm.heap.cell_count())
    };
    let first = run();
    assert!(
        first.0 .0 > 0,
        "short-lived objects made minor collections: {first:?}"
    );
    assert_eq!(first, run());
}
