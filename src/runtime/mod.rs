//! The Node-style runtime around the VM: CommonJS modules (`require`), the `process` object,
//! timers, `process.nextTick`, `queueMicrotask`, and the event loop that runs them.
//!
//! ## The loop
//!
//! One thread, node's phases in order: after the main module, and after every callback, the
//! nextTick queue and then the microtask queue are drained; then expired timers run (in
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
pub mod timers;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Instant;

use crate::gc::{EdgeName, Tracer};
use crate::vm::interp::{Thrown, Vm};
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
    /// Heap bytes at the end of each collection not yet processed by memwatch (spec §2).
    pub gc_records: VecDeque<u64>,
    /// memwatch's state, once `require('memwatch-next')` ran.
    pub memwatch: Option<memwatch::MemwatchState>,
    /// The deterministic clock (`MINIJS_DETERMINISTIC=1`), in ms.
    pub fake_clock_ms: u64,
    /// Sockets (the http module).
    pub net: net::NetState,
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
    install_lazy_promise(vm);
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

/// The global `Promise`, loaded (src/runtime/js/promise.js) on first use: an accessor that
/// replaces itself with the class.
fn install_lazy_promise(vm: &mut Vm) {
    let global = vm.global;
    let getter = vm.new_native(
        "get Promise",
        0,
        |vm, _, _| {
            let p = modules::load_builtin(vm, "internal/promise")?;
            let global = vm.global;
            vm.define_hidden(global, "Promise", p);
            Ok(p)
        },
        false,
    );
    let setter = vm.new_native(
        "set Promise",
        1,
        |vm, _, a| {
            let global = vm.global;
            vm.define_hidden(global, "Promise", crate::vm::realm::arg(a, 0));
            Ok(Value::UNDEFINED)
        },
        false,
    );
    let k = vm.intern("Promise");
    vm.define_accessor(
        global,
        k,
        Value::heap(getter),
        Value::heap(setter),
        crate::vm::object::attrs::CONFIGURABLE,
    );
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
    // An unhandled rejection is thrown with no site of its own: the report then points where
    // an Error reason was created, as node's does.
    let unhandled = vm.new_native(
        "__minijs_throw_unhandled",
        1,
        |vm, _, a| {
            let _ = vm;
            Err(Thrown {
                value: crate::vm::realm::arg(a, 0),
                site: Some((
                    std::rc::Rc::new(crate::source::SourceFile::new("", "")),
                    crate::syntax::ast::Span::default(),
                )),
            })
        },
        false,
    );
    vm.define_hidden(global, "__minijs_throw_unhandled", Value::heap(unhandled));
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

/// Runs nextTick callbacks, then microtasks, until both queues are empty.
pub fn drain_ticks(vm: &mut Vm) -> Result<(), Thrown> {
    loop {
        if let Some((f, args)) = vm.host.next_ticks.pop_front() {
            vm.call(f, Value::UNDEFINED, &args)?;
            continue;
        }
        if let Some((f, args)) = vm.host.microtasks.pop_front() {
            vm.call(f, Value::UNDEFINED, &args)?;
            continue;
        }
        if vm.host.exit_requested.is_some() {
            return Ok(());
        }
        return Ok(());
    }
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
            let k = vm.intern("_onImmediate");
            let r = match vm.get(imm, k) {
                Ok(f) => {
                    vm.host_roots.push(imm);
                    let r = vm.call(f, imm, &args);
                    vm.host_roots.pop();
                    r
                }
                Err(e) => Err(e),
            };
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
        if vm.host.net.active() {
            let r = net::poll_once(vm, timeout).map(|_| Value::UNDEFINED);
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
