//! Generators, async functions and async generators: activations that can be suspended.
//!
//! ## Design
//!
//! A coroutine's frame normally lives, like every frame, in the VM's value stack. When it
//! suspends (`Yield`: a `yield`, an `await`, or the implicit start of a generator) its
//! registers, arguments, pc and active `try` handlers are copied into a [`Coroutine`] held by
//! a heap object, and the frame is popped. Resuming copies them back onto the stack as a new
//! frame and runs it in a nested `execute` until the next suspension or completion
//! (QuickJS's `async_func_resume` does the same copy; V8 keeps the registers in the
//! generator object too). So a suspended function is an ordinary heap object whose edges are
//! its saved registers and environment: reachable from a pending promise's reactions it stays
//! alive and shows up in HeapDiff and heap snapshots, unreachable it is collected.
//!
//! Every coroutine is entered from Rust (`Vm::resume`), so a suspending frame is always the
//! floor frame of its `execute`: `Yield` returns from it like `Return` does, and the
//! coroutine's state says which of the two happened.
//!
//! The kinds:
//! - a generator: calling it runs the parameter initialisation, then `Yield` kind 0 suspends
//!   and the call returns the generator object (errors in parameters throw at the call, as
//!   the specification says); `next`/`throw`/`return` resume it with a mode the compiled code
//!   dispatches on after each `yield` (`ResumeMode`): `return` runs the `finally` blocks
//!   because the compiler emits a real return path there.
//! - an async function: the call makes a promise and runs the body at once until its first
//!   `await` (`Yield` kind 2), whose value is resolved to a promise whose reactions resume the
//!   coroutine (one microtask for a native promise, as node v20); completion settles the
//!   promise.
//! - an async generator: a queue of requests (ECMA-262 §27.6), each answered with a promise.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use super::function::{CoKind, Code, Env};
use super::value::Value;
use crate::gc::{EdgeName, Gc, Tracer};

use super::object::trace_value;

/// Where a coroutine is in its life.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CoState {
    /// Created, its body not yet started (a generator before the first `next`).
    SuspendedStart,
    /// Suspended at a `yield` or an `await`.
    SuspendedYield,
    Executing,
    Completed,
}

/// How a coroutine is resumed (the value the compiled code finds in `R[dst + 1]`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ResumeMode {
    Next = 0,
    Throw = 1,
    Return = 2,
}

/// A suspended activation: everything `Frame` had that the stack held.
pub struct SavedFrame {
    pub code: Gc<Code>,
    pub env: Option<Gc<Env>>,
    pub this: Value,
    pub callee: Value,
    pub pc: usize,
    /// The register that receives the value the coroutine is resumed with (and the mode in the
    /// next one).
    pub resume_reg: Option<u8>,
    pub regs: Vec<Value>,
    pub args: Vec<Value>,
    /// The active `try` handlers of the frame, innermost last: catch pc, environment, register.
    pub handlers: Vec<(usize, Option<Gc<Env>>, u8)>,
}

/// One `next`/`throw`/`return` call waiting on an async generator (§27.6.3.1
/// AsyncGeneratorRequest): its completion and the promise it answered with.
pub struct AsyncGenRequest {
    pub mode: ResumeMode,
    pub value: Value,
    pub promise: Value,
}

/// The state of a generator, async function or async generator activation.
pub struct Coroutine {
    pub kind: CoKind,
    pub state: Cell<CoState>,
    /// The `Yield` kind of the last suspension (0 start, 1 yield, 2 await, 3 yield*).
    pub yield_kind: Cell<u8>,
    pub frame: RefCell<SavedFrame>,
    /// An async function's promise (undefined otherwise).
    pub promise: Cell<Value>,
    /// The reactions an `await` registers (made once per coroutine, on its first await).
    pub on_fulfilled: Cell<Value>,
    pub on_rejected: Cell<Value>,
    /// An async generator's pending requests.
    pub queue: RefCell<VecDeque<AsyncGenRequest>>,
    /// An async generator is awaiting a `return` value on behalf of a completed body.
    pub awaiting_return: Cell<bool>,
}

