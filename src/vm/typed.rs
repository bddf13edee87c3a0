//! ArrayBuffer storage and the element kinds of typed arrays (the object model's side; the
//! library is `builtins/typed.rs` and `builtins/buffer.rs`).
//!
//! An ArrayBuffer's bytes live in its object cell (`ObjectClass::ArrayBuffer`) and count in
//! its self size. A typed array or DataView (`ObjectClass::TypedArray` / `DataView`) holds its
//! buffer (an edge, set once when the young view is made, so no write barrier) and a fixed
//! window: buffers never detach or resize in minijs, so a view's bounds are checked once, at
//! construction. Elements are little-endian (V8's on every platform minijs runs on).

use std::cell::RefCell;

use super::object::{Object, ObjectClass};
use super::value::Value;
use crate::gc::Gc;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TaKind {
    Int8,
    Uint8,
    Uint8Clamped,
    Int16,
    Uint16,
    Int32,
    Uint32,
    Float32,
    Float64,
}

impl TaKind {
    pub const ALL: [TaKind; 9] = [
        TaKind::Int8,
        TaKind::Uint8,
        TaKind::Uint8Clamped,
        TaKind::Int16,
        TaKind::Uint16,
        TaKind::Int32,
        TaKind::Uint32,
        TaKind::Float32,
        TaKind::Float64,
    ];

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            TaKind::Int8 | TaKind::Uint8 | TaKind::Uint8Clamped => 1,
            TaKind::Int16 | TaKind::Uint16 => 2,
            TaKind::Int32 | TaKind::Uint32 | TaKind::Float32 => 4,
            TaKind::Float64 => 8,
        }
    }

    /// The constructor's name.
    pub fn name(self) -> &'static str {
        match self {
            TaKind::Int8 => "Int8Array",
            TaKind::Uint8 => "Uint8Array",
            TaKind::Uint8Clamped => "Uint8ClampedArray",
            TaKind::Int16 => "Int16Array",
            TaKind::Uint16 => "Uint16Array",
            TaKind::Int32 => "Int32Array",
            TaKind::Uint32 => "Uint32Array",
            TaKind::Float32 => "Float32Array",
            TaKind::Float64 => "Float64Array",
        }
    }

    /// The element at the start of `b` (at least `size()` bytes), little-endian or not.
    pub fn read(self, b: &[u8], little: bool) -> f64 {
        let mut tmp = [0u8; 8];
        let n = self.size();
        tmp[..n].copy_from_slice(&b[..n]);
        if !little {
            tmp[..n].reverse();
        }
        match self {
            TaKind::Int8 => tmp[0] as i8 as f64,
            TaKind::Uint8 | TaKind::Uint8Clamped => tmp[0] as f64,
            TaKind::Int16 => i16::from_le_bytes([tmp[0], tmp[1]]) as f64,
            TaKind::Uint16 => u16::from_le_bytes([tmp[0], tmp[1]]) as f64,
            TaKind::Int32 => i32::from_le_bytes([tmp[0], tmp[1], tmp[2], tmp[3]]) as f64,
            TaKind::Uint32 => u32::from_le_bytes([tmp[0], tmp[1], tmp[2], tmp[3]]) as f64,
            TaKind::Float32 => f32::from_le_bytes([tmp[0], tmp[1], tmp[2], tmp[3]]) as f64,
            TaKind::Float64 => f64::from_le_bytes(tmp),
        }
    }

    /// Stores `n` (already a Number) at the start of `b` with this kind's conversion.
    pub fn write(self, n: f64, b: &mut [u8], little: bool) {
        let size = self.size();
        let mut tmp = [0u8; 8];
        match self {
            TaKind::Int8 | TaKind::Uint8 => tmp[0] = modulo(n) as u8,
            TaKind::Uint8Clamped => tmp[0] = clamp_u8(n),
            TaKind::Int16 | TaKind::Uint16 => {
                tmp[..2].copy_from_slice(&(modulo(n) as u16).to_le_bytes())
            }
            TaKind::Int32 | TaKind::Uint32 => tmp[..4].copy_from_slice(&modulo(n).to_le_bytes()),
            TaKind::Float32 => tmp[..4].copy_from_slice(&(n as f32).to_le_bytes()),
            TaKind::Float64 => tmp.copy_from_slice(&n.to_le_bytes()),
        }
        if !little {
            tmp[..size].reverse();
        }
        b[..size].copy_from_slice(&tmp[..size]);
    }

    /// A read element as a value (int32 form when it fits).
    pub fn value(self, n: f64) -> Value {
        match self {
            TaKind::Float32 | TaKind::Float64 | TaKind::Uint32 => {
                if n.fract() == 0.0
                    && n.abs() <= i32::MAX as f64
                    && !(n == 0.0 && n.is_sign_negative())
                {
                    Value::int(n as i32)
                } else {
                    Value::number(n)
                }
            }
            _ => Value::int(n as i32),
        }
    }
}

