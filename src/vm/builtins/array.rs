//! `Array.prototype` methods (push, the constructor and the iterators are in `core.rs`) and
//! `Array.from` / `Array.of`. Each method has the specification's generic path over
//! array-likes (`get_index`, `put_value`, `length_of`) and, where it pays, a fast path over the
//! elements of a real Array (holes are `Value::HOLE`).
//!
//! Callbacks run JavaScript, which may collect: every array built here is rooted before the
//! first callback.

use std::cmp::Ordering;

use super::util::{relative_index, require_callable, to_integer};
use crate::gc::Gc;
use crate::vm::interp::{same_value_zero, strict_equals, to_boolean, Thrown, Vm};
use crate::vm::object::{value_gc, Object, ObjectClass};
use crate::vm::ops::PKey;
use crate::vm::realm::arg;
use crate::vm::string::{JsString, MAX_LENGTH};
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

/// 2^53 - 1: the largest length of an array-like.
const MAX_SAFE: f64 = 9007199254740991.0;

pub fn install(vm: &mut Vm) {
    let p = vm.realm.array_proto;
    // Array.prototype[@@unscopables] (§23.1.3.41): names `with (array)` does not see.
    let u = vm.new_object_with_proto(None);
    for n in [
        "at",
        "copyWithin",
        "entries",
        "fill",
        "find",
        "findIndex",
        "findLast",
        "findLastIndex",
        "flat",
        "flatMap",
        "includes",
        "keys",
        "toReversed",
        "toSorted",
        "toSpliced",
        "values",
    ] {
        let k = vm.intern(n);
        u.get().define(
            &mut vm.heap,
            k,
            Value::TRUE,
            crate::vm::object::attrs::DEFAULT,
        );
    }
    let uk = crate::vm::builtins::util::sym_key(vm.realm.sym_unscopables);
    p.get().define(
        &mut vm.heap,
        uk,
        Value::heap(u),
        crate::vm::object::attrs::CONFIGURABLE,
    );
    const METHODS: &[(&str, u32, crate::vm::object::NativeFn)] = &[
        ("pop", 0, pop),
        ("shift", 0, shift),
        ("unshift", 1, unshift),
        ("slice", 2, slice),
        ("splice", 2, splice),
        ("concat", 1, concat),
        ("join", 1, join),
        ("toString", 0, to_string),
        ("toLocaleString", 0, to_locale_string),
        ("indexOf", 1, index_of),
        ("lastIndexOf", 1, last_index_of),
        ("includes", 1, includes),
        ("forEach", 1, for_each),
        ("map", 1, map),
        ("filter", 1, filter),
        ("reduce", 1, reduce),
        ("reduceRight", 1, reduce_right),
        ("some", 1, some),
        ("every", 1, every),
        ("find", 1, find),
        ("findIndex", 1, find_index),
        ("findLast", 1, find_last),
        ("findLastIndex", 1, find_last_index),
        ("sort", 1, sort),
        ("reverse", 0, reverse),
        ("fill", 1, fill),
        ("flat", 0, flat),
        ("flatMap", 1, flat_map),
        ("at", 1, at),
        ("copyWithin", 2, copy_within),
        ("toReversed", 0, to_reversed),
        ("toSorted", 1, to_sorted),
        ("toSpliced", 2, to_spliced),
        ("with", 2, with),
    ];
    for (name, len, f) in METHODS {
        vm.define_native(p, name, *len, *f);
    }
    let ak = vm.intern("Array");
    if let Some((c, _)) = vm.global.get().get_own(ak) {
        if let Some(c) = c.as_heap::<Object>() {
            vm.define_native(c, "from", 1, array_from);
            vm.define_native(c, "of", 0, array_of);
        }
    }
}

// ---- Helpers ----

/// ToObject(this), with V8's message for null and undefined; rooted.
fn this_obj(vm: &mut Vm, this: Value, name: &str) -> Result<Value, Thrown> {
    if this.is_nullish() {
        return Err(vm.type_error(&format!(
            "Array.prototype.{name} called on null or undefined"
        )));
    }
    if this.as_heap::<Object>().is_some() {
        return Ok(this);
    }
    let o = vm.to_object(this)?;
    vm.root(Value::heap(o));
    Ok(Value::heap(o))
}

/// The object if it is a real Array.
///
/// Not when some array-index property may live among the named ones (`Vm::note_index_prop`:
/// its element slot is then a hole).
fn fast_array(vm: &Vm, v: Value) -> Option<Gc<Object>> {
    v.as_heap::<Object>()
        .filter(|o| matches!(o.get().class, ObjectClass::Array))
        .filter(|o| !vm.realm.index_props || !o.get().elements().contains(&Value::HOLE))
}

