//! `JsString`: runtime strings in the heap. JavaScript strings are sequences of UTF-16 code
//! units; a string whose units all fit in a byte is stored as Latin-1 (one byte a unit), the
//! rest as UTF-16 — the representation never shows through the API. (Ropes for `+=` come with
//! the interpreter.)

use std::cell::{Cell, OnceCell};

use crate::gc::{EdgeName, Gc, Tagged, Trace, Tracer, HEADER_BYTES};

/// The longest string (in UTF-16 units) minijs makes, as V8's limit on 64-bit hosts:
/// longer ones throw `RangeError: Invalid string length`.
pub const MAX_LENGTH: usize = (1 << 29) - 24;

#[derive(Debug)]
enum Units {
    Latin1(Box<[u8]>),
    Utf16(Box<[u16]>),
}

#[derive(Debug)]
pub struct JsString {
    units: Units,
    /// FNV-1a over the UTF-16 units, computed on first use (0 = not yet).
    hash: Cell<u32>,
    /// A concatenation not yet flattened (`units` is then empty): `s += x` in a loop makes
    /// a chain of these, flattened once, on the first read of the units, so building a long
    /// string is linear instead of quadratic.
    rope: Option<Box<Rope>>,
}

#[derive(Debug)]
struct Rope {
    /// The two halves until flattened (then dropped, so the halves can be collected).
    left: Cell<Option<Gc<JsString>>>,
    right: Cell<Option<Gc<JsString>>>,
    len: usize,
    latin1: bool,
    flat: OnceCell<Units>,
}

impl Trace for JsString {
    fn trace(&self, t: &mut dyn Tracer) {
        if let Some(r) = &self.rope {
            for half in [r.left.get(), r.right.get()].into_iter().flatten() {
                t.edge(EdgeName::Internal("first"), half.into());
            }
        }
    }
    fn self_size(&self) -> usize {
        let units = match &self.rope {
            Some(r) => r.flat.get(),
            None => Some(&self.units),
        };
        let payload = match units {
            Some(Units::Latin1(b)) => b.len(),
            Some(Units::Utf16(u)) => u.len() * 2,
            None => 0,
        };
        let rope = if self.rope.is_some() {
            std::mem::size_of::<Rope>()
        } else {
            0
        };
        HEADER_BYTES + std::mem::size_of::<JsString>() + rope + payload
    }
    fn kind(&self) -> &'static str {
        "String"
    }
}

impl Tagged for JsString {
    const TAG: u64 = 2;
}

impl JsString {
    pub fn from_utf8(s: &str) -> JsString {
        if s.is_ascii() {
            return JsString {
                units: Units::Latin1(s.as_bytes().into()),
                hash: Cell::new(0),
                rope: None,
            };
        }
        let units: Vec<u16> = s.encode_utf16().collect();
        JsString::from_utf16(&units)
    }

    pub fn from_utf16(units: &[u16]) -> JsString {
        let units = if units.iter().all(|&u| u < 0x100) {
            Units::Latin1(units.iter().map(|&u| u as u8).collect())
        } else {
            Units::Utf16(units.into())
        };
        JsString {
            units,
            hash: Cell::new(0),
            rope: None,
        }
    }

