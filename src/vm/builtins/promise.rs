//! `Promise` (ECMA-262 §27.2), `AggregateError` (§20.5.7), and the engine's own promise API.
//!
//! ## Representation
//!
//! A promise is an object of class [`ObjectClass::Promise`] whose [`PromiseData`] holds the
//! specification's internal slots. `[[PromiseFulfillReactions]]` and
//! `[[PromiseRejectReactions]]` are always appended to together (PerformPromiseThen adds one
//! record to each), and emptied together, so they are kept as one list of [`Reaction`]s, each
//! carrying both handlers and the shared capability; a job reads the handler of the outcome.
//!
//! Built-in closures (resolving functions, the capability executor, `Promise.all`'s element
//! functions, `finally`'s thunks) are native functions with captured slots
//! (`ObjectClass::Native::slots`, read with `Vm::callee_slot`): ordinary function objects in
//! the heap, with `length` and `name` `''`. A resolving-function pair shares its
//! `[[AlreadyResolved]]` record: the flag lives in the reject function's slot 1, and the resolve
//! function reaches it through its own slot 1.
//!
//! ## Jobs
//!
//! Jobs go on the runtime's microtask queue (`vm.host.microtasks`) as a native job function
//! and its arguments, in exactly the order the specification enqueues them
//! (NewPromiseReactionJob, NewPromiseResolveThenableJob), so the number of ticks everything
//! takes is the specification's (and node's): resolving with a native promise costs two extra
//! ticks (the thenable job, then the reaction job).
//!
//! A reaction job's arguments are `[type, argument, handler, promise, resolve, reject]`: the
//! capability is absent (`promise` undefined: `await`'s PerformPromiseThen), an intrinsic
//! promise made for `then` by `%Promise%` itself (`resolve` undefined: its resolving functions
//! could never reach JavaScript, so the job resolves it directly — V8 does the same), or a full
//! PromiseCapability record from NewPromiseCapability(C).
//!
//! One shortcut is taken where it cannot be observed: a thenable job for a native promise whose
//! `then` is the intrinsic one and whose species lookup would find `%Promise%` without running
//! code performs PerformPromiseThen(thenable, –, –, promise) directly (again as V8 does) instead
//! of calling `then` with fresh resolving functions; the ticks are the same.
//!
//! ## Unhandled rejections
//!
//! HostPromiseRejectionTracker records a promise rejected without handlers in
//! `vm.host.pending_rejections` (node's `unhandledRejection`), and forgets it when a handler is
//! added (node's `handledRejection`); the runtime looks at the list when the tick and microtask
//! queues have drained (`runtime::drain_ticks`, node's processTicksAndRejections).
//!
//! ## Rooting
//!
//! As everywhere in the library: allocation here never collects, but a call into JavaScript
//! (`vm.call`, a getter run by `vm.get`, `vm.construct`) may, so every heap value still needed
//! after one is rooted first (`vm.root`, undone by truncating the stack to a saved mark).

use std::cell::{Cell, RefCell};

use super::util::{describe, set_tag, sym_key};
use crate::gc::{EdgeName, Gc, Tracer};
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, trace_value, Key, Object, ObjectClass, Shape};
use crate::vm::realm::{arg, ErrorKind};
use crate::vm::string::JsString;
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

// ---- The internal slots ----

/// `[[PromiseState]]`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PromiseState {
    Pending,
    Fulfilled,
    Rejected,
}

/// Where a promise stands with the unhandled-rejection tracker (node's
/// `maybeUnhandledPromises` entry, kept on the promise so no table holds promises alive).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tracker {
    /// Not rejected, or rejected with a handler, or handled since.
    None,
    /// Rejected without a handler; waiting for the end of the drain. The rejection id.
    Pending(u32),
    /// Reported to 'unhandledRejection' listeners and still unhandled.
    Warned(u32),
}

/// A PromiseCapability record, or its absence.
#[derive(Clone, Copy)]
enum Capability {
    /// No derived promise (`await`).
    None,
    /// A `%Promise%` whose resolving functions never reach JavaScript: resolved directly.
    Intrinsic(Gc<Object>),
    /// The result of NewPromiseCapability(C).
    Record {
        promise: Value,
        resolve: Value,
        reject: Value,
    },
}

impl Capability {
    fn promise(&self) -> Value {
        match *self {
            Capability::None => Value::UNDEFINED,
            Capability::Intrinsic(p) => Value::heap(p),
            Capability::Record { promise, .. } => promise,
        }
    }

    /// `[promise, resolve, reject]` as a reaction job's arguments carry them.
    fn parts(&self) -> [Value; 3] {
        match *self {
            Capability::None => [Value::UNDEFINED; 3],
            Capability::Intrinsic(p) => [Value::heap(p), Value::UNDEFINED, Value::UNDEFINED],
            Capability::Record {
                promise,
                resolve,
                reject,
            } => [promise, resolve, reject],
        }
    }
}

/// A fulfill reaction and a reject reaction made by one PerformPromiseThen (empty handlers are
/// undefined).
struct Reaction {
    capability: Capability,
    on_fulfilled: Value,
    on_rejected: Value,
}

/// The internal slots of a promise.
pub struct PromiseData {
    state: Cell<PromiseState>,
    /// `[[PromiseResult]]` (undefined while pending).
    result: Cell<Value>,
    /// `[[PromiseFulfillReactions]]` and `[[PromiseRejectReactions]]`, side by side.
    reactions: RefCell<Vec<Reaction>>,
    is_handled: Cell<bool>,
    tracker: Cell<Tracker>,
}

impl PromiseData {
    fn new() -> PromiseData {
        PromiseData {
            state: Cell::new(PromiseState::Pending),
            result: Cell::new(Value::UNDEFINED),
            reactions: RefCell::new(Vec::new()),
            is_handled: Cell::new(false),
            tracker: Cell::new(Tracker::None),
        }
    }

    pub fn state(&self) -> PromiseState {
        self.state.get()
    }

    pub fn result(&self) -> Value {
        self.result.get()
    }

    /// Reports every heap value the slots hold.
    pub fn trace(&self, t: &mut dyn Tracer) {
        let PromiseData {
            state: _,
            result,
            reactions,
            is_handled: _,
            tracker: _,
        } = self;
        trace_value(t, EdgeName::Internal("result"), result.get(), None);
        for r in reactions.borrow().iter() {
            let Reaction {
                capability,
                on_fulfilled,
                on_rejected,
            } = r;
            for v in capability.parts() {
                trace_value(t, EdgeName::Internal("reaction"), v, None);
            }
            trace_value(
                t,
                EdgeName::Internal("fulfill_handler"),
                *on_fulfilled,
                None,
            );
            trace_value(t, EdgeName::Internal("reject_handler"), *on_rejected, None);
        }
    }

    /// Bytes owned outside the object cell.
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of::<PromiseData>()
            + self.reactions.borrow().capacity() * std::mem::size_of::<Reaction>()
    }
}

/// The promise slots of an object, if it is a promise.
fn pdata(o: &Object) -> Option<&PromiseData> {
    match &o.class {
        ObjectClass::Promise(d) => Some(d),
        _ => None,
    }
}

/// IsPromise.
fn as_promise(v: Value) -> Option<Gc<Object>> {
    v.as_heap::<Object>()
        .filter(|o| matches!(o.get().class, ObjectClass::Promise(_)))
}

/// A captured slot of a built-in closure other than the running one.
fn closure_slot(f: &Object, i: usize) -> Option<&Cell<Value>> {
    match &f.class {
        ObjectClass::Native { slots: Some(s), .. } => s.get(i),
        _ => None,
    }
}

