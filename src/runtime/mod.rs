//! The Node-style runtime around the VM: CommonJS modules (`require`), the `process` object,
//! timers, `process.nextTick`, `queueMicrotask`, and the event loop that runs them.
//!
//! ## The loop
//!
//! One thread, node's phases in order: after the main module, and after every callback, the
//! nextTick and microtask queues are drained as node drains them (`drain_ticks`: microtasks
//! first when no tick is queued, else all ticks, then all microtasks, until both are empty,
//! then the unhandled promise rejections); then expired timers run (in
//! deadline order, ties in creation order), then the poll step waits for the next deadline,
//! then `setImmediate` callbacks run. The process ends when no referenced timer or immediate
//! (and, with the http issue, no open socket) keeps it alive. The poll step is where sockets
//! will plug in (mio readiness with the next timer deadline as the timeout); until then it
//! sleeps until the next deadline, so an idle process uses no CPU.
//!
//! Every pending callback is a heap value held in [`HostState`], which the collector traces
//! as a root.

pub mod fs;
pub mod heapsnapshot;
pub mod memwatch;
pub mod modules;
pub mod net;
pub mod process;
pub mod signals;
pub mod timers;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Instant;

use crate::gc::{EdgeName, Tracer};
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::attrs;
use crate::vm::object::trace_value;
use crate::vm::value::Value;

/// A scheduled timer: its Timeout object (which holds the callback and arguments).
pub struct Timer {
    pub timeout: Value,
    pub refed: bool,
}

/// The runtime's queues and tables, traced as roots by the VM.
#[derive(Default)]
pub struct HostState {
    /// Deadline and sequence number → timer id.
    pub schedule: BTreeMap<(Instant, u64), u64>,
    /// Timer id → the timer.
    pub timers: HashMap<u64, Timer>,
    /// Timer id → its current key in `schedule`.
    pub timer_keys: HashMap<u64, (Instant, u64)>,
    pub next_id: u64,
    pub seq: u64,
    pub immediates: VecDeque<(Value, Vec<Value>)>,
    pub next_ticks: VecDeque<(Value, Vec<Value>)>,
    pub microtasks: VecDeque<(Value, Vec<Value>)>,
    /// Loaded modules by resolved filename (or builtin name): the module object.
    pub module_cache: HashMap<String, Value>,
    /// The `require.cache` object shared by every `require`.
    pub require_cache: Value,
    pub process: Value,
    /// `process.exit(n)` was called.
    pub exit_requested: Option<i32>,
    pub started: Option<Instant>,
    /// The kind of each collection not yet processed by memwatch, with the heap bytes at its
    /// end (spec §2).
    pub gc_records: VecDeque<(crate::gc::GcKind, u64)>,
    /// memwatch's state, once `require('memwatch-next')` ran.
    pub memwatch: Option<memwatch::MemwatchState>,
    /// The deterministic clock (`MINIJS_DETERMINISTIC=1`), in ms.
    pub fake_clock_ms: u64,
    /// Sockets (the http module).
    pub net: net::NetState,
    pub signals: signals::SignalState,
    /// Promises rejected without a handler, in order, until the end of the drain looks at
    /// them (node's `pendingUnhandledRejections`; the tracker state is on each promise).
    pub pending_rejections: VecDeque<Value>,
    /// Promises reported to 'unhandledRejection' listeners and handled later, with their
    /// rejection id (node's `asyncHandledRejections`).
    pub handled_later: VecDeque<(Value, u32)>,
    /// node's `hasRejectionToWarn`: a rejection to look at when the ticks have drained.
    pub rejection_to_warn: bool,
    /// node's `lastPromiseId`: the id of the last rejection without a handler.
    pub last_rejection_id: u32,
}

