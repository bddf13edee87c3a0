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
//! | `size`  | 32   | self size in bytes as last measured: the cell plus out-of-line storage it owns |
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
//! Each cell is one allocation from the process allocator (mimalloc in the binary: its
//! size-segregated pages and free lists play the part of a heap's own pages; see "Giving memory
//! back" below), listed in the young or the old list. Out-of-line storage (property slot
//! vectors, element vectors, string bytes, bytecode) is owned by its cell and counted in its
//! `size`.
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
//! push it on the remembered set. Setters on objects (`set`, `define`, `set_proto`, `set_slot`,
//! `set_index`, `push_element`; `elements_mut` remembers the owner outright, for bulk writes),
//! shapes' transition lists, environments (`StoreEnv`), inline-cache entries in `Code`, and
//! Map/Set/WeakMap/WeakSet entries call it. Methods on `&self` use `write_barrier_in`, which
//! finds the cell from its value (every such value lives in a cell).
//!
//! Cells whose references change in too many places for a barrier per store — generator and
//! async activations (saved frames), promises (reactions, result), host objects and built-in
//! closures with captured slots — say so with `Trace::remember_always`: while old, they are
//! permanently remembered, and every minor collection traces them.
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
//! In bytes of self size, never wall-clock time, so runs are deterministic (constants in
//! `vm/interp.rs`). A collection starts at an allocation point once the bytes allocated since
//! the last one pass the young budget, `clamp(old bytes / 4, 512 KiB, 2 MiB)`. It is a full one
//! when the old generation (grown by the promotions of minor collections) has reached
//! `next_full = max(4 MiB, live after the last full collection × 1.5)`, a minor one otherwise.
//! Growth of a cell's out-of-line storage (an array's elements, an object's property slots, a
//! Map, Set, WeakMap or WeakSet table)
//! counts as allocation (`Heap::note_growth`): a `[]` pushed to a million numbers weighs 8 MB
//! before the next collection measures it.
//! `global.gc()`, memwatch's `gc()` (two, as node 20), HeapDiff and heap snapshots always run
//! full collections; so does the heap limit's last-resort check.
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
//! Typed handles (`Gc<T>`, all `unsafe` in `raw.rs` and `borrow.rs`), the `Trace` visitor, iterative marking
//! from caller-supplied roots, stable ids, ephemeron tables (WeakMap/WeakSet), and the two
//! kinds of collection above: a young list (cells allocated since the last collection) and an
//! old list, the write barrier and remembered set (INV-4), minor collections that mark from the
//! roots and the remembered set and sweep only the young list, full collections over both
//! lists, and the pacing and limit in the VM. `verify_generations` (INV-4, run before every
//! minor collection under `MINIJS_GC_STRESS=1`, where every 8th collection is a full one) and
//! `verify_full` (no young or remembered cell, used bytes = the live self sizes, after every
//! full collection under stress) check the invariants.
//!
//! Accounting: used bytes are exact after a full collection. A minor collection measures the
//! cells it promotes and re-measures the old cells it traces (remembered ones), so the growth
//! of an old cell that was not remembered (an old array given more numbers) is counted at the
//! next full collection.
//!
//! Giving memory back ("compaction" of this non-moving heap): cells are allocated one by one
//! from the process allocator (see Allocation). A full collection that freed at least 8 MiB
//! and half the heap asks the allocator to return its empty pages at once (`Allocator`,
//! installed by main.rs), measures the resident size before and after, and counts a
//! compaction (`Heap::compactions`, `GcEvent::released`) only when it went down. Cells never
//! move, so `moved` is always 0.
//!
//! Not yet: minijs's own size-segregated pages (so no moving compaction); the header is
//! `marked`/`old`/`remembered` flags, the measured size and the id (the kind comes from the
//! value's `Trace` impl).

pub mod borrow;
mod raw;

