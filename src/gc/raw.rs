//! The only file of the collector with `unsafe` code: cells, typed handles and their
//! allocation and release. Everything else in `gc` is safe code on top of these functions.
//!
//! A cell is a `GcBox<T>`: a [`Header`] followed by the value. Cells are allocated one by one
//! with `Box` (size-segregated pages are still to come) and released only by [`free_cell`],
//! which the sweepers call for unmarked cells.
#![allow(unsafe_code)]

use std::cell::Cell;
use std::marker::PhantomData;
use std::ptr::NonNull;

use super::Trace;

/// What the collector keeps for every cell.
pub struct Header {
    pub(super) marked: Cell<bool>,
    /// Survived a collection (INV-4: the generation of the cell).
    pub(super) old: Cell<bool>,
    /// In the heap's remembered set (or a permanently remembered cell, see `Trace::remember_always`).
    pub(super) remembered: Cell<bool>,
    /// The self size counted for the cell when it was last measured (promotion, a full
    /// collection, a minor collection that traced it as remembered), saturating.
    pub(super) size: Cell<u32>,
    /// Stable id (odd, increasing by 2, as V8's heap snapshot ids); never reused.
    pub(super) id: u64,
}

#[repr(C)]
pub(super) struct GcBox<T: ?Sized> {
    pub(super) header: Header,
    pub(super) value: T,
}

/// A type-erased cell pointer, as the heap's cell list and the gray stack hold them.
pub(super) type ErasedCell = NonNull<GcBox<dyn Trace>>;

/// A handle to a cell of type `T` in a [`super::Heap`]. `Copy`, pointer-sized.
///
/// A `Gc` is valid while its cell is reachable from the roots at every collection (see the
/// rooting rule, INV-3 in `gc/mod.rs`). Reading through a handle to a cell that a collection
/// freed is the one misuse the rooting rule exists to prevent.
pub struct Gc<T: ?Sized + 'static> {
    ptr: NonNull<GcBox<T>>,
    _marker: PhantomData<T>,
}

impl<T: ?Sized> Clone for Gc<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: ?Sized> Copy for Gc<T> {}

impl<T: ?Sized> PartialEq for Gc<T> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::addr_eq(self.ptr.as_ptr(), other.ptr.as_ptr())
    }
}
impl<T: ?Sized> Eq for Gc<T> {}

impl<T: ?Sized> std::fmt::Debug for Gc<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Gc@{}", self.header().id)
    }
}

impl<T: ?Sized + 'static> Gc<T> {
    pub(super) fn header(&self) -> &Header {
        // SAFETY: a live handle points to a live cell (the rooting rule); the header is
        // immutable apart from the `Cell` mark bit.
        unsafe { &(*self.ptr.as_ptr()).header }
    }

    /// The cell's value.
    pub fn get(&self) -> &T {
        // SAFETY: as in `header`. Values are shared (`&T`); interior mutability goes through
        // `Cell`/`RefCell` fields inside the value, and writes of `Gc` fields through the heap's
        // barrier (INV-4).
        unsafe { &(*self.ptr.as_ptr()).value }
    }

    /// The stable id of the cell.
    pub fn id(&self) -> u64 {
        self.header().id
    }
}

impl<T: Trace + 'static> Gc<T> {
    pub(super) fn erase(self) -> ErasedCell {
        let p: NonNull<GcBox<dyn Trace>> = self.ptr;
        p
    }
}

/// Allocates a cell. The caller (the heap) records the erased pointer in its cell list.
pub(super) fn alloc_cell<T: Trace + 'static>(value: T, id: u64) -> Gc<T> {
    let boxed = Box::new(GcBox {
        header: Header {
            marked: Cell::new(false),
            old: Cell::new(false),
            remembered: Cell::new(false),
            size: Cell::new(0),
            id,
        },
        value,
    });
    Gc {
        ptr: NonNull::from(Box::leak(boxed)),
        _marker: PhantomData,
    }
}

