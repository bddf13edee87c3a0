//! `PairCell`: two `RefCell`s and a few flags sharing one borrow word.
//!
//! An object's named properties and its elements are each borrowed the way a `RefCell` is
//! borrowed (any number of readers or one writer, checked at run time; a conflict is a bug
//! and panics, as `RefCell`'s does). Two `RefCell`s spend a word each on their borrow
//! counters; here both counters and seven flag bits share one `u64`, which keeps every
//! object's cell 16 bytes smaller. The unsafe code is this module's, next to `raw.rs`'s.
#![allow(unsafe_code)]

use std::cell::{Cell, UnsafeCell};

/// Two values, each borrowed as from its own `RefCell`, and seven flag bits.
///
/// The word: bits 0–23 count the readers of `a`, bit 24 marks its writer; bits 32–55 and
/// bit 56 the same for `b`; bits 57–63 are seven flags.
pub struct PairCell<A, B> {
    word: Cell<u64>,
    a: UnsafeCell<A>,
    b: UnsafeCell<B>,
}

/// Where one value's borrow state lives in the word.
#[derive(Clone, Copy)]
struct Bits {
    reader: u64,
    readers: u64,
    writer: u64,
}

const A: Bits = Bits {
    reader: 1,
    readers: 0xFF_FFFF,
    writer: 1 << 24,
};
const B: Bits = Bits {
    reader: 1 << 32,
    readers: 0xFF_FFFF << 32,
    writer: 1 << 56,
};
/// The flags: bits 57–63.
const FLAG_SHIFT: u32 = 57;

impl<A, B> PairCell<A, B> {
    pub fn new(a: A, b: B) -> Self {
        PairCell {
            word: Cell::new(0),
            a: UnsafeCell::new(a),
            b: UnsafeCell::new(b),
        }
    }

    /// Whether any of the flags in `mask` (bits 0–6) is set.
    #[inline]
    pub fn flag(&self, mask: u8) -> bool {
        self.word.get() & ((mask as u64) << FLAG_SHIFT) != 0
    }

    /// Sets the flags in `mask` (bits 0–6).
    #[inline]
    pub fn set_flag(&self, mask: u8) {
        debug_assert!(mask < 0x80);
        self.word
            .set(self.word.get() | ((mask as u64) << FLAG_SHIFT));
    }

    #[inline]
    pub fn a(&self) -> Ref<'_, A> {
        self.borrow(&self.a, A)
    }

    #[inline]
    pub fn a_mut(&self) -> RefMut<'_, A> {
        self.borrow_mut(&self.a, A)
    }

    #[inline]
    pub fn b(&self) -> Ref<'_, B> {
        self.borrow(&self.b, B)
    }

    #[inline]
    pub fn b_mut(&self) -> RefMut<'_, B> {
        self.borrow_mut(&self.b, B)
    }

    #[inline]
    fn borrow<'a, T>(&'a self, cell: &'a UnsafeCell<T>, bits: Bits) -> Ref<'a, T> {
        let w = self.word.get();
        if w & bits.writer != 0 || w & bits.readers == bits.readers {
            conflict();
        }
        self.word.set(w + bits.reader);
        Ref {
            // SAFETY: no writer holds this value (checked above), and none can borrow it
            // while this reader is counted; `cell` is `self.a` or `self.b`, matching `bits`
            // (the only callers are the four methods above).
            value: unsafe { &*cell.get() },
            word: &self.word,
            unit: bits.reader,
        }
    }

    #[inline]
    fn borrow_mut<'a, T>(&'a self, cell: &'a UnsafeCell<T>, bits: Bits) -> RefMut<'a, T> {
        let w = self.word.get();
        if w & (bits.writer | bits.readers) != 0 {
            conflict();
        }
        self.word.set(w | bits.writer);
        RefMut {
            // SAFETY: nobody holds this value (checked above), and nobody can borrow it while
            // the writer bit is set; `cell` matches `bits` as in `borrow`.
            value: unsafe { &mut *cell.get() },
            word: &self.word,
            writer: bits.writer,
        }
    }
}

#[cold]
#[inline(never)]
fn conflict() -> ! {
    panic!("already borrowed")
}

/// A shared borrow from a `PairCell` (as `std::cell::Ref`).
pub struct Ref<'a, T> {
    value: &'a T,
    word: &'a Cell<u64>,
    unit: u64,
}

impl<T> std::ops::Deref for Ref<'_, T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        self.value
    }
}

impl<T> Drop for Ref<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.word.set(self.word.get() - self.unit);
    }
}

/// The exclusive borrow from a `PairCell` (as `std::cell::RefMut`).
pub struct RefMut<'a, T> {
    value: &'a mut T,
    word: &'a Cell<u64>,
    writer: u64,
}

impl<T> std::ops::Deref for RefMut<'_, T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        self.value
    }
}

impl<T> std::ops::DerefMut for RefMut<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        self.value
    }
}

impl<T> Drop for RefMut<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.word.set(self.word.get() & !self.writer);
    }
}

#[cfg(test)]
mod tests {
    use super::PairCell;

    #[test]
    fn readers_and_writers_of_each_half_and_flags() {
        let c = PairCell::new(vec![1], String::from("x"));
        {
            let r1 = c.a();
            let r2 = c.a();
            // The other half is independent.
            c.b_mut().push('y');
            assert_eq!((r1.len(), r2.len()), (1, 1));
        }
        c.a_mut().push(2);
        c.set_flag(1);
        c.set_flag(4);
        assert!(c.flag(1) && c.flag(4) && !c.flag(2));
        assert_eq!((&*c.a(), &*c.b()), (&vec![1, 2], &String::from("xy")));
        // Flags survive borrows coming and going.
        drop(c.a_mut());
        assert!(c.flag(1) && c.flag(4));
    }

    #[test]
    #[should_panic(expected = "already borrowed")]
    fn a_writer_beside_a_reader_panics() {
        let c = PairCell::new(1, 2);
        let _r = c.a();
        let _w = c.a_mut();
    }

    #[test]
    #[should_panic(expected = "already borrowed")]
    fn a_reader_beside_a_writer_panics() {
        let c = PairCell::new(1, 2);
        let _w = c.b_mut();
        let _r = c.b();
    }
}