use std::cell::RefCell;

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
/// exactly as stored; a value never reads a handle in its `Drop`; a handle stored into a cell
/// that is already in the heap is followed by the heap's write barrier (INV-4), unless the
/// type answers `remember_always`.
pub trait Trace: AsAny {
    fn trace(&self, t: &mut dyn Tracer);
    /// The cell's self size in bytes: the cell itself plus the storage it owns.
    fn self_size(&self) -> usize;
    /// The kind of cell, for statistics ("Object", "Array", "Closure", …).
    fn kind(&self) -> &'static str;
    /// Called after marking, before sweeping, on each cell that reported ephemerons: drop the
    /// entries whose keys are not live (`is_live`).
    fn clear_dead_weak(&self, _is_live: &dyn Fn(AnyGc) -> bool) {}
    /// Whether every minor collection traces this cell while it is old, instead of a write
    /// barrier at each store (cells whose references change in many places: coroutines,
    /// promises, host objects, built-in closures' slots). Must not change over the cell's life.
    fn remember_always(&self) -> bool {
        false
    }
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
    /// Resident bytes given back to the system after the collection (full collections that
    /// freed enough, see [`Allocator`]); 0 when nothing was released.
    pub released: usize,
}

/// How the heap gives memory back to the system. Cells never move, so the heap "compacts" by
/// returning the allocator's emptied pages; the binary installs its allocator's hooks
/// (mimalloc's `mi_collect`) with [`set_allocator`]. Without them (the library's own tests)
/// nothing is released and no compaction is counted.
pub struct Allocator {
    /// Returns every empty page the allocator holds to the system, now.
    pub release: fn(),
    /// The process's resident bytes, to measure what a release gave back.
    pub resident: fn() -> usize,
}

static ALLOCATOR: std::sync::OnceLock<Allocator> = std::sync::OnceLock::new();

/// Installs the allocator's hooks (once per process; later calls are ignored).
pub fn set_allocator(a: Allocator) {
    let _ = ALLOCATOR.set(a);
}

/// A full collection asks the allocator to release pages when it freed at least this many
/// bytes of self size and at least half the heap: the pages of that many dead cells are
/// likely empty, and the heap is unlikely to grow back at once (the allocator reuses freed
/// cells in the meantime, so releasing after every collection would only make the next
/// allocations fault the same pages in again).
const RELEASE_MIN_FREED: usize = 8 << 20;

/// The kind of a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GcKind {
    /// A minor collection: the young generation only (memwatch's `num_inc_gc`, node's
    /// `Scavenge` in `--trace-gc`).
    Minor,
    /// A full collection (memwatch's `num_full_gc`, node's `Mark-Compact`).
    Full,
}

/// The heap: every cell (old and young), the remembered set, the id counter and the byte count.
pub struct Heap {
    /// Cells that survived a collection, in survival order.
    old: Vec<ErasedCell>,
    /// Cells allocated since the last collection, in allocation order.
    young: Vec<ErasedCell>,
    /// Old cells that were given a reference to a young cell since the last collection
    /// (INV-4). A `RefCell` so that barriers need only `&Heap`.
    remembered: RefCell<Vec<ErasedCell>>,
    /// Old cells that every minor collection traces (`Trace::remember_always`).
    always: Vec<ErasedCell>,
    next_id: u64,
    used_bytes: usize,
    /// The old generation's bytes (each old cell counted at its last measured size).
    old_bytes: usize,
    /// Out-of-line storage grown since the last collection (`note_growth`), of any cell and
    /// of old cells: `Cell`s so that the growth sites need only `&Heap`. Folded into
    /// `used_bytes`/`old_bytes` when a collection starts.
    grown: std::cell::Cell<usize>,
    old_grown: std::cell::Cell<usize>,
    minor_collections: u64,
    full_collections: u64,
    compactions: u64,
    released_bytes: u64,
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
    /// A minor collection: old cells are live by definition and not traced through.
    minor: bool,
    gray: Vec<ErasedCell>,
    /// The cell being traced (the holder of the ephemerons it reports).
    current: Option<ErasedCell>,
    /// Ephemerons whose key was not marked yet when their holder was traced.
    pending: Vec<(ErasedCell, Option<ErasedCell>)>,
    /// Cells that reported ephemerons (their dead entries are cleared before the sweep).
    weak_holders: Vec<ErasedCell>,
}

impl Marker {
    fn new(minor: bool) -> Marker {
        Marker {
            minor,
            gray: Vec::new(),
            current: None,
            pending: Vec::new(),
            weak_holders: Vec::new(),
        }
    }

