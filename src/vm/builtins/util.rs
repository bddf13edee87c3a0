//! Small helpers the library files share: integer conversions with the specification's
//! clamping, callback checks, iterator results.

use crate::gc::Gc;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, Object};
use crate::vm::value::Value;

/// ToIntegerOrInfinity.
pub fn to_integer(vm: &mut Vm, v: Value) -> Result<f64, Thrown> {
    if let Some(i) = v.as_int() {
        return Ok(i as f64);
    }
    let n = vm.to_number(v)?;
    Ok(if n.is_nan() { 0.0 } else { n.trunc() + 0.0 })
}

/// A relative index (`slice`'s start and end): negative counts from `len`, clamped to
/// `0..=len`. `undefined` means `default`.
pub fn relative_index(vm: &mut Vm, v: Value, len: usize, default: usize) -> Result<usize, Thrown> {
    if v.is_undefined() {
        return Ok(default);
    }
    let n = to_integer(vm, v)?;
    Ok(clamp_relative(n, len))
}

pub fn clamp_relative(n: f64, len: usize) -> usize {
    if n < 0.0 {
        let r = len as f64 + n;
        if r < 0.0 {
            0
        } else {
            r as usize
        }
    } else if n > len as f64 {
        len
    } else {
        n as usize
    }
}

/// Checks that a callback argument is callable, with V8's `x is not a function`.
pub fn require_callable(vm: &mut Vm, f: Value) -> Result<Value, Thrown> {
    if vm.is_callable(f) {
        Ok(f)
    } else {
        let t = describe(vm, f);
        Err(vm.type_error(&format!("{t} is not a function")))
    }
}

/// How V8 shows a value in `x is not a function`: primitives raw, arrays as
/// `[object Array]`, other objects as `#<Ctor>`.
pub fn describe(vm: &mut Vm, v: Value) -> String {
    if let Some(o) = v.as_heap::<Object>() {
        if o.get().is_callable() {
            return vm.to_display_string(v);
        }
        if matches!(o.get().class, crate::vm::object::ObjectClass::Array) {
            return "[object Array]".into();
        }
        let name = vm.class_name_of(o);
        return format!("#<{name}>");
    }
    vm.to_display_string(v)
}

/// `{ value, done }`.
pub fn iter_result(vm: &mut Vm, value: Value, done: bool) -> Value {
    let r = vm.new_object();
    let (vk, dk) = (vm.realm.names.value, vm.realm.names.done);
    r.get().define(&mut vm.heap, vk, value, attrs::DEFAULT);
    r.get()
        .define(&mut vm.heap, dk, Value::bool(done), attrs::DEFAULT);
    Value::heap(r)
}

/// A prototype object for built-in iterators (inheriting `%IteratorPrototype%`), with
/// `next` and a `Symbol.toStringTag`.
pub fn iterator_proto(vm: &mut Vm, tag: &str, next: crate::vm::object::NativeFn) -> Gc<Object> {
    let p = vm.new_object_with_proto(Some(vm.realm.iterator_proto));
    vm.define_native(p, "next", 0, next);
    set_tag(vm, p, tag);
    p
}

/// Defines `o[Symbol.toStringTag] = tag` (configurable only).
pub fn set_tag(vm: &mut Vm, o: Gc<Object>, tag: &str) {
    let tk = crate::vm::object::Key::from_atom(vm.realm.sym_to_string_tag.get().key);
    let t = vm.new_string(tag);
    o.get().define(&mut vm.heap, tk, t, attrs::CONFIGURABLE);
}

/// Defines a getter-only accessor named `name` from a native function.
pub fn define_getter(
    vm: &mut Vm,
    on: Gc<Object>,
    name: &'static str,
    f: crate::vm::object::NativeFn,
) {
    let g = match name {
        "size" => "get size",
        "source" => "get source",
        "flags" => "get flags",
        "global" => "get global",
        "ignoreCase" => "get ignoreCase",
        "multiline" => "get multiline",
        "sticky" => "get sticky",
        "unicode" => "get unicode",
        "dotAll" => "get dotAll",
        "hasIndices" => "get hasIndices",
        "unicodeSets" => "get unicodeSets",
        "description" => "get description",
        _ => name,
    };
    let getter = vm.new_native(g, 0, f, false);
    let k = vm.intern(name);
    vm.define_accessor(
        on,
        k,
        Value::heap(getter),
        Value::UNDEFINED,
        attrs::CONFIGURABLE,
    );
}

/// Whether `v` is an Array object.
pub fn is_array(v: Value) -> bool {
    v.as_heap::<Object>()
        .is_some_and(|o| matches!(o.get().class, crate::vm::object::ObjectClass::Array))
}

/// A well-known symbol's property key.
pub fn sym_key(s: Gc<crate::vm::object::Symbol>) -> crate::vm::object::Key {
    crate::vm::object::Key::from_atom(s.get().key)
}
