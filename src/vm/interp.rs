//! The interpreter: fetch, decode, dispatch over [`Op`]s, with frames on the VM's own stack so
//! a JavaScript call does not recurse on the Rust stack.
//!
//! ## Exceptions
//!
//! `Try` pushes a handler (the frame it belongs to, the catch pc, the environment to restore and
//! the register that receives the exception); `EndTry` pops it. A throw anywhere in the loop —
//! a `Throw` instruction, a failed operation, an error returned by a native — unwinds to the
//! innermost handler of a frame at or above the current `execute` call's floor, or, when there
//! is none, pops the frames down to the floor and returns the error to the caller (a native
//! that called back into JavaScript, or the embedder). `finally` blocks are compiled inline on
//! every exit path (see the compiler), so the VM knows only catch handlers.
//!
//! ## When a collection runs (the rooting rule, INV-2 as implemented)
//!
//! Only at the interpreter's allocation points ([`Vm::alloc`]), where every live value is in a
//! register, a frame, a handler or the realm. Allocation by native code (`Vm::heap.alloc`, the
//! `new_*` helpers) never collects. A native that calls back into JavaScript ([`Vm::call`])
//! can meet a collection there, so it first roots every heap value it still needs afterwards
//! and that is not already reachable (its arguments and `this` are: they sit in the caller's
//! registers) with [`Vm::root`]; the interpreter drops those roots when the native returns.

use std::rc::Rc;

use super::bytecode::Op;
use super::coroutine::{CoState, Coroutine, ResumeMode, SavedFrame};
use super::function::{CoKind, Code, Env, FnKind, IcEntry};
use super::object::{Key, Object, ObjectClass, Shape, Symbol};
use super::private::private_key;
use super::realm::Realm;
use super::string::JsString;
use super::value::Value;
use crate::gc::{EdgeName, Gc, GcKind, Heap, Tracer};
use crate::source::SourceFile;
use crate::syntax::ast::Span;

/// A thrown JavaScript value, with where it was thrown (when the VM knows).
#[derive(Debug)]
pub struct Thrown {
    pub value: Value,
    pub site: Option<(Rc<SourceFile>, Span)>,
}

impl Thrown {
    pub fn new(value: Value) -> Thrown {
        Thrown { value, site: None }
    }
}

// Pacing (see `gc/mod.rs`): every quantity is bytes of self size, never time, so a script
// collects at the same points on every run.

/// The smallest old generation at which a full collection starts. Not smaller: as V8's
/// initial old-generation limit does in node, it keeps small heaps free of automatic full
/// collections, so the tutorial's leak (one `gc()` per request, 1.3 MB of listeners each) sees
/// exactly one full collection per request, and its `'leak'` event and HeapDiff (+50,000
/// closures) come out as in node; 1 MiB made one more full collection mid-request (+40,000).
const FULL_MIN_BYTES: usize = 4 << 20;
/// After a full collection the next one starts when the old generation has grown by this
/// percentage of the live bytes: `next_full = max(FULL_MIN_BYTES, live × (100 + FULL_GROWTH_PCT) / 100)`.
/// 50% (Lua's GCPAUSE of 200% and clox's factor 2 let the heap double first): peak memory is
/// measured beside QuickJS's, which frees by reference counting as soon as it can.
const FULL_GROWTH_PCT: usize = 50;
/// The young generation's budget: a minor collection starts when the bytes allocated since the
/// last collection pass `clamp(old / YOUNG_DIVISOR, YOUNG_MIN_BYTES, YOUNG_MAX_BYTES)`.
///
/// Small on purpose: measured with callgrind against 4–8 MiB budgets, the bench programs run
/// 0.2–1.5% more instructions (more, shorter minor collections) while peak RSS of the
/// programs with a small live heap falls by a third to a half (closures.js 22 → 15 MiB,
/// strings.js 40 → 26, gc_churn.js 53 → 38);
/// a nursery this size also stays in the caches.
const YOUNG_MIN_BYTES: usize = 512 << 10;
const YOUNG_MAX_BYTES: usize = 2 << 20;
const YOUNG_DIVISOR: usize = 4;
/// Under `MINIJS_GC_STRESS=1` (a collection at every allocation point), every this-many-th
/// collection is a full one, the others minor ones.
const STRESS_FULL_EVERY: u64 = 8;

/// The deepest JavaScript call stack before `RangeError: Maximum call stack size exceeded`.
pub const MAX_FRAMES: usize = 10_000;
/// Native → JavaScript re-entries (each one a Rust-level `execute`) allowed at once.
const MAX_REENTRY: usize = 400;

pub(crate) struct Frame {
    pub code: Gc<Code>,
    /// The innermost closure environment of this activation.
    pub env: Option<Gc<Env>>,
    /// The `this` value of the call (`Value::HOLE` in a derived constructor before `super()`).
    pub this: Value,
    /// The function object being run.
    pub callee: Value,
    /// `new.target`: the constructor for a `new` call, undefined otherwise.
    pub new_target: Value,
    pub pc: usize,
    /// Index of register 0 in the value stack.
    pub base: usize,
    /// The stack slot that receives the return value.
    pub ret: usize,
    /// Where the arguments are on the stack, and how many were passed.
    pub args_at: usize,
    pub argc: u32,
    /// The generator or async activation object this frame runs (`coroutine.rs`).
    pub gen: Option<Gc<Object>>,
}

/// The write barrier for an inline-cache entry stored into `code` (INV-4).
#[inline]
fn ic_barrier(heap: &Heap, code: Gc<Code>, e: IcEntry) {
    heap.write_barrier(code, e.shape.map(Into::into));
    heap.write_barrier(code, e.holder.map(Into::into));
    heap.write_barrier(code, e.holder_shape.map(Into::into));
    heap.write_barrier(code, e.private.map(Into::into));
}

/// An active `try`: where to go when something throws inside it.
pub(crate) struct Handler {
    frame: usize,
    pc: usize,
    env: Option<Gc<Env>>,
    reg: u8,
}

pub struct Vm {
    pub heap: Heap,
    pub atoms: super::object::Atoms,
    pub realm: Realm,
    pub global: Gc<Object>,
    /// Collect when the heap's used bytes pass this (pacing by allocation, never by time):
    /// the end of the young generation's budget.
    next_gc: usize,
    /// A collection that starts with the old generation at or past this is a full one.
    next_full: usize,
    /// Collections asked for by the stress mode so far (every `STRESS_FULL_EVERY`th is full).
    stress_count: u64,
    /// `MINIJS_GC_STRESS=1`: collect at every allocation point.
    stress: bool,
    pub(crate) stack: Vec<Value>,
    pub(crate) frames: Vec<Frame>,
    handlers: Vec<Handler>,
    /// The value and site of the exception the last handler caught: a `ReThrow` of that value
    /// reports the original site (as V8 does for finally blocks). The value is only compared,
    /// never read: the handler's register keeps it alive until the rethrow.
    caught_site: Option<(Value, Rc<SourceFile>, Span)>,
    reentry: usize,
    /// `new.target` for the native constructor being called (read with `take_new_target`).
    new_target: Value,
    /// The native function being run (its captured slots: `callee_slot`).
    callee: Value,
    /// Whether top-level code is a CommonJS module (`Object.<anonymous>` in stack traces).
    pub module_mode: bool,
    /// In the REPL, stack traces leave out the REPL's own top-level frames.
    pub repl_mode: bool,
    pub out: super::output::Output,
    /// Extra roots of the embedder and the runtime (module cache, timers, listeners).
    pub host_roots: Vec<Value>,
    /// The runtime's queues and tables (timers, ticks, modules): roots too.
    pub host: crate::runtime::HostState,
    /// `--max-old-space-size`, in bytes: a collection that leaves more live ends the process.
    pub heap_limit: usize,
    /// `--trace-gc`: one line per collection on stdout, in node's shape.
    pub trace_gc: bool,
    /// What the last collection reported (the in-crate hook: kind, bytes, pause).
    pub last_gc: Option<GcEvent>,
    started: std::time::Instant,
}

/// One collection, as `--trace-gc`, memwatch and the heap statistics see it.
#[derive(Clone, Copy, Debug)]
pub struct GcEvent {
    /// node's name for it in `--trace-gc`: `Scavenge` (minor) or `Mark-Compact` (full).
    pub kind: &'static str,
    /// A full collection (memwatch's `num_full_gc`); a minor one otherwise (`num_inc_gc`).
    pub full: bool,
    pub used_before: usize,
    pub used_after: usize,
    pub pause: std::time::Duration,
    /// Objects moved (minijs's cells never move: always 0).
    pub moved: usize,
    /// Resident bytes given back to the system after a full collection (the non-moving
    /// heap's compaction, `gc::Allocator`); 0 when none.
    pub released: usize,
}

/// The default heap limit (node's default old-space size on 64-bit hosts is of this order).
pub const DEFAULT_HEAP_LIMIT_MB: usize = 4096;

impl Vm {
    pub fn new() -> Vm {
        let mut heap = Heap::new();
        let mut atoms = super::object::Atoms::default();
        let (realm, global) = Realm::bootstrap(&mut heap, &mut atoms);
        let mut vm = Vm {
            heap,
            atoms,
            realm,
            global,
            next_gc: YOUNG_MIN_BYTES,
            next_full: FULL_MIN_BYTES,
            stress_count: 0,
            stress: std::env::var_os("MINIJS_GC_STRESS").is_some_and(|v| v == "1"),
            stack: Vec::with_capacity(1 << 16),
            frames: Vec::new(),
            handlers: Vec::new(),
            caught_site: None,
            reentry: 0,
            new_target: Value::UNDEFINED,
            callee: Value::UNDEFINED,
            module_mode: false,
            repl_mode: false,
            out: super::output::Output::new(),
            host_roots: Vec::new(),
            host: crate::runtime::HostState::default(),
            heap_limit: DEFAULT_HEAP_LIMIT_MB << 20,
            trace_gc: false,
            last_gc: None,
            started: std::time::Instant::now(),
        };
        super::realm::install_globals(&mut vm);
        vm
    }

    pub fn flush(&mut self) {
        use std::io::Write;
        let _ = self.out.flush();
    }

    /// Loads a compiled script into the heap.
    pub fn load(&mut self, source: &Rc<SourceFile>, proto: super::function::Proto) -> Gc<Code> {
        Code::load(
            &mut self.heap,
            &mut self.atoms,
            source,
            self.realm.array_shape,
            proto,
        )
    }

    /// The property key named by a string constant (constants are atoms: `Code::load`).
    #[inline]
    fn key_of(code: Gc<Code>, idx: u16) -> Key {
        match code.get().consts[idx as usize].as_heap::<JsString>() {
            Some(s) => Key::from_atom(s),
            None => unreachable!("the compiler names properties with string constants"),
        }
    }

    /// Runs a script's top-level code, with `this` = the global object.
    pub fn run_script(&mut self, code: Gc<Code>) -> Result<Value, Thrown> {
        let f = self.new_closure(code, None, Value::HOLE, None);
        self.call(Value::heap(f), Value::heap(self.global), &[])
    }