/// `%Promise%` and what the engine needs of it without property lookups.
pub struct PromiseIntrinsics {
    pub ctor: Value,
    pub proto: Value,
    /// `%Promise.prototype.then%`.
    pub then: Value,
    /// The getter of `%Promise%[@@species]`.
    pub species_getter: Value,
    pub reaction_job: Value,
    pub thenable_job: Value,
    pub aggregate_error_proto: Value,
    /// The root shape of `%Promise%` instances.
    pub shape: Option<Gc<Shape>>,
    /// Where `%Promise.prototype%` keeps `constructor` and `then` while it has its initial
    /// shape, and where `%Promise%` keeps `[@@species]` (and the accessor pair there): while
    /// the shapes and slot values are unchanged, those lookups cannot run code.
    pub pristine: Option<Pristine>,
}

/// See [`PromiseIntrinsics::pristine`].
#[derive(Clone, Copy)]
pub struct Pristine {
    proto_shape: Gc<Shape>,
    constructor_slot: u32,
    then_slot: u32,
    ctor_shape: Gc<Shape>,
    species_slot: u32,
    species_pair: Value,
}

impl Default for PromiseIntrinsics {
    fn default() -> Self {
        PromiseIntrinsics {
            ctor: Value::UNDEFINED,
            proto: Value::UNDEFINED,
            then: Value::UNDEFINED,
            species_getter: Value::UNDEFINED,
            reaction_job: Value::UNDEFINED,
            thenable_job: Value::UNDEFINED,
            aggregate_error_proto: Value::UNDEFINED,
            shape: None,
            pristine: None,
        }
    }
}

impl PromiseIntrinsics {
    pub fn trace(&self, t: &mut dyn Tracer) {
        let PromiseIntrinsics {
            ctor,
            proto,
            then,
            species_getter,
            reaction_job,
            thenable_job,
            aggregate_error_proto,
            shape,
            pristine,
        } = self;
        for v in [
            ctor,
            proto,
            then,
            species_getter,
            reaction_job,
            thenable_job,
            aggregate_error_proto,
        ] {
            trace_value(t, EdgeName::Internal("intrinsic"), *v, None);
        }
        if let Some(s) = shape {
            t.edge(EdgeName::Internal("intrinsic"), (*s).into());
        }
        if let Some(p) = pristine {
            t.edge(EdgeName::Internal("intrinsic"), p.proto_shape.into());
            t.edge(EdgeName::Internal("intrinsic"), p.ctor_shape.into());
            trace_value(t, EdgeName::Internal("intrinsic"), p.species_pair, None);
        }
    }
}

// ---- Installation ----

pub fn install(vm: &mut Vm) {
    let proto = vm.new_object();
    let ctor = super::core::make_ctor(vm, "Promise", 1, promise_ctor, proto);
    vm.define_native(ctor, "all", 1, |vm, t, a| {
        combinator(vm, t, a, Combinator::All)
    });
    vm.define_native(ctor, "allSettled", 1, |vm, t, a| {
        combinator(vm, t, a, Combinator::AllSettled)
    });
    vm.define_native(ctor, "any", 1, |vm, t, a| {
        combinator(vm, t, a, Combinator::Any)
    });
    vm.define_native(ctor, "race", 1, |vm, t, a| {
        combinator(vm, t, a, Combinator::Race)
    });
    vm.define_native(ctor, "resolve", 1, promise_resolve_static);
    vm.define_native(ctor, "reject", 1, promise_reject_static);
    vm.define_native(ctor, "withResolvers", 0, promise_with_resolvers);
    let getter = vm.new_native("get [Symbol.species]", 0, |_, this, _| Ok(this), false);
    let sk = sym_key(vm.realm.sym_species);
    vm.define_accessor(
        ctor,
        sk,
        Value::heap(getter),
        Value::UNDEFINED,
        attrs::CONFIGURABLE,
    );
    let then = vm.define_native(proto, "then", 2, promise_then);
    vm.define_native(proto, "catch", 1, promise_catch);
    vm.define_native(proto, "finally", 1, promise_finally);
    set_tag(vm, proto, "Promise");
    let reaction_job = vm.new_native("PromiseReactionJob", 6, reaction_job, false);
    let thenable_job = vm.new_native("PromiseResolveThenableJob", 3, thenable_job, false);
    let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
    vm.realm.promise = PromiseIntrinsics {
        ctor: Value::heap(ctor),
        proto: Value::heap(proto),
        then: Value::heap(then),
        species_getter: Value::heap(getter),
        reaction_job: Value::heap(reaction_job),
        thenable_job: Value::heap(thenable_job),
        aggregate_error_proto: Value::UNDEFINED,
        shape: Some(shape),
        pristine: None,
    };
    vm.realm.promise.pristine = pristine(vm, proto, ctor);
    install_aggregate_error(vm);
}

/// The initial layout of `%Promise.prototype%` and `%Promise%` (see [`Pristine`]).
fn pristine(vm: &Vm, proto: Gc<Object>, ctor: Gc<Object>) -> Option<Pristine> {
    let (proto_shape, ctor_shape) = (proto.get().shape()?, ctor.get().shape()?);
    let (constructor_slot, _) = Shape::lookup(proto_shape, vm.realm.names.constructor)?;
    let (then_slot, _) = Shape::lookup(proto_shape, vm.realm.names.then)?;
    let (species_slot, _) = Shape::lookup(ctor_shape, sym_key(vm.realm.sym_species))?;
    Some(Pristine {
        proto_shape,
        constructor_slot,
        then_slot,
        ctor_shape,
        species_slot,
        species_pair: ctor.get().slot(species_slot),
    })
}

/// `AggregateError` (§20.5.7): an Error subclass whose instances carry `errors`.
fn install_aggregate_error(vm: &mut Vm) {
    let error_proto = vm.realm.error_protos[ErrorKind::Error as usize];
    let proto = vm.new_object_with_proto(Some(error_proto));
    let ctor = super::core::make_ctor(vm, "AggregateError", 2, aggregate_error_ctor, proto);
    let name = vm.new_string("AggregateError");
    vm.define_hidden(proto, "name", name);
    let empty = vm.new_string("");
    vm.define_hidden(proto, "message", empty);
    let ek = vm.intern("Error");
    if let Some(base) = vm
        .global
        .get()
        .get_own(ek)
        .and_then(|(v, _)| v.as_heap::<Object>())
    {
        ctor.get().set_proto(&mut vm.heap, Some(base));
    }
    vm.realm.promise.aggregate_error_proto = Value::heap(proto);
}

/// `new AggregateError(errors, message, options)`.
fn aggregate_error_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let default = vm
        .realm
        .promise
        .aggregate_error_proto
        .as_heap::<Object>()
        .unwrap_or(vm.realm.error_protos[ErrorKind::Error as usize]);
    let o = super::core::new_error_with_message(vm, default, arg(a, 1))?;
    if let Some(op) = arg(a, 2).as_heap::<Object>() {
        let ck = vm.realm.names.cause;
        if vm.has_property(op, crate::vm::ops::PKey::Named(ck)) {
            let c = vm.get(Value::heap(op), ck)?;
            o.get().define(&mut vm.heap, ck, c, attrs::HIDDEN);
        }
    }
    let header = super::core::error_header(vm, Value::heap(o))?;
    vm.set_stack(o, header);
    let (it, mut state) = get_iterator(vm, arg(a, 0))?;
    vm.root(it);
    vm.root(state);
    let list = vm.new_array(Vec::new());
    vm.root(Value::heap(list));
    while let Some((x, s)) = vm.iterator_step(it, state)? {
        list.get().push_element(&vm.heap, x);
        state = s;
    }
    let ek = vm.intern("errors");
    o.get()
        .define(&mut vm.heap, ek, Value::heap(list), attrs::HIDDEN);
    Ok(Value::heap(o))
}

