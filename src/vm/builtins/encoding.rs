//! The WHATWG Encoding API node exposes as globals: `TextEncoder` (UTF-8 into a Uint8Array)
//! and `TextDecoder` (UTF-8, UTF-16LE and latin1 out of a typed array, DataView or
//! ArrayBuffer). No streaming: `decode(b, { stream: true })` decodes `b` on its own.

use super::typed::{new_array_buffer, new_view};
use crate::gc::Gc;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, HostData, Object, ObjectClass};
use crate::vm::realm::arg;
use crate::vm::string::JsString;
use crate::vm::typed::TaKind;
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

/// A TextDecoder's internal slots.
struct Decoder {
    encoding: &'static str,
    fatal: bool,
    ignore_bom: bool,
}

impl HostData for Decoder {
    fn class_name(&self) -> &'static str {
        "TextDecoder"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A TextEncoder has no state; its objects carry this marker (for the receiver checks).
struct Encoder;

impl HostData for Encoder {
    fn class_name(&self) -> &'static str {
        "TextEncoder"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn coded_error(vm: &mut Vm, e: Thrown, code: &str) -> Thrown {
    if let Some(o) = e.value.as_heap::<Object>() {
        let k = vm.intern("code");
        let c = vm.new_string(code);
        o.get().define(&mut vm.heap, k, c, attrs::DEFAULT);
    }
    e
}

fn new_host(vm: &mut Vm, proto_key: &'static str, data: Box<dyn HostData>) -> R {
    let nt = vm.take_new_target();
    if nt.is_undefined() {
        let name = &proto_key[..proto_key.len() - "Prototype".len()];
        let e = vm.type_error(&format!(
            "Class constructor {name} cannot be invoked without 'new'"
        ));
        return Err(coded_error(vm, e, "ERR_CONSTRUCT_CALL_REQUIRED"));
    }
    let default = vm.realm.extra[proto_key]
        .as_heap::<Object>()
        .expect("the prototype");
    let proto = vm.prototype_for(nt, default)?;
    let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
    Ok(Value::heap(
        vm.heap
            .alloc(Object::with_class(shape, ObjectClass::Host(data))),
    ))
}

fn host<T: 'static>(v: Value) -> Option<Gc<Object>> {
    let o = v.as_heap::<Object>()?;
    match &o.get().class {
        ObjectClass::Host(h) if h.as_any().is::<T>() => Some(o),
        _ => None,
    }
}

fn receiver_error(vm: &mut Vm, class: &str) -> Thrown {
    let e = vm.type_error(&format!("Value of \"this\" must be of type {class}"));
    coded_error(vm, e, "ERR_INVALID_THIS")
}

/// A new Uint8Array (not a Buffer) holding `bytes`.
fn new_uint8_array(vm: &mut Vm, bytes: Vec<u8>) -> Gc<Object> {
    let len = bytes.len();
    let ab = new_array_buffer(vm, bytes);
    let proto = vm.realm.extra["Uint8ArrayPrototype"]
        .as_heap::<Object>()
        .expect("Uint8Array.prototype");
    let mark = vm.stack.len();
    vm.root(Value::heap(ab));
    let v = new_view(vm, TaKind::Uint8, proto, ab, 0, len);
    vm.stack.truncate(mark);
    v
}

/// The UTF-16 units of `v` after ToString (`undefined` is the empty string).
fn units_of(vm: &mut Vm, v: Value) -> Result<Vec<u16>, Thrown> {
    if v.is_undefined() {
        return Ok(Vec::new());
    }
    let s = match v.as_heap::<JsString>() {
        Some(s) => s,
        None => vm.to_string(v)?,
    };
    Ok(s.get().units().collect())
}

/// One code point from `units` at `i`: the character and how many units it took (a lone
/// surrogate is U+FFFD, as USVString conversion makes it).
fn char_at(units: &[u16], i: usize) -> (char, usize) {
    let u = units[i];
    if (0xD800..0xDC00).contains(&u) {
        if let Some(&lo) = units.get(i + 1) {
            if (0xDC00..0xE000).contains(&lo) {
                let c = 0x10000 + (((u as u32) - 0xD800) << 10) + ((lo as u32) - 0xDC00);
                return (char::from_u32(c).unwrap_or('\u{FFFD}'), 2);
            }
        }
        return ('\u{FFFD}', 1);
    }
    (char::from_u32(u as u32).unwrap_or('\u{FFFD}'), 1)
}

fn encode(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    if host::<Encoder>(this).is_none() {
        return Err(receiver_error(vm, "TextEncoder"));
    }
    let units = units_of(vm, arg(a, 0))?;
    let mut out = Vec::with_capacity(units.len());
    let mut i = 0;
    let mut buf = [0u8; 4];
    while i < units.len() {
        let (c, n) = char_at(&units, i);
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        i += n;
    }
    Ok(Value::heap(new_uint8_array(vm, out)))
}

fn encode_into(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    if host::<Encoder>(this).is_none() {
        return Err(receiver_error(vm, "TextEncoder"));
    }
    let units = units_of(vm, arg(a, 0))?;
    let dest = arg(a, 1);
    let view = dest.as_heap::<Object>().and_then(|o| {
        crate::vm::typed::typed_array(o.get())
            .filter(|t| t.kind == TaKind::Uint8)
            .map(|t| (t.buffer, t.offset, t.length))
    });
    let Some((buffer, offset, length)) = view else {
        let shown = vm.inspect_value(dest);
        let rec = crate::runtime::timers::describe_received(vm, dest, &shown);
        let e = vm.type_error(&format!(
            "The \"dest\" argument must be an instance of Uint8Array. Received {rec}"
        ));
        return Err(coded_error(vm, e, "ERR_INVALID_ARG_TYPE"));
    };
    let (mut read, mut written) = (0usize, 0usize);
    if let Some(store) = crate::vm::typed::buffer_store(buffer.get()) {
        let mut bytes = store.borrow_mut();
        let mut buf = [0u8; 4];
        while read < units.len() {
            let (c, n) = char_at(&units, read);
            let enc = c.encode_utf8(&mut buf).as_bytes();
            if written + enc.len() > length {
                break;
            }
            let at = offset + written;
            if let Some(dst) = bytes.get_mut(at..at + enc.len()) {
                dst.copy_from_slice(enc);
            }
            written += enc.len();
            read += n;
        }
    }
    let o = vm.new_object();
    let (rk, wk) = (vm.intern("read"), vm.intern("written"));
    o.get()
        .define(&mut vm.heap, rk, Value::number(read as f64), attrs::DEFAULT);
    o.get().define(
        &mut vm.heap,
        wk,
        Value::number(written as f64),
        attrs::DEFAULT,
    );
    Ok(Value::heap(o))
}

/// The WHATWG name of an encoding label minijs decodes.
fn encoding_of(label: &str) -> Option<&'static str> {
    Some(match label.trim().to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" | "unicode-1-1-utf-8" | "unicode11utf8" | "unicode20utf8"
        | "x-unicode20utf8" => "utf-8",
        "utf-16le" | "utf-16" | "ucs-2" | "unicode" | "csunicode" | "iso-10646-ucs-2"
        | "unicodefeff" => "utf-16le",
        "latin1" | "iso-8859-1" | "iso8859-1" | "iso88591" | "iso_8859-1" | "l1" | "ascii"
        | "us-ascii" | "windows-1252" | "cp1252" | "x-cp1252" | "cp819" | "ibm819"
        | "csisolatin1" | "iso-ir-100" | "iso_8859-1:1987" => "windows-1252",
        _ => return None,
    })
}