    /// A closure object for `code`.
    pub(crate) fn new_closure(
        &mut self,
        code: Gc<Code>,
        env: Option<Gc<Env>>,
        this: Value,
        home: Option<Gc<Object>>,
    ) -> Gc<Object> {
        let shape = match code.get().co {
            CoKind::None => self.realm.function_shape,
            co => {
                let proto = match co {
                    CoKind::Generator => self.realm.generator_function_proto,
                    CoKind::Async => self.realm.async_function_proto,
                    _ => self.realm.async_generator_function_proto,
                };
                self.realm.shape_for_proto(&mut self.heap, proto)
            }
        };
        let class = ObjectClass::Closure {
            code,
            env,
            this,
            home,
        };
        self.heap.alloc(Object::with_class(shape, class))
    }

    /// Defines the global `gc()` (`--expose-gc`): a full collection. It holds no heap values
    /// of its own, so it may collect from inside a native call.
    pub fn expose_gc(&mut self) {
        let global = self.global;
        let f = self.new_native(
            "gc",
            0,
            |vm, _, _| {
                vm.collect();
                Ok(Value::UNDEFINED)
            },
            false,
        );
        let k = self.intern("gc");
        global.get().define(
            &mut self.heap,
            k,
            Value::heap(f),
            super::object::attrs::WRITABLE | super::object::attrs::ENUMERABLE,
        );
    }

    /// Roots a value until the current native returns (INV-3: see the module comment).
    pub fn root(&mut self, v: Value) {
        self.stack.push(v);
    }

    /// Slot `i` of the running native's captured values (`ObjectClass::Native::slots`);
    /// undefined when it has none. Valid for the whole native call, across nested calls.
    pub fn callee_slot(&self, i: usize) -> Value {
        let Some(f) = self.callee.as_heap::<Object>() else {
            return Value::UNDEFINED;
        };
        match &f.get().class {
            ObjectClass::Native { slots: Some(s), .. } => {
                s.get(i).map_or(Value::UNDEFINED, |c| c.get())
            }
            _ => Value::UNDEFINED,
        }
    }

    /// Writes slot `i` of the running native's captured values.
    pub fn set_callee_slot(&self, i: usize, v: Value) {
        if let Some(f) = self.callee.as_heap::<Object>() {
            if let ObjectClass::Native { slots: Some(s), .. } = &f.get().class {
                if let Some(c) = s.get(i) {
                    c.set(v);
                }
            }
        }
    }

    /// `new.target` of the current native constructor call (undefined for a plain call).
    /// Read it first thing: any nested call resets it.
    pub fn take_new_target(&mut self) -> Value {
        std::mem::replace(&mut self.new_target, Value::UNDEFINED)
    }

    /// Calls a function value.
    pub fn call(&mut self, f: Value, this: Value, args: &[Value]) -> Result<Value, Thrown> {
        self.invoke(f, this, args, Value::UNDEFINED)
    }

    /// `new f(...args)` with the given `new.target`.
    pub fn construct(
        &mut self,
        f: Value,
        args: &[Value],
        new_target: Value,
    ) -> Result<Value, Thrown> {
        let Some(fo) = f.as_heap::<Object>() else {
            return Err(self.type_error("value is not a constructor"));
        };
        match &fo.get().class {
            ObjectClass::Closure { code, .. } if code.get().is_constructor() => {
                self.invoke(f, Value::HOLE, args, new_target)
            }
            ObjectClass::Native { ctor: true, .. } => {
                self.invoke(f, Value::UNDEFINED, args, new_target)
            }
            ObjectClass::Bound {
                target,
                args: bound,
                ..
            } => {
                let (target, mut all) = (*target, bound.to_vec());
                all.extend_from_slice(args);
                let nt = if new_target == f { target } else { new_target };
                self.construct(target, &all, nt)
            }
            _ => {
                let name = self.callee_name(f);
                Err(self.type_error(&format!("{name} is not a constructor")))
            }
        }
    }

    /// Calls or constructs from native code: pushes the callee, `this` and the arguments on the
    /// value stack (rooting them) and runs the callee to completion.
    fn invoke(
        &mut self,
        f: Value,
        this: Value,
        args: &[Value],
        new_target: Value,
    ) -> Result<Value, Thrown> {
        if self.reentry >= MAX_REENTRY {
            return Err(self.range_error("Maximum call stack size exceeded"));
        }
        let at = self.stack.len();
        self.stack.push(f);
        self.stack.push(this);
        self.stack.extend_from_slice(args);
        self.stack.push(Value::UNDEFINED); // the return slot
        let ret = self.stack.len() - 1;
        self.reentry += 1;
        let r = self.call_value(at, args.len() as u32, ret, new_target, None);
        let r = match r {
            Ok(true) => {
                let floor = self.frames.len() - 1;
                self.execute(floor)
            }
            Ok(false) => Ok(self.stack[ret]),
            Err(e) => Err(e),
        };
        self.reentry -= 1;
        self.stack.truncate(at);
        r
    }

    /// Resumes a suspended coroutine (`coroutine.rs`): its saved frame goes back on the stack
    /// and runs until it yields, awaits, returns or throws. The coroutine's state afterwards
    /// tells a suspension (`SuspendedYield`/`SuspendedStart`, with the yielded value) from a
    /// return (`Completed`, with the returned value).
    pub(crate) fn resume(
        &mut self,
        gen: Gc<Object>,
        mode: ResumeMode,
        sent: Value,
    ) -> Result<Value, Thrown> {
        let ObjectClass::Generator(co) = &gen.get().class else {
            return Err(self.type_error("not a generator"));
        };
        if self.reentry >= MAX_REENTRY || self.frames.len() >= MAX_FRAMES {
            return Err(self.range_error("Maximum call stack size exceeded"));
        }
        co.state.set(CoState::Executing);
        let at = self.stack.len();
        let floor = self.frames.len();
        {
            let sf = co.frame.borrow();
            self.stack.extend_from_slice(&sf.args);
            self.stack.push(Value::UNDEFINED); // the return slot
            let base = self.stack.len();
            self.stack.extend_from_slice(&sf.regs);
            if let Some(r) = sf.resume_reg {
                self.stack[base + r as usize] = sent;
                self.stack[base + r as usize + 1] = Value::int(mode as i32);
            }
            self.frames.push(Frame {
                code: sf.code,
                env: sf.env,
                this: sf.this,
                callee: sf.callee,
                new_target: Value::UNDEFINED,
                pc: sf.pc,
                base,
                ret: base - 1,
                args_at: at,
                argc: sf.args.len() as u32,
                gen: Some(gen),
            });
            for &(pc, env, reg) in &sf.handlers {
                self.handlers.push(Handler {
                    frame: floor,
                    pc,
                    env,
                    reg,
                });
            }
        }
        self.reentry += 1;
        let r = self.execute(floor);
        self.reentry -= 1;
        self.stack.truncate(at);
        if co.state.get() == CoState::Executing {
            co.state.set(CoState::Completed);
            let mut sf = co.frame.borrow_mut();
            sf.regs = Vec::new();
            sf.args = Vec::new();
            sf.handlers = Vec::new();
            sf.env = None;
        }
        r
    }

    /// Calls a generator, async function or async generator: makes its activation object
    /// with the parameters in place and starts it (`coroutine.rs`).
    fn start_coroutine(
        &mut self,
        callee: Value,
        code: Gc<Code>,
        env: Option<Gc<Env>>,
        this: Value,
        args: Vec<Value>,
    ) -> Result<Value, Thrown> {
        let c = code.get();
        let mut regs = vec![Value::UNDEFINED; c.nregs as usize];
        for (r, a) in regs.iter_mut().zip(args.iter()).take(c.nparams as usize) {
            *r = *a;
        }
        let kind = c.co;
        let frame = SavedFrame {
            code,
            env,
            this,
            callee,
            pc: 0,
            resume_reg: None,
            regs,
            args,
            handlers: Vec::new(),
        };
        let proto = match kind {
            CoKind::Generator | CoKind::AsyncGenerator => {
                let pk = self.realm.names.prototype;
                let default = if kind == CoKind::Generator {
                    self.realm.generator_proto
                } else {
                    self.realm.async_generator_proto
                };
                match self.get(callee, pk)?.as_heap::<Object>() {
                    Some(p) => Some(p),
                    None => Some(default),
                }
            }
            _ => None,
        };
        let shape = match proto {
            Some(p) => self.realm.shape_for_proto(&mut self.heap, p),
            None => self.realm.null_shape,
        };
        let class = ObjectClass::Generator(Box::new(Coroutine::new(kind, frame)));
        let gen = self.heap.alloc(Object::with_class(shape, class));
        match kind {
            CoKind::Async => self.async_start(gen),
            _ => {
                // Runs the parameter initialisation up to the implicit first `Yield`.
                self.resume(gen, ResumeMode::Next, Value::UNDEFINED)?;
                Ok(Value::heap(gen))
            }
        }
    }

    /// Starts a call whose callee is at `stack[at]`, `this` at `at + 1` and `argc` arguments
    /// after it. A native runs to completion (`Ok(false)`, its result stored at `ret`); a
    /// closure gets a new frame (`Ok(true)`): the caller's loop continues in it.
    fn call_value(
        &mut self,
        at: usize,
        argc: u32,
        ret: usize,
        new_target: Value,
        caller_pc: Option<usize>,
    ) -> Result<bool, Thrown> {
        let f = self.stack[at];
        if let Some(pc) = caller_pc {
            self.frames.last_mut().expect("a frame").pc = pc;
        }
        let Some(fobj) = f.as_heap::<Object>() else {
            return Err(self.not_a_function(f, caller_pc));
        };
        let first_arg = at + 2;
        match &fobj.get().class {
            ObjectClass::Closure {
                code,
                env,
                this: lexical_this,
                ..
            } => {
                let (code, env, lexical_this) = (*code, *env, *lexical_this);
                let kind = code.get().kind;
                if self.frames.len() >= MAX_FRAMES {
                    return Err(self.range_error("Maximum call stack size exceeded"));
                }
                if code.get().co != CoKind::None {
                    if !new_target.is_undefined() {
                        let name = code.get().name.to_string();
                        return Err(self.type_error(&format!("{name} is not a constructor")));
                    }
                    let this = if kind == FnKind::Arrow {
                        lexical_this
                    } else {
                        match self.stack[at + 1] {
                            v if v.is_nullish() => Value::heap(self.global),
                            v => v,
                        }
                    };
                    let args = self.stack[first_arg..first_arg + argc as usize].to_vec();
                    let v = self.start_coroutine(f, code, env, this, args)?;
                    self.stack[ret] = v;
                    return Ok(false);
                }
                let this = if kind == FnKind::Arrow {
                    lexical_this
                } else if new_target.is_undefined() {
                    if matches!(kind, FnKind::ClassCtor | FnKind::DerivedCtor) {
                        let name = code.get().name.to_string();
                        return Err(self.type_error(&format!(
                            "Class constructor {name} cannot be invoked without 'new'"
                        )));
                    }
                    // Sloppy functions see the global object for an undefined `this`.
                    match self.stack[at + 1] {
                        v if v.is_nullish() => Value::heap(self.global),
                        v => v,
                    }
                } else if kind == FnKind::DerivedCtor {
                    Value::HOLE
                } else {
                    let proto = self.prototype_for(new_target, self.realm.object_proto)?;
                    let shape = self.realm.shape_for_proto(&mut self.heap, proto);
                    Value::heap(self.heap.alloc(Object::new(shape)))
                };
                let nregs = code.get().nregs as usize;
                let nparams = code.get().nparams as usize;
                let new_base = self.stack.len().max(first_arg + argc as usize);
                self.stack.resize(new_base + nregs, Value::UNDEFINED);
                for i in 0..nparams.min(argc as usize) {
                    self.stack[new_base + i] = self.stack[first_arg + i];
                }
                if let Some(pc) = caller_pc {
                    self.frames.last_mut().expect("a frame").pc = pc;
                }
                self.frames.push(Frame {
                    code,
                    env,
                    this,
                    callee: f,
                    new_target,
                    pc: 0,
                    base: new_base,
                    ret,
                    args_at: first_arg,
                    argc,
                    gen: None,
                });
                Ok(true)
            }
            ObjectClass::Native { f: native, .. } => {
                let native = *native;
                if let Some(pc) = caller_pc {
                    self.frames.last_mut().expect("a frame").pc = pc;
                }
                // The arguments are copied out of the stack (the native may grow it); up to
                // eight of them in a buffer on the Rust stack rather than a new Vec per call.
                // They stay rooted: the stack slots they came from are kept until it returns.
                let n = argc as usize;
                let mut small = [Value::UNDEFINED; 8];
                let large: Vec<Value>;
                let args: &[Value] = if n <= small.len() {
                    small[..n].copy_from_slice(&self.stack[first_arg..first_arg + n]);
                    &small[..n]
                } else {
                    large = self.stack[first_arg..first_arg + n].to_vec();
                    &large
                };
                let this = self.stack[at + 1];
                let mark = self.stack.len();
                self.new_target = new_target;
                let outer = std::mem::replace(&mut self.callee, f);
                let r = native(self, this, args);
                self.callee = outer;
                self.new_target = Value::UNDEFINED;
                self.stack.truncate(mark);
                self.stack[ret] = r?;
                Ok(false)
            }
            ObjectClass::Bound {
                target,
                this: bound_this,
                args: bound,
            } => {
                let (target, bound_this, bound) = (*target, *bound_this, bound.clone());
                let args: Vec<Value> = self.stack[first_arg..first_arg + argc as usize].to_vec();
                let mut all = bound.to_vec();
                all.extend_from_slice(&args);
                if let Some(pc) = caller_pc {
                    self.frames.last_mut().expect("a frame").pc = pc;
                }
                let v = if new_target.is_undefined() {
                    self.call(target, bound_this, &all)?
                } else {
                    self.construct(target, &all, new_target)?
                };
                self.stack[ret] = v;
                Ok(false)
            }
            _ => Err(self.not_a_function(f, caller_pc)),
        }
    }