/// The AggregateError `Promise.any` rejects with: V8 makes it without stack frames.
fn new_aggregate_error(vm: &mut Vm, errors: Gc<Object>) -> Value {
    let proto = vm
        .realm
        .promise
        .aggregate_error_proto
        .as_heap::<Object>()
        .unwrap_or(vm.realm.error_protos[ErrorKind::Error as usize]);
    let o = vm.new_object_with_proto(Some(proto));
    let o = vm.become_error(o);
    const MESSAGE: &str = "All promises were rejected";
    let stack = vm.new_string(&format!("AggregateError: {MESSAGE}"));
    let sk = vm.realm.names.stack;
    o.get().define(&mut vm.heap, sk, stack, attrs::HIDDEN);
    let m = vm.new_string(MESSAGE);
    let mk = vm.realm.names.message;
    o.get().define(&mut vm.heap, mk, m, attrs::HIDDEN);
    let ek = vm.intern("errors");
    o.get()
        .define(&mut vm.heap, ek, Value::heap(errors), attrs::HIDDEN);
    Value::heap(o)
}

// ---- V8's wording ----

/// V8's default rendering of a value in "… is not a function/iterable" thrown by built-ins:
/// its type, then the value for primitives that have one (`number 5`, `string "a"`,
/// `object null`, `boolean true`; `object`, `function`, `symbol`, `undefined` alone).
fn type_and_value(vm: &Vm, v: Value) -> String {
    let ty = vm.type_of_name(v);
    if v.is_null() {
        return "object null".into();
    }
    if let Some(s) = v.as_heap::<JsString>() {
        return format!("string \"{}\"", s.get().to_rust_string());
    }
    if v.is_number() || v.as_bool().is_some() {
        return format!("{ty} {}", vm.to_display_string(v));
    }
    ty
}

/// How V8 names a value in "X is not a constructor": a function's source text, else as
/// `describe` does.
fn describe_constructor(vm: &mut Vm, v: Value) -> String {
    if let Some(f) = v.as_heap::<Object>() {
        if let Some(text) = super::core::function_source_text(vm, f) {
            return text;
        }
    }
    describe(vm, v)
}

// ---- Abstract operations ----

/// The saved height of the root stack (`vm.root` pushes; truncating back unroots).
fn mark(vm: &Vm) -> usize {
    vm.stack.len()
}

fn unroot(vm: &mut Vm, mark: usize) {
    vm.stack.truncate(mark);
}

/// CreateResolvingFunctions(promise): `(resolve, reject)`.
fn create_resolving_functions(vm: &mut Vm, promise: Gc<Object>) -> (Value, Value) {
    let p = Value::heap(promise);
    let reject = vm.new_native_closure("", 1, reject_function, [p, Value::FALSE, Value::UNDEFINED]);
    let resolve = vm.new_native_closure(
        "",
        1,
        resolve_function,
        [p, Value::heap(reject), Value::UNDEFINED],
    );
    (Value::heap(resolve), Value::heap(reject))
}

/// A promise resolve function (§27.2.1.3.2). Slots: the promise, the reject function (whose
/// slot 1 is the pair's `[[AlreadyResolved]]`).
fn resolve_function(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let promise = vm.callee_slot(0);
    let Some(partner) = vm.callee_slot(1).as_heap::<Object>() else {
        return Ok(Value::UNDEFINED);
    };
    let Some(already) = closure_slot(partner.get(), 1) else {
        return Ok(Value::UNDEFINED);
    };
    if already.get() == Value::TRUE {
        return Ok(Value::UNDEFINED);
    }
    already.set(Value::TRUE);
    if let Some(p) = promise.as_heap::<Object>() {
        vm.resolve_promise(p, arg(a, 0));
    }
    Ok(Value::UNDEFINED)
}

/// A promise reject function (§27.2.1.3.1). Slots: the promise, `[[AlreadyResolved]]`.
fn reject_function(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    if vm.callee_slot(1) == Value::TRUE {
        return Ok(Value::UNDEFINED);
    }
    vm.set_callee_slot(1, Value::TRUE);
    if let Some(p) = vm.callee_slot(0).as_heap::<Object>() {
        vm.reject_promise(p, arg(a, 0));
    }
    Ok(Value::UNDEFINED)
}

/// FulfillPromise / RejectPromise: settles a pending promise and triggers its reactions.
fn settle(vm: &mut Vm, p: Gc<Object>, state: PromiseState, v: Value) {
    let Some(d) = pdata(p.get()) else {
        return;
    };
    if d.state.get() != PromiseState::Pending {
        return;
    }
    let reactions = std::mem::take(&mut *d.reactions.borrow_mut());
    d.result.set(v);
    d.state.set(state);
    if state == PromiseState::Rejected && !d.is_handled.get() {
        rejection_tracker(vm, p, true);
    }
    for r in &reactions {
        enqueue_reaction_job(vm, r, state, v);
    }
}

/// NewPromiseReactionJob + HostEnqueuePromiseJob.
fn enqueue_reaction_job(vm: &mut Vm, r: &Reaction, state: PromiseState, argument: Value) {
    let (kind, handler) = if state == PromiseState::Fulfilled {
        (0, r.on_fulfilled)
    } else {
        (1, r.on_rejected)
    };
    let [promise, resolve, reject] = r.capability.parts();
    let job = vm.realm.promise.reaction_job;
    vm.host.microtasks.push_back((
        job,
        vec![
            Value::int(kind),
            argument,
            handler,
            promise,
            resolve,
            reject,
        ],
    ));
}

/// HostPromiseRejectionTracker(promise, "reject" | "handle"), as node implements it.
fn rejection_tracker(vm: &mut Vm, p: Gc<Object>, reject: bool) {
    let Some(d) = pdata(p.get()) else {
        return;
    };
    let host = &mut vm.host;
    if reject {
        host.last_rejection_id += 1;
        d.tracker.set(Tracker::Pending(host.last_rejection_id));
        host.pending_rejections.push_back(Value::heap(p));
        host.rejection_to_warn = true;
        return;
    }
    match d.tracker.get() {
        Tracker::None => {}
        Tracker::Pending(_) => d.tracker.set(Tracker::None),
        Tracker::Warned(id) => {
            d.tracker.set(Tracker::None);
            host.handled_later.push_back((Value::heap(p), id));
            host.rejection_to_warn = true;
        }
    }
}

/// What the runtime does with a pending rejection at the end of a drain: `Some((reason, id))`
/// if the promise is still unhandled (it is then marked as reported), `None` if it was handled
/// in the meantime.
pub fn take_unhandled(p: Value) -> Option<(Value, u32)> {
    let o = as_promise(p)?;
    let d = pdata(o.get())?;
    match d.tracker.get() {
        Tracker::Pending(id) => {
            d.tracker.set(Tracker::Warned(id));
            Some((d.result.get(), id))
        }
        _ => None,
    }
}