fn has(vm: &mut Vm, o: Value, i: usize) -> bool {
    match o.as_heap::<Object>() {
        Some(obj) => {
            if i < u32::MAX as usize {
                vm.has_property(obj, PKey::Index(i as u32))
            } else {
                let k = vm.intern(&i.to_string());
                vm.has_property(obj, PKey::Named(k))
            }
        }
        None => false,
    }
}

fn get(vm: &mut Vm, o: Value, i: usize) -> R {
    if i < u32::MAX as usize {
        vm.get_index(o, i as u32)
    } else {
        let k = vm.intern(&i.to_string());
        vm.get(o, k)
    }
}

fn set(vm: &mut Vm, o: Value, i: usize, v: Value) -> Result<(), Thrown> {
    vm.put_value(o, Value::number(i as f64), v)
}

fn delete(vm: &mut Vm, o: Value, i: usize) -> Result<(), Thrown> {
    vm.delete_value(o, Value::number(i as f64))?;
    Ok(())
}

fn set_length(vm: &mut Vm, o: Value, n: usize) -> Result<(), Thrown> {
    let lk = vm.realm.names.length;
    vm.put(o, lk, Value::number(n as f64))
}

/// A new Array of `len` holes, rooted.
fn new_rooted(vm: &mut Vm, items: Vec<Value>) -> Gc<Object> {
    let a = vm.new_array(items);
    vm.root(Value::heap(a));
    a
}

fn check_length(vm: &mut Vm, n: f64) -> Result<(), Thrown> {
    if n > u32::MAX as f64 {
        return Err(vm.range_error("Invalid array length"));
    }
    Ok(())
}

fn unhole(v: Value) -> Value {
    if v == Value::HOLE {
        Value::UNDEFINED
    } else {
        v
    }
}

// ---- Mutators ----

fn pop(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    if let Some(a) = fast_array(vm, this) {
        let v = a.get().elements_rearrange().pop();
        return Ok(v.map_or(Value::UNDEFINED, unhole));
    }
    let o = this_obj(vm, this, "pop")?;
    let len = vm.length_of(o)?;
    if len == 0 {
        set_length(vm, o, 0)?;
        return Ok(Value::UNDEFINED);
    }
    let v = get(vm, o, len - 1)?;
    delete(vm, o, len - 1)?;
    set_length(vm, o, len - 1)?;
    Ok(v)
}

fn shift(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    if let Some(a) = fast_array(vm, this) {
        let mut e = a.get().elements_rearrange();
        if e.is_empty() {
            return Ok(Value::UNDEFINED);
        }
        return Ok(unhole(e.remove(0)));
    }
    let o = this_obj(vm, this, "shift")?;
    let len = vm.length_of(o)?;
    if len == 0 {
        set_length(vm, o, 0)?;
        return Ok(Value::UNDEFINED);
    }
    let first = get(vm, o, 0)?;
    vm.root(first);
    for k in 1..len {
        if has(vm, o, k) {
            let v = get(vm, o, k)?;
            set(vm, o, k - 1, v)?;
        } else {
            delete(vm, o, k - 1)?;
        }
    }
    delete(vm, o, len - 1)?;
    set_length(vm, o, len - 1)?;
    Ok(first)
}

fn unshift(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    if let Some(arr) = fast_array(vm, this) {
        for v in a {
            vm.heap.write_barrier(arr, value_gc(*v));
        }
        let mut e = arr.get().elements_rearrange();
        e.splice(0..0, a.iter().copied());
        return Ok(Value::number(e.len() as f64));
    }
    let o = this_obj(vm, this, "unshift")?;
    let len = vm.length_of(o)?;
    let n = a.len();
    if n > 0 {
        if (len + n) as f64 > MAX_SAFE {
            return Err(vm.type_error("Invalid array length"));
        }
        for k in (0..len).rev() {
            if has(vm, o, k) {
                let v = get(vm, o, k)?;
                set(vm, o, k + n, v)?;
            } else {
                delete(vm, o, k + n)?;
            }
        }
        for (j, v) in a.iter().enumerate() {
            set(vm, o, j, *v)?;
        }
    }
    set_length(vm, o, len + n)?;
    Ok(Value::number((len + n) as f64))
}

fn slice(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "slice")?;
    let len = vm.length_of(o)?;
    let from = relative_index(vm, arg(a, 0), len, 0)?;
    let to = relative_index(vm, arg(a, 1), len, len)?;
    if let Some(arr) = fast_array(vm, o) {
        let e = arr.get().elements();
        let to = to.min(e.len());
        let items = if from < to {
            e[from..to].to_vec()
        } else {
            Vec::new()
        };
        drop(e);
        return Ok(Value::heap(vm.new_array(items)));
    }
    let count = to.saturating_sub(from);
    check_length(vm, count as f64)?;
    let out = new_rooted(vm, vec![Value::HOLE; count]);
    for k in from..to {
        if has(vm, o, k) {
            let v = get(vm, o, k)?;
            out.get().set_index(&vm.heap, (k - from) as u32, v);
        }
    }
    Ok(Value::heap(out))
}