    /// `F.prototype` when it is an object, else the given default (for `new` and
    /// `Reflect.construct`-style object creation).
    pub fn prototype_for(
        &mut self,
        new_target: Value,
        default: Gc<Object>,
    ) -> Result<Gc<Object>, Thrown> {
        let key = self.realm.names.prototype;
        let p = self.get(new_target, key)?;
        Ok(p.as_heap::<Object>().unwrap_or(default))
    }

    fn not_a_function(&mut self, f: Value, _pc: Option<usize>) -> Thrown {
        let what = self.describe_callee(f);
        self.type_error(&format!("{what} is not a function"))
    }

    /// How V8 names a callee in "is not a function": the source text of the callee expression
    /// when the compiler recorded it, else the value.
    fn describe_callee(&mut self, f: Value) -> String {
        if let Some(frame) = self.frames.last() {
            let code = frame.code.get();
            let at = frame.pc.saturating_sub(1);
            if let Some(span) = code.spans.get(at) {
                if let Some(text) = callee_text(&code.source, *span) {
                    return text;
                }
            }
        }
        self.to_display_string(f)
    }

    /// The name used for a function in messages.
    pub fn callee_name(&mut self, f: Value) -> String {
        match f.as_heap::<Object>().as_ref().map(|o| &o.get().class) {
            Some(ObjectClass::Closure { code, .. }) => code.get().name.to_string(),
            Some(ObjectClass::Native { name, .. }) => name.to_string(),
            _ => self.to_display_string(f),
        }
    }

    /// Runs frames until the frame at `floor` returns.
    fn execute(&mut self, floor: usize) -> Result<Value, Thrown> {
        loop {
            let thrown = match self.run_frames(floor) {
                Ok(v) => return Ok(v),
                Err(t) => t,
            };
            // Unwind to the innermost handler at or above the floor.
            match self.handlers.last() {
                // `process.exit()` unwinds with the HOLE marker, which no handler catches.
                Some(h)
                    if h.frame >= floor
                        && h.frame < self.frames.len()
                        && thrown.value != Value::HOLE =>
                {
                    let h = self.handlers.pop().expect("checked");
                    let frame_base;
                    {
                        while self.frames.len() > h.frame + 1 {
                            self.frames.pop();
                        }
                        let f = self.frames.last_mut().expect("the handler's frame");
                        f.env = h.env;
                        f.pc = h.pc;
                        frame_base = f.base;
                        let nregs = f.code.get().nregs as usize;
                        self.stack.truncate(frame_base + nregs);
                    }
                    self.stack[frame_base + h.reg as usize] = thrown.value;
                    self.caught_site = thrown.site.map(|(f, span)| (thrown.value, f, span));
                }
                _ => {
                    if let Some(f) = self.frames.get(floor) {
                        let base = f.base;
                        self.stack.truncate(base);
                    }
                    self.frames.truncate(floor);
                    while self.handlers.last().is_some_and(|h| h.frame >= floor) {
                        self.handlers.pop();
                    }
                    return Err(thrown);
                }
            }
        }
    }

