//! The core built-ins: the global object's value properties, `Object`, `Function`, `Array`
//! (constructor and iteration), the `Error` constructors, `Symbol`, `Math`, the primitive
//! wrappers' constructors and `parseInt`/`parseFloat`/`isNaN`/`isFinite`.

use crate::gc::Gc;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, value_gc, Key, Object, ObjectClass};
use crate::vm::ops::{same_value, PKey};
use crate::vm::realm::{arg, ErrorKind};
use crate::vm::string::JsString;
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

/// A prototype argument (`Object.create`, `Object.setPrototypeOf`, `Reflect.setPrototypeOf`):
/// an object or `null`, else V8's TypeError.
pub(crate) fn proto_arg(vm: &mut Vm, p: Value) -> Result<Option<Gc<Object>>, Thrown> {
    if p.is_null() {
        return Ok(None);
    }
    if let Some(o) = p.as_heap::<Object>() {
        return Ok(Some(o));
    }
    let t = vm.to_display_string(p);
    Err(vm.type_error(&format!(
        "Object prototype may only be an Object or null: {t}"
    )))
}

pub fn install(vm: &mut Vm) {
    let global = vm.global;
    let g = Value::heap(global);
    vm.define_hidden(global, "globalThis", g);
    let k = vm.intern("NaN");
    global
        .get()
        .define(&mut vm.heap, k, Value::number(f64::NAN), 0);
    let k = vm.intern("Infinity");
    global
        .get()
        .define(&mut vm.heap, k, Value::number(f64::INFINITY), 0);
    let k = vm.intern("undefined");
    global.get().define(&mut vm.heap, k, Value::UNDEFINED, 0);

    install_object(vm);
    install_function(vm);
    install_array(vm);
    install_errors(vm);
    install_symbol(vm);
    install_wrappers(vm);
    install_math(vm);

    vm.define_native(global, "parseInt", 2, parse_int);
    vm.define_native(global, "parseFloat", 1, parse_float);
    vm.define_native(global, "isNaN", 1, |vm, _, a| {
        Ok(Value::bool(vm.to_number(arg(a, 0))?.is_nan()))
    });
    vm.define_native(global, "isFinite", 1, |vm, _, a| {
        Ok(Value::bool(vm.to_number(arg(a, 0))?.is_finite()))
    });
}

/// Makes a constructor: a native function with `prototype` and `prototype.constructor`.
pub fn make_ctor(
    vm: &mut Vm,
    name: &'static str,
    length: u32,
    f: crate::vm::object::NativeFn,
    proto: Gc<Object>,
) -> Gc<Object> {
    let c = vm.new_native(name, length, f, true);
    let pk = vm.realm.names.prototype;
    c.get().define(&mut vm.heap, pk, Value::heap(proto), 0);
    let ck = vm.realm.names.constructor;
    proto
        .get()
        .define(&mut vm.heap, ck, Value::heap(c), attrs::HIDDEN);
    let global = vm.global;
    vm.define_hidden(global, name, Value::heap(c));
    c
}

// ---- Object ----

