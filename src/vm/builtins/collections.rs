//! `Map`, `Set`, `WeakMap`, `WeakSet` and the Map/Set iterators, over `OrderedTable`
//! (insertion order, SameValueZero keys, iterators that survive changes).
//!
//! WeakMap and WeakSet keep their keys alive for now: the collector has no ephemerons yet
//! (the GC issue's work). Their API is the weak one: object (or unregistered symbol) keys
//! only, no size, no iteration.

use std::cell::RefCell;

use super::util::{define_getter, describe, iter_result, iterator_proto, set_tag, sym_key};
use crate::gc::{EdgeName, Gc, Tracer};
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, value_gc, HostData, Object, ObjectClass, Symbol};
use crate::vm::realm::arg;
use crate::vm::table::{Cursor, OrderedTable};
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Map,
    Set,
    WeakMap,
    WeakSet,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Map => "Map",
            Kind::Set => "Set",
            Kind::WeakMap => "WeakMap",
            Kind::WeakSet => "WeakSet",
        }
    }

    fn of(o: &Object) -> Option<Kind> {
        match o.class {
            ObjectClass::Map(_) => Some(Kind::Map),
            ObjectClass::Set(_) => Some(Kind::Set),
            ObjectClass::WeakMap(_) => Some(Kind::WeakMap),
            ObjectClass::WeakSet(_) => Some(Kind::WeakSet),
            _ => None,
        }
    }

    fn proto_key(self) -> &'static str {
        match self {
            Kind::Map => "MapPrototype",
            Kind::Set => "SetPrototype",
            Kind::WeakMap => "WeakMapPrototype",
            Kind::WeakSet => "WeakSetPrototype",
        }
    }
}