impl Coroutine {
    pub fn new(kind: CoKind, frame: SavedFrame) -> Coroutine {
        Coroutine {
            kind,
            state: Cell::new(CoState::SuspendedStart),
            yield_kind: Cell::new(0),
            frame: RefCell::new(frame),
            promise: Cell::new(Value::UNDEFINED),
            on_fulfilled: Cell::new(Value::UNDEFINED),
            on_rejected: Cell::new(Value::UNDEFINED),
            queue: RefCell::new(VecDeque::new()),
            awaiting_return: Cell::new(false),
        }
    }

    pub fn trace(&self, t: &mut dyn Tracer) {
        let f = self.frame.borrow();
        t.edge(EdgeName::Internal("function"), f.code.into());
        if let Some(e) = f.env {
            t.edge(EdgeName::Internal("context"), e.into());
        }
        trace_value(t, EdgeName::Internal("receiver"), f.this, None);
        trace_value(t, EdgeName::Internal("closure"), f.callee, None);
        for v in f.regs.iter().chain(f.args.iter()) {
            trace_value(t, EdgeName::Internal("register"), *v, None);
        }
        for (_, e, _) in &f.handlers {
            if let Some(e) = e {
                t.edge(EdgeName::Internal("context"), (*e).into());
            }
        }
        trace_value(t, EdgeName::Internal("promise"), self.promise.get(), None);
        trace_value(
            t,
            EdgeName::Internal("await_resolve"),
            self.on_fulfilled.get(),
            None,
        );
        trace_value(
            t,
            EdgeName::Internal("await_reject"),
            self.on_rejected.get(),
            None,
        );
        for r in self.queue.borrow().iter() {
            trace_value(t, EdgeName::Internal("request"), r.value, None);
            trace_value(t, EdgeName::Internal("request_promise"), r.promise, None);
        }
    }

    /// Bytes of the saved frame (the object's self size includes them).
    pub fn heap_bytes(&self) -> usize {
        let f = self.frame.borrow();
        std::mem::size_of::<Coroutine>()
            + (f.regs.capacity() + f.args.capacity()) * 8
            + f.handlers.capacity() * 24
            + self.queue.borrow().capacity() * std::mem::size_of::<AsyncGenRequest>()
    }
}

use super::builtins::util::{iter_result, set_tag};
use super::interp::{Thrown, Vm};
use super::object::{attrs, Object, ObjectClass};
use super::realm::arg;

impl Vm {
    /// One step of `yield*` (ECMA-262 §15.5.5, the loop body): forwards the received value to
    /// the inner iterator by the resume mode. Returns the inner result object with action 0
    /// (yield it as is), the inner iterator's final value with action 1 (the `yield*`
    /// expression's value), or a value with action 2 (the generator must return it).
    pub(crate) fn delegate_step(
        &mut self,
        it: Value,
        next: Value,
        received: Value,
        mode: i32,
    ) -> Result<(Value, i32), Thrown> {
        match self.delegate_call(it, next, received, mode)? {
            (v, 2) => Ok((v, 2)),
            (r, _) => self.delegate_result(r, mode, false),
        }
    }

    /// The call half of a `yield*` step: the inner iterator's `next`, `throw` or `return`
    /// with the received value; action 2 when a return resumption finds no `return` method
    /// (the generator returns the received value).
    pub(crate) fn delegate_call(
        &mut self,
        it: Value,
        next: Value,
        received: Value,
        mode: i32,
    ) -> Result<(Value, i32), Thrown> {
        let r = match mode {
            1 => {
                let tk = self.intern("throw");
                let t = self.get(it, tk)?;
                if t.is_nullish() {
                    self.iterator_close(it, Value::UNDEFINED)?;
                    return Err(self.type_error("The iterator does not provide a 'throw' method."));
                }
                self.call(t, it, &[received])?
            }
            2 => {
                let rk = self.intern("return");
                let f = self.get(it, rk)?;
                if f.is_nullish() {
                    return Ok((received, 2));
                }
                self.call(f, it, &[received])?
            }
            _ => self.call(next, it, &[received])?,
        };
        Ok((r, 0))
    }

