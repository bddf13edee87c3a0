//! The URI functions of the global object: `encodeURIComponent`, `encodeURI`,
//! `decodeURIComponent`, `decodeURI`, and Annex B's `escape` / `unescape`.

use crate::vm::interp::{Thrown, Vm};
use crate::vm::realm::{arg, ErrorKind};
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

const COMPONENT_EXTRA: &[u8] = b"-_.!~*'()";
const URI_RESERVED: &[u8] = b";/?:@&=+$,#";

pub fn install(vm: &mut Vm) {
    let g = vm.global;
    vm.define_native(g, "encodeURIComponent", 1, |vm, _, a| {
        encode(vm, arg(a, 0), false)
    });
    vm.define_native(g, "encodeURI", 1, |vm, _, a| encode(vm, arg(a, 0), true));
    vm.define_native(g, "decodeURIComponent", 1, |vm, _, a| {
        decode(vm, arg(a, 0), b"")
    });
    vm.define_native(g, "decodeURI", 1, |vm, _, a| {
        decode(vm, arg(a, 0), URI_RESERVED)
    });
    vm.define_native(g, "escape", 1, escape);
    vm.define_native(g, "unescape", 1, unescape);
}

fn malformed(vm: &mut Vm) -> Thrown {
    vm.throw_error(ErrorKind::URIError, "URI malformed")
}

fn push_hex(out: &mut Vec<u16>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push(b'%' as u16);
    out.push(HEX[(b >> 4) as usize] as u16);
    out.push(HEX[(b & 15) as usize] as u16);
}

fn encode(vm: &mut Vm, v: Value, whole_uri: bool) -> R {
    let s = vm.to_string(v)?;
    let units = s.get().to_units();
    let mut out = Vec::with_capacity(units.len());
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        if u < 0x80 {
            let b = u as u8;
            if b.is_ascii_alphanumeric()
                || COMPONENT_EXTRA.contains(&b)
                || (whole_uri && URI_RESERVED.contains(&b))
            {
                out.push(u);
            } else {
                push_hex(&mut out, b);
            }
            i += 1;
            continue;
        }
        let cp = if (0xD800..0xDC00).contains(&u) {
            match units.get(i + 1).filter(|l| (0xDC00..0xE000).contains(*l)) {
                Some(&lo) => {
                    i += 1;
                    0x10000 + (((u as u32) - 0xD800) << 10) + (lo as u32 - 0xDC00)
                }
                None => return Err(malformed(vm)),
            }
        } else if (0xDC00..0xE000).contains(&u) {
            return Err(malformed(vm));
        } else {
            u as u32
        };
        let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            push_hex(&mut out, b);
        }
        i += 1;
    }
    Ok(vm.new_string_utf16(&out))
}

fn hex_val(u: u16) -> Option<u8> {
    char::from_u32(u as u32)
        .and_then(|c| c.to_digit(16))
        .map(|d| d as u8)
}

fn byte_at(units: &[u16], i: usize) -> Option<u8> {
    if units.get(i) != Some(&(b'%' as u16)) {
        return None;
    }
    Some(hex_val(*units.get(i + 1)?)? << 4 | hex_val(*units.get(i + 2)?)?)
}

fn decode(vm: &mut Vm, v: Value, keep: &[u8]) -> R {
    let s = vm.to_string(v)?;
    let units = s.get().to_units();
    let mut out = Vec::with_capacity(units.len());
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        if u != b'%' as u16 {
            out.push(u);
            i += 1;
            continue;
        }
        let Some(b) = byte_at(&units, i) else {
            return Err(malformed(vm));
        };
        if b < 0x80 {
            if keep.contains(&b) {
                out.extend_from_slice(&units[i..i + 3]);
            } else {
                out.push(b as u16);
            }
            i += 3;
            continue;
        }
        let n = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return Err(malformed(vm)),
        };
        let mut bytes = vec![b];
        for k in 1..n {
            match byte_at(&units, i + 3 * k) {
                Some(c) if c & 0xC0 == 0x80 => bytes.push(c),
                _ => return Err(malformed(vm)),
            }
        }
        let Some(c) = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|s| s.chars().next())
        else {
            return Err(malformed(vm));
        };
        let mut buf = [0u16; 2];
        out.extend_from_slice(c.encode_utf16(&mut buf));
        i += 3 * n;
    }
    Ok(vm.new_string_utf16(&out))
}

fn escape(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let s = vm.to_string(arg(a, 0))?;
    let mut out = Vec::new();
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for u in s.get().units() {
        if u < 0x80 && ((u as u8).is_ascii_alphanumeric() || b"@*_+-./".contains(&(u as u8))) {
            out.push(u);
        } else if u < 0x100 {
            push_hex(&mut out, u as u8);
        } else {
            out.push(b'%' as u16);
            out.push(b'u' as u16);
            for shift in [12, 8, 4, 0] {
                out.push(HEX[((u >> shift) & 15) as usize] as u16);
            }
        }
    }
    Ok(vm.new_string_utf16(&out))
}

fn unescape(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let s = vm.to_string(arg(a, 0))?;
    let units = s.get().to_units();
    let mut out = Vec::with_capacity(units.len());
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        if u == b'%' as u16 {
            if units.get(i + 1) == Some(&(b'u' as u16)) {
                let digits: Option<Vec<u8>> = (2..6)
                    .map(|k| units.get(i + k).and_then(|&d| hex_val(d)))
                    .collect();
                if let Some(d) = digits {
                    out.push(d.iter().fold(0u16, |acc, &x| acc * 16 + x as u16));
                    i += 6;
                    continue;
                }
            } else if let Some(b) = byte_at(&units, i) {
                out.push(b as u16);
                i += 3;
                continue;
            }
        }
        out.push(u);
        i += 1;
    }
    Ok(vm.new_string_utf16(&out))
}
