//! `ArrayBuffer`, `%TypedArray%` with its nine element kinds (no BigInt ones: minijs has no
//! BigInt), and `DataView` (ECMA-262 §25.1, §23.2, §25.3), with V8's error messages.
//!
//! Storage and element conversions are `vm::typed`. Typed arrays made by methods (`map`,
//! `slice`, `subarray`, …) take `this`'s prototype, which is what `@@species` gives for the
//! built-in constructors and for `Buffer` (a simplification: a user-defined `@@species` is
//! not consulted).

use std::cell::RefCell;

use super::util::{clamp_relative, relative_index, require_callable, sym_key, to_integer};
use crate::gc::Gc;
use crate::vm::interp::{to_boolean, Thrown, Vm};
use crate::vm::object::{attrs, NativeFn, Object, ObjectClass};
use crate::vm::realm::arg;
use crate::vm::typed::{buffer_store, typed_array, TaKind, ViewData};
use crate::vm::value::{number_to_string, Value};

type R = Result<Value, Thrown>;

/// The largest length a typed array or buffer may have (V8's on 64-bit hosts).
const MAX_LENGTH: f64 = 4294967296.0;

fn proto_key(k: TaKind) -> &'static str {
    match k {
        TaKind::Int8 => "Int8ArrayPrototype",
        TaKind::Uint8 => "Uint8ArrayPrototype",
        TaKind::Uint8Clamped => "Uint8ClampedArrayPrototype",
        TaKind::Int16 => "Int16ArrayPrototype",
        TaKind::Uint16 => "Uint16ArrayPrototype",
        TaKind::Int32 => "Int32ArrayPrototype",
        TaKind::Uint32 => "Uint32ArrayPrototype",
        TaKind::Float32 => "Float32ArrayPrototype",
        TaKind::Float64 => "Float64ArrayPrototype",
    }
}

fn ctor_fn(k: TaKind) -> NativeFn {
    match k {
        TaKind::Int8 => |vm, t, a| ta_ctor(vm, t, a, TaKind::Int8),
        TaKind::Uint8 => |vm, t, a| ta_ctor(vm, t, a, TaKind::Uint8),
        TaKind::Uint8Clamped => |vm, t, a| ta_ctor(vm, t, a, TaKind::Uint8Clamped),
        TaKind::Int16 => |vm, t, a| ta_ctor(vm, t, a, TaKind::Int16),
        TaKind::Uint16 => |vm, t, a| ta_ctor(vm, t, a, TaKind::Uint16),
        TaKind::Int32 => |vm, t, a| ta_ctor(vm, t, a, TaKind::Int32),
        TaKind::Uint32 => |vm, t, a| ta_ctor(vm, t, a, TaKind::Uint32),
        TaKind::Float32 => |vm, t, a| ta_ctor(vm, t, a, TaKind::Float32),
        TaKind::Float64 => |vm, t, a| ta_ctor(vm, t, a, TaKind::Float64),
    }
}

pub fn install(vm: &mut Vm) {
    install_array_buffer(vm);
    install_typed_arrays(vm);
    install_data_view(vm);
}

fn extra(vm: &Vm, name: &str) -> Gc<Object> {
    vm.realm.extra[name]
        .as_heap::<Object>()
        .expect("an intrinsic")
}

/// Defines a getter-only accessor (configurable, not enumerable).
fn getter(vm: &mut Vm, on: Gc<Object>, name: &str, fname: &'static str, f: NativeFn) {
    let g = vm.new_native(fname, 0, f, false);
    let k = vm.intern(name);
    vm.define_accessor(on, k, Value::heap(g), Value::UNDEFINED, attrs::CONFIGURABLE);
}

// ---- ArrayBuffer ----

fn install_array_buffer(vm: &mut Vm) {
    let p = vm.new_object();
    vm.realm
        .extra
        .insert("ArrayBufferPrototype", Value::heap(p));
    let c = super::core::make_ctor(vm, "ArrayBuffer", 1, array_buffer_ctor, p);
    vm.define_native(c, "isView", 1, |_, _, a| {
        Ok(Value::bool(arg(a, 0).as_heap::<Object>().is_some_and(
            |o| {
                matches!(
                    o.get().class,
                    ObjectClass::TypedArray(_) | ObjectClass::DataView(_)
                )
            },
        )))
    });
    getter(vm, p, "byteLength", "get byteLength", |vm, this, _| {
        let n = this_buffer(vm, this, "get ArrayBuffer.prototype.byteLength")?
            .get()
            .class
            .byte_len();
        Ok(Value::number(n as f64))
    });
    vm.define_native(p, "slice", 2, array_buffer_slice);
    super::util::set_tag(vm, p, "ArrayBuffer");
    species_getter(vm, c);
}

trait ByteLen {
    fn byte_len(&self) -> usize;
}

impl ByteLen for ObjectClass {
    fn byte_len(&self) -> usize {
        match self {
            ObjectClass::ArrayBuffer(b) => b.borrow().len(),
            _ => 0,
        }
    }
}

fn this_buffer(vm: &mut Vm, this: Value, method: &str) -> Result<Gc<Object>, Thrown> {
    match this.as_heap::<Object>() {
        Some(o) if buffer_store(o.get()).is_some() => Ok(o),
        _ => {
            let t = receiver_text(vm, this);
            Err(vm.type_error(&format!(
                "Method {method} called on incompatible receiver {t}"
            )))
        }
    }
}