fn install_object(vm: &mut Vm) {
    let proto = vm.realm.object_proto;
    let ctor = make_ctor(vm, "Object", 1, object_ctor, proto);
    vm.define_native(ctor, "keys", 1, |vm, _, a| {
        let o = vm.to_object(arg(a, 0))?;
        let mut keys = Vec::new();
        for k in vm.own_keys(o, true) {
            if !is_symbol_key(vm, k) {
                keys.push(vm.key_value(k));
            }
        }
        Ok(Value::heap(vm.new_array(keys)))
    });
    vm.define_native(ctor, "values", 1, |vm, _, a| {
        let v = arg(a, 0);
        let o = vm.to_object(v)?;
        let mut out = Vec::new();
        for k in vm.own_keys(o, true) {
            if is_symbol_key(vm, k) || !still_enumerable(vm, o, k) {
                continue;
            }
            let v = get_key(vm, Value::heap(o), k)?;
            vm.root(v);
            out.push(v);
        }
        Ok(Value::heap(vm.new_array(out)))
    });
    vm.define_native(ctor, "entries", 1, |vm, _, a| {
        let o = vm.to_object(arg(a, 0))?;
        let result = vm.new_array(Vec::new());
        vm.root(Value::heap(result));
        for k in vm.own_keys(o, true) {
            if is_symbol_key(vm, k) || !still_enumerable(vm, o, k) {
                continue;
            }
            let v = get_key(vm, Value::heap(o), k)?;
            let kv = vm.key_value(k);
            let pair = vm.new_array(vec![kv, v]);
            result.get().push_element(&vm.heap, Value::heap(pair));
        }
        Ok(Value::heap(result))
    });
    vm.define_native(ctor, "assign", 2, |vm, _, a| {
        let target = vm.to_object(arg(a, 0))?;
        for src in a.iter().skip(1) {
            if src.is_nullish() {
                continue;
            }
            let s = vm.to_object(*src)?;
            for k in vm.own_keys(s, true) {
                let v = get_key(vm, Value::heap(s), k)?;
                match k {
                    PKey::Index(i) => {
                        vm.put_value(Value::heap(target), Value::number(i as f64), v)?
                    }
                    PKey::Named(n) => vm.put(Value::heap(target), n, v)?,
                }
            }
        }
        Ok(Value::heap(target))
    });
    vm.define_native(ctor, "create", 2, |vm, _, a| {
        let p = arg(a, 0);
        let proto = proto_arg(vm, p)?;
        let o = vm.new_object_with_proto(proto);
        let props = arg(a, 1);
        if !props.is_undefined() {
            define_properties(vm, o, props)?;
        }
        Ok(Value::heap(o))
    });
    vm.define_native(ctor, "getPrototypeOf", 1, |vm, _, a| {
        let v = arg(a, 0);
        let o = vm.to_object(v)?;
        Ok(o.get().proto().map_or(Value::NULL, Value::heap))
    });
    vm.define_native(ctor, "setPrototypeOf", 2, |vm, _, a| {
        let (v, p) = (arg(a, 0), arg(a, 1));
        if v.is_nullish() {
            return Err(vm.type_error("Object.setPrototypeOf called on null or undefined"));
        }
        let proto = proto_arg(vm, p)?;
        if let Some(o) = v.as_heap::<Object>() {
            if !set_prototype(vm, o, proto) {
                return Err(if o.get().is_extensible() {
                    vm.type_error("Cyclic __proto__ value")
                } else {
                    let t = super::util::describe(vm, v);
                    vm.type_error(&format!("{t} is not extensible"))
                });
            }
        }
        Ok(v)
    });
    vm.define_native(ctor, "defineProperty", 3, |vm, _, a| {
        let v = arg(a, 0);
        let Some(o) = v.as_heap::<Object>() else {
            return Err(vm.type_error("Object.defineProperty called on non-object"));
        };
        let k = vm.to_property_key(arg(a, 1))?;
        define_property(vm, o, k, arg(a, 2))?;
        Ok(v)
    });
    vm.define_native(ctor, "defineProperties", 2, |vm, _, a| {
        let v = arg(a, 0);
        let Some(o) = v.as_heap::<Object>() else {
            return Err(vm.type_error("Object.defineProperties called on non-object"));
        };
        define_properties(vm, o, arg(a, 1))?;
        Ok(v)
    });
    vm.define_native(ctor, "getOwnPropertyNames", 1, |vm, _, a| {
        let o = vm.to_object(arg(a, 0))?;
        let mut keys: Vec<Value> = Vec::new();
        for k in vm.own_keys(o, false) {
            if !is_symbol_key(vm, k) {
                keys.push(vm.key_value(k));
            }
        }
        let has_length = match &o.get().class {
            ObjectClass::Array => true,
            ObjectClass::Boxed(b) => b.as_heap::<JsString>().is_some(),
            _ => false,
        };
        if has_length {
            let lk = vm.realm.names.length;
            let pos = keys
                .iter()
                .position(|k| {
                    k.as_heap::<JsString>().is_some_and(|s| {
                        let t = s.get().to_rust_string();
                        t.parse::<u32>().map_or(true, |n| n.to_string() != t)
                    })
                })
                .unwrap_or(keys.len());
            keys.insert(pos, Value::heap(lk.string()));
        }
        Ok(Value::heap(vm.new_array(keys)))
    });
    vm.define_native(ctor, "getOwnPropertySymbols", 1, |vm, _, a| {
        let o = vm.to_object(arg(a, 0))?;
        let mut keys: Vec<Value> = Vec::new();
        for k in vm.own_keys(o, false) {
            if is_symbol_key(vm, k) {
                keys.push(vm.key_value(k));
            }
        }
        Ok(Value::heap(vm.new_array(keys)))
    });
    vm.define_native(ctor, "getOwnPropertyDescriptor", 2, |vm, _, a| {
        let o = vm.to_object(arg(a, 0))?;
        let k = vm.to_property_key(arg(a, 1))?;
        get_own_property_descriptor(vm, o, k)
    });
    // §20.1.2.9: every own key (an array's `length` too) → its descriptor.
    vm.define_native(ctor, "getOwnPropertyDescriptors", 1, |vm, _, a| {
        let o = vm.to_object(arg(a, 0))?;
        let mut keys = vm.own_keys(o, false);
        let has_length = match &o.get().class {
            ObjectClass::Array => true,
            ObjectClass::Boxed(b) => b.as_heap::<JsString>().is_some(),
            _ => false,
        };
        if has_length {
            let pos = keys
                .iter()
                .position(|k| matches!(k, PKey::Named(_)))
                .unwrap_or(keys.len());
            keys.insert(pos, PKey::Named(vm.realm.names.length));
        }
        // A function's `length` and `name` come first, as in V8 (minijs keeps them virtual).
        if vm.is_callable(Value::heap(o)) {
            for n in [vm.realm.names.name, vm.realm.names.length] {
                let k = PKey::Named(n);
                if !keys.contains(&k) && vm.has_own(o, k) {
                    keys.insert(0, k);
                }
            }
        }
        let out = vm.new_object();
        for k in keys {
            let d = get_own_property_descriptor(vm, o, k)?;
            if !d.is_undefined() {
                vm.define_value(out, k, d, attrs::DEFAULT);
            }
        }
        Ok(Value::heap(out))
    });
    vm.define_native(ctor, "freeze", 1, |vm, _, a| {
        let v = arg(a, 0);
        if let Some(o) = v.as_heap::<Object>() {
            // A typed array's elements cannot be made read-only (§10.4.5.3).
            if crate::vm::typed::typed_array(o.get()).is_some_and(|t| t.length > 0) {
                return Err(vm.type_error("Cannot freeze array buffer views with elements"));
            }
            for k in vm.own_keys(o, false) {
                if let PKey::Named(n) = k {
                    if let Some((val, at)) = o.get().get_own(n) {
                        let na = if at & attrs::ACCESSOR != 0 {
                            at & !attrs::CONFIGURABLE
                        } else {
                            at & !(attrs::CONFIGURABLE | attrs::WRITABLE)
                        };
                        o.get().define(&mut vm.heap, n, val, na);
                    }
                }
            }
            o.get().prevent_extensions();
            vm.realm.extra.insert("frozen-marker", Value::UNDEFINED);
            let fk = vm.intern("@@frozen");
            let _ = fk;
        }
        Ok(v)
    });
    vm.define_native(ctor, "isFrozen", 1, |vm, _, a| {
        let v = arg(a, 0);
        let Some(o) = v.as_heap::<Object>() else {
            return Ok(Value::TRUE);
        };
        if o.get().is_extensible() {
            return Ok(Value::FALSE);
        }
        for k in vm.own_keys(o, false) {
            if let PKey::Named(n) = k {
                if let Some((_, at)) = o.get().get_own(n) {
                    if at & attrs::CONFIGURABLE != 0
                        || (at & attrs::ACCESSOR == 0 && at & attrs::WRITABLE != 0)
                    {
                        return Ok(Value::FALSE);
                    }
                }
            } else {
                return Ok(Value::FALSE);
            }
        }
        Ok(Value::TRUE)
    });
    vm.define_native(ctor, "seal", 1, |vm, _, a| {
        let v = arg(a, 0);
        if let Some(o) = v.as_heap::<Object>() {
            for k in vm.own_keys(o, false) {
                if let PKey::Named(n) = k {
                    if let Some((val, at)) = o.get().get_own(n) {
                        o.get()
                            .define(&mut vm.heap, n, val, at & !attrs::CONFIGURABLE);
                    }
                }
            }
            o.get().prevent_extensions();
        }
        Ok(v)
    });
    vm.define_native(ctor, "isSealed", 1, |vm, _, a| {
        let v = arg(a, 0);
        let Some(o) = v.as_heap::<Object>() else {
            return Ok(Value::TRUE);
        };
        if o.get().is_extensible() {
            return Ok(Value::FALSE);
        }
        let is_string =
            matches!(&o.get().class, ObjectClass::Boxed(b) if b.as_heap::<JsString>().is_some());
        for k in vm.own_keys(o, false) {
            match k {
                PKey::Named(n) => {
                    if o.get()
                        .get_own(n)
                        .is_some_and(|(_, at)| at & attrs::CONFIGURABLE != 0)
                    {
                        return Ok(Value::FALSE);
                    }
                }
                PKey::Index(_) if is_string => {}
                PKey::Index(_) => return Ok(Value::FALSE),
            }
        }
        Ok(Value::TRUE)
    });
    vm.define_native(ctor, "hasOwn", 2, |vm, _, a| {
        let o = vm.to_object(arg(a, 0))?;
        let k = vm.to_property_key(arg(a, 1))?;
        Ok(Value::bool(vm.has_own(o, k)))
    });
    vm.define_native(ctor, "preventExtensions", 1, |_, _, a| {
        let v = arg(a, 0);
        if let Some(o) = v.as_heap::<Object>() {
            o.get().prevent_extensions();
        }
        Ok(v)
    });
    vm.define_native(ctor, "isExtensible", 1, |_, _, a| {
        Ok(Value::bool(
            arg(a, 0)
                .as_heap::<Object>()
                .is_some_and(|o| o.get().is_extensible()),
        ))
    });
    vm.define_native(ctor, "is", 2, |_, _, a| {
        Ok(Value::bool(same_value(arg(a, 0), arg(a, 1))))
    });
    vm.define_native(ctor, "fromEntries", 1, |vm, _, a| {
        let o = vm.new_object();
        vm.root(Value::heap(o));
        let items = vm.iterate_to_vec(arg(a, 0))?;
        for item in items {
            if item.as_heap::<Object>().is_none() {
                let t = vm.to_display_string(item);
                return Err(vm.type_error(&format!("Iterator value {t} is not an entry object")));
            }
            let k = vm.get_index(item, 0)?;
            let v = vm.get_index(item, 1)?;
            let pk = vm.to_property_key(k)?;
            vm.define_value(o, pk, v, attrs::DEFAULT);
        }
        Ok(Value::heap(o))
    });

    vm.define_native(proto, "hasOwnProperty", 1, |vm, this, a| {
        let k = vm.to_property_key(arg(a, 0))?;
        let o = vm.to_object(this)?;
        Ok(Value::bool(vm.has_own(o, k)))
    });
    vm.define_native(proto, "isPrototypeOf", 1, |vm, this, a| {
        let Some(o) = arg(a, 0).as_heap::<Object>() else {
            return Ok(Value::FALSE);
        };
        let p = vm.to_object(this)?;
        Ok(Value::bool(o.get().inherits_from(p)))
    });
    vm.define_native(proto, "propertyIsEnumerable", 1, |vm, this, a| {
        let k = vm.to_property_key(arg(a, 0))?;
        let o = vm.to_object(this)?;
        Ok(Value::bool(match k {
            PKey::Index(i)
                if vm.realm.index_props && o.get().get_own(vm.intern(&i.to_string())).is_some() =>
            {
                let kn = vm.intern(&i.to_string());
                o.get()
                    .get_own(kn)
                    .is_some_and(|(_, at)| at & attrs::ENUMERABLE != 0)
            }
            PKey::Index(_) => vm.has_own(o, k),
            PKey::Named(n) => o
                .get()
                .get_own(n)
                .is_some_and(|(_, at)| at & attrs::ENUMERABLE != 0),
        }))
    });
    for (name, setter) in [("__defineGetter__", false), ("__defineSetter__", true)] {
        let f: crate::vm::object::NativeFn = if setter {
            |vm, this, a| define_legacy_accessor(vm, this, a, true)
        } else {
            |vm, this, a| define_legacy_accessor(vm, this, a, false)
        };
        vm.define_native(proto, name, 2, f);
    }
    for (name, setter) in [("__lookupGetter__", false), ("__lookupSetter__", true)] {
        let f: crate::vm::object::NativeFn = if setter {
            |vm, this, a| lookup_legacy_accessor(vm, this, a, true)
        } else {
            |vm, this, a| lookup_legacy_accessor(vm, this, a, false)
        };
        vm.define_native(proto, name, 1, f);
    }
    vm.define_native(proto, "toString", 0, object_to_string);
    vm.define_native(proto, "toLocaleString", 0, |vm, this, _| {
        let k = vm.realm.names.to_string;
        let f = vm.get(this, k)?;
        vm.call(f, this, &[])
    });
    vm.define_native(proto, "valueOf", 0, |vm, this, _| {
        Ok(Value::heap(vm.to_object(this)?))
    });
    // `__proto__` accessor.
    let getter = vm.new_native(
        "get __proto__",
        0,
        |vm, this, _| {
            let o = vm.to_object(this)?;
            Ok(o.get().proto().map_or(Value::NULL, Value::heap))
        },
        false,
    );
    let setter = vm.new_native(
        "set __proto__",
        1,
        |vm, this, a| {
            let p = arg(a, 0);
            if this.is_nullish() {
                return Err(vm.type_error("Object.prototype.__proto__ called on null or undefined"));
            }
            if let Some(o) = this.as_heap::<Object>() {
                let proto = if p.is_null() {
                    None
                } else if let Some(po) = p.as_heap::<Object>() {
                    Some(po)
                } else {
                    return Ok(Value::UNDEFINED);
                };
                if !set_prototype(vm, o, proto) {
                    return Err(if o.get().is_extensible() {
                        vm.type_error("Cyclic __proto__ value")
                    } else {
                        let t = super::util::describe(vm, this);
                        vm.type_error(&format!("{t} is not extensible"))
                    });
                }
            }
            Ok(Value::UNDEFINED)
        },
        false,
    );
    let pk = vm.realm.names.proto;
    vm.define_accessor(
        proto,
        pk,
        Value::heap(getter),
        Value::heap(setter),
        attrs::CONFIGURABLE,
    );
}

