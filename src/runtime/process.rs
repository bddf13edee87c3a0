//! The `process` object: argv, env, pid, platform, exit and exitCode, nextTick, cwd/chdir,
//! hrtime, uptime, memoryUsage, stdout/stderr.write, version(s).

use std::io::Write;

use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, Object};
use crate::vm::realm::arg;
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

pub fn install(vm: &mut Vm, argv: Vec<String>) {
    let global = vm.global;
    let process = vm.new_object();
    vm.host.process = Value::heap(process);
    vm.define_hidden(global, "process", Value::heap(process));
    let g = Value::heap(global);
    vm.define_hidden(global, "global", g);

    let items: Vec<Value> = argv.iter().map(|a| vm.new_string(a)).collect();
    let argv_arr = vm.new_array(items);
    set(vm, process, "argv", Value::heap(argv_arr));
    let argv0 = vm.new_string(argv.first().map_or("minijs", |s| s.as_str()));
    set(vm, process, "argv0", argv0);
    let exec_argv = vm.new_array(Vec::new());
    set(vm, process, "execArgv", Value::heap(exec_argv));
    let title = vm.new_string("minijs");
    set(vm, process, "title", title);
    let v = vm.new_string(crate::VERSION);
    set(vm, process, "version", v);
    let versions = vm.new_object();
    let mv = vm.new_string(&crate::VERSION[1..]);
    set(vm, versions, "minijs", mv);
    set(vm, process, "versions", Value::heap(versions));
    let release = vm.new_object();
    let rn = vm.new_string("minijs");
    set(vm, release, "name", rn);
    set(vm, process, "release", Value::heap(release));
    let platform = vm.new_string(std::env::consts::OS);
    set(vm, process, "platform", platform);
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    };
    let arch = vm.new_string(arch);
    set(vm, process, "arch", arch);
    let deterministic = super::memwatch::deterministic();
    let (pid, ppid) = if deterministic {
        (1, 0)
    } else {
        (std::process::id(), parent_pid())
    };
    set(vm, process, "pid", Value::number(pid as f64));
    set(vm, process, "ppid", Value::number(ppid as f64));
    set(vm, process, "exitCode", Value::UNDEFINED);

    let env = vm.new_object();
    // MINIJS_DETERMINISTIC=1: nothing that varies from machine to machine enters the heap
    // (process.env, the pid), so heap numbers are reproducible.
    let vars: Vec<(String, String)> = if deterministic {
        Vec::new()
    } else {
        // Lossy, as node decodes them: a value that is not UTF-8 (TZ=$'A\xff') must not panic.
        std::env::vars_os()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().into_owned(),
                    v.to_string_lossy().into_owned(),
                )
            })
            .collect()
    };
    for (k, v) in vars {
        let key = vm.intern(&k);
        let val = vm.new_string(&v);
        env.get().define(&mut vm.heap, key, val, attrs::DEFAULT);
    }
    set(vm, process, "env", Value::heap(env));

    // process is an EventEmitter: the events module is loaded the first time a listener
    // method is used (start-up stays cheap), then process inherits from EventEmitter.
    let lazy = vm.new_object();
    macro_rules! forwarders {
        ($($name:literal),*) => {
            $(
                vm.define_native(lazy, $name, 2, |vm, this, a| forward(vm, this, a, $name));
            )*
        };
    }
    forwarders!(
        "on",
        "once",
        "addListener",
        "prependListener",
        "prependOnceListener",
        "off",
        "removeListener",
        "removeAllListeners",
        "emit",
        "listeners",
        "rawListeners",
        "listenerCount",
        "eventNames",
        "setMaxListeners",
        "getMaxListeners"
    );
    process.get().set_proto(&mut vm.heap, Some(lazy));
    vm.define_native(process, "exit", 1, |vm, _, a| {
        let c = arg(a, 0);
        let code = if c.is_undefined() {
            exit_code(vm)
        } else {
            vm.to_number(c)? as i32
        };
        vm.host.exit_requested = Some(code);
        // Unwind the JavaScript stack: nothing after process.exit() runs.
        Err(Thrown::new(Value::HOLE))
    });
    vm.define_native(process, "nextTick", 1, |vm, _, a| {
        let cb = arg(a, 0);
        if !vm.is_callable(cb) {
            return Err(vm.type_error("The \"callback\" argument must be of type function"));
        }
        let args = a.iter().skip(1).copied().collect();
        vm.host.next_ticks.push_back((cb, args));
        Ok(Value::UNDEFINED)
    });
    vm.define_native(process, "cwd", 0, |vm, _, _| {
        let d = std::env::current_dir()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        Ok(vm.new_string(&d))
    });
    vm.define_native(process, "chdir", 1, |vm, _, a| {
        let d = vm.to_rust_string(arg(a, 0))?;
        if std::env::set_current_dir(&d).is_err() {
            return Err(vm.throw_error(
                crate::vm::realm::ErrorKind::Error,
                &format!("ENOENT: no such file or directory, chdir '{d}'"),
            ));
        }
        Ok(Value::UNDEFINED)
    });
    vm.define_native(process, "uptime", 0, |vm, _, _| {
        let s = vm.host.started.map_or(0.0, |t| t.elapsed().as_secs_f64());
        Ok(Value::number(s))
    });
    vm.define_native(process, "hrtime", 1, |vm, _, a| {
        let now = monotonic_ns();
        let prev = arg(a, 0);
        let (mut s, mut ns) = ((now / 1_000_000_000) as f64, (now % 1_000_000_000) as f64);
        if prev.as_heap::<Object>().is_some() {
            let ps = vm.get_index(prev, 0)?.as_number().unwrap_or(0.0);
            let pn = vm.get_index(prev, 1)?.as_number().unwrap_or(0.0);
            s -= ps;
            ns -= pn;
            if ns < 0.0 {
                s -= 1.0;
                ns += 1e9;
            }
        }
        Ok(Value::heap(
            vm.new_array(vec![Value::number(s), Value::number(ns)]),
        ))
    });
    vm.define_native(process, "memoryUsage", 0, memory_usage);
    vm.define_native(process, "emitWarning", 1, |vm, _, a| {
        // The events module installs node's full emitWarning; this one prints at once.
        let w = arg(a, 0);
        let text = if w.as_heap::<Object>().is_some() {
            crate::vm::builtins::core::error_header(vm, w)?
        } else {
            let t = vm.to_rust_string(w)?;
            format!("Warning: {t}")
        };
        let line = format!("(minijs:{}) {text}\n", std::process::id());
        vm.out.write_err(line.as_bytes());
        Ok(Value::UNDEFINED)
    });
    for (name, err) in [("stdout", false), ("stderr", true)] {
        let stream = vm.new_object();
        let f = if err {
            vm.new_native("write", 1, |vm, _, a| write_stream(vm, a, true), false)
        } else {
            vm.new_native("write", 1, |vm, _, a| write_stream(vm, a, false), false)
        };
        set(vm, stream, "write", Value::heap(f));
        let tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
        set(vm, stream, "isTTY", Value::bool(tty));
        set(vm, stream, "fd", Value::int(if err { 2 } else { 1 }));
        set(vm, process, name, Value::heap(stream));
    }
}