impl HostState {
    pub fn trace(&self, t: &mut dyn Tracer) {
        for timer in self.timers.values() {
            trace_value(t, EdgeName::Internal("timer"), timer.timeout, None);
        }
        for (f, args) in self
            .immediates
            .iter()
            .chain(self.next_ticks.iter())
            .chain(self.microtasks.iter())
        {
            trace_value(t, EdgeName::Internal("callback"), *f, None);
            for a in args {
                trace_value(t, EdgeName::Internal("argument"), *a, None);
            }
        }
        for m in self.module_cache.values() {
            trace_value(t, EdgeName::Internal("module"), *m, None);
        }
        trace_value(
            t,
            EdgeName::Internal("require_cache"),
            self.require_cache,
            None,
        );
        trace_value(t, EdgeName::Internal("process"), self.process, None);
        if let Some(m) = &self.memwatch {
            trace_value(t, EdgeName::Internal("memwatch"), m.emit, None);
        }
        self.net.trace(t);
        for p in self
            .pending_rejections
            .iter()
            .chain(self.handled_later.iter().map(|(p, _)| p))
        {
            trace_value(t, EdgeName::Internal("rejection"), *p, None);
        }
    }

    /// Whether anything keeps the process alive.
    pub fn alive(&self) -> bool {
        !self.immediates.is_empty()
            || self.timers.values().any(|t| t.refed)
            || (self.memwatch.is_some() && !self.gc_records.is_empty())
            || self.net.active()
    }
}

/// Sets up the runtime's globals (process, timers, require for the main module).
pub fn install(vm: &mut Vm, argv: Vec<String>) {
    vm.module_mode = true;
    vm.host.started = Some(Instant::now());
    process::install(vm, argv);
    timers::install(vm);
    install_internal_globals(vm);
    // node's process.emitWarning (prints on the next tick, once-per-process hints), loaded
    // on first use: start-up stays cheap.
    let p = vm.host.process;
    if let Some(po) = p.as_heap::<crate::vm::object::Object>() {
        vm.define_native(po, "emitWarning", 1, |vm, this, a| {
            let w = modules::load_builtin(vm, "internal/warning")?;
            let k = vm.intern("emitWarning");
            let f = vm.get(w, k)?;
            // Later calls go straight to the JavaScript implementation.
            let p = vm.host.process;
            vm.put(p, k, f)?;
            vm.call(f, this, a)
        });
    }
}

/// The natives the JavaScript built-in modules use (hidden globals).
fn install_internal_globals(vm: &mut Vm) {
    let global = vm.global;
    let inspect = vm.new_native(
        "__minijs_inspect",
        2,
        |vm, _, a| {
            let v = crate::vm::realm::arg(a, 0);
            let opts = crate::vm::builtins::console::read_options(vm, crate::vm::realm::arg(a, 1))?;
            let s = crate::vm::inspect::inspect(vm, v, &opts);
            Ok(vm.new_string(&s))
        },
        false,
    );
    vm.define_hidden(global, "__minijs_inspect", Value::heap(inspect));
    let format = vm.new_native(
        "__minijs_format",
        0,
        |vm, _, a| {
            let s = crate::vm::inspect::format_args(vm, a)?;
            Ok(vm.new_string(&s))
        },
        false,
    );
    vm.define_hidden(global, "__minijs_format", Value::heap(format));
    let tick = vm.new_native(
        "__minijs_next_tick",
        1,
        |vm, _, a| {
            let f = crate::vm::realm::arg(a, 0);
            let args = a.iter().skip(1).copied().collect();
            vm.host.next_ticks.push_back((f, args));
            Ok(Value::UNDEFINED)
        },
        false,
    );
    vm.define_hidden(global, "__minijs_next_tick", Value::heap(tick));
    let pid = if memwatch::deterministic() {
        1
    } else {
        std::process::id()
    };
    vm.define_hidden(global, "__minijs_pid", Value::number(pid as f64));
}

/// How a run ended.
pub enum Outcome {
    /// The loop ran dry (or `process.exit` was called): the exit code.
    Exit(i32),
    /// An exception nothing caught.
    Uncaught(Thrown),
}

/// Runs the main module, then the event loop until nothing is left.
pub fn run_main(
    vm: &mut Vm,
    file: crate::source::SourceFile,
    program: &crate::syntax::ast::Program,
) -> Outcome {
    let r = modules::load_main(vm, file, program);
    let outcome = match after_callback(vm, r) {
        Some(o) => o,
        None => run_loop(vm),
    };
    finish(vm, outcome)
}