/// `Object.prototype.__defineGetter__` / `__defineSetter__` (Annex B.2.2.2-3).
fn define_legacy_accessor(vm: &mut Vm, this: Value, a: &[Value], setter: bool) -> R {
    let o = vm.to_object(this)?;
    let f = arg(a, 1);
    if !vm.is_callable(f) {
        let name = if setter {
            "__defineSetter__"
        } else {
            "__defineGetter__"
        };
        return Err(vm.type_error(&format!("Object.prototype.{name}: Expecting function")));
    }
    let k = vm.to_property_key(arg(a, 0))?;
    let d = vm.new_object();
    vm.root(Value::heap(d));
    let fk = if setter {
        vm.realm.names.set
    } else {
        vm.realm.names.get
    };
    d.get().define(&mut vm.heap, fk, f, attrs::DEFAULT);
    let (ek, ck) = (vm.realm.names.enumerable, vm.realm.names.configurable);
    d.get()
        .define(&mut vm.heap, ek, Value::TRUE, attrs::DEFAULT);
    d.get()
        .define(&mut vm.heap, ck, Value::TRUE, attrs::DEFAULT);
    define_property(vm, o, k, Value::heap(d))?;
    Ok(Value::UNDEFINED)
}

/// `Object.prototype.__lookupGetter__` / `__lookupSetter__` (Annex B.2.2.4-5).
fn lookup_legacy_accessor(vm: &mut Vm, this: Value, a: &[Value], setter: bool) -> R {
    let o = vm.to_object(this)?;
    let k = vm.to_property_key(arg(a, 0))?;
    let PKey::Named(n) = k else {
        return Ok(Value::UNDEFINED);
    };
    let mut cur = Some(o);
    while let Some(c) = cur {
        if let Some((v, at)) = c.get().get_own(n) {
            if at & attrs::ACCESSOR == 0 {
                return Ok(Value::UNDEFINED);
            }
            return Ok(
                match v.as_heap::<Object>().as_ref().map(|p| &p.get().class) {
                    Some(ObjectClass::Accessor { get, set }) => {
                        if setter {
                            *set
                        } else {
                            *get
                        }
                    }
                    _ => Value::UNDEFINED,
                },
            );
        }
        if vm.has_own(c, k) {
            return Ok(Value::UNDEFINED);
        }
        cur = c.get().proto();
    }
    Ok(Value::UNDEFINED)
}

/// `OrdinarySetPrototypeOf` (§10.1.2.1): false for a non-extensible object or a cycle.
pub fn set_prototype(vm: &mut Vm, o: Gc<Object>, proto: Option<Gc<Object>>) -> bool {
    if o.get().proto() == proto {
        return true;
    }
    if !o.get().is_extensible() {
        return false;
    }
    let mut p = proto;
    while let Some(c) = p {
        if c == o {
            return false;
        }
        p = c.get().proto();
    }
    o.get().set_proto(&mut vm.heap, proto);
    true
}

/// Whether own key `k` (listed earlier) is still there and enumerable: a getter may have
/// removed it (§7.3.23 EnumerableOwnProperties step 5.b).
fn still_enumerable(vm: &mut Vm, o: Gc<Object>, k: PKey) -> bool {
    match k {
        PKey::Named(n) => o
            .get()
            .get_own(n)
            .is_some_and(|(_, a)| a & attrs::ENUMERABLE != 0),
        PKey::Index(_) => vm.has_own(o, k),
    }
}

fn is_symbol_key(vm: &Vm, k: PKey) -> bool {
    matches!(k, PKey::Named(n) if vm.realm.symbol_of(n).is_some())
}

/// `o[k]` for a `PKey`.
pub fn get_key(vm: &mut Vm, o: Value, k: PKey) -> Result<Value, Thrown> {
    match k {
        PKey::Index(i) => vm.get_index(o, i),
        PKey::Named(n) => vm.get(o, n),
    }
}

fn object_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let nt = vm.take_new_target();
    let v = arg(a, 0);
    let object_key = vm_key(vm, "Object");
    let object_ctor = vm
        .global
        .get()
        .get_own(object_key)
        .and_then(|(v, _)| v.as_heap::<Object>());
    if !nt.is_undefined() && nt.as_heap::<Object>() != object_ctor {
        let proto = vm.prototype_for(nt, vm.realm.object_proto)?;
        return Ok(Value::heap(vm.new_object_with_proto(Some(proto))));
    }
    if v.is_nullish() {
        return Ok(Value::heap(vm.new_object()));
    }
    Ok(Value::heap(vm.to_object(v)?))
}

fn vm_key(vm: &mut Vm, s: &str) -> Key {
    vm.intern(s)
}

/// `Object.prototype.toString`: `[object Tag]`.
pub fn object_to_string(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let tag = if this.is_undefined() {
        "Undefined".to_string()
    } else if this.is_null() {
        "Null".to_string()
    } else {
        let o = vm.to_object(this)?;
        let tk = Key::from_atom(vm.realm.sym_to_string_tag.get().key);
        let t = vm.get(Value::heap(o), tk)?;
        if let Some(s) = t.as_heap::<JsString>() {
            s.get().to_rust_string()
        } else {
            match &o.get().class {
                ObjectClass::Array => "Array",
                ObjectClass::Closure { .. }
                | ObjectClass::Native { .. }
                | ObjectClass::Bound { .. } => "Function",
                ObjectClass::Error => "Error",
                ObjectClass::RegExp(_) => "RegExp",
                ObjectClass::Date(_) => "Date",
                ObjectClass::Arguments => "Arguments",
                ObjectClass::Boxed(b) if b.is_number() => "Number",
                ObjectClass::Boxed(b) if b.as_bool().is_some() => "Boolean",
                ObjectClass::Boxed(b) if b.as_heap::<JsString>().is_some() => "String",
                _ => "Object",
            }
            .to_string()
        }
    };
    Ok(vm.new_string(&format!("[object {tag}]")))
}

/// A property descriptor read from an object (`ToPropertyDescriptor`, §6.2.6.5).
#[derive(Default)]
struct Desc {
    enumerable: Option<bool>,
    configurable: Option<bool>,
    value: Option<Value>,
    writable: Option<bool>,
    get: Option<Value>,
    set: Option<Value>,
}

fn to_property_descriptor(vm: &mut Vm, desc: Value) -> Result<Desc, Thrown> {
    let Some(d) = desc.as_heap::<Object>() else {
        let t = vm.to_display_string(desc);
        return Err(vm.type_error(&format!("Property description must be an object: {t}")));
    };
    let n = &vm.realm.names;
    let (gk, sk, vk, wk, ek, ck) = (
        n.get,
        n.set,
        n.value,
        n.writable,
        n.enumerable,
        n.configurable,
    );
    let mut out = Desc::default();
    let field = |vm: &mut Vm, k: Key| -> Result<Option<Value>, Thrown> {
        if !vm.has_property(d, PKey::Named(k)) {
            return Ok(None);
        }
        let v = vm.get(desc, k)?;
        vm.root(v);
        Ok(Some(v))
    };
    out.enumerable = field(vm, ek)?.map(crate::vm::interp::to_boolean);
    out.configurable = field(vm, ck)?.map(crate::vm::interp::to_boolean);
    out.value = field(vm, vk)?;
    out.writable = field(vm, wk)?.map(crate::vm::interp::to_boolean);
    out.get = field(vm, gk)?;
    if let Some(g) = out.get {
        if !g.is_undefined() && !vm.is_callable(g) {
            let t = super::util::describe(vm, g);
            return Err(vm.type_error(&format!("Getter must be a function: {t}")));
        }
    }
    out.set = field(vm, sk)?;
    if let Some(s) = out.set {
        if !s.is_undefined() && !vm.is_callable(s) {
            let t = super::util::describe(vm, s);
            return Err(vm.type_error(&format!("Setter must be a function: {t}")));
        }
    }
    if (out.get.is_some() || out.set.is_some()) && (out.value.is_some() || out.writable.is_some()) {
        let t = super::util::describe(vm, desc);
        return Err(vm.type_error(&format!(
            "Invalid property descriptor. Cannot both specify accessors and a value or writable attribute, {t}"
        )));
    }
    Ok(out)
}