/// How V8 names a wrong receiver: `#<Ctor>` (`[object Array]` for arrays) for objects, the
/// primitive's display otherwise.
fn receiver_text(vm: &mut Vm, v: Value) -> String {
    if v.as_heap::<Object>().is_some() {
        return super::util::describe(vm, v);
    }
    if let Some(s) = v.as_heap::<crate::vm::string::JsString>() {
        return s.get().to_rust_string();
    }
    vm.to_display_string(v)
}

/// A zeroed byte vector, or V8's RangeError when the allocation fails.
fn zeroed(vm: &mut Vm, n: usize) -> Result<Vec<u8>, Thrown> {
    crate::vm::typed::zeroed_bytes(n)
        .ok_or_else(|| vm.range_error("Array buffer allocation failed"))
}

/// A new ArrayBuffer holding `bytes`.
pub fn new_array_buffer(vm: &mut Vm, bytes: Vec<u8>) -> Gc<Object> {
    let p = extra(vm, "ArrayBufferPrototype");
    new_array_buffer_with_proto(vm, bytes, p)
}

fn new_array_buffer_with_proto(vm: &mut Vm, bytes: Vec<u8>, p: Gc<Object>) -> Gc<Object> {
    let shape = vm.realm.shape_for_proto(&mut vm.heap, p);
    vm.heap.alloc(Object::with_class(
        shape,
        ObjectClass::ArrayBuffer(Box::new(RefCell::new(bytes))),
    ))
}

fn array_buffer_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let nt = vm.take_new_target();
    if nt.is_undefined() {
        return Err(vm.type_error("Constructor ArrayBuffer requires 'new'"));
    }
    let n = to_integer(vm, arg(a, 0))?;
    if !(0.0..=9007199254740991.0).contains(&n) {
        return Err(vm.range_error("Invalid array buffer length"));
    }
    if n > MAX_LENGTH {
        // Larger than any typed array can view: refused before it is committed.
        return Err(vm.range_error("Array buffer allocation failed"));
    }
    let default = extra(vm, "ArrayBufferPrototype");
    let proto = vm.prototype_for(nt, default)?;
    let bytes = zeroed(vm, n as usize)?;
    Ok(Value::heap(new_array_buffer_with_proto(vm, bytes, proto)))
}

fn array_buffer_slice(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_buffer(vm, this, "ArrayBuffer.prototype.slice")?;
    let len = o.get().class.byte_len();
    let start = relative_index(vm, arg(a, 0), len, 0)?;
    let end = relative_index(vm, arg(a, 1), len, len)?;
    let bytes = match buffer_store(o.get()) {
        Some(b) if start < end => b.borrow()[start..end].to_vec(),
        _ => Vec::new(),
    };
    let proto = o.get().proto().unwrap_or(extra(vm, "ArrayBufferPrototype"));
    Ok(Value::heap(new_array_buffer_with_proto(vm, bytes, proto)))
}

// ---- Typed arrays ----

/// `(object, kind, length)` of a typed-array receiver, or V8's `this is not a typed array.`.
pub fn this_ta(vm: &mut Vm, this: Value) -> Result<(Gc<Object>, TaKind, usize), Thrown> {
    if let Some(o) = this.as_heap::<Object>() {
        if let Some(t) = typed_array(o.get()) {
            return Ok((o, t.kind, t.length));
        }
    }
    Err(vm.type_error("this is not a typed array."))
}

/// `this_ta` for the methods V8 words as `Method %TypedArray%.prototype.NAME called on
/// incompatible receiver …` (`subarray` names every receiver `undefined`).
fn this_ta_named(
    vm: &mut Vm,
    this: Value,
    name: &str,
) -> Result<(Gc<Object>, TaKind, usize), Thrown> {
    if let Some(o) = this.as_heap::<Object>() {
        if let Some(t) = typed_array(o.get()) {
            return Ok((o, t.kind, t.length));
        }
    }
    let t = if name == "subarray" {
        "undefined".to_string()
    } else {
        receiver_text(vm, this)
    };
    Err(vm.type_error(&format!(
        "Method %TypedArray%.prototype.{name} called on incompatible receiver {t}"
    )))
}

/// Element `i` (in range) of a typed array.
fn elem(o: Gc<Object>, i: usize) -> f64 {
    typed_array(o.get()).map_or(f64::NAN, |t| t.get_number(i))
}

fn elem_value(o: Gc<Object>, i: usize) -> Value {
    typed_array(o.get()).map_or(Value::UNDEFINED, |t| t.kind.value(t.get_number(i)))
}

fn store(o: Gc<Object>, i: usize, n: f64) {
    if let Some(t) = typed_array(o.get()) {
        t.set(i, n);
    }
}

/// A typed array viewing `buffer` (which the caller keeps alive).
pub fn new_view(
    vm: &mut Vm,
    kind: TaKind,
    proto: Gc<Object>,
    buffer: Gc<Object>,
    offset: usize,
    length: usize,
) -> Gc<Object> {
    let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
    vm.heap.alloc(Object::with_class(
        shape,
        ObjectClass::TypedArray(Box::new(ViewData {
            kind,
            buffer,
            offset,
            length,
        })),
    ))
}

/// A new zero-filled typed array of `length` elements with prototype `proto`.
pub fn new_typed_array(
    vm: &mut Vm,
    kind: TaKind,
    proto: Gc<Object>,
    length: usize,
) -> Result<Gc<Object>, Thrown> {
    let bytes = zeroed(vm, length * kind.size())?;
    let buf = new_array_buffer(vm, bytes);
    Ok(new_view(vm, kind, proto, buf, 0, length))
}

/// The default prototype of a kind (`Uint8Array.prototype`).
pub fn kind_proto(vm: &Vm, kind: TaKind) -> Gc<Object> {
    extra(vm, proto_key(kind))
}