/// PerformPromiseThen (§27.2.5.4.1).
fn perform_then_with(
    vm: &mut Vm,
    p: Gc<Object>,
    on_fulfilled: Value,
    on_rejected: Value,
    capability: Capability,
) {
    let Some(d) = pdata(p.get()) else {
        return;
    };
    let on_fulfilled = if vm.is_callable(on_fulfilled) {
        on_fulfilled
    } else {
        Value::UNDEFINED
    };
    let on_rejected = if vm.is_callable(on_rejected) {
        on_rejected
    } else {
        Value::UNDEFINED
    };
    let reaction = Reaction {
        capability,
        on_fulfilled,
        on_rejected,
    };
    match d.state.get() {
        PromiseState::Pending => {
            // Most promises get one reaction: no room for four (Vec's first growth).
            let mut list = d.reactions.borrow_mut();
            list.reserve_exact(1);
            list.push(reaction);
        }
        PromiseState::Fulfilled => {
            enqueue_reaction_job(vm, &reaction, PromiseState::Fulfilled, d.result.get())
        }
        PromiseState::Rejected => {
            if !d.is_handled.get() {
                rejection_tracker(vm, p, false);
            }
            enqueue_reaction_job(vm, &reaction, PromiseState::Rejected, d.result.get());
        }
    }
    d.is_handled.set(true);
}

/// Whether SpeciesConstructor(p, %Promise%) would find `%Promise%` without running any code:
/// `p` inherits straight from `%Promise.prototype%`, has no own `constructor`, the prototype's
/// `constructor` is still `%Promise%` and `%Promise%[@@species]` the original getter.
fn species_is_intrinsic(vm: &Vm, p: Gc<Object>) -> bool {
    let pi = &vm.realm.promise;
    let (Some(proto), Some(ctor)) = (pi.proto.as_heap::<Object>(), pi.ctor.as_heap::<Object>())
    else {
        return false;
    };
    let ck = vm.realm.names.constructor;
    if p.get().proto() != Some(proto) || p.get().get_own(ck).is_some() {
        return false;
    }
    // The usual case: both objects as installed (a shape compare and a slot read each).
    if let Some(x) = &pi.pristine {
        if proto.get().shape() == Some(x.proto_shape) && ctor.get().shape() == Some(x.ctor_shape) {
            return proto.get().slot(x.constructor_slot) == pi.ctor
                && ctor.get().slot(x.species_slot) == x.species_pair;
        }
    }
    match proto.get().get_own(ck) {
        Some((c, a)) if a & attrs::ACCESSOR == 0 && c == pi.ctor => {}
        _ => return false,
    }
    match ctor.get().get_own(sym_key(vm.realm.sym_species)) {
        Some((pair, a)) if a & attrs::ACCESSOR != 0 => pair.as_heap::<Object>().is_some_and(
            |o| matches!(&o.get().class, ObjectClass::Accessor { get, .. } if *get == pi.species_getter),
        ),
        _ => false,
    }
}

/// SpeciesConstructor(o, %Promise%) (§7.3.22).
fn species_constructor(vm: &mut Vm, o: Value) -> R {
    let default = vm.realm.promise.ctor;
    if let Some(p) = as_promise(o) {
        if species_is_intrinsic(vm, p) {
            return Ok(default);
        }
    }
    let ck = vm.realm.names.constructor;
    let c = vm.get(o, ck)?;
    if c.is_undefined() {
        return Ok(default);
    }
    if c.as_heap::<Object>().is_none() {
        return Err(vm.type_error("The .constructor property is not an object"));
    }
    let s = vm.get(c, sym_key(vm.realm.sym_species))?;
    if s.is_nullish() {
        return Ok(default);
    }
    if super::reflect::is_constructor(s) {
        return Ok(s);
    }
    Err(vm.type_error("object.constructor[Symbol.species] is not a constructor"))
}

/// NewPromiseCapability(C) (§27.2.1.5). With `C` = `%Promise%` no executor runs (it could not
/// be observed); `functions` asks for real resolving functions anyway, for callers that hand
/// them to JavaScript.
fn new_promise_capability(vm: &mut Vm, c: Value, functions: bool) -> Result<Capability, Thrown> {
    if c == vm.realm.promise.ctor {
        let p = vm.new_promise();
        if !functions {
            return Ok(Capability::Intrinsic(p));
        }
        let (resolve, reject) = create_resolving_functions(vm, p);
        return Ok(Capability::Record {
            promise: Value::heap(p),
            resolve,
            reject,
        });
    }
    if !super::reflect::is_constructor(c) {
        let d = describe_constructor(vm, c);
        return Err(vm.type_error(&format!("{d} is not a constructor")));
    }
    let executor = vm.new_native_closure("", 2, capability_executor, [Value::UNDEFINED; 3]);
    let promise = vm.construct(c, &[Value::heap(executor)], c)?;
    let slot = |i| closure_slot(executor.get(), i).map_or(Value::UNDEFINED, |c| c.get());
    let (resolve, reject) = (slot(0), slot(1));
    if !vm.is_callable(resolve) || !vm.is_callable(reject) {
        return Err(vm.type_error("Promise resolve or reject function is not callable"));
    }
    Ok(Capability::Record {
        promise,
        resolve,
        reject,
    })
}

/// GetCapabilitiesExecutor: records the resolving functions it is given, once.
fn capability_executor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    if !vm.callee_slot(0).is_undefined() || !vm.callee_slot(1).is_undefined() {
        return Err(
            vm.type_error("Promise executor has already been invoked with non-undefined arguments")
        );
    }
    vm.set_callee_slot(0, arg(a, 0));
    vm.set_callee_slot(1, arg(a, 1));
    Ok(Value::UNDEFINED)
}

/// Calls a capability's resolve (or, with `reject`, its reject) function with `v`.
fn settle_capability(vm: &mut Vm, cap: Capability, v: Value, reject: bool) -> R {
    match cap {
        Capability::None => Ok(Value::UNDEFINED),
        Capability::Intrinsic(p) => {
            if reject {
                vm.reject_promise(p, v);
            } else {
                vm.resolve_promise(p, v);
            }
            Ok(Value::UNDEFINED)
        }
        Capability::Record {
            resolve, reject: r, ..
        } => vm.call(if reject { r } else { resolve }, Value::UNDEFINED, &[v]),
    }
}

/// Roots a capability's values.
fn root_capability(vm: &mut Vm, cap: Capability) {
    for v in cap.parts() {
        vm.root(v);
    }
}

/// PromiseResolve(C, x) (§27.2.4.7.1). The caller keeps `c` and `x` rooted.
fn promise_resolve_with(vm: &mut Vm, c: Value, x: Value) -> R {
    if let Some(xp) = as_promise(x) {
        let xc = if species_is_intrinsic(vm, xp) {
            vm.realm.promise.ctor
        } else {
            let ck = vm.realm.names.constructor;
            vm.get(x, ck)?
        };
        if xc == c {
            return Ok(x);
        }
    }
    let cap = new_promise_capability(vm, c, false)?;
    let m = mark(vm);
    root_capability(vm, cap);
    let r = settle_capability(vm, cap, x, false);
    unroot(vm, m);
    r?;
    Ok(cap.promise())
}

/// Invoke(target, "then", args). The caller keeps `args` rooted.
fn invoke_then(vm: &mut Vm, target: Value, args: &[Value]) -> R {
    let k = vm.realm.names.then;
    let then = vm.get(target, k)?;
    if !vm.is_callable(then) {
        let d = type_and_value(vm, then);
        return Err(vm.type_error(&format!("{d} is not a function")));
    }
    vm.call(then, target, args)
}