/// How V8 names a property key in messages (`Symbol(x)` for symbols).
pub fn key_display(vm: &mut Vm, k: PKey) -> String {
    match k {
        PKey::Index(i) => i.to_string(),
        PKey::Named(n) => {
            let v = vm.key_value(PKey::Named(n));
            vm.to_display_string(v)
        }
    }
}

/// `Object.defineProperty(o, k, desc)`.
pub fn define_property(vm: &mut Vm, o: Gc<Object>, k: PKey, desc: Value) -> Result<(), Thrown> {
    if try_define_property(vm, o, k, desc)? {
        return Ok(());
    }
    let name = key_display(vm, k);
    let exists = vm.has_own(o, k);
    Err(vm.type_error(&if exists {
        format!("Cannot redefine property: {name}")
    } else {
        format!("Cannot define property {name}, object is not extensible")
    }))
}

/// `[[DefineOwnProperty]]` with the descriptor read from `desc`: false when the object
/// refuses it (`ValidateAndApplyPropertyDescriptor`, §10.1.6.3).
pub fn try_define_property(
    vm: &mut Vm,
    o: Gc<Object>,
    k: PKey,
    desc: Value,
) -> Result<bool, Thrown> {
    vm.materialize_function_props(o);
    let d = to_property_descriptor(vm, desc)?;
    let is_accessor = d.get.is_some() || d.set.is_some();
    let named = match k {
        PKey::Named(n) => n,
        PKey::Index(i) => {
            let exists = vm.has_own(o, k);
            if !exists && !o.get().is_extensible() {
                return Ok(false);
            }
            if let ObjectClass::Boxed(b) = &o.get().class {
                if b.as_heap::<JsString>().is_some() && exists {
                    // A string's characters: read-only and not configurable.
                    let cur = vm.get_index(Value::heap(o), i)?;
                    return Ok(!is_accessor
                        && d.configurable != Some(true)
                        && d.enumerable != Some(false)
                        && d.writable != Some(true)
                        && d.value.is_none_or(|v| same_value(v, cur)));
                }
            }
            if let ObjectClass::TypedArray(_) = o.get().class {
                if is_accessor {
                    return Ok(false);
                }
                if let Some(v) = d.value {
                    vm.typed_array_put(o, i, v)?;
                }
                return Ok(true);
            }
            let kn = vm.intern(&i.to_string());
            let elem = o.get().get_index(i);
            let named_exists = vm.realm.index_props && o.get().get_own(kn).is_some();
            if !is_accessor && !named_exists {
                // A plain element unless the attributes say otherwise.
                let def = if elem.is_some() { Some(true) } else { None };
                let plain = d.writable.or(def) == Some(true)
                    && d.enumerable.or(def) == Some(true)
                    && d.configurable.or(def) == Some(true);
                if plain {
                    let v = d.value.or(elem).unwrap_or(Value::UNDEFINED);
                    vm.set_element(o, i, v);
                    return Ok(true);
                }
            }
            if let Some(v) = elem {
                // The element becomes a named property before it changes.
                o.get().define(&mut vm.heap, kn, v, attrs::DEFAULT);
            }
            vm.note_index_prop(o, kn);
            kn
        }
    };
    // An array's `length`: only its value can change here.
    if matches!(o.get().class, ObjectClass::Array) && named == vm.realm.names.length {
        if is_accessor || d.configurable == Some(true) || d.enumerable == Some(true) {
            return Ok(false);
        }
        if let Some(v) = d.value {
            let n = vm.to_number(v)?;
            if n < 0.0 || n > u32::MAX as f64 || n.fract() != 0.0 || n.is_nan() {
                return Err(vm.range_error("Invalid array length"));
            }
            let lk = vm.realm.names.length;
            vm.put(Value::heap(o), lk, Value::number(n))?;
        }
        return Ok(true);
    }
    let existing = o.get().get_own(named);
    if existing.is_none() && (vm.has_own(o, k) || !o.get().is_extensible()) {
        // A virtual property that cannot change, or a new one on a non-extensible object.
        return Ok(false);
    }
    let (old_val, old_attrs) = existing.unwrap_or((Value::UNDEFINED, 0));
    let old_accessor = old_attrs & attrs::ACCESSOR != 0;
    let (old_get, old_set) = if old_accessor {
        match old_val.as_heap::<Object>().as_ref().map(|p| &p.get().class) {
            Some(ObjectClass::Accessor { get, set }) => (*get, *set),
            _ => (Value::UNDEFINED, Value::UNDEFINED),
        }
    } else {
        (Value::UNDEFINED, Value::UNDEFINED)
    };
    if existing.is_some() && old_attrs & attrs::CONFIGURABLE == 0 {
        let generic = !is_accessor && d.value.is_none() && d.writable.is_none();
        if d.configurable == Some(true)
            || d.enumerable
                .is_some_and(|e| e != (old_attrs & attrs::ENUMERABLE != 0))
        {
            return Ok(false);
        }
        if !generic {
            if is_accessor != old_accessor {
                return Ok(false);
            }
            if old_accessor {
                if d.get.is_some_and(|g| !same_value(g, old_get))
                    || d.set.is_some_and(|s| !same_value(s, old_set))
                {
                    return Ok(false);
                }
            } else if old_attrs & attrs::WRITABLE == 0
                && (d.writable == Some(true) || d.value.is_some_and(|v| !same_value(v, old_val)))
            {
                return Ok(false);
            }
        }
    }
    let mut a = 0;
    if d.enumerable.unwrap_or(old_attrs & attrs::ENUMERABLE != 0) {
        a |= attrs::ENUMERABLE;
    }
    if d.configurable
        .unwrap_or(old_attrs & attrs::CONFIGURABLE != 0)
    {
        a |= attrs::CONFIGURABLE;
    }
    let generic = !is_accessor && d.value.is_none() && d.writable.is_none();
    if is_accessor || (generic && old_accessor) {
        let (get, set) = if old_accessor {
            (d.get.unwrap_or(old_get), d.set.unwrap_or(old_set))
        } else {
            (
                d.get.unwrap_or(Value::UNDEFINED),
                d.set.unwrap_or(Value::UNDEFINED),
            )
        };
        vm.define_accessor(o, named, get, set, a);
        return Ok(true);
    }
    let old_writable = existing.is_some() && !old_accessor && old_attrs & attrs::WRITABLE != 0;
    if d.writable.unwrap_or(old_writable) {
        a |= attrs::WRITABLE;
    }
    let value = d.value.unwrap_or(if old_accessor {
        Value::UNDEFINED
    } else {
        old_val
    });
    o.get().define(&mut vm.heap, named, value, a);
    if matches!(k, PKey::Index(_)) {
        vm.note_index_prop(o, named);
    }
    Ok(true)
}

fn define_properties(vm: &mut Vm, o: Gc<Object>, props: Value) -> Result<(), Thrown> {
    let p = vm.to_object(props)?;
    for k in vm.own_keys(p, true) {
        let d = get_key(vm, Value::heap(p), k)?;
        define_property(vm, o, k, d)?;
    }
    Ok(())
}

fn get_own_property_descriptor(vm: &mut Vm, o: Gc<Object>, k: PKey) -> R {
    let d = vm.new_object();
    let names = (
        vm.realm.names.get,
        vm.realm.names.set,
        vm.realm.names.value,
        vm.realm.names.writable,
        vm.realm.names.enumerable,
        vm.realm.names.configurable,
    );
    let (v, a) = match k {
        PKey::Index(i) => match o.get().get_index(i) {
            Some(v) => (v, attrs::DEFAULT),
            None if vm.realm.index_props
                && o.get().get_own(vm.intern(&i.to_string())).is_some() =>
            {
                let kn = vm.intern(&i.to_string());
                o.get().get_own(kn).unwrap_or((Value::UNDEFINED, 0))
            }
            None if matches!(&o.get().class, ObjectClass::Boxed(b) if b.as_heap::<JsString>().is_some())
                && vm.has_own(o, k) =>
            {
                (vm.get_index(Value::heap(o), i)?, attrs::ENUMERABLE)
            }
            None if vm.has_own(o, k) => (vm.get_index(Value::heap(o), i)?, attrs::DEFAULT),
            None => return Ok(Value::UNDEFINED),
        },
        PKey::Named(n) => match o.get().get_own(n) {
            Some(x) => x,
            None => {
                if vm.has_own(o, k) {
                    // A virtual own property: its attributes as the specification gives them
                    // (an array's `length` and a function's `prototype` are writable and not
                    // configurable; a function's `length` and `name` only configurable).
                    let a = match &o.get().class {
                        ObjectClass::Array if n == vm.realm.names.length => attrs::WRITABLE,
                        ObjectClass::Boxed(_) if n == vm.realm.names.length => 0,
                        ObjectClass::Closure { code, .. } if n == vm.realm.names.prototype => {
                            if code.get().kind == crate::vm::function::FnKind::ClassCtor
                                || code.get().kind == crate::vm::function::FnKind::DerivedCtor
                            {
                                0
                            } else {
                                attrs::WRITABLE
                            }
                        }
                        _ => attrs::CONFIGURABLE,
                    };
                    let v = vm.get(Value::heap(o), n)?;
                    (v, a)
                } else {
                    return Ok(Value::UNDEFINED);
                }
            }
        },
    };
    if a & attrs::ACCESSOR != 0 {
        let (g, s) = match v.as_heap::<Object>().as_ref().map(|p| &p.get().class) {
            Some(ObjectClass::Accessor { get, set }) => (*get, *set),
            _ => (Value::UNDEFINED, Value::UNDEFINED),
        };
        d.get().define(&mut vm.heap, names.0, g, attrs::DEFAULT);
        d.get().define(&mut vm.heap, names.1, s, attrs::DEFAULT);
    } else {
        d.get().define(&mut vm.heap, names.2, v, attrs::DEFAULT);
        d.get().define(
            &mut vm.heap,
            names.3,
            Value::bool(a & attrs::WRITABLE != 0),
            attrs::DEFAULT,
        );
    }
    d.get().define(
        &mut vm.heap,
        names.4,
        Value::bool(a & attrs::ENUMERABLE != 0),
        attrs::DEFAULT,
    );
    d.get().define(
        &mut vm.heap,
        names.5,
        Value::bool(a & attrs::CONFIGURABLE != 0),
        attrs::DEFAULT,
    );
    Ok(Value::heap(d))
}