/// A listener method called on `process` before it became an emitter: load events, then call
/// the real method.
fn forward(vm: &mut Vm, this: Value, a: &[Value], name: &str) -> R {
    become_emitter(vm)?;
    let k = vm.intern(name);
    let f = vm.get(this, k)?;
    vm.call(f, this, a)
}

/// Makes `process` an EventEmitter (its prototype becomes EventEmitter.prototype).
pub fn become_emitter(vm: &mut Vm) -> Result<(), Thrown> {
    let ee = super::modules::load_builtin(vm, "events")?;
    let pk = vm.realm.names.prototype;
    let proto = vm.get(ee, pk)?;
    let p = vm.host.process;
    if let (Some(po), Some(pp)) = (p.as_heap::<Object>(), proto.as_heap::<Object>()) {
        if po.get().proto() != Some(pp) {
            po.get().set_proto(&mut vm.heap, Some(pp));
            vm.call(ee, p, &[])?;
            // node's default 'warning' listener prints warnings on stderr.
            let w = super::modules::load_builtin(vm, "internal/warning")?;
            let ok = vm.intern("onWarning");
            let on_warning = vm.get(w, ok)?;
            let onk = vm.intern("on");
            let on = vm.get(p, onk)?;
            let name = vm.new_string("warning");
            vm.call(on, p, &[name, on_warning])?;
            // node's startListeningIfSignal: a listener for a signal name watches the signal.
            let hook = vm.new_native(
                "startListeningIfSignal",
                1,
                super::signals::on_new_listener,
                false,
            );
            let name = vm.new_string("newListener");
            vm.call(on, p, &[name, Value::heap(hook)])?;
        }
    }
    Ok(())
}