pub fn install(vm: &mut Vm) {
    // Map
    let mp = vm.new_object();
    vm.realm.extra.insert("MapPrototype", Value::heap(mp));
    super::core::make_ctor(vm, "Map", 0, |vm, t, a| construct(vm, t, a, Kind::Map), mp);
    vm.define_native(mp, "get", 1, map_get);
    let map_set = vm.define_native(mp, "set", 2, map_set);
    vm.realm.extra.insert("MapSet", Value::heap(map_set));
    vm.define_native(mp, "has", 1, |vm, t, a| has(vm, t, a, Kind::Map));
    vm.define_native(mp, "delete", 1, |vm, t, a| delete(vm, t, a, Kind::Map));
    vm.define_native(mp, "clear", 0, |vm, t, _| clear(vm, t, Kind::Map));
    vm.define_native(mp, "forEach", 1, |vm, t, a| for_each(vm, t, a, Kind::Map));
    vm.define_native(mp, "keys", 0, |vm, t, _| {
        make_iter(vm, t, Kind::Map, 0, "keys")
    });
    vm.define_native(mp, "values", 0, |vm, t, _| {
        make_iter(vm, t, Kind::Map, 1, "values")
    });
    let entries = vm.define_native(mp, "entries", 0, |vm, t, _| {
        make_iter(vm, t, Kind::Map, 2, "entries")
    });
    let ik = sym_key(vm.realm.sym_iterator);
    mp.get()
        .define(&mut vm.heap, ik, Value::heap(entries), attrs::HIDDEN);
    define_getter(vm, mp, "size", |vm, t, _| size(vm, t, Kind::Map));
    set_tag(vm, mp, "Map");
    let mip = iterator_proto(vm, "Map Iterator", iter_next);
    vm.realm
        .extra
        .insert("MapIteratorPrototype", Value::heap(mip));

    // Set
    let sp = vm.new_object();
    vm.realm.extra.insert("SetPrototype", Value::heap(sp));
    super::core::make_ctor(vm, "Set", 0, |vm, t, a| construct(vm, t, a, Kind::Set), sp);
    let set_add = vm.define_native(sp, "add", 1, set_add);
    vm.realm.extra.insert("SetAdd", Value::heap(set_add));
    vm.define_native(sp, "has", 1, |vm, t, a| has(vm, t, a, Kind::Set));
    vm.define_native(sp, "delete", 1, |vm, t, a| delete(vm, t, a, Kind::Set));
    vm.define_native(sp, "clear", 0, |vm, t, _| clear(vm, t, Kind::Set));
    vm.define_native(sp, "forEach", 1, |vm, t, a| for_each(vm, t, a, Kind::Set));
    vm.define_native(sp, "entries", 0, |vm, t, _| {
        make_iter(vm, t, Kind::Set, 2, "entries")
    });
    let values = vm.define_native(sp, "values", 0, |vm, t, _| {
        make_iter(vm, t, Kind::Set, 1, "values")
    });
    sp.get()
        .define(&mut vm.heap, ik, Value::heap(values), attrs::HIDDEN);
    let kk = vm.intern("keys");
    sp.get()
        .define(&mut vm.heap, kk, Value::heap(values), attrs::HIDDEN);
    define_getter(vm, sp, "size", |vm, t, _| size(vm, t, Kind::Set));
    set_tag(vm, sp, "Set");
    let sip = iterator_proto(vm, "Set Iterator", iter_next);
    vm.realm
        .extra
        .insert("SetIteratorPrototype", Value::heap(sip));

    // WeakMap
    let wmp = vm.new_object();
    vm.realm.extra.insert("WeakMapPrototype", Value::heap(wmp));
    super::core::make_ctor(
        vm,
        "WeakMap",
        0,
        |vm, t, a| construct(vm, t, a, Kind::WeakMap),
        wmp,
    );
    vm.define_native(wmp, "get", 1, weak_map_get);
    let wm_set = vm.define_native(wmp, "set", 2, weak_map_set);
    vm.realm.extra.insert("WeakMapSet", Value::heap(wm_set));
    vm.define_native(wmp, "has", 1, |vm, t, a| has(vm, t, a, Kind::WeakMap));
    vm.define_native(wmp, "delete", 1, |vm, t, a| delete(vm, t, a, Kind::WeakMap));
    set_tag(vm, wmp, "WeakMap");

    // WeakSet
    let wsp = vm.new_object();
    vm.realm.extra.insert("WeakSetPrototype", Value::heap(wsp));
    super::core::make_ctor(
        vm,
        "WeakSet",
        0,
        |vm, t, a| construct(vm, t, a, Kind::WeakSet),
        wsp,
    );
    let ws_add = vm.define_native(wsp, "add", 1, weak_set_add);
    vm.realm.extra.insert("WeakSetAdd", Value::heap(ws_add));
    vm.define_native(wsp, "has", 1, |vm, t, a| has(vm, t, a, Kind::WeakSet));
    vm.define_native(wsp, "delete", 1, |vm, t, a| delete(vm, t, a, Kind::WeakSet));
    set_tag(vm, wsp, "WeakSet");
}