// ---- Function ----

fn install_function(vm: &mut Vm) {
    let proto = vm.realm.function_proto;
    make_ctor(vm, "Function", 1, super::eval::function_ctor, proto);
    vm.define_native(proto, "call", 1, |vm, this, a| {
        let t = arg(a, 0);
        let rest = if a.len() > 1 { &a[1..] } else { &[] };
        check_callable(vm, this)?;
        vm.call(this, t, rest)
    });
    vm.define_native(proto, "apply", 2, |vm, this, a| {
        check_callable(vm, this)?;
        let list = arg(a, 1);
        let args = if list.is_nullish() {
            Vec::new()
        } else {
            array_like_to_vec(vm, list)?
        };
        vm.call(this, arg(a, 0), &args)
    });
    vm.define_native(proto, "bind", 1, |vm, this, a| {
        if !vm.is_callable(this) {
            return Err(vm.type_error("Bind must be called on a function"));
        }
        let bound_this = arg(a, 0);
        let args: Box<[Value]> = a.iter().skip(1).copied().collect();
        // §20.2.3.2 steps 4-5: the target's own `length`, ToIntegerOrInfinity'd.
        let target_len = {
            let lk = vm.realm.names.length;
            let has = this
                .as_heap::<Object>()
                .is_some_and(|o| vm.has_own(o, PKey::Named(lk)));
            if has {
                let l = vm.get(this, lk)?;
                match l.as_number() {
                    Some(n) if n.is_nan() => 0.0,
                    Some(n) => n.trunc(),
                    None => 0.0,
                }
            } else {
                0.0
            }
        };
        let nargs = args.len() as f64;
        let f = vm.heap.alloc(Object::with_class(
            vm.realm.function_shape,
            ObjectClass::Bound {
                target: this,
                this: bound_this,
                args,
            },
        ));
        let lk = vm.realm.names.length;
        f.get().define(
            &mut vm.heap,
            lk,
            Value::number((target_len - nargs).max(0.0)),
            attrs::CONFIGURABLE,
        );
        Ok(Value::heap(f))
    });
    vm.define_native(proto, "toString", 0, |vm, this, _| {
        let Some(f) = this.as_heap::<Object>() else {
            return Err(
                vm.type_error("Function.prototype.toString requires that 'this' be a Function")
            );
        };
        let Some(text) = function_source_text(vm, f) else {
            return Err(
                vm.type_error("Function.prototype.toString requires that 'this' be a Function")
            );
        };
        Ok(vm.new_string(&text))
    });
    let hk = Key::from_atom(vm.realm.sym_has_instance.get().key);
    let f = vm.new_native(
        "[Symbol.hasInstance]",
        1,
        |vm, this, a| Ok(Value::bool(vm.instance_of(arg(a, 0), this)?)),
        false,
    );
    proto.get().define(&mut vm.heap, hk, Value::heap(f), 0);
}

fn check_callable(vm: &mut Vm, f: Value) -> Result<(), Thrown> {
    if vm.is_callable(f) {
        Ok(())
    } else {
        let t = vm.to_display_string(f);
        Err(vm.type_error(&format!("{t} is not a function")))
    }
}

/// The elements of an array-like (`apply`, `Array.from` on non-iterables).
pub fn array_like_to_vec(vm: &mut Vm, v: Value) -> Result<Vec<Value>, Thrown> {
    if let Some(o) = v.as_heap::<Object>() {
        if matches!(o.get().class, ObjectClass::Array | ObjectClass::Arguments) {
            return Ok(o
                .get()
                .elements()
                .iter()
                .map(|x| {
                    if *x == Value::HOLE {
                        Value::UNDEFINED
                    } else {
                        *x
                    }
                })
                .collect());
        }
    } else {
        return Err(vm.type_error("CreateListFromArrayLike called on non-object"));
    }
    let n = vm.length_of(v)?;
    let mut out = Vec::with_capacity(n.min(1 << 16));
    for i in 0..n {
        out.push(vm.get_index(v, i as u32)?);
    }
    Ok(out)
}

// ---- Array (constructor and iteration; the methods are in builtins/array.rs) ----

fn install_array(vm: &mut Vm) {
    let proto = vm.realm.array_proto;
    let ctor = make_ctor(vm, "Array", 1, array_ctor, proto);
    vm.define_native(ctor, "isArray", 1, |_, _, a| {
        Ok(Value::bool(arg(a, 0).as_heap::<Object>().is_some_and(
            |o| matches!(o.get().class, ObjectClass::Array),
        )))
    });
    vm.define_native(proto, "push", 1, |vm, this, a| {
        if let Some(o) = this.as_heap::<Object>() {
            if !a.is_empty() && !o.get().is_extensible() {
                let n = vm.length_of(this)?;
                return Err(vm.type_error(&format!(
                    "Cannot add property {n}, object is not extensible"
                )));
            }
            if matches!(o.get().class, ObjectClass::Array) {
                for v in a {
                    vm.heap.write_barrier(o, value_gc(*v));
                }
                let mut e = o.get().elements_rearrange();
                e.extend_from_slice(a);
                return Ok(Value::number(e.len() as f64));
            }
        }
        let n = vm.length_of(this)?;
        if (n + a.len()) as f64 > 9007199254740991.0 {
            return Err(vm.type_error(&format!(
                "Pushing {} elements on an array-like of length {n} is disallowed, as the total surpasses 2**53-1",
                a.len()
            )));
        }
        for (i, v) in a.iter().enumerate() {
            vm.put_value(this, Value::number((n + i) as f64), *v)?;
        }
        let lk = vm.realm.names.length;
        let len = Value::number((n + a.len()) as f64);
        vm.put(this, lk, len)?;
        Ok(len)
    });
    // Array iterators: an object of the array iterator prototype holding the array and index.
    let iter_proto = vm.new_object_with_proto(Some(vm.realm.iterator_proto));
    vm.realm
        .extra
        .insert("ArrayIteratorPrototype", Value::heap(iter_proto));
    vm.define_native(iter_proto, "next", 0, array_iterator_next);
    let tag = vm.new_string("Array Iterator");
    let tk = Key::from_atom(vm.realm.sym_to_string_tag.get().key);
    iter_proto
        .get()
        .define(&mut vm.heap, tk, tag, attrs::CONFIGURABLE);
    let values = vm.define_native(proto, "values", 0, |vm, this, _| {
        make_array_iterator(vm, this, 0)
    });
    vm.define_native(proto, "keys", 0, |vm, this, _| {
        make_array_iterator(vm, this, 1)
    });
    vm.define_native(proto, "entries", 0, |vm, this, _| {
        make_array_iterator(vm, this, 2)
    });
    let ik = Key::from_atom(vm.realm.sym_iterator.get().key);
    proto
        .get()
        .define(&mut vm.heap, ik, Value::heap(values), attrs::HIDDEN);
    vm.realm.array_values = Value::heap(values);
    // %IteratorPrototype%[Symbol.iterator] returns this.
    let self_iter = vm.new_native("[Symbol.iterator]", 0, |_, this, _| Ok(this), false);
    let ip = vm.realm.iterator_proto;
    ip.get()
        .define(&mut vm.heap, ik, Value::heap(self_iter), attrs::HIDDEN);
}