    /// The result half of a `yield*` step: done → the inner value with action 1 (or 2 for a
    /// return resumption); not done → action 0 with the result object itself (a sync
    /// generator passes it through) or its value (`unwrap`, an async generator).
    pub(crate) fn delegate_result(
        &mut self,
        r: Value,
        mode: i32,
        unwrap: bool,
    ) -> Result<(Value, i32), Thrown> {
        if r.as_heap::<Object>().is_none() {
            let s = self.to_display_string(r);
            return Err(self.type_error(&format!("Iterator result {s} is not an object")));
        }
        // `done` and `value` may be getters that collect: keep the result rooted.
        let mark = self.stack.len();
        self.root(r);
        let dk = self.realm.names.done;
        let done = self.get(r, dk);
        let out = match done {
            Ok(d) if super::interp::to_boolean(d) => {
                let vk = self.realm.names.value;
                self.get(r, vk).map(|v| (v, if mode == 2 { 2 } else { 1 }))
            }
            Ok(_) if unwrap => {
                let vk = self.realm.names.value;
                self.get(r, vk).map(|v| (v, 0))
            }
            Ok(_) => Ok((r, 0)),
            Err(e) => Err(e),
        };
        self.stack.truncate(mark);
        out
    }
}

/// The coroutine of an activation object.
fn coroutine_of(gen: &Gc<Object>) -> &Coroutine {
    match &gen.get().class {
        ObjectClass::Generator(co) => co,
        _ => unreachable!("a coroutine object"),
    }
}

impl Vm {
    /// Starts an async function's activation: runs it to its first `await` and returns its
    /// promise.
    pub(crate) fn async_start(&mut self, gen: Gc<Object>) -> Result<Value, Thrown> {
        let p = self.new_promise();
        coroutine_of(&gen).promise.set(Value::heap(p));
        self.async_step(gen, ResumeMode::Next, Value::UNDEFINED)?;
        Ok(Value::heap(p))
    }

    /// Resumes an async function and handles how it stops: an `await` subscribes it to the
    /// awaited value's promise, a return resolves its promise, a throw rejects it. Errors
    /// come back only for `process.exit()` (the HOLE marker) and for running out of stack.
    fn async_step(
        &mut self,
        gen: Gc<Object>,
        mut mode: ResumeMode,
        mut v: Value,
    ) -> Result<(), Thrown> {
        let mark = self.stack.len();
        self.root(Value::heap(gen));
        let co = coroutine_of(&gen);
        let r = loop {
            match self.resume(gen, mode, v) {
                Ok(out) if co.state.get() != CoState::Completed => {
                    match self.await_value(gen, out) {
                        Ok(()) => break Ok(()),
                        // PromiseResolve threw (a `constructor` getter): the await throws.
                        Err(e) if e.value != Value::HOLE => {
                            mode = ResumeMode::Throw;
                            v = e.value;
                        }
                        Err(e) => break Err(e),
                    }
                }
                Ok(out) => {
                    let p = co.promise.get().as_heap::<Object>().expect("its promise");
                    self.resolve_promise(p, out);
                    break Ok(());
                }
                Err(e) if e.value == Value::HOLE => break Err(e),
                Err(e) => {
                    co.state.set(CoState::Completed);
                    let p = co.promise.get().as_heap::<Object>().expect("its promise");
                    self.reject_promise(p, e.value);
                    break Ok(());
                }
            }
        };
        self.stack.truncate(mark);
        r
    }

    /// `await v` (ECMA-262 §27.7.5.3 Await): the coroutine continues when PromiseResolve(v)
    /// settles, in a reaction job (one microtask for a native promise).
    fn await_value(&mut self, gen: Gc<Object>, v: Value) -> Result<(), Thrown> {
        let p = self.promise_resolve(v)?;
        let co = coroutine_of(&gen);
        if co.on_fulfilled.get().is_undefined() {
            let (f, r) = (
                self.realm.extra["%AsyncResumeFulfilled%"],
                self.realm.extra["%AsyncResumeRejected%"],
            );
            let f = self.new_bound(f, Value::heap(gen));
            let r = self.new_bound(r, Value::heap(gen));
            co.on_fulfilled.set(f);
            co.on_rejected.set(r);
        }
        self.perform_then(p, co.on_fulfilled.get(), co.on_rejected.get(), None);
        Ok(())
    }

    /// `f` with `this` bound to `this` (the await reactions: one native shared by every
    /// coroutine, bound to each).
    fn new_bound(&mut self, f: Value, this: Value) -> Value {
        let class = ObjectClass::Bound {
            target: f,
            this,
            args: Box::new([]),
        };
        Value::heap(
            self.heap
                .alloc(Object::with_class(self.realm.function_shape, class)),
        )
    }

