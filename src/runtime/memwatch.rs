//! memwatch-next, native (../shared/spec/memwatch.md): the `'stats'` event after every full
//! collection, the `'leak'` event by the five-consecutive-growth rule, `gc()` and `HeapDiff`.
//!
//! Every collection records its kind and the heap's used bytes at its end
//! (`HostState::gc_records`); the event loop processes the records on a later turn, in order
//! (spec §2): a minor collection (the young generation, node's Scavenge) only adds one to
//! `num_inc_gc`; a full one adds one to `num_full_gc`, runs the leak check and the stats
//! update, and emits `'leak'` (when one fires) then `'stats'`, through the JavaScript emitter
//! of `require('memwatch-next')`. Collections made by HeapDiff are hidden: not recorded.
//!
//! Two deliberate differences from memwatch-next (both in the README): the leak rate is
//! computed from a monotonic clock in milliseconds and formatted from 64 bits, so it is
//! always a real rate; and `usage_trend` is signed (a shrinking heap gives a negative trend).

use std::collections::HashMap;
use std::time::Instant;

use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, HostData, Object, ObjectClass};
use crate::vm::realm::arg;
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

/// The stats and leak state, kept for the whole process (spec §3.1, §3.2).
#[derive(Default)]
pub struct MemwatchState {
    pub num_full_gc: u32,
    pub num_inc_gc: u32,
    n: u32,
    last_base: u32,
    recent: u32,
    ancient: u32,
    min: u32,
    max: u32,
    consecutive_growth: u32,
    leak_time_start_ms: u64,
    leak_base_start: u64,
    /// The emitter's `emit(name, payload)` bridge (a JavaScript function).
    pub emit: Value,
}

/// Milliseconds on the leak clock: monotonic, or fixed steps of 100 ms per reading under
/// `MINIJS_DETERMINISTIC=1`.
fn now_ms(vm: &mut Vm) -> u64 {
    if deterministic() {
        vm.host.fake_clock_ms += 100;
        return vm.host.fake_clock_ms;
    }
    let start = *vm.host.started.get_or_insert_with(Instant::now);
    start.elapsed().as_millis() as u64
}

pub fn deterministic() -> bool {
    std::env::var_os("MINIJS_DETERMINISTIC").is_some_and(|v| v == "1")
}

/// memwatch's `niceSize` (spec §3.3), for 64-bit values.
pub fn nice_size(bytes: i64) -> String {
    let fmt2 = |x: f64| {
        let r = x.round() / 100.0;
        format!("{r}")
    };
    if bytes.abs() > 1_048_576 {
        format!("{} mb", fmt2(bytes as f64 / 10485.76))
    } else if bytes.abs() > 1024 {
        format!("{} kb", fmt2(bytes as f64 / 10.24))
    } else {
        format!("{bytes} bytes")
    }
}

/// memwatch's `niceDelta` (spec §3.3).
pub fn nice_delta(mut seconds: i64) -> String {
    let mut s = String::new();
    if seconds > 3600 {
        s += &format!("{}h ", seconds / 3600);
        seconds %= 3600;
    }
    if seconds > 60 {
        s += &format!("{}m ", seconds / 60);
        seconds %= 60;
    }
    s += &format!("{seconds}s");
    s
}