fn splice_args(vm: &mut Vm, a: &[Value], len: usize) -> Result<(usize, usize, Vec<Value>), Thrown> {
    let start = relative_index(vm, arg(a, 0), len, 0)?;
    let delete_count = if a.is_empty() {
        0
    } else if a.len() == 1 {
        len - start
    } else {
        let dc = to_integer(vm, a[1])?;
        dc.clamp(0.0, (len - start) as f64) as usize
    };
    let items = if a.len() > 2 {
        a[2..].to_vec()
    } else {
        Vec::new()
    };
    if (len + items.len() - delete_count) as f64 > MAX_SAFE {
        return Err(vm.type_error("Invalid array length"));
    }
    Ok((start, delete_count, items))
}

fn splice(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "splice")?;
    let len = vm.length_of(o)?;
    let (start, dc, items) = splice_args(vm, a, len)?;
    if let Some(arr) = fast_array(vm, o) {
        if arr.get().elements_len() == len {
            let removed: Vec<Value> = arr
                .get()
                .elements_mut(&vm.heap)
                .splice(start..start + dc, items)
                .collect();
            return Ok(Value::heap(vm.new_array(removed)));
        }
    }
    let removed = new_rooted(vm, vec![Value::HOLE; dc]);
    for k in 0..dc {
        if has(vm, o, start + k) {
            let v = get(vm, o, start + k)?;
            removed.get().set_index(&vm.heap, k as u32, v);
        }
    }
    let n = items.len();
    if n < dc {
        for k in start..len - dc {
            let (from, to) = (k + dc, k + n);
            if has(vm, o, from) {
                let v = get(vm, o, from)?;
                set(vm, o, to, v)?;
            } else {
                delete(vm, o, to)?;
            }
        }
        for k in (len - dc + n..len).rev() {
            delete(vm, o, k)?;
        }
    } else if n > dc {
        for k in (start..len - dc).rev() {
            let (from, to) = (k + dc, k + n);
            if has(vm, o, from) {
                let v = get(vm, o, from)?;
                set(vm, o, to, v)?;
            } else {
                delete(vm, o, to)?;
            }
        }
    }
    for (j, v) in items.iter().enumerate() {
        set(vm, o, start + j, *v)?;
    }
    set_length(vm, o, len - dc + n)?;
    Ok(Value::heap(removed))
}

fn reverse(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    if let Some(arr) = fast_array(vm, this) {
        arr.get().elements_rearrange().reverse();
        return Ok(this);
    }
    let o = this_obj(vm, this, "reverse")?;
    let len = vm.length_of(o)?;
    let mut lower = 0;
    while lower < len / 2 {
        let upper = len - 1 - lower;
        let (le, ue) = (has(vm, o, lower), has(vm, o, upper));
        let lv = if le {
            get(vm, o, lower)?
        } else {
            Value::UNDEFINED
        };
        vm.root(lv);
        let uv = if ue {
            get(vm, o, upper)?
        } else {
            Value::UNDEFINED
        };
        match (le, ue) {
            (true, true) => {
                set(vm, o, lower, uv)?;
                set(vm, o, upper, lv)?;
            }
            (false, true) => {
                set(vm, o, lower, uv)?;
                delete(vm, o, upper)?;
            }
            (true, false) => {
                delete(vm, o, lower)?;
                set(vm, o, upper, lv)?;
            }
            (false, false) => {}
        }
        lower += 1;
    }
    Ok(o)
}

fn fill(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "fill")?;
    let len = vm.length_of(o)?;
    let from = relative_index(vm, arg(a, 1), len, 0)?;
    let to = relative_index(vm, arg(a, 2), len, len)?;
    let v = arg(a, 0);
    if let Some(arr) = fast_array(vm, o) {
        vm.heap.write_barrier(arr, value_gc(v));
        let mut e = arr.get().elements_rearrange();
        let to = to.min(e.len());
        for slot in e.iter_mut().take(to).skip(from) {
            *slot = v;
        }
        return Ok(o);
    }
    for k in from..to {
        set(vm, o, k, v)?;
    }
    Ok(o)
}

fn copy_within(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "copyWithin")?;
    let len = vm.length_of(o)?;
    let to = relative_index(vm, arg(a, 0), len, 0)?;
    let from = relative_index(vm, arg(a, 1), len, 0)?;
    let end = relative_index(vm, arg(a, 2), len, len)?;
    let count = end.saturating_sub(from).min(len - to);
    if count == 0 {
        return Ok(o);
    }
    let (mut f, mut t, backwards) = if from < to && to < from + count {
        (from + count - 1, to + count - 1, true)
    } else {
        (from, to, false)
    };
    for _ in 0..count {
        if has(vm, o, f) {
            let v = get(vm, o, f)?;
            set(vm, o, t, v)?;
        } else {
            delete(vm, o, t)?;
        }
        if backwards {
            f = f.wrapping_sub(1);
            t = t.wrapping_sub(1);
        } else {
            f += 1;
            t += 1;
        }
    }
    Ok(o)
}