    /// The dispatch loop proper: returns the value of the frame at `floor`, or the first throw.
    fn run_frames(&mut self, floor: usize) -> Result<Value, Thrown> {
        // The current frame's code, register base and pc live in locals; the frame stack is
        // touched only when a call or a return switches frames (the frame's own `pc` is then
        // saved or reloaded).
        let top = self.frames.last().expect("a frame");
        let (mut code, mut base, mut pc) = (top.code, top.base, top.pc);
        loop {
            let at = pc;
            let op = code.get().ops[at];
            pc += 1;
            macro_rules! r {
                ($reg:expr) => {
                    self.stack[base + $reg.0 as usize]
                };
            }
            // Saves the pc (stack traces read it) and propagates an error with its site.
            macro_rules! tri {
                ($e:expr) => {
                    match $e {
                        Ok(v) => v,
                        Err(mut t) => {
                            self.frames.last_mut().expect("a frame").pc = pc;
                            if t.site.is_none() {
                                t.site = Some((code.get().source.clone(), code.get().spans[at]));
                            }
                            return Err(t);
                        }
                    }
                };
            }
            macro_rules! sync {
                () => {
                    self.frames.last_mut().expect("a frame").pc = pc
                };
            }
            macro_rules! arith {
                ($dst:expr, $a:expr, $b:expr, $f:expr) => {{
                    let (va, vb) = (r!($a), r!($b));
                    let (x, y) = match (va.as_number(), vb.as_number()) {
                        (Some(x), Some(y)) => (x, y),
                        _ => {
                            sync!();
                            let x = tri!(self.to_number(va));
                            let y = tri!(self.to_number(vb));
                            (x, y)
                        }
                    };
                    r!($dst) = Value::number($f(x, y));
                }};
            }
            macro_rules! int32 {
                ($dst:expr, $a:expr, $b:expr, $f:expr) => {{
                    let (va, vb) = (r!($a), r!($b));
                    let (x, y) = match (va.as_int(), vb.as_int()) {
                        (Some(x), Some(y)) => (x, y),
                        _ => {
                            sync!();
                            let x = tri!(self.to_number(va));
                            let y = tri!(self.to_number(vb));
                            (to_int32(x), to_int32(y))
                        }
                    };
                    r!($dst) = Value::number($f(x, y) as f64);
                }};
            }
            macro_rules! compare {
                ($dst:expr, $a:expr, $b:expr, $fast:expr, $slow:expr) => {{
                    let (va, vb) = (r!($a), r!($b));
                    r!($dst) = match (va.as_number(), vb.as_number()) {
                        (Some(x), Some(y)) => Value::bool($fast(x, y)),
                        _ => {
                            sync!();
                            Value::bool(tri!($slow(self, va, vb)))
                        }
                    };
                }};
            }
            match op {
                Op::LoadConst { dst, idx } => r!(dst) = code.get().consts[idx.0 as usize],
                Op::LoadUndefined { dst } => r!(dst) = Value::UNDEFINED,
                Op::LoadNull { dst } => r!(dst) = Value::NULL,
                Op::LoadTrue { dst } => r!(dst) = Value::TRUE,
                Op::LoadFalse { dst } => r!(dst) = Value::FALSE,
                Op::LoadHole { dst } => r!(dst) = Value::HOLE,
                Op::LoadInt { dst, value } => r!(dst) = Value::int(value.0 as i32),
                Op::Move { dst, src } => r!(dst) = r!(src),
                Op::Add { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    r!(dst) = match (x.as_int(), y.as_int()) {
                        (Some(p), Some(q)) => match p.checked_add(q) {
                            Some(s) => Value::int(s),
                            None => Value::number(p as f64 + q as f64),
                        },
                        _ => match (x.as_number(), y.as_number()) {
                            (Some(p), Some(q)) => Value::number(p + q),
                            _ => {
                                sync!();
                                let v = tri!(self.add_slow(x, y));
                                if self.needs_gc() {
                                    r!(dst) = v;
                                    self.collect_auto();
                                }
                                v
                            }
                        },
                    };
                }
                Op::Sub { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if let (Some(p), Some(q)) = (x.as_int(), y.as_int()) {
                        if let Some(s) = p.checked_sub(q) {
                            r!(dst) = Value::int(s);
                            continue;
                        }
                    }
                    arith!(dst, a, b, |x: f64, y: f64| x - y)
                }
                Op::Mul { dst, a, b } => arith!(dst, a, b, |x: f64, y: f64| x * y),
                Op::Div { dst, a, b } => arith!(dst, a, b, |x: f64, y: f64| x / y),
                Op::Rem { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if let (Some(p), Some(q)) = (x.as_int(), y.as_int()) {
                        if p >= 0 && q > 0 {
                            r!(dst) = Value::int(p % q);
                            continue;
                        }
                    }
                    arith!(dst, a, b, js_rem)
                }
                Op::Exp { dst, a, b } => arith!(dst, a, b, js_pow),
                Op::Shl { dst, a, b } => {
                    int32!(dst, a, b, |x: i32, y: i32| x.wrapping_shl(y as u32 & 31))
                }
                Op::Shr { dst, a, b } => int32!(dst, a, b, |x: i32, y: i32| x >> (y as u32 & 31)),
                Op::UShr { dst, a, b } => {
                    let (va, vb) = (r!(a), r!(b));
                    sync!();
                    let x = to_int32(tri!(self.to_number(va))) as u32;
                    let y = to_int32(tri!(self.to_number(vb))) as u32;
                    r!(dst) = Value::number((x >> (y & 31)) as f64);
                }
                Op::BitAnd { dst, a, b } => int32!(dst, a, b, |x: i32, y: i32| x & y),
                Op::BitOr { dst, a, b } => int32!(dst, a, b, |x: i32, y: i32| x | y),
                Op::BitXor { dst, a, b } => int32!(dst, a, b, |x: i32, y: i32| x ^ y),
                Op::StrictEq { dst, a, b } => r!(dst) = Value::bool(strict_equals(r!(a), r!(b))),
                Op::StrictNe { dst, a, b } => r!(dst) = Value::bool(!strict_equals(r!(a), r!(b))),
                Op::Eq { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    sync!();
                    r!(dst) = Value::bool(tri!(self.loose_equals(x, y)))
                }
                Op::Ne { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    sync!();
                    r!(dst) = Value::bool(!tri!(self.loose_equals(x, y)))
                }
                Op::Lt { dst, a, b } => {
                    compare!(dst, a, b, |x: f64, y: f64| x < y, |vm: &mut Vm, x, y| vm
                        .less_than(x, y, true)
                        .map(|r| r == Some(true)))
                }
                Op::Gt { dst, a, b } => {
                    compare!(dst, a, b, |x: f64, y: f64| x > y, |vm: &mut Vm, x, y| vm
                        .less_than(y, x, false)
                        .map(|r| r == Some(true)))
                }
                Op::Le { dst, a, b } => {
                    compare!(dst, a, b, |x: f64, y: f64| x <= y, |vm: &mut Vm, x, y| vm
                        .less_than(y, x, false)
                        .map(|r| r == Some(false)))
                }
                Op::Ge { dst, a, b } => {
                    compare!(dst, a, b, |x: f64, y: f64| x >= y, |vm: &mut Vm, x, y| vm
                        .less_than(x, y, true)
                        .map(|r| r == Some(false)))
                }
                Op::InstanceOf { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    sync!();
                    r!(dst) = Value::bool(tri!(self.instance_of(x, y)));
                }
                Op::In { dst, a, b } => {
                    let (k, o) = (r!(a), r!(b));
                    sync!();
                    r!(dst) = Value::bool(tri!(self.has_property_value(o, k)));
                }
                Op::Neg { dst, src } => {
                    let v = r!(src);
                    r!(dst) = match v.as_int() {
                        Some(i) if i != 0 && i != i32::MIN => Value::int(-i),
                        _ => {
                            sync!();
                            Value::number(-tri!(self.to_number(v)))
                        }
                    }
                }
                Op::ToNumber { dst, src } => {
                    let v = r!(src);
                    if !v.is_number() {
                        sync!();
                        r!(dst) = Value::number(tri!(self.to_number(v)));
                    } else {
                        r!(dst) = v;
                    }
                }
                Op::ToStr { dst, src } => {
                    let v = r!(src);
                    if v.as_heap::<JsString>().is_none() {
                        sync!();
                        let s = tri!(self.to_string(v));
                        r!(dst) = Value::heap(s);
                    } else {
                        r!(dst) = v;
                    }
                }
                Op::Not { dst, src } => r!(dst) = Value::bool(!to_boolean(r!(src))),
                Op::BitNot { dst, src } => {
                    let v = r!(src);
                    sync!();
                    r!(dst) = Value::number(!to_int32(tri!(self.to_number(v))) as f64)
                }
                Op::Inc { dst, src } => {
                    let v = r!(src);
                    r!(dst) = match v.as_int() {
                        Some(i) if i < i32::MAX => Value::int(i + 1),
                        _ => {
                            sync!();
                            Value::number(tri!(self.to_number(v)) + 1.0)
                        }
                    }
                }
                Op::Dec { dst, src } => {
                    let v = r!(src);
                    r!(dst) = match v.as_int() {
                        Some(i) if i > i32::MIN => Value::int(i - 1),
                        _ => {
                            sync!();
                            Value::number(tri!(self.to_number(v)) - 1.0)
                        }
                    }
                }
                Op::TypeOf { dst, src } => {
                    let t = self.type_of(r!(src));
                    r!(dst) = Value::heap(t.string());
                }
                Op::TypeOfGlobal { dst, name } => {
                    let k = Self::key_of(code, name.0);
                    let v = match self.global_lookup(k) {
                        Some(v) => v,
                        None => Value::UNDEFINED,
                    };
                    let v = if v == Value::HOLE {
                        Value::UNDEFINED
                    } else {
                        v
                    };
                    let t = self.type_of(v);
                    r!(dst) = Value::heap(t.string());
                }
                Op::Jmp { offset } => pc = jump(pc, offset.0),
                Op::JmpTrue { cond, offset } => {
                    if to_boolean(r!(cond)) {
                        pc = jump(pc, offset.0)
                    }
                }
                Op::JmpFalse { cond, offset } => {
                    if !to_boolean(r!(cond)) {
                        pc = jump(pc, offset.0)
                    }
                }
                Op::JmpNullish { cond, offset } => {
                    if r!(cond).is_nullish() {
                        pc = jump(pc, offset.0)
                    }
                }
                Op::JmpUndefined { cond, offset } => {
                    if r!(cond).is_undefined() {
                        pc = jump(pc, offset.0)
                    }
                }
                Op::GetGlobal { dst, name, ic } => {
                    let g = self.global.get();
                    let entry = &code.get().ics[ic.0 as usize];
                    if let (Some(shape), Some(cached)) = (g.shape(), entry.get().shape) {
                        if shape == cached {
                            let v = g.slot(entry.get().slot);
                            if v != Value::HOLE {
                                r!(dst) = v;
                                continue;
                            }
                        }
                    }
                    let k = Self::key_of(code, name.0);
                    if let Some(shape) = g.shape() {
                        if let Some((slot, a)) = Shape::lookup(shape, k) {
                            if a & super::object::attrs::ACCESSOR == 0 {
                                entry.set(IcEntry::own(shape, slot));
                                self.heap.write_barrier(code, Some(shape.into()));
                            }
                        }
                    }
                    sync!();
                    match self.global_lookup(k) {
                        None => {
                            let n = k.string().get().to_rust_string();
                            tri!(Err(self.reference_error(&format!("{n} is not defined"))));
                        }
                        Some(Value::HOLE) => {
                            let n = k.string().get().to_rust_string();
                            tri!(Err(self.reference_error(&format!(
                                "Cannot access '{n}' before initialization"
                            ))));
                        }
                        Some(_) => {}
                    }
                    let global = Value::heap(self.global);
                    r!(dst) = tri!(self.get(global, k));
                }
                Op::SetGlobal { src, name, ic } => {
                    let global = self.global;
                    let entry = &code.get().ics[ic.0 as usize];
                    let v = r!(src);
                    if let (Some(shape), Some(cached)) = (global.get().shape(), entry.get().shape) {
                        if shape == cached {
                            global.get().set_slot(&self.heap, entry.get().slot, v);
                            continue;
                        }
                    }
                    let k = Self::key_of(code, name.0);
                    sync!();
                    tri!(self.put(Value::heap(global), k, v));
                    if let Some(shape) = global.get().shape() {
                        if let Some((slot, attrs)) = Shape::lookup(shape, k) {
                            if attrs & super::object::attrs::WRITABLE != 0
                                && attrs & super::object::attrs::ACCESSOR == 0
                            {
                                entry.set(IcEntry::own(shape, slot));
                                self.heap.write_barrier(code, Some(shape.into()));
                            }
                        }
                    }
                }
                Op::DeclareGlobal { name, kind } => {
                    let k = Self::key_of(code, name.0);
                    let g = self.global;
                    if g.get().get_own(k).is_none() {
                        // var/function: undefined; let/const/class: in their TDZ.
                        let v = if kind.0 == 0 {
                            Value::UNDEFINED
                        } else {
                            Value::HOLE
                        };
                        let a = if kind.0 == 0 {
                            super::object::attrs::WRITABLE | super::object::attrs::ENUMERABLE
                        } else {
                            super::object::attrs::WRITABLE
                        };
                        g.get().define(&mut self.heap, k, v, a);
                    }
                }
                Op::GetProp { dst, obj, name, ic } => {
                    let o = r!(obj);
                    if let Some(ob) = o.as_heap::<Object>() {
                        let entry = code.get().ics[ic.0 as usize].get();
                        let obr = ob.get();
                        if let (Some(shape), Some(cached)) = (obr.shape(), entry.shape) {
                            if shape == cached {
                                match entry.holder {
                                    None => {
                                        r!(dst) = obr.slot(entry.slot);
                                        continue;
                                    }
                                    Some(h) => {
                                        if h.get().shape() == entry.holder_shape {
                                            r!(dst) = h.get().slot(entry.slot);
                                            continue;
                                        }
                                    }
                                }
                            }
                        }
                        let k = Self::key_of(code, name.0);
                        // An array's `length` (virtual, so never in a cache): `i < a.length`
                        // in every loop.
                        if k == self.realm.names.length
                            && matches!(obr.class, ObjectClass::Array)
                            && obr.get_own(k).is_none()
                        {
                            r!(dst) = Value::number(obr.elements_len() as f64);
                            continue;
                        }
                        if let Some(e) = IcEntry::probe(ob, k) {
                            code.get().ics[ic.0 as usize].set(e);
                            ic_barrier(&self.heap, code, e);
                        }
                        sync!();
                        r!(dst) = tri!(self.get(o, k));
                    } else {
                        let k = Self::key_of(code, name.0);
                        sync!();
                        r!(dst) = tri!(self.get(o, k));
                    }
                }
                Op::SetProp { obj, name, src, ic } => {
                    let (o, v) = (r!(obj), r!(src));
                    if let Some(ob) = o.as_heap::<Object>() {
                        let entry = code.get().ics[ic.0 as usize].get();
                        let obr = ob.get();
                        if let (Some(shape), Some(cached)) = (obr.shape(), entry.shape) {
                            if shape == cached && entry.holder.is_none() {
                                obr.set_slot(&self.heap, entry.slot, v);
                                continue;
                            }
                        }
                        let k = Self::key_of(code, name.0);
                        sync!();
                        tri!(self.put(o, k, v));
                        if let Some(shape) = obr.shape() {
                            if let Some((slot, a)) = Shape::lookup(shape, k) {
                                if a & super::object::attrs::WRITABLE != 0
                                    && a & super::object::attrs::ACCESSOR == 0
                                {
                                    code.get().ics[ic.0 as usize].set(IcEntry::own(shape, slot));
                                    self.heap.write_barrier(code, Some(shape.into()));
                                }
                            }
                        }
                    } else {
                        let k = Self::key_of(code, name.0);
                        sync!();
                        tri!(self.put(o, k, v));
                    }
                }
                Op::NewPrivateName { dst, name, brand } => {
                    self.safepoint(pc);
                    let consts = &code.get().consts;
                    let text = consts[name.0 as usize]
                        .as_heap::<JsString>()
                        .expect("a string constant");
                    let brand = consts[brand.0 as usize]
                        .as_heap::<JsString>()
                        .filter(|b| !b.get().is_empty());
                    sync!();
                    let s = self.new_private_name(text, brand);
                    r!(dst) = Value::heap(s);
                }
                Op::GetPrivate { dst, obj, key, ic } => {
                    let (o, n) = (r!(obj), r!(key));
                    if let (Some(ob), Some(name)) = (o.as_heap::<Object>(), n.as_heap::<Symbol>()) {
                        let obr = ob.get();
                        if let Some(shape) = obr.shape() {
                            let entry = code.get().ics[ic.0 as usize].get();
                            let k = name.get().key;
                            if entry.shape == Some(shape) && entry.private == Some(k) {
                                r!(dst) = obr.slot(entry.slot);
                                continue;
                            }
                            if let Some((slot, a)) = Shape::lookup(shape, private_key(name)) {
                                if a & super::object::attrs::ACCESSOR == 0 {
                                    let e = IcEntry::private(shape, slot, k);
                                    code.get().ics[ic.0 as usize].set(e);
                                    ic_barrier(&self.heap, code, e);
                                    r!(dst) = obr.slot(slot);
                                    continue;
                                }
                            }
                        }
                    }
                    sync!();
                    r!(dst) = tri!(self.private_get(o, n));
                }
                Op::SetPrivate { obj, key, src, ic } => {
                    let (o, n, v) = (r!(obj), r!(key), r!(src));
                    if let (Some(ob), Some(name)) = (o.as_heap::<Object>(), n.as_heap::<Symbol>()) {
                        let obr = ob.get();
                        if let Some(shape) = obr.shape() {
                            let entry = code.get().ics[ic.0 as usize].get();
                            let k = name.get().key;
                            if entry.shape == Some(shape) && entry.private == Some(k) {
                                obr.set_slot(&self.heap, entry.slot, v);
                                continue;
                            }
                            if let Some((slot, a)) = Shape::lookup(shape, private_key(name)) {
                                if a & super::object::attrs::ACCESSOR == 0
                                    && a & super::object::attrs::WRITABLE != 0
                                {
                                    let e = IcEntry::private(shape, slot, k);
                                    code.get().ics[ic.0 as usize].set(e);
                                    ic_barrier(&self.heap, code, e);
                                    obr.set_slot(&self.heap, slot, v);
                                    continue;
                                }
                            }
                        }
                    }
                    sync!();
                    tri!(self.private_set(o, n, v));
                }
                Op::DefinePrivate {
                    obj,
                    key,
                    src,
                    kind,
                } => {
                    self.safepoint(pc);
                    let (o, n, v) = (r!(obj), r!(key), r!(src));
                    sync!();
                    tri!(self.private_define(o, n, v, kind.0));
                }
                Op::HasPrivate { dst, key, obj } => {
                    let (n, o) = (r!(key), r!(obj));
                    sync!();
                    r!(dst) = Value::bool(tri!(self.private_in(n, o)));
                }
                Op::SetFunctionName { func, key } => {
                    self.safepoint(pc);
                    let (f, k) = (r!(func), r!(key));
                    sync!();
                    let pk = tri!(self.to_property_key(k));
                    let named = match pk {
                        super::ops::PKey::Named(n) => n,
                        super::ops::PKey::Index(i) => self.intern(&i.to_string()),
                    };
                    if let Some(fo) = f.as_heap::<Object>() {
                        self.name_function(fo, named, "");
                    }
                }
                Op::ToKey { dst, src } => {
                    let v = r!(src);
                    sync!();
                    let k = tri!(self.to_property_key(v));
                    r!(dst) = self.key_value(k);
                }
                Op::GetElem { dst, obj, key } => {
                    let (o, k) = (r!(obj), r!(key));
                    if let (Some(ob), Some(i)) = (o.as_heap::<Object>(), k.as_int()) {
                        if i >= 0 {
                            if let Some(v) = ob.get().get_index(i as u32) {
                                r!(dst) = v;
                                continue;
                            }
                            // Typed arrays keep no `elements`: reached only after the miss.
                            if let ObjectClass::TypedArray(t) = &ob.get().class {
                                r!(dst) = t.get(i as u32).unwrap_or(Value::UNDEFINED);
                                continue;
                            }
                        }
                    }
                    sync!();
                    r!(dst) = tri!(self.get_value(o, k));
                }
                Op::SetElem { obj, key, src } => {
                    let (o, k, v) = (r!(obj), r!(key), r!(src));
                    if let (Some(ob), Some(i)) = (o.as_heap::<Object>(), k.as_int()) {
                        let obr = ob.get();
                        if i >= 0
                            && (i as usize) < obr.elements_len()
                            && matches!(obr.class, ObjectClass::Array | ObjectClass::Ordinary)
                            && (!self.realm.index_props || obr.get_index(i as u32).is_some())
                        {
                            obr.set_index(&self.heap, i as u32, v);
                            continue;
                        }
                        if let (ObjectClass::TypedArray(t), Some(n)) = (&obr.class, v.as_number()) {
                            if i >= 0 {
                                t.set(i as usize, n);
                                continue;
                            }
                        }
                    }
                    sync!();
                    tri!(self.put_value(o, k, v));
                }
                Op::DeleteElem { dst, obj, key } => {
                    let (o, k) = (r!(obj), r!(key));
                    sync!();
                    r!(dst) = Value::bool(tri!(self.delete_value(o, k)));
                }
                Op::DefineField { obj, key, src } => {
                    let (o, k, v) = (r!(obj), r!(key), r!(src));
                    sync!();
                    let pk = tri!(self.to_property_key(k));
                    if let Some(ob) = o.as_heap::<Object>() {
                        self.define_value(ob, pk, v, super::object::attrs::DEFAULT);
                    }
                }
                Op::Homed { func, home } => {
                    self.safepoint(pc);
                    let (f, h) = (r!(func), r!(home));
                    if let (Some(fo), Some(ho)) = (f.as_heap::<Object>(), h.as_heap::<Object>()) {
                        if let ObjectClass::Closure {
                            code, env, this, ..
                        } = &fo.get().class
                        {
                            let (code, env, this) = (*code, *env, *this);
                            let c = self.new_closure(code, env, this, Some(ho));
                            r!(func) = Value::heap(c);
                        }
                    }
                }
                Op::DefineMethod {
                    obj,
                    key,
                    func,
                    flags,
                } => {
                    let (o, k, f) = (r!(obj), r!(key), r!(func));
                    sync!();
                    let pk = tri!(self.to_property_key(k));
                    if let Some(ob) = o.as_heap::<Object>() {
                        tri!(self.define_method(ob, pk, f, flags.0));
                    }
                }
                Op::CopyProps {
                    dst,
                    src,
                    first,
                    count,
                } => {
                    let (d, s) = (r!(dst), r!(src));
                    let excluded: Vec<Value> = (0..count.0)
                        .map(|i| self.stack[base + first.0 as usize + i as usize])
                        .collect();
                    sync!();
                    tri!(self.copy_data_properties(d, s, &excluded));
                }
                Op::SetProto { obj, proto } => {
                    let (o, p) = (r!(obj), r!(proto));
                    if let Some(ob) = o.as_heap::<Object>() {
                        if p.is_null() {
                            ob.get().set_proto(&mut self.heap, None);
                        } else if let Some(po) = p.as_heap::<Object>() {
                            ob.get().set_proto(&mut self.heap, Some(po));
                        }
                    }
                }
                Op::NewClosure { dst, func } => {
                    let child = code.get().children[func.0 as usize];
                    let frame = self.frames.last().expect("a frame");
                    let env = frame.env;
                    let this = if child.get().kind == FnKind::Arrow {
                        frame.this
                    } else {
                        Value::HOLE
                    };
                    // An arrow also inherits the home object (for `super.x` inside it).
                    let home = match frame
                        .callee
                        .as_heap::<Object>()
                        .as_ref()
                        .map(|o| &o.get().class)
                    {
                        Some(ObjectClass::Closure { home, .. })
                            if child.get().kind == FnKind::Arrow =>
                        {
                            *home
                        }
                        _ => None,
                    };
                    self.safepoint(pc);
                    let f = self.new_closure(child, env, this, home);
                    r!(dst) = Value::heap(f);
                }
                Op::LoadThis { dst } => {
                    let this = self.frames.last().expect("a frame").this;
                    if this == Value::HOLE {
                        sync!();
                        tri!(Err(self.reference_error(
                            "Must call super constructor in derived class before accessing 'this' or returning from derived constructor"
                        )));
                    }
                    r!(dst) = this;
                }
                Op::LoadNewTarget { dst } => {
                    r!(dst) = self.frames.last().expect("a frame").new_target
                }
                Op::LoadCallee { dst } => r!(dst) = self.frames.last().expect("a frame").callee,
                Op::NewObject { dst, .. } => {
                    self.safepoint(pc);
                    let o = self.heap.alloc(Object::new(self.realm.object_shape));
                    r!(dst) = Value::heap(o);
                }
                Op::NewArray { dst, first, count } => {
                    self.safepoint(pc);
                    let items: Vec<Value> = (0..count.0 as usize)
                        .map(|i| self.stack[base + first.0 as usize + i])
                        .collect();
                    let a = self.new_array(items);
                    r!(dst) = Value::heap(a);
                }
                Op::ArrayPush { arr, src } => {
                    let (a, v) = (r!(arr), r!(src));
                    if let Some(a) = a.as_heap::<Object>() {
                        a.get().push_element(&self.heap, v);
                    }
                }
                Op::ArraySpread { arr, src } => {
                    let (a, v) = (r!(arr), r!(src));
                    sync!();
                    let items = tri!(self.iterate_to_vec(v));
                    if let Some(a) = a.as_heap::<Object>() {
                        for v in items {
                            a.get().push_element(&self.heap, v);
                        }
                    }
                }
                Op::PushEnv { slots } => {
                    self.safepoint(pc);
                    let parent = self.frames.last().and_then(|f| f.env);
                    let slots = std::cell::RefCell::new(vec![Value::HOLE; slots.0 as usize]);
                    let e = self.heap.alloc(Env { parent, slots });
                    self.frames.last_mut().expect("a frame").env = Some(e);
                }
                Op::PopEnv => {
                    let f = self.frames.last_mut().expect("a frame");
                    f.env = f.env.and_then(|e| e.get().parent);
                }
                Op::CloneEnv => {
                    self.safepoint(pc);
                    if let Some(cur) = self.frames.last().and_then(|f| f.env) {
                        let slots = std::cell::RefCell::new(cur.get().slots.borrow().clone());
                        let e = self.heap.alloc(Env {
                            parent: cur.get().parent,
                            slots,
                        });
                        self.frames.last_mut().expect("a frame").env = Some(e);
                    }
                }
                Op::GetEnv { dst, depth, slot } => {
                    r!(dst) = self.env_at(depth.0).get().slots.borrow()[slot.0 as usize];
                }
                Op::SetEnv { src, depth, slot } => {
                    let v = r!(src);
                    let target = self.env_at(depth.0);
                    target.get().slots.borrow_mut()[slot.0 as usize] = v;
                    self.heap.write_barrier(target, super::object::value_gc(v));
                }
                Op::CheckTdz { src, name } => {
                    if r!(src) == Value::HOLE {
                        let n = Self::key_of(code, name.0).string().get().to_rust_string();
                        sync!();
                        tri!(Err(self.reference_error(&format!(
                            "Cannot access '{n}' before initialization"
                        ))));
                    }
                }
                Op::ThrowConst { name } => {
                    let _ = name;
                    sync!();
                    tri!(Err(self.type_error("Assignment to constant variable.")));
                }
                Op::Call { dst, callee, argc } => {
                    // Natives allocate without collecting: calls are allocation points too.
                    self.safepoint(pc);
                    let at = base + callee.0 as usize;
                    let ret = base + dst.0 as usize;
                    let started =
                        tri!(self.call_value(at, argc.0 as u32, ret, Value::UNDEFINED, Some(pc)));
                    if started {
                        let top = self.frames.last().expect("a frame");
                        (code, base, pc) = (top.code, top.base, 0);
                    }
                }
                Op::CallSpread { dst, callee } => {
                    self.safepoint(pc);
                    // R[callee + 2] is an array of the arguments.
                    let f = r!(callee);
                    let this = self.stack[base + callee.0 as usize + 1];
                    let args = self.stack[base + callee.0 as usize + 2];
                    let list = self.array_items(args);
                    sync!();
                    let v = tri!(self.call(f, this, &list));
                    r!(dst) = v;
                }
                Op::New { dst, callee, argc } => {
                    self.safepoint(pc);
                    let f = r!(callee);
                    let first = base + callee.0 as usize + 2;
                    let args: Vec<Value> = self.stack[first..first + argc.0 as usize].to_vec();
                    sync!();
                    let v = tri!(self.construct_checked(f, &args));
                    r!(dst) = v;
                }
                Op::NewSpread { dst, callee } => {
                    self.safepoint(pc);
                    let f = r!(callee);
                    let args = self.stack[base + callee.0 as usize + 2];
                    let list = self.array_items(args);
                    sync!();
                    let v = tri!(self.construct_checked(f, &list));
                    r!(dst) = v;
                }
                Op::SuperCall { dst, first, argc } => {
                    self.safepoint(pc);
                    let start = base + first.0 as usize;
                    let args: Vec<Value> = self.stack[start..start + argc.0 as usize].to_vec();
                    sync!();
                    let v = tri!(self.super_call(&args));
                    r!(dst) = v;
                }
                Op::SuperCallSpread { dst, args } => {
                    let list = self.array_items(r!(args));
                    sync!();
                    let v = tri!(self.super_call(&list));
                    r!(dst) = v;
                }
                Op::GetSuper { dst, key, this } => {
                    let (k, this) = (r!(key), r!(this));
                    sync!();
                    r!(dst) = tri!(self.super_get(k, this));
                }
                Op::SuperConstruct { dst, args } => {
                    self.safepoint(pc);
                    let list = self.array_items(r!(args));
                    let (func, nt) = (
                        self.stack[base + args.0 as usize + 1],
                        self.stack[base + args.0 as usize + 2],
                    );
                    sync!();
                    let v = tri!(self.super_construct(func, nt, &list));
                    r!(dst) = v;
                }
                Op::BindThis { src, depth, slot } => {
                    let v = r!(src);
                    let target = self.env_at(depth.0);
                    if target.get().slots.borrow()[slot.0 as usize] != Value::HOLE {
                        sync!();
                        tri!(Err(self.reference_error(
                            "Super constructor may only be called once"
                        )));
                    }
                    target.get().slots.borrow_mut()[slot.0 as usize] = v;
                    self.heap.write_barrier(target, super::object::value_gc(v));
                    self.frames.last_mut().expect("a frame").this = v;
                }
                Op::GetDyn { dst, site, mode } => {
                    sync!();
                    let (v, this) = tri!(self.dyn_get(code, site.0, mode.0, base));
                    r!(dst) = v;
                    if mode.0 == 2 {
                        self.stack[base + dst.0 as usize + 1] = this;
                    }
                }
                Op::SetDyn { src, site } => {
                    let v = r!(src);
                    sync!();
                    tri!(self.dyn_set(code, site.0, v, base));
                }
                Op::CallEval {
                    dst,
                    callee,
                    argc,
                    site,
                } => {
                    self.safepoint(pc);
                    let at = base + callee.0 as usize;
                    let f = r!(callee);
                    if self.is_intrinsic_eval(f) {
                        let x = if argc.0 == u16::MAX {
                            let list = self.array_items(self.stack[at + 2]);
                            list.first().copied().unwrap_or(Value::UNDEFINED)
                        } else if argc.0 > 0 {
                            self.stack[at + 2]
                        } else {
                            Value::UNDEFINED
                        };
                        sync!();
                        let v = tri!(self.direct_eval(code, site.0, x));
                        r!(dst) = v;
                    } else if argc.0 == u16::MAX {
                        let list = self.array_items(self.stack[at + 2]);
                        let this = self.stack[at + 1];
                        sync!();
                        let v = tri!(self.call(f, this, &list));
                        r!(dst) = v;
                    } else {
                        let ret = base + dst.0 as usize;
                        let started = tri!(self.call_value(
                            at,
                            argc.0 as u32,
                            ret,
                            Value::UNDEFINED,
                            Some(pc)
                        ));
                        if started {
                            let top = self.frames.last().expect("a frame");
                            (code, base, pc) = (top.code, top.base, 0);
                        }
                    }
                }
                Op::DeclareEvalVar { name, depth, slot } => {
                    self.safepoint(pc);
                    let k = Self::key_of(code, name.0);
                    let target = self.env_at(depth.0);
                    let cur = target.get().slots.borrow()[slot.0 as usize];
                    let vars = match cur.as_heap::<Object>() {
                        Some(o) => o,
                        None => {
                            let o = self.new_object_with_proto(None);
                            target.get().slots.borrow_mut()[slot.0 as usize] = Value::heap(o);
                            self.heap.write_barrier(target, Some(o.into()));
                            o
                        }
                    };
                    if vars.get().get_own(k).is_none() {
                        vars.get().define(
                            &mut self.heap,
                            k,
                            Value::UNDEFINED,
                            super::object::attrs::WRITABLE
                                | super::object::attrs::ENUMERABLE
                                | super::object::attrs::CONFIGURABLE,
                        );
                    }
                }
                Op::ToObject { dst, src } => {
                    let v = r!(src);
                    sync!();
                    let o = tri!(self.to_object(v));
                    r!(dst) = Value::heap(o);
                }
                Op::SyncThis { src } => {
                    let v = r!(src);
                    self.frames.last_mut().expect("a frame").this = v;
                }
                Op::CheckThis { src } => {
                    if r!(src) == Value::HOLE {
                        sync!();
                        tri!(Err(self.reference_error(
                            "Must call super constructor in derived class before accessing 'this' or returning from derived constructor"
                        )));
                    }
                }
                Op::Class {
                    dst,
                    ctor,
                    parent,
                    has_parent,
                } => {
                    let (c, p) = (r!(ctor), r!(parent));
                    sync!();
                    let (proto, c) =
                        tri!(self
                            .make_class_homed(c, if has_parent.0 != 0 { Some(p) } else { None }));
                    r!(ctor) = Value::heap(c);
                    r!(dst) = Value::heap(proto);
                }
                Op::CreateArguments { dst } => {
                    let f = self.frames.last().expect("a frame");
                    let items = self.stack[f.args_at..f.args_at + f.argc as usize].to_vec();
                    let callee = f.callee;
                    self.safepoint(pc);
                    let a = self.new_arguments(items, callee);
                    r!(dst) = Value::heap(a);
                }
                Op::Rest { dst, from } => {
                    let f = self.frames.last().expect("a frame");
                    let from = (from.0 as usize).min(f.argc as usize);
                    let items = self.stack[f.args_at + from..f.args_at + f.argc as usize].to_vec();
                    self.safepoint(pc);
                    let a = self.new_array(items);
                    r!(dst) = Value::heap(a);
                }
                Op::GetIter { iter, src } => {
                    let v = r!(src);
                    sync!();
                    let (it, next) = tri!(self.get_iterator(v));
                    r!(iter) = it;
                    self.stack[base + iter.0 as usize + 1] = next;
                }
                Op::IterNext { dst, iter, offset } => {
                    let state = self.stack[base + iter.0 as usize + 1];
                    if state.as_int().is_none() {
                        // A call of `next`, whose result objects natives allocate.
                        self.safepoint(pc);
                    }
                    let it = r!(iter);
                    sync!();
                    let step = match self.iterator_step(it, state) {
                        Ok(step) => step,
                        Err(t) => {
                            // A throwing `next()` leaves the iterator done: the loop's guard
                            // does not close it (§7.4.8 IteratorStep sets [[Done]]).
                            r!(iter) = Value::UNDEFINED;
                            tri!(Err(t))
                        }
                    };
                    match step {
                        Some((v, next_state)) => {
                            r!(dst) = v;
                            self.stack[base + iter.0 as usize + 1] = next_state;
                        }
                        None => {
                            // Exhausted: later steps and closing are no-ops.
                            r!(iter) = Value::UNDEFINED;
                            pc = jump(pc, offset.0)
                        }
                    }
                }
                Op::IterClose { iter } => {
                    let it = r!(iter);
                    let state = self.stack[base + iter.0 as usize + 1];
                    sync!();
                    tri!(self.iterator_close(it, state));
                }
                Op::ForInKeys { dst, src } => {
                    let v = r!(src);
                    sync!();
                    let keys = tri!(self.for_in_keys(v));
                    self.safepoint(pc);
                    let a = self.new_array(keys);
                    r!(dst) = Value::heap(a);
                    self.stack[base + dst.0 as usize + 1] = Value::int(0);
                }
                Op::ForInNext { dst, keys, offset } => {
                    let a = r!(keys);
                    let i = self.stack[base + keys.0 as usize + 1].as_int().unwrap_or(0);
                    let arr = a.as_heap::<Object>().expect("the key array");
                    match arr.get().get_index(i as u32) {
                        Some(k) => {
                            r!(dst) = k;
                            self.stack[base + keys.0 as usize + 1] = Value::int(i + 1);
                        }
                        None => pc = jump(pc, offset.0),
                    }
                }
                Op::Try { reg, offset } => {
                    let env = self.frames.last().expect("a frame").env;
                    self.handlers.push(Handler {
                        frame: self.frames.len() - 1,
                        pc: jump(pc, offset.0),
                        env,
                        reg: reg.0,
                    });
                }
                Op::EndTry => {
                    self.handlers.pop();
                }
                Op::Return { src } => {
                    let mut v = r!(src);
                    let frame = self.frames.pop().expect("a frame");
                    if !frame.new_target.is_undefined() && v.as_heap::<Object>().is_none() {
                        // A constructor's result is `this` unless it returns an object.
                        if frame.this == Value::HOLE {
                            self.frames.push(frame);
                            sync!();
                            tri!(Err(self.reference_error(
                                "Must call super constructor in derived class before accessing 'this' or returning from derived constructor"
                            )));
                            unreachable!();
                        }
                        v = frame.this;
                    }
                    while self
                        .handlers
                        .last()
                        .is_some_and(|h| h.frame >= self.frames.len())
                    {
                        self.handlers.pop();
                    }
                    self.stack.truncate(frame.base);
                    if self.frames.len() == floor {
                        self.stack[frame.ret] = v;
                        return Ok(v);
                    }
                    self.stack[frame.ret] = v;
                    let top = self.frames.last().expect("a frame");
                    (code, base, pc) = (top.code, top.base, top.pc);
                }
                Op::Throw { src } => {
                    let v = r!(src);
                    sync!();
                    tri!(Err(Thrown::new(v)));
                }
                Op::ReThrow { src } => {
                    let v = r!(src);
                    sync!();
                    let site = match self.caught_site.take() {
                        Some((c, f, span)) if c == v => Some((f, span)),
                        _ => None,
                    };
                    tri!(Err(Thrown { value: v, site }));
                }
                Op::Yield { dst, src, kind } => {
                    let v = r!(src);
                    let frame = self.frames.pop().expect("a frame");
                    let gen = frame.gen.expect("a coroutine's frame");
                    let ObjectClass::Generator(co) = &gen.get().class else {
                        unreachable!("a coroutine frame's object is a generator")
                    };
                    let fi = self.frames.len();
                    debug_assert_eq!(fi, floor, "coroutines are entered from Vm::resume");
                    {
                        let mut sf = co.frame.borrow_mut();
                        sf.pc = pc;
                        sf.env = frame.env;
                        sf.resume_reg = Some(dst.0);
                        let nregs = code.get().nregs as usize;
                        sf.regs.clear();
                        sf.regs
                            .extend_from_slice(&self.stack[frame.base..frame.base + nregs]);
                        sf.args.clear();
                        sf.args.extend_from_slice(
                            &self.stack[frame.args_at..frame.args_at + frame.argc as usize],
                        );
                        sf.handlers.clear();
                        while self.handlers.last().is_some_and(|h| h.frame >= fi) {
                            let h = self.handlers.pop().expect("checked");
                            sf.handlers.push((h.pc, h.env, h.reg));
                        }
                        sf.handlers.reverse();
                    }
                    co.state.set(if kind.0 == 0 {
                        CoState::SuspendedStart
                    } else {
                        CoState::SuspendedYield
                    });
                    co.yield_kind.set(kind.0 as u8);
                    self.stack.truncate(frame.base);
                    return Ok(v);
                }
                Op::ResumeMode { reg, offset } => {
                    match self.stack[base + reg.0 as usize + 1].as_int() {
                        Some(1) => {
                            let v = r!(reg);
                            sync!();
                            tri!(Err(Thrown::new(v)));
                        }
                        Some(2) => {}
                        _ => pc = jump(pc, offset.0),
                    }
                }
                Op::IterResultValue { dst, src, offset } => {
                    let r = r!(src);
                    sync!();
                    if r.as_heap::<Object>().is_none() {
                        let s = self.to_display_string(r);
                        tri!(Err(self.type_error(&format!(
                            "Iterator result {s} is not an object"
                        ))));
                    }
                    let dk = self.realm.names.done;
                    let d = tri!(self.get(r, dk));
                    if to_boolean(d) {
                        pc = jump(pc, offset.0);
                    } else {
                        let vk = self.realm.names.value;
                        r!(dst) = tri!(self.get(r, vk));
                    }
                }
                Op::AsyncIterClose { dst, iter, offset } => {
                    let it = r!(iter);
                    sync!();
                    let rk = self.intern("return");
                    let f = if it.as_heap::<Object>().is_some() {
                        tri!(self.get(it, rk))
                    } else {
                        Value::UNDEFINED
                    };
                    if f.is_nullish() {
                        pc = jump(pc, offset.0);
                    } else {
                        r!(dst) = tri!(self.call(f, it, &[]));
                    }
                }
                Op::DelegateResult { dst, src, recv } => {
                    let r = r!(src);
                    let mode = self.stack[base + recv.0 as usize + 1].as_int().unwrap_or(0);
                    sync!();
                    let (v, action) = tri!(self.delegate_result(r, mode, true));
                    r!(dst) = v;
                    self.stack[base + dst.0 as usize + 1] = Value::int(action);
                }
                // One `yield*` step (sync) or the call half of one (async): the iterator
                // and its `next` in a register pair, the received value and resume mode in
                // another; the result and the action to take in `dst`'s pair.
                Op::DelegateStep { dst, iter, recv }
                | Op::AsyncDelegateCall { dst, iter, recv } => {
                    self.safepoint(pc);
                    let it = r!(iter);
                    let next = self.stack[base + iter.0 as usize + 1];
                    let received = r!(recv);
                    let mode = self.stack[base + recv.0 as usize + 1].as_int().unwrap_or(0);
                    sync!();
                    let step = if matches!(op, Op::DelegateStep { .. }) {
                        self.delegate_step(it, next, received, mode)
                    } else {
                        self.delegate_call(it, next, received, mode)
                    };
                    let (v, action) = tri!(step);
                    r!(dst) = v;
                    self.stack[base + dst.0 as usize + 1] = Value::int(action);
                }
                Op::GetIterator { iter, src, kind } => {
                    let v = r!(src);
                    sync!();
                    let (it, next) = if kind.0 == 0 {
                        tri!(self.get_iterator_by_protocol(v))
                    } else {
                        tri!(self.get_async_iterator(v))
                    };
                    r!(iter) = it;
                    self.stack[base + iter.0 as usize + 1] = next;
                }
                Op::TemplateObject { dst, idx } => {
                    let v = code.get().consts[idx.0 as usize];
                    sync!();
                    r!(dst) = tri!(self.template_object(v));
                }
                Op::NewRegExp {
                    dst,
                    pattern,
                    flags,
                } => {
                    let p = code.get().consts[pattern.0 as usize];
                    let f = code.get().consts[flags.0 as usize];
                    sync!();
                    let ctor = tri!(self.get(Value::heap(self.global), self.realm.names.regexp));
                    r!(dst) = tri!(self.construct(ctor, &[p, f], ctor));
                }
                Op::Nop => {}
            }
        }
    }