/// node's `-e CODE` / `-p CODE`: CODE runs as a classic script in the global scope (its `var`s
/// are globals), with `require` (relative to the cwd), `module`, `exports`, `__filename`
/// (`[eval]`) and `__dirname` (`.`) as globals, as node's evalScript provides them; `-p`
/// prints the completion value as console.log would; then the event loop runs.
pub fn run_eval(
    vm: &mut Vm,
    code: crate::gc::Gc<crate::vm::function::Code>,
    print: bool,
) -> Outcome {
    let g = vm.global;
    let cwd = std::env::current_dir()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| ".".into());
    let require = modules::make_require(vm, &cwd);
    vm.define_hidden(g, "require", require);
    let module = vm.new_object();
    let exports = vm.new_object();
    let ek = vm.intern("exports");
    module
        .get()
        .define(&mut vm.heap, ek, Value::heap(exports), attrs::DEFAULT);
    for (k, v) in [("id", "[eval]"), ("filename", "[eval]")] {
        let key = vm.intern(k);
        let s = vm.new_string(v);
        module.get().define(&mut vm.heap, key, s, attrs::DEFAULT);
    }
    vm.define_hidden(g, "module", Value::heap(module));
    vm.define_hidden(g, "exports", Value::heap(exports));
    let f = vm.new_string("[eval]");
    vm.define_hidden(g, "__filename", f);
    let d = vm.new_string(".");
    vm.define_hidden(g, "__dirname", d);
    // Top-level frames print as `at [eval]:1:1`, not as a module's `Object.<anonymous>`.
    vm.module_mode = false;
    let r = vm.run_script(code);
    if let (Ok(v), true) = (r.as_ref(), print) {
        let text = match v.as_heap::<crate::vm::string::JsString>() {
            Some(s) => s.get().to_rust_string(),
            None => vm.inspect_value(*v),
        };
        vm.flush();
        let _ = std::io::Write::write_fmt(&mut std::io::stdout().lock(), format_args!("{text}\n"));
    }
    let outcome = match after_callback(vm, r) {
        Some(o) => o,
        None => run_loop(vm),
    };
    finish(vm, outcome)
}

/// The end of a run: `process.on('exit')` listeners, then the outcome.
fn finish(vm: &mut Vm, outcome: Outcome) -> Outcome {
    // process.on('exit', (code) => …) runs last, with the exit code (not after an uncaught
    // exception, which node reports first and then exits).
    if let Outcome::Exit(code) = outcome {
        if process::has_listeners(vm, "exit") {
            let p = vm.host.process;
            if code != 0 {
                // process.exit(n) sets process.exitCode, as node's does.
                let k = vm.intern("exitCode");
                let _ = vm.put(p, k, Value::int(code));
            }
            let name = vm.new_string("exit");
            let ek = vm.intern("emit");
            vm.host.exit_requested = None;
            let r = vm
                .get(p, ek)
                .and_then(|emit| vm.call(emit, p, &[name, Value::int(code)]));
            if let Err(t) = r {
                if vm.host.exit_requested.is_none() {
                    return Outcome::Uncaught(t);
                }
            }
            if let Some(c) = vm.host.exit_requested {
                return Outcome::Exit(c);
            }
            return Outcome::Exit(process::exit_code(vm));
        }
    }
    outcome
}

/// Runs one immediate (its `_onImmediate` method), for the script loop and the REPL's.
pub fn run_immediate(vm: &mut Vm, imm: Value, args: &[Value]) -> Result<Value, Thrown> {
    let k = vm.intern("_onImmediate");
    let f = vm.get(imm, k)?;
    vm.host_roots.push(imm);
    let r = vm.call(f, imm, args);
    vm.host_roots.pop();
    r
}