fn construct(vm: &mut Vm, _this: Value, a: &[Value], kind: Kind) -> R {
    let nt = vm.take_new_target();
    if nt.is_undefined() {
        return Err(vm.type_error(&format!("Constructor {} requires 'new'", kind.name())));
    }
    let default = vm.realm.extra[kind.proto_key()]
        .as_heap::<Object>()
        .expect("the prototype");
    let proto = vm.prototype_for(nt, default)?;
    let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
    let table = Box::new(RefCell::new(OrderedTable::new()));
    let class = match kind {
        Kind::Map => ObjectClass::Map(table),
        Kind::Set => ObjectClass::Set(table),
        Kind::WeakMap => ObjectClass::WeakMap(table),
        Kind::WeakSet => ObjectClass::WeakSet(table),
    };
    let o = vm.heap.alloc(Object::with_class(shape, class));
    let ov = Value::heap(o);
    vm.root(ov);
    let iterable = arg(a, 0);
    if iterable.is_nullish() {
        return Ok(ov);
    }
    let (adder_name, builtin) = match kind {
        Kind::Map => ("set", "MapSet"),
        Kind::Set => ("add", "SetAdd"),
        Kind::WeakMap => ("set", "WeakMapSet"),
        Kind::WeakSet => ("add", "WeakSetAdd"),
    };
    let ak = vm.intern(adder_name);
    let adder = vm.get(ov, ak)?;
    if !vm.is_callable(adder) {
        let t = describe(vm, adder);
        return Err(vm.type_error(&format!(
            "'{t}' returned for property '{adder_name}' of object '#<{}>' is not a function",
            kind.name()
        )));
    }
    let fast = Some(&adder) == vm.realm.extra.get(builtin);
    if iterable.as_heap::<crate::vm::string::JsString>().is_none() {
        let ik = super::util::sym_key(vm.realm.sym_iterator);
        let f = vm.get(iterable, ik)?;
        if !vm.is_callable(f) {
            let t = if iterable.as_number().is_some() || iterable.as_bool().is_some() {
                let ty = if iterable.as_number().is_some() {
                    "number"
                } else {
                    "boolean"
                };
                format!("{ty} {}", vm.to_display_string(iterable))
            } else if iterable.as_heap::<crate::vm::object::Symbol>().is_some() {
                "symbol".to_string()
            } else if vm.is_callable(iterable) {
                "function".to_string()
            } else {
                "object".to_string()
            };
            return Err(vm.type_error(&format!(
                "{t} is not iterable (cannot read property Symbol(Symbol.iterator))"
            )));
        }
    }
    let items = vm.iterate_to_vec(iterable)?;
    let holder = vm.new_array(items);
    vm.root(Value::heap(holder));
    let n = holder.get().elements_len();
    for i in 0..n {
        let item = holder.get().get_index(i as u32).unwrap_or(Value::UNDEFINED);
        match kind {
            Kind::Map | Kind::WeakMap => {
                if item.as_heap::<Object>().is_none() {
                    let t = vm.to_display_string(item);
                    return Err(
                        vm.type_error(&format!("Iterator value {t} is not an entry object"))
                    );
                }
                let k = vm.get_index(item, 0)?;
                vm.root(k);
                let v = vm.get_index(item, 1)?;
                if fast {
                    if kind == Kind::WeakMap {
                        check_weak_key(vm, k, kind)?;
                    }
                    table_set(vm, o, k, v);
                } else {
                    vm.call(adder, ov, &[k, v])?;
                }
            }
            Kind::Set | Kind::WeakSet => {
                if fast {
                    if kind == Kind::WeakSet {
                        check_weak_key(vm, item, kind)?;
                    }
                    table_set(vm, o, item, item);
                } else {
                    vm.call(adder, ov, &[item])?;
                }
            }
        }
    }
    Ok(ov)
}

/// The receiver as a collection of the given kind.
fn this_table(vm: &mut Vm, this: Value, kind: Kind, method: &str) -> Result<Gc<Object>, Thrown> {
    if let Some(o) = this.as_heap::<Object>() {
        if Kind::of(o.get()) == Some(kind) {
            return Ok(o);
        }
    }
    let t = describe(vm, this);
    Err(vm.type_error(&format!(
        "Method {}.prototype.{method} called on incompatible receiver {t}",
        kind.name()
    )))
}

fn with_table<T>(o: Gc<Object>, f: impl FnOnce(&mut OrderedTable) -> T) -> T {
    let obj = o.get();
    let mut t = obj.class.table().expect("a table").borrow_mut();
    f(&mut t)
}