    /// The environment `depth` levels out from the current frame's (which has one: the
    /// compiler emits environment operations only in functions that made one).
    #[inline]
    fn env_at(&self, depth: u16) -> Gc<Env> {
        let env = self
            .frames
            .last()
            .and_then(|f| f.env)
            .expect("an environment");
        Env::up(env, depth)
    }

    /// The used-bytes threshold of the next full collection (the heap's "total" size).
    pub fn gc_threshold(&self) -> usize {
        self.next_full
    }

    /// Whether the pacing (or stress mode) asks for a collection.
    #[inline]
    fn needs_gc(&self) -> bool {
        self.stress || self.heap.used_bytes() >= self.next_gc
    }

    /// An allocation point of the interpreter: collects when the pacing (or stress mode) says
    /// so. Every live value is then in a root (INV-1): the value stack, the frames, the realm.
    #[inline]
    fn safepoint(&mut self, pc: usize) {
        if self.heap.sites.is_some() {
            self.note_site(pc);
        }
        if self.needs_gc() {
            self.frames.last_mut().expect("a frame").pc = pc;
            self.collect_auto();
        }
    }

    /// The collection the pacing asks for: a full one once the old generation has reached
    /// `next_full`, a minor one otherwise (stress mode: a full one every `STRESS_FULL_EVERY`).
    fn collect_auto(&mut self) {
        let full = if self.stress {
            self.stress_count += 1;
            self.stress_count % STRESS_FULL_EVERY == 0
        } else {
            self.heap.old_bytes() >= self.next_full
        };
        if full {
            self.collect();
        } else {
            self.collect_minor();
        }
    }

