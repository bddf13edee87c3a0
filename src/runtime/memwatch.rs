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

use crate::gc::Gc;
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
    /// The heap size after each collection of the current growth streak.
    streak: Vec<u64>,
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
                st.streak.clear();
            }
            st.consecutive_growth += 1;
            st.streak.push(h);
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
                leak = Some((growth, reason, std::mem::take(&mut st.streak), elapsed_ms));
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
        if let Some((growth, reason, streak, elapsed_ms)) = leak {
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
            // minijs's expansion (spec §8), non-enumerable so the report prints as memwatch's:
            // the heap size after each collection of the streak and the streak's duration.
            vm.host_roots.push(Value::heap(o));
            let sizes: Vec<Value> = streak.iter().map(|&b| Value::number(b as f64)).collect();
            let sizes = vm.new_array(sizes);
            vm.host_roots.pop();
            let k = vm.intern("heap_sizes");
            o.get()
                .define(&mut vm.heap, k, Value::heap(sizes), attrs::HIDDEN);
            let k = vm.intern("elapsed_ms");
            o.get().define(
                &mut vm.heap,
                k,
                Value::number(elapsed_ms as f64),
                attrs::HIDDEN,
            );
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
    vm.define_native(proto, "allocationSites", 0, heap_diff_sites);
    vm.define_hidden(o, "HeapDiff", Value::heap(ctor));
    Ok(Value::heap(o))
}

/// One HeapDiff snapshot: every node's bucket and size, and the totals.
struct Snapshot {
    nodes: usize,
    size_bytes: i32,
    /// The bucket names this snapshot uses; `cells` refer to them by index.
    names: Vec<String>,
    /// (id, bucket, self size) of every node, ids ascending; bucket [`LEFT_OUT`] for nodes
    /// left out of `details`. A sorted vector, not a map: a 1,000,000-node heap costs 16 MB
    /// and the diff is one merge of two sorted lists.
    cells: Vec<(u64, u32, u32)>,
}

/// The bucket of nodes that count in the totals but have no `details` row.
const LEFT_OUT: u32 = u32::MAX;

/// Bucket names → indices, while a snapshot is taken.
#[derive(Default)]
struct Buckets {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Buckets {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }
}

struct HeapDiffData {
    before: std::cell::RefCell<Option<Snapshot>>,
    /// `ignoreLessThanBytes`: `details` rows whose size change is smaller (in absolute
    /// value) are left out.
    ignore_less_than: f64,
    /// `allocationSites`: allocation sites are recorded between `new` and `end()`.
    track_sites: bool,
    /// After `end()` with `allocationSites`: per bucket, (name, size change, +, sites with
    /// their counts), largest growth first.
    growth: std::cell::RefCell<Option<Vec<Growth>>>,
}