fn decoder_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let label = arg(a, 0);
    let encoding = if label.is_undefined() {
        "utf-8"
    } else {
        let l = vm.to_rust_string(label)?;
        match encoding_of(&l) {
            Some(e) => e,
            None => {
                let e = vm.range_error(&format!("The \"{l}\" encoding is not supported"));
                return Err(coded_error(vm, e, "ERR_ENCODING_NOT_SUPPORTED"));
            }
        }
    };
    let opts = arg(a, 1);
    let flag = |vm: &mut Vm, name: &str| -> Result<bool, Thrown> {
        if opts.as_heap::<Object>().is_none() {
            return Ok(false);
        }
        let k = vm.intern(name);
        Ok(crate::vm::interp::to_boolean(vm.get(opts, k)?))
    };
    let fatal = flag(vm, "fatal")?;
    let ignore_bom = flag(vm, "ignoreBOM")?;
    new_host(
        vm,
        "TextDecoderPrototype",
        Box::new(Decoder {
            encoding,
            fatal,
            ignore_bom,
        }),
    )
}

fn with_decoder<T>(vm: &mut Vm, this: Value, f: impl FnOnce(&Decoder) -> T) -> Result<T, Thrown> {
    let Some(o) = host::<Decoder>(this) else {
        return Err(receiver_error(vm, "TextDecoder"));
    };
    let ObjectClass::Host(h) = &o.get().class else {
        unreachable!("checked by host()");
    };
    let d = h.as_any().downcast_ref::<Decoder>().expect("checked");
    Ok(f(d))
}

