//! `Reflect`: the object operations as functions.

use super::core::{array_like_to_vec, get_key, proto_arg};
use crate::gc::Gc;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{Object, ObjectClass};
use crate::vm::ops::PKey;
use crate::vm::realm::arg;
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

pub fn install(vm: &mut Vm) {
    let r = vm.new_object();
    vm.define_native(r, "construct", 2, construct);
    vm.define_native(r, "apply", 3, apply);
    vm.define_native(r, "get", 2, |vm, _, a| {
        let o = target(vm, arg(a, 0), "get")?;
        let k = vm.to_property_key(arg(a, 1))?;
        let receiver = if a.len() > 2 { a[2] } else { Value::heap(o) };
        match k {
            PKey::Named(n) => vm.get_from(o, n, receiver),
            PKey::Index(_) => get_key(vm, Value::heap(o), k),
        }
    });
    vm.define_native(r, "set", 3, |vm, _, a| {
        let o = target(vm, arg(a, 0), "set")?;
        let k = vm.to_property_key(arg(a, 1))?;
        let kv = vm.key_value(k);
        vm.put_value(Value::heap(o), kv, arg(a, 2))?;
        Ok(Value::TRUE)
    });
    vm.define_native(r, "has", 2, |vm, _, a| {
        let o = target(vm, arg(a, 0), "has")?;
        let k = vm.to_property_key(arg(a, 1))?;
        Ok(Value::bool(vm.has_property(o, k)))
    });
    vm.define_native(r, "ownKeys", 1, |vm, _, a| {
        let o = target(vm, arg(a, 0), "ownKeys")?;
        let mut keys: Vec<Value> = Vec::new();
        for k in vm.own_keys(o, false) {
            keys.push(vm.key_value(k));
        }
        if matches!(o.get().class, ObjectClass::Array) {
            let lk = vm.realm.names.length;
            let at = keys
                .iter()
                .position(|k| {
                    k.as_heap::<crate::vm::string::JsString>()
                        .is_some_and(|s| crate::vm::ops::parse_index(s.get()).is_none())
                })
                .unwrap_or(keys.len());
            keys.insert(at, Value::heap(lk.string()));
        }
        Ok(Value::heap(vm.new_array(keys)))
    });
    vm.define_native(r, "getPrototypeOf", 1, |vm, _, a| {
        let o = target(vm, arg(a, 0), "getPrototypeOf")?;
        Ok(o.get().proto().map_or(Value::NULL, Value::heap))
    });
    vm.define_native(r, "setPrototypeOf", 2, |vm, _, a| {
        let o = target(vm, arg(a, 0), "setPrototypeOf")?;
        let p = arg(a, 1);
        let proto = proto_arg(vm, p)?;
        Ok(Value::bool(super::core::set_prototype(vm, o, proto)))
    });
    vm.define_native(r, "defineProperty", 3, |vm, _, a| {
        let o = target(vm, arg(a, 0), "defineProperty")?;
        let k = vm.to_property_key(arg(a, 1))?;
        let ok = super::core::try_define_property(vm, o, k, arg(a, 2))?;
        Ok(Value::bool(ok))
    });
    vm.define_native(r, "deleteProperty", 2, |vm, _, a| {
        let o = target(vm, arg(a, 0), "deleteProperty")?;
        let ok = vm.delete_value(Value::heap(o), arg(a, 1))?;
        Ok(Value::bool(ok))
    });
    vm.define_native(r, "isExtensible", 1, |vm, _, a| {
        let o = target(vm, arg(a, 0), "isExtensible")?;
        Ok(Value::bool(o.get().is_extensible()))
    });
    vm.define_native(r, "preventExtensions", 1, |vm, _, a| {
        let o = target(vm, arg(a, 0), "preventExtensions")?;
        o.get().prevent_extensions();
        Ok(Value::TRUE)
    });
    vm.define_native(r, "getOwnPropertyDescriptor", 2, |vm, _, a| {
        let o = target(vm, arg(a, 0), "getOwnPropertyDescriptor")?;
        let ok = vm.intern("Object");
        let g = Value::heap(vm.global);
        let object = vm.get(g, ok)?;
        let dk = vm.intern("getOwnPropertyDescriptor");
        let f = vm.get(object, dk)?;
        vm.call(f, object, &[Value::heap(o), arg(a, 1)])
    });
    super::util::set_tag(vm, r, "Reflect");
    let global = vm.global;
    vm.define_hidden(global, "Reflect", Value::heap(r));
}

fn target(vm: &mut Vm, v: Value, name: &str) -> Result<Gc<Object>, Thrown> {
    match v.as_heap::<Object>() {
        Some(o) => Ok(o),
        None => Err(vm.type_error(&format!("Reflect.{name} called on non-object"))),
    }
}

/// IsConstructor.
pub(crate) fn is_constructor(v: Value) -> bool {
    match v.as_heap::<Object>().as_ref().map(|o| &o.get().class) {
        Some(ObjectClass::Closure { code, .. }) => code.get().is_constructor(),
        Some(ObjectClass::Native { ctor, .. }) => *ctor,
        Some(ObjectClass::Bound { target, .. }) => is_constructor(*target),
        _ => false,
    }
}

fn construct(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let f = arg(a, 0);
    if !is_constructor(f) {
        let t = vm.to_display_string(f);
        return Err(vm.type_error(&format!("{t} is not a constructor")));
    }
    let nt = if a.len() > 2 { a[2] } else { f };
    if !is_constructor(nt) {
        let t = vm.to_display_string(nt);
        return Err(vm.type_error(&format!("{t} is not a constructor")));
    }
    let list = arg(a, 1);
    let args = if list.as_heap::<Object>().is_some() {
        array_like_to_vec(vm, list)?
    } else {
        return Err(vm.type_error("CreateListFromArrayLike called on non-object"));
    };
    vm.construct(f, &args, nt)
}

fn apply(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let f = arg(a, 0);
    if !vm.is_callable(f) {
        let t = vm.to_display_string(f);
        let ty = vm.type_of(f).string().get().to_rust_string();
        return Err(vm.type_error(&format!(
            "Function.prototype.apply was called on {t}, which is a {ty} and not a function"
        )));
    }
    let list = arg(a, 2);
    let args = if list.as_heap::<Object>().is_some() {
        array_like_to_vec(vm, list)?
    } else {
        return Err(vm.type_error("CreateListFromArrayLike called on non-object"));
    };
    vm.call(f, arg(a, 1), &args)
}