/// Processes the recorded collections: for each, the leak check, the stats update and the
/// events (spec §2). Called by the event loop on its own turn.
pub fn process_records(vm: &mut Vm) -> Result<(), Thrown> {
    while let Some((kind, h)) = vm.host.gc_records.pop_front() {
        let Some(mut st) = vm.host.memwatch.take() else {
            continue;
        };
        if kind == crate::gc::GcKind::Minor {
            st.num_inc_gc += 1;
            vm.host.memwatch = Some(st);
            continue;
        }
        st.num_full_gc += 1;
        let h32 = h.min(u32::MAX as u64) as u32;
        // Leak check, before the stats update (last_base is the previous collection's).
        let mut leak = None;
        if (st.last_base as u64) < h {
            if st.consecutive_growth == 0 {
                st.leak_time_start_ms = now_ms(vm);
                st.leak_base_start = h;
            }
            st.consecutive_growth += 1;
            if st.consecutive_growth >= 5 {
                st.consecutive_growth = 0;
                let growth = h as i64 - st.leak_base_start as i64;
                let elapsed_ms = now_ms(vm).saturating_sub(st.leak_time_start_ms);
                let rate = (growth as f64 * 3_600_000.0 / (elapsed_ms.max(1) as f64)) as i64;
                let reason = format!(
                    "heap growth over 5 consecutive GCs ({}) - {}/hr",
                    nice_delta((elapsed_ms / 1000) as i64),
                    nice_size(rate)
                );
                leak = Some((growth, reason));
            }
        } else {
            st.consecutive_growth = 0;
        }
        // Stats (spec §3.1, with a signed trend).
        st.last_base = h32;
        st.n += 1;
        if st.n < 10 {
            st.recent = st.last_base;
            st.ancient = st.last_base;
        } else {
            st.recent = ((st.recent as u64 * 9 + st.last_base as u64) / 10) as u32;
            let d = st.n.min(120) as f64;
            st.ancient = ((st.ancient as f64 * (d - 1.0) + st.last_base as f64) / d) as u32;
        }
        if st.n >= 3 {
            if st.min == 0 || st.last_base < st.min {
                st.min = st.last_base;
            }
            if st.max == 0 || st.last_base > st.max {
                st.max = st.last_base;
            }
        }
        let usage_trend = if st.ancient != 0 {
            let x = (st.recent as f64 - st.ancient as f64) / st.ancient as f64 * 1000.0;
            x.round() / 10.0
        } else {
            0.0
        };
        let emit = st.emit;
        let stats = [
            ("num_full_gc", st.num_full_gc as f64),
            ("num_inc_gc", st.num_inc_gc as f64),
            ("heap_compactions", st.n as f64),
            ("usage_trend", usage_trend),
            ("estimated_base", st.recent as f64),
            ("current_base", st.last_base as f64),
            ("min", st.min as f64),
            ("max", st.max as f64),
        ];
        vm.host.memwatch = Some(st);
        if let Some((growth, reason)) = leak {
            let o = vm.new_object();
            let gk = vm.intern("growth");
            o.get().define(
                &mut vm.heap,
                gk,
                Value::number(growth as f64),
                attrs::DEFAULT,
            );
            let rk = vm.intern("reason");
            let r = vm.new_string(&reason);
            o.get().define(&mut vm.heap, rk, r, attrs::DEFAULT);
            let name = vm.new_string("leak");
            vm.call(emit, Value::UNDEFINED, &[name, Value::heap(o)])?;
        }
        let o = vm.new_object();
        for (k, v) in stats {
            let key = vm.intern(k);
            o.get()
                .define(&mut vm.heap, key, Value::number(v), attrs::DEFAULT);
        }
        let name = vm.new_string("stats");
        vm.call(emit, Value::UNDEFINED, &[name, Value::heap(o)])?;
    }
    Ok(())
}

/// The native half of the module: `{ gc, HeapDiff, setEmitter }`.
pub fn native_module(vm: &mut Vm) -> R {
    let o = vm.new_object();
    vm.define_native(o, "gc", 0, |vm, _, _| {
        // Node 20's memwatch.gc() gives two full collections (spec §5).
        vm.collect();
        vm.collect();
        Ok(Value::UNDEFINED)
    });
    vm.define_native(o, "setEmitter", 1, |vm, _, a| {
        let f = arg(a, 0);
        let mut st = vm.host.memwatch.take().unwrap_or_default();
        st.emit = f;
        vm.host.memwatch = Some(st);
        Ok(Value::UNDEFINED)
    });
    let proto = vm.new_object();
    let ctor = vm.new_native("HeapDiff", 0, heap_diff_ctor, true);
    let pk = vm.realm.names.prototype;
    ctor.get().define(&mut vm.heap, pk, Value::heap(proto), 0);
    let ck = vm.realm.names.constructor;
    proto
        .get()
        .define(&mut vm.heap, ck, Value::heap(ctor), attrs::HIDDEN);
    vm.define_native(proto, "end", 0, heap_diff_end);
    vm.define_hidden(o, "HeapDiff", Value::heap(ctor));
    Ok(Value::heap(o))
}