    /// A minor collection from the VM's roots and the remembered set (memwatch counts it in
    /// `num_inc_gc`).
    pub fn collect_minor(&mut self) {
        self.run_collection(GcKind::Minor);
        if self.host.memwatch.is_some() {
            let used = self.heap.used_bytes() as u64;
            self.host.gc_records.push_back((GcKind::Minor, used));
        }
    }

    /// Site tracking (HeapDiff's allocation sites): the allocations that follow belong to the
    /// current frame's instruction `pc`.
    #[cold]
    fn note_site(&mut self, pc: usize) {
        let code = self.frames.last().expect("a frame").code;
        let id = crate::gc::AnyGc::from(code).id();
        if let Some(s) = &mut self.heap.sites {
            s.current = (id, pc as u32);
        }
    }

    /// A full collection from the VM's roots, recorded for memwatch's events.
    pub fn collect(&mut self) {
        self.collect_hidden();
        if self.host.memwatch.is_some() {
            let used = self.heap.used_bytes() as u64;
            self.host.gc_records.push_back((GcKind::Full, used));
        }
    }

    /// A full collection that memwatch does not see (HeapDiff's and heap snapshots' own).
    pub fn collect_hidden(&mut self) {
        self.run_collection(GcKind::Full);
    }

    fn run_collection(&mut self, kind: GcKind) {
        let t0 = std::time::Instant::now();
        let before = self.heap.used_bytes();
        let total_before = self.next_full.max(before);
        let released = self.collect_raw(kind);
        let after = self.heap.used_bytes();
        let event = GcEvent {
            kind: match kind {
                GcKind::Minor => "Scavenge",
                GcKind::Full => "Mark-Compact",
            },
            full: kind == GcKind::Full,
            used_before: before,
            used_after: after,
            pause: t0.elapsed(),
            moved: 0,
            released,
        };
        self.last_gc = Some(event);
        if self.trace_gc {
            use std::io::Write;
            let mb = |b: usize| b as f64 / (1 << 20) as f64;
            let line = format!(
                "[{}:0x0] {:>8} ms: {} {:.1} ({:.1}) -> {:.1} ({:.1}) MB, {:.2} / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure;\n",
                std::process::id(),
                self.started.elapsed().as_millis(),
                event.kind,
                mb(before),
                mb(total_before),
                mb(after),
                mb(self.next_full.max(after)),
                event.pause.as_secs_f64() * 1000.0
            );
            let _ = self.out.write_all(line.as_bytes());
        }
        if kind == GcKind::Full && after > self.heap_limit {
            self.flush();
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "\n<--- Last few GCs --->\n\n[{}:0x0] {:>8} ms: Mark-Compact {:.1} -> {:.1} MB\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
                    std::process::id(),
                    self.started.elapsed().as_millis(),
                    before as f64 / (1 << 20) as f64,
                    after as f64 / (1 << 20) as f64
                );
            }
            // node aborts (SIGABRT, status 134); minijs exits with the same status, cleanly.
            std::process::exit(134);
        }
    }

    /// Runs one collection; returns the resident bytes it gave back to the system.
    fn collect_raw(&mut self, kind: GcKind) -> usize {
        // The heap is moved out while the roots (every other field) are traced.
        let mut heap = std::mem::take(&mut self.heap);
        let report = match kind {
            GcKind::Minor => {
                if self.stress {
                    heap.verify_generations();
                }
                heap.collect_minor(&mut |t| self.trace_roots(t))
            }
            GcKind::Full => {
                let report = heap.collect(&mut |t| self.trace_roots(t));
                if self.stress {
                    heap.verify_full();
                }
                report
            }
        };
        self.heap = heap;
        let used = self.heap.used_bytes();
        if kind == GcKind::Full {
            self.next_full = (used + used / 100 * FULL_GROWTH_PCT).max(FULL_MIN_BYTES);
            // Collect before passing the limit, so the limit is checked by a full collection.
            if self.next_full > self.heap_limit {
                self.next_full = self.heap_limit.max(used + (1 << 20));
            }
        }
        let young_budget =
            (self.heap.old_bytes() / YOUNG_DIVISOR).clamp(YOUNG_MIN_BYTES, YOUNG_MAX_BYTES);
        self.next_gc = used + young_budget;
        report.released
    }

    /// The root set (INV-1), the one list both the collector and the heap snapshot writer
    /// use. Each category is announced with `Tracer::root_section` (snapshot sub-roots).
    pub fn trace_roots(&self, t: &mut dyn Tracer) {
        let Vm {
            heap: _,
            atoms,
            realm,
            global,
            next_gc: _,
            next_full: _,
            stress_count: _,
            stress: _,
            stack,
            frames,
            handlers,
            reentry: _,
            new_target,
            callee,
            module_mode: _,
            out: _,
            host_roots,
            host,
            ..
        } = self;
        t.root_section("(Global handles)");
        t.edge(EdgeName::Internal("global"), (*global).into());
        realm.trace(t);
        host.trace(t);
        t.root_section("(Internalized strings)");
        atoms.trace(t);
        t.root_section("(Handle scope)");
        for v in host_roots.iter() {
            super::object::trace_value(t, EdgeName::Internal("handle"), *v, None);
        }
        t.root_section("(Stack roots)");
        super::object::trace_value(t, EdgeName::Internal("new_target"), *new_target, None);
        super::object::trace_value(t, EdgeName::Internal("callee"), *callee, None);
        for v in stack.iter() {
            super::object::trace_value(t, EdgeName::Internal("stack"), *v, None);
        }
        for f in frames.iter() {
            t.edge(EdgeName::Internal("code"), f.code.into());
            if let Some(e) = f.env {
                t.edge(EdgeName::Internal("context"), e.into());
            }
            if let Some(g) = f.gen {
                t.edge(EdgeName::Internal("generator"), g.into());
            }
            for v in [f.this, f.callee, f.new_target] {
                super::object::trace_value(t, EdgeName::Internal("frame"), v, None);
            }
        }
        for h in handlers.iter() {
            if let Some(e) = h.env {
                t.edge(EdgeName::Internal("context"), e.into());
            }
        }
    }

    /// The `at …` lines of a stack trace for the current frames (most recent first, at most
    /// `limit`).
    pub fn stack_frames(&mut self, limit: usize) -> Vec<String> {
        let mut out = Vec::new();
        for i in (0..self.frames.len()).rev() {
            if out.len() >= limit {
                break;
            }
            let f = &self.frames[i];
            let code = f.code.get();
            let at =
                f.pc.saturating_sub(1)
                    .min(code.spans.len().saturating_sub(1));
            let span = code.spans.get(at).copied().unwrap_or_default();
            let (line, col) = code.source.line_col(report_offset(&code.source, span));
            let loc = format!("{}:{}:{}", code.source.name, line, col);
            let name = code.name.to_string();
            let (this, new_target, kind) = (f.this, f.new_target, code.kind);
            if kind == FnKind::TopLevel && self.repl_mode {
                // The REPL hides its own evaluation frames, as node's does.
                continue;
            }
            let label = if kind == FnKind::TopLevel {
                if self.module_mode {
                    Some("Object.<anonymous>".to_string())
                } else {
                    None
                }
            } else if !new_target.is_undefined() {
                Some(format!(
                    "new {}",
                    if name.is_empty() {
                        "<anonymous>"
                    } else {
                        &name
                    }
                ))
            } else {
                let receiver = match this.as_heap::<Object>() {
                    Some(o) if o != self.global && kind != FnKind::Arrow => {
                        Some(self.class_name_of(o))
                    }
                    _ => None,
                };
                match (receiver, name.is_empty()) {
                    (Some(r), false) => Some(format!("{r}.{name}")),
                    (Some(r), true) => Some(format!("{r}.<anonymous>")),
                    (None, false) => Some(name),
                    (None, true) => None,
                }
            };
            out.push(match label {
                Some(l) => format!("    at {l} ({loc})"),
                None => format!("    at {loc}"),
            });
        }
        out
    }

    /// The constructor name shown for an object (`Object`, a class name, `Server`).
    pub fn class_name_of(&mut self, o: Gc<Object>) -> String {
        let ctor_key = self.realm.names.constructor;
        let mut cur = Some(o);
        while let Some(c) = cur {
            if let Some((v, a)) = c.get().get_own(ctor_key) {
                if a & super::object::attrs::ACCESSOR == 0 {
                    if let Some(f) = v.as_heap::<Object>() {
                        let n = self.function_name(f);
                        if !n.is_empty() {
                            return n;
                        }
                    }
                }
            }
            cur = c.get().proto();
        }
        "Object".into()
    }
}

