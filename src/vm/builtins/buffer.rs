//! node's `Buffer` (global, and `require('buffer').Buffer`): Uint8Arrays whose prototype is
//! `Buffer.prototype` (itself inheriting `Uint8Array.prototype`), with node v20's encodings
//! (utf8, hex, base64, base64url, latin1/binary, ascii, utf16le/ucs2), statics, read/write
//! helpers and error messages (`code` properties included). Inspection is `inspect.rs`'s
//! `format_buffer`.

use super::typed::{kind_proto, new_array_buffer, new_view, this_ta};
use super::util::to_integer;
use crate::gc::Gc;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, NativeFn, Object, ObjectClass};
use crate::vm::realm::{arg, ErrorKind};
use crate::vm::string::JsString;
use crate::vm::typed::{buffer_store, typed_array, TaKind};
use crate::vm::value::{number_to_string, Value};

type R = Result<Value, Thrown>;

const K_MAX_LENGTH: f64 = 4294967296.0;

// ---- Errors as node words them ----

fn node_error(vm: &mut Vm, kind: ErrorKind, code: &str, msg: &str) -> Thrown {
    let e = vm.make_error(kind, msg);
    if let Some(o) = e.as_heap::<Object>() {
        vm.capture_stack(o, &format!("{} [{code}]", kind.name()), msg);
        let ck = vm.intern("code");
        let cv = vm.new_string(code);
        o.get().define(&mut vm.heap, ck, cv, attrs::DEFAULT);
    }
    Thrown::new(e)
}

/// node's `Received …` tail of ERR_INVALID_ARG_TYPE.
fn received(vm: &mut Vm, v: Value) -> String {
    if v.is_undefined() {
        return "Received undefined".into();
    }
    if v.is_null() {
        return "Received null".into();
    }
    if let Some(o) = v.as_heap::<Object>() {
        if o.get().is_callable() {
            let n = vm.function_name(o);
            return format!("Received function {n}");
        }
        let n = vm.class_name_of(o);
        return format!("Received an instance of {n}");
    }
    let mut shown = crate::vm::inspect::inspect_default(vm, v);
    if shown.chars().count() > 28 {
        shown = shown.chars().take(25).collect::<String>() + "...";
    }
    let ty = vm.type_of_name(v);
    format!("Received type {ty} ({shown})")
}

fn arg_type_error(vm: &mut Vm, what: &str, v: Value) -> Thrown {
    let r = received(vm, v);
    node_error(
        vm,
        ErrorKind::TypeError,
        "ERR_INVALID_ARG_TYPE",
        &format!("{what} {r}"),
    )
}

fn out_of_range(vm: &mut Vm, name: &str, range: &str, v: Value) -> Thrown {
    let mut shown = vm.to_display_string(v);
    // node's addNumericalSeparator for integers past 2 ** 32.
    if let Some(n) = v.as_number() {
        if n.fract() == 0.0 && n.abs() > 4294967296.0 && n.is_finite() {
            let (sign, digits) = match shown.strip_prefix('-') {
                Some(d) => ("-", d.to_string()),
                None => ("", shown.clone()),
            };
            if digits.bytes().all(|b| b.is_ascii_digit()) {
                let mut out = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        out.push('_');
                    }
                    out.push(c);
                }
                shown = format!("{sign}{out}");
            }
        }
    }
    node_error(
        vm,
        ErrorKind::RangeError,
        "ERR_OUT_OF_RANGE",
        &format!("The value of \"{name}\" is out of range. It must be {range}. Received {shown}"),
    )
}

// ---- Encodings ----

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Enc {
    Utf8,
    Hex,
    Base64,
    Base64Url,
    Latin1,
    Ascii,
    Utf16le,
}

fn parse_enc(name: &str) -> Option<Enc> {
    Some(match name.to_ascii_lowercase().as_str() {
        "utf8" | "utf-8" => Enc::Utf8,
        "hex" => Enc::Hex,
        "base64" => Enc::Base64,
        "base64url" => Enc::Base64Url,
        "latin1" | "binary" => Enc::Latin1,
        "ascii" => Enc::Ascii,
        "utf16le" | "utf-16le" | "ucs2" | "ucs-2" => Enc::Utf16le,
        _ => return None,
    })
}

/// The encoding argument (undefined: utf8), or ERR_UNKNOWN_ENCODING.
fn encoding(vm: &mut Vm, v: Value) -> Result<Enc, Thrown> {
    if v.is_undefined() || v.is_null() {
        return Ok(Enc::Utf8);
    }
    let s = vm.to_rust_string(v)?;
    match parse_enc(&s) {
        Some(e) => Ok(e),
        None => Err(node_error(
            vm,
            ErrorKind::TypeError,
            "ERR_UNKNOWN_ENCODING",
            &format!("Unknown encoding: {s}"),
        )),
    }
}

fn utf8_encode(units: &[u16]) -> Vec<u8> {
    char::decode_utf16(units.iter().copied())
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect::<String>()
        .into_bytes()
}

fn hex_val(c: u16) -> Option<u8> {
    char::from_u32(c as u32)
        .and_then(|c| c.to_digit(16))
        .map(|d| d as u8)
}

fn b64_val(c: u16) -> Option<u8> {
    Some(match c {
        0x41..=0x5A => (c - 0x41) as u8,
        0x61..=0x7A => (c - 0x61 + 26) as u8,
        0x30..=0x39 => (c - 0x30 + 52) as u8,
        0x2B | 0x2D => 62,
        0x2F | 0x5F => 63,
        _ => return None,
    })
}