/// GetIterator(v, sync) with V8's messages: `(iterator, state)` as `Vm::iterator_step` takes
/// them (arrays and strings step by index while their iteration is the built-in one).
fn get_iterator(vm: &mut Vm, v: Value) -> Result<(Value, Value), Thrown> {
    if let Some(a) = v.as_heap::<Object>() {
        if matches!(a.get().class, ObjectClass::Array) && vm.array_iteration_is_pristine(a) {
            return vm.get_iterator(v);
        }
    }
    if v.as_heap::<JsString>().is_some() {
        return vm.get_iterator(v);
    }
    let not_iterable = |vm: &mut Vm| {
        let d = type_and_value(vm, v);
        vm.type_error(&format!(
            "{d} is not iterable (cannot read property Symbol(Symbol.iterator))"
        ))
    };
    if v.is_nullish() {
        return Err(not_iterable(vm));
    }
    let f = vm.get(v, sym_key(vm.realm.sym_iterator))?;
    if !vm.is_callable(f) {
        return Err(not_iterable(vm));
    }
    let it = vm.call(f, v, &[])?;
    if it.as_heap::<Object>().is_none() {
        return Err(vm.type_error("Result of the Symbol.iterator method is not an object"));
    }
    let m = mark(vm);
    vm.root(it);
    let nk = vm.realm.names.next;
    let next = vm.get(it, nk);
    unroot(vm, m);
    Ok((it, next?))
}

// ---- The engine's API ----

impl Vm {
    /// A new pending `%Promise%` (`new Promise(() => {})` without the executor). Its resolving
    /// functions do not exist: settle it with [`Vm::resolve_promise`] or [`Vm::reject_promise`].
    pub(crate) fn new_promise(&mut self) -> Gc<Object> {
        let shape = match self.realm.promise.shape {
            Some(s) => s,
            None => self.realm.object_shape,
        };
        self.heap.alloc(Object::with_class(
            shape,
            ObjectClass::Promise(Box::new(PromiseData::new())),
        ))
    }

    /// What the promise's resolve function does once it is called (§27.2.1.3.2 from step 7):
    /// rejects with a TypeError if `v` is `p` itself, fulfills with a non-object or an object
    /// without a callable `then`, rejects if reading `then` throws, and otherwise enqueues a
    /// PromiseResolveThenableJob. Like the resolve function, call it once per promise; it does
    /// nothing to a promise that is no longer pending. May run JavaScript (a `then` getter):
    /// `p` and `v` are rooted meanwhile.
    pub(crate) fn resolve_promise(&mut self, p: Gc<Object>, v: Value) {
        if !pdata(p.get()).is_some_and(|d| d.state.get() == PromiseState::Pending) {
            return;
        }
        if v == Value::heap(p) {
            let e = self.make_error(
                ErrorKind::TypeError,
                "Chaining cycle detected for promise #<Promise>",
            );
            self.reject_promise(p, e);
            return;
        }
        let Some(o) = v.as_heap::<Object>() else {
            settle(self, p, PromiseState::Fulfilled, v);
            return;
        };
        let then = match as_promise(v) {
            // A promise that inherits the intrinsic `then` as a data property: no code runs.
            Some(vp)
                if vp.get().proto() == self.realm.promise.proto.as_heap::<Object>()
                    && self.promise_then_is_intrinsic(o) =>
            {
                self.realm.promise.then
            }
            _ => {
                let m = mark(self);
                self.root(Value::heap(p));
                self.root(v);
                let k = self.realm.names.then;
                let r = self.get(v, k);
                unroot(self, m);
                match r {
                    Ok(t) => t,
                    Err(e) => {
                        self.reject_promise(p, e.value);
                        return;
                    }
                }
            }
        };
        if !self.is_callable(then) {
            settle(self, p, PromiseState::Fulfilled, v);
            return;
        }
        let job = self.realm.promise.thenable_job;
        self.host
            .microtasks
            .push_back((job, vec![Value::heap(p), v, then]));
    }

    /// Whether `o.then` is `%Promise.prototype.then%` found as data properties (no own `then`,
    /// and the prototype's is the intrinsic one).
    fn promise_then_is_intrinsic(&self, o: Gc<Object>) -> bool {
        let k = self.realm.names.then;
        if o.get().get_own(k).is_some() {
            return false;
        }
        let Some(proto) = self.realm.promise.proto.as_heap::<Object>() else {
            return false;
        };
        if let Some(x) = &self.realm.promise.pristine {
            if proto.get().shape() == Some(x.proto_shape) {
                return proto.get().slot(x.then_slot) == self.realm.promise.then;
            }
        }
        matches!(proto.get().get_own(k), Some((f, a))
            if a & attrs::ACCESSOR == 0 && f == self.realm.promise.then)
    }

    /// RejectPromise(p, reason) (§27.2.1.7), for a pending promise; reports it to the
    /// unhandled-rejection tracker when it has no handler yet.
    pub(crate) fn reject_promise(&mut self, p: Gc<Object>, reason: Value) {
        settle(self, p, PromiseState::Rejected, reason);
    }

    /// PromiseResolve(%Promise%, v) (§27.2.4.7.1): `v` itself when it is a promise whose
    /// `constructor` is `%Promise%`, else a new `%Promise%` resolved with `v`. Reading
    /// `v.constructor` may run a getter (and throw). (What `await v` starts with; nothing in
    /// the library needs it yet, so it is unused outside tests until async functions land.)
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn promise_resolve(&mut self, v: Value) -> Result<Gc<Object>, Thrown> {
        let m = mark(self);
        self.root(v);
        let c = self.realm.promise.ctor;
        let r = promise_resolve_with(self, c, v);
        unroot(self, m);
        let p = r?;
        match p.as_heap::<Object>() {
            Some(o) => Ok(o),
            None => Err(self.type_error("PromiseResolve did not make a promise")),
        }
    }

    /// PerformPromiseThen(p, on_fulfilled, on_rejected, result) (§27.2.5.4.1). Handlers that
    /// are not callable are empty (the value or reason passes through). With `result` `None`
    /// no derived promise is made, as `await` does; otherwise `result` must be a promise from
    /// [`Vm::new_promise`] (nobody else can resolve it), settled with the handler's outcome.
    /// Marks `p` as handled. Does nothing if `p` is not a promise.
    pub(crate) fn perform_then(
        &mut self,
        p: Gc<Object>,
        on_fulfilled: Value,
        on_rejected: Value,
        result: Option<Gc<Object>>,
    ) {
        let cap = match result {
            None => Capability::None,
            Some(r) => Capability::Intrinsic(r),
        };
        perform_then_with(self, p, on_fulfilled, on_rejected, cap);
    }

    /// `(state, result)` of a promise: state 0 pending (result undefined), 1 fulfilled,
    /// 2 rejected. `None` if `p` is not a promise.
    pub(crate) fn promise_state(&self, p: Gc<Object>) -> Option<(u8, Value)> {
        let d = pdata(p.get())?;
        let s = match d.state.get() {
            PromiseState::Pending => 0,
            PromiseState::Fulfilled => 1,
            PromiseState::Rejected => 2,
        };
        Some((s, d.result.get()))
    }
}

// ---- Jobs ----

/// NewPromiseReactionJob's closure. Arguments: `[type (0 fulfill, 1 reject), argument,
/// handler, capability promise, resolve, reject]` (see the module comment).
fn reaction_job(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let (kind, argument, handler) = (arg(a, 0), arg(a, 1), arg(a, 2));
    let (promise, resolve, reject) = (arg(a, 3), arg(a, 4), arg(a, 5));
    let outcome = if handler.is_undefined() {
        if kind == Value::int(0) {
            Ok(argument)
        } else {
            Err(Thrown::new(argument))
        }
    } else {
        vm.call(handler, Value::UNDEFINED, &[argument])
    };
    let Some(p) = promise.as_heap::<Object>() else {
        // No capability (await): its handlers do not throw; if one did, say so.
        return outcome.map(|_| Value::UNDEFINED);
    };
    if resolve.is_undefined() {
        match outcome {
            Ok(v) => vm.resolve_promise(p, v),
            Err(e) => vm.reject_promise(p, e.value),
        }
        return Ok(Value::UNDEFINED);
    }
    match outcome {
        Ok(v) => vm.call(resolve, Value::UNDEFINED, &[v]),
        Err(e) => vm.call(reject, Value::UNDEFINED, &[e.value]),
    }
}

