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

fn link(a: Gc<Node>, b: Gc<Node>) {
    a.get().next.borrow_mut().push(b);
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