/// The cell whose value `v` is.
///
/// Sound only when `v` is the value of a heap cell, which every `Object`, `Env`, `Shape` and
/// `Code` is: their constructors' results go straight to `Heap::alloc`, and the rest of the
/// crate only ever reaches them through a `Gc` (`Gc::get`). The heap's write barrier uses it
/// for methods that mutate `&self`.
pub(super) fn cell_of_value<T: Trace + 'static>(v: &T) -> ErasedCell {
    let off = std::mem::offset_of!(GcBox<T>, value);
    let p = (v as *const T as *const u8).wrapping_sub(off) as *mut GcBox<T>;
    // A reference is never null, nor the address `off` below it.
    let p: NonNull<GcBox<T>> = NonNull::new(p).expect("a cell's address");
    p
}

/// The header and value of an erased cell.
pub(super) fn cell_parts<'a>(cell: ErasedCell) -> (&'a Header, &'a dyn Trace) {
    // SAFETY: the heap only hands out erased pointers of cells in its list, which are live
    // until `free_cell`; the borrow does not outlive the collection step that asked for it.
    unsafe {
        let b = &*cell.as_ptr();
        (&b.header, &b.value)
    }
}

/// Releases a cell.
///
/// # Safety
/// `cell` came from [`alloc_cell`] (erased), is in no list any more, and no handle to it will
/// be used again.
unsafe fn free_cell(cell: ErasedCell) {
    // SAFETY: per the contract, `cell` is a leaked `Box<GcBox<T>>` released exactly once.
    drop(unsafe { Box::from_raw(cell.as_ptr()) });
}

/// Frees an unmarked cell that the caller just took out of its list.
///
/// Sound because the heap calls it only right after marking from every root (INV-1) — for a
/// minor collection, from the roots and the remembered set, and only for young cells, which
/// an unremembered old cell cannot point to (INV-4): an unmarked cell is unreachable, so no
/// handle to it will be used again.
pub(super) fn free_unmarked(cell: ErasedCell) {
    debug_assert!(!cell_parts(cell).0.marked.get());
    // SAFETY: see above; the caller removed it from the only list of cells.
    unsafe { free_cell(cell) };
}

/// Frees every cell, when the heap itself is dropped (handles must not outlive their heap).
pub(super) fn free_all(cells: &mut Vec<ErasedCell>) {
    for cell in cells.drain(..) {
        // SAFETY: the heap owns its cells and is going away; nothing reads them after this.
        unsafe { free_cell(cell) };
    }
}

// ---- Tagged handles (NaN-boxing support) ----

/// A heap type that a tagged word (a NaN-boxed value) may carry. Each type has its own tag, so
/// a word encoded from a `Gc<T>` decodes only as a `Gc<T>`: the tag check is what makes
/// [`decode`] safe.
pub trait Tagged: Trace + Sized + 'static {
    /// 1 to 6, unique per type.
    const TAG: u64;
}

/// A tagged word has `TAG_BASE + T::TAG` (0xFFF9 to 0xFFFE) in its top 16 bits and the cell's
/// address below: a negative quiet-NaN pattern, which no canonical `f64` has (NaNs are
/// canonicalised to `0x7FF8…` before they are stored). 0xFFFF is left to non-heap immediates.
pub const TAG_SHIFT: u32 = 48;
pub const TAG_BASE: u64 = 0xFFF8;
const PAYLOAD: u64 = (1 << TAG_SHIFT) - 1;

/// Encodes a handle as a tagged word.
pub fn encode<T: Tagged>(g: Gc<T>) -> u64 {
    let addr = g.ptr.as_ptr() as u64;
    assert!(addr & !PAYLOAD == 0, "heap address beyond 48 bits");
    ((TAG_BASE + T::TAG) << TAG_SHIFT) | addr
}

/// Decodes a tagged word made by [`encode`] for the same `T`; `None` for any other word.
pub fn decode<T: Tagged>(bits: u64) -> Option<Gc<T>> {
    if bits >> TAG_SHIFT != TAG_BASE + T::TAG {
        return None;
    }
    let ptr = (bits & PAYLOAD) as *mut GcBox<T>;
    // A word with `T`'s tag came from `encode::<T>` of a live `Gc<T>` (values are only built
    // through `encode`), so the pointer is a cell of type `T`; liveness is the rooting rule's.
    NonNull::new(ptr).map(|ptr| Gc {
        ptr,
        _marker: PhantomData,
    })
}
