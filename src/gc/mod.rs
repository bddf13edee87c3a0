//! # The heap: minijs's own garbage collector
//!
//! Everything JavaScript can reach — objects, arrays, functions, closure environments, shapes,
//! runtime strings, bytecode — lives here, reached only through handles this collector knows.
//! The same tracing routine serves marking, statistics, HeapDiff and the V8 heap snapshot, so
//! every number minijs reports counts something that really happened.
//!
//! ## Object model seen by the collector
//!
//! Every heap cell starts with a `Header`:
//!
//! | field   | bits | meaning |
//! |---------|------|---------|
//! | `kind`  | 8    | `HeapKind` (Object, Array, Function, Closure env, Shape, String, Code, …) |
//! | `flags` | 8    | mark bit, `old` bit (survived a collection), `remembered` bit |
//! | `size`  | 32   | self size in bytes: the cell plus out-of-line storage it owns |
//! | `id`    | 64   | stable object id, assigned at allocation from a counter (odd, step 2, as V8's snapshot ids) |
//!
//! Cells never move, so ids and raw `Gc<T>` pointers stay valid across collections;
//! "compaction" means returning empty pages to the system, and is counted only when it does.
//!
//! Each kind implements `Trace`:
//! `fn trace(&self, t: &mut dyn Tracer)` calls `t.edge(EdgeName, Value)` for every outgoing
//! reference, with a cheap name (`Prop(atom)`, `Index(u32)`, `Internal("context")`, …) that the
//! marker ignores and the snapshot writer records; `fn class_name(&self, heap) -> Name` (the
//! constructor name, the function's name for closures) and `self_size()` come from the header.
//! Manual `Trace` impls destructure the struct exhaustively, so a new field is a compile error
//! until someone decides whether it is traced.
//!
//! ## Allocation
//!
//! Size-segregated pages (16-byte granularity up to 512 B, then a large-object list). A page is
//! 64 KiB; a free cell is on its class's free list. Out-of-line storage (property slot vectors,
//! element vectors, string bytes, bytecode) is owned by its cell and counted in its `size`.
//! `heap.used_bytes` is maintained on every allocation, resize and free; after a full collection
//! it equals the sum of the live cells' sizes (checked by `verify`).
//!
//! ## Roots (INV-1)
//!
//! 1. the VM register stack up to the top frame's extent, and every frame's function;
//! 2. the realm: global object, intrinsics (prototypes, constructors), the atom table's
//!    permanent atoms;
//! 3. the handle stack: `Rooted` temporaries pushed by native code (see INV-3);
//! 4. the runtime's queues: microtasks, nextTick, timers, pending I/O callbacks;
//! 5. the remembered set (minor collections only).
//!
//! ## When a collection may run (INV-2)
//!
//! Only inside an allocation (`Heap::alloc*`), and only when allocation debt passes the threshold
//! (or at every allocation under `MINIJS_GC_STRESS=1`). No other call collects. So: a `Gc`
//! obtained after the last allocating call is safe; one held *across* an allocating call must
//! be rooted.
//!
//! ## Rooting rule for native code (INV-3)
//!
//! A native function's arguments are slots of the VM register stack, hence rooted. A native that
//! holds a new object across another allocation or a call back into JS pushes it on the handle
//! stack (`let h = heap.root(v);` — popped when the scope guard drops), or stores it into an
//! already-rooted object first (clox's "push before `tableSet`").
//!
//! ## Write barrier (INV-4)
//!
//! Every store of a reference into a heap cell goes through `Heap::write_barrier(owner, value)`:
//! if `owner` is old and not yet remembered and `value` is young, set its `remembered` bit and
//! push it on the remembered set. Setters on objects, arrays, environments and maps call it;
//! nothing writes a `Gc` field directly.
//!
//! ## Two kinds of collection (sticky-mark-bit generational, non-moving)
//!
//! * **Minor** (`num_inc_gc` for memwatch): marks from the roots and the remembered set, but does
//!   not trace into old cells (they are live by definition); sweeps only the young list (cells
//!   allocated since the last collection); survivors become old. Short-lived garbage costs one
//!   list walk.
//! * **Full** (`num_full_gc`): clears every mark, marks from the roots through everything, sweeps
//!   every page, rebuilds free lists, returns empty pages, clears the remembered set.
//!
//! Marking uses an explicit gray stack, never recursion (a 1,000,000-long list is a loop). The
//! invariant between collections: no old cell points to a young cell unless it is in the
//! remembered set (checked by `verify` after every collection under stress mode).
//!
//! ## Pacing
//!
//! Debt in bytes allocated since the last collection. A minor collection starts when debt >
//! `max(MINOR_MIN = 1 MiB, young budget)`; a full one when the old generation has grown by
//! `FULL_GROWTH = 100 %` since the last full collection (`next_full = max(4 MiB, live × 2)`).
//! All in bytes of self size, never wall-clock time, so runs are deterministic.
//!
//! ## Weak references
//!
//! WeakMap/WeakSet are ephemeron tables: after marking, entries whose key is unmarked are
//! removed (values traced only once their key is marked, iterated to a fixed point).
//!
//! ## Limits
//!
//! `--max-old-space-size=MB` bounds `used_bytes`; past it, after a last-resort full collection,
//! minijs prints node's `FATAL ERROR: … JavaScript heap out of memory` and exits non-zero.
//!
//! ## Observability
//!
//! A hook after every collection receives `{ kind, used_before, used_after, pause, freed,
//! pages_released }`; memwatch, `--trace-gc`, `process.memoryUsage()` and `v8.getHeapStatistics()`
//! read it. `Heap::for_each_live(|id, kind, class, size, edges|)` walks live cells with the same
//! `Trace` routine, for HeapDiff and the snapshot writer.
//!
//! ## What exists today
//!
//! The core below: typed handles (`Gc<T>`, all `unsafe` in `raw.rs`), the `Trace` visitor,
//! iterative marking from caller-supplied roots, sweeping, stable ids and exact byte accounting
//! after each collection. One `Box` per cell for now; pages, the young generation, the write
//! barrier, pacing, weak tables and limits are the GC issue's work.