impl Default for Vm {
    fn default() -> Self {
        Vm::new()
    }
}

/// The source text of a call's callee, for "x.y is not a function": the text of the call
/// expression up to its argument list.
fn callee_text(source: &SourceFile, span: Span) -> Option<String> {
    let text = source.text.get(span.start as usize..span.end as usize)?;
    let mut depth = 0i32;
    let bytes = text.as_bytes();
    // The callee ends at the last top-level `(` (or at the start of a template for tags).
    let mut cut = None;
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 1;
            } else if b == q {
                quote = None;
            }
        } else {
            match b {
                b'\'' | b'"' | b'`' => quote = Some(b),
                b'(' | b'[' | b'{' => {
                    if depth == 0 && b == b'(' {
                        cut = Some(i);
                    }
                    depth += 1;
                }
                b')' | b']' | b'}' => depth -= 1,
                _ => {}
            }
        }
        i += 1;
    }
    let callee = text[..cut?].trim_end();
    let callee = callee.strip_prefix("new ").unwrap_or(callee).trim();
    if callee.is_empty() || callee.len() > 200 || callee.contains('\n') {
        return None;
    }
    let simple = callee.chars().all(|c| {
        c.is_alphanumeric()
            || matches!(
                c,
                '_' | '$' | '.' | '[' | ']' | '\'' | '"' | '?' | ' ' | '(' | ')'
            )
    });
    if !simple {
        return None;
    }
    Some(callee.replace("?.", "."))
}