// ---- Building new arrays ----

fn concat(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "concat")?;
    let out = new_rooted(vm, Vec::new());
    let mut n: usize = 0;
    let mut all = Vec::with_capacity(a.len() + 1);
    all.push(o);
    all.extend_from_slice(a);
    for e in all {
        if super::util::is_array(e) {
            let len = vm.length_of(e)?;
            if (n + len) as f64 > MAX_SAFE {
                return Err(vm.type_error("Invalid array length"));
            }
            if let Some(src) = fast_array(vm, e) {
                let items: Vec<Value> = src.get().elements().to_vec();
                let mut dst = out.get().elements_mut(&vm.heap);
                dst.resize(n, Value::HOLE);
                dst.extend(items);
                n += len;
                continue;
            }
            for k in 0..len {
                if has(vm, e, k) {
                    let v = get(vm, e, k)?;
                    out.get().set_index(&vm.heap, (n + k) as u32, v);
                }
            }
            n += len;
        } else {
            out.get().set_index(&vm.heap, n as u32, e);
            n += 1;
        }
    }
    out.get().elements_rearrange().resize(n, Value::HOLE);
    Ok(Value::heap(out))
}

fn flatten_into(
    vm: &mut Vm,
    target: Gc<Object>,
    source: Value,
    depth: f64,
    mapper: Option<(Value, Value)>,
) -> Result<(), Thrown> {
    let len = vm.length_of(source)?;
    for k in 0..len {
        if !has(vm, source, k) {
            continue;
        }
        let mut el = get(vm, source, k)?;
        if let Some((f, this_arg)) = mapper {
            el = vm.call(f, this_arg, &[el, Value::number(k as f64), source])?;
        }
        if depth > 0.0 && super::util::is_array(el) {
            vm.root(el);
            flatten_into(vm, target, el, depth - 1.0, None)?;
        } else {
            target.get().push_element(&vm.heap, el);
        }
    }
    Ok(())
}

fn flat(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "flat")?;
    let depth = if arg(a, 0).is_undefined() {
        1.0
    } else {
        to_integer(vm, arg(a, 0))?.max(0.0)
    };
    let out = new_rooted(vm, Vec::new());
    flatten_into(vm, out, o, depth, None)?;
    Ok(Value::heap(out))
}

fn flat_map(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "flatMap")?;
    let f = arg(a, 0);
    if !vm.is_callable(f) {
        return Err(vm.type_error("flatMap mapper function is not callable"));
    }
    let out = new_rooted(vm, Vec::new());
    flatten_into(vm, out, o, 1.0, Some((f, arg(a, 1))))?;
    Ok(Value::heap(out))
}

fn to_reversed(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let o = this_obj(vm, this, "toReversed")?;
    let len = vm.length_of(o)?;
    check_length(vm, len as f64)?;
    let out = new_rooted(vm, vec![Value::UNDEFINED; len]);
    for k in 0..len {
        let v = get(vm, o, len - 1 - k)?;
        out.get().set_index(&vm.heap, k as u32, v);
    }
    Ok(Value::heap(out))
}

fn to_spliced(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "toSpliced")?;
    let len = vm.length_of(o)?;
    let (start, dc, items) = splice_args(vm, a, len)?;
    let new_len = len - dc + items.len();
    check_length(vm, new_len as f64)?;
    let out = new_rooted(vm, Vec::with_capacity(new_len));
    for k in 0..start {
        let v = get(vm, o, k)?;
        out.get().push_element(&vm.heap, v);
    }
    for v in items {
        out.get().push_element(&vm.heap, v);
    }
    for k in start + dc..len {
        let v = get(vm, o, k)?;
        out.get().push_element(&vm.heap, v);
    }
    Ok(Value::heap(out))
}

fn with(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "with")?;
    let len = vm.length_of(o)?;
    let rel = to_integer(vm, arg(a, 0))?;
    let idx = if rel >= 0.0 { rel } else { len as f64 + rel };
    if idx >= len as f64 || idx < 0.0 {
        let t = crate::vm::value::number_to_string(rel);
        return Err(vm.range_error(&format!("Invalid index : {t}")));
    }
    check_length(vm, len as f64)?;
    let out = new_rooted(vm, Vec::with_capacity(len));
    for k in 0..len {
        let v = if k == idx as usize {
            arg(a, 1)
        } else {
            get(vm, o, k)?
        };
        out.get().push_element(&vm.heap, v);
    }
    Ok(Value::heap(out))
}

// ---- join and toString ----

