//! `String.prototype` and the `String` statics. Strings are sequences of UTF-16 units; the
//! methods work on units (`JsString::unit`, `to_units`, `slice`), keeping Latin-1 storage
//! where that is free.

use std::cell::Cell;

use super::util::{iter_result, relative_index, to_integer};
use crate::gc::{EdgeName, Gc, Tracer};
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, HostData, Key, Object, ObjectClass};
use crate::vm::realm::arg;
use crate::vm::string::{JsString, MAX_LENGTH};
use crate::vm::value::{number_to_string, Value};

type R = Result<Value, Thrown>;

pub fn install(vm: &mut Vm) {
    let p = vm.realm.string_proto;
    const METHODS: &[(&str, u32, crate::vm::object::NativeFn)] = &[
        ("charAt", 1, char_at),
        ("charCodeAt", 1, char_code_at),
        ("codePointAt", 1, code_point_at),
        ("at", 1, at),
        ("indexOf", 1, index_of),
        ("lastIndexOf", 1, last_index_of),
        ("includes", 1, includes),
        ("startsWith", 1, starts_with),
        ("endsWith", 1, ends_with),
        ("slice", 2, slice),
        ("substring", 2, substring),
        ("substr", 2, substr),
        ("toUpperCase", 0, to_upper_case),
        ("toLowerCase", 0, to_lower_case),
        ("toLocaleUpperCase", 0, to_upper_case),
        ("toLocaleLowerCase", 0, to_lower_case),
        ("trim", 0, trim),
        ("padStart", 1, pad_start),
        ("padEnd", 1, pad_end),
        ("repeat", 1, repeat),
        ("split", 2, split),
        ("replace", 2, replace),
        ("replaceAll", 2, replace_all),
        ("concat", 1, concat),
        ("localeCompare", 1, locale_compare),
        ("normalize", 0, normalize),
        ("isWellFormed", 0, is_well_formed),
        ("toWellFormed", 0, to_well_formed),
        ("toString", 0, to_string),
        ("valueOf", 0, value_of),
        ("match", 1, super::regexp::string_match),
        ("matchAll", 1, super::regexp::string_match_all),
        ("search", 1, super::regexp::string_search),
    ];
    for (name, len, f) in METHODS {
        vm.define_native(p, name, *len, *f);
    }
    // Annex B.2.2.2-14: the HTML methods (CreateHTML).
    const HTML: &[(&str, u32, crate::vm::object::NativeFn)] = &[
        ("anchor", 1, |vm, t, a| {
            create_html(vm, t, a, "anchor", "a", "name")
        }),
        ("big", 0, |vm, t, a| create_html(vm, t, a, "big", "big", "")),
        ("blink", 0, |vm, t, a| {
            create_html(vm, t, a, "blink", "blink", "")
        }),
        ("bold", 0, |vm, t, a| create_html(vm, t, a, "bold", "b", "")),
        ("fixed", 0, |vm, t, a| {
            create_html(vm, t, a, "fixed", "tt", "")
        }),
        ("fontcolor", 1, |vm, t, a| {
            create_html(vm, t, a, "fontcolor", "font", "color")
        }),
        ("fontsize", 1, |vm, t, a| {
            create_html(vm, t, a, "fontsize", "font", "size")
        }),
        ("italics", 0, |vm, t, a| {
            create_html(vm, t, a, "italics", "i", "")
        }),
        ("link", 1, |vm, t, a| {
            create_html(vm, t, a, "link", "a", "href")
        }),
        ("small", 0, |vm, t, a| {
            create_html(vm, t, a, "small", "small", "")
        }),
        ("strike", 0, |vm, t, a| {
            create_html(vm, t, a, "strike", "strike", "")
        }),
        ("sub", 0, |vm, t, a| create_html(vm, t, a, "sub", "sub", "")),
        ("sup", 0, |vm, t, a| create_html(vm, t, a, "sup", "sup", "")),
    ];
    for (name, len, f) in HTML {
        vm.define_native(p, name, *len, *f);
    }
    // trimLeft/trimRight are the same function objects as trimStart/trimEnd.
    let ts = vm.define_native(p, "trimStart", 0, trim_start);
    let te = vm.define_native(p, "trimEnd", 0, trim_end);
    vm.define_hidden(p, "trimLeft", Value::heap(ts));
    vm.define_hidden(p, "trimRight", Value::heap(te));
    let it = vm.new_native("[Symbol.iterator]", 0, string_iterator, false);
    let ik = super::util::sym_key(vm.realm.sym_iterator);
    p.get()
        .define(&mut vm.heap, ik, Value::heap(it), attrs::HIDDEN);
    let ip = super::util::iterator_proto(vm, "String Iterator", string_iterator_next);
    vm.realm
        .extra
        .insert("StringIteratorPrototype", Value::heap(ip));

    let sk = vm.intern("String");
    if let Some((c, _)) = vm.global.get().get_own(sk) {
        if let Some(c) = c.as_heap::<Object>() {
            vm.define_native(c, "fromCharCode", 1, from_char_code);
            vm.define_native(c, "fromCodePoint", 1, from_code_point);
            vm.define_native(c, "raw", 1, raw);
        }
    }
}