    /// The length in UTF-16 code units (JavaScript's `length`).
    pub fn len(&self) -> usize {
        if let Some(r) = &self.rope {
            return r.len;
        }
        match &self.units {
            Units::Latin1(b) => b.len(),
            Units::Utf16(u) => u.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The code unit at `i` (`charCodeAt`).
    pub fn unit(&self, i: usize) -> Option<u16> {
        match self.flat() {
            Units::Latin1(b) => b.get(i).map(|&c| c as u16),
            Units::Utf16(u) => u.get(i).copied(),
        }
    }

    pub fn units(&self) -> impl Iterator<Item = u16> + '_ {
        (0..self.len()).map(|i| self.unit(i).unwrap_or(0))
    }

    /// The units as a vector (for natives that search or rebuild a string).
    pub fn to_units(&self) -> Vec<u16> {
        match self.flat() {
            Units::Latin1(b) => b.iter().map(|&c| c as u16).collect(),
            Units::Utf16(u) => u.to_vec(),
        }
    }

    /// The bytes of a Latin-1 string (every unit below 0x100), for fast paths.
    pub fn as_latin1(&self) -> Option<&[u8]> {
        match self.flat() {
            Units::Latin1(b) => Some(b),
            Units::Utf16(_) => None,
        }
    }

    /// A string of Latin-1 bytes.
    pub fn from_latin1(bytes: Vec<u8>) -> JsString {
        JsString {
            units: Units::Latin1(bytes.into()),
            hash: Cell::new(0),
            rope: None,
        }
    }

    /// The units `from..to` as a new string (keeping Latin-1 storage).
    pub fn slice(&self, from: usize, to: usize) -> JsString {
        let to = to.min(self.len());
        let from = from.min(to);
        match self.flat() {
            Units::Latin1(b) => JsString::from_latin1(b[from..to].to_vec()),
            Units::Utf16(u) => JsString::from_utf16(&u[from..to]),
        }
    }

    /// Lossy conversion for printing (lone surrogates become U+FFFD).
    pub fn to_rust_string(&self) -> String {
        match self.flat() {
            Units::Latin1(b) => b.iter().map(|&c| c as char).collect(),
            Units::Utf16(u) => String::from_utf16_lossy(u),
        }
    }

    pub fn hash(&self) -> u32 {
        let h = self.hash.get();
        if h != 0 {
            return h;
        }
        let mut h: u32 = 0x811C_9DC5;
        for u in self.units() {
            h ^= u as u32;
            h = h.wrapping_mul(0x0100_0193);
        }
        let h = h.max(1);
        self.hash.set(h);
        h
    }

    /// Content equality (whatever the storage of each side).
    pub fn same_units(&self, other: &JsString) -> bool {
        self.len() == other.len()
            && (self.hash.get() == 0 || other.hash.get() == 0 || self.hash() == other.hash())
            && self.units().eq(other.units())
    }

    /// `a + b` as a rope: no copying now; the units are joined on first read.
    pub fn rope(a: Gc<JsString>, b: Gc<JsString>) -> JsString {
        let latin1 = a.get().is_latin1() && b.get().is_latin1();
        JsString {
            units: Units::Latin1(Box::new([])),
            hash: Cell::new(0),
            rope: Some(Box::new(Rope {
                left: Cell::new(Some(a)),
                right: Cell::new(Some(b)),
                len: a.get().len() + b.get().len(),
                latin1,
                flat: OnceCell::new(),
            })),
        }
    }

    fn is_latin1(&self) -> bool {
        match &self.rope {
            Some(r) => r.latin1,
            None => matches!(self.units, Units::Latin1(_)),
        }
    }

    /// The units, flattening a rope on first use (iteratively: a rope may be a chain of a
    /// million concatenations).
    fn flat(&self) -> &Units {
        let Some(r) = &self.rope else {
            return &self.units;
        };
        r.flat.get_or_init(|| {
            let mut latin1: Vec<u8> = Vec::new();
            let mut wide: Vec<u16> = Vec::new();
            if r.latin1 {
                latin1.reserve(r.len);
            } else {
                wide.reserve(r.len);
            }
            let mut stack: Vec<Gc<JsString>> = Vec::new();
            let push_parts = |stack: &mut Vec<Gc<JsString>>, rope: &Rope| {
                if let (Some(a), Some(b)) = (rope.left.get(), rope.right.get()) {
                    stack.push(b);
                    stack.push(a);
                }
            };
            push_parts(&mut stack, r);
            while let Some(s) = stack.pop() {
                let s = s.get();
                if let Some(inner) = &s.rope {
                    if inner.flat.get().is_none() {
                        push_parts(&mut stack, inner);
                        continue;
                    }
                }
                match s.flat() {
                    Units::Latin1(b) => {
                        if r.latin1 {
                            latin1.extend_from_slice(b);
                        } else {
                            wide.extend(b.iter().map(|&c| c as u16));
                        }
                    }
                    Units::Utf16(u) => wide.extend_from_slice(u),
                }
            }
            r.left.set(None);
            r.right.set(None);
            if r.latin1 {
                Units::Latin1(latin1.into())
            } else {
                Units::Utf16(wide.into())
            }
        })
    }

    /// `a + b`.
    pub fn concat(&self, other: &JsString) -> JsString {
        match (self.flat(), other.flat()) {
            (Units::Latin1(a), Units::Latin1(b)) => {
                let mut v = Vec::with_capacity(a.len() + b.len());
                v.extend_from_slice(a);
                v.extend_from_slice(b);
                JsString {
                    units: Units::Latin1(v.into()),
                    hash: Cell::new(0),
                    rope: None,
                }
            }
            _ => {
                let v: Vec<u16> = self.units().chain(other.units()).collect();
                JsString {
                    units: Units::Utf16(v.into()),
                    hash: Cell::new(0),
                    rope: None,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_utf16_units() {
        assert_eq!(JsString::from_utf8("abc").len(), 3);
        assert_eq!(JsString::from_utf8("é").len(), 1);
        assert_eq!(JsString::from_utf8("😀").len(), 2);
        assert_eq!(JsString::from_utf8("😀").unit(0), Some(0xD83D));
        assert_eq!(JsString::from_utf16(&[0xD800]).to_rust_string(), "\u{FFFD}");
    }

    #[test]
    fn storage_does_not_show() {
        let a = JsString::from_utf8("é");
        let b = JsString::from_utf16(&[0xE9]);
        assert!(a.same_units(&b));
        assert_eq!(a.hash(), b.hash());
        let c = JsString::from_utf8("ab").concat(&JsString::from_utf8("😀"));
        assert_eq!(c.len(), 4);
        assert_eq!(c.to_rust_string(), "ab😀");
        assert!(!c.same_units(&JsString::from_utf8("ab")));
    }

    #[test]
    fn self_size_counts_the_payload() {
        let small = JsString::from_utf8("a").self_size();
        assert_eq!(JsString::from_utf8("ab").self_size(), small + 1);
        assert_eq!(JsString::from_utf8("😀").self_size(), small - 1 + 4);
    }
}