/// A typed array like `this` (same kind, `this`'s prototype) of `length` elements.
fn like(vm: &mut Vm, o: Gc<Object>, kind: TaKind, length: usize) -> Result<Gc<Object>, Thrown> {
    let proto = o.get().proto().unwrap_or(kind_proto(vm, kind));
    new_typed_array(vm, kind, proto, length)
}

fn install_typed_arrays(vm: &mut Vm) {
    // %TypedArray% and %TypedArray.prototype%.
    let tp = vm.new_object();
    vm.realm
        .extra
        .insert("TypedArrayPrototype", Value::heap(tp));
    let tc = vm.new_native(
        "TypedArray",
        0,
        |vm, _, _| Err(vm.type_error("Abstract class TypedArray not directly constructable")),
        true,
    );
    vm.realm.extra.insert("TypedArray", Value::heap(tc));
    let pk = vm.realm.names.prototype;
    tc.get().define(&mut vm.heap, pk, Value::heap(tp), 0);
    vm.define_native(tc, "of", 0, ta_of);
    vm.define_native(tc, "from", 1, ta_from);
    species_getter(vm, tc);
    let ck = vm.realm.names.constructor;
    tp.get()
        .define(&mut vm.heap, ck, Value::heap(tc), attrs::HIDDEN);

    getter(vm, tp, "buffer", "get buffer", |vm, this, _| {
        let o = view_receiver(vm, this, "get %TypedArray%.prototype.buffer")?;
        Ok(typed_array(o.get()).map_or(Value::UNDEFINED, |t| Value::heap(t.buffer)))
    });
    getter(vm, tp, "byteLength", "get byteLength", |vm, this, _| {
        let o = view_receiver(vm, this, "get TypedArray.prototype.byteLength")?;
        Ok(
            typed_array(o.get())
                .map_or(Value::UNDEFINED, |t| Value::number(t.byte_length() as f64)),
        )
    });
    getter(vm, tp, "byteOffset", "get byteOffset", |vm, this, _| {
        let o = view_receiver(vm, this, "get TypedArray.prototype.byteOffset")?;
        Ok(typed_array(o.get()).map_or(Value::UNDEFINED, |t| Value::number(t.offset as f64)))
    });
    getter(vm, tp, "length", "get length", |vm, this, _| {
        let o = view_receiver(vm, this, "get TypedArray.prototype.length")?;
        Ok(typed_array(o.get()).map_or(Value::UNDEFINED, |t| Value::number(t.length as f64)))
    });

    // V8's property order.
    let methods: &[(&'static str, u32, NativeFn)] = &[
        ("entries", 0, |vm, t, _| iter(vm, t, 2)),
        ("keys", 0, |vm, t, _| iter(vm, t, 1)),
        ("values", 0, |vm, t, _| iter(vm, t, 0)),
        ("at", 1, ta_at),
        ("copyWithin", 2, ta_copy_within),
        ("every", 1, |vm, t, a| ta_search(vm, t, a, Search::Every)),
        ("fill", 1, ta_fill),
        ("filter", 1, ta_filter),
        ("find", 1, |vm, t, a| ta_search(vm, t, a, Search::Find)),
        ("findIndex", 1, |vm, t, a| {
            ta_search(vm, t, a, Search::FindIndex)
        }),
        ("findLast", 1, |vm, t, a| {
            ta_search(vm, t, a, Search::FindLast)
        }),
        ("findLastIndex", 1, |vm, t, a| {
            ta_search(vm, t, a, Search::FindLastIndex)
        }),
        ("forEach", 1, |vm, t, a| {
            ta_search(vm, t, a, Search::ForEach)
        }),
        ("includes", 1, |vm, t, a| ta_index_of(vm, t, a, 2)),
        ("indexOf", 1, |vm, t, a| ta_index_of(vm, t, a, 0)),
        ("join", 1, ta_join),
        ("lastIndexOf", 1, |vm, t, a| ta_index_of(vm, t, a, 1)),
        ("map", 1, ta_map),
        ("reverse", 0, ta_reverse),
        ("reduce", 1, |vm, t, a| ta_reduce(vm, t, a, false)),
        ("reduceRight", 1, |vm, t, a| ta_reduce(vm, t, a, true)),
        ("set", 1, ta_set),
        ("slice", 2, ta_slice),
        ("some", 1, |vm, t, a| ta_search(vm, t, a, Search::Some)),
        ("sort", 1, ta_sort),
        ("subarray", 2, ta_subarray),
        ("toLocaleString", 0, ta_join_default),
    ];
    for &(name, len, f) in methods {
        vm.define_native(tp, name, len, f);
    }
    // The same function object as Array.prototype.toString (§23.2.3.32).
    let tsk = vm.intern("toString");
    let ap = vm.realm.array_proto;
    if let Some((ts, _)) = ap.get().get_own(tsk) {
        tp.get().define(&mut vm.heap, tsk, ts, attrs::HIDDEN);
    }
    vm.define_native(tp, "toReversed", 0, ta_to_reversed);
    vm.define_native(tp, "toSorted", 1, ta_to_sorted);
    vm.define_native(tp, "with", 2, ta_with);
    let tag = vm.new_native(
        "get [Symbol.toStringTag]",
        0,
        |vm, this, _| {
            let kind = this
                .as_heap::<Object>()
                .and_then(|o| typed_array(o.get()).map(|t| t.kind));
            Ok(match kind {
                Some(k) => vm.new_string(k.name()),
                None => Value::UNDEFINED,
            })
        },
        false,
    );
    let tk = sym_key(vm.realm.sym_to_string_tag);
    vm.define_accessor(
        tp,
        tk,
        Value::heap(tag),
        Value::UNDEFINED,
        attrs::CONFIGURABLE,
    );
    let vk = vm.intern("values");
    let values = tp.get().get_own(vk).map_or(Value::UNDEFINED, |(v, _)| v);
    let ik = sym_key(vm.realm.sym_iterator);
    tp.get().define(&mut vm.heap, ik, values, attrs::HIDDEN);

    // The nine constructors.
    let bk = vm.intern("BYTES_PER_ELEMENT");
    for kind in TaKind::ALL {
        let p = vm.new_object_with_proto(Some(tp));
        vm.realm.extra.insert(proto_key(kind), Value::heap(p));
        let c = super::core::make_ctor(vm, kind.name(), 3, ctor_fn(kind), p);
        c.get().set_proto(&mut vm.heap, Some(tc));
        let size = Value::int(kind.size() as i32);
        c.get().define(&mut vm.heap, bk, size, 0);
        p.get().define(&mut vm.heap, bk, size, 0);
    }
}

/// `get [Symbol.species]() { return this }` on a constructor.
fn species_getter(vm: &mut Vm, c: Gc<Object>) {
    let g = vm.new_native("get [Symbol.species]", 0, |_, this, _| Ok(this), false);
    let sk = sym_key(vm.realm.sym_species);
    vm.define_accessor(c, sk, Value::heap(g), Value::UNDEFINED, attrs::CONFIGURABLE);
}

fn view_receiver(vm: &mut Vm, this: Value, method: &str) -> Result<Gc<Object>, Thrown> {
    match this.as_heap::<Object>() {
        Some(o) if typed_array(o.get()).is_some() => Ok(o),
        _ => {
            let t = receiver_text(vm, this);
            Err(vm.type_error(&format!(
                "Method {method} called on incompatible receiver {t}"
            )))
        }
    }
}

/// ToIndex for a length argument, with the RangeError `msg(n)`.
fn to_index(vm: &mut Vm, v: Value, msg: &dyn Fn(f64) -> String) -> Result<usize, Thrown> {
    let n = to_integer(vm, v)?;
    if !(0.0..=MAX_LENGTH).contains(&n) {
        let m = msg(n);
        return Err(vm.range_error(&m));
    }
    Ok(n as usize)
}

fn num_text(n: f64) -> String {
    number_to_string(n)
}

fn ta_ctor(vm: &mut Vm, _this: Value, a: &[Value], kind: TaKind) -> R {
    let nt = vm.take_new_target();
    if nt.is_undefined() {
        return Err(vm.type_error(&format!("Constructor {} requires 'new'", kind.name())));
    }
    let default = kind_proto(vm, kind);
    let proto = vm.prototype_for(nt, default)?;
    vm.root(Value::heap(proto));
    let first = arg(a, 0);
    let Some(src) = first.as_heap::<Object>() else {
        let len = to_index(vm, first, &|n| {
            format!("Invalid typed array length: {}", num_text(n))
        })?;
        return Ok(Value::heap(new_typed_array(vm, kind, proto, len)?));
    };
    let size = kind.size();
    // (buffer, byteOffset, length)
    if let Some(store) = buffer_store(src.get()) {
        let offset = to_integer(vm, arg(a, 1))?;
        if !(0.0..=MAX_LENGTH).contains(&offset) {
            return Err(vm.range_error(&format!(
                "Start offset {} is outside the bounds of the buffer",
                num_text(offset)
            )));
        }
        let offset = offset as usize;
        if offset % size != 0 {
            return Err(vm.range_error(&format!(
                "start offset of {} should be a multiple of {size}",
                kind.name()
            )));
        }
        let len_arg = arg(a, 2);
        let new_len = if len_arg.is_undefined() {
            None
        } else {
            Some(to_index(vm, len_arg, &|n| {
                format!("Invalid typed array length: {}", num_text(n))
            })?)
        };
        let buf_len = store.borrow().len();
        let length = match new_len {
            None => {
                if buf_len % size != 0 {
                    return Err(vm.range_error(&format!(
                        "byte length of {} should be a multiple of {size}",
                        kind.name()
                    )));
                }
                if offset > buf_len {
                    return Err(vm.range_error(&format!(
                        "Start offset {offset} is outside the bounds of the buffer"
                    )));
                }
                (buf_len - offset) / size
            }
            Some(l) => {
                if offset + l * size > buf_len {
                    return Err(vm.range_error(&format!("Invalid typed array length: {l}")));
                }
                l
            }
        };
        return Ok(Value::heap(new_view(vm, kind, proto, src, offset, length)));
    }
    // A typed array: its numbers.
    if let Some(t) = typed_array(src.get()) {
        let nums: Vec<f64> = (0..t.length).map(|i| t.get_number(i)).collect();
        let o = new_typed_array(vm, kind, proto, nums.len())?;
        for (i, n) in nums.into_iter().enumerate() {
            store(o, i, n);
        }
        return Ok(Value::heap(o));
    }
    // An iterable or an array-like object.
    let items = collect_items(vm, first)?;
    let o = new_typed_array(vm, kind, proto, items.len())?;
    vm.root(Value::heap(o));
    for (i, v) in items.into_iter().enumerate() {
        let n = vm.to_number(v)?;
        store(o, i, n);
    }
    Ok(Value::heap(o))
}

/// The values of an iterable (by `@@iterator`) or an array-like object, rooted (in an array
/// on the handle stack) until the native returns.
fn collect_items(vm: &mut Vm, v: Value) -> Result<Vec<Value>, Thrown> {
    let ik = sym_key(vm.realm.sym_iterator);
    let f = vm.get(v, ik)?;
    let items = if f.is_nullish() {
        let len = vm.length_of(v)?;
        if len as f64 > MAX_LENGTH {
            return Err(vm.range_error(&format!("Invalid typed array length: {len}")));
        }
        let holder = vm.new_array(Vec::new());
        vm.root(Value::heap(holder));
        for i in 0..len {
            let x = vm.get_index(v, i as u32)?;
            holder.get().push_element(&vm.heap, x);
        }
        let out = holder.get().elements().to_vec();
        out
    } else {
        vm.iterate_to_vec(v)?
    };
    let holder = vm.new_array(items.clone());
    vm.root(Value::heap(holder));
    Ok(items)
}

fn ta_from(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (src, map_fn, this_arg) = (arg(a, 0), arg(a, 1), arg(a, 2));
    if !map_fn.is_undefined() {
        require_callable(vm, map_fn)?;
    }
    if !vm.is_callable(this) {
        let t = super::util::describe(vm, this);
        return Err(vm.type_error(&format!("{t} is not a constructor")));
    }
    if src.is_nullish() {
        return Err(vm.type_error(&format!(
            "Cannot convert {} to object",
            vm.to_display_string(src)
        )));
    }
    let mut items = collect_items(vm, src)?;
    if !map_fn.is_undefined() {
        for (i, v) in items.iter_mut().enumerate() {
            *v = vm.call(map_fn, this_arg, &[*v, Value::number(i as f64)])?;
            vm.root(*v);
        }
    }
    construct_filled(vm, this, items)
}

fn ta_of(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    if !vm.is_callable(this) {
        let t = super::util::describe(vm, this);
        return Err(vm.type_error(&format!("{t} is not a constructor")));
    }
    construct_filled(vm, this, a.to_vec())
}

/// `new C(items.length)` filled with `items` (TypedArrayCreate then Set).
fn construct_filled(vm: &mut Vm, c: Value, items: Vec<Value>) -> R {
    let t = vm.construct(c, &[Value::number(items.len() as f64)], c)?;
    vm.root(t);
    let o = t
        .as_heap::<Object>()
        .filter(|o| typed_array(o.get()).is_some());
    let Some(o) = o else {
        return Err(vm.type_error("this is not a typed array."));
    };
    for (i, v) in items.into_iter().enumerate() {
        let n = vm.to_number(v)?;
        store(o, i, n);
    }
    Ok(t)
}

fn iter(vm: &mut Vm, this: Value, kind: u8) -> R {
    this_ta(vm, this)?;
    super::core::make_array_iterator(vm, this, kind)
}

fn ta_at(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, _, len) = this_ta_named(vm, this, "at")?;
    let n = to_integer(vm, arg(a, 0))?;
    let k = if n < 0.0 { len as f64 + n } else { n };
    if k < 0.0 || k >= len as f64 {
        return Ok(Value::UNDEFINED);
    }
    Ok(elem_value(o, k as usize))
}