fn array_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let nt = vm.take_new_target();
    let items = if a.len() == 1 {
        if let Some(n) = a[0].as_number() {
            if n < 0.0 || n.fract() != 0.0 || n > u32::MAX as f64 {
                return Err(vm.range_error("Invalid array length"));
            }
            vec![Value::HOLE; n as usize]
        } else {
            a.to_vec()
        }
    } else {
        a.to_vec()
    };
    let arr = vm.new_array(items);
    if !nt.is_undefined() {
        let proto = vm.prototype_for(nt, vm.realm.array_proto)?;
        if proto != vm.realm.array_proto {
            arr.get().set_proto(&mut vm.heap, Some(proto));
        }
    }
    Ok(Value::heap(arr))
}

/// An array iterator's internal slots (%ArrayIteratorPrototype% objects, §23.1.5): the
/// iterated object (undefined once done), the next index and the kind (0 values, 1 keys,
/// 2 entries). Internal, so invisible to reflection and inspection, as in V8.
pub(crate) struct ArrayIter {
    pub target: std::cell::Cell<Value>,
    pub index: std::cell::Cell<u32>,
    pub kind: u8,
}

impl crate::vm::object::HostData for ArrayIter {
    fn trace(&self, t: &mut dyn crate::gc::Tracer) {
        // Set once, when the (young) iterator is made, and only cleared after: no barrier.
        crate::vm::object::trace_value(
            t,
            crate::gc::EdgeName::Internal("iterated"),
            self.target.get(),
            None,
        );
    }
    fn class_name(&self) -> &'static str {
        "Array Iterator"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

pub(crate) fn make_array_iterator(vm: &mut Vm, this: Value, kind: u8) -> R {
    let o = vm.to_object(this)?;
    let proto = vm.realm.extra["ArrayIteratorPrototype"]
        .as_heap::<Object>()
        .expect("the array iterator prototype");
    let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
    let it = vm.heap.alloc(Object::with_class(
        shape,
        ObjectClass::Host(Box::new(ArrayIter {
            target: std::cell::Cell::new(Value::heap(o)),
            index: std::cell::Cell::new(0),
            kind,
        })),
    ));
    Ok(Value::heap(it))
}

fn array_iterator_next(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let state = this.as_heap::<Object>().and_then(|o| match &o.get().class {
        ObjectClass::Host(h) => h
            .as_any()
            .downcast_ref::<ArrayIter>()
            .map(|it| (it.target.get(), it.index.get(), it.kind)),
        _ => None,
    });
    let Some((target, idx, kind)) = state else {
        let t = crate::vm::builtins::util::describe(vm, this);
        return Err(vm.type_error(&format!(
            "Method Array Iterator.prototype.next called on incompatible receiver {t}"
        )));
    };
    let it = this.as_heap::<Object>().expect("checked above");
    let with_iter = |f: &dyn Fn(&ArrayIter)| {
        if let ObjectClass::Host(h) = &it.get().class {
            if let Some(a) = h.as_any().downcast_ref::<ArrayIter>() {
                f(a);
            }
        }
    };
    let result = vm.new_object();
    let (vk, dk) = (vm.realm.names.value, vm.realm.names.done);
    let len = if target.is_undefined() {
        0
    } else {
        vm.length_of(target)?
    };
    if idx as usize >= len {
        with_iter(&|a| a.target.set(Value::UNDEFINED));
        result
            .get()
            .define(&mut vm.heap, vk, Value::UNDEFINED, attrs::DEFAULT);
        result
            .get()
            .define(&mut vm.heap, dk, Value::TRUE, attrs::DEFAULT);
        return Ok(Value::heap(result));
    }
    with_iter(&|a| a.index.set(idx + 1));
    let v = match kind {
        1 => Value::number(idx as f64),
        _ => {
            vm.root(Value::heap(result));
            let x = vm.get_index(target, idx)?;
            if kind == 2 {
                Value::heap(vm.new_array(vec![Value::number(idx as f64), x]))
            } else {
                x
            }
        }
    };
    result.get().define(&mut vm.heap, vk, v, attrs::DEFAULT);
    result
        .get()
        .define(&mut vm.heap, dk, Value::FALSE, attrs::DEFAULT);
    Ok(Value::heap(result))
}

/// `Function.prototype.toString` of a function object (`None` if it is not one): a closure's
/// source text, `function name() { [native code] }` for natives and bound functions.
pub(crate) fn function_source_text(vm: &mut Vm, f: Gc<Object>) -> Option<String> {
    match &f.get().class {
        ObjectClass::Closure { code, .. } => {
            let c = code.get();
            Some(
                c.source
                    .text
                    .get(c.span.start as usize..c.span.end as usize)
                    .unwrap_or("")
                    .to_string(),
            )
        }
        ObjectClass::Bound { .. } => Some("function () { [native code] }".to_string()),
        ObjectClass::Native { .. } => {
            let n = vm.function_name(f);
            Some(format!("function {n}() {{ [native code] }}"))
        }
        _ => None,
    }
}

// ---- Errors ----

fn install_errors(vm: &mut Vm) {
    for kind in ErrorKind::ALL {
        let proto = vm.realm.error_protos[kind as usize];
        let f: crate::vm::object::NativeFn = match kind {
            ErrorKind::Error => |vm, t, a| error_ctor(vm, t, a, ErrorKind::Error),
            ErrorKind::TypeError => |vm, t, a| error_ctor(vm, t, a, ErrorKind::TypeError),
            ErrorKind::RangeError => |vm, t, a| error_ctor(vm, t, a, ErrorKind::RangeError),
            ErrorKind::ReferenceError => |vm, t, a| error_ctor(vm, t, a, ErrorKind::ReferenceError),
            ErrorKind::SyntaxError => |vm, t, a| error_ctor(vm, t, a, ErrorKind::SyntaxError),
            ErrorKind::EvalError => |vm, t, a| error_ctor(vm, t, a, ErrorKind::EvalError),
            ErrorKind::URIError => |vm, t, a| error_ctor(vm, t, a, ErrorKind::URIError),
        };
        let c = make_ctor(vm, kind.name(), 1, f, proto);
        let n = vm.new_string(kind.name());
        vm.define_hidden(proto, "name", n);
        let empty = vm.new_string("");
        vm.define_hidden(proto, "message", empty);
        if kind == ErrorKind::Error {
            vm.define_native(proto, "toString", 0, error_to_string);
            vm.define_native(c, "captureStackTrace", 1, |vm, _, a| {
                let Some(o) = arg(a, 0).as_heap::<Object>() else {
                    return Err(vm.type_error("invalid_argument"));
                };
                let header = error_header(vm, Value::heap(o))?;
                let until = arg(a, 1);
                if !vm.is_callable(until) {
                    vm.set_stack(o, header);
                    return Ok(Value::UNDEFINED);
                }
                // Frames above and including the newest call of `until` are left out (all
                // of them when it is not running).
                let n = vm.frames.len();
                let skip = (0..n)
                    .rev()
                    .find(|&i| vm.frames[i].callee == until)
                    .map_or(n, |i| n - i);
                let mut s = header;
                for line in vm.stack_frames(10 + skip).into_iter().skip(skip) {
                    s.push('\n');
                    s.push_str(&line);
                }
                let v = vm.new_string(&s);
                let sk = vm.realm.names.stack;
                o.get().define(&mut vm.heap, sk, v, attrs::HIDDEN);
                Ok(Value::UNDEFINED)
            });
            let lim = vm.intern("stackTraceLimit");
            c.get()
                .define(&mut vm.heap, lim, Value::int(10), attrs::DEFAULT);
        } else {
            let ek = vm_key(vm, "Error");
            let base = vm.global.get().get_own(ek).map(|(v, _)| v);
            if let Some(b) = base.and_then(|b| b.as_heap::<Object>()) {
                c.get().set_proto(&mut vm.heap, Some(b));
            }
        }
    }
}

/// The start of every error constructor (OrdinaryCreateFromConstructor, then `message` when
/// given): an error object (rooted) with the prototype new.target asks for, else `default`.
pub(crate) fn new_error_with_message(
    vm: &mut Vm,
    default: Gc<Object>,
    msg: Value,
) -> Result<Gc<Object>, Thrown> {
    let nt = vm.take_new_target();
    let proto = if nt.is_undefined() {
        default
    } else {
        vm.prototype_for(nt, default)?
    };
    let o = vm.new_object_with_proto(Some(proto));
    let o = vm.become_error(o);
    vm.root(Value::heap(o));
    if !msg.is_undefined() {
        let s = vm.to_string(msg)?;
        let mk = vm.realm.names.message;
        o.get()
            .define(&mut vm.heap, mk, Value::heap(s), attrs::HIDDEN);
    }
    Ok(o)
}

/// `new Error(message, { cause })` (and the other kinds; also called without `new`).
fn error_ctor(vm: &mut Vm, _this: Value, a: &[Value], kind: ErrorKind) -> R {
    let default = vm.realm.error_protos[kind as usize];
    let o = new_error_with_message(vm, default, arg(a, 0))?;
    let opts = arg(a, 1);
    if let Some(op) = opts.as_heap::<Object>() {
        let ck = vm.realm.names.cause;
        if vm.has_property(op, PKey::Named(ck)) {
            let c = vm.get(opts, ck)?;
            o.get().define(&mut vm.heap, ck, c, attrs::HIDDEN);
        }
    }
    let header = error_header(vm, Value::heap(o))?;
    vm.set_stack(o, header);
    Ok(Value::heap(o))
}

/// `Name: message` (or just one of them), as `Error.prototype.toString` computes it.
pub fn error_header(vm: &mut Vm, e: Value) -> Result<String, Thrown> {
    let nk = vm.realm.names.name;
    let mk = vm.realm.names.message;
    let n = vm.get(e, nk)?;
    let name = if n.is_undefined() {
        "Error".to_string()
    } else {
        vm.to_rust_string(n)?
    };
    let m = vm.get(e, mk)?;
    let msg = if m.is_undefined() {
        String::new()
    } else {
        vm.to_rust_string(m)?
    };
    Ok(match (name.is_empty(), msg.is_empty()) {
        (_, true) => name,
        (true, false) => msg,
        (false, false) => format!("{name}: {msg}"),
    })
}

fn error_to_string(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    if this.as_heap::<Object>().is_none() {
        let t = vm.to_display_string(this);
        return Err(vm.type_error(&format!(
            "Method Error.prototype.toString called on incompatible receiver {t}"
        )));
    }
    let s = error_header(vm, this)?;
    Ok(vm.new_string(&s))
}

// ---- Symbol ----

fn install_symbol(vm: &mut Vm) {
    let proto = vm.realm.symbol_proto;
    let ctor = make_ctor(
        vm,
        "Symbol",
        0,
        |vm, _, a| {
            if !vm.take_new_target().is_undefined() {
                return Err(vm.type_error("Symbol is not a constructor"));
            }
            let d = arg(a, 0);
            let desc = if d.is_undefined() {
                None
            } else {
                Some(vm.to_rust_string(d)?)
            };
            let s = vm.realm.new_symbol(&mut vm.heap, desc.as_deref());
            Ok(Value::heap(s))
        },
        proto,
    );
    for (name, sym) in [
        ("iterator", vm.realm.sym_iterator),
        ("asyncIterator", vm.realm.sym_async_iterator),
        ("hasInstance", vm.realm.sym_has_instance),
        ("toPrimitive", vm.realm.sym_to_primitive),
        ("toStringTag", vm.realm.sym_to_string_tag),
        ("species", vm.realm.sym_species),
        ("unscopables", vm.realm.sym_unscopables),
    ] {
        let k = vm.intern(name);
        ctor.get().define(&mut vm.heap, k, Value::heap(sym), 0);
    }
    vm.define_native(ctor, "for", 1, |vm, _, a| {
        let key = vm.to_rust_string(arg(a, 0))?;
        if let Some(s) = vm.realm.symbol_registry.get(&key) {
            return Ok(Value::heap(*s));
        }
        let s = vm.realm.new_symbol(&mut vm.heap, Some(&key));
        vm.realm.symbol_registry.insert(key, s);
        Ok(Value::heap(s))
    });
    vm.define_native(ctor, "keyFor", 1, |vm, _, a| {
        let Some(sym) = arg(a, 0).as_heap::<crate::vm::object::Symbol>() else {
            let t = vm.to_display_string(arg(a, 0));
            return Err(vm.type_error(&format!("{t} is not a symbol")));
        };
        for (k, s) in vm.realm.symbol_registry.iter() {
            if *s == sym {
                let k = k.clone();
                return Ok(vm.new_string(&k));
            }
        }
        Ok(Value::UNDEFINED)
    });
    vm.define_native(proto, "valueOf", 0, |vm, this, _| {
        let s = this_symbol(vm, this, "Symbol.prototype.valueOf")?;
        Ok(Value::heap(s))
    });
    let tp = vm.new_native(
        "[Symbol.toPrimitive]",
        1,
        |vm, this, _| {
            let s = this_symbol(vm, this, "Symbol.prototype [ @@toPrimitive ]")?;
            Ok(Value::heap(s))
        },
        false,
    );
    let tpk = Key::from_atom(vm.realm.sym_to_primitive.get().key);
    proto
        .get()
        .define(&mut vm.heap, tpk, Value::heap(tp), attrs::CONFIGURABLE);
    vm.define_native(proto, "toString", 0, |vm, this, _| {
        let s = this_symbol(vm, this, "Symbol.prototype.toString")?;
        let t = vm.symbol_descriptive_string(s);
        Ok(vm.new_string(&t))
    });
    let getter = vm.new_native(
        "get description",
        0,
        |vm, this, _| {
            let s = this_symbol(vm, this, "Symbol.prototype.description")?;
            Ok(s.get().description.map_or(Value::UNDEFINED, Value::heap))
        },
        false,
    );
    let dk = vm.intern("description");
    vm.define_accessor(
        proto,
        dk,
        Value::heap(getter),
        Value::UNDEFINED,
        attrs::CONFIGURABLE,
    );
    let tk = Key::from_atom(vm.realm.sym_to_string_tag.get().key);
    let tag = vm.new_string("Symbol");
    proto
        .get()
        .define(&mut vm.heap, tk, tag, attrs::CONFIGURABLE);
}

fn this_symbol(
    vm: &mut Vm,
    this: Value,
    method: &str,
) -> Result<Gc<crate::vm::object::Symbol>, Thrown> {
    if let Some(s) = this.as_heap::<crate::vm::object::Symbol>() {
        return Ok(s);
    }
    if let Some(ObjectClass::Boxed(b)) = this.as_heap::<Object>().as_ref().map(|o| &o.get().class) {
        if let Some(s) = b.as_heap::<crate::vm::object::Symbol>() {
            return Ok(s);
        }
    }
    Err(vm.type_error(&format!("{method} requires that 'this' be a Symbol")))
}

// ---- Boolean, Number, String constructors (their methods are in other files) ----

fn install_wrappers(vm: &mut Vm) {
    let bp = vm.realm.boolean_proto;
    make_ctor(
        vm,
        "Boolean",
        1,
        |vm, _, a| {
            let nt = vm.take_new_target();
            let b = Value::bool(crate::vm::interp::to_boolean(arg(a, 0)));
            wrap_if_new(vm, nt, b)
        },
        bp,
    );
    vm.define_native(bp, "toString", 0, |vm, this, _| {
        let b = this_primitive(this).and_then(|v| v.as_bool());
        match b {
            Some(b) => Ok(vm.new_string(if b { "true" } else { "false" })),
            None => {
                Err(vm.type_error("Boolean.prototype.toString requires that 'this' be a Boolean"))
            }
        }
    });
    vm.define_native(bp, "valueOf", 0, |vm, this, _| {
        match this_primitive(this).filter(|v| v.as_bool().is_some()) {
            Some(b) => Ok(b),
            None => {
                Err(vm.type_error("Boolean.prototype.valueOf requires that 'this' be a Boolean"))
            }
        }
    });
    let np = vm.realm.number_proto;
    make_ctor(
        vm,
        "Number",
        1,
        |vm, _, a| {
            let nt = vm.take_new_target();
            let n = if a.is_empty() {
                0.0
            } else {
                vm.to_number(a[0])?
            };
            wrap_if_new(vm, nt, Value::number(n))
        },
        np,
    );
    let sp = vm.realm.string_proto;
    make_ctor(
        vm,
        "String",
        1,
        |vm, _, a| {
            let nt = vm.take_new_target();
            let v = arg(a, 0);
            let s = if a.is_empty() {
                vm.new_string("")
            } else if let (true, Some(sym)) =
                (nt.is_undefined(), v.as_heap::<crate::vm::object::Symbol>())
            {
                let t = vm.symbol_descriptive_string(sym);
                vm.new_string(&t)
            } else {
                Value::heap(vm.to_string(v)?)
            };
            wrap_if_new(vm, nt, s)
        },
        sp,
    );
}

/// The primitive inside `this` (itself, or a wrapper's value).
pub fn this_primitive(this: Value) -> Option<Value> {
    match this.as_heap::<Object>() {
        Some(o) => match o.get().class {
            ObjectClass::Boxed(v) => Some(v),
            _ => None,
        },
        None => Some(this),
    }
}

fn wrap_if_new(vm: &mut Vm, nt: Value, v: Value) -> R {
    if nt.is_undefined() {
        return Ok(v);
    }
    let o = vm.to_object(v)?;
    let default = o.get().proto().unwrap_or(vm.realm.object_proto);
    let proto = vm.prototype_for(nt, default)?;
    if Some(proto) != o.get().proto() {
        o.get().set_proto(&mut vm.heap, Some(proto));
    }
    Ok(Value::heap(o))
}

// ---- Math ----

fn math1(vm: &mut Vm, args: &[Value], f: fn(f64) -> f64) -> R {
    let x = vm.to_number(arg(args, 0))?;
    Ok(Value::number(f(x)))
}

/// `Math.round`: halves round up (towards +∞), unlike Rust's `round`.
fn js_round(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let f = x.floor();
    let r = if x - f >= 0.5 { f + 1.0 } else { f };
    if r == 0.0 && x < 0.0 {
        -0.0
    } else {
        r
    }
}

/// xorshift128+ state for `Math.random` (seeded from the clock, as engines do).
fn next_random(vm: &mut Vm) -> f64 {
    let state = vm
        .realm
        .extra
        .get("random-state")
        .and_then(|v| v.as_number())
        .map(|n| n.to_bits())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0x9E3779B97F4A7C15, |d| d.as_nanos() as u64)
                | 1
        });
    let mut x = state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    // Keep the state as a finite f64 bit pattern (the top bits cleared).
    let stored = x & 0x000F_FFFF_FFFF_FFFF;
    vm.realm
        .extra
        .insert("random-state", Value::number(f64::from_bits(stored | 1)));
    (x >> 11) as f64 / (1u64 << 53) as f64
}