/// One HeapDiff snapshot: every node's bucket and size, and the totals.
struct Snapshot {
    nodes: usize,
    size_bytes: i32,
    /// id → (bucket, self size); `None` for nodes left out of `details`.
    cells: HashMap<u64, (Option<String>, usize)>,
}

struct HeapDiffData {
    before: std::cell::RefCell<Option<Snapshot>>,
}

impl HostData for HeapDiffData {
    fn class_name(&self) -> &'static str {
        "HeapDiff"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A synchronous snapshot after a hidden full collection (spec §4.3). After it every cell
/// is reachable, so the walk is the heap's cell list; HeapDiff instances are left out.
fn take_snapshot(vm: &mut Vm) -> Snapshot {
    vm.collect_hidden();
    let ctor_key = vm.realm.names.constructor;
    let name_key = vm.realm.names.name;
    let mut cells = HashMap::new();
    let mut size_bytes: i32 = 0;
    let mut nodes = 0;
    vm.heap.for_each_live(|id, cell| {
        nodes += 1;
        let any = cell.as_any();
        let size = cell.self_size();
        let what: Option<String> = if let Some(o) = any.downcast_ref::<Object>() {
            match &o.class {
                ObjectClass::Host(h) if h.class_name() == "HeapDiff" => return,
                ObjectClass::Host(_) => Some("Native".into()),
                ObjectClass::Array => Some("Array".into()),
                ObjectClass::Closure { .. }
                | ObjectClass::Native { .. }
                | ObjectClass::Bound { .. } => Some("Closure".into()),
                ObjectClass::Accessor { .. } => None,
                // A suspended generator or async function: named by its kind, so a pile of
                // pending activations shows as its own row.
                ObjectClass::Generator(_) => Some(cell.kind().into()),
                ObjectClass::Boxed(v) if v.is_number() => Some("Number".into()),
                _ => Some(constructor_name(o, ctor_key, name_key)),
            }
        } else {
            match cell.kind() {
                "String" => Some("String".into()),
                "Code" => Some("Code".into()),
                "Context" => Some("system / Context".into()),
                _ => None,
            }
        };
        size_bytes = size_bytes.wrapping_add(size as i32);
        cells.insert(id, (what, size));
    });
    Snapshot {
        nodes,
        size_bytes,
        cells,
    }
}

/// An object's constructor name (`Object` for literals, the class name for instances),
/// read without running JavaScript.
pub(crate) fn constructor_name(
    o: &Object,
    ctor_key: crate::vm::object::Key,
    name_key: crate::vm::object::Key,
) -> String {
    let from = |holder: &Object| -> Option<String> {
        let (v, a) = holder.get_own(ctor_key)?;
        if a & attrs::ACCESSOR != 0 {
            return None;
        }
        let f = v.as_heap::<Object>()?;
        let f = f.get();
        if let Some((n, _)) = f.get_own(name_key) {
            if let Some(s) = n.as_heap::<crate::vm::string::JsString>() {
                return Some(s.get().to_rust_string());
            }
        }
        match &f.class {
            ObjectClass::Closure { code, .. } => Some(code.get().name.to_string()),
            ObjectClass::Native { name, .. } => Some(name.to_string()),
            _ => None,
        }
    };
    if let Some(n) = from(o).filter(|n| !n.is_empty()) {
        return n;
    }
    let mut cur = o.proto();
    while let Some(p) = cur {
        if let Some(n) = from(p.get()).filter(|n| !n.is_empty()) {
            return n;
        }
        cur = p.get().proto();
    }
    // No constructor to name it: V8 still names a promise by its internal class.
    match o.class {
        ObjectClass::Promise(_) => "Promise".into(),
        _ => "Object".into(),
    }
}

fn heap_diff_ctor(vm: &mut Vm, _this: Value, _a: &[Value]) -> R {
    let nt = vm.take_new_target();
    if nt.is_undefined() {
        return Err(vm.type_error("Use the new operator to create instances of this object."));
    }
    let snap = take_snapshot(vm);
    let proto = vm.prototype_for(nt, vm.realm.object_proto)?;
    let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
    let o = vm.heap.alloc(Object::with_class(
        shape,
        ObjectClass::Host(Box::new(HeapDiffData {
            before: std::cell::RefCell::new(Some(snap)),
        })),
    ));
    Ok(Value::heap(o))
}

fn heap_diff_end(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let before = match this.as_heap::<Object>().as_ref().map(|o| &o.get().class) {
        Some(ObjectClass::Host(h)) => match h.as_any().downcast_ref::<HeapDiffData>() {
            Some(d) => d.before.borrow_mut().take(),
            None => return Err(vm.type_error("Illegal invocation")),
        },
        _ => return Err(vm.type_error("Illegal invocation")),
    };
    let Some(before) = before else {
        return Err(vm.throw_error(
            crate::vm::realm::ErrorKind::Error,
            "attempt to end() a HeapDiff that was already ended",
        ));
    };
    let after = take_snapshot(vm);
    // Buckets: name → (size_bytes, +, -), ASCII order.
    let mut buckets: std::collections::BTreeMap<String, (i64, u64, u64)> = Default::default();
    let mut freed = 0usize;
    let mut allocated = 0usize;
    for (id, (what, size)) in &before.cells {
        if !after.cells.contains_key(id) {
            freed += 1;
            if let Some(w) = what {
                let b = buckets.entry(w.clone()).or_default();
                b.0 -= *size as i64;
                b.2 += 1;
            }
        }
    }
    for (id, (what, size)) in &after.cells {
        if !before.cells.contains_key(id) {
            allocated += 1;
            if let Some(w) = what {
                let b = buckets.entry(w.clone()).or_default();
                b.0 += *size as i64;
                b.1 += 1;
            }
        }
    }
    let result = vm.new_object();
    let summary = |vm: &mut Vm, s: &Snapshot| {
        let o = vm.new_object();
        let size = vm.new_string(&nice_size(s.size_bytes as i64));
        for (k, v) in [
            ("nodes", Value::number(s.nodes as f64)),
            ("size_bytes", Value::number(s.size_bytes as f64)),
            ("size", size),
        ] {
            let key = vm.intern(k);
            o.get().define(&mut vm.heap, key, v, attrs::DEFAULT);
        }
        Value::heap(o)
    };
    let b = summary(vm, &before);
    let a = summary(vm, &after);
    let change = vm.new_object();
    let delta = after.size_bytes.wrapping_sub(before.size_bytes);
    let mut details = Vec::new();
    for (what, (size, plus, minus)) in buckets {
        let d = vm.new_object();
        let w = vm.new_string(&what);
        let s = vm.new_string(&nice_size(size as i32 as i64));
        for (k, v) in [
            ("what", w),
            ("size_bytes", Value::number(size as f64)),
            ("size", s),
            ("+", Value::number(plus as f64)),
            ("-", Value::number(minus as f64)),
        ] {
            let key = vm.intern(k);
            d.get().define(&mut vm.heap, key, v, attrs::DEFAULT);
        }
        details.push(Value::heap(d));
    }
    let details = vm.new_array(details);
    let size = vm.new_string(&nice_size(delta as i64));
    for (k, v) in [
        ("size_bytes", Value::number(delta as f64)),
        ("size", size),
        ("freed_nodes", Value::number(freed as f64)),
        ("allocated_nodes", Value::number(allocated as f64)),
        ("details", Value::heap(details)),
    ] {
        let key = vm.intern(k);
        change.get().define(&mut vm.heap, key, v, attrs::DEFAULT);
    }
    for (k, v) in [("before", b), ("after", a), ("change", Value::heap(change))] {
        let key = vm.intern(k);
        result.get().define(&mut vm.heap, key, v, attrs::DEFAULT);
    }
    Ok(Value::heap(result))
}

/// The JavaScript half: an EventEmitter instance with `gc` and `HeapDiff` (spec §1).
pub const MODULE_SOURCE: &str = r#"'use strict';
const EventEmitter = require('events');
const native = require('internal/memwatch');
const memwatch = new EventEmitter();
memwatch.gc = native.gc;
memwatch.HeapDiff = native.HeapDiff;
native.setEmitter(function (name, payload) { memwatch.emit(name, payload); });
module.exports = memwatch;
"#;