/// RequireObjectCoercible(this) and ToString, rooted (later steps may call JavaScript).
pub fn this_str(vm: &mut Vm, this: Value, name: &str) -> Result<Gc<JsString>, Thrown> {
    if let Some(s) = this.as_heap::<JsString>() {
        return Ok(s);
    }
    if this.is_nullish() {
        return Err(vm.type_error(&format!(
            "String.prototype.{name} called on null or undefined"
        )));
    }
    let s = vm.to_string(this)?;
    vm.root(Value::heap(s));
    Ok(s)
}

/// `CreateHTML(string, tag, attribute, value)` (§B.2.2.2.1).
fn create_html(
    vm: &mut Vm,
    this: Value,
    a: &[Value],
    method: &str,
    tag: &str,
    attribute: &str,
) -> Result<Value, Thrown> {
    let s = this_str(vm, this, method)?;
    let mut out: Vec<u16> = Vec::new();
    out.push(u16::from(b'<'));
    out.extend(tag.encode_utf16());
    if !attribute.is_empty() {
        let v = str_arg(vm, arg(a, 0))?;
        out.push(u16::from(b' '));
        out.extend(attribute.encode_utf16());
        out.extend("=\"".encode_utf16());
        for u in v.get().units() {
            if u == u16::from(b'"') {
                out.extend("&quot;".encode_utf16());
            } else {
                out.push(u);
            }
        }
        out.push(u16::from(b'"'));
    }
    out.push(u16::from(b'>'));
    out.extend(s.get().units());
    out.extend("</".encode_utf16());
    out.extend(tag.encode_utf16());
    out.push(u16::from(b'>'));
    Ok(Value::heap(
        vm.heap.alloc(crate::vm::string::JsString::from_utf16(&out)),
    ))
}

/// ToString of an argument, rooted.
pub fn str_arg(vm: &mut Vm, v: Value) -> Result<Gc<JsString>, Thrown> {
    let s = vm.to_string(v)?;
    vm.root(Value::heap(s));
    Ok(s)
}

fn new_str(vm: &mut Vm, s: JsString) -> Value {
    Value::heap(vm.heap.alloc(s))
}

pub fn units_value(vm: &mut Vm, units: &[u16]) -> Value {
    if units.len() == 1 {
        return vm.single_unit_string(units[0]);
    }
    vm.new_string_utf16(units)
}

/// The index of `needle` in `hay` at or after `from`.
pub fn find_units(hay: &[u16], needle: &[u16], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return (from <= hay.len()).then_some(from);
    }
    if needle.len() > hay.len() {
        return None;
    }
    let first = needle[0];
    let last_start = hay.len() - needle.len();
    let mut i = from;
    while i <= last_start {
        if hay[i] == first && hay[i..i + needle.len()] == *needle {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `find_units` on two heap strings, without copying when both are Latin-1.
pub fn find_str(hay: &JsString, needle: &JsString, from: usize) -> Option<usize> {
    if let (Some(h), Some(n)) = (hay.as_latin1(), needle.as_latin1()) {
        if n.is_empty() {
            return (from <= h.len()).then_some(from);
        }
        if from >= h.len() || n.len() > h.len() - from {
            return None;
        }
        let first = n[0];
        let last_start = h.len() - n.len();
        let mut i = from;
        while i <= last_start {
            match h[i..=last_start].iter().position(|&b| b == first) {
                None => return None,
                Some(k) => i += k,
            }
            if h[i..i + n.len()] == *n {
                return Some(i);
            }
            i += 1;
        }
        return None;
    }
    find_units(&hay.to_units(), &needle.to_units(), from)
}

fn char_at(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "charAt")?;
    let p = to_integer(vm, arg(a, 0))?;
    if p < 0.0 || p >= s.get().len() as f64 {
        return Ok(vm.new_string(""));
    }
    let u = s.get().unit(p as usize).unwrap_or(0);
    Ok(vm.single_unit_string(u))
}

fn char_code_at(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "charCodeAt")?;
    let p = to_integer(vm, arg(a, 0))?;
    if p < 0.0 || p >= s.get().len() as f64 {
        return Ok(Value::number(f64::NAN));
    }
    Ok(Value::int(s.get().unit(p as usize).unwrap_or(0) as i32))
}