fn encode(units: &[u16], enc: Enc) -> Vec<u8> {
    match enc {
        Enc::Utf8 => utf8_encode(units),
        Enc::Latin1 | Enc::Ascii => units.iter().map(|&u| u as u8).collect(),
        Enc::Utf16le => units.iter().flat_map(|u| u.to_le_bytes()).collect(),
        Enc::Hex => {
            let mut out = Vec::new();
            for pair in units.chunks(2) {
                if pair.len() < 2 {
                    break;
                }
                match (hex_val(pair[0]), hex_val(pair[1])) {
                    (Some(a), Some(b)) => out.push(a * 16 + b),
                    _ => break,
                }
            }
            out
        }
        Enc::Base64 | Enc::Base64Url => {
            let mut out = Vec::new();
            let (mut acc, mut bits) = (0u32, 0u32);
            for &u in units {
                if u == 0x3D {
                    break;
                }
                let Some(v) = b64_val(u) else { continue };
                acc = (acc << 6) | v as u32;
                bits += 6;
                if bits >= 8 {
                    bits -= 8;
                    out.push((acc >> bits) as u8);
                    acc &= (1 << bits) - 1;
                }
            }
            out
        }
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64(bytes: &[u8], url: bool) -> String {
    let table = if url { B64URL } else { B64 };
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (c.get(1).copied().unwrap_or(0) as u32) << 8
            | c.get(2).copied().unwrap_or(0) as u32;
        let k = c.len() + 1;
        for i in 0..4 {
            if i < k {
                s.push(table[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else if !url {
                s.push('=');
            }
        }
    }
    s
}

/// Bytes decoded to a JavaScript string's UTF-16 units.
fn decode(bytes: &[u8], enc: Enc) -> Vec<u16> {
    match enc {
        Enc::Utf8 => String::from_utf8_lossy(bytes).encode_utf16().collect(),
        Enc::Latin1 => bytes.iter().map(|&b| b as u16).collect(),
        Enc::Ascii => bytes.iter().map(|&b| (b & 0x7f) as u16).collect(),
        Enc::Utf16le => bytes
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect(),
        Enc::Hex => bytes
            .iter()
            .flat_map(|b| format!("{b:02x}").encode_utf16().collect::<Vec<_>>())
            .collect(),
        Enc::Base64 => base64(bytes, false).encode_utf16().collect(),
        Enc::Base64Url => base64(bytes, true).encode_utf16().collect(),
    }
}

/// `bytes` decoded with the encoding named `name` (`fs.readFileSync(path, enc)`), or fs's
/// ERR_INVALID_ARG_VALUE.
pub fn decode_named(vm: &mut Vm, bytes: &[u8], name: &str) -> R {
    let Some(enc) = parse_enc(name) else {
        let n = vm.new_string(name);
        let shown = crate::vm::inspect::inspect_default(vm, n);
        return Err(node_error(
            vm,
            ErrorKind::TypeError,
            "ERR_INVALID_ARG_VALUE",
            &format!("The argument 'encoding' is invalid encoding. Received {shown}"),
        ));
    };
    let units = decode(bytes, enc);
    Ok(vm.new_string_utf16(&units))
}

// ---- Making buffers ----

fn buffer_proto(vm: &Vm) -> Gc<Object> {
    vm.realm.extra["BufferPrototype"]
        .as_heap::<Object>()
        .expect("Buffer.prototype")
}

/// A new Buffer holding `bytes` (its own ArrayBuffer).
pub fn new_buffer(vm: &mut Vm, bytes: Vec<u8>) -> Gc<Object> {
    let len = bytes.len();
    let ab = new_array_buffer(vm, bytes);
    let p = buffer_proto(vm);
    new_view(vm, TaKind::Uint8, p, ab, 0, len)
}

/// The bytes a Uint8Array (or any typed array) views.
fn view_bytes(v: Value) -> Option<Vec<u8>> {
    let o = v.as_heap::<Object>()?;
    typed_array(o.get()).map(|t| t.to_bytes())
}

fn is_uint8_array(v: Value) -> bool {
    v.as_heap::<Object>().is_some_and(|o| {
        typed_array(o.get()).is_some_and(|t| matches!(t.kind, TaKind::Uint8 | TaKind::Uint8Clamped))
    })
}

/// `this` as a Uint8Array's `(object, bytes)`.
fn this_bytes(vm: &mut Vm, this: Value) -> Result<(Gc<Object>, Vec<u8>), Thrown> {
    let (o, _, _) = this_ta(vm, this)?;
    let b = typed_array(o.get())
        .map(|t| t.to_bytes())
        .unwrap_or_default();
    Ok((o, b))
}

/// Writes `bytes` into the view `o` at byte `at` (clipped to the view).
fn write_bytes(o: Gc<Object>, at: usize, bytes: &[u8]) -> usize {
    let Some(t) = typed_array(o.get()) else {
        return 0;
    };
    let len = t.byte_length();
    if at >= len {
        return 0;
    }
    let n = bytes.len().min(len - at);
    let mut b = t.store().borrow_mut();
    b[t.offset + at..t.offset + at + n].copy_from_slice(&bytes[..n]);
    n
}

pub fn install(vm: &mut Vm) {
    let u8p = kind_proto(vm, TaKind::Uint8);
    let p = vm.new_object_with_proto(Some(u8p));
    vm.realm.extra.insert("BufferPrototype", Value::heap(p));
    let c = super::core::make_ctor(vm, "Buffer", 3, buffer_ctor, p);
    vm.realm.extra.insert("BufferCtor", Value::heap(c));
    let ck = vm.realm.names.constructor;
    if let Some((u8ctor, _)) = u8p.get().get_own(ck) {
        c.get().set_proto(&mut vm.heap, u8ctor.as_heap::<Object>());
    }
    let statics: &[(&'static str, u32, NativeFn)] = &[
        ("from", 3, buffer_from),
        ("alloc", 3, buffer_alloc),
        ("allocUnsafe", 1, buffer_alloc_unsafe),
        ("allocUnsafeSlow", 1, buffer_alloc_unsafe),
        ("byteLength", 2, buffer_byte_length),
        ("concat", 2, buffer_concat),
        ("isBuffer", 1, |vm, _, a| {
            Ok(Value::bool(is_buffer(vm, arg(a, 0))))
        }),
        ("isEncoding", 1, |vm, _, a| {
            Ok(Value::bool(
                arg(a, 0).as_heap::<JsString>().is_some()
                    && parse_enc(&vm.to_display_string(arg(a, 0))).is_some(),
            ))
        }),
        ("compare", 2, buffer_compare_static),
    ];
    for &(name, len, f) in statics {
        vm.define_native(c, name, len, f);
    }
    let ps = vm.intern("poolSize");
    c.get()
        .define(&mut vm.heap, ps, Value::int(8192), attrs::DEFAULT);
    let methods: &[(&'static str, u32, NativeFn)] = &[
        ("toString", 3, buffer_to_string),
        ("write", 4, buffer_write),
        ("equals", 1, buffer_equals),
        ("compare", 5, buffer_compare),
        ("indexOf", 3, |vm, t, a| buffer_index_of(vm, t, a, 0)),
        ("lastIndexOf", 3, |vm, t, a| buffer_index_of(vm, t, a, 1)),
        ("includes", 3, |vm, t, a| buffer_index_of(vm, t, a, 2)),
        ("slice", 2, buffer_subarray),
        ("subarray", 2, buffer_subarray),
        ("toJSON", 0, buffer_to_json),
        ("copy", 4, buffer_copy),
        ("fill", 4, buffer_fill),
    ];
    for &(name, len, f) in methods {
        vm.define_native(p, name, len, f);
    }
    install_read_write(vm, p);
    let var: &[(&'static str, NativeFn)] = &[
        ("readUIntLE", |vm, t, a| read_var(vm, t, a, false, true)),
        ("readUIntBE", |vm, t, a| read_var(vm, t, a, false, false)),
        ("readIntLE", |vm, t, a| read_var(vm, t, a, true, true)),
        ("readIntBE", |vm, t, a| read_var(vm, t, a, true, false)),
        ("writeUIntLE", |vm, t, a| write_var(vm, t, a, false, true)),
        ("writeUIntBE", |vm, t, a| write_var(vm, t, a, false, false)),
        ("writeIntLE", |vm, t, a| write_var(vm, t, a, true, true)),
        ("writeIntBE", |vm, t, a| write_var(vm, t, a, true, false)),
    ];
    for &(name, f) in var {
        let len = if name.starts_with("read") { 2 } else { 3 };
        let fo = vm.define_native(p, name, len, f);
        if name.contains("UInt") {
            let alias: &'static str = match name {
                "readUIntLE" => "readUintLE",
                "readUIntBE" => "readUintBE",
                "writeUIntLE" => "writeUintLE",
                _ => "writeUintBE",
            };
            let k = vm.intern(alias);
            p.get()
                .define(&mut vm.heap, k, Value::heap(fo), attrs::HIDDEN);
        }
    }
}

/// The `byteLength` argument of the variable-width methods: an integer in 1..=6.
fn check_width(vm: &mut Vm, v: Value) -> Result<usize, Thrown> {
    let Some(n) = v.as_number() else {
        return Err(arg_type_error(
            vm,
            "The \"byteLength\" argument must be of type number.",
            v,
        ));
    };
    if n.fract() != 0.0 || !n.is_finite() {
        return Err(out_of_range(vm, "byteLength", "an integer", v));
    }
    if !(1.0..=6.0).contains(&n) {
        return Err(out_of_range(vm, "byteLength", ">= 1 and <= 6", v));
    }
    Ok(n as usize)
}

fn read_var(vm: &mut Vm, this: Value, a: &[Value], signed: bool, little: bool) -> R {
    let (o, _, _) = this_ta(vm, this)?;
    let w = check_width(vm, arg(a, 1))?;
    let len = typed_array(o.get()).map_or(0, |t| t.byte_length());
    let at = check_offset(vm, arg(a, 0), len as isize - w as isize)?;
    let Some(t) = typed_array(o.get()) else {
        return Ok(Value::UNDEFINED);
    };
    let b = t.store().borrow();
    let mut bytes = b[t.offset + at..t.offset + at + w].to_vec();
    if !little {
        bytes.reverse();
    }
    let mut n: u64 = 0;
    for (i, byte) in bytes.iter().enumerate() {
        n |= (*byte as u64) << (8 * i);
    }
    let mut x = n as f64;
    if signed && n >> (8 * w - 1) & 1 == 1 {
        x -= (1u64 << (8 * w)) as f64;
    }
    Ok(Value::number(x))
}

fn write_var(vm: &mut Vm, this: Value, a: &[Value], signed: bool, little: bool) -> R {
    let (o, _, _) = this_ta(vm, this)?;
    let v = arg(a, 0);
    let n = vm.to_number(v)?;
    let w = check_width(vm, arg(a, 2))?;
    let len = typed_array(o.get()).map_or(0, |t| t.byte_length());
    let at = check_offset(vm, arg(a, 1), len as isize - w as isize)?;
    let bits = 8 * w as i32;
    let (lo, hi) = if signed {
        (-(2f64.powi(bits - 1)), 2f64.powi(bits - 1) - 1.0)
    } else {
        (0.0, 2f64.powi(bits) - 1.0)
    };
    if n < lo || n > hi {
        let range = if w > 4 {
            if signed {
                format!(">= -(2 ** {}) and < 2 ** {}", bits - 1, bits - 1)
            } else {
                format!(">= 0 and < 2 ** {bits}")
            }
        } else {
            format!(
                ">= {} and <= {}",
                number_to_string(lo),
                number_to_string(hi)
            )
        };
        let nv = Value::number(n);
        return Err(out_of_range(vm, "value", &range, nv));
    }
    let x = if n.is_finite() { n.trunc() } else { 0.0 };
    let u = if x < 0.0 {
        (x + 2f64.powi(bits)) as u64
    } else {
        x as u64
    };
    let mut bytes: Vec<u8> = (0..w).map(|i| (u >> (8 * i)) as u8).collect();
    if !little {
        bytes.reverse();
    }
    write_bytes(o, at, &bytes);
    Ok(Value::number((at + w) as f64))
}

/// `Buffer.prototype.readUInt8` … `writeDoubleBE`, with node's lowercase `Uint` aliases.
fn install_read_write(vm: &mut Vm, p: Gc<Object>) {
    macro_rules! rw {
        ($($name:literal, $alias:literal, $kind:expr, $le:expr, $write:literal;)*) => {
            $(
                let f: NativeFn = if $write {
                    |vm, t, a| write_num(vm, t, a, $kind, $le)
                } else {
                    |vm, t, a| read_num(vm, t, a, $kind, $le)
                };
                let len = if $write { 2 } else { 1 };
                let fo = vm.define_native(p, $name, len, f);
                if !$alias.is_empty() {
                    let k = vm.intern($alias);
                    p.get().define(&mut vm.heap, k, Value::heap(fo), attrs::HIDDEN);
                }
            )*
        };
    }
    rw! {
        "readUInt8", "readUint8", TaKind::Uint8, true, false;
        "readUInt16LE", "readUint16LE", TaKind::Uint16, true, false;
        "readUInt16BE", "readUint16BE", TaKind::Uint16, false, false;
        "readUInt32LE", "readUint32LE", TaKind::Uint32, true, false;
        "readUInt32BE", "readUint32BE", TaKind::Uint32, false, false;
        "readInt8", "", TaKind::Int8, true, false;
        "readInt16LE", "", TaKind::Int16, true, false;
        "readInt16BE", "", TaKind::Int16, false, false;
        "readInt32LE", "", TaKind::Int32, true, false;
        "readInt32BE", "", TaKind::Int32, false, false;
        "readFloatLE", "", TaKind::Float32, true, false;
        "readFloatBE", "", TaKind::Float32, false, false;
        "readDoubleLE", "", TaKind::Float64, true, false;
        "readDoubleBE", "", TaKind::Float64, false, false;
        "writeUInt8", "writeUint8", TaKind::Uint8, true, true;
        "writeUInt16LE", "writeUint16LE", TaKind::Uint16, true, true;
        "writeUInt16BE", "writeUint16BE", TaKind::Uint16, false, true;
        "writeUInt32LE", "writeUint32LE", TaKind::Uint32, true, true;
        "writeUInt32BE", "writeUint32BE", TaKind::Uint32, false, true;
        "writeInt8", "", TaKind::Int8, true, true;
        "writeInt16LE", "", TaKind::Int16, true, true;
        "writeInt16BE", "", TaKind::Int16, false, true;
        "writeInt32LE", "", TaKind::Int32, true, true;
        "writeInt32BE", "", TaKind::Int32, false, true;
        "writeFloatLE", "", TaKind::Float32, true, true;
        "writeFloatBE", "", TaKind::Float32, false, true;
        "writeDoubleLE", "", TaKind::Float64, true, true;
        "writeDoubleBE", "", TaKind::Float64, false, true;
    }
}

/// node's offset check for read/write: a number, an integer, within `0..=max`.
fn check_offset(vm: &mut Vm, v: Value, max: isize) -> Result<usize, Thrown> {
    if v.is_undefined() {
        if max < 0 {
            return Err(node_error(
                vm,
                ErrorKind::RangeError,
                "ERR_BUFFER_OUT_OF_BOUNDS",
                "Attempt to access memory outside buffer bounds",
            ));
        }
        return Ok(0);
    }
    let Some(n) = v.as_number() else {
        return Err(arg_type_error(
            vm,
            "The \"offset\" argument must be of type number.",
            v,
        ));
    };
    if n.fract() != 0.0 || !n.is_finite() {
        return Err(out_of_range(vm, "offset", "an integer", v));
    }
    if max < 0 {
        return Err(node_error(
            vm,
            ErrorKind::RangeError,
            "ERR_BUFFER_OUT_OF_BOUNDS",
            "Attempt to access memory outside buffer bounds",
        ));
    }
    if n < 0.0 || n > max as f64 {
        return Err(out_of_range(vm, "offset", &format!(">= 0 and <= {max}"), v));
    }
    Ok(n as usize)
}

fn read_num(vm: &mut Vm, this: Value, a: &[Value], kind: TaKind, little: bool) -> R {
    let (o, _, _) = this_ta(vm, this)?;
    let len = typed_array(o.get()).map_or(0, |t| t.byte_length());
    let at = check_offset(vm, arg(a, 0), len as isize - kind.size() as isize)?;
    let Some(t) = typed_array(o.get()) else {
        return Ok(Value::UNDEFINED);
    };
    let b = t.store().borrow();
    let n = kind.read(&b[t.offset + at..], little);
    Ok(kind.value(n))
}

fn write_num(vm: &mut Vm, this: Value, a: &[Value], kind: TaKind, little: bool) -> R {
    let (o, _, _) = this_ta(vm, this)?;
    let v = arg(a, 0);
    let n = vm.to_number(v)?;
    let range = match kind {
        TaKind::Uint8 => Some((0.0, 255.0)),
        TaKind::Uint16 => Some((0.0, 65535.0)),
        TaKind::Uint32 => Some((0.0, 4294967295.0)),
        TaKind::Int8 => Some((-128.0, 127.0)),
        TaKind::Int16 => Some((-32768.0, 32767.0)),
        TaKind::Int32 => Some((-2147483648.0, 2147483647.0)),
        _ => None,
    };
    let len = typed_array(o.get()).map_or(0, |t| t.byte_length());
    let at = check_offset(vm, arg(a, 1), len as isize - kind.size() as isize)?;
    if let Some((lo, hi)) = range {
        if n < lo || n > hi {
            let nv = Value::number(n);
            return Err(out_of_range(
                vm,
                "value",
                &format!(
                    "{} and <= {}",
                    format_args!(">= {}", number_to_string(lo)),
                    number_to_string(hi)
                ),
                nv,
            ));
        }
    }
    if let Some(t) = typed_array(o.get()) {
        let mut b = t.store().borrow_mut();
        let off = t.offset + at;
        kind.write(n, &mut b[off..], little);
    }
    Ok(Value::number((at + kind.size()) as f64))
}

pub(crate) fn is_buffer(vm: &Vm, v: Value) -> bool {
    v.as_heap::<Object>()
        .is_some_and(|o| o.get().inherits_from(buffer_proto(vm)))
}

const FROM_TYPES: &str = "The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object.";

fn buffer_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let _ = vm.take_new_target();
    if arg(a, 0).is_number() {
        return buffer_alloc(vm, Value::UNDEFINED, &a[..1]);
    }
    buffer_from(vm, Value::UNDEFINED, a)
}

fn buffer_from(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let v = arg(a, 0);
    if let Some(s) = v.as_heap::<JsString>() {
        let enc = encoding(vm, arg(a, 1))?;
        let units: Vec<u16> = s.get().units().collect();
        let bytes = encode(&units, enc);
        return Ok(Value::heap(new_buffer(vm, bytes)));
    }
    let Some(o) = v.as_heap::<Object>() else {
        return Err(arg_type_error(vm, FROM_TYPES, v));
    };
    if let Some(store) = buffer_store(o.get()) {
        let len = store.borrow().len();
        let off = to_integer(vm, arg(a, 1))?;
        if off < 0.0 || off > len as f64 {
            return Err(node_error(
                vm,
                ErrorKind::RangeError,
                "ERR_BUFFER_OUT_OF_BOUNDS",
                "\"offset\" is outside of buffer bounds",
            ));
        }
        let off = off as usize;
        let n = if arg(a, 2).is_undefined() {
            len - off
        } else {
            let n = to_integer(vm, arg(a, 2))?.max(0.0);
            if off as f64 + n > len as f64 {
                return Err(node_error(
                    vm,
                    ErrorKind::RangeError,
                    "ERR_BUFFER_OUT_OF_BOUNDS",
                    "\"length\" is outside of buffer bounds",
                ));
            }
            n as usize
        };
        let p = buffer_proto(vm);
        return Ok(Value::heap(new_view(vm, TaKind::Uint8, p, o, off, n)));
    }
    if let Some(t) = typed_array(o.get()) {
        let bytes: Vec<u8> = (0..t.length)
            .map(|i| {
                let mut b = [0u8];
                TaKind::Uint8.write(t.get_number(i), &mut b, true);
                b[0]
            })
            .collect();
        return Ok(Value::heap(new_buffer(vm, bytes)));
    }
    if o.get().is_callable() {
        return Err(arg_type_error(vm, FROM_TYPES, v));
    }
    // An array or array-like object.
    let lk = vm.realm.names.length;
    let has_len = !matches!(o.get().class, ObjectClass::Ordinary) || {
        let l = vm.get(v, lk)?;
        !l.is_undefined()
    };
    if !has_len {
        return Err(arg_type_error(vm, FROM_TYPES, v));
    }
    let len = vm.length_of(v)?;
    let mut bytes = Vec::with_capacity(len.min(1 << 20));
    for i in 0..len {
        let x = vm.get_index(v, i as u32)?;
        let n = vm.to_number(x)?;
        let mut b = [0u8];
        TaKind::Uint8.write(n, &mut b, true);
        bytes.push(b[0]);
    }
    Ok(Value::heap(new_buffer(vm, bytes)))
}

fn check_size(vm: &mut Vm, v: Value) -> Result<usize, Thrown> {
    let Some(n) = v.as_number() else {
        return Err(arg_type_error(
            vm,
            "The \"size\" argument must be of type number.",
            v,
        ));
    };
    if !(0.0..=K_MAX_LENGTH).contains(&n) || n.is_nan() {
        return Err(out_of_range(vm, "size", ">= 0 && <= 4294967296", v));
    }
    Ok(n as usize)
}

fn zeroed(vm: &mut Vm, n: usize) -> Result<Vec<u8>, Thrown> {
    crate::vm::typed::zeroed_bytes(n)
        .ok_or_else(|| vm.range_error("Array buffer allocation failed"))
}

fn buffer_alloc(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let n = check_size(vm, arg(a, 0))?;
    let mut bytes = zeroed(vm, n)?;
    let fill = arg(a, 1);
    if !fill.is_undefined() && n > 0 {
        let pattern = fill_pattern(vm, fill, arg(a, 2))?;
        if !pattern.is_empty() {
            for (i, b) in bytes.iter_mut().enumerate() {
                *b = pattern[i % pattern.len()];
            }
        }
    }
    Ok(Value::heap(new_buffer(vm, bytes)))
}

/// The bytes `fill` repeats: a number's low byte, a string's encoding, a buffer's bytes.
fn fill_pattern(vm: &mut Vm, fill: Value, enc: Value) -> Result<Vec<u8>, Thrown> {
    if let Some(s) = fill.as_heap::<JsString>() {
        let enc = encoding(vm, enc)?;
        let units: Vec<u16> = s.get().units().collect();
        return Ok(encode(&units, enc));
    }
    if let Some(b) = view_bytes(fill) {
        return Ok(b);
    }
    let n = vm.to_number(fill)?;
    let mut b = [0u8];
    TaKind::Uint8.write(n, &mut b, true);
    Ok(vec![b[0]])
}

fn buffer_alloc_unsafe(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let n = check_size(vm, arg(a, 0))?;
    let bytes = zeroed(vm, n)?;
    Ok(Value::heap(new_buffer(vm, bytes)))
}

fn buffer_byte_length(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let v = arg(a, 0);
    if let Some(s) = v.as_heap::<JsString>() {
        let enc = encoding(vm, arg(a, 1)).unwrap_or(Enc::Utf8);
        let units: Vec<u16> = s.get().units().collect();
        return Ok(Value::number(encode(&units, enc).len() as f64));
    }
    if let Some(o) = v.as_heap::<Object>() {
        if let Some(t) = typed_array(o.get()) {
            return Ok(Value::number(t.byte_length() as f64));
        }
        if let ObjectClass::DataView(d) = &o.get().class {
            return Ok(Value::number(d.length as f64));
        }
        if let Some(b) = buffer_store(o.get()) {
            return Ok(Value::number(b.borrow().len() as f64));
        }
    }
    Err(arg_type_error(
        vm,
        "The \"string\" argument must be of type string or an instance of Buffer or ArrayBuffer.",
        v,
    ))
}

fn buffer_concat(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let list = arg(a, 0);
    let is_array = list
        .as_heap::<Object>()
        .is_some_and(|o| matches!(o.get().class, ObjectClass::Array));
    if !is_array {
        return Err(arg_type_error(
            vm,
            "The \"list\" argument must be an instance of Array.",
            list,
        ));
    }
    let items = vm.array_items(list);
    let mut bytes = Vec::new();
    for (i, it) in items.iter().enumerate() {
        if !is_uint8_array(*it) {
            return Err(arg_type_error(
                vm,
                &format!("The \"list[{i}]\" argument must be an instance of Buffer or Uint8Array."),
                *it,
            ));
        }
        bytes.extend(view_bytes(*it).unwrap_or_default());
    }
    let total = arg(a, 1);
    if !total.is_undefined() {
        let n = to_integer(vm, total)?.max(0.0) as usize;
        bytes.resize(n, 0);
    }
    Ok(Value::heap(new_buffer(vm, bytes)))
}

fn compare_bytes(x: &[u8], y: &[u8]) -> Value {
    Value::int(match x.cmp(y) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    })
}

fn uint8_arg(vm: &mut Vm, v: Value, name: &str) -> Result<Vec<u8>, Thrown> {
    if is_uint8_array(v) {
        return Ok(view_bytes(v).unwrap_or_default());
    }
    Err(arg_type_error(
        vm,
        &format!("The \"{name}\" argument must be an instance of Buffer or Uint8Array."),
        v,
    ))
}

fn buffer_compare_static(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let x = uint8_arg(vm, arg(a, 0), "buf1")?;
    let y = uint8_arg(vm, arg(a, 1), "buf2")?;
    Ok(compare_bytes(&x, &y))
}

fn buffer_compare(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (_, mine) = this_bytes(vm, this)?;
    let other = uint8_arg(vm, arg(a, 0), "target")?;
    let range = |vm: &mut Vm, v: Value, len: usize, d: usize| -> Result<usize, Thrown> {
        if v.is_undefined() {
            return Ok(d);
        }
        Ok(to_integer(vm, v)?.clamp(0.0, len as f64) as usize)
    };
    let ts = range(vm, arg(a, 1), other.len(), 0)?;
    let te = range(vm, arg(a, 2), other.len(), other.len())?;
    let ss = range(vm, arg(a, 3), mine.len(), 0)?;
    let se = range(vm, arg(a, 4), mine.len(), mine.len())?;
    Ok(compare_bytes(&mine[ss..se.max(ss)], &other[ts..te.max(ts)]))
}

fn buffer_equals(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (_, mine) = this_bytes(vm, this)?;
    let other = uint8_arg(vm, arg(a, 0), "otherBuffer")?;
    Ok(Value::bool(mine == other))
}

fn buffer_to_string(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (_, bytes) = this_bytes(vm, this)?;
    let enc = encoding(vm, arg(a, 0))?;
    let len = bytes.len();
    let start = if arg(a, 1).is_undefined() {
        0
    } else {
        to_integer(vm, arg(a, 1))?.clamp(0.0, len as f64) as usize
    };
    let end = if arg(a, 2).is_undefined() {
        len
    } else {
        to_integer(vm, arg(a, 2))?.clamp(0.0, len as f64) as usize
    };
    if end <= start {
        return Ok(vm.new_string(""));
    }
    let units = decode(&bytes[start..end], enc);
    Ok(vm.new_string_utf16(&units))
}

fn buffer_write(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, bytes) = this_bytes(vm, this)?;
    let s = arg(a, 0);
    let Some(sv) = s.as_heap::<JsString>() else {
        return Err(arg_type_error(
            vm,
            "The \"string\" argument must be of type string.",
            s,
        ));
    };
    let len = bytes.len();
    // write(string[, offset[, length]][, encoding])
    let (mut offset, mut max, mut enc) = (0usize, len, Value::UNDEFINED);
    let mut rest = a.iter().skip(1).copied().collect::<Vec<_>>();
    if rest
        .first()
        .is_some_and(|v| v.as_heap::<JsString>().is_some())
    {
        enc = rest[0];
        rest.clear();
    }
    if let Some(&v) = rest.first() {
        if !v.is_undefined() {
            offset = check_offset(vm, v, len as isize)?;
        }
        max = len - offset;
    }
    if let Some(&v) = rest.get(1) {
        if v.as_heap::<JsString>().is_some() {
            enc = v;
        } else if !v.is_undefined() {
            max = (to_integer(vm, v)?.max(0.0) as usize).min(len - offset);
        }
    }
    if let Some(&v) = rest.get(2) {
        enc = v;
    }
    let e = encoding(vm, enc)?;
    let units: Vec<u16> = sv.get().units().collect();
    let mut data = encode(&units, e);
    if data.len() > max {
        let mut cut = max;
        if e == Enc::Utf8 {
            // Never write part of a character.
            while cut > 0 && cut < data.len() && data[cut] & 0xC0 == 0x80 {
                cut -= 1;
            }
        } else if e == Enc::Utf16le {
            cut -= cut % 2;
        }
        data.truncate(cut);
    }
    let n = write_bytes(o, offset, &data);
    Ok(Value::number(n as f64))
}

/// indexOf (0), lastIndexOf (1), includes (2).
fn buffer_index_of(vm: &mut Vm, this: Value, a: &[Value], how: u8) -> R {
    let (_, hay) = this_bytes(vm, this)?;
    let v = arg(a, 0);
    let mut off_v = arg(a, 1);
    let mut enc_v = arg(a, 2);
    if off_v.as_heap::<JsString>().is_some() {
        enc_v = off_v;
        off_v = Value::UNDEFINED;
    }
    let len = hay.len() as f64;
    let mut off = if off_v.is_undefined() {
        if how == 1 {
            len
        } else {
            0.0
        }
    } else {
        let n = vm.to_number(off_v)?;
        if n.is_nan() {
            if how == 1 {
                len
            } else {
                0.0
            }
        } else {
            n.trunc()
        }
    };
    if off < 0.0 {
        off += len;
    }
    let needle: Vec<u8> = if let Some(s) = v.as_heap::<JsString>() {
        let e = encoding(vm, enc_v)?;
        let units: Vec<u16> = s.get().units().collect();
        encode(&units, e)
    } else if let Some(b) = view_bytes(v) {
        b
    } else if let Some(n) = v.as_number() {
        let mut b = [0u8];
        TaKind::Uint8.write(n, &mut b, true);
        vec![b[0]]
    } else {
        return Err(arg_type_error(
            vm,
            "The \"value\" argument must be one of type number or string or an instance of Buffer or Uint8Array.",
            v,
        ));
    };
    let found = |i: Option<usize>| match (how, i) {
        (2, i) => Value::bool(i.is_some()),
        (_, Some(i)) => Value::number(i as f64),
        (_, None) => Value::int(-1),
    };
    let hl = hay.len();
    let nl = needle.len();
    if how == 1 {
        if off < 0.0 {
            return Ok(found(None));
        }
        let start = (off.min(len) as usize).min(hl.saturating_sub(nl));
        if nl > hl {
            return Ok(found(None));
        }
        let r = (0..=start).rev().find(|&i| hay[i..i + nl] == needle[..]);
        return Ok(found(r));
    }
    let start = off.clamp(0.0, len) as usize;
    if nl == 0 {
        return Ok(found(Some(start)));
    }
    if nl > hl {
        return Ok(found(None));
    }
    let r = (start..=hl - nl).find(|&i| hay[i..i + nl] == needle[..]);
    Ok(found(r))
}

fn buffer_subarray(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, _, len) = this_ta(vm, this)?;
    let start = super::util::relative_index(vm, arg(a, 0), len, 0)?;
    let end = super::util::relative_index(vm, arg(a, 1), len, len)?;
    let count = end.saturating_sub(start);
    let Some((buffer, offset)) = typed_array(o.get()).map(|t| (t.buffer, t.offset)) else {
        return Ok(Value::UNDEFINED);
    };
    let proto = o.get().proto().unwrap_or(buffer_proto(vm));
    Ok(Value::heap(new_view(
        vm,
        TaKind::Uint8,
        proto,
        buffer,
        offset + start,
        count,
    )))
}

fn buffer_to_json(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let (_, bytes) = this_bytes(vm, this)?;
    let data: Vec<Value> = bytes.iter().map(|&b| Value::int(b as i32)).collect();
    let arr = vm.new_array(data);
    vm.root(Value::heap(arr));
    let o = vm.new_object();
    let (tk, dk) = (vm.intern("type"), vm.intern("data"));
    let t = vm.new_string("Buffer");
    o.get().define(&mut vm.heap, tk, t, attrs::DEFAULT);
    o.get()
        .define(&mut vm.heap, dk, Value::heap(arr), attrs::DEFAULT);
    Ok(Value::heap(o))
}

fn buffer_copy(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (_, src) = this_bytes(vm, this)?;
    let target = arg(a, 0);
    if !is_uint8_array(target) {
        return Err(arg_type_error(
            vm,
            "The \"target\" argument must be an instance of Buffer or Uint8Array.",
            target,
        ));
    }
    let t = target.as_heap::<Object>().expect("checked");
    let tlen = typed_array(t.get()).map_or(0, |t| t.byte_length());
    let int = |vm: &mut Vm, v: Value, d: usize| -> Result<f64, Thrown> {
        if v.is_undefined() {
            Ok(d as f64)
        } else {
            to_integer(vm, v)
        }
    };
    let ts = int(vm, arg(a, 1), 0)?;
    let ss = int(vm, arg(a, 2), 0)?;
    let se = int(vm, arg(a, 3), src.len())?;
    if ts < 0.0 {
        let v = Value::number(ts);
        return Err(out_of_range(vm, "targetStart", ">= 0", v));
    }
    if ss < 0.0 {
        let v = Value::number(ss);
        return Err(out_of_range(vm, "sourceStart", ">= 0", v));
    }
    let ts = ts as usize;
    let ss = (ss as usize).min(src.len());
    let se = (se.max(0.0) as usize).min(src.len());
    if ts >= tlen || se <= ss {
        return Ok(Value::int(0));
    }
    let n = write_bytes(t, ts, &src[ss..se]);
    Ok(Value::number(n as f64))
}

fn buffer_fill(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, bytes) = this_bytes(vm, this)?;
    let len = bytes.len();
    let mut enc = arg(a, 3);
    let (mut start_v, mut end_v) = (arg(a, 1), arg(a, 2));
    if start_v.as_heap::<JsString>().is_some() {
        enc = start_v;
        start_v = Value::UNDEFINED;
        end_v = Value::UNDEFINED;
    } else if end_v.as_heap::<JsString>().is_some() {
        enc = end_v;
        end_v = Value::UNDEFINED;
    }
    let start = if start_v.is_undefined() {
        0
    } else {
        check_offset(vm, start_v, len as isize)?
    };
    let end = if end_v.is_undefined() {
        len
    } else {
        let n = to_integer(vm, end_v)?;
        if n < 0.0 || n > len as f64 {
            return Err(out_of_range(
                vm,
                "end",
                &format!(">= 0 and <= {len}"),
                end_v,
            ));
        }
        n as usize
    };
    let pattern = fill_pattern(vm, arg(a, 0), enc)?;
    if end > start {
        let data: Vec<u8> = if pattern.is_empty() {
            vec![0; end - start]
        } else {
            (0..end - start)
                .map(|i| pattern[i % pattern.len()])
                .collect()
        };
        write_bytes(o, start, &data);
    }
    Ok(this)
}

/// `require('buffer')`.
pub fn buffer_module(vm: &mut Vm) -> R {
    let m = vm.new_object();
    vm.root(Value::heap(m));
    let b = vm.realm.extra["BufferCtor"];
    for (k, v) in [
        ("Buffer", b),
        ("kMaxLength", Value::number(K_MAX_LENGTH)),
        ("INSPECT_MAX_BYTES", Value::int(50)),
    ] {
        let key = vm.intern(k);
        m.get().define(&mut vm.heap, key, v, attrs::DEFAULT);
    }
    let c = vm.new_object();
    let (mk, sk) = (vm.intern("MAX_LENGTH"), vm.intern("MAX_STRING_LENGTH"));
    c.get().define(
        &mut vm.heap,
        mk,
        Value::number(K_MAX_LENGTH),
        attrs::DEFAULT,
    );
    c.get()
        .define(&mut vm.heap, sk, Value::number(536870888.0), attrs::DEFAULT);
    let ck = vm.intern("constants");
    m.get()
        .define(&mut vm.heap, ck, Value::heap(c), attrs::DEFAULT);
    Ok(Value::heap(m))
}