fn ta_copy_within(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, kind, len) = this_ta(vm, this)?;
    let to = relative_index(vm, arg(a, 0), len, 0)?;
    let from = relative_index(vm, arg(a, 1), len, 0)?;
    let end = relative_index(vm, arg(a, 2), len, len)?;
    let count = end.saturating_sub(from).min(len - to);
    if count > 0 {
        if let Some(t) = typed_array(o.get()) {
            let size = kind.size();
            let mut b = t.store().borrow_mut();
            let base = t.offset;
            b.copy_within(
                base + from * size..base + (from + count) * size,
                base + to * size,
            );
        }
    }
    Ok(this)
}

fn ta_fill(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, _, len) = this_ta(vm, this)?;
    let n = vm.to_number(arg(a, 0))?;
    let start = relative_index(vm, arg(a, 1), len, 0)?;
    let end = relative_index(vm, arg(a, 2), len, len)?;
    for i in start..end.max(start) {
        store(o, i, n);
    }
    Ok(this)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Search {
    Every,
    Some,
    Find,
    FindIndex,
    FindLast,
    FindLastIndex,
    ForEach,
}

fn ta_search(vm: &mut Vm, this: Value, a: &[Value], how: Search) -> R {
    let (o, _, len) = this_ta(vm, this)?;
    let f = require_callable(vm, arg(a, 0))?;
    let this_arg = arg(a, 1);
    let backwards = matches!(how, Search::FindLast | Search::FindLastIndex);
    for j in 0..len {
        let i = if backwards { len - 1 - j } else { j };
        let v = elem_value(o, i);
        let r = vm.call(f, this_arg, &[v, Value::number(i as f64), this])?;
        let hit = to_boolean(r);
        match how {
            Search::Every if !hit => return Ok(Value::FALSE),
            Search::Some if hit => return Ok(Value::TRUE),
            Search::Find | Search::FindLast if hit => return Ok(v),
            Search::FindIndex | Search::FindLastIndex if hit => return Ok(Value::number(i as f64)),
            _ => {}
        }
    }
    Ok(match how {
        Search::Every => Value::TRUE,
        Search::Some => Value::FALSE,
        Search::FindIndex | Search::FindLastIndex => Value::int(-1),
        _ => Value::UNDEFINED,
    })
}

