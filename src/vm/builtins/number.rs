//! `Number.prototype` (toString with a radix, toFixed, toExponential, toPrecision,
//! toLocaleString, valueOf) and the `Number` statics.
//!
//! Decimal formatting with a given number of digits rounds the exact binary value half up
//! (the specification's "if there are two such n, pick the larger n"): the exact decimal
//! expansion comes from Rust's formatter at a precision that covers every double.

use super::util::to_integer;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, Object, ObjectClass};
use crate::vm::realm::arg;
use crate::vm::value::{number_to_string, Value};

type R = Result<Value, Thrown>;

pub fn install(vm: &mut Vm) {
    let p = vm.realm.number_proto;
    vm.define_native(p, "toString", 1, to_string);
    vm.define_native(p, "toLocaleString", 0, to_locale_string);
    vm.define_native(p, "valueOf", 0, value_of);
    vm.define_native(p, "toFixed", 1, to_fixed);
    vm.define_native(p, "toExponential", 1, to_exponential);
    vm.define_native(p, "toPrecision", 1, to_precision);

    let nk = vm.intern("Number");
    let Some(ctor) = vm
        .global
        .get()
        .get_own(nk)
        .and_then(|(v, _)| v.as_heap::<Object>())
    else {
        return;
    };
    vm.define_native(ctor, "isInteger", 1, |_, _, a| {
        Ok(Value::bool(
            arg(a, 0)
                .as_number()
                .is_some_and(|n| n.is_finite() && n.trunc() == n),
        ))
    });
    vm.define_native(ctor, "isSafeInteger", 1, |_, _, a| {
        Ok(Value::bool(arg(a, 0).as_number().is_some_and(|n| {
            n.is_finite() && n.trunc() == n && n.abs() <= 9007199254740991.0
        })))
    });
    vm.define_native(ctor, "isFinite", 1, |_, _, a| {
        Ok(Value::bool(
            arg(a, 0).as_number().is_some_and(f64::is_finite),
        ))
    });
    vm.define_native(ctor, "isNaN", 1, |_, _, a| {
        Ok(Value::bool(arg(a, 0).as_number().is_some_and(f64::is_nan)))
    });
    // parseFloat and parseInt are the global functions themselves.
    for name in ["parseFloat", "parseInt"] {
        let k = vm.intern(name);
        if let Some((f, _)) = vm.global.get().get_own(k) {
            ctor.get().define(&mut vm.heap, k, f, attrs::HIDDEN);
        }
    }
    for (name, v) in [
        ("MAX_SAFE_INTEGER", 9007199254740991.0),
        ("MIN_SAFE_INTEGER", -9007199254740991.0),
        ("EPSILON", f64::EPSILON),
        ("MAX_VALUE", f64::MAX),
        ("MIN_VALUE", 5e-324),
        ("POSITIVE_INFINITY", f64::INFINITY),
        ("NEGATIVE_INFINITY", f64::NEG_INFINITY),
        ("NaN", f64::NAN),
    ] {
        let k = vm.intern(name);
        ctor.get().define(&mut vm.heap, k, Value::number(v), 0);
    }
}

/// thisNumberValue.
fn this_number(vm: &mut Vm, this: Value, name: &str) -> Result<f64, Thrown> {
    if let Some(n) = this.as_number() {
        return Ok(n);
    }
    if let Some(ObjectClass::Boxed(b)) = this.as_heap::<Object>().as_ref().map(|o| &o.get().class) {
        if let Some(n) = b.as_number() {
            return Ok(n);
        }
    }
    Err(vm.type_error(&format!(
        "Number.prototype.{name} requires that 'this' be a Number"
    )))
}

fn value_of(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    Ok(Value::number(this_number(vm, this, "valueOf")?))
}

fn to_string(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let x = this_number(vm, this, "toString")?;
    let radix = if arg(a, 0).is_undefined() {
        10.0
    } else {
        to_integer(vm, arg(a, 0))?
    };
    if !(2.0..=36.0).contains(&radix) {
        return Err(vm.range_error("toString() radix argument must be between 2 and 36"));
    }
    let s = if radix == 10.0 {
        number_to_string(x)
    } else {
        to_radix_string(x, radix as u32)
    };
    Ok(vm.new_string(&s))
}

const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// The binary exponent of a double as V8's `Double::Exponent` reports it (value =
/// significand × 2^exponent with a 53-bit integer significand).
fn double_exponent(d: f64) -> i32 {
    let biased = ((d.to_bits() >> 52) & 0x7FF) as i32;
    if biased == 0 {
        1 - 1075
    } else {
        biased - 1075
    }
}

