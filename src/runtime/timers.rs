//! Timers: `setTimeout`, `setInterval`, `setImmediate`, their `clear*` functions, and
//! `queueMicrotask`. A Timeout is a JavaScript object (class `Timeout`) holding its callback,
//! arguments and period in node's property names; the loop keeps it by id.

use std::time::{Duration, Instant};

use super::Timer;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, Key, Object};
use crate::vm::realm::arg;
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

pub fn install(vm: &mut Vm) {
    let global = vm.global;
    let proto = vm.new_object();
    vm.realm
        .extra
        .insert("TimeoutPrototype", Value::heap(proto));
    let ctor = vm.new_native(
        "Timeout",
        0,
        |vm, _, _| Err(vm.type_error("Illegal constructor")),
        true,
    );
    let pk = vm.realm.names.prototype;
    ctor.get().define(&mut vm.heap, pk, Value::heap(proto), 0);
    let ck = vm.realm.names.constructor;
    proto
        .get()
        .define(&mut vm.heap, ck, Value::heap(ctor), attrs::HIDDEN);
    let id_sym = vm.realm.new_symbol(&mut vm.heap, Some("timerId"));
    vm.realm.extra.insert("timerIdSymbol", Value::heap(id_sym));
    vm.define_native(proto, "ref", 0, |vm, this, _| {
        if let Some(id) = timer_id(vm, this) {
            if let Some(t) = vm.host.timers.get_mut(&id) {
                t.refed = true;
            }
        }
        Ok(this)
    });
    vm.define_native(proto, "unref", 0, |vm, this, _| {
        if let Some(id) = timer_id(vm, this) {
            if let Some(t) = vm.host.timers.get_mut(&id) {
                t.refed = false;
            }
        }
        Ok(this)
    });
    vm.define_native(proto, "hasRef", 0, |vm, this, _| {
        let r = timer_id(vm, this)
            .and_then(|id| vm.host.timers.get(&id))
            .is_some_and(|t| t.refed);
        Ok(Value::bool(r))
    });
    vm.define_native(proto, "refresh", 0, |vm, this, _| {
        if let Some(id) = timer_id(vm, this) {
            if vm.host.timers.contains_key(&id) {
                let ms = get_num(vm, this, "_idleTimeout")?;
                schedule(vm, id, ms);
            }
        }
        Ok(this)
    });
    vm.define_native(proto, "close", 0, |vm, this, _| {
        clear(vm, this);
        Ok(this)
    });
    let tp = Key::from_atom(vm.realm.sym_to_primitive.get().key);
    let f = vm.new_native(
        "[Symbol.toPrimitive]",
        0,
        |vm, this, _| {
            Ok(timer_id(vm, this).map_or(Value::number(f64::NAN), |id| Value::number(id as f64)))
        },
        false,
    );
    proto
        .get()
        .define(&mut vm.heap, tp, Value::heap(f), attrs::HIDDEN);

    vm.define_native(global, "setTimeout", 2, |vm, _, a| make_timer(vm, a, false));
    vm.define_native(global, "setInterval", 2, |vm, _, a| make_timer(vm, a, true));
    vm.define_native(global, "clearTimeout", 1, |vm, _, a| {
        clear(vm, arg(a, 0));
        Ok(Value::UNDEFINED)
    });
    vm.define_native(global, "clearInterval", 1, |vm, _, a| {
        clear(vm, arg(a, 0));
        Ok(Value::UNDEFINED)
    });
    vm.define_native(global, "setImmediate", 1, |vm, _, a| {
        let cb = arg(a, 0);
        check_callback(vm, cb)?;
        let imm = vm.new_object();
        let k = vm.intern("_onImmediate");
        imm.get().define(&mut vm.heap, k, cb, attrs::DEFAULT);
        let args = a.iter().skip(1).copied().collect();
        vm.host.immediates.push_back((Value::heap(imm), args));
        Ok(Value::heap(imm))
    });
    vm.define_native(global, "clearImmediate", 1, |vm, _, a| {
        let imm = arg(a, 0);
        if imm.as_heap::<Object>().is_some() {
            vm.host.immediates.retain(|(o, _)| *o != imm);
        }
        Ok(Value::UNDEFINED)
    });
    vm.define_native(global, "queueMicrotask", 1, |vm, _, a| {
        let cb = arg(a, 0);
        check_callback(vm, cb)?;
        vm.host.microtasks.push_back((cb, Vec::new()));
        Ok(Value::UNDEFINED)
    });
}

fn check_callback(vm: &mut Vm, cb: Value) -> Result<(), Thrown> {
    if vm.is_callable(cb) {
        return Ok(());
    }
    let shown = vm.inspect_value(cb);
    let rec = describe_received(vm, cb, &shown);
    let e = vm.type_error(&format!(
        "The \"callback\" argument must be of type function. Received {rec}"
    ));
    if let Some(o) = e.value.as_heap::<Object>() {
        let k = vm.intern("code");
        let c = vm.new_string("ERR_INVALID_ARG_TYPE");
        o.get().define(&mut vm.heap, k, c, attrs::DEFAULT);
    }
    Err(e)
}

/// Node's "Received …" wording for an argument of the wrong type.
pub fn describe_received(vm: &mut Vm, v: Value, shown: &str) -> String {
    if v.is_nullish() {
        return shown.to_string();
    }
    if v.as_heap::<Object>().is_some() {
        return "an instance of Object".to_string();
    }
    let t = vm.type_of_name(v);
    format!("type {t} ({shown})")
}