/// The code point at `i` and its length in units.
pub fn code_point_at_units(s: &JsString, i: usize) -> (u32, usize) {
    let u = s.unit(i).unwrap_or(0);
    if (0xD800..0xDC00).contains(&u) {
        if let Some(lo) = s.unit(i + 1).filter(|l| (0xDC00..0xE000).contains(l)) {
            let c = 0x10000 + (((u as u32) - 0xD800) << 10) + (lo as u32 - 0xDC00);
            return (c, 2);
        }
    }
    (u as u32, 1)
}

fn code_point_at(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "codePointAt")?;
    let p = to_integer(vm, arg(a, 0))?;
    if p < 0.0 || p >= s.get().len() as f64 {
        return Ok(Value::UNDEFINED);
    }
    Ok(Value::int(
        code_point_at_units(s.get(), p as usize).0 as i32,
    ))
}

fn at(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "at")?;
    let len = s.get().len() as f64;
    let rel = to_integer(vm, arg(a, 0))?;
    let k = if rel >= 0.0 { rel } else { len + rel };
    if k < 0.0 || k >= len {
        return Ok(Value::UNDEFINED);
    }
    let u = s.get().unit(k as usize).unwrap_or(0);
    Ok(vm.single_unit_string(u))
}

fn index_of(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "indexOf")?;
    let search = str_arg(vm, arg(a, 0))?;
    let pos = to_integer(vm, arg(a, 1))?;
    let len = s.get().len();
    let start = pos.clamp(0.0, len as f64) as usize;
    let r = find_str(s.get(), search.get(), start);
    Ok(Value::int(r.map_or(-1, |i| i as i32)))
}

fn last_index_of(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "lastIndexOf")?;
    let search = str_arg(vm, arg(a, 0))?;
    let n = vm.to_number(arg(a, 1))?;
    let pos = if n.is_nan() { f64::INFINITY } else { n.trunc() };
    let len = s.get().len();
    let slen = search.get().len();
    if slen > len {
        return Ok(Value::int(-1));
    }
    let start = pos.clamp(0.0, (len - slen) as f64) as usize;
    let hay = s.get().to_units();
    let needle = search.get().to_units();
    for i in (0..=start).rev() {
        if hay[i..i + slen] == *needle {
            return Ok(Value::int(i as i32));
        }
    }
    Ok(Value::int(-1))
}

fn reject_regexp(vm: &mut Vm, v: Value, name: &str) -> Result<(), Thrown> {
    if super::regexp::is_regexp(vm, v)? {
        return Err(vm.type_error(&format!(
            "First argument to String.prototype.{name} must not be a regular expression"
        )));
    }
    Ok(())
}

fn includes(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "includes")?;
    reject_regexp(vm, arg(a, 0), "includes")?;
    let search = str_arg(vm, arg(a, 0))?;
    let pos = to_integer(vm, arg(a, 1))?;
    let start = pos.clamp(0.0, s.get().len() as f64) as usize;
    let r = find_str(s.get(), search.get(), start);
    Ok(Value::bool(r.is_some()))
}

fn starts_with(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "startsWith")?;
    reject_regexp(vm, arg(a, 0), "startsWith")?;
    let search = str_arg(vm, arg(a, 0))?;
    let pos = to_integer(vm, arg(a, 1))?;
    let start = pos.clamp(0.0, s.get().len() as f64) as usize;
    let (s, search) = (s.get(), search.get());
    if start + search.len() > s.len() {
        return Ok(Value::FALSE);
    }
    Ok(Value::bool(
        (0..search.len()).all(|i| s.unit(start + i) == search.unit(i)),
    ))
}

fn ends_with(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "endsWith")?;
    reject_regexp(vm, arg(a, 0), "endsWith")?;
    let search = str_arg(vm, arg(a, 0))?;
    let len = s.get().len();
    let end = if arg(a, 1).is_undefined() {
        len
    } else {
        to_integer(vm, arg(a, 1))?.clamp(0.0, len as f64) as usize
    };
    let (s, search) = (s.get(), search.get());
    if search.len() > end {
        return Ok(Value::FALSE);
    }
    let start = end - search.len();
    Ok(Value::bool(
        (0..search.len()).all(|i| s.unit(start + i) == search.unit(i)),
    ))
}

fn slice(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "slice")?;
    let len = s.get().len();
    let from = relative_index(vm, arg(a, 0), len, 0)?;
    let to = relative_index(vm, arg(a, 1), len, len)?;
    if from >= to {
        return Ok(vm.new_string(""));
    }
    if from == 0 && to == len {
        return Ok(Value::heap(s));
    }
    let r = s.get().slice(from, to);
    Ok(new_str(vm, r))
}