fn join(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "join")?;
    let len = vm.length_of(o)?;
    let sep: Vec<u16> = if arg(a, 0).is_undefined() {
        vec![b',' as u16]
    } else {
        let s = vm.to_string(arg(a, 0))?;
        s.get().to_units()
    };
    // A cyclic array joins to '' where it meets itself (as V8 does).
    let stack_key = "ArrayJoinStack";
    let stack = match vm
        .realm
        .extra
        .get(stack_key)
        .and_then(|v| v.as_heap::<Object>())
    {
        Some(s) => s,
        None => {
            let s = vm.new_array(Vec::new());
            vm.realm.extra.insert(stack_key, Value::heap(s));
            s
        }
    };
    if stack.get().elements().contains(&o) {
        return Ok(vm.new_string(""));
    }
    stack.get().push_element(&vm.heap, o);
    let r = join_items(vm, o, len, &sep);
    stack.get().elements_rearrange().pop();
    let units = r?;
    if units.len() > MAX_LENGTH {
        return Err(vm.range_error("Invalid string length"));
    }
    Ok(vm.new_string_utf16(&units))
}

fn join_items(vm: &mut Vm, o: Value, len: usize, sep: &[u16]) -> Result<Vec<u16>, Thrown> {
    let mut out: Vec<u16> = Vec::new();
    for k in 0..len {
        if k > 0 {
            out.extend_from_slice(sep);
        }
        let v = get(vm, o, k)?;
        if v.is_nullish() {
            continue;
        }
        if let Some(s) = v.as_heap::<JsString>() {
            out.extend(s.get().units());
        } else if let Some(n) = v.as_number() {
            out.extend(crate::vm::value::number_to_string(n).encode_utf16());
        } else {
            let s = vm.to_string(v)?;
            out.extend(s.get().units());
        }
        if out.len() > MAX_LENGTH {
            return Err(vm.range_error("Invalid string length"));
        }
    }
    Ok(out)
}

fn to_string(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let o = this_obj(vm, this, "toString")?;
    let jk = vm.intern("join");
    let f = vm.get(o, jk)?;
    if vm.is_callable(f) {
        return vm.call(f, o, &[]);
    }
    super::core::object_to_string(vm, o, &[])
}

fn to_locale_string(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let o = this_obj(vm, this, "toLocaleString")?;
    let len = vm.length_of(o)?;
    let mut out: Vec<u16> = Vec::new();
    let lk = vm.intern("toLocaleString");
    for k in 0..len {
        if k > 0 {
            out.push(b',' as u16);
        }
        let v = get(vm, o, k)?;
        if v.is_nullish() {
            continue;
        }
        let f = vm.get(v, lk)?;
        let r = vm.call(f, v, &[])?;
        let s = vm.to_string(r)?;
        out.extend(s.get().units());
    }
    Ok(vm.new_string_utf16(&out))
}

// ---- Searching ----

fn index_of(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "indexOf")?;
    let len = vm.length_of(o)?;
    if len == 0 {
        return Ok(Value::int(-1));
    }
    let n = to_integer(vm, arg(a, 1))?;
    if n >= len as f64 {
        return Ok(Value::int(-1));
    }
    let start = if n >= 0.0 {
        n as usize
    } else {
        (len as f64 + n).max(0.0) as usize
    };
    let target = arg(a, 0);
    if let Some(arr) = fast_array(vm, o) {
        let e = arr.get().elements();
        let found = e
            .iter()
            .enumerate()
            .skip(start)
            .find(|(_, v)| **v != Value::HOLE && strict_equals(**v, target));
        return Ok(Value::number(found.map_or(-1.0, |(i, _)| i as f64)));
    }
    for k in start..len {
        if has(vm, o, k) {
            let v = get(vm, o, k)?;
            if strict_equals(v, target) {
                return Ok(Value::number(k as f64));
            }
        }
    }
    Ok(Value::int(-1))
}

fn last_index_of(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "lastIndexOf")?;
    let len = vm.length_of(o)?;
    if len == 0 {
        return Ok(Value::int(-1));
    }
    let n = if a.len() > 1 {
        to_integer(vm, a[1])?
    } else {
        len as f64 - 1.0
    };
    let start = if n >= 0.0 {
        n.min(len as f64 - 1.0)
    } else {
        len as f64 + n
    };
    if start < 0.0 {
        return Ok(Value::int(-1));
    }
    let target = arg(a, 0);
    for k in (0..=start as usize).rev() {
        if has(vm, o, k) {
            let v = get(vm, o, k)?;
            if strict_equals(v, target) {
                return Ok(Value::number(k as f64));
            }
        }
    }
    Ok(Value::int(-1))
}

fn includes(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "includes")?;
    let len = vm.length_of(o)?;
    if len == 0 {
        return Ok(Value::FALSE);
    }
    let n = to_integer(vm, arg(a, 1))?;
    if n >= len as f64 {
        return Ok(Value::FALSE);
    }
    let start = if n >= 0.0 {
        n as usize
    } else {
        (len as f64 + n).max(0.0) as usize
    };
    let target = arg(a, 0);
    for k in start..len {
        let v = get(vm, o, k)?;
        if same_value_zero(v, target) {
            return Ok(Value::TRUE);
        }
    }
    Ok(Value::FALSE)
}