/// After a callback: an uncaught error ends the run; otherwise drain nextTicks and
/// microtasks.
fn after_callback(vm: &mut Vm, r: Result<Value, Thrown>) -> Option<Outcome> {
    if let Some(code) = vm.host.exit_requested {
        return Some(Outcome::Exit(code));
    }
    if let Err(t) = r {
        // process.on('uncaughtException', h): the handler runs and the process goes on.
        if t.value != Value::HOLE && process::has_listeners(vm, "uncaughtException") {
            let p = vm.host.process;
            let name = vm.new_string("uncaughtException");
            let origin = vm.new_string("uncaughtException");
            let k = vm.intern("emit");
            let r2 = vm
                .get(p, k)
                .and_then(|emit| vm.call(emit, p, &[name, t.value, origin]));
            return match r2 {
                Ok(_) => after_callback(vm, Ok(Value::UNDEFINED)),
                Err(t2) => Some(Outcome::Uncaught(t2)),
            };
        }
        return Some(Outcome::Uncaught(t));
    }
    if let Some(code) = vm.host.exit_requested {
        return Some(Outcome::Exit(code));
    }
    let r = drain_ticks(vm);
    if let Some(code) = vm.host.exit_requested {
        return Some(Outcome::Exit(code));
    }
    if let Err(t) = r {
        return Some(Outcome::Uncaught(t));
    }
    None
}

/// What node does when a callback returns to the loop (`InternalCallbackScope::Close`, and
/// `runNextTicks` between two timers): with no nextTick queued and no rejection to look at,
/// the microtask queue is drained first; then, if that queued ticks or rejected promises
/// without handlers, [`process_ticks_and_rejections`] runs.
pub fn drain_ticks(vm: &mut Vm) -> Result<(), Thrown> {
    if vm.host.next_ticks.is_empty() && !vm.host.rejection_to_warn {
        run_microtasks(vm)?;
    }
    if vm.host.exit_requested.is_some()
        || (vm.host.next_ticks.is_empty() && !vm.host.rejection_to_warn)
    {
        return Ok(());
    }
    process_ticks_and_rejections(vm)
}

/// V8's `RunMicrotasks`: every microtask, including those queued meanwhile.
fn run_microtasks(vm: &mut Vm) -> Result<(), Thrown> {
    while let Some((f, args)) = vm.host.microtasks.pop_front() {
        vm.call(f, Value::UNDEFINED, &args)?;
        if vm.host.exit_requested.is_some() {
            break;
        }
    }
    Ok(())
}

/// node's `processTicksAndRejections`: all queued ticks, then all microtasks, again while
/// ticks were queued; once both are empty, the unhandled rejections
/// ([`process_promise_rejections`]), and again if that ran any JavaScript.
fn process_ticks_and_rejections(vm: &mut Vm) -> Result<(), Thrown> {
    loop {
        while let Some((f, args)) = vm.host.next_ticks.pop_front() {
            vm.call(f, Value::UNDEFINED, &args)?;
            if vm.host.exit_requested.is_some() {
                return Ok(());
            }
        }
        run_microtasks(vm)?;
        if vm.host.exit_requested.is_some() {
            return Ok(());
        }
        if !vm.host.next_ticks.is_empty() {
            continue;
        }
        if !process_promise_rejections(vm)? {
            break;
        }
    }
    vm.host.rejection_to_warn = false;
    Ok(())
}

/// `process.emit(event, ...args)` if `process` has listeners for it: whether any ran.
fn emit_process(vm: &mut Vm, event: &str, args: &[Value]) -> Result<bool, Thrown> {
    if !process::has_listeners(vm, event) {
        return Ok(false);
    }
    let p = vm.host.process;
    let name = vm.new_string(event);
    let mut all = vec![name];
    all.extend_from_slice(args);
    let k = vm.intern("emit");
    let emit = vm.get(p, k)?;
    let r = vm.call(emit, p, &all)?;
    Ok(crate::vm::interp::to_boolean(r))
}