/// One growing bucket with the sites its new nodes were allocated at.
#[derive(Clone)]
struct Growth {
    what: String,
    size_bytes: i64,
    plus: u64,
    sites: Vec<(String, u64)>,
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
    let mut buckets = Buckets::default();
    // The constructor name of an object without an own `constructor` depends only on its
    // prototype (and, at the end of the chain, on whether it is a promise): cached per
    // prototype, so a million instances cost one name lookup.
    let mut by_proto: HashMap<(usize, bool), u32> = HashMap::new();
    let mut cells = Vec::with_capacity(vm.heap.cell_count());
    let mut size_bytes: i32 = 0;
    let mut nodes = 0;
    vm.heap.for_each_live(|id, cell| {
        // HeapDiff instances count as nodes but are left out of everything else.
        nodes += 1;
        let any = cell.as_any();
        let size = cell.self_size();
        let what: u32 = if let Some(o) = any.downcast_ref::<Object>() {
            match &o.class {
                ObjectClass::Host(h) if h.class_name() == "HeapDiff" => return,
                ObjectClass::Host(_) => buckets.intern("Native"),
                ObjectClass::Array => buckets.intern("Array"),
                ObjectClass::Closure { .. }
                | ObjectClass::Native { .. }
                | ObjectClass::Bound { .. } => buckets.intern("Closure"),
                ObjectClass::Accessor { .. } => LEFT_OUT,
                // A suspended generator or async function: named by its kind, so a pile of
                // pending activations shows as its own row.
                ObjectClass::Generator(_) => buckets.intern(cell.kind()),
                ObjectClass::Boxed(v) if v.is_number() => buckets.intern("Number"),
                _ => match o.proto() {
                    Some(p) if o.get_own(ctor_key).is_none() => {
                        let key = (
                            p.get() as *const Object as usize,
                            matches!(o.class, ObjectClass::Promise(_)),
                        );
                        match by_proto.get(&key) {
                            Some(&b) => b,
                            None => {
                                let b = buckets.intern(&constructor_name(o, ctor_key, name_key));
                                by_proto.insert(key, b);
                                b
                            }
                        }
                    }
                    _ => buckets.intern(&constructor_name(o, ctor_key, name_key)),
                },
            }
        } else {
            match cell.kind() {
                "String" => buckets.intern("String"),
                "Code" => buckets.intern("Code"),
                "Context" => buckets.intern("system / Context"),
                _ => LEFT_OUT,
            }
        };
        size_bytes = size_bytes.wrapping_add(size as i32);
        cells.push((id, what, size as u32));
    });
    if !cells.is_sorted_by_key(|c| c.0) {
        cells.sort_unstable_by_key(|c| c.0);
    }
    Snapshot {
        nodes,
        size_bytes,
        names: buckets.names,
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
    // minijs's additions (spec §8): `{ ignoreLessThanBytes, allocationSites }`. memwatch-next
    // ignores its arguments, so without them nothing changes.
    let (mut ignore_less_than, mut track_sites) = (0.0, false);
    let options = arg(_a, 0);
    if options.as_heap::<Object>().is_some() {
        let k = vm.intern("ignoreLessThanBytes");
        let v = vm.get(options, k)?;
        if !v.is_undefined() {
            ignore_less_than = vm.to_number(v)?;
        }
        let k = vm.intern("allocationSites");
        track_sites = crate::vm::interp::to_boolean(vm.get(options, k)?);
    }
    let snap = take_snapshot(vm);
    let proto = vm.prototype_for(nt, vm.realm.object_proto)?;
    let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
    let o = vm.heap.alloc(Object::with_class(
        shape,
        ObjectClass::Host(Box::new(HeapDiffData {
            before: std::cell::RefCell::new(Some(snap)),
            ignore_less_than,
            track_sites,
            growth: std::cell::RefCell::new(None),
        })),
    ));
    if track_sites {
        vm.heap.sites.get_or_insert_with(Default::default).users += 1;
    }
    Ok(Value::heap(o))
}

/// The HeapDiff behind `this`.
fn heap_diff_data(vm: &mut Vm, this: Value) -> Result<Gc<Object>, Thrown> {
    let o = this.as_heap::<Object>();
    match o.as_ref().map(|o| &o.get().class) {
        Some(ObjectClass::Host(h)) if h.as_any().is::<HeapDiffData>() => Ok(o.expect("checked")),
        _ => Err(vm.type_error("Illegal invocation")),
    }
}

fn data_of(o: &Gc<Object>) -> &HeapDiffData {
    match &o.get().class {
        ObjectClass::Host(h) => h.as_any().downcast_ref().expect("checked"),
        _ => unreachable!("checked by heap_diff_data"),
    }
}

fn heap_diff_end(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let hd = heap_diff_data(vm, this)?;
    let before = data_of(&hd).before.borrow_mut().take();
    let (ignore_less_than, track_sites) = {
        let d = data_of(&hd);
        (d.ignore_less_than, d.track_sites && before.is_some())
    };
    let Some(before) = before else {
        return Err(vm.throw_error(
            crate::vm::realm::ErrorKind::Error,
            "attempt to end() a HeapDiff that was already ended",
        ));
    };
    let after = take_snapshot(vm);
    // With allocation sites: (bucket of `after`, site) → count for the new nodes.
    let mut site_counts: HashMap<(u32, (u64, u32)), u64> = HashMap::new();
    // Per snapshot bucket: (size, count) of the nodes only it has; one merge of the two
    // id-sorted lists.
    let mut gone = vec![(0i64, 0u64); before.names.len()];
    let mut new = vec![(0i64, 0u64); after.names.len()];
    let (mut freed, mut allocated) = (0usize, 0usize);
    let (mut i, mut j) = (0, 0);
    let (bc, ac) = (&before.cells, &after.cells);
    while i < bc.len() || j < ac.len() {
        let take_before = j == ac.len() || (i < bc.len() && bc[i].0 < ac[j].0);
        let take_after = i == bc.len() || (j < ac.len() && ac[j].0 < bc[i].0);
        if take_before {
            let (_, b, size) = bc[i];
            freed += 1;
            if b != LEFT_OUT {
                gone[b as usize].0 += size as i64;
                gone[b as usize].1 += 1;
            }
            i += 1;
        } else if take_after {
            let (id, b, size) = ac[j];
            allocated += 1;
            if b != LEFT_OUT {
                new[b as usize].0 += size as i64;
                new[b as usize].1 += 1;
                if track_sites {
                    let site = vm.heap.sites.as_ref().and_then(|s| s.site_of(id));
                    *site_counts.entry((b, site.unwrap_or((0, 0)))).or_default() += 1;
                }
            }
            j += 1;
        } else {
            i += 1;
            j += 1;
        }
    }
    // Buckets: name → (size_bytes, +, -), ASCII order.
    let mut buckets: std::collections::BTreeMap<&str, (i64, u64, u64)> = Default::default();
    for (name, (size, n)) in before.names.iter().zip(&gone) {
        if *n > 0 {
            let b = buckets.entry(name).or_default();
            b.0 -= size;
            b.2 += n;
        }
    }
    for (name, (size, n)) in after.names.iter().zip(&new) {
        if *n > 0 {
            let b = buckets.entry(name).or_default();
            b.0 += size;
            b.1 += n;
        }
    }
    if track_sites {
        let growth = growth_with_sites(vm, &after, &new, site_counts);
        *data_of(&hd).growth.borrow_mut() = Some(growth);
        if let Some(s) = &mut vm.heap.sites {
            s.users -= 1;
            if s.users == 0 {
                vm.heap.sites = None;
            }
        }
    }
    if ignore_less_than > 0.0 {
        buckets.retain(|_, b| (b.0.unsigned_abs() as f64) >= ignore_less_than);
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
        let w = vm.new_string(what);
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

/// The growing buckets of a diff with the sites their new nodes came from, largest size
/// growth first (ties in name order); sites most frequent first, five per bucket at most.
fn growth_with_sites(
    vm: &mut Vm,
    after: &Snapshot,
    new: &[(i64, u64)],
    site_counts: HashMap<(u32, (u64, u32)), u64>,
) -> Vec<Growth> {
    // The code cells named by the sites, found by id in one walk.
    let wanted: std::collections::HashSet<u64> = site_counts.keys().map(|k| k.1 .0).collect();
    let mut code_of: HashMap<(u64, u32), Option<String>> = HashMap::new();
    let mut found: HashMap<
        u64,
        (
            String,
            std::rc::Rc<crate::source::SourceFile>,
            Vec<crate::syntax::ast::Span>,
        ),
    > = HashMap::new();
    vm.heap.for_each_live(|id, cell| {
        if wanted.contains(&id) {
            if let Some(c) = cell.as_any().downcast_ref::<crate::vm::function::Code>() {
                found.insert(id, (c.name.to_string(), c.source.clone(), c.spans.to_vec()));
            }
        }
    });
    let mut by_bucket: HashMap<u32, Vec<(String, u64)>> = HashMap::new();
    for ((b, (code, pc)), n) in site_counts {
        let text = code_of
            .entry((code, pc))
            .or_insert_with(|| {
                let (name, file, spans) = found.get(&code)?;
                let span = spans.get((pc as usize).saturating_sub(1))?;
                let (line, col) = file.line_col(span.start as usize);
                let name = if name.is_empty() { "<anonymous>" } else { name };
                Some(format!("{name} ({}:{line}:{col})", file.name))
            })
            .clone()
            .unwrap_or_else(|| "(unknown)".into());
        let list = by_bucket.entry(b).or_default();
        match list.iter_mut().find(|(t, _)| *t == text) {
            Some(e) => e.1 += n,
            None => list.push((text, n)),
        }
    }
    let mut out: Vec<Growth> = by_bucket
        .into_iter()
        .map(|(b, mut sites)| {
            sites.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
            sites.truncate(5);
            Growth {
                what: after.names[b as usize].clone(),
                size_bytes: new[b as usize].0,
                plus: new[b as usize].1,
                sites,
            }
        })
        .collect();
    out.sort_by(|x, y| {
        y.size_bytes
            .cmp(&x.size_bytes)
            .then_with(|| x.what.cmp(&y.what))
    });
    out
}

/// `hd.allocationSites(n = 5)` (minijs's addition): after `end()` of a HeapDiff made with
/// `{ allocationSites: true }`, the `n` buckets that grew most, each `{ what, size_bytes, '+',
/// sites: [{ site: 'fn (file:line:col)', count }] }`.
fn heap_diff_sites(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let hd = heap_diff_data(vm, this)?;
    let n = match arg(a, 0) {
        v if v.is_undefined() => 5.0,
        v => vm.to_number(v)?.max(0.0),
    } as usize;
    if !data_of(&hd).track_sites {
        return Err(
            vm.type_error("allocationSites() needs a HeapDiff made with { allocationSites: true }")
        );
    }
    let rows: Vec<Growth> = match &*data_of(&hd).growth.borrow() {
        Some(g) => g.iter().take(n).cloned().collect(),
        None => {
            return Err(vm.throw_error(
                crate::vm::realm::ErrorKind::Error,
                "allocationSites() is available after end()",
            ))
        }
    };
    let mut out = Vec::new();
    for Growth {
        what,
        size_bytes: size,
        plus,
        sites,
    } in rows
    {
        let mut list = Vec::new();
        for (site, count) in sites {
            let o = vm.new_object();
            vm.host_roots.push(Value::heap(o));
            let s = vm.new_string(&site);
            let k = vm.intern("site");
            o.get().define(&mut vm.heap, k, s, attrs::DEFAULT);
            let k = vm.intern("count");
            o.get()
                .define(&mut vm.heap, k, Value::number(count as f64), attrs::DEFAULT);
            list.push(Value::heap(o));
        }
        let sites = vm.new_array(list.clone());
        for _ in &list {
            vm.host_roots.pop();
        }
        vm.host_roots.push(Value::heap(sites));
        let o = vm.new_object();
        vm.host_roots.push(Value::heap(o));
        let w = vm.new_string(&what);
        for (k, v) in [
            ("what", w),
            ("size_bytes", Value::number(size as f64)),
            ("+", Value::number(plus as f64)),
            ("sites", Value::heap(sites)),
        ] {
            let key = vm.intern(k);
            o.get().define(&mut vm.heap, key, v, attrs::DEFAULT);
        }
        vm.host_roots.pop();
        vm.host_roots.pop();
        out.push(Value::heap(o));
        vm.host_roots.push(Value::heap(o));
    }
    let n = out.len();
    let arr = vm.new_array(out);
    for _ in 0..n {
        vm.host_roots.pop();
    }
    Ok(Value::heap(arr))
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