/// ToInt32/ToUint32's modular step: the low 32 bits of the integer part.
fn modulo(n: f64) -> u32 {
    if !n.is_finite() {
        return 0;
    }
    n.trunc().rem_euclid(4294967296.0) as u32
}

/// ToUint8Clamp: round half to even, clamped to 0..=255.
pub fn clamp_u8(n: f64) -> u8 {
    if n.is_nan() || n <= 0.0 {
        return 0;
    }
    if n >= 255.0 {
        return 255;
    }
    let f = n.floor();
    if f + 0.5 < n {
        return (f + 1.0) as u8;
    }
    if n < f + 0.5 {
        return f as u8;
    }
    if f as u8 % 2 == 1 {
        (f + 1.0) as u8
    } else {
        f as u8
    }
}

/// A typed array's or DataView's internal slots: `[[ViewedArrayBuffer]]`, `[[ByteOffset]]`
/// and `[[ArrayLength]]` (elements; a DataView's byte length).
pub struct ViewData {
    pub kind: TaKind,
    pub buffer: Gc<Object>,
    pub offset: usize,
    pub length: usize,
}

impl ViewData {
    pub fn byte_length(&self) -> usize {
        self.length * self.kind.size()
    }

    /// The bytes of the buffer this view looks at.
    pub fn store(&self) -> &RefCell<Vec<u8>> {
        buffer_store(self.buffer.get()).expect("a view's buffer is an ArrayBuffer")
    }

    /// Element `i`, if in range.
    #[inline]
    pub fn get(&self, i: u32) -> Option<Value> {
        let i = i as usize;
        if i >= self.length {
            return None;
        }
        let size = self.kind.size();
        let bytes = self.store().borrow();
        let at = self.offset + i * size;
        let n = self.kind.read(&bytes[at..at + size], true);
        Some(self.kind.value(n))
    }

    /// Element `i` as a number (in range).
    pub fn get_number(&self, i: usize) -> f64 {
        let size = self.kind.size();
        let bytes = self.store().borrow();
        let at = self.offset + i * size;
        self.kind.read(&bytes[at..at + size], true)
    }

    /// Stores a number at `i`; out of range is ignored (returns false).
    #[inline]
    pub fn set(&self, i: usize, n: f64) -> bool {
        if i >= self.length {
            return false;
        }
        let size = self.kind.size();
        let mut bytes = self.store().borrow_mut();
        let at = self.offset + i * size;
        self.kind.write(n, &mut bytes[at..at + size], true);
        true
    }

    /// A copy of the viewed bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let b = self.store().borrow();
        b[self.offset..self.offset + self.byte_length()].to_vec()
    }
}

/// `n` zero bytes, or `None` when the allocation fails (V8's RangeError then, never an
/// abort). A fallible reservation first proves the size can be had; the buffer itself then
/// comes from the allocator's zeroed allocation (`vec![0; n]` is calloc), so a large buffer's
/// pages are committed only when written, as V8's backing stores are.
pub fn zeroed_bytes(n: usize) -> Option<Vec<u8>> {
    let mut probe: Vec<u8> = Vec::new();
    probe.try_reserve_exact(n).ok()?;
    drop(probe);
    Some(vec![0; n])
}

/// An ArrayBuffer's bytes.
pub fn buffer_store(o: &Object) -> Option<&RefCell<Vec<u8>>> {
    match &o.class {
        ObjectClass::ArrayBuffer(b) => Some(b),
        _ => None,
    }
}

/// A typed array's slots (not a DataView's).
pub fn typed_array(o: &Object) -> Option<&ViewData> {
    match &o.class {
        ObjectClass::TypedArray(t) => Some(t),
        _ => None,
    }
}