/// node's `processPromiseRejections` in its default mode (`--unhandled-rejections=throw`):
/// 'rejectionHandled' (or PromiseRejectionHandledWarning) for rejections reported earlier and
/// handled since; then, for each promise rejected without a handler that still has none,
/// 'unhandledRejection' listeners, or else an uncaught exception — the reason itself when it is
/// error-like (an object with an own `stack`), an `UnhandledPromiseRejection` error otherwise.
/// Returns whether JavaScript may have queued more work.
fn process_promise_rejections(vm: &mut Vm) -> Result<bool, Thrown> {
    let mut maybe_scheduled = !vm.host.handled_later.is_empty();
    while let Some((p, id)) = vm.host.handled_later.pop_front() {
        vm.host_roots.push(p);
        let r = emit_process(vm, "rejectionHandled", &[p]);
        vm.host_roots.pop();
        if !r? {
            let proc = vm.host.process;
            let k = vm.intern("emitWarning");
            let w = vm.get(proc, k)?;
            let msg = vm.new_string(&format!(
                "Promise rejection was handled asynchronously (rejection id: {id})"
            ));
            let ty = vm.new_string("PromiseRejectionHandledWarning");
            vm.call(w, proc, &[msg, ty])?;
        }
    }
    let mut len = vm.host.pending_rejections.len();
    while len > 0 {
        len -= 1;
        let Some(p) = vm.host.pending_rejections.pop_front() else {
            break;
        };
        let Some((reason, _id)) = crate::vm::builtins::promise::take_unhandled(p) else {
            continue;
        };
        let at = vm.host_roots.len();
        vm.host_roots.push(p);
        vm.host_roots.push(reason);
        let r = unhandled_rejection(vm, p, reason);
        vm.host_roots.truncate(at);
        r?;
        maybe_scheduled = true;
    }
    Ok(maybe_scheduled || !vm.host.pending_rejections.is_empty())
}

/// One unhandled rejection: 'unhandledRejection' listeners, else node's
/// `triggerUncaughtException(err, true)`.
fn unhandled_rejection(vm: &mut Vm, p: Value, reason: Value) -> Result<(), Thrown> {
    if emit_process(vm, "unhandledRejection", &[reason, p])? {
        return Ok(());
    }
    let sk = vm.realm.names.stack;
    let error_like = reason
        .as_heap::<crate::vm::object::Object>()
        .is_some_and(|o| o.get().get_own(sk).is_some());
    // node's REPL reports the reason itself (`Uncaught 42`), in the REPL's way.
    let (err, site) = if error_like || vm.repl_mode {
        (reason, rejection_site())
    } else {
        unhandled_promise_rejection(vm, reason)
    };
    if process::has_listeners(vm, "uncaughtException") {
        let origin = vm.new_string("unhandledRejection");
        vm.host_roots.push(err);
        let r = emit_process(vm, "uncaughtException", &[err, origin]);
        vm.host_roots.pop();
        r?;
        return Ok(());
    }
    Err(Thrown {
        value: err,
        site: Some(site),
    })
}

/// The site of an uncaught exception that comes from a rejection: no file of its own, so the
/// report shows where the Error was made (`Vm::uncaught_report`).
fn rejection_site() -> (
    std::rc::Rc<crate::source::SourceFile>,
    crate::syntax::ast::Span,
) {
    (
        std::rc::Rc::new(crate::source::SourceFile::new("", "")),
        crate::syntax::ast::Span::default(),
    )
}

/// node's `UnhandledPromiseRejection` error for a reason that is not error-like, and the site
/// node reports it at (its own source line).
fn unhandled_promise_rejection(
    vm: &mut Vm,
    reason: Value,
) -> (
    Value,
    (
        std::rc::Rc<crate::source::SourceFile>,
        crate::syntax::ast::Span,
    ),
) {
    use crate::vm::object::attrs;
    let shown = no_side_effects_to_string(vm, reason);
    let message = format!(
        "This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason \"{shown}\"."
    );
    let e = vm.make_error(crate::vm::realm::ErrorKind::Error, &message);
    if let Some(o) = e.as_heap::<crate::vm::object::Object>() {
        let stack = vm.new_string(&format!(
            "UnhandledPromiseRejection: {message}\n    at throwUnhandledRejectionsMode (node:internal/process/promises:389:7)\n    at processPromiseRejections (node:internal/process/promises:470:17)\n    at process.processTicksAndRejections (node:internal/process/task_queues:96:32)"
        ));
        let sk = vm.realm.names.stack;
        o.get().define(&mut vm.heap, sk, stack, attrs::HIDDEN);
        let name = vm.new_string("UnhandledPromiseRejection");
        let nk = vm.realm.names.name;
        o.get().define(&mut vm.heap, nk, name, attrs::HIDDEN);
        let code = vm.new_string("ERR_UNHANDLED_REJECTION");
        let ck = vm.intern("code");
        o.get().define(&mut vm.heap, ck, code, attrs::DEFAULT);
    }
    const LINE: &str = "      new UnhandledPromiseRejection(reason);";
    let text = format!("{}{LINE}\n", "\n".repeat(388));
    let at = 388 + 6;
    let file = crate::source::SourceFile::new("node:internal/process/promises", text);
    (
        e,
        (
            std::rc::Rc::new(file),
            crate::syntax::ast::Span::new(at, at + LINE.len() - 6),
        ),
    )
}