fn ta_map(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, kind, len) = this_ta(vm, this)?;
    let f = require_callable(vm, arg(a, 0))?;
    let this_arg = arg(a, 1);
    let out = like(vm, o, kind, len)?;
    vm.root(Value::heap(out));
    for i in 0..len {
        let v = elem_value(o, i);
        let r = vm.call(f, this_arg, &[v, Value::number(i as f64), this])?;
        let n = vm.to_number(r)?;
        store(out, i, n);
    }
    Ok(Value::heap(out))
}

fn ta_filter(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, kind, len) = this_ta(vm, this)?;
    let f = require_callable(vm, arg(a, 0))?;
    let this_arg = arg(a, 1);
    let mut kept = Vec::new();
    for i in 0..len {
        let v = elem_value(o, i);
        let r = vm.call(f, this_arg, &[v, Value::number(i as f64), this])?;
        if to_boolean(r) {
            kept.push(elem(o, i));
        }
    }
    let out = like(vm, o, kind, kept.len())?;
    for (i, n) in kept.into_iter().enumerate() {
        store(out, i, n);
    }
    Ok(Value::heap(out))
}

fn ta_reduce(vm: &mut Vm, this: Value, a: &[Value], right: bool) -> R {
    let (o, _, len) = this_ta(vm, this)?;
    let f = require_callable(vm, arg(a, 0))?;
    let order: Vec<usize> = if right {
        (0..len).rev().collect()
    } else {
        (0..len).collect()
    };
    let mut it = order.into_iter();
    let mut acc = if a.len() >= 2 {
        a[1]
    } else {
        match it.next() {
            Some(i) => elem_value(o, i),
            None => return Err(vm.type_error("Reduce of empty array with no initial value")),
        }
    };
    let mark = vm.stack.len();
    for i in it {
        vm.stack.truncate(mark);
        vm.root(acc);
        let v = elem_value(o, i);
        acc = vm.call(
            f,
            Value::UNDEFINED,
            &[acc, v, Value::number(i as f64), this],
        )?;
    }
    Ok(acc)
}