    fn drain(&mut self) {
        while let Some(cell) = self.gray.pop() {
            self.current = Some(cell);
            let (_, value) = raw::cell_parts(cell);
            value.trace(self);
        }
        self.current = None;
    }

    /// Whether a cell counts as live: marked, or (minor collection) old.
    #[inline]
    fn is_live(&self, cell: ErasedCell) -> bool {
        let (header, _) = raw::cell_parts(cell);
        header.marked.get() || (self.minor && header.old.get())
    }

    #[inline]
    fn mark(&mut self, cell: ErasedCell) {
        if !self.is_live(cell) {
            raw::cell_parts(cell).0.marked.set(true);
            self.gray.push(cell);
        }
    }

    /// Marks from `roots` (and, for a minor collection, from `extra` old cells), then
    /// resolves ephemerons and clears weak entries whose keys died.
    fn run(&mut self, roots: &mut dyn FnMut(&mut dyn Tracer), extra: &[&[ErasedCell]]) {
        roots(self);
        for list in extra {
            for &cell in list.iter() {
                self.current = Some(cell);
                raw::cell_parts(cell).1.trace(self);
            }
        }
        self.current = None;
        self.drain();
        // Ephemerons: a value is live once its key is; marking values can mark more keys, so
        // repeat until nothing changes (the classic fixpoint, as V8 and Lua do it).
        loop {
            let pending = std::mem::take(&mut self.pending);
            let before = pending.len();
            for (k, v) in pending {
                if self.is_live(k) {
                    if let Some(v) = v {
                        self.mark(v);
                    }
                } else {
                    self.pending.push((k, v));
                }
            }
            if self.pending.len() == before && self.gray.is_empty() {
                break;
            }
            self.drain();
        }
        let minor = self.minor;
        let is_live = |g: AnyGc| {
            let h = raw::cell_parts(g.0).0;
            h.marked.get() || (minor && h.old.get())
        };
        for h in std::mem::take(&mut self.weak_holders) {
            if self.is_live(h) {
                raw::cell_parts(h).1.clear_dead_weak(&is_live);
            }
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
        if self.is_live(key.0) {
            if let Some(v) = value {
                self.mark(v.0);
            }
        } else {
            self.pending.push((key.0, value.map(|v| v.0)));
        }
    }
    #[inline]
    fn edge(&mut self, _name: EdgeName<'_>, to: AnyGc) {
        self.mark(to.0);
    }
    fn wants_names(&self) -> bool {
        false
    }
}

/// Finds an edge from an old cell to a young one (the verify pass).
struct YoungEdgeFinder {
    names: bool,
    found: Option<(String, AnyGc)>,
}

impl Tracer for YoungEdgeFinder {
    fn edge(&mut self, name: EdgeName<'_>, to: AnyGc) {
        if self.found.is_none() && !raw::cell_parts(to.0).0.old.get() {
            let name = match name {
                EdgeName::Prop(p) => format!("property {p:?}"),
                EdgeName::Index(i) => format!("element [{i}]"),
                EdgeName::Internal(n) => format!("internal `{n}`"),
                EdgeName::Key(k) => format!("property keyed by string @{}", k.id()),
            };
            self.found = Some((name, to));
        }
    }
    fn wants_names(&self) -> bool {
        self.names
    }
}

fn measure(cell: ErasedCell) -> (usize, &'static raw::Header) {
    let (header, value) = raw::cell_parts(cell);
    let size = value.self_size();
    header.size.set(size.min(u32::MAX as usize) as u32);
    (size, header)
}

impl Heap {
    pub fn new() -> Heap {
        Heap {
            old: Vec::new(),
            young: Vec::new(),
            remembered: RefCell::new(Vec::new()),
            always: Vec::new(),
            next_id: 1,
            used_bytes: 0,
            old_bytes: 0,
            grown: std::cell::Cell::new(0),
            old_grown: std::cell::Cell::new(0),
            minor_collections: 0,
            full_collections: 0,
            compactions: 0,
            released_bytes: 0,
            sites: None,
        }
    }