/// V8's `NoSideEffectsToString`, for the reasons node quotes: primitives as `String(v)`,
/// functions as their source, plain objects `#<Ctor>`, arrays `[object Array]`, objects
/// without a prototype `[object Object]`.
fn no_side_effects_to_string(vm: &mut Vm, v: Value) -> String {
    use crate::vm::object::{Object, ObjectClass};
    let Some(o) = v.as_heap::<Object>() else {
        return vm.to_display_string(v);
    };
    if let Some(text) = crate::vm::builtins::core::function_source_text(vm, o) {
        return text;
    }
    if matches!(o.get().class, ObjectClass::Array) {
        return "[object Array]".into();
    }
    if o.get().proto().is_none() {
        return "[object Object]".into();
    }
    format!("#<{}>", vm.class_name_of(o))
}

fn run_loop(vm: &mut Vm) -> Outcome {
    loop {
        // Collections since the last turn: memwatch's stats and leak events.
        if vm.host.memwatch.is_none() {
            vm.host.gc_records.clear();
        } else if !vm.host.gc_records.is_empty() {
            let r = memwatch::process_records(vm).map(|_| Value::UNDEFINED);
            if let Some(o) = after_callback(vm, r) {
                return o;
            }
        }
        // Timers whose deadline has passed.
        let now = Instant::now();
        let due: Vec<((Instant, u64), u64)> = vm
            .host
            .schedule
            .range(..=(now, u64::MAX))
            .map(|(k, v)| (*k, *v))
            .collect();
        for (key, id) in due {
            vm.host.schedule.remove(&key);
            vm.host.timer_keys.remove(&id);
            let r = timers::fire(vm, id);
            if let Some(o) = after_callback(vm, r) {
                return o;
            }
        }
        // Immediates queued before this phase.
        let n = vm.host.immediates.len();
        for _ in 0..n {
            let Some((imm, args)) = vm.host.immediates.pop_front() else {
                break;
            };
            let r = run_immediate(vm, imm, &args);
            if let Some(o) = after_callback(vm, r) {
                return o;
            }
        }
        if !vm.host.alive() {
            let code = process::exit_code(vm);
            return Outcome::Exit(code);
        }
        // Poll: wait for socket readiness or the next deadline, whichever comes first.
        let pending_now = !vm.host.immediates.is_empty()
            || (vm.host.memwatch.is_some() && !vm.host.gc_records.is_empty());
        let next = vm.host.schedule.keys().next().map(|(d, _)| *d);
        let timeout = if pending_now {
            Some(std::time::Duration::ZERO)
        } else {
            next.map(|d| d.saturating_duration_since(Instant::now()))
        };
        vm.flush();
        if vm.host.net.active() || vm.host.signals.active() {
            let r = net::poll_once(vm, timeout).map(|_| Value::UNDEFINED);
            if let Some(o) = after_callback(vm, r) {
                return o;
            }
            let r = signals::dispatch(vm).map(|_| Value::UNDEFINED);
            if let Some(o) = after_callback(vm, r) {
                return o;
            }
        } else if let Some(t) = timeout {
            if !t.is_zero() {
                std::thread::sleep(t);
            }
        }
    }
}