fn at(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "at")?;
    let len = vm.length_of(o)?;
    let rel = to_integer(vm, arg(a, 0))?;
    let k = if rel >= 0.0 { rel } else { len as f64 + rel };
    if k < 0.0 || k >= len as f64 {
        return Ok(Value::UNDEFINED);
    }
    get(vm, o, k as usize)
}

// ---- Callbacks ----

/// What an iteration method does with each callback result.
#[derive(Clone, Copy, PartialEq)]
enum Each {
    Plain,
    Any,
    All,
}

fn iterate(vm: &mut Vm, this: Value, a: &[Value], name: &str, kind: Each) -> R {
    let o = this_obj(vm, this, name)?;
    let len = vm.length_of(o)?;
    let f = require_callable(vm, arg(a, 0))?;
    let t = arg(a, 1);
    for k in 0..len {
        if !has(vm, o, k) {
            continue;
        }
        let v = get(vm, o, k)?;
        let r = vm.call(f, t, &[v, Value::number(k as f64), o])?;
        match kind {
            Each::Plain => {}
            Each::Any if to_boolean(r) => return Ok(Value::TRUE),
            Each::All if !to_boolean(r) => return Ok(Value::FALSE),
            _ => {}
        }
    }
    Ok(match kind {
        Each::Plain => Value::UNDEFINED,
        Each::Any => Value::FALSE,
        Each::All => Value::TRUE,
    })
}

fn for_each(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    iterate(vm, this, a, "forEach", Each::Plain)
}

fn some(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    iterate(vm, this, a, "some", Each::Any)
}

fn every(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    iterate(vm, this, a, "every", Each::All)
}

fn map(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "map")?;
    let len = vm.length_of(o)?;
    let f = require_callable(vm, arg(a, 0))?;
    check_length(vm, len as f64)?;
    let t = arg(a, 1);
    let out = new_rooted(vm, vec![Value::HOLE; len]);
    for k in 0..len {
        if !has(vm, o, k) {
            continue;
        }
        let v = get(vm, o, k)?;
        let r = vm.call(f, t, &[v, Value::number(k as f64), o])?;
        out.get().set_index(&vm.heap, k as u32, r);
    }
    Ok(Value::heap(out))
}

fn filter(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_obj(vm, this, "filter")?;
    let len = vm.length_of(o)?;
    let f = require_callable(vm, arg(a, 0))?;
    let t = arg(a, 1);
    let out = new_rooted(vm, Vec::new());
    let mark = vm.stack.len();
    for k in 0..len {
        if !has(vm, o, k) {
            continue;
        }
        let v = get(vm, o, k)?;
        vm.stack.truncate(mark);
        vm.root(v);
        let r = vm.call(f, t, &[v, Value::number(k as f64), o])?;
        if to_boolean(r) {
            out.get().push_element(&vm.heap, v);
        }
    }
    Ok(Value::heap(out))
}

fn reduce_impl(vm: &mut Vm, this: Value, a: &[Value], right: bool) -> R {
    let o = this_obj(vm, this, if right { "reduceRight" } else { "reduce" })?;
    let len = vm.length_of(o)?;
    let f = require_callable(vm, arg(a, 0))?;
    let order: Box<dyn Iterator<Item = usize>> = if right {
        Box::new((0..len).rev())
    } else {
        Box::new(0..len)
    };
    let mut order = order.peekable();
    let mut acc = if a.len() >= 2 {
        a[1]
    } else {
        let mut found = None;
        for k in order.by_ref() {
            if has(vm, o, k) {
                found = Some(get(vm, o, k)?);
                break;
            }
        }
        match found {
            Some(v) => v,
            None => return Err(vm.type_error("Reduce of empty array with no initial value")),
        }
    };
    // The accumulator lives only here between calls: it is kept rooted in one stack slot.
    let mark = vm.stack.len();
    for k in order {
        vm.stack.truncate(mark);
        vm.root(acc);
        if !has(vm, o, k) {
            continue;
        }
        let v = get(vm, o, k)?;
        acc = vm.call(f, Value::UNDEFINED, &[acc, v, Value::number(k as f64), o])?;
    }
    Ok(acc)
}

fn reduce(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    reduce_impl(vm, this, a, false)
}

fn reduce_right(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    reduce_impl(vm, this, a, true)
}