/// NewPromiseResolveThenableJob's closure. Arguments: `[promise, thenable, then]`.
fn thenable_job(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let (promise, thenable, then) = (arg(a, 0), arg(a, 1), arg(a, 2));
    let Some(p) = promise.as_heap::<Object>() else {
        return Ok(Value::UNDEFINED);
    };
    if then == vm.realm.promise.then {
        if let Some(tp) = as_promise(thenable) {
            if species_is_intrinsic(vm, tp) {
                // then.call(thenable, resolve, reject) would make a %Promise% nobody sees and
                // call resolve/reject from the reaction: the same ticks, the same outcome.
                vm.perform_then(tp, Value::UNDEFINED, Value::UNDEFINED, Some(p));
                return Ok(Value::UNDEFINED);
            }
        }
    }
    let (resolve, reject) = create_resolving_functions(vm, p);
    vm.root(reject);
    match vm.call(then, thenable, &[resolve, reject]) {
        Ok(v) => Ok(v),
        Err(e) => vm.call(reject, Value::UNDEFINED, &[e.value]),
    }
}

// ---- The constructor and the prototype ----

/// `new Promise(executor)` (§27.2.3.1).
fn promise_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let nt = vm.take_new_target();
    if nt.is_undefined() {
        return Err(vm.type_error("Promise constructor cannot be invoked without 'new'"));
    }
    let executor = arg(a, 0);
    if !vm.is_callable(executor) {
        let d = describe(vm, executor);
        return Err(vm.type_error(&format!("Promise resolver {d} is not a function")));
    }
    let promise = if nt == vm.realm.promise.ctor {
        vm.new_promise()
    } else {
        let default = vm
            .realm
            .promise
            .proto
            .as_heap::<Object>()
            .unwrap_or(vm.realm.object_proto);
        let proto = vm.prototype_for(nt, default)?;
        let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
        vm.heap.alloc(Object::with_class(
            shape,
            ObjectClass::Promise(Box::new(PromiseData::new())),
        ))
    };
    vm.root(Value::heap(promise));
    let (resolve, reject) = create_resolving_functions(vm, promise);
    vm.root(reject);
    if let Err(e) = vm.call(executor, Value::UNDEFINED, &[resolve, reject]) {
        vm.call(reject, Value::UNDEFINED, &[e.value])?;
    }
    Ok(Value::heap(promise))
}

/// `Promise.prototype.then(onFulfilled, onRejected)` (§27.2.5.4).
fn promise_then(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let Some(p) = as_promise(this) else {
        let d = describe(vm, this);
        return Err(vm.type_error(&format!(
            "Method Promise.prototype.then called on incompatible receiver {d}"
        )));
    };
    let c = species_constructor(vm, this)?;
    let cap = new_promise_capability(vm, c, false)?;
    perform_then_with(vm, p, arg(a, 0), arg(a, 1), cap);
    Ok(cap.promise())
}

/// `Promise.prototype.catch(onRejected)` (§27.2.5.1).
fn promise_catch(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    invoke_then(vm, this, &[Value::UNDEFINED, arg(a, 0)])
}

/// `Promise.prototype.finally(onFinally)` (§27.2.5.3).
fn promise_finally(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    if this.as_heap::<Object>().is_none() {
        return Err(vm.type_error("Promise.prototype.finally called on non-object"));
    }
    let c = species_constructor(vm, this)?;
    let on_finally = arg(a, 0);
    let (then_finally, catch_finally) = if !vm.is_callable(on_finally) {
        (on_finally, on_finally)
    } else {
        let slots = [on_finally, c, Value::UNDEFINED];
        let t = vm.new_native_closure("", 1, then_finally, slots);
        let k = vm.new_native_closure("", 1, catch_finally, slots);
        (Value::heap(t), Value::heap(k))
    };
    vm.root(then_finally);
    vm.root(catch_finally);
    invoke_then(vm, this, &[then_finally, catch_finally])
}

/// Then Finally Functions. Slots: onFinally, C.
fn then_finally(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    finally_step(vm, arg(a, 0), value_thunk)
}

/// Catch Finally Functions. Slots: onFinally, C.
fn catch_finally(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    finally_step(vm, arg(a, 0), thrower)
}

/// Calls onFinally, waits for what it returns (PromiseResolve(C, result)), then passes the
/// original value on (`value_thunk`) or throws the original reason again (`thrower`).
fn finally_step(vm: &mut Vm, value: Value, then: crate::vm::object::NativeFn) -> R {
    let on_finally = vm.callee_slot(0);
    let result = vm.call(on_finally, Value::UNDEFINED, &[])?;
    vm.root(result);
    let c = vm.callee_slot(1);
    let promise = promise_resolve_with(vm, c, result)?;
    vm.root(promise);
    let f = vm.new_native_closure("", 0, then, [value, Value::UNDEFINED, Value::UNDEFINED]);
    vm.root(Value::heap(f));
    invoke_then(vm, promise, &[Value::heap(f)])
}

/// Returns the value it captured.
fn value_thunk(vm: &mut Vm, _this: Value, _a: &[Value]) -> R {
    Ok(vm.callee_slot(0))
}

/// Throws the reason it captured.
fn thrower(vm: &mut Vm, _this: Value, _a: &[Value]) -> R {
    Err(Thrown::new(vm.callee_slot(0)))
}

// ---- Statics ----

/// `Promise.resolve(x)` (§27.2.4.7).
fn promise_resolve_static(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    if this.as_heap::<Object>().is_none() {
        return Err(vm.type_error("PromiseResolve called on non-object"));
    }
    promise_resolve_with(vm, this, arg(a, 0))
}

/// `Promise.reject(r)` (§27.2.4.6).
fn promise_reject_static(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    if this.as_heap::<Object>().is_none() {
        return Err(vm.type_error("PromiseReject called on non-object"));
    }
    let cap = new_promise_capability(vm, this, false)?;
    root_capability(vm, cap);
    settle_capability(vm, cap, arg(a, 0), true)?;
    Ok(cap.promise())
}

/// `Promise.withResolvers()` (§27.2.4.8).
fn promise_with_resolvers(vm: &mut Vm, this: Value, _a: &[Value]) -> R {
    let cap = new_promise_capability(vm, this, true)?;
    let [promise, resolve, reject] = cap.parts();
    let o = vm.new_object();
    for (name, v) in [
        ("promise", promise),
        ("resolve", resolve),
        ("reject", reject),
    ] {
        let k = vm.intern(name);
        o.get().define(&mut vm.heap, k, v, attrs::DEFAULT);
    }
    Ok(Value::heap(o))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Combinator {
    All,
    AllSettled,
    Any,
    Race,
}

impl Combinator {
    fn name(self) -> &'static str {
        match self {
            Combinator::All => "all",
            Combinator::AllSettled => "allSettled",
            Combinator::Any => "any",
            Combinator::Race => "race",
        }
    }
}