    /// The continuation of an `await`, from its reaction job.
    fn await_resumed(&mut self, gen: Value, mode: ResumeMode, v: Value) -> Result<Value, Thrown> {
        let Some(g) = gen.as_heap::<Object>() else {
            return Ok(Value::UNDEFINED);
        };
        match coroutine_of(&g).kind {
            CoKind::AsyncGenerator => self.async_gen_run(g, mode, v)?,
            _ => self.async_step(g, mode, v)?,
        }
        Ok(Value::UNDEFINED)
    }

    /// GetIterator(v, async) (ECMA-262 §7.4.3): `v[Symbol.asyncIterator]()`, else the sync
    /// iterator wrapped by CreateAsyncFromSyncIterator.
    pub(crate) fn get_async_iterator(&mut self, v: Value) -> Result<(Value, Value), Thrown> {
        let ak = super::object::Key::from_atom(self.realm.sym_async_iterator.get().key);
        let m = if v.is_nullish() {
            Value::UNDEFINED
        } else {
            self.get(v, ak)?
        };
        if m.is_nullish() {
            let (it, next) = self.get_iterator_by_protocol(v)?;
            let proto = self.realm.extra["%AsyncFromSyncIteratorPrototype%"].as_heap::<Object>();
            let shape = match proto {
                Some(p) => self.realm.shape_for_proto(&mut self.heap, p),
                None => self.realm.object_shape,
            };
            let data = AsyncFromSync { iter: it, next };
            let o = self
                .heap
                .alloc(Object::with_class(shape, ObjectClass::Host(Box::new(data))));
            let nk = self.realm.names.next;
            let next = self.get(Value::heap(o), nk)?;
            return Ok((Value::heap(o), next));
        }
        if !m.as_heap::<Object>().is_some_and(|f| f.get().is_callable()) {
            let t = self.to_display_string(v);
            return Err(self.type_error(&format!("{t} is not async iterable")));
        }
        let it = self.call(m, v, &[])?;
        if it.as_heap::<Object>().is_none() {
            return Err(
                self.type_error("Result of the Symbol.asyncIterator method is not an object")
            );
        }
        let mark = self.stack.len();
        self.root(it);
        let nk = self.realm.names.next;
        let next = self.get(it, nk);
        self.stack.truncate(mark);
        Ok((it, next?))
    }

    // ---- Async generators (ECMA-262 §27.6) ----

    /// Runs an async generator from a resumption until it stops, and answers its requests
    /// (AsyncGeneratorResume, AsyncGeneratorYield, AsyncGeneratorCompleteStep,
    /// AsyncGeneratorDrainQueue).
    fn async_gen_run(
        &mut self,
        gen: Gc<Object>,
        mut mode: ResumeMode,
        mut v: Value,
    ) -> Result<(), Thrown> {
        let mark = self.stack.len();
        self.root(Value::heap(gen));
        let co = coroutine_of(&gen);
        let r = loop {
            match self.resume(gen, mode, v) {
                Ok(out) if co.state.get() != CoState::Completed => {
                    if co.yield_kind.get() == 2 {
                        match self.await_value(gen, out) {
                            Ok(()) => break Ok(()),
                            Err(e) if e.value != Value::HOLE => {
                                mode = ResumeMode::Throw;
                                v = e.value;
                                continue;
                            }
                            Err(e) => break Err(e),
                        }
                    }
                    // A yield: answer the first request; go on with the next one at once.
                    self.async_gen_complete_step(gen, false, out, false);
                    let next = co.queue.borrow().front().map(|r| (r.mode, r.value));
                    match next {
                        Some((m, x)) => {
                            mode = m;
                            v = x;
                        }
                        None => break Ok(()),
                    }
                }
                Ok(out) => {
                    self.async_gen_complete_step(gen, false, out, true);
                    self.async_gen_drain(gen);
                    break Ok(());
                }
                Err(e) if e.value == Value::HOLE => break Err(e),
                Err(e) => {
                    co.state.set(CoState::Completed);
                    self.async_gen_complete_step(gen, true, e.value, true);
                    self.async_gen_drain(gen);
                    break Ok(());
                }
            }
        };
        self.stack.truncate(mark);
        r
    }