fn element_text(n: f64) -> String {
    number_to_string(n)
}

fn ta_join(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, _, len) = this_ta_named(vm, this, "join")?;
    let sep = if arg(a, 0).is_undefined() {
        ",".to_string()
    } else {
        vm.to_rust_string(arg(a, 0))?
    };
    let mut s = String::new();
    for i in 0..len {
        if i > 0 {
            s.push_str(&sep);
        }
        s.push_str(&element_text(elem(o, i)));
    }
    Ok(vm.new_string(&s))
}

fn ta_join_default(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    this_ta_named(vm, this, "toLocaleString")?;
    ta_join(vm, this, &[])
}

/// indexOf (0), lastIndexOf (1), includes (2).
fn ta_index_of(vm: &mut Vm, this: Value, a: &[Value], how: u8) -> R {
    let (o, _, len) = this_ta(vm, this)?;
    let not_found = if how == 2 {
        Value::FALSE
    } else {
        Value::int(-1)
    };
    if len == 0 {
        return Ok(not_found);
    }
    let target = arg(a, 0);
    let found = |i: usize| {
        if how == 2 {
            Value::TRUE
        } else {
            Value::number(i as f64)
        }
    };
    if how == 1 {
        let from = if a.len() > 1 {
            to_integer(vm, a[1])?
        } else {
            len as f64 - 1.0
        };
        let k = if from < 0.0 {
            len as f64 + from
        } else {
            from.min(len as f64 - 1.0)
        };
        if k < 0.0 {
            return Ok(not_found);
        }
        let Some(t) = target.as_number() else {
            return Ok(not_found);
        };
        for i in (0..=k as usize).rev() {
            if elem(o, i) == t {
                return Ok(found(i));
            }
        }
        return Ok(not_found);
    }
    let n = to_integer(vm, arg(a, 1))?;
    let start = clamp_relative(n, len);
    let Some(t) = target.as_number() else {
        return Ok(not_found);
    };
    for i in start..len {
        let x = elem(o, i);
        if x == t || (how == 2 && x.is_nan() && t.is_nan()) {
            return Ok(found(i));
        }
    }
    Ok(not_found)
}

fn ta_reverse(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let (o, _, len) = this_ta(vm, this)?;
    let nums: Vec<f64> = (0..len).map(|i| elem(o, i)).collect();
    for (i, n) in nums.into_iter().rev().enumerate() {
        store(o, i, n);
    }
    Ok(this)
}

fn ta_set(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, _, len) = this_ta(vm, this)?;
    let off = to_integer(vm, arg(a, 1))?;
    if off < 0.0 {
        return Err(vm.range_error("offset is out of bounds"));
    }
    let src = arg(a, 0);
    if let Some(s) = src.as_heap::<Object>() {
        if let Some(t) = typed_array(s.get()) {
            if t.length as f64 + off > len as f64 {
                return Err(vm.range_error("offset is out of bounds"));
            }
            let nums: Vec<f64> = (0..t.length).map(|i| t.get_number(i)).collect();
            for (i, n) in nums.into_iter().enumerate() {
                store(o, off as usize + i, n);
            }
            return Ok(Value::UNDEFINED);
        }
    }
    let s = vm.to_object(src)?;
    vm.root(Value::heap(s));
    let src_len = vm.length_of(Value::heap(s))?;
    if src_len as f64 + off > len as f64 {
        return Err(vm.range_error("offset is out of bounds"));
    }
    for i in 0..src_len {
        let v = vm.get_index(Value::heap(s), i as u32)?;
        let n = vm.to_number(v)?;
        store(o, off as usize + i, n);
    }
    Ok(Value::UNDEFINED)
}

fn ta_slice(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, kind, len) = this_ta_named(vm, this, "slice")?;
    let start = relative_index(vm, arg(a, 0), len, 0)?;
    let end = relative_index(vm, arg(a, 1), len, len)?;
    let count = end.saturating_sub(start);
    let out = like(vm, o, kind, count)?;
    for i in 0..count {
        store(out, i, elem(o, start + i));
    }
    Ok(Value::heap(out))
}