/// `Number.prototype.toString(radix)` for radix ≠ 10: V8's DoubleToRadixCString (digits of
/// the fraction only as far as the double's precision, rounded to even).
pub fn to_radix_string(value: f64, radix: u32) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if value == 0.0 {
        return "0".into();
    }
    let r = radix as f64;
    let negative = value < 0.0;
    let value = value.abs();
    let mut integer = value.floor();
    let mut fraction = value - integer;
    let next = f64::from_bits(value.to_bits() + 1);
    let mut delta = (0.5 * (next - value)).max(f64::from_bits(1));
    let mut frac: Vec<u8> = Vec::new();
    if fraction >= delta {
        frac.push(b'.');
        loop {
            fraction *= r;
            delta *= r;
            let digit = fraction as usize;
            frac.push(DIGITS[digit]);
            fraction -= digit as f64;
            if (fraction > 0.5 || (fraction == 0.5 && digit & 1 == 1)) && fraction + delta > 1.0 {
                // Round up, carrying into earlier digits (and into the integer part).
                loop {
                    match frac.pop() {
                        Some(b'.') | None => {
                            integer += 1.0;
                            break;
                        }
                        Some(c) => {
                            let d = if c > b'9' {
                                (c - b'a' + 10) as u32
                            } else {
                                (c - b'0') as u32
                            };
                            if d + 1 < radix {
                                frac.push(DIGITS[(d + 1) as usize]);
                                break;
                            }
                        }
                    }
                }
                break;
            }
            if fraction < delta {
                break;
            }
        }
    }
    let mut int_digits: Vec<u8> = Vec::new();
    while double_exponent(integer / r) > 0 {
        integer /= r;
        int_digits.push(b'0');
    }
    loop {
        let rem = integer % r;
        int_digits.push(DIGITS[rem as usize]);
        integer = (integer - rem) / r;
        if integer <= 0.0 {
            break;
        }
    }
    if negative {
        int_digits.push(b'-');
    }
    int_digits.reverse();
    int_digits.extend_from_slice(&frac);
    String::from_utf8(int_digits).unwrap_or_default()
}

/// The exact decimal digits of a positive finite double (no leading zeros) and the
/// exponent `e` with value = 0.d1d2d3… × 10^(e+1), i.e. d1 is the 10^e digit.
fn exact_digits(x: f64) -> (Vec<u8>, i32) {
    let s = format!("{:.1100e}", x);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, e)
}

/// The shortest round-trip digits of a positive finite double, with the exponent of the
/// first digit.
fn shortest_digits(x: f64) -> (Vec<u8>, i32) {
    let s = format!("{:e}", x);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = exp.parse().unwrap_or(0);
    (mant.bytes().filter(u8::is_ascii_digit).collect(), e)
}