mod raw;

use raw::ErasedCell;
pub use raw::{decode, encode, Gc, Tagged, TAG_BASE, TAG_SHIFT};

/// A type-erased handle, as edges carry them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct AnyGc(ErasedCell);

impl<T: Trace + 'static> From<Gc<T>> for AnyGc {
    fn from(g: Gc<T>) -> AnyGc {
        AnyGc(g.erase())
    }
}

impl AnyGc {
    pub fn id(&self) -> u64 {
        raw::cell_parts(self.0).0.id
    }

    /// The cell's value, to look at as its concrete type (`as_any`), as [`Gc::get`] does.
    pub fn get(&self) -> &dyn Trace {
        raw::cell_parts(self.0).1
    }
}

/// The name of an edge: ignored by marking, recorded by statistics and heap snapshots.
#[derive(Debug, Clone, Copy)]
pub enum EdgeName<'a> {
    /// A named property.
    Prop(&'a str),
    /// An array element.
    Index(u32),
    /// An engine-internal reference (`context`, `shared`, `__proto__`, `map`, …).
    Internal(&'static str),
    /// A named property whose name is the text of a heap string (the property key's atom):
    /// only reported to tracers that want names, which read the text if they need it.
    Key(AnyGc),
}

/// Receives the edges of a cell.
pub trait Tracer {
    fn edge(&mut self, name: EdgeName<'_>, to: AnyGc);
    /// Whether edge names are used (the marker ignores them, so cells can skip computing them).
    fn wants_names(&self) -> bool {
        true
    }
    /// Called by a root-set walk before the roots of each category (`"(Stack roots)"`,
    /// `"(Global handles)"`, …): heap snapshots hang them under sub-roots of that name.
    fn root_section(&mut self, _name: &'static str) {}
    /// An entry of a weak collection (WeakMap, WeakSet): `value` is reachable through it only
    /// while `key` is reachable otherwise (an ephemeron). The marker defers it; every other
    /// tracer (statistics, snapshots) sees two ordinary edges.
    fn ephemeron(&mut self, key: AnyGc, value: Option<AnyGc>) {
        self.edge(EdgeName::Internal("key"), key);
        if let Some(v) = value {
            self.edge(EdgeName::Internal("value"), v);
        }
    }
}

/// Implemented by every type that lives in the heap.
///
/// Contract (gc-arena's rules, restated): `trace` reports every handle the value holds, each
/// exactly as stored; a value never reads a handle in its `Drop`; handles are stored into a
/// cell that is already in the heap only through the heap's barrier (INV-4, with the GC issue).
pub trait Trace: AsAny {
    fn trace(&self, t: &mut dyn Tracer);
    /// The cell's self size in bytes: the cell itself plus the storage it owns.
    fn self_size(&self) -> usize;
    /// The kind of cell, for statistics ("Object", "Array", "Closure", …).
    fn kind(&self) -> &'static str;
    /// Called after marking, before sweeping, on each cell that reported ephemerons: drop the
    /// entries whose keys are not live (`is_live`).
    fn clear_dead_weak(&self, _is_live: &dyn Fn(AnyGc) -> bool) {}
}

/// Lets statistics code (HeapDiff, snapshots) look at a cell as its concrete type.
pub trait AsAny {
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<T: 'static> AsAny for T {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The bytes the collector itself adds to every cell (header and allocator rounding aside).
pub const HEADER_BYTES: usize = std::mem::size_of::<raw::Header>();

/// What one collection did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CollectionReport {
    pub used_before: usize,
    pub used_after: usize,
    pub cells_before: usize,
    pub cells_after: usize,
}

/// The heap: every cell, the id counter and the byte count.
pub struct Heap {
    cells: Vec<ErasedCell>,
    next_id: u64,
    used_bytes: usize,
    collections: u64,
    /// Allocation sites, recorded only while someone asked for them (a HeapDiff made with
    /// `{ allocationSites: true }`): otherwise `None`, and allocation pays one branch.
    pub sites: Option<Box<SiteLog>>,
}

/// Where cells were allocated while site tracking is on: the VM sets `current` at each of
/// its allocation points (the code cell's id and the instruction index), and every
/// allocation logs `(cell id, current)`. Ids only grow, so the log is sorted by id.
#[derive(Default)]
pub struct SiteLog {
    pub current: (u64, u32),
    pub log: Vec<(u64, (u64, u32))>,
    /// How many trackers are active (the log is dropped when the last one ends).
    pub users: u32,
}

impl SiteLog {
    /// The site of cell `id`, if it was allocated while tracking was on.
    pub fn site_of(&self, id: u64) -> Option<(u64, u32)> {
        let i = self.log.binary_search_by_key(&id, |e| e.0).ok()?;
        Some(self.log[i].1)
    }
}

impl Default for Heap {
    fn default() -> Self {
        Heap::new()
    }
}

struct Marker {
    gray: Vec<ErasedCell>,
    /// The cell being traced (the holder of the ephemerons it reports).
    current: Option<ErasedCell>,
    /// Ephemerons whose key was not marked yet when their holder was traced.
    pending: Vec<(ErasedCell, Option<ErasedCell>)>,
    /// Cells that reported ephemerons (their dead entries are cleared before the sweep).
    weak_holders: Vec<ErasedCell>,
}

impl Marker {
    fn drain(&mut self) {
        while let Some(cell) = self.gray.pop() {
            self.current = Some(cell);
            let (_, value) = raw::cell_parts(cell);
            value.trace(self);
        }
        self.current = None;
    }

    fn mark(&mut self, cell: ErasedCell) {
        let (header, _) = raw::cell_parts(cell);
        if !header.marked.get() {
            header.marked.set(true);
            self.gray.push(cell);
        }
    }
}

impl Tracer for Marker {
    fn ephemeron(&mut self, key: AnyGc, value: Option<AnyGc>) {
        if let Some(h) = self.current {
            let seen = self
                .weak_holders
                .last()
                .is_some_and(|l| std::ptr::addr_eq(l.as_ptr(), h.as_ptr()));
            if !seen {
                self.weak_holders.push(h);
            }
        }
        let (header, _) = raw::cell_parts(key.0);
        if header.marked.get() {
            if let Some(v) = value {
                self.mark(v.0);
            }
        } else {
            self.pending.push((key.0, value.map(|v| v.0)));
        }
    }
    fn edge(&mut self, _name: EdgeName<'_>, to: AnyGc) {
        let (header, _) = raw::cell_parts(to.0);
        if !header.marked.get() {
            header.marked.set(true);
            self.gray.push(to.0);
        }
    }
    fn wants_names(&self) -> bool {
        false
    }
}

impl Heap {
    pub fn new() -> Heap {
        Heap {
            cells: Vec::new(),
            next_id: 1,
            used_bytes: 0,
            collections: 0,
            sites: None,
        }
    }

    /// Allocates a cell. (The VM's allocation wrapper decides, before calling this, whether to
    /// collect first: INV-2.)
    pub fn alloc<T: Trace + 'static>(&mut self, value: T) -> Gc<T> {
        let size = value.self_size();
        let id = self.next_id;
        self.next_id += 2;
        let g = raw::alloc_cell(value, id);
        self.cells.push(g.erase());
        if let Some(s) = &mut self.sites {
            s.log.push((id, s.current));
        }
        self.used_bytes += size;
        g
    }

    /// Bytes in use: exact after a collection; between collections, cells' growth since
    /// allocation is counted at the next collection.
    pub fn used_bytes(&self) -> usize {
        self.used_bytes
    }

    pub fn cell_count(&self) -> usize {
        self.cells.len()
    }

    pub fn collections(&self) -> u64 {
        self.collections
    }

    /// A full collection: marks everything reachable from `roots` (which reports the root
    /// handles to the tracer it is given), then frees every unmarked cell. Marking uses an
    /// explicit gray stack, so its depth does not depend on the shape of the graph.
    pub fn collect(&mut self, roots: &mut dyn FnMut(&mut dyn Tracer)) -> CollectionReport {
        let used_before = self.used_bytes;
        let cells_before = self.cells.len();
        let mut marker = Marker {
            gray: Vec::new(),
            current: None,
            pending: Vec::new(),
            weak_holders: Vec::new(),
        };
        roots(&mut marker);
        marker.drain();
        // Ephemerons: a value is live once its key is; marking values can mark more keys, so
        // repeat until nothing changes (the classic fixpoint, as V8 and Lua do it).
        loop {
            let pending = std::mem::take(&mut marker.pending);
            let before = pending.len();
            for (k, v) in pending {
                if raw::cell_parts(k).0.marked.get() {
                    if let Some(v) = v {
                        marker.mark(v);
                    }
                } else {
                    marker.pending.push((k, v));
                }
            }
            if marker.pending.len() == before && marker.gray.is_empty() {
                break;
            }
            marker.drain();
        }
        let is_live = |g: AnyGc| raw::cell_parts(g.0).0.marked.get();
        for h in std::mem::take(&mut marker.weak_holders) {
            if raw::cell_parts(h).0.marked.get() {
                raw::cell_parts(h).1.clear_dead_weak(&is_live);
            }
        }
        let used = raw::sweep(&mut self.cells);
        self.used_bytes = used;
        self.collections += 1;
        CollectionReport {
            used_before,
            used_after: used,
            cells_before,
            cells_after: self.cells.len(),
        }
    }

    /// Calls `f(id, cell)` for every cell (after a collection: every live cell), for HeapDiff
    /// and heap snapshots, which name cells by their concrete type (`as_any`).
    pub fn for_each_live(&self, mut f: impl FnMut(u64, &dyn Trace)) {
        for &cell in &self.cells {
            let (header, value) = raw::cell_parts(cell);
            f(header.id, value);
        }
    }

    /// Calls `f(id, kind, self_size)` for every cell, in allocation order of survival (not
    /// sorted); statistics and snapshots sort as they need.
    pub fn for_each_cell(&self, mut f: impl FnMut(u64, &'static str, usize)) {
        for &cell in &self.cells {
            let (header, value) = raw::cell_parts(cell);
            f(header.id, value.kind(), value.self_size());
        }
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        raw::free_all(&mut self.cells);
    }
}

#[cfg(test)]
mod tests;