type MathFn = fn(&mut Vm, Value, &[Value]) -> R;

const MATH_FUNCTIONS: &[(&str, u32, MathFn)] = &[
    ("floor", 1, |vm, _, a| math1(vm, a, f64::floor)),
    ("ceil", 1, |vm, _, a| math1(vm, a, f64::ceil)),
    ("sqrt", 1, |vm, _, a| math1(vm, a, f64::sqrt)),
    ("cbrt", 1, |vm, _, a| math1(vm, a, f64::cbrt)),
    ("abs", 1, |vm, _, a| math1(vm, a, f64::abs)),
    ("trunc", 1, |vm, _, a| math1(vm, a, f64::trunc)),
    ("round", 1, |vm, _, a| math1(vm, a, js_round)),
    ("sign", 1, |vm, _, a| {
        math1(vm, a, |x| {
            if x.is_nan() || x == 0.0 {
                x
            } else {
                x.signum()
            }
        })
    }),
    ("sin", 1, |vm, _, a| math1(vm, a, f64::sin)),
    ("cos", 1, |vm, _, a| math1(vm, a, f64::cos)),
    ("tan", 1, |vm, _, a| math1(vm, a, f64::tan)),
    ("asin", 1, |vm, _, a| math1(vm, a, f64::asin)),
    ("acos", 1, |vm, _, a| math1(vm, a, f64::acos)),
    ("atan", 1, |vm, _, a| math1(vm, a, f64::atan)),
    ("sinh", 1, |vm, _, a| math1(vm, a, f64::sinh)),
    ("cosh", 1, |vm, _, a| math1(vm, a, f64::cosh)),
    ("tanh", 1, |vm, _, a| math1(vm, a, f64::tanh)),
    ("asinh", 1, |vm, _, a| math1(vm, a, f64::asinh)),
    ("acosh", 1, |vm, _, a| math1(vm, a, f64::acosh)),
    ("atanh", 1, |vm, _, a| math1(vm, a, f64::atanh)),
    ("exp", 1, |vm, _, a| math1(vm, a, f64::exp)),
    ("expm1", 1, |vm, _, a| math1(vm, a, f64::exp_m1)),
    ("log", 1, |vm, _, a| math1(vm, a, f64::ln)),
    ("log1p", 1, |vm, _, a| math1(vm, a, f64::ln_1p)),
    ("log2", 1, |vm, _, a| math1(vm, a, f64::log2)),
    ("log10", 1, |vm, _, a| math1(vm, a, f64::log10)),
    ("fround", 1, |vm, _, a| math1(vm, a, |x| x as f32 as f64)),
    ("clz32", 1, |vm, _, a| {
        let x = crate::vm::interp::to_int32(vm.to_number(arg(a, 0))?) as u32;
        Ok(Value::int(x.leading_zeros() as i32))
    }),
    ("atan2", 2, |vm, _, a| {
        let y = vm.to_number(arg(a, 0))?;
        let x = vm.to_number(arg(a, 1))?;
        Ok(Value::number(y.atan2(x)))
    }),
    ("pow", 2, |vm, _, a| {
        let x = vm.to_number(arg(a, 0))?;
        let y = vm.to_number(arg(a, 1))?;
        Ok(Value::number(crate::vm::interp::js_pow(x, y)))
    }),
    ("hypot", 2, |vm, _, a| {
        let mut sum = 0.0f64;
        let mut inf = false;
        let mut nan = false;
        for v in a {
            let x = vm.to_number(*v)?;
            if x.is_infinite() {
                inf = true;
            }
            if x.is_nan() {
                nan = true;
            }
            sum += x * x;
        }
        Ok(Value::number(if inf {
            f64::INFINITY
        } else if nan {
            f64::NAN
        } else {
            sum.sqrt()
        }))
    }),
    ("random", 0, |vm, _, _| Ok(Value::number(next_random(vm)))),
    ("imul", 2, |vm, _, a| {
        let x = crate::vm::interp::to_int32(vm.to_number(arg(a, 0))?);
        let y = crate::vm::interp::to_int32(vm.to_number(arg(a, 1))?);
        Ok(Value::number(x.wrapping_mul(y) as f64))
    }),
    ("max", 2, |vm, _, a| {
        let mut m = f64::NEG_INFINITY;
        let mut nan = false;
        for v in a {
            let x = vm.to_number(*v)?;
            if x.is_nan() {
                nan = true;
            }
            if x > m || (x == 0.0 && m == 0.0 && m.is_sign_negative()) {
                m = x;
            }
        }
        Ok(Value::number(if nan { f64::NAN } else { m }))
    }),
    ("min", 2, |vm, _, a| {
        let mut m = f64::INFINITY;
        let mut nan = false;
        for v in a {
            let x = vm.to_number(*v)?;
            if x.is_nan() {
                nan = true;
            }
            if x < m || (x == 0.0 && m == 0.0 && x.is_sign_negative()) {
                m = x;
            }
        }
        Ok(Value::number(if nan { f64::NAN } else { m }))
    }),
];