    /// AsyncGeneratorCompleteStep: settles the oldest request's promise.
    fn async_gen_complete_step(&mut self, gen: Gc<Object>, is_throw: bool, v: Value, done: bool) {
        let co = coroutine_of(&gen);
        let Some(req) = co.queue.borrow_mut().pop_front() else {
            return;
        };
        let Some(p) = req.promise.as_heap::<Object>() else {
            return;
        };
        // Keep the request's promise reachable while the result object is made.
        let mark = self.stack.len();
        self.root(req.promise);
        self.root(v);
        if is_throw {
            self.reject_promise(p, v);
        } else {
            let r = iter_result(self, v, done);
            self.resolve_promise(p, r);
        }
        self.stack.truncate(mark);
    }

    /// AsyncGeneratorDrainQueue: a completed generator answers the waiting requests.
    fn async_gen_drain(&mut self, gen: Gc<Object>) {
        let co = coroutine_of(&gen);
        loop {
            let first = co.queue.borrow().front().map(|r| (r.mode, r.value));
            let Some((mode, v)) = first else {
                return;
            };
            match mode {
                ResumeMode::Return => {
                    co.awaiting_return.set(true);
                    self.async_gen_await_return(gen);
                    return;
                }
                ResumeMode::Throw => self.async_gen_complete_step(gen, true, v, true),
                ResumeMode::Next => {
                    self.async_gen_complete_step(gen, false, Value::UNDEFINED, true)
                }
            }
        }
    }

    /// AsyncGeneratorAwaitReturn: a `return(v)` on a finished (or unstarted) generator
    /// awaits v, then answers with it.
    fn async_gen_await_return(&mut self, gen: Gc<Object>) {
        let co = coroutine_of(&gen);
        let v = co
            .queue
            .borrow()
            .front()
            .map_or(Value::UNDEFINED, |r| r.value);
        let mark = self.stack.len();
        self.root(Value::heap(gen));
        match self.promise_resolve(v) {
            Ok(p) => {
                let (f, r) = (
                    self.realm.extra["%AsyncGenReturnFulfilled%"],
                    self.realm.extra["%AsyncGenReturnRejected%"],
                );
                let f = self.new_bound(f, Value::heap(gen));
                let r = self.new_bound(r, Value::heap(gen));
                self.perform_then(p, f, r, None);
            }
            Err(e) => {
                co.awaiting_return.set(false);
                co.state.set(CoState::Completed);
                self.async_gen_complete_step(gen, true, e.value, true);
                self.async_gen_drain(gen);
            }
        }
        self.stack.truncate(mark);
    }

    /// AsyncGenerator.prototype.next/return/throw: AsyncGeneratorValidate,
    /// AsyncGeneratorEnqueue, and the resumption when the generator is suspended.
    fn async_gen_request(
        &mut self,
        this: Value,
        mode: ResumeMode,
        v: Value,
    ) -> Result<Value, Thrown> {
        let p = self.new_promise();
        let mark = self.stack.len();
        self.root(Value::heap(p));
        let gen = this.as_heap::<Object>().filter(|o| {
            matches!(&o.get().class, ObjectClass::Generator(co) if co.kind == CoKind::AsyncGenerator)
        });
        let Some(gen) = gen else {
            let name = match mode {
                ResumeMode::Next => "next",
                ResumeMode::Throw => "throw",
                ResumeMode::Return => "return",
            };
            let s = self.to_display_string(this);
            let e = self.type_error(&format!(
                "Method [AsyncGenerator].prototype.{name} called on incompatible receiver {s}"
            ));
            self.reject_promise(p, e.value);
            self.stack.truncate(mark);
            return Ok(Value::heap(p));
        };
        let co = coroutine_of(&gen);
        let mut state = co.state.get();
        if state == CoState::SuspendedYield && co.yield_kind.get() == 2 {
            state = CoState::Executing; // awaiting inside the body
        }
        let awaiting_return = co.awaiting_return.get();
        if mode == ResumeMode::Throw && state == CoState::SuspendedStart {
            co.state.set(CoState::Completed);
            state = CoState::Completed;
        }
        if state == CoState::Completed && !awaiting_return && mode != ResumeMode::Return {
            if mode == ResumeMode::Throw {
                self.reject_promise(p, v);
            } else {
                let r = iter_result(self, Value::UNDEFINED, true);
                self.resolve_promise(p, r);
            }
            self.stack.truncate(mark);
            return Ok(Value::heap(p));
        }
        co.queue.borrow_mut().push_back(AsyncGenRequest {
            mode,
            value: v,
            promise: Value::heap(p),
        });
        let r = if awaiting_return || state == CoState::Executing {
            Ok(())
        } else if mode == ResumeMode::Return
            && matches!(state, CoState::SuspendedStart | CoState::Completed)
        {
            co.state.set(CoState::Completed);
            co.awaiting_return.set(true);
            self.async_gen_await_return(gen);
            Ok(())
        } else {
            self.async_gen_run(gen, mode, v)
        };
        self.stack.truncate(mark);
        r.map(|()| Value::heap(p))
    }
}