/// `Promise.all`, `allSettled`, `any` and `race` (§27.2.4.1–5): the shared frame (capability,
/// GetPromiseResolve, GetIterator, closing the iterator and rejecting on an abrupt completion).
fn combinator(vm: &mut Vm, this: Value, a: &[Value], kind: Combinator) -> R {
    if this.as_heap::<Object>().is_none() {
        let n = kind.name();
        return Err(vm.type_error(&format!("Promise.{n} called on non-object")));
    }
    let cap = new_promise_capability(vm, this, true)?;
    root_capability(vm, cap);
    let Capability::Record {
        promise, reject, ..
    } = cap
    else {
        return Ok(cap.promise());
    };
    let rk = vm.intern("resolve");
    let promise_resolve = match vm.get(this, rk) {
        Ok(f) if vm.is_callable(f) => f,
        Ok(_) => {
            let e = vm.type_error("resolve is not a function");
            vm.call(reject, Value::UNDEFINED, &[e.value])?;
            return Ok(promise);
        }
        Err(e) => {
            vm.call(reject, Value::UNDEFINED, &[e.value])?;
            return Ok(promise);
        }
    };
    vm.root(promise_resolve);
    let (it, state) = match get_iterator(vm, arg(a, 0)) {
        Ok(x) => x,
        Err(e) => {
            vm.call(reject, Value::UNDEFINED, &[e.value])?;
            return Ok(promise);
        }
    };
    vm.root(it);
    vm.root(state);
    let mut done = false;
    let r = perform_combinator(vm, kind, it, state, this, promise_resolve, cap, &mut done);
    match r {
        Ok(()) => Ok(promise),
        Err(e) => {
            vm.root(e.value);
            if !done {
                // IteratorClose with a throw completion: the original error wins.
                let _ = vm.iterator_close(it, state);
            }
            vm.call(reject, Value::UNDEFINED, &[e.value])?;
            Ok(promise)
        }
    }
}

/// The indices of the record shared by a combinator's element functions (an internal object
/// with no prototype that never reaches JavaScript): the values (or errors) list, the function
/// to call when the count reaches zero, and `remainingElementsCount`.
const REC_LIST: u32 = 0;
const REC_FINISH: u32 = 1;
const REC_REMAINING: u32 = 2;

/// PerformPromiseAll / AllSettled / Any / Race. `done` becomes true when the iterator is
/// exhausted or failed (`[[Done]]`).
#[allow(clippy::too_many_arguments)]
fn perform_combinator(
    vm: &mut Vm,
    kind: Combinator,
    it: Value,
    mut state: Value,
    c: Value,
    promise_resolve: Value,
    cap: Capability,
    done: &mut bool,
) -> Result<(), Thrown> {
    let [_, resolve, reject] = cap.parts();
    let list = vm.new_array(Vec::new());
    let record = vm.new_object_with_proto(None);
    let finish = if kind == Combinator::Any {
        reject
    } else {
        resolve
    };
    record
        .get()
        .set_index(&vm.heap, REC_LIST, Value::heap(list));
    record.get().set_index(&vm.heap, REC_FINISH, finish);
    record
        .get()
        .set_index(&vm.heap, REC_REMAINING, Value::int(1));
    vm.root(Value::heap(record));
    vm.root(state);
    let state_slot = vm.stack.len() - 1;
    let mut index: u32 = 0;
    loop {
        let step = vm.iterator_step(it, state);
        let next = match step {
            Ok(Some((v, s))) => {
                state = s;
                vm.stack[state_slot] = s;
                v
            }
            Ok(None) => {
                *done = true;
                break;
            }
            Err(e) => {
                *done = true;
                return Err(e);
            }
        };
        let m = mark(vm);
        if kind != Combinator::Race {
            if index == u32::MAX - 1 {
                let n = kind.name();
                return Err(vm.range_error(&format!("Too many elements passed to Promise.{n}")));
            }
            list.get().push_element(&vm.heap, Value::UNDEFINED);
        }
        let next_promise = vm.call(promise_resolve, c, &[next])?;
        vm.root(next_promise);
        let slots = [
            Value::FALSE,
            Value::number(index as f64),
            Value::heap(record),
        ];
        let (on_fulfilled, on_rejected) = match kind {
            Combinator::All => {
                let f = vm.new_native_closure("", 1, all_resolve_element, slots);
                (Value::heap(f), reject)
            }
            Combinator::AllSettled => {
                let f = vm.new_native_closure("", 1, settled_fulfilled_element, slots);
                let mut rs = slots;
                rs[0] = Value::heap(f);
                let r = vm.new_native_closure("", 1, settled_rejected_element, rs);
                (Value::heap(f), Value::heap(r))
            }
            Combinator::Any => {
                let r = vm.new_native_closure("", 1, any_reject_element, slots);
                (resolve, Value::heap(r))
            }
            Combinator::Race => (resolve, reject),
        };
        if kind != Combinator::Race {
            add_remaining(record, 1);
        }
        vm.root(on_fulfilled);
        vm.root(on_rejected);
        invoke_then(vm, next_promise, &[on_fulfilled, on_rejected])?;
        unroot(vm, m);
        index = index.saturating_add(1);
    }
    if kind == Combinator::Race {
        return Ok(());
    }
    if add_remaining(record, -1) == 0 {
        return finish_combinator(vm, kind, record);
    }
    Ok(())
}

/// Adds to `remainingElementsCount`; returns the new count.
fn add_remaining(record: Gc<Object>, d: i32) -> i32 {
    let n = record
        .get()
        .get_index(REC_REMAINING)
        .and_then(|v| v.as_int())
        .unwrap_or(0)
        + d;
    // A number: no reference stored, no write barrier (the slot exists from the start).
    if let Some(slot) = record
        .get()
        .elements_rearrange()
        .get_mut(REC_REMAINING as usize)
    {
        *slot = Value::int(n);
    }
    n
}

/// The count reached zero: resolve with the values, or (`any`) reject with an AggregateError.
fn finish_combinator(vm: &mut Vm, kind: Combinator, record: Gc<Object>) -> Result<(), Thrown> {
    let list = record.get().get_index(REC_LIST).unwrap_or(Value::UNDEFINED);
    let finish = record
        .get()
        .get_index(REC_FINISH)
        .unwrap_or(Value::UNDEFINED);
    let v = if kind == Combinator::Any {
        match list.as_heap::<Object>() {
            Some(l) => new_aggregate_error(vm, l),
            None => Value::UNDEFINED,
        }
    } else {
        list
    };
    vm.call(finish, Value::UNDEFINED, &[v])?;
    Ok(())
}

/// An element function's step: checks and sets `[[AlreadyCalled]]` (in `flag_holder`'s slot 0),
/// stores `v` at the element's index, and finishes when the count reaches zero.
fn element_step(vm: &mut Vm, flag_holder: Option<Gc<Object>>, v: Value, kind: Combinator) -> R {
    let flag = match flag_holder {
        Some(f) => closure_slot(f.get(), 0).map(|c| c.get()),
        None => Some(vm.callee_slot(0)),
    };
    if flag != Some(Value::FALSE) {
        return Ok(Value::UNDEFINED);
    }
    match flag_holder {
        Some(f) => {
            if let Some(c) = closure_slot(f.get(), 0) {
                c.set(Value::TRUE);
            }
        }
        None => vm.set_callee_slot(0, Value::TRUE),
    }
    let index = vm.callee_slot(1).as_number().unwrap_or(0.0) as u32;
    let Some(record) = vm.callee_slot(2).as_heap::<Object>() else {
        return Ok(Value::UNDEFINED);
    };
    if let Some(list) = record
        .get()
        .get_index(REC_LIST)
        .and_then(|l| l.as_heap::<Object>())
    {
        list.get().set_index(&vm.heap, index, v);
    }
    if add_remaining(record, -1) == 0 {
        finish_combinator(vm, kind, record)?;
    }
    Ok(Value::UNDEFINED)
}

