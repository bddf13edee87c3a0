//! # The heap: minijs's own garbage collector (design; implementation lands with issue 3/4)
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