fn decode(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (encoding, fatal, ignore_bom) =
        with_decoder(vm, this, |d| (d.encoding, d.fatal, d.ignore_bom))?;
    let input = arg(a, 0);
    let bytes: Vec<u8> = if input.is_undefined() {
        Vec::new()
    } else {
        let got = input
            .as_heap::<Object>()
            .and_then(|o| match &o.get().class {
                ObjectClass::TypedArray(t) => Some(t.to_bytes()),
                ObjectClass::ArrayBuffer(b) => Some(b.borrow().clone()),
                ObjectClass::DataView(v) => Some(v.to_bytes()),
                _ => None,
            });
        match got {
            Some(b) => b,
            None => {
                let shown = vm.inspect_value(input);
                let rec = crate::runtime::timers::describe_received(vm, input, &shown);
                let e = vm.type_error(&format!(
                    "The \"input\" argument must be an instance of ArrayBuffer or ArrayBufferView. Received {rec}"
                ));
                return Err(coded_error(vm, e, "ERR_INVALID_ARG_TYPE"));
            }
        }
    };
    let invalid = |vm: &mut Vm| {
        let e = vm.type_error(&format!(
            "The encoded data was not valid for encoding {encoding}"
        ));
        coded_error(vm, e, "ERR_ENCODING_INVALID_ENCODED_DATA")
    };
    let units: Vec<u16> = match encoding {
        "utf-8" => {
            let mut b: &[u8] = &bytes;
            if !ignore_bom && b.starts_with(&[0xEF, 0xBB, 0xBF]) {
                b = &b[3..];
            }
            let text = match std::str::from_utf8(b) {
                Ok(s) => std::borrow::Cow::Borrowed(s),
                Err(_) if fatal => return Err(invalid(vm)),
                Err(_) => String::from_utf8_lossy(b),
            };
            text.encode_utf16().collect()
        }
        "utf-16le" => {
            let mut b: &[u8] = &bytes;
            if !ignore_bom && b.starts_with(&[0xFF, 0xFE]) {
                b = &b[2..];
            }
            if b.len() % 2 == 1 && fatal {
                return Err(invalid(vm));
            }
            let mut u: Vec<u16> = b
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            if b.len() % 2 == 1 {
                u.push(0xFFFD);
            }
            let text = String::from_utf16(&u);
            match text {
                Ok(_) => u,
                Err(_) if fatal => return Err(invalid(vm)),
                Err(_) => String::from_utf16_lossy(&u).encode_utf16().collect(),
            }
        }
        // windows-1252 as latin1 (node's own decoder for these labels without ICU).
        _ => bytes.iter().map(|&b| b as u16).collect(),
    };
    Ok(vm.new_string_utf16(&units))
}

pub fn install(vm: &mut Vm) {
    // TextEncoder.
    let ep = vm.new_object();
    vm.realm
        .extra
        .insert("TextEncoderPrototype", Value::heap(ep));
    super::core::make_ctor(
        vm,
        "TextEncoder",
        0,
        |vm, _, _| new_host(vm, "TextEncoderPrototype", Box::new(Encoder)),
        ep,
    );
    super::util::define_getter(vm, ep, "encoding", |vm, this, _| {
        if host::<Encoder>(this).is_none() {
            return Err(receiver_error(vm, "TextEncoder"));
        }
        Ok(vm.new_string("utf-8"))
    });
    vm.define_native(ep, "encode", 0, encode);
    vm.define_native(ep, "encodeInto", 2, encode_into);
    super::util::set_tag(vm, ep, "TextEncoder");
    // TextDecoder.
    let dp = vm.new_object();
    vm.realm
        .extra
        .insert("TextDecoderPrototype", Value::heap(dp));
    super::core::make_ctor(vm, "TextDecoder", 0, decoder_ctor, dp);
    super::util::define_getter(vm, dp, "encoding", |vm, this, _| {
        let e = with_decoder(vm, this, |d| d.encoding)?;
        Ok(vm.new_string(e))
    });
    super::util::define_getter(vm, dp, "fatal", |vm, this, _| {
        Ok(Value::bool(with_decoder(vm, this, |d| d.fatal)?))
    });
    super::util::define_getter(vm, dp, "ignoreBOM", |vm, this, _| {
        Ok(Value::bool(with_decoder(vm, this, |d| d.ignore_bom)?))
    });
    vm.define_native(dp, "decode", 0, decode);
    super::util::set_tag(vm, dp, "TextDecoder");
}