fn get_num(vm: &mut Vm, o: Value, name: &str) -> Result<f64, Thrown> {
    let k = vm.intern(name);
    let v = vm.get(o, k)?;
    Ok(v.as_number().unwrap_or(1.0))
}

fn timer_id(vm: &mut Vm, v: Value) -> Option<u64> {
    let sym = vm
        .realm
        .extra
        .get("timerIdSymbol")?
        .as_heap::<crate::vm::object::Symbol>()?;
    let o = v.as_heap::<Object>()?;
    let (id, _) = o.get().get_own(Key::from_atom(sym.get().key))?;
    id.as_number().map(|n| n as u64)
}

/// Node clamps delays to [1, 2^31 - 1] ms (anything else becomes 1).
fn clamp_delay(ms: f64) -> f64 {
    if !(1.0..=2147483647.0).contains(&ms) {
        1.0
    } else {
        ms
    }
}

fn schedule(vm: &mut Vm, id: u64, ms: f64) {
    if let Some(old) = vm.host.timer_keys.remove(&id) {
        vm.host.schedule.remove(&old);
    }
    vm.host.seq += 1;
    let key = (
        Instant::now() + Duration::from_micros((ms * 1000.0) as u64),
        vm.host.seq,
    );
    vm.host.schedule.insert(key, id);
    vm.host.timer_keys.insert(id, key);
}

fn make_timer(vm: &mut Vm, a: &[Value], repeat: bool) -> R {
    let cb = arg(a, 0);
    check_callback(vm, cb)?;
    let ms = {
        let d = arg(a, 1);
        let n = if d.is_undefined() {
            1.0
        } else {
            vm.to_number(d)?
        };
        clamp_delay(n)
    };
    let proto = vm.realm.extra["TimeoutPrototype"].as_heap::<Object>();
    let t = vm.new_object_with_proto(proto);
    vm.host.next_id += 1;
    let id = vm.host.next_id;
    let fields: [(&str, Value); 5] = [
        ("_idleTimeout", Value::number(ms)),
        ("_onTimeout", cb),
        ("_timerArgs", Value::UNDEFINED),
        (
            "_repeat",
            if repeat {
                Value::number(ms)
            } else {
                Value::NULL
            },
        ),
        ("_destroyed", Value::FALSE),
    ];
    for (name, v) in fields {
        let k = vm.intern(name);
        t.get().define(&mut vm.heap, k, v, attrs::DEFAULT);
    }
    if a.len() > 2 {
        let args = vm.new_array(a[2..].to_vec());
        let k = vm.intern("_timerArgs");
        t.get()
            .define(&mut vm.heap, k, Value::heap(args), attrs::DEFAULT);
    }
    let sym = vm.realm.extra["timerIdSymbol"]
        .as_heap::<crate::vm::object::Symbol>()
        .expect("the timer id symbol");
    t.get().define(
        &mut vm.heap,
        Key::from_atom(sym.get().key),
        Value::number(id as f64),
        attrs::WRITABLE,
    );
    vm.host.timers.insert(
        id,
        Timer {
            timeout: Value::heap(t),
            refed: true,
        },
    );
    schedule(vm, id, ms);
    Ok(Value::heap(t))
}

fn clear(vm: &mut Vm, t: Value) {
    let id = match timer_id(vm, t) {
        Some(id) => Some(id),
        // clearTimeout also takes the timer's numeric id (its primitive value).
        None => t.as_number().map(|n| n as u64),
    };
    let Some(id) = id else {
        return;
    };
    if let Some(timer) = vm.host.timers.remove(&id) {
        if let Some(o) = timer.timeout.as_heap::<Object>() {
            let k = vm.intern("_destroyed");
            o.get().define(&mut vm.heap, k, Value::TRUE, attrs::DEFAULT);
        }
    }
    if let Some(key) = vm.host.timer_keys.remove(&id) {
        vm.host.schedule.remove(&key);
    }
}

/// Runs timer `id` (its deadline passed): calls `_onTimeout` with `this` = the Timeout, then
/// reschedules an interval or forgets a timeout.
pub fn fire(vm: &mut Vm, id: u64) -> R {
    let Some(timer) = vm.host.timers.get(&id) else {
        return Ok(Value::UNDEFINED);
    };
    let t = timer.timeout;
    let repeat = {
        let k = vm.intern("_repeat");
        vm.get(t, k)?
    };
    let interval = repeat.as_number();
    if interval.is_none() {
        vm.host.timers.remove(&id);
        if let Some(o) = t.as_heap::<Object>() {
            let k = vm.intern("_destroyed");
            o.get().define(&mut vm.heap, k, Value::TRUE, attrs::DEFAULT);
        }
    }
    let cb = {
        let k = vm.intern("_onTimeout");
        vm.get(t, k)?
    };
    let args_v = {
        let k = vm.intern("_timerArgs");
        vm.get(t, k)?
    };
    let args = match args_v.as_heap::<Object>() {
        Some(a) => a.get().elements().to_vec(),
        None => Vec::new(),
    };
    vm.host_roots.push(t);
    let r = vm.call(cb, t, &args);
    vm.host_roots.pop();
    if let Some(ms) = interval {
        if vm.host.timers.contains_key(&id) && !vm.host.timer_keys.contains_key(&id) {
            schedule(vm, id, ms);
        }
    }
    r
}