fn install_math(vm: &mut Vm) {
    let math = vm.new_object();
    for (name, len, f) in MATH_FUNCTIONS {
        vm.define_native(math, name, *len, *f);
    }
    for (name, v) in [
        ("PI", std::f64::consts::PI),
        ("E", std::f64::consts::E),
        ("LN2", std::f64::consts::LN_2),
        ("LN10", std::f64::consts::LN_10),
        ("LOG2E", std::f64::consts::LOG2_E),
        ("LOG10E", std::f64::consts::LOG10_E),
        ("SQRT2", std::f64::consts::SQRT_2),
        ("SQRT1_2", std::f64::consts::FRAC_1_SQRT_2),
    ] {
        let k = vm.intern(name);
        math.get().define(&mut vm.heap, k, Value::number(v), 0);
    }
    let tk = Key::from_atom(vm.realm.sym_to_string_tag.get().key);
    let tag = vm.new_string("Math");
    math.get()
        .define(&mut vm.heap, tk, tag, attrs::CONFIGURABLE);
    let global = vm.global;
    vm.define_hidden(global, "Math", Value::heap(math));
}

// ---- Global functions ----

fn parse_int(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let s = vm.to_rust_string(arg(a, 0))?;
    let mut radix = crate::vm::interp::to_int32(vm.to_number(arg(a, 1))?);
    let t = s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut t = t;
    if radix == 0 || radix == 16 {
        if let Some(rest) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            t = rest;
            radix = 16;
        }
    }
    if radix == 0 {
        radix = 10;
    }
    if !(2..=36).contains(&radix) {
        return Ok(Value::number(f64::NAN));
    }
    let digits: Vec<u32> = t.chars().map_while(|c| c.to_digit(radix as u32)).collect();
    if digits.is_empty() {
        return Ok(Value::number(f64::NAN));
    }
    let n = if radix == 10 {
        let text: String = t.chars().take(digits.len()).collect();
        text.parse::<f64>().unwrap_or(f64::NAN)
    } else {
        digits
            .iter()
            .fold(0.0, |acc, d| acc * radix as f64 + *d as f64)
    };
    Ok(Value::number(if neg { -n } else { n }))
}

fn parse_float(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let s = vm.to_rust_string(arg(a, 0))?;
    let t = s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    for inf in ["Infinity", "+Infinity", "-Infinity"] {
        if t.starts_with(inf) {
            return Ok(Value::number(if inf.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }));
        }
    }
    // The longest prefix that is a StrDecimalLiteral.
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == digits_start || (i == digits_start + 1 && b[digits_start] == b'.') {
        return Ok(Value::number(f64::NAN));
    }
    let mant_end = i;
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp_digits = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_digits {
            i = j;
        }
    }
    let text = if i > mant_end {
        &t[..i]
    } else {
        &t[..mant_end]
    };
    Ok(Value::number(text.parse::<f64>().unwrap_or(f64::NAN)))
}