/// find / findIndex / findLast / findLastIndex: every index, holes read as undefined.
fn find_impl(vm: &mut Vm, this: Value, a: &[Value], name: &str, last: bool, index: bool) -> R {
    let o = this_obj(vm, this, name)?;
    let len = vm.length_of(o)?;
    let f = require_callable(vm, arg(a, 0))?;
    let t = arg(a, 1);
    let mark = vm.stack.len();
    for j in 0..len {
        let k = if last { len - 1 - j } else { j };
        let v = get(vm, o, k)?;
        vm.stack.truncate(mark);
        vm.root(v);
        let r = vm.call(f, t, &[v, Value::number(k as f64), o])?;
        if to_boolean(r) {
            return Ok(if index { Value::number(k as f64) } else { v });
        }
    }
    Ok(if index {
        Value::int(-1)
    } else {
        Value::UNDEFINED
    })
}

fn find(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    find_impl(vm, this, a, "find", false, false)
}

fn find_index(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    find_impl(vm, this, a, "findIndex", false, true)
}

fn find_last(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    find_impl(vm, this, a, "findLast", true, false)
}

fn find_last_index(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    find_impl(vm, this, a, "findLastIndex", true, true)
}

// ---- Sorting ----

/// A stable merge sort whose comparison may fail (a comparator that throws).
fn merge_sort<T: Copy>(
    vm: &mut Vm,
    items: &mut [T],
    cmp: &mut dyn FnMut(&mut Vm, T, T) -> Result<Ordering, Thrown>,
) -> Result<(), Thrown> {
    let n = items.len();
    if n < 2 {
        return Ok(());
    }
    if n < 64 {
        // V8's TimSort on a short array: one natural run, then binary insertion — the same
        // comparator calls, so an inconsistent comparator gives node's order too.
        let mut run = 2;
        let descending = cmp(vm, items[1], items[0])? == Ordering::Less;
        let mut prev = items[1];
        while run < n {
            let cur = items[run];
            let o = cmp(vm, cur, prev)?;
            if (descending && o != Ordering::Less) || (!descending && o == Ordering::Less) {
                break;
            }
            prev = cur;
            run += 1;
        }
        if descending {
            items[..run].reverse();
        }
        for start in run..n {
            let pivot = items[start];
            let (mut left, mut right) = (0, start);
            while left < right {
                let mid = left + ((right - left) >> 1);
                if cmp(vm, pivot, items[mid])? == Ordering::Less {
                    right = mid;
                } else {
                    left = mid + 1;
                }
            }
            items.copy_within(left..start, left + 1);
            items[left] = pivot;
        }
        return Ok(());
    }
    // Insertion sort for short runs, then merges of doubling width.
    const RUN: usize = 8;
    for start in (0..n).step_by(RUN) {
        let end = (start + RUN).min(n);
        for i in start + 1..end {
            let mut j = i;
            while j > start && cmp(vm, items[j - 1], items[j])? == Ordering::Greater {
                items.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    let mut buf: Vec<T> = items.to_vec();
    let mut width = RUN;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j, mut k) = (lo, mid, lo);
            while i < mid && j < hi {
                if cmp(vm, items[i], items[j])? == Ordering::Greater {
                    buf[k] = items[j];
                    j += 1;
                } else {
                    buf[k] = items[i];
                    i += 1;
                }
                k += 1;
            }
            buf[k..k + mid - i].copy_from_slice(&items[i..mid]);
            k += mid - i;
            buf[k..k + hi - j].copy_from_slice(&items[j..hi]);
            lo = hi;
        }
        items.copy_from_slice(&buf);
        width *= 2;
    }
    Ok(())
}

/// SortIndexedProperties: the values (holes skipped, undefined last), sorted.
fn sorted_values(
    vm: &mut Vm,
    o: Value,
    len: usize,
    cmp: Value,
    skip_holes: bool,
) -> Result<Vec<Value>, Thrown> {
    // The values stay reachable from a rooted holder while getters and the comparator run
    // (either may empty the array).
    let holder = new_rooted(vm, Vec::new());
    let mut undefineds = 0;
    for k in 0..len {
        if skip_holes && !has(vm, o, k) {
            continue;
        }
        let v = get(vm, o, k)?;
        if v.is_undefined() {
            undefineds += 1;
        } else {
            holder.get().push_element(&vm.heap, v);
        }
    }
    let mut items: Vec<Value> = holder.get().elements().to_vec();
    if cmp.is_undefined() {
        // Compare by ToString, computed once per value.
        let mut keyed: Vec<(usize, Gc<JsString>)> = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            let s = match v.as_heap::<JsString>() {
                Some(s) => s,
                None => vm.to_string(*v)?,
            };
            holder.get().push_element(&vm.heap, Value::heap(s));
            keyed.push((i, s));
        }
        merge_sort(vm, &mut keyed, &mut |_, a, b| {
            Ok(a.1.get().units().cmp(b.1.get().units()))
        })?;
        items = keyed.iter().map(|(i, _)| items[*i]).collect();
    } else {
        merge_sort(vm, &mut items, &mut |vm, a, b| {
            let r = vm.call(cmp, Value::UNDEFINED, &[a, b])?;
            let n = vm.to_number(r)?;
            Ok(if n < 0.0 {
                Ordering::Less
            } else if n > 0.0 {
                Ordering::Greater
            } else {
                Ordering::Equal
            })
        })?;
    }
    items.extend(std::iter::repeat_n(Value::UNDEFINED, undefineds));
    Ok(items)
}

