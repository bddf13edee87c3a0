//! `Value`: every JavaScript value in 8 bytes (NaN-boxing, see the table in `vm/mod.rs`).
//!
//! | top 16 bits   | meaning |
//! |---------------|---------|
//! | anything else | an `f64` (NaNs canonicalised to `0x7FF8_0000_0000_0000`) |
//! | 0xFFF9–0xFFFE | a heap handle: `TAG_BASE + T::TAG`, 48-bit address (`gc::encode`) |
//! | 0xFFFF        | immediates: bits 32–47 = 0 → undefined/null/false/true/hole (low bits), 1 → int32 |

use crate::gc::{self, Gc, Tagged, TAG_SHIFT};

#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Value(u64);

const IMMEDIATE: u64 = 0xFFFF << TAG_SHIFT;
const INT_TAG: u64 = IMMEDIATE | (1 << 32);
const CANONICAL_NAN: u64 = 0x7FF8_0000_0000_0000;

impl Value {
    pub const UNDEFINED: Value = Value(IMMEDIATE);
    pub const NULL: Value = Value(IMMEDIATE | 1);
    pub const FALSE: Value = Value(IMMEDIATE | 2);
    pub const TRUE: Value = Value(IMMEDIATE | 3);
    /// An array hole or a binding in its temporal dead zone; never visible to JavaScript.
    pub const HOLE: Value = Value(IMMEDIATE | 4);

    pub fn number(n: f64) -> Value {
        if n.is_nan() {
            Value(CANONICAL_NAN)
        } else {
            Value(n.to_bits())
        }
    }

    /// An integer-valued number in int32 form (the fast path for counters and indices).
    pub fn int(i: i32) -> Value {
        Value(INT_TAG | i as u32 as u64)
    }

    pub fn bool(b: bool) -> Value {
        if b {
            Value::TRUE
        } else {
            Value::FALSE
        }
    }

    pub fn heap<T: Tagged>(g: Gc<T>) -> Value {
        Value(gc::encode(g))
    }

    pub fn is_number(self) -> bool {
        self.0 >> TAG_SHIFT < gc::TAG_BASE + 1 || self.0 & !0xFFFF_FFFF == INT_TAG
    }

    /// The numeric value, for either number representation.
    pub fn as_number(self) -> Option<f64> {
        if self.0 & !0xFFFF_FFFF == INT_TAG {
            Some(self.0 as u32 as i32 as f64)
        } else if self.0 >> TAG_SHIFT < gc::TAG_BASE + 1 {
            Some(f64::from_bits(self.0))
        } else {
            None
        }
    }

    pub fn as_int(self) -> Option<i32> {
        (self.0 & !0xFFFF_FFFF == INT_TAG).then_some(self.0 as u32 as i32)
    }

    pub fn as_bool(self) -> Option<bool> {
        match self {
            Value::TRUE => Some(true),
            Value::FALSE => Some(false),
            _ => None,
        }
    }

    pub fn as_heap<T: Tagged>(self) -> Option<Gc<T>> {
        gc::decode(self.0)
    }

    pub fn is_undefined(self) -> bool {
        self == Value::UNDEFINED
    }

    pub fn is_null(self) -> bool {
        self == Value::NULL
    }

    pub fn is_nullish(self) -> bool {
        self == Value::UNDEFINED || self == Value::NULL
    }

    pub fn bits(self) -> u64 {
        self.0
    }
}

impl Default for Value {
    fn default() -> Value {
        Value::UNDEFINED
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Value::UNDEFINED => write!(f, "undefined"),
            Value::NULL => write!(f, "null"),
            Value::TRUE => write!(f, "true"),
            Value::FALSE => write!(f, "false"),
            Value::HOLE => write!(f, "<hole>"),
            v => match v.as_number() {
                Some(n) => write!(f, "{}", number_to_string(n)),
                None => write!(f, "<heap {:#x}>", v.0),
            },
        }
    }
}

/// `Number::toString(10)` as ECMA-262 defines it: the shortest digits that round-trip, in
/// decimal below 1e21 and exponent form from there, `-0` → `"0"`, `NaN`, `Infinity`.
pub fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n == 0.0 {
        return "0".into();
    }
    if n.is_infinite() {
        return if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let mut buf = ryu_js::Buffer::new();
    buf.format_finite(n).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_one_word() {
        assert_eq!(std::mem::size_of::<Value>(), 8);
        assert_eq!(std::mem::size_of::<Option<Value>>(), 16);
    }

    #[test]
    fn numbers_round_trip() {
        for n in [
            0.0,
            -0.0,
            1.5,
            -2.25,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
        ] {
            let v = Value::number(n);
            assert!(v.is_number());
            assert_eq!(v.as_number().unwrap().to_bits(), n.to_bits());
        }
        let nan = Value::number(f64::NAN);
        assert!(nan.as_number().unwrap().is_nan());
        // Every NaN pattern is canonicalised, so none can look like a tagged word.
        let weird_nan = f64::from_bits(0xFFFF_0000_0000_0001);
        assert_eq!(Value::number(weird_nan), nan);
        assert_eq!(Value::int(-7).as_number(), Some(-7.0));
        assert_eq!(Value::int(i32::MIN).as_int(), Some(i32::MIN));
        assert_eq!(Value::number(3.0).as_int(), None);
    }

    #[test]
    fn immediates_are_distinct() {
        let all = [
            Value::UNDEFINED,
            Value::NULL,
            Value::TRUE,
            Value::FALSE,
            Value::HOLE,
            Value::int(0),
            Value::number(0.0),
        ];
        for (i, a) in all.iter().enumerate() {
            for (j, b) in all.iter().enumerate() {
                assert_eq!(i == j, a == b, "{a:?} vs {b:?}");
            }
        }
        assert!(!Value::UNDEFINED.is_number());
        assert!(Value::NULL.is_nullish());
        assert_eq!(Value::bool(true).as_bool(), Some(true));
    }

    #[test]
    fn numbers_print_as_javascript_does() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-1.5, "-1.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ];
        for (n, s) in cases {
            assert_eq!(number_to_string(n), s, "{n}");
        }
    }
}