/// Keeps `n` digits, rounding half up; returns the digits and the exponent (which grows by
/// one when rounding carries out of the first digit, leaving `n + 1` digits).
fn round_digits(mut digits: Vec<u8>, mut e: i32, n: usize) -> (Vec<u8>, i32) {
    if digits.len() <= n {
        digits.resize(n, b'0');
        return (digits, e);
    }
    let up = digits[n] >= b'5';
    digits.truncate(n);
    if up {
        let mut i = n;
        loop {
            if i == 0 {
                // All nines: one more digit (callers that want `n` drop the trailing 0).
                digits.insert(0, b'1');
                e += 1;
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    (digits, e)
}

fn digits_str(d: &[u8]) -> &str {
    std::str::from_utf8(d).unwrap_or("")
}

fn to_fixed(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let x = this_number(vm, this, "toFixed")?;
    let f = to_integer(vm, arg(a, 0))?;
    if !(0.0..=100.0).contains(&f) {
        return Err(vm.range_error("toFixed() digits argument must be between 0 and 100"));
    }
    if !x.is_finite() || x.abs() >= 1e21 {
        return Ok(vm.new_string(&number_to_string(x)));
    }
    let s = fixed(x, f as usize);
    Ok(vm.new_string(&s))
}

/// `x.toFixed(f)` for finite |x| < 1e21.
pub fn fixed(x: f64, f: usize) -> String {
    let neg = x < 0.0;
    let ax = x.abs();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if ax == 0.0 {
        out.push('0');
        if f > 0 {
            out.push('.');
            out.extend(std::iter::repeat_n('0', f));
        }
        return out;
    }
    let (digits, e) = exact_digits(ax);
    // Digits up to the 10^-f place: the first digit is the 10^e place.
    let keep = e + 1 + f as i32;
    let (digits, e) = if keep <= 0 {
        // Everything is below the last kept place: rounds to 0 or to 1 unit of 10^-f.
        let up = keep == 0 && digits[0] >= b'5';
        if up {
            (vec![b'1'], -(f as i32))
        } else {
            (vec![b'0'], -(f as i32))
        }
    } else {
        round_digits(digits, e, keep as usize)
    };
    // Now digits (possibly one longer after a carry) end at the 10^-f place.
    let int_len = e + 1;
    let all: Vec<u8> = if int_len <= 0 {
        let mut v = vec![b'0'; (1 - int_len) as usize];
        v.extend_from_slice(&digits);
        v
    } else {
        digits
    };
    let point = all.len() - f;
    out.push_str(digits_str(&all[..point]));
    if f > 0 {
        out.push('.');
        out.push_str(digits_str(&all[point..]));
    }
    out
}

fn exponential(digits: &[u8], e: i32) -> String {
    let mut s = String::new();
    s.push(digits[0] as char);
    if digits.len() > 1 {
        s.push('.');
        s.push_str(digits_str(&digits[1..]));
    }
    s.push('e');
    s.push(if e < 0 { '-' } else { '+' });
    s.push_str(&e.abs().to_string());
    s
}

fn to_exponential(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let x = this_number(vm, this, "toExponential")?;
    let f = to_integer(vm, arg(a, 0))?;
    if !x.is_finite() {
        return Ok(vm.new_string(&number_to_string(x)));
    }
    if !(0.0..=100.0).contains(&f) {
        return Err(vm.range_error("toExponential() argument must be between 0 and 100"));
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let ax = x.abs();
    let (digits, e) = if ax == 0.0 {
        let n = if arg(a, 0).is_undefined() {
            1
        } else {
            f as usize + 1
        };
        (vec![b'0'; n], 0)
    } else if arg(a, 0).is_undefined() {
        shortest_digits(ax)
    } else {
        let (d, e) = exact_digits(ax);
        let (mut d, e) = round_digits(d, e, f as usize + 1);
        d.truncate(f as usize + 1);
        (d, e)
    };
    let s = format!("{sign}{}", exponential(&digits, e));
    Ok(vm.new_string(&s))
}

fn to_precision(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let x = this_number(vm, this, "toPrecision")?;
    if arg(a, 0).is_undefined() {
        return Ok(vm.new_string(&number_to_string(x)));
    }
    let p = to_integer(vm, arg(a, 0))?;
    if !x.is_finite() {
        return Ok(vm.new_string(&number_to_string(x)));
    }
    if !(1.0..=100.0).contains(&p) {
        return Err(vm.range_error("toPrecision() argument must be between 1 and 100"));
    }
    let p = p as usize;
    let sign = if x < 0.0 { "-" } else { "" };
    let ax = x.abs();
    let (digits, e) = if ax == 0.0 {
        (vec![b'0'; p], 0)
    } else {
        let (d, e) = exact_digits(ax);
        let (mut d, e) = round_digits(d, e, p);
        d.truncate(p);
        (d, e)
    };
    let body = if e < -6 || e >= p as i32 {
        exponential(&digits, e)
    } else if e == p as i32 - 1 {
        digits_str(&digits).to_string()
    } else if e >= 0 {
        let k = (e + 1) as usize;
        format!("{}.{}", digits_str(&digits[..k]), digits_str(&digits[k..]))
    } else {
        format!(
            "0.{}{}",
            "0".repeat((-(e + 1)) as usize),
            digits_str(&digits)
        )
    };
    Ok(vm.new_string(&format!("{sign}{body}")))
}

/// en-US formatting: grouping separators and at most three fraction digits.
fn to_locale_string(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let x = this_number(vm, this, "toLocaleString")?;
    if x.is_nan() {
        return Ok(vm.new_string("NaN"));
    }
    if x.is_infinite() {
        return Ok(vm.new_string(if x > 0.0 { "∞" } else { "-∞" }));
    }
    let s = if x.abs() >= 1e21 {
        fixed(x, 0)
    } else {
        fixed(x, 3)
    };
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, s),
    };
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
        None => (s, String::new()),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    // node (ICU) keeps the sign of a negative number that rounds to zero: "-0".
    let neg = neg || x.is_sign_negative();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&grouped);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(&frac);
    }
    Ok(vm.new_string(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_strings_match_v8() {
        assert_eq!(to_radix_string(255.0, 16), "ff");
        assert_eq!(to_radix_string(-255.0, 2), "-11111111");
        assert_eq!(to_radix_string(0.5, 2), "0.1");
        assert_eq!(
            to_radix_string(0.1, 3),
            "0.0022002200220022002200220022002201"
        );
        assert_eq!(to_radix_string(1e21, 36), "5v1j4f4ds7c000");
    }

    #[test]
    fn fixed_rounds_half_up_on_the_exact_value() {
        assert_eq!(fixed(0.5, 0), "1");
        assert_eq!(fixed(2.5, 0), "3");
        assert_eq!(fixed(1.25, 1), "1.3");
        assert_eq!(fixed(1.005, 2), "1.00");
        assert_eq!(fixed(-1.5, 0), "-2");
        assert_eq!(fixed(0.000001, 2), "0.00");
        assert_eq!(fixed(-0.000001, 2), "-0.00");
        assert_eq!(fixed(99.99, 1), "100.0");
        assert_eq!(fixed(0.05, 1), "0.1");
        assert_eq!(fixed(123.456, 10), "123.4560000000");
    }
}