fn substring(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "substring")?;
    let len = s.get().len();
    let start = to_integer(vm, arg(a, 0))?.clamp(0.0, len as f64) as usize;
    let end = if arg(a, 1).is_undefined() {
        len
    } else {
        to_integer(vm, arg(a, 1))?.clamp(0.0, len as f64) as usize
    };
    let (from, to) = (start.min(end), start.max(end));
    if from == 0 && to == len {
        return Ok(Value::heap(s));
    }
    let r = s.get().slice(from, to);
    Ok(new_str(vm, r))
}

fn substr(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "substr")?;
    let len = s.get().len();
    let start = relative_index(vm, arg(a, 0), len, 0)?;
    let n = if arg(a, 1).is_undefined() {
        f64::INFINITY
    } else {
        to_integer(vm, arg(a, 1))?
    };
    let n = n.clamp(0.0, (len - start) as f64) as usize;
    if n == 0 {
        return Ok(vm.new_string(""));
    }
    let r = s.get().slice(start, start + n);
    Ok(new_str(vm, r))
}

/// Case mapping over UTF-16 units, with lone surrogates kept as they are.
fn case_map(s: &JsString, upper: bool) -> JsString {
    if let Some(b) = s.as_latin1() {
        if b.is_ascii() {
            let v = if upper {
                b.to_ascii_uppercase()
            } else {
                b.to_ascii_lowercase()
            };
            return JsString::from_latin1(v);
        }
    }
    let units = s.to_units();
    // Whole runs of valid text go through Rust's string mapping (final sigma is contextual).
    let out = map_valid_runs(&units, |run| {
        if upper {
            run.to_uppercase()
        } else {
            run.to_lowercase()
        }
    });
    JsString::from_utf16(&out)
}

fn to_upper_case(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let s = this_str(vm, this, "toUpperCase")?;
    let r = case_map(s.get(), true);
    Ok(new_str(vm, r))
}

fn to_lower_case(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let s = this_str(vm, this, "toLowerCase")?;
    let r = case_map(s.get(), false);
    Ok(new_str(vm, r))
}

/// WhiteSpace or LineTerminator, as `trim` and `Number("...")` see them.
pub fn is_js_space(u: u16) -> bool {
    matches!(
        u,
        0x09..=0x0D
            | 0x20
            | 0xA0
            | 0x1680
            | 0x2000..=0x200A
            | 0x2028
            | 0x2029
            | 0x202F
            | 0x205F
            | 0x3000
            | 0xFEFF
    )
}

fn trim_impl(vm: &mut Vm, this: Value, name: &str, start: bool, end: bool) -> R {
    let s = this_str(vm, this, name)?;
    let st = s.get();
    let len = st.len();
    let mut from = 0;
    let mut to = len;
    if start {
        while from < len && is_js_space(st.unit(from).unwrap_or(0)) {
            from += 1;
        }
    }
    if end {
        while to > from && is_js_space(st.unit(to - 1).unwrap_or(0)) {
            to -= 1;
        }
    }
    if from == 0 && to == len {
        return Ok(Value::heap(s));
    }
    let r = st.slice(from, to);
    Ok(new_str(vm, r))
}

fn trim(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    trim_impl(vm, this, "trim", true, true)
}

fn trim_start(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    trim_impl(vm, this, "trimStart", true, false)
}

fn trim_end(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    trim_impl(vm, this, "trimEnd", false, true)
}

fn pad(vm: &mut Vm, this: Value, a: &[Value], at_start: bool) -> R {
    let s = this_str(vm, this, if at_start { "padStart" } else { "padEnd" })?;
    let max = to_integer(vm, arg(a, 0))?;
    let len = s.get().len();
    if max <= len as f64 {
        return Ok(Value::heap(s));
    }
    let fill = if arg(a, 1).is_undefined() {
        vec![0x20]
    } else {
        str_arg(vm, arg(a, 1))?.get().to_units()
    };
    if fill.is_empty() {
        return Ok(Value::heap(s));
    }
    if max > MAX_LENGTH as f64 {
        return Err(vm.range_error("Invalid string length"));
    }
    let fill_len = max as usize - len;
    let filler: Vec<u16> = fill.iter().copied().cycle().take(fill_len).collect();
    let mut out = Vec::with_capacity(max as usize);
    if at_start {
        out.extend_from_slice(&filler);
        out.extend(s.get().units());
    } else {
        out.extend(s.get().units());
        out.extend_from_slice(&filler);
    }
    Ok(vm.new_string_utf16(&out))
}

fn pad_start(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    pad(vm, this, a, true)
}