pub fn strict_equals(a: Value, b: Value) -> bool {
    if let (Some(x), Some(y)) = (a.as_number(), b.as_number()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_heap::<JsString>(), b.as_heap::<JsString>()) {
        return x == y || x.get().same_units(y.get());
    }
    a == b
}

/// SameValueZero (Array.prototype.includes, Map and Set keys).
pub fn same_value_zero(a: Value, b: Value) -> bool {
    if let (Some(x), Some(y)) = (a.as_number(), b.as_number()) {
        return x == y || (x.is_nan() && y.is_nan());
    }
    strict_equals(a, b)
}

pub fn to_boolean(v: Value) -> bool {
    if let Some(i) = v.as_int() {
        return i != 0;
    }
    if let Some(n) = v.as_number() {
        return !(n == 0.0 || n.is_nan());
    }
    match v {
        Value::UNDEFINED | Value::NULL | Value::FALSE => false,
        Value::TRUE => true,
        _ => match v.as_heap::<JsString>() {
            Some(s) => !s.get().is_empty(),
            None => true,
        },
    }
}

/// ToInt32.
pub fn to_int32(n: f64) -> i32 {
    if !n.is_finite() {
        return 0;
    }
    let m = n.trunc().rem_euclid(4294967296.0);
    m as u32 as i32
}

/// `x ** y` (NaN for `(±1) ** ±Infinity`, unlike `powf`).
pub fn js_pow(x: f64, y: f64) -> f64 {
    if y.is_nan() || (x.abs() == 1.0 && y.is_infinite()) {
        f64::NAN
    } else {
        x.powf(y)
    }
}

/// `x % y`. Integers take an exact integer path (software `fmod` is slow); the result has the
/// dividend's sign, and `-0` when the dividend is negative and divides evenly.
pub fn js_rem(x: f64, y: f64) -> f64 {
    const LIMIT: f64 = 9007199254740992.0; // 2^53: every integer below is exact
    if x.fract() == 0.0 && y.fract() == 0.0 && x.abs() < LIMIT && y.abs() < LIMIT && y != 0.0 {
        let r = (x as i64) % (y as i64);
        if r == 0 && (x < 0.0 || (x == 0.0 && x.is_sign_negative())) {
            return -0.0;
        }
        return r as f64;
    }
    x % y
}

/// The pc after a relative jump.
#[inline]
fn jump(pc: usize, offset: i32) -> usize {
    (pc as i64 + offset as i64) as usize
}

/// Where V8 reports an operation inside its expression span: a call or a property access at
/// its last property name (`a.b.c()` → `c`), anything else at its start.
pub fn report_offset(source: &SourceFile, span: Span) -> usize {
    let Some(text) = source.text.get(span.start as usize..span.end as usize) else {
        return span.start as usize;
    };
    if text.starts_with("new ") || text.starts_with("throw") {
        return span.start as usize;
    }
    let bytes = text.as_bytes();
    let (mut depth, mut quote) = (0i32, None::<u8>);
    let mut last_dot = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 1;
            } else if b == q {
                quote = None;
            }
        } else {
            match b {
                b'\'' | b'"' | b'`' => quote = Some(b),
                b'(' | b'{' => {
                    if depth == 0 && b == b'(' && i > 0 {
                        break;
                    }
                    depth += 1;
                }
                b'[' => {
                    if depth == 0 {
                        last_dot = Some(i);
                    }
                    depth += 1;
                }
                b')' | b']' | b'}' => depth -= 1,
                b'.' if depth == 0 => {
                    last_dot = Some(i + 1);
                }
                _ => {}
            }
        }
        i += 1;
    }
    span.start as usize + last_dot.unwrap_or(0)
}

impl Vm {
    /// What node prints on stderr for an uncaught exception (before the version line).
    pub fn uncaught_report(&mut self, thrown: &Thrown) -> String {
        let mut out = String::new();
        let is_error = thrown
            .value
            .as_heap::<Object>()
            .is_some_and(|o| matches!(o.get().class, ObjectClass::Error));
        let is_object = thrown.value.as_heap::<Object>().is_some();
        if !is_error {
            out.push('\n');
        }
        match &thrown.site {
            // A site without a file (an unhandled rejection): where the Error was made, or
            // node's own line when its stack names no place.
            Some((file, _)) if file.name.is_empty() => match self.origin_excerpt(thrown.value) {
                Some(text) => out.push_str(&text),
                None => out.push_str(
                    "node:internal/process/promises:391\n    triggerUncaughtException(err, true /* fromPromise */);\n    ^\n",
                ),
            },
            Some((file, span)) => {
                let at = report_offset(file, *span);
                let caret = Span::new(at, at + 1);
                out.push_str(&crate::diagnostics::excerpt(file, caret));
            }
            None => {}
        }
        if is_error {
            out.push('\n');
            out.push_str(&self.inspect_value(thrown.value));
            out.push('\n');
        } else {
            // A thrown string prints raw; anything else as util.inspect shows it.
            let text = match thrown.value.as_heap::<JsString>() {
                Some(s) => s.get().to_rust_string(),
                None => self.inspect_value(thrown.value),
            };
            out.push_str(&text);
            out.push('\n');
            if !is_object {
                out.push_str(
                    "(Use `minijs --trace-uncaught ...` to show where the exception was thrown)\n",
                );
            }
        }
        out
    }

    /// `FILE:LINE`, the line and a caret for the first frame of an error's stack, read from
    /// the file (unhandled rejections are reported there).
    fn origin_excerpt(&mut self, e: Value) -> Option<String> {
        let sk = self.realm.names.stack;
        let stack = e.as_heap::<Object>()?.get().get_own(sk)?.0;
        let stack = stack.as_heap::<JsString>()?.get().to_rust_string();
        let frame = stack.lines().find(|l| l.trim_start().starts_with("at "))?;
        let loc = frame.trim_end().trim_end_matches(')');
        let loc = loc.rsplit_once('(').map_or(loc, |(_, l)| l);
        let loc = loc.trim_start().trim_start_matches("at ");
        let (rest, col) = loc.rsplit_once(':')?;
        let (file, line) = rest.rsplit_once(':')?;
        let (line, col): (usize, usize) = (line.parse().ok()?, col.parse().ok()?);
        let text = std::fs::read_to_string(file).ok()?;
        let src = SourceFile::new(file, text);
        let start = src.line_start(line.checked_sub(1)?);
        let line_text = src.line_text(line - 1);
        // Columns count UTF-16 units; the excerpt wants a byte offset.
        let mut units = 0;
        let mut byte = 0;
        for (i, ch) in line_text.char_indices() {
            if units + 1 >= col {
                byte = i;
                break;
            }
            units += ch.len_utf16();
            byte = i + ch.len_utf8();
        }
        let at = start + byte;
        Some(crate::diagnostics::excerpt(&src, Span::new(at, at + 1)))
    }

    /// A value as `util.inspect` shows it (src/vm/inspect.rs).
    pub fn inspect_value(&mut self, v: Value) -> String {
        super::inspect::inspect_default(self, v)
    }
}