fn ta_subarray(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, kind, len) = this_ta_named(vm, this, "subarray")?;
    let start = relative_index(vm, arg(a, 0), len, 0)?;
    let end = relative_index(vm, arg(a, 1), len, len)?;
    let count = end.saturating_sub(start);
    let (buffer, offset) = match typed_array(o.get()) {
        Some(t) => (t.buffer, t.offset),
        None => return Err(vm.type_error("this is not a typed array.")),
    };
    let proto = o.get().proto().unwrap_or(kind_proto(vm, kind));
    let v = new_view(vm, kind, proto, buffer, offset + start * kind.size(), count);
    Ok(Value::heap(v))
}

/// The default order: numeric, -0 before +0, NaN last.
fn default_cmp(x: &f64, y: &f64) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Equal,
        (true, false) => Greater,
        (false, true) => Less,
        _ => {
            if x < y {
                Less
            } else if x > y {
                Greater
            } else if *x == 0.0 && *y == 0.0 {
                y.is_sign_negative().cmp(&x.is_sign_negative())
            } else {
                Equal
            }
        }
    }
}

fn ta_sort(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let cmp = arg(a, 0);
    if !cmp.is_undefined() && !vm.is_callable(cmp) {
        return Err(vm.type_error("The comparison function must be either a function or undefined"));
    }
    let (o, kind, len) = this_ta_named(vm, this, "sort")?;
    let nums = sorted(vm, o, kind, len, cmp)?;
    for (i, n) in nums.into_iter().enumerate() {
        store(o, i, n);
    }
    Ok(this)
}

fn sorted(
    vm: &mut Vm,
    o: Gc<Object>,
    kind: TaKind,
    len: usize,
    cmp: Value,
) -> Result<Vec<f64>, Thrown> {
    let mut nums: Vec<f64> = (0..len).map(|i| elem(o, i)).collect();
    if cmp.is_undefined() {
        nums.sort_by(default_cmp);
        Ok(nums)
    } else {
        merge_sort(vm, nums, cmp, kind)
    }
}

/// `toSorted` (§23.2.3.33): a sorted copy of the same kind (not species: a plain
/// `Uint8Array` even for a Buffer, as V8).
fn ta_to_sorted(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let cmp = arg(a, 0);
    if !cmp.is_undefined() && !vm.is_callable(cmp) {
        return Err(vm.type_error("The comparison function must be either a function or undefined"));
    }
    let (o, kind, len) = this_ta_named(vm, this, "toSorted")?;
    let nums = sorted(vm, o, kind, len, cmp)?;
    let p = kind_proto(vm, kind);
    let out = new_typed_array(vm, kind, p, len)?;
    for (i, n) in nums.into_iter().enumerate() {
        store(out, i, n);
    }
    Ok(Value::heap(out))
}

fn ta_to_reversed(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let (o, kind, len) = this_ta_named(vm, this, "toReversed")?;
    let p = kind_proto(vm, kind);
    let out = new_typed_array(vm, kind, p, len)?;
    for i in 0..len {
        store(out, i, elem(o, len - 1 - i));
    }
    Ok(Value::heap(out))
}

fn ta_with(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let (o, kind, len) = this_ta(vm, this)?;
    let rel = to_integer(vm, arg(a, 0))?;
    let n = vm.to_number(arg(a, 1))?;
    let k = if rel < 0.0 { len as f64 + rel } else { rel };
    if k < 0.0 || k >= len as f64 {
        return Err(vm.range_error("Invalid typed array index"));
    }
    let p = kind_proto(vm, kind);
    let out = new_typed_array(vm, kind, p, len)?;
    for i in 0..len {
        store(out, i, if i == k as usize { n } else { elem(o, i) });
    }
    Ok(Value::heap(out))
}