/// Stores an entry, with the write barrier for its key and value (INV-4).
fn table_set(vm: &Vm, o: Gc<Object>, k: Value, v: Value) {
    let (before, after) = with_table(o, |t| {
        let before = t.heap_bytes();
        t.set(k, v);
        (before, t.heap_bytes())
    });
    // The table's out-of-line storage counts in allocation pacing as it grows.
    if after > before {
        vm.heap.note_growth(o.get(), after - before);
    }
    vm.heap.write_barrier(o, value_gc(k));
    vm.heap.write_barrier(o, value_gc(v));
}

/// Whether a value can be held weakly: an object or a symbol not from `Symbol.for`.
fn can_be_held_weakly(vm: &Vm, v: Value) -> bool {
    if v.as_heap::<Object>().is_some() {
        return true;
    }
    match v.as_heap::<Symbol>() {
        Some(s) => !vm.realm.symbol_registry.values().any(|r| *r == s),
        None => false,
    }
}

fn check_weak_key(vm: &mut Vm, k: Value, kind: Kind) -> Result<(), Thrown> {
    if can_be_held_weakly(vm, k) {
        return Ok(());
    }
    Err(vm.type_error(if kind == Kind::WeakMap {
        "Invalid value used as weak map key"
    } else {
        "Invalid value used in weak set"
    }))
}

fn map_get(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_table(vm, this, Kind::Map, "get")?;
    Ok(with_table(o, |t| t.get(arg(a, 0))).unwrap_or(Value::UNDEFINED))
}

fn map_set(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_table(vm, this, Kind::Map, "set")?;
    table_set(vm, o, arg(a, 0), arg(a, 1));
    Ok(this)
}

fn set_add(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_table(vm, this, Kind::Set, "add")?;
    let v = arg(a, 0);
    table_set(vm, o, v, v);
    Ok(this)
}

fn weak_map_get(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_table(vm, this, Kind::WeakMap, "get")?;
    Ok(with_table(o, |t| t.get(arg(a, 0))).unwrap_or(Value::UNDEFINED))
}

fn weak_map_set(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_table(vm, this, Kind::WeakMap, "set")?;
    check_weak_key(vm, arg(a, 0), Kind::WeakMap)?;
    table_set(vm, o, arg(a, 0), arg(a, 1));
    Ok(this)
}

fn weak_set_add(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_table(vm, this, Kind::WeakSet, "add")?;
    let v = arg(a, 0);
    check_weak_key(vm, v, Kind::WeakSet)?;
    table_set(vm, o, v, v);
    Ok(this)
}

fn has(vm: &mut Vm, this: Value, a: &[Value], kind: Kind) -> R {
    let o = this_table(vm, this, kind, "has")?;
    Ok(Value::bool(with_table(o, |t| t.has(arg(a, 0)))))
}

fn delete(vm: &mut Vm, this: Value, a: &[Value], kind: Kind) -> R {
    let o = this_table(vm, this, kind, "delete")?;
    Ok(Value::bool(with_table(o, |t| t.delete(arg(a, 0)))))
}

fn clear(vm: &mut Vm, this: Value, kind: Kind) -> R {
    let o = this_table(vm, this, kind, "clear")?;
    with_table(o, |t| t.clear());
    Ok(Value::UNDEFINED)
}

fn size(vm: &mut Vm, this: Value, kind: Kind) -> R {
    let o = this_table(vm, this, kind, "size").map_err(|_| {
        let t = describe(vm, this);
        vm.type_error(&format!(
            "Method get {}.prototype.size called on incompatible receiver {t}",
            kind.name()
        ))
    })?;
    Ok(Value::number(with_table(o, |t| t.len()) as f64))
}

fn for_each(vm: &mut Vm, this: Value, a: &[Value], kind: Kind) -> R {
    let o = this_table(vm, this, kind, "forEach")?;
    let f = arg(a, 0);
    if !vm.is_callable(f) {
        let t = vm.to_display_string(f);
        let ty = vm.type_of(f).string().get().to_rust_string();
        let what = if f.as_heap::<Object>().is_some() {
            describe(vm, f)
        } else if f.is_nullish() {
            t
        } else {
            format!("{ty} {t}")
        };
        return Err(vm.type_error(&format!("{what} is not a function")));
    }
    let this_arg = arg(a, 1);
    let mut cursor = with_table(o, |t| t.cursor());
    while let Some((k, v)) = with_table(o, |t| t.next(&mut cursor)) {
        let value = if kind == Kind::Set { k } else { v };
        vm.call(f, this_arg, &[value, k, this])?;
    }
    Ok(Value::UNDEFINED)
}