fn pad_end(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    pad(vm, this, a, false)
}

fn repeat(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "repeat")?;
    let n = to_integer(vm, arg(a, 0))?;
    if n < 0.0 || n.is_infinite() {
        let t = number_to_string(n);
        return Err(vm.range_error(&format!("Invalid count value: {t}")));
    }
    let len = s.get().len();
    if len == 0 || n == 0.0 {
        return Ok(vm.new_string(""));
    }
    if len as f64 * n > MAX_LENGTH as f64 {
        return Err(vm.range_error("Invalid string length"));
    }
    let n = n as usize;
    let r = match s.get().as_latin1() {
        Some(b) => JsString::from_latin1(b.repeat(n)),
        None => JsString::from_utf16(&s.get().to_units().repeat(n)),
    };
    Ok(new_str(vm, r))
}

fn split(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    if this.is_nullish() {
        return Err(vm.type_error("String.prototype.split called on null or undefined"));
    }
    let sep = arg(a, 0);
    if !sep.is_nullish() {
        if let Some(f) = super::regexp::get_protocol_method(vm, sep, "Symbol.split")? {
            return vm.call(f, sep, &[this, arg(a, 1)]);
        }
    }
    let s = this_str(vm, this, "split")?;
    let lim = if arg(a, 1).is_undefined() {
        u32::MAX
    } else {
        let n = vm.to_number(arg(a, 1))?;
        crate::vm::interp::to_int32(n) as u32
    };
    let r = str_arg(vm, sep)?;
    if lim == 0 {
        return Ok(Value::heap(vm.new_array(Vec::new())));
    }
    if sep.is_undefined() {
        return Ok(Value::heap(vm.new_array(vec![Value::heap(s)])));
    }
    let units = s.get().to_units();
    let sep_units = r.get().to_units();
    let mut out = Vec::new();
    if units.is_empty() {
        if !sep_units.is_empty() {
            out.push(Value::heap(s));
        }
        return Ok(Value::heap(vm.new_array(out)));
    }
    if sep_units.is_empty() {
        for &u in units.iter().take(lim as usize) {
            out.push(vm.single_unit_string(u));
        }
        return Ok(Value::heap(vm.new_array(out)));
    }
    let mut p = 0;
    while let Some(q) = find_units(&units, &sep_units, p) {
        out.push(units_value(vm, &units[p..q]));
        if out.len() as u32 >= lim {
            return Ok(Value::heap(vm.new_array(out)));
        }
        p = q + sep_units.len();
    }
    out.push(units_value(vm, &units[p..]));
    Ok(Value::heap(vm.new_array(out)))
}

/// GetSubstitution: expands `$$`, `$&`, `` $` ``, `$'`, `$n`, `$nn` and `$<name>` in a
/// replacement template.
pub fn get_substitution(
    vm: &mut Vm,
    matched: &[u16],
    s: &[u16],
    position: usize,
    captures: &[Value],
    named: Value,
    template: &[u16],
) -> Result<Vec<u16>, Thrown> {
    let mut out = Vec::with_capacity(template.len());
    let m = captures.len();
    let mut i = 0;
    let d = |u: u16| -> Option<usize> {
        (b'0' as u16..=b'9' as u16)
            .contains(&u)
            .then(|| (u - b'0' as u16) as usize)
    };
    while i < template.len() {
        let c = template[i];
        if c != b'$' as u16 || i + 1 >= template.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let n = template[i + 1];
        match n {
            0x24 => {
                out.push(0x24);
                i += 2;
            }
            0x26 => {
                out.extend_from_slice(matched);
                i += 2;
            }
            0x60 => {
                out.extend_from_slice(&s[..position.min(s.len())]);
                i += 2;
            }
            0x27 => {
                let tail = (position + matched.len()).min(s.len());
                out.extend_from_slice(&s[tail..]);
                i += 2;
            }
            _ if d(n).is_some() => {
                let d1 = d(n).unwrap_or(0);
                let two = template
                    .get(i + 2)
                    .and_then(|&u| d(u))
                    .map(|d2| d1 * 10 + d2);
                let (idx, used) = match two {
                    Some(nn) if nn >= 1 && nn <= m => (nn, 3),
                    _ => (d1, 2),
                };
                if idx >= 1 && idx <= m {
                    let cap = captures[idx - 1];
                    if !cap.is_undefined() {
                        let cs = vm.to_string(cap)?;
                        out.extend(cs.get().units());
                    }
                    i += used;
                } else {
                    out.push(0x24);
                    i += 1;
                }
            }
            0x3C if !named.is_undefined() => {
                let close = template[i + 2..].iter().position(|&u| u == b'>' as u16);
                match close {
                    None => {
                        out.push(0x24);
                        i += 1;
                    }
                    Some(k) => {
                        let name = String::from_utf16_lossy(&template[i + 2..i + 2 + k]);
                        let key = vm.intern(&name);
                        let cap = vm.get(named, key)?;
                        if !cap.is_undefined() {
                            let cs = vm.to_string(cap)?;
                            out.extend(cs.get().units());
                        }
                        i += 3 + k;
                    }
                }
            }
            _ => {
                out.push(0x24);
                i += 1;
            }
        }
    }
    Ok(out)
}