/// Whether `process` has listeners for `event` (without loading the events module).
pub fn has_listeners(vm: &mut Vm, event: &str) -> bool {
    let p = vm.host.process;
    let k = vm.intern("_events");
    let Ok(events) = vm.get(p, k) else {
        return false;
    };
    if events.as_heap::<Object>().is_none() {
        return false;
    }
    let ek = vm.intern(event);
    vm.get(events, ek).is_ok_and(|v| !v.is_undefined())
}

fn set(vm: &mut Vm, o: crate::gc::Gc<Object>, name: &str, v: Value) {
    let k = vm.intern(name);
    o.get().define(&mut vm.heap, k, v, attrs::DEFAULT);
}

fn write_stream(vm: &mut Vm, a: &[Value], err: bool) -> R {
    let s = vm.to_rust_string(arg(a, 0))?;
    if err {
        vm.out.write_err(s.as_bytes());
    } else {
        let _ = vm.out.write_all(s.as_bytes());
    }
    Ok(Value::TRUE)
}

/// `process.exitCode` as an exit status (0 when unset).
pub fn exit_code(vm: &mut Vm) -> i32 {
    let p = vm.host.process;
    if p.as_heap::<Object>().is_none() {
        return 0;
    }
    let k = vm.intern("exitCode");
    match vm.get(p, k) {
        Ok(v) => v.as_number().map_or(0, |n| n as i32),
        Err(_) => 0,
    }
}

/// `process.memoryUsage()`: rss from the kernel, the heap numbers from minijs's own
/// accounting (`heapUsed` = live bytes plus garbage not yet collected, `heapTotal` = the
/// threshold of the next collection).
fn memory_usage(vm: &mut Vm, _: Value, _: &[Value]) -> R {
    let o = vm.new_object();
    let rss = resident_bytes();
    let used = vm.heap.used_bytes() as f64;
    let total = (vm.gc_threshold() as f64).max(used);
    for (name, v) in [
        ("rss", rss as f64),
        ("heapTotal", total),
        ("heapUsed", used),
        ("external", 0.0),
        ("arrayBuffers", 0.0),
    ] {
        set(vm, o, name, Value::number(v));
    }
    Ok(Value::heap(o))
}

/// The resident set size in bytes (Linux: /proc/self/statm).
pub fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u64>().ok())
        })
        .map_or(0, |pages| pages * 4096)
}

fn parent_pid() -> u32 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            after.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

pub(crate) fn monotonic_ns() -> u128 {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    let start = START.get_or_init(std::time::Instant::now);
    // An arbitrary origin, as node's hrtime has.
    start.elapsed().as_nanos() + 1_000_000_000_000
}