/// The iterator CreateAsyncFromSyncIterator makes (ECMA-262 §27.1.4): the sync iterator and
/// its `next`.
struct AsyncFromSync {
    iter: Value,
    next: Value,
}

impl super::object::HostData for AsyncFromSync {
    fn trace(&self, t: &mut dyn Tracer) {
        trace_value(t, EdgeName::Internal("sync_iterator"), self.iter, None);
        trace_value(t, EdgeName::Internal("next"), self.next, None);
    }
    fn class_name(&self) -> &'static str {
        "Object"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// %AsyncFromSyncIteratorPrototype%.next/return/throw: the sync step, its value awaited.
fn async_from_sync(vm: &mut Vm, this: Value, method: u8, a: &[Value]) -> Result<Value, Thrown> {
    let p = vm.new_promise();
    let mark = vm.stack.len();
    vm.root(Value::heap(p));
    let (it, next) = match this.as_heap::<Object>().and_then(|o| match &o.get().class {
        ObjectClass::Host(h) => h
            .as_any()
            .downcast_ref::<AsyncFromSync>()
            .map(|d| (d.iter, d.next)),
        _ => None,
    }) {
        Some(x) => x,
        None => {
            vm.stack.truncate(mark);
            return Err(vm.type_error("not an async-from-sync iterator"));
        }
    };
    let step = (|| -> Result<Option<Value>, Thrown> {
        let r = match method {
            0 => vm.call(next, it, a)?,
            _ => {
                let k = vm.intern(if method == 1 { "return" } else { "throw" });
                let f = vm.get(it, k)?;
                if f.is_nullish() {
                    if method == 1 {
                        let v = arg(a, 0);
                        return Ok(Some(iter_result(vm, v, true)));
                    }
                    // throw without a `throw` method: close the iterator, then a TypeError.
                    vm.iterator_close(it, Value::UNDEFINED)?;
                    return Err(vm.type_error("The iterator does not provide a 'throw' method"));
                }
                vm.call(f, it, a)?
            }
        };
        if r.as_heap::<Object>().is_none() {
            let s = vm.to_display_string(r);
            return Err(vm.type_error(&format!("Iterator result {s} is not an object")));
        }
        vm.root(r);
        let dk = vm.realm.names.done;
        let d = vm.get(r, dk)?;
        let done = super::interp::to_boolean(d);
        let vk = vm.realm.names.value;
        let value = vm.get(r, vk)?;
        vm.root(value);
        let wrapper = vm.promise_resolve(value)?;
        let unwrap = vm.realm.extra[if done {
            "%AsyncFromSyncUnwrapDone%"
        } else {
            "%AsyncFromSyncUnwrap%"
        }];
        vm.perform_then(wrapper, unwrap, Value::UNDEFINED, Some(p));
        Ok(None)
    })();
    match step {
        Ok(Some(r)) => vm.resolve_promise(p, r),
        Ok(None) => {}
        Err(e) if e.value == Value::HOLE => {
            vm.stack.truncate(mark);
            return Err(e);
        }
        Err(e) => vm.reject_promise(p, e.value),
    }
    vm.stack.truncate(mark);
    Ok(Value::heap(p))
}

/// The reactions of AsyncGeneratorAwaitReturn.
fn async_gen_return_settled(
    vm: &mut Vm,
    this: Value,
    rejected: bool,
    v: Value,
) -> Result<Value, Thrown> {
    if let Some(gen) = this.as_heap::<Object>() {
        let co = coroutine_of(&gen);
        co.awaiting_return.set(false);
        co.state.set(CoState::Completed);
        vm.async_gen_complete_step(gen, rejected, v, true);
        vm.async_gen_drain(gen);
    }
    Ok(Value::UNDEFINED)
}

/// The generator object `this`, or V8's TypeError for another receiver.
fn this_generator(vm: &mut Vm, this: Value, method: &str) -> Result<Gc<Object>, Thrown> {
    if let Some(o) = this.as_heap::<Object>() {
        if let ObjectClass::Generator(co) = &o.get().class {
            if co.kind == CoKind::Generator {
                return Ok(o);
            }
        }
    }
    let s = vm.to_display_string(this);
    Err(vm.type_error(&format!(
        "Method {method} called on incompatible receiver {s}"
    )))
}

/// %GeneratorPrototype%.next/return/throw: GeneratorResume and GeneratorResumeAbrupt
/// (ECMA-262 §27.5.3).
fn generator_resume(vm: &mut Vm, this: Value, mode: ResumeMode, v: Value) -> Result<Value, Thrown> {
    let name = match mode {
        ResumeMode::Next => "[Generator].prototype.next",
        ResumeMode::Throw => "[Generator].prototype.throw",
        ResumeMode::Return => "[Generator].prototype.return",
    };
    let gen = this_generator(vm, this, name)?;
    let ObjectClass::Generator(co) = &gen.get().class else {
        unreachable!()
    };
    let state = co.state.get();
    let finished = match state {
        CoState::Executing => return Err(vm.type_error("Generator is already running")),
        CoState::Completed => true,
        CoState::SuspendedStart if mode != ResumeMode::Next => {
            co.state.set(CoState::Completed);
            let mut sf = co.frame.borrow_mut();
            sf.regs = Vec::new();
            sf.args = Vec::new();
            sf.env = None;
            true
        }
        _ => false,
    };
    if finished {
        return match mode {
            ResumeMode::Next => Ok(iter_result(vm, Value::UNDEFINED, true)),
            ResumeMode::Return => Ok(iter_result(vm, v, true)),
            ResumeMode::Throw => Err(Thrown::new(v)),
        };
    }
    let out = vm.resume(gen, mode, v)?;
    let ObjectClass::Generator(co) = &gen.get().class else {
        unreachable!()
    };
    match co.state.get() {
        CoState::Completed => Ok(iter_result(vm, out, true)),
        // `yield*` passes the inner iterator's result object through.
        _ if co.yield_kind.get() == 3 => Ok(out),
        _ => Ok(iter_result(vm, out, false)),
    }
}

/// Installs %GeneratorFunction.prototype%, %GeneratorPrototype% and the async counterparts'
/// prototype chains (ECMA-262 §27.3–27.7).
pub fn install(vm: &mut Vm) {
    let r = &vm.realm;
    let (gp, agp, gfp, afp, agfp) = (
        r.generator_proto,
        r.async_generator_proto,
        r.generator_function_proto,
        r.async_function_proto,
        r.async_generator_function_proto,
    );
    let (fp, ip) = (r.function_proto, r.iterator_proto);
    gp.get().set_proto(&mut vm.heap, Some(ip));
    for p in [gfp, afp, agfp] {
        p.get().set_proto(&mut vm.heap, Some(fp));
    }
    vm.define_native(gp, "next", 1, |vm, this, a| {
        generator_resume(vm, this, ResumeMode::Next, arg(a, 0))
    });
    vm.define_native(gp, "return", 1, |vm, this, a| {
        generator_resume(vm, this, ResumeMode::Return, arg(a, 0))
    });
    vm.define_native(gp, "throw", 1, |vm, this, a| {
        generator_resume(vm, this, ResumeMode::Throw, arg(a, 0))
    });
    set_tag(vm, gp, "Generator");
    vm.define_native(agp, "next", 1, |vm, this, a| {
        vm.async_gen_request(this, ResumeMode::Next, arg(a, 0))
    });
    vm.define_native(agp, "return", 1, |vm, this, a| {
        vm.async_gen_request(this, ResumeMode::Return, arg(a, 0))
    });
    vm.define_native(agp, "throw", 1, |vm, this, a| {
        vm.async_gen_request(this, ResumeMode::Throw, arg(a, 0))
    });
    // %AsyncIteratorPrototype%: [Symbol.asyncIterator]() returns this.
    let aip = vm.new_object();
    let ak = super::object::Key::from_atom(vm.realm.sym_async_iterator.get().key);
    let self_iter = vm.new_native("[Symbol.asyncIterator]", 0, |_, this, _| Ok(this), false);
    aip.get()
        .define(&mut vm.heap, ak, Value::heap(self_iter), attrs::HIDDEN);
    agp.get().set_proto(&mut vm.heap, Some(aip));
    let afs = vm.new_object_with_proto(Some(aip));
    vm.define_native(afs, "next", 1, |vm, this, a| {
        async_from_sync(vm, this, 0, a)
    });
    vm.define_native(afs, "return", 1, |vm, this, a| {
        async_from_sync(vm, this, 1, a)
    });
    vm.define_native(afs, "throw", 1, |vm, this, a| {
        async_from_sync(vm, this, 2, a)
    });
    vm.realm
        .extra
        .insert("%AsyncFromSyncIteratorPrototype%", Value::heap(afs));
    let natives: [(&'static str, crate::vm::object::NativeFn); 6] = [
        ("%AsyncResumeFulfilled%", |vm, this, a| {
            vm.await_resumed(this, ResumeMode::Next, arg(a, 0))
        }),
        ("%AsyncResumeRejected%", |vm, this, a| {
            vm.await_resumed(this, ResumeMode::Throw, arg(a, 0))
        }),
        ("%AsyncGenReturnFulfilled%", |vm, this, a| {
            async_gen_return_settled(vm, this, false, arg(a, 0))
        }),
        ("%AsyncGenReturnRejected%", |vm, this, a| {
            async_gen_return_settled(vm, this, true, arg(a, 0))
        }),
        ("%AsyncFromSyncUnwrap%", |vm, _, a| {
            Ok(iter_result(vm, arg(a, 0), false))
        }),
        ("%AsyncFromSyncUnwrapDone%", |vm, _, a| {
            Ok(iter_result(vm, arg(a, 0), true))
        }),
    ];
    for (name, f) in natives {
        let n = vm.new_native("", 1, f, false);
        vm.realm.extra.insert(name, Value::heap(n));
    }
    set_tag(vm, gfp, "GeneratorFunction");
    set_tag(vm, afp, "AsyncFunction");
    set_tag(vm, agfp, "AsyncGeneratorFunction");
    set_tag(vm, agp, "AsyncGenerator");
    // GeneratorFunction.prototype.prototype is %GeneratorPrototype%, whose constructor is
    // GeneratorFunction.prototype (both configurable, not writable).
    let (pk, ck) = (vm.realm.names.prototype, vm.realm.names.constructor);
    gfp.get()
        .define(&mut vm.heap, pk, Value::heap(gp), attrs::CONFIGURABLE);
    gp.get()
        .define(&mut vm.heap, ck, Value::heap(gfp), attrs::CONFIGURABLE);
    agfp.get()
        .define(&mut vm.heap, pk, Value::heap(agp), attrs::CONFIGURABLE);
    agp.get()
        .define(&mut vm.heap, ck, Value::heap(agfp), attrs::CONFIGURABLE);
    // %GeneratorFunction%, %AsyncFunction%, %AsyncGeneratorFunction%: not globals; like
    // `Function` they compile source text (src/vm/builtins/eval.rs).
    use super::builtins::eval;
    let ctors: [(&'static str, Gc<Object>, super::object::NativeFn); 3] = [
        ("GeneratorFunction", gfp, eval::generator_function_ctor),
        ("AsyncFunction", afp, eval::async_function_ctor),
        (
            "AsyncGeneratorFunction",
            agfp,
            eval::async_generator_function_ctor,
        ),
    ];
    for (name, proto, f) in ctors {
        let c = vm.new_native(name, 1, f, true);
        c.get().define(&mut vm.heap, pk, Value::heap(proto), 0);
        proto
            .get()
            .define(&mut vm.heap, ck, Value::heap(c), attrs::CONFIGURABLE);
    }
}