fn replace(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    if this.is_nullish() {
        return Err(vm.type_error("String.prototype.replace called on null or undefined"));
    }
    let (search, replace_value) = (arg(a, 0), arg(a, 1));
    if !search.is_nullish() {
        if let Some(f) = super::regexp::get_protocol_method(vm, search, "Symbol.replace")? {
            return vm.call(f, search, &[this, replace_value]);
        }
    }
    let s = this_str(vm, this, "replace")?;
    let search_s = str_arg(vm, search)?;
    let functional = vm.is_callable(replace_value);
    let template = if functional {
        None
    } else {
        Some(str_arg(vm, replace_value)?.get().to_units())
    };
    let units = s.get().to_units();
    let needle = search_s.get().to_units();
    let Some(pos) = find_units(&units, &needle, 0) else {
        return Ok(Value::heap(s));
    };
    let replacement = match template {
        None => {
            let r = vm.call(
                replace_value,
                Value::UNDEFINED,
                &[
                    Value::heap(search_s),
                    Value::int(pos as i32),
                    Value::heap(s),
                ],
            )?;
            vm.to_string(r)?.get().to_units()
        }
        Some(t) => get_substitution(vm, &needle, &units, pos, &[], Value::UNDEFINED, &t)?,
    };
    let mut out = Vec::with_capacity(units.len() + replacement.len());
    out.extend_from_slice(&units[..pos]);
    out.extend_from_slice(&replacement);
    out.extend_from_slice(&units[pos + needle.len()..]);
    Ok(vm.new_string_utf16(&out))
}

fn replace_all(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    if this.is_nullish() {
        return Err(vm.type_error("String.prototype.replaceAll called on null or undefined"));
    }
    let (search, replace_value) = (arg(a, 0), arg(a, 1));
    if !search.is_nullish() {
        if super::regexp::is_regexp(vm, search)? {
            let fk = vm.intern("flags");
            let flags = vm.get(search, fk)?;
            let global = !flags.is_nullish() && vm.to_rust_string(flags)?.contains('g');
            if !global {
                return Err(vm.type_error(
                    "String.prototype.replaceAll called with a non-global RegExp argument",
                ));
            }
        }
        if let Some(f) = super::regexp::get_protocol_method(vm, search, "Symbol.replace")? {
            return vm.call(f, search, &[this, replace_value]);
        }
    }
    let s = this_str(vm, this, "replaceAll")?;
    let search_s = str_arg(vm, search)?;
    let functional = vm.is_callable(replace_value);
    let template = if functional {
        None
    } else {
        Some(str_arg(vm, replace_value)?.get().to_units())
    };
    let units = s.get().to_units();
    let needle = search_s.get().to_units();
    let advance = needle.len().max(1);
    let mut positions = Vec::new();
    let mut p = find_units(&units, &needle, 0);
    while let Some(q) = p {
        positions.push(q);
        p = find_units(&units, &needle, q + advance);
    }
    let mut end = 0;
    let mut out = Vec::with_capacity(units.len());
    for pos in positions {
        out.extend_from_slice(&units[end.min(pos)..pos]);
        let replacement = match &template {
            None => {
                let r = vm.call(
                    replace_value,
                    Value::UNDEFINED,
                    &[
                        Value::heap(search_s),
                        Value::int(pos as i32),
                        Value::heap(s),
                    ],
                )?;
                vm.to_string(r)?.get().to_units()
            }
            Some(t) => get_substitution(vm, &needle, &units, pos, &[], Value::UNDEFINED, t)?,
        };
        out.extend_from_slice(&replacement);
        end = pos + needle.len();
    }
    if end < units.len() {
        out.extend_from_slice(&units[end..]);
    }
    Ok(vm.new_string_utf16(&out))
}

fn concat(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "concat")?;
    let mut out = s.get().to_units();
    for v in a {
        let t = vm.to_string(*v)?;
        out.extend(t.get().units());
        if out.len() > MAX_LENGTH {
            return Err(vm.range_error("Invalid string length"));
        }
    }
    Ok(vm.new_string_utf16(&out))
}