fn check_comparator(vm: &mut Vm, cmp: Value) -> Result<(), Thrown> {
    if !cmp.is_undefined() && !vm.is_callable(cmp) {
        return Err(vm.type_error("The comparison function must be either a function or undefined"));
    }
    Ok(())
}

fn sort(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let cmp = arg(a, 0);
    check_comparator(vm, cmp)?;
    let o = this_obj(vm, this, "sort")?;
    let len = vm.length_of(o)?;
    let items = sorted_values(vm, o, len, cmp, true)?;
    let n = items.len();
    for (k, v) in items.into_iter().enumerate() {
        set(vm, o, k, v)?;
    }
    for k in n..len {
        if has(vm, o, k) {
            delete(vm, o, k)?;
        }
    }
    Ok(o)
}

fn to_sorted(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let cmp = arg(a, 0);
    check_comparator(vm, cmp)?;
    let o = this_obj(vm, this, "toSorted")?;
    let len = vm.length_of(o)?;
    check_length(vm, len as f64)?;
    let items = sorted_values(vm, o, len, cmp, false)?;
    Ok(Value::heap(vm.new_array(items)))
}

// ---- Array.from, Array.of ----

/// `this` when `Array.from` / `Array.of` is called on a constructor other than `Array`
/// (a subclass): the result is built with it (§23.1.2.1 step 5.a, §23.1.2.3 step 4).
fn custom_ctor(vm: &mut Vm, this: Value) -> Option<Value> {
    let o = this.as_heap::<Object>()?;
    let is_ctor = match &o.get().class {
        ObjectClass::Closure { code, .. } => code.get().is_constructor(),
        ObjectClass::Native { ctor, .. } => *ctor,
        _ => false,
    };
    if !is_ctor {
        return None;
    }
    let ck = vm.realm.names.constructor;
    let array_ctor = vm.realm.array_proto.get().get_own(ck).map(|(v, _)| v);
    if array_ctor == Some(this) {
        return None;
    }
    Some(this)
}

/// Copies `values` into `new c(len?)` and sets its `length`.
fn build_with(vm: &mut Vm, c: Value, values: Gc<Object>, pass_len: bool) -> R {
    let n = values.get().elements_len();
    let args = if pass_len {
        vec![Value::number(n as f64)]
    } else {
        Vec::new()
    };
    let o = vm.construct(c, &args, c)?;
    vm.root(o);
    for k in 0..n {
        let v = values.get().get_index(k as u32).unwrap_or(Value::UNDEFINED);
        vm.put_value(o, Value::number(k as f64), v)?;
    }
    let lk = vm.realm.names.length;
    vm.put(o, lk, Value::number(n as f64))?;
    Ok(o)
}

fn array_from(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let items = arg(a, 0);
    let f = arg(a, 1);
    let t = arg(a, 2);
    let mapping = !f.is_undefined();
    if mapping {
        require_callable(vm, f)?;
    }
    if items.is_nullish() {
        let what = if items.is_null() {
            "object null"
        } else {
            "undefined"
        };
        return Err(vm.type_error(&format!(
            "{what} is not iterable (cannot read property Symbol(Symbol.iterator))"
        )));
    }
    let ik = super::util::sym_key(vm.realm.sym_iterator);
    let uses_iterator = items.as_heap::<JsString>().is_some() || {
        let m = vm.get(items, ik)?;
        !m.is_nullish()
    };
    let out = if uses_iterator {
        let values = vm.iterate_to_vec(items)?;
        new_rooted(vm, values)
    } else {
        let len = vm.length_of(items)?;
        check_length(vm, len as f64)?;
        let out = new_rooted(vm, vec![Value::UNDEFINED; len]);
        for k in 0..len {
            let v = get(vm, items, k)?;
            out.get().set_index(&vm.heap, k as u32, v);
        }
        out
    };
    if mapping {
        let n = out.get().elements_len();
        for k in 0..n {
            let v = out.get().get_index(k as u32).unwrap_or(Value::UNDEFINED);
            let r = vm.call(f, t, &[v, Value::number(k as f64)])?;
            out.get().set_index(&vm.heap, k as u32, r);
        }
    }
    if let Some(c) = custom_ctor(vm, this) {
        return build_with(vm, c, out, !uses_iterator);
    }
    Ok(Value::heap(out))
}

fn array_of(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let out = new_rooted(vm, a.to_vec());
    if let Some(c) = custom_ctor(vm, this) {
        return build_with(vm, c, out, true);
    }
    Ok(Value::heap(out))
}