// ---- Iterators ----

struct CollectionIter {
    /// The Map or Set, until the iterator is done.
    target: RefCell<Option<Gc<Object>>>,
    cursor: RefCell<Cursor>,
    /// 0 keys, 1 values, 2 entries.
    kind: u8,
    map: bool,
}

impl HostData for CollectionIter {
    fn trace(&self, t: &mut dyn Tracer) {
        if let Some(o) = *self.target.borrow() {
            t.edge(EdgeName::Internal("table"), o.into());
        }
    }
    fn class_name(&self) -> &'static str {
        if self.map {
            "Map Iterator"
        } else {
            "Set Iterator"
        }
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// What a Map or Set iterator has left, without advancing it (V8's `previewEntries`, for
/// util.inspect and console.table): whether it iterates a Map, whether it yields [key,
/// value] pairs, and the values it would yield (pairs flattened).
pub(crate) fn iter_preview(o: &Object) -> Option<(bool, bool, Vec<Value>)> {
    let ObjectClass::Host(h) = &o.class else {
        return None;
    };
    let it = h.as_any().downcast_ref::<CollectionIter>()?;
    let mut out = Vec::new();
    if let Some(t) = *it.target.borrow() {
        let mut cursor = it.cursor.borrow().clone();
        while let Some((k, v)) = with_table(t, |tab| tab.next(&mut cursor)) {
            let v = if it.map { v } else { k };
            match it.kind {
                0 => out.push(k),
                1 => out.push(v),
                _ => out.extend([k, v]),
            }
        }
    }
    Some((it.map, it.kind == 2, out))
}

fn make_iter(vm: &mut Vm, this: Value, kind: Kind, what: u8, method: &str) -> R {
    let o = this_table(vm, this, kind, method)?;
    let cursor = with_table(o, |t| t.cursor());
    let pk = if kind == Kind::Map {
        "MapIteratorPrototype"
    } else {
        "SetIteratorPrototype"
    };
    let proto = vm.realm.extra[pk].as_heap::<Object>().expect("a prototype");
    let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
    let it = vm.heap.alloc(Object::with_class(
        shape,
        ObjectClass::Host(Box::new(CollectionIter {
            target: RefCell::new(Some(o)),
            cursor: RefCell::new(cursor),
            kind: what,
            map: kind == Kind::Map,
        })),
    ));
    Ok(Value::heap(it))
}

fn iter_next(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let step = this.as_heap::<Object>().and_then(|o| match &o.get().class {
        ObjectClass::Host(h) => h.as_any().downcast_ref::<CollectionIter>().map(|it| {
            let target = *it.target.borrow();
            let entry =
                target.and_then(|t| with_table(t, |tab| tab.next(&mut it.cursor.borrow_mut())));
            if entry.is_none() {
                *it.target.borrow_mut() = None;
            }
            (entry, it.kind, it.map)
        }),
        _ => None,
    });
    let Some((entry, kind, map)) = step else {
        let t = describe(vm, this);
        return Err(vm.type_error(&format!(
            "Method Map Iterator.prototype.next called on incompatible receiver {t}"
        )));
    };
    let Some((k, v)) = entry else {
        return Ok(iter_result(vm, Value::UNDEFINED, true));
    };
    let v = if map { v } else { k };
    let value = match kind {
        0 => k,
        1 => v,
        _ => Value::heap(vm.new_array(vec![k, v])),
    };
    Ok(iter_result(vm, value, false))
}