/// An approximation of ICU's root collation for `localeCompare`: punctuation before digits
/// before letters; letters compare by base letter first (accents of Latin-1 letters are a
/// secondary difference, case a tertiary one, lower case first); other characters by code
/// unit. Returns (primary, secondary, tertiary).
fn collation_weight(u: u16) -> (u32, u32, u32) {
    const PUNCT: &[u8] = b"\t\n\x0b\x0c\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";
    // Latin-1 letters U+00C0..=U+00FF: base letter and accent rank (0 = not a letter).
    const LATIN1: &[u8; 64] = b"aaaaaaaceeeeiiiidnooooo\0ouuuuyts\
aaaaaaaceeeeiiiidnooooo\0ouuuuyty";
    if u < 0x80 {
        let b = u as u8;
        if let Some(i) = PUNCT.iter().position(|&p| p == b) {
            return (i as u32, 0, 0);
        }
        if b.is_ascii_digit() {
            return (100 + (b - b'0') as u32, 0, 0);
        }
        if b.is_ascii_alphabetic() {
            let lower = b.to_ascii_lowercase();
            return (
                200 + (lower - b'a') as u32,
                0,
                u32::from(b.is_ascii_uppercase()),
            );
        }
    }
    if (0xC0..=0xFF).contains(&u) {
        let base = LATIN1[(u - 0xC0) as usize];
        if base != 0 {
            return (
                200 + (base - b'a') as u32,
                1 + u as u32,
                u32::from(u < 0xE0),
            );
        }
    }
    (1000 + u as u32, 0, 0)
}

fn locale_compare(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let s = this_str(vm, this, "localeCompare")?;
    let t = str_arg(vm, arg(a, 0))?;
    let (x, y) = (s.get().to_units(), t.get().to_units());
    let level = |v: &[u16], n: usize| {
        v.iter()
            .map(|&u| {
                let w = collation_weight(u);
                [w.0, w.1, w.2][n]
            })
            .collect::<Vec<_>>()
    };
    let ord = level(&x, 0)
        .cmp(&level(&y, 0))
        .then_with(|| level(&x, 1).cmp(&level(&y, 1)))
        .then_with(|| level(&x, 2).cmp(&level(&y, 2)))
        .then_with(|| x.cmp(&y));
    Ok(Value::int(match ord {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }))
}

fn normalize(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    use unicode_normalization::UnicodeNormalization;
    let s = this_str(vm, this, "normalize")?;
    let form = if arg(a, 0).is_undefined() {
        "NFC".to_string()
    } else {
        vm.to_rust_string(arg(a, 0))?
    };
    if !matches!(form.as_str(), "NFC" | "NFD" | "NFKC" | "NFKD") {
        return Err(vm.range_error("The normalization form should be one of NFC, NFD, NFKC, NFKD."));
    }
    let units = s.get().to_units();
    if units.iter().all(|&u| u < 0x80) {
        // Every form leaves ASCII as it is.
        return Ok(Value::heap(s));
    }
    // Runs of valid text are normalized; a lone surrogate stays where it is.
    let out = map_valid_runs(&units, |run| match form.as_str() {
        "NFC" => run.nfc().collect(),
        "NFD" => run.nfd().collect(),
        "NFKC" => run.nfkc().collect(),
        _ => run.nfkd().collect(),
    });
    Ok(vm.new_string_utf16(&out))
}

fn is_well_formed(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let s = this_str(vm, this, "isWellFormed")?;
    let ok = char::decode_utf16(s.get().to_units()).all(|r| r.is_ok());
    Ok(Value::bool(ok))
}

fn to_well_formed(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let s = this_str(vm, this, "toWellFormed")?;
    let units = s.get().to_units();
    let out: Vec<u16> = char::decode_utf16(units)
        .flat_map(|r| {
            let c = r.unwrap_or('\u{FFFD}');
            let mut b = [0u16; 2];
            c.encode_utf16(&mut b).to_vec()
        })
        .collect();
    Ok(vm.new_string_utf16(&out))
}

fn this_string_value(vm: &mut Vm, this: Value, name: &str) -> R {
    if this.as_heap::<JsString>().is_some() {
        return Ok(this);
    }
    if let Some(ObjectClass::Boxed(b)) = this.as_heap::<Object>().as_ref().map(|o| &o.get().class) {
        if b.as_heap::<JsString>().is_some() {
            return Ok(*b);
        }
    }
    Err(vm.type_error(&format!(
        "String.prototype.{name} requires that 'this' be a String"
    )))
}

fn to_string(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    this_string_value(vm, this, "toString")
}

fn value_of(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    this_string_value(vm, this, "valueOf")
}

// ---- Iteration ----

struct StringIter {
    s: Gc<JsString>,
    pos: Cell<usize>,
}