/// A stable merge sort with a comparator that may throw.
fn merge_sort(vm: &mut Vm, v: Vec<f64>, cmp: Value, kind: TaKind) -> Result<Vec<f64>, Thrown> {
    if v.len() <= 1 {
        return Ok(v);
    }
    let mid = v.len() / 2;
    let right = merge_sort(vm, v[mid..].to_vec(), cmp, kind)?;
    let left = merge_sort(vm, v[..mid].to_vec(), cmp, kind)?;
    let mut out = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        let r = vm.call(
            cmp,
            Value::UNDEFINED,
            &[kind.value(left[i]), kind.value(right[j])],
        )?;
        let n = vm.to_number(r)?;
        if n > 0.0 {
            out.push(right[j]);
            j += 1;
        } else {
            out.push(left[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

// ---- DataView ----

fn install_data_view(vm: &mut Vm) {
    let p = vm.new_object();
    vm.realm.extra.insert("DataViewPrototype", Value::heap(p));
    super::core::make_ctor(vm, "DataView", 1, data_view_ctor, p);
    getter(vm, p, "buffer", "get buffer", |vm, this, _| {
        let v = this_view(vm, this, "get DataView.prototype.buffer")?;
        Ok(Value::heap(v.0))
    });
    getter(vm, p, "byteLength", "get byteLength", |vm, this, _| {
        let v = this_view(vm, this, "get DataView.prototype.byte_length")?;
        Ok(Value::number(v.2 as f64))
    });
    getter(vm, p, "byteOffset", "get byteOffset", |vm, this, _| {
        let v = this_view(vm, this, "get DataView.prototype.byte_offset")?;
        Ok(Value::number(v.1 as f64))
    });
    let methods: &[(&'static str, &'static str, NativeFn, NativeFn)] = &[
        (
            "getInt8",
            "setInt8",
            |vm, t, a| dv_get(vm, t, a, TaKind::Int8),
            |vm, t, a| dv_set(vm, t, a, TaKind::Int8),
        ),
        (
            "getUint8",
            "setUint8",
            |vm, t, a| dv_get(vm, t, a, TaKind::Uint8),
            |vm, t, a| dv_set(vm, t, a, TaKind::Uint8),
        ),
        (
            "getInt16",
            "setInt16",
            |vm, t, a| dv_get(vm, t, a, TaKind::Int16),
            |vm, t, a| dv_set(vm, t, a, TaKind::Int16),
        ),
        (
            "getUint16",
            "setUint16",
            |vm, t, a| dv_get(vm, t, a, TaKind::Uint16),
            |vm, t, a| dv_set(vm, t, a, TaKind::Uint16),
        ),
        (
            "getInt32",
            "setInt32",
            |vm, t, a| dv_get(vm, t, a, TaKind::Int32),
            |vm, t, a| dv_set(vm, t, a, TaKind::Int32),
        ),
        (
            "getUint32",
            "setUint32",
            |vm, t, a| dv_get(vm, t, a, TaKind::Uint32),
            |vm, t, a| dv_set(vm, t, a, TaKind::Uint32),
        ),
        (
            "getFloat32",
            "setFloat32",
            |vm, t, a| dv_get(vm, t, a, TaKind::Float32),
            |vm, t, a| dv_set(vm, t, a, TaKind::Float32),
        ),
        (
            "getFloat64",
            "setFloat64",
            |vm, t, a| dv_get(vm, t, a, TaKind::Float64),
            |vm, t, a| dv_set(vm, t, a, TaKind::Float64),
        ),
    ];
    for &(g, s, gf, sf) in methods {
        vm.define_native(p, g, 1, gf);
        vm.define_native(p, s, 2, sf);
    }
    super::util::set_tag(vm, p, "DataView");
}

/// `(buffer, byteOffset, byteLength)` of a DataView receiver.
fn this_view(vm: &mut Vm, this: Value, method: &str) -> Result<(Gc<Object>, usize, usize), Thrown> {
    if let Some(o) = this.as_heap::<Object>() {
        if let ObjectClass::DataView(d) = &o.get().class {
            return Ok((d.buffer, d.offset, d.length));
        }
    }
    let _ = this;
    Err(vm.type_error(&format!(
        "Method {method} called on incompatible receiver undefined"
    )))
}

fn data_view_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let nt = vm.take_new_target();
    if nt.is_undefined() {
        return Err(vm.type_error("Constructor DataView requires 'new'"));
    }
    let buf = arg(a, 0)
        .as_heap::<Object>()
        .filter(|o| buffer_store(o.get()).is_some());
    let Some(buf) = buf else {
        return Err(vm.type_error("First argument to DataView constructor must be an ArrayBuffer"));
    };
    let offset = to_integer(vm, arg(a, 1))?;
    let buf_len = buf.get().class.byte_len();
    if offset < 0.0 || offset > buf_len as f64 {
        return Err(vm.range_error(&format!(
            "Start offset {} is outside the bounds of the buffer",
            num_text(offset)
        )));
    }
    let offset = offset as usize;
    let len = if arg(a, 2).is_undefined() {
        buf_len - offset
    } else {
        let l = to_integer(vm, arg(a, 2))?;
        if l < 0.0 || offset as f64 + l > buf_len as f64 {
            return Err(vm.range_error(&format!("Invalid DataView length {}", num_text(l))));
        }
        l as usize
    };
    let default = extra(vm, "DataViewPrototype");
    let proto = vm.prototype_for(nt, default)?;
    let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
    let o = vm.heap.alloc(Object::with_class(
        shape,
        ObjectClass::DataView(Box::new(ViewData {
            kind: TaKind::Uint8,
            buffer: buf,
            offset,
            length: len,
        })),
    ));
    Ok(Value::heap(o))
}

/// GetViewValue's index check: the byte index of the access, or V8's RangeError.
fn dv_index(vm: &mut Vm, v: Value, len: usize, size: usize) -> Result<usize, Thrown> {
    let n = to_integer(vm, v)?;
    if n < 0.0 || n + size as f64 > len as f64 {
        return Err(vm.range_error("Offset is outside the bounds of the DataView"));
    }
    Ok(n as usize)
}

fn dv_get(vm: &mut Vm, this: Value, a: &[Value], kind: TaKind) -> R {
    let name = format!(
        "DataView.prototype.get{}",
        &kind.name()[..kind.name().len() - 5]
    );
    let (buf, off, len) = this_view(vm, this, &name)?;
    let i = dv_index(vm, arg(a, 0), len, kind.size())?;
    let little = to_boolean(arg(a, 1));
    let Some(store) = buffer_store(buf.get()) else {
        return Ok(Value::UNDEFINED);
    };
    let b = store.borrow();
    let n = kind.read(&b[off + i..], little);
    Ok(kind.value(n))
}

fn dv_set(vm: &mut Vm, this: Value, a: &[Value], kind: TaKind) -> R {
    let name = format!(
        "DataView.prototype.set{}",
        &kind.name()[..kind.name().len() - 5]
    );
    let (buf, off, len) = this_view(vm, this, &name)?;
    let idx = to_integer(vm, arg(a, 0))?;
    let n = vm.to_number(arg(a, 1))?;
    let little = to_boolean(arg(a, 2));
    if idx < 0.0 || idx + kind.size() as f64 > len as f64 {
        return Err(vm.range_error("Offset is outside the bounds of the DataView"));
    }
    if let Some(store) = buffer_store(buf.get()) {
        let mut b = store.borrow_mut();
        kind.write(n, &mut b[off + idx as usize..], little);
    }
    Ok(Value::UNDEFINED)
}