/// `Promise.all` Resolve Element Functions. Slots: alreadyCalled, index, record.
fn all_resolve_element(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    element_step(vm, None, arg(a, 0), Combinator::All)
}

/// `{ status, value | reason }` for `Promise.allSettled`.
fn settled_entry(vm: &mut Vm, fulfilled: bool, v: Value) -> Value {
    let o = vm.new_object();
    let (status, key) = if fulfilled {
        ("fulfilled", "value")
    } else {
        ("rejected", "reason")
    };
    let s = vm.new_string(status);
    let sk = vm.intern("status");
    o.get().define(&mut vm.heap, sk, s, attrs::DEFAULT);
    let k: Key = vm.intern(key);
    o.get().define(&mut vm.heap, k, v, attrs::DEFAULT);
    Value::heap(o)
}

/// `Promise.allSettled` Resolve Element Functions. Slots: alreadyCalled, index, record.
fn settled_fulfilled_element(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    if vm.callee_slot(0) != Value::FALSE {
        return Ok(Value::UNDEFINED);
    }
    let entry = settled_entry(vm, true, arg(a, 0));
    element_step(vm, None, entry, Combinator::AllSettled)
}

/// `Promise.allSettled` Reject Element Functions. Slots: the fulfilled function of the same
/// element (which holds the shared alreadyCalled), index, record.
fn settled_rejected_element(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let holder = vm.callee_slot(0).as_heap::<Object>();
    let called = holder.and_then(|h| closure_slot(h.get(), 0).map(|c| c.get()));
    if called != Some(Value::FALSE) {
        return Ok(Value::UNDEFINED);
    }
    let entry = settled_entry(vm, false, arg(a, 0));
    element_step(vm, holder, entry, Combinator::AllSettled)
}

/// `Promise.any` Reject Element Functions. Slots: alreadyCalled, index, record.
fn any_reject_element(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    element_step(vm, None, arg(a, 0), Combinator::Any)
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use crate::source::SourceFile;
    use crate::vm::interp::Vm;
    use crate::vm::value::Value;

    /// A VM that ran `src` (a classic script), for its globals.
    fn vm_with(src: &str) -> Vm {
        let program = crate::syntax::parse(src).expect("parses");
        let proto = crate::vm::compiler::compile_script(&program).expect("compiles");
        let mut vm = Vm::new();
        let source = Rc::new(SourceFile::new("test.js", src.to_string()));
        let code = vm.load(&source, proto);
        vm.run_script(code).expect("runs");
        vm
    }

    fn global(vm: &mut Vm, name: &str) -> Value {
        let k = vm.intern(name);
        let g = Value::heap(vm.global);
        vm.get(g, k).expect("global")
    }

    /// The global `log` array, joined.
    fn log(vm: &mut Vm) -> String {
        let l = global(vm, "log");
        let k = vm.intern("join");
        let join = vm.get(l, k).expect("join");
        let s = vm.call(join, l, &[]).expect("joined");
        vm.to_rust_string(s).expect("a string")
    }

    fn drain(vm: &mut Vm) {
        while let Some((f, args)) = vm.host.microtasks.pop_front() {
            vm.call(f, Value::UNDEFINED, &args).expect("a job");
            vm.collect();
        }
    }

    const HANDLERS: &str = "var log = []; \
        function f(v) { log.push('f:' + v); return v + 1 } \
        function g(e) { log.push('g:' + (e instanceof Error ? e.message : e)) }";

    #[test]
    fn the_engine_api_settles_and_reacts_in_order() {
        let mut vm = vm_with(HANDLERS);
        let (f, g) = (global(&mut vm, "f"), global(&mut vm, "g"));
        let p = vm.new_promise();
        vm.host_roots.push(Value::heap(p));
        assert_eq!(vm.promise_state(p), Some((0, Value::UNDEFINED)));
        let derived = vm.new_promise();
        vm.host_roots.push(Value::heap(derived));
        vm.perform_then(p, f, g, Some(derived));
        vm.perform_then(derived, f, g, None);
        vm.collect();
        vm.resolve_promise(p, Value::int(5));
        assert_eq!(vm.promise_state(p), Some((1, Value::int(5))));
        assert!(vm.host.microtasks.len() == 1 && log(&mut vm).is_empty());
        drain(&mut vm);
        assert_eq!(log(&mut vm), "f:5,f:6");
        assert_eq!(vm.promise_state(derived), Some((1, Value::int(6))));
        // A settled promise stays settled.
        vm.reject_promise(p, Value::int(1));
        assert_eq!(vm.promise_state(p), Some((1, Value::int(5))));
        let o = vm.new_object();
        assert_eq!(vm.promise_state(o), None);
    }

    #[test]
    fn promise_resolve_returns_native_promises_themselves() {
        let mut vm = vm_with(HANDLERS);
        let p = vm.new_promise();
        vm.host_roots.push(Value::heap(p));
        assert_eq!(vm.promise_resolve(Value::heap(p)).ok(), Some(p));
        let q = vm.promise_resolve(Value::int(3)).expect("a promise");
        assert_ne!(q, p);
        assert_eq!(vm.promise_state(q), Some((1, Value::int(3))));
        // A subclass instance is wrapped.
        let mut vm = vm_with("class P extends Promise {}; var sub = new P(() => {})");
        let sub = global(&mut vm, "sub");
        let r = vm.promise_resolve(sub).expect("a promise");
        assert_ne!(Value::heap(r), sub);
        assert_eq!(vm.promise_state(r).map(|s| s.0), Some(0));
    }

    #[test]
    fn resolving_follows_thenables_and_rejects_cycles_and_throwing_getters() {
        let mut vm = vm_with(
            "var log = []; var thenable = { then(res) { log.push('then'); res(7) } }; \
             var bad = { get then() { throw new Error('getter') } }",
        );
        let p = vm.new_promise();
        vm.host_roots.push(Value::heap(p));
        let t = global(&mut vm, "thenable");
        vm.resolve_promise(p, t);
        assert_eq!(vm.promise_state(p).map(|s| s.0), Some(0));
        drain(&mut vm);
        assert_eq!(vm.promise_state(p), Some((1, Value::int(7))));
        assert_eq!(log(&mut vm), "then");

        let c = vm.new_promise();
        vm.host_roots.push(Value::heap(c));
        vm.resolve_promise(c, Value::heap(c));
        let (state, e) = vm.promise_state(c).expect("a promise");
        assert_eq!(state, 2);
        let h = super::super::core::error_header(&mut vm, e).expect("an error");
        assert_eq!(
            h,
            "TypeError: Chaining cycle detected for promise #<Promise>"
        );

        let b = vm.new_promise();
        vm.host_roots.push(Value::heap(b));
        let bad = global(&mut vm, "bad");
        vm.resolve_promise(b, bad);
        let (state, e) = vm.promise_state(b).expect("a promise");
        assert_eq!(state, 2);
        let h = super::super::core::error_header(&mut vm, e).expect("an error");
        assert_eq!(h, "Error: getter");
        // Both were rejected with no handler: the tracker saw them.
        assert_eq!(vm.host.pending_rejections.len(), 2);
        vm.perform_then(b, Value::UNDEFINED, Value::UNDEFINED, None);
        let pending: Vec<Value> = vm.host.pending_rejections.iter().copied().collect();
        let unhandled: Vec<bool> = pending
            .into_iter()
            .map(|p| super::take_unhandled(p).is_some())
            .collect();
        assert_eq!(unhandled, [true, false]);
    }
}