impl HostData for StringIter {
    fn trace(&self, t: &mut dyn Tracer) {
        t.edge(EdgeName::Internal("iterated_string"), self.s.into());
    }
    fn class_name(&self) -> &'static str {
        "String Iterator"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn string_iterator(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let s = this_str(vm, this, "[Symbol.iterator]")?;
    let proto = vm.realm.extra["StringIteratorPrototype"].as_heap::<Object>();
    let shape = match proto {
        Some(p) => vm.realm.shape_for_proto(&mut vm.heap, p),
        None => vm.realm.object_shape,
    };
    let it = vm.heap.alloc(Object::with_class(
        shape,
        ObjectClass::Host(Box::new(StringIter {
            s,
            pos: Cell::new(0),
        })),
    ));
    Ok(Value::heap(it))
}

fn string_iterator_next(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let state = this.as_heap::<Object>().and_then(|o| match &o.get().class {
        ObjectClass::Host(h) => h
            .as_any()
            .downcast_ref::<StringIter>()
            .map(|it| (it.s, it.pos.get())),
        _ => None,
    });
    let Some((s, pos)) = state else {
        let t = super::util::describe(vm, this);
        return Err(vm.type_error(&format!(
            "Method String Iterator.prototype.next called on incompatible receiver {t}"
        )));
    };
    if pos >= s.get().len() {
        return Ok(iter_result(vm, Value::UNDEFINED, true));
    }
    let (_, n) = code_point_at_units(s.get(), pos);
    if let Some(ObjectClass::Host(h)) = this.as_heap::<Object>().as_ref().map(|o| &o.get().class) {
        if let Some(it) = h.as_any().downcast_ref::<StringIter>() {
            it.pos.set(pos + n);
        }
    }
    let v = if n == 1 {
        vm.single_unit_string(s.get().unit(pos).unwrap_or(0))
    } else {
        let r = s.get().slice(pos, pos + n);
        new_str(vm, r)
    };
    Ok(iter_result(vm, v, false))
}

// ---- Statics ----

fn from_char_code(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let mut out = Vec::with_capacity(a.len());
    for v in a {
        let n = vm.to_number(*v)?;
        out.push(crate::vm::interp::to_int32(n) as u16);
    }
    Ok(units_value(vm, &out))
}

fn from_code_point(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let mut out = Vec::with_capacity(a.len());
    for v in a {
        let n = vm.to_number(*v)?;
        if n.fract() != 0.0 || !(0.0..=1114111.0).contains(&n) || n.is_nan() {
            let t = vm.to_display_string(*v);
            let t = if v.as_number().is_some() {
                number_to_string(n)
            } else {
                t
            };
            return Err(vm.range_error(&format!("Invalid code point {t}")));
        }
        let c = n as u32;
        if c < 0x10000 {
            out.push(c as u16);
        } else {
            let c = c - 0x10000;
            out.push(0xD800 + (c >> 10) as u16);
            out.push(0xDC00 + (c & 0x3FF) as u16);
        }
    }
    Ok(units_value(vm, &out))
}

fn raw(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let cooked = vm.to_object(arg(a, 0))?;
    vm.root(Value::heap(cooked));
    let rk: Key = vm.intern("raw");
    let r = vm.get(Value::heap(cooked), rk)?;
    let raw = vm.to_object(r)?;
    vm.root(Value::heap(raw));
    let len = vm.length_of(Value::heap(raw))?;
    let mut out: Vec<u16> = Vec::new();
    for i in 0..len {
        let seg = vm.get_index(Value::heap(raw), i as u32)?;
        let seg = vm.to_string(seg)?;
        out.extend(seg.get().units());
        if i + 1 == len {
            break;
        }
        if let Some(sub) = a.get(i + 1) {
            let t = vm.to_string(*sub)?;
            out.extend(t.get().units());
        }
    }
    Ok(vm.new_string_utf16(&out))
}

/// Maps each run of valid text in `units` through `f` (whole runs, so context-dependent
/// mappings such as final sigma or composition see their neighbours); a lone surrogate is
/// kept where it is.
fn map_valid_runs(units: &[u16], f: impl Fn(&str) -> String) -> Vec<u16> {
    let mut out: Vec<u16> = Vec::with_capacity(units.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<u16>| {
        if !run.is_empty() {
            out.extend(f(run).encode_utf16());
            run.clear();
        }
    };
    for r in char::decode_utf16(units.iter().copied()) {
        match r {
            Ok(c) => run.push(c),
            Err(e) => {
                flush(&mut run, &mut out);
                out.push(e.unpaired_surrogate());
            }
        }
    }
    flush(&mut run, &mut out);
    out
}