    /// Allocates a cell, young. (The VM's allocation wrapper decides, before calling this,
    /// whether to collect first: INV-2.)
    pub fn alloc<T: Trace + 'static>(&mut self, value: T) -> Gc<T> {
        let size = value.self_size();
        let id = self.next_id;
        self.next_id += 2;
        let g = raw::alloc_cell(value, id);
        self.young.push(g.erase());
        if let Some(s) = &mut self.sites {
            s.log.push((id, s.current));
        }
        self.used_bytes += size;
        g
    }

    /// Bytes in use: exact after a full collection. Between collections, new cells are
    /// counted at their size when allocated; a minor collection re-measures the cells it
    /// promotes and the old cells it traces (remembered ones), so growth of an old cell that
    /// was not remembered is counted at the next full collection.
    pub fn used_bytes(&self) -> usize {
        self.used_bytes + self.grown.get()
    }

    /// The old generation's bytes (as `used_bytes`, exact after a full collection).
    pub fn old_bytes(&self) -> usize {
        self.old_bytes + self.old_grown.get()
    }

    /// Bytes allocated since the last collection (the young generation's).
    pub fn young_bytes(&self) -> usize {
        self.used_bytes() - self.old_bytes()
    }

    /// The out-of-line storage of `owner` (a cell's value: an array's elements, an object's
    /// slots, a table's entries) grew by `bytes`. Allocation pacing counts it as allocation,
    /// so an array grown by `push` to a megabyte weighs a megabyte before the next collection
    /// measures it, not the few bytes it had when it was allocated. An old owner's recorded
    /// size grows too, which keeps `old_bytes` equal to the sum of the old cells' recorded
    /// sizes (a minor collection re-measures remembered cells against that record).
    pub fn note_growth<T: Trace + 'static>(&self, owner: &T, bytes: usize) {
        self.grown.set(self.grown.get() + bytes);
        let (header, _) = raw::cell_parts(raw::cell_of_value(owner));
        if header.old.get() {
            let recorded = header.size.get();
            let grown = recorded.saturating_add(u32::try_from(bytes).unwrap_or(u32::MAX));
            header.size.set(grown);
            self.old_grown
                .set(self.old_grown.get() + (grown - recorded) as usize);
        }
    }

    /// Folds the growth noted since the last collection into the byte counts (at the start
    /// of a collection).
    fn fold_growth(&mut self) {
        self.used_bytes += self.grown.take();
        self.old_bytes += self.old_grown.take();
    }

    pub fn cell_count(&self) -> usize {
        self.old.len() + self.young.len()
    }

    pub fn young_count(&self) -> usize {
        self.young.len()
    }

    /// How many old cells are in the remembered set now (not counting the ones every minor
    /// collection traces).
    pub fn remembered_count(&self) -> usize {
        self.remembered.borrow().len()
    }

    /// Collections of both kinds so far.
    pub fn collections(&self) -> u64 {
        self.minor_collections + self.full_collections
    }

    pub fn minor_collections(&self) -> u64 {
        self.minor_collections
    }

    pub fn full_collections(&self) -> u64 {
        self.full_collections
    }

    // ---- The write barrier (INV-4) ----

    #[inline]
    fn remember_cell(&self, cell: ErasedCell) {
        let (header, _) = raw::cell_parts(cell);
        if header.old.get() && !header.remembered.get() {
            header.remembered.set(true);
            self.remembered.borrow_mut().push(cell);
        }
    }

    #[inline]
    fn is_young(value: Option<AnyGc>) -> bool {
        value.is_some_and(|v| !raw::cell_parts(v.0).0.old.get())
    }

    /// The write barrier: call it when `value` is stored into `owner` (a cell already in the
    /// heap). If `owner` is old, not yet remembered, and `value` a young cell, `owner` joins
    /// the remembered set, which the next minor collection traces as a root.
    #[inline]
    pub fn write_barrier(&self, owner: impl Into<AnyGc>, value: Option<AnyGc>) {
        if Heap::is_young(value) {
            self.remember_cell(owner.into().0);
        }
    }

    /// The barrier for a cell mutated in a way that may store references anywhere in it
    /// (a bulk element write, a table rebuilt): remembers `owner` when it is old.
    #[inline]
    pub fn remember(&self, owner: impl Into<AnyGc>) {
        self.remember_cell(owner.into().0);
    }

    /// [`Heap::write_barrier`] for a method of a heap type that has only `&self`: `owner` must
    /// be the value of a heap cell, reached through `Gc::get` (as every `Object`, `Env`, `Shape`
    /// and `Code` is: their values go straight to `Heap::alloc`).
    #[inline]
    pub fn write_barrier_in<T: Trace + 'static>(&self, owner: &T, value: Option<AnyGc>) {
        if Heap::is_young(value) {
            self.remember_cell(raw::cell_of_value(owner));
        }
    }

    /// [`Heap::remember`] from `&self` (same contract as [`Heap::write_barrier_in`]).
    #[inline]
    pub fn remember_in<T: Trace + 'static>(&self, owner: &T) {
        self.remember_cell(raw::cell_of_value(owner));
    }

    // ---- Collections ----

    /// A full collection: marks everything reachable from `roots` (which reports the root
    /// handles to the tracer it is given), then frees every unmarked cell, old or young. Every
    /// survivor is old afterwards and the remembered set is empty. Marking uses an explicit
    /// gray stack, so its depth does not depend on the shape of the graph.
    pub fn collect(&mut self, roots: &mut dyn FnMut(&mut dyn Tracer)) -> CollectionReport {
        self.fold_growth();
        let used_before = self.used_bytes;
        let cells_before = self.cell_count();
        let mut marker = Marker::new(false);
        marker.run(roots, &[]);
        self.remembered.get_mut().clear();
        self.always.clear();
        let mut cells = std::mem::take(&mut self.old);
        cells.append(&mut self.young);
        let mut used = 0;
        let mut i = 0;
        while i < cells.len() {
            let cell = cells[i];
            let (header, value) = raw::cell_parts(cell);
            if header.marked.get() {
                header.marked.set(false);
                header.old.set(true);
                let (size, _) = measure(cell);
                used += size;
                let always = value.remember_always();
                header.remembered.set(always);
                if always {
                    self.always.push(cell);
                }
                i += 1;
            } else {
                cells.swap_remove(i);
                raw::free_unmarked(cell);
            }
        }
        self.old = cells;
        self.used_bytes = used;
        self.old_bytes = used;
        self.full_collections += 1;
        let released = self.release_pages(used_before, used);
        CollectionReport {
            used_before,
            used_after: used,
            cells_before,
            cells_after: self.old.len(),
            released,
        }
    }

    /// After a full collection: gives the allocator's empty pages back to the system when
    /// the collection freed enough (`RELEASE_MIN_FREED`), and counts a compaction when the
    /// resident size really went down. Returns the bytes given back.
    fn release_pages(&mut self, before: usize, after: usize) -> usize {
        let freed = before.saturating_sub(after);
        let Some(a) = ALLOCATOR.get() else { return 0 };
        if freed < RELEASE_MIN_FREED || after > before / 2 {
            return 0;
        }
        let resident = (a.resident)();
        // The cell lists' own storage goes back too (16 bytes per cell that was).
        self.old.shrink_to(self.old.len() * 2);
        self.young.shrink_to_fit();
        (a.release)();
        let released = resident.saturating_sub((a.resident)());
        if released > 0 {
            self.compactions += 1;
            self.released_bytes += released as u64;
        }
        released
    }

    /// Full collections that gave memory back to the system (see [`Allocator`]).
    pub fn compactions(&self) -> u64 {
        self.compactions
    }

    /// The resident bytes those compactions gave back, in all.
    pub fn released_bytes(&self) -> u64 {
        self.released_bytes
    }

    /// A minor collection: marks the young cells reachable from `roots` and from the
    /// remembered set without tracing through old cells (live by definition), frees the
    /// unmarked young cells and promotes the rest. Costs the young generation and the
    /// remembered set, not the old generation.
    pub fn collect_minor(&mut self, roots: &mut dyn FnMut(&mut dyn Tracer)) -> CollectionReport {
        self.fold_growth();
        let used_before = self.used_bytes;
        let cells_before = self.cell_count();
        let remembered = std::mem::take(self.remembered.get_mut());
        let always = std::mem::take(&mut self.always);
        let mut marker = Marker::new(true);
        marker.run(roots, &[&remembered, &always]);
        // Old cells that were traced: re-measure them (stores may have grown them).
        for &cell in remembered.iter().chain(always.iter()) {
            let recorded = raw::cell_parts(cell).0.size.get() as usize;
            let (size, _) = measure(cell);
            self.old_bytes = (self.old_bytes + size).saturating_sub(recorded);
        }
        for &cell in &remembered {
            raw::cell_parts(cell).0.remembered.set(false);
        }
        self.always = always;
        let young = std::mem::take(&mut self.young);
        self.old.reserve(young.len());
        for cell in young {
            let (header, value) = raw::cell_parts(cell);
            if header.marked.get() {
                header.marked.set(false);
                header.old.set(true);
                let (size, _) = measure(cell);
                self.old_bytes += size;
                if value.remember_always() {
                    header.remembered.set(true);
                    self.always.push(cell);
                }
                self.old.push(cell);
            } else {
                raw::free_unmarked(cell);
            }
        }
        self.used_bytes = self.old_bytes;
        self.minor_collections += 1;
        CollectionReport {
            used_before,
            used_after: self.used_bytes,
            cells_before,
            cells_after: self.old.len(),
            released: 0,
        }
    }

    // ---- The verify pass ----

    /// INV-4, checked before a minor collection (under `MINIJS_GC_STRESS=1` and in tests):
    /// no old cell has an edge to a young cell unless it is remembered. Panics naming the
    /// owner's kind and id, the edge and the target otherwise: a missed write barrier.
    pub fn verify_generations(&self) {
        for &cell in &self.old {
            let (header, value) = raw::cell_parts(cell);
            assert!(header.old.get(), "a cell in the old list is not old");
            if header.remembered.get() {
                continue;
            }
            let mut f = YoungEdgeFinder {
                names: false,
                found: None,
            };
            value.trace(&mut f);
            if f.found.is_some() {
                let mut f = YoungEdgeFinder {
                    names: true,
                    found: None,
                };
                value.trace(&mut f);
                let (edge, to) = f.found.expect("the same edge, with its name");
                panic!(
                    "GC verify (INV-4, missed write barrier): old {} @{} has {} to young {} @{} \
                     and is not in the remembered set",
                    value.kind(),
                    header.id,
                    edge,
                    to.get().kind(),
                    to.id()
                );
            }
        }
        for &cell in self.remembered.borrow().iter() {
            let (header, value) = raw::cell_parts(cell);
            assert!(
                header.old.get() && header.remembered.get(),
                "GC verify: remembered set holds {} @{} that is young or unflagged",
                value.kind(),
                header.id
            );
        }
    }

    /// Checked after a full collection: no young cell, no remembered cell, and used bytes
    /// equal to the sum of the live cells' self sizes.
    pub fn verify_full(&self) {
        assert!(
            self.young.is_empty(),
            "GC verify: young cells after a full collection"
        );
        assert!(
            self.remembered.borrow().is_empty(),
            "GC verify: remembered set not empty after a full collection"
        );
        let mut sum = 0;
        for &cell in &self.old {
            let (header, value) = raw::cell_parts(cell);
            assert!(!header.marked.get(), "GC verify: a mark bit left set");
            sum += value.self_size();
        }
        assert_eq!(
            self.used_bytes, sum,
            "GC verify: used bytes after a full collection differ from the live self sizes"
        );
    }

    /// Calls `f(id, cell)` for every cell (after a full collection: every live cell), for
    /// HeapDiff and heap snapshots, which name cells by their concrete type (`as_any`).
    pub fn for_each_live(&self, mut f: impl FnMut(u64, &dyn Trace)) {
        for &cell in self.old.iter().chain(self.young.iter()) {
            let (header, value) = raw::cell_parts(cell);
            f(header.id, value);
        }
    }

    /// Calls `f(id, kind, self_size)` for every cell, in order of survival (not sorted);
    /// statistics and snapshots sort as they need.
    pub fn for_each_cell(&self, mut f: impl FnMut(u64, &'static str, usize)) {
        for &cell in self.old.iter().chain(self.young.iter()) {
            let (header, value) = raw::cell_parts(cell);
            f(header.id, value.kind(), value.self_size());
        }
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        raw::free_all(&mut self.old);
        raw::free_all(&mut self.young);
    }
}

#[cfg(test)]
mod tests;
