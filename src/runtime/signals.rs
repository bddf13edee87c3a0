//! Signals on the event loop: heapdump's SIGUSR2 writer (memwatch.md §7.1), node's
//! `--heapsnapshot-signal=SIGNAL`, and `process.on('SIGINT' | 'SIGUSR2' | …)` listeners.
//!
//! signal-hook-mio turns each watched signal into readiness on the loop's mio poll (its own
//! token), so a signal wakes a loop that waits for sockets or timers; the handlers run on the
//! loop's next turn, in JavaScript's thread, never inside the signal handler. Like libuv's
//! signal handles in node these watchers are unref'd: they never keep the process alive. A
//! watched signal that nobody handles any more (its last listener removed) gets its default
//! action, as it would without minijs's handler.

use std::collections::VecDeque;

use mio::{Interest, Token};
use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH};
use signal_hook_mio::v1_0::Signals;

use crate::vm::interp::{Thrown, Vm};
use crate::vm::value::Value;

/// The poll token of the signal source.
pub const TOKEN: Token = Token(usize::MAX - 1);

/// The signals `process.on` watches (node's names); others are ordinary events.
const NAMES: &[(&str, i32)] = &[
    ("SIGINT", SIGINT),
    ("SIGTERM", SIGTERM),
    ("SIGHUP", SIGHUP),
    ("SIGUSR1", SIGUSR1),
    ("SIGUSR2", SIGUSR2),
    ("SIGWINCH", SIGWINCH),
];

pub fn number(name: &str) -> Option<i32> {
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

fn name(sig: i32) -> &'static str {
    NAMES
        .iter()
        .find(|(_, s)| *s == sig)
        .map_or("SIG?", |(n, _)| n)
}

#[derive(Default)]
pub struct SignalState {
    source: Option<Signals>,
    watched: Vec<i32>,
    /// heapdump's SIGUSR2 writer is on (heapdump loaded without `nosignal`).
    pub heapdump: bool,
    /// `--heapsnapshot-signal=SIG`: node's diagnostic snapshot on that signal.
    pub v8_snapshot: Option<i32>,
    /// Signals received, not handled yet.
    pending: VecDeque<i32>,
}

impl SignalState {
    /// Whether the loop must poll (to be woken by a signal) rather than sleep.
    pub fn active(&self) -> bool {
        self.source.is_some()
    }
}

/// Starts watching `sig` (once). Errors (no poll, a signal that cannot be caught) leave the
/// signal's default action in place.
pub fn watch(vm: &mut Vm, sig: i32) {
    if vm.host.signals.watched.contains(&sig) {
        return;
    }
    if vm.host.signals.source.is_none() {
        let Ok(mut s) = Signals::new::<[i32; 0], i32>([]) else {
            return;
        };
        let Ok(p) = vm.host.net.poll() else {
            return;
        };
        if p.registry()
            .register(&mut s, TOKEN, Interest::READABLE)
            .is_err()
        {
            return;
        }
        vm.host.signals.source = Some(s);
    }
    if let Some(s) = &vm.host.signals.source {
        if s.add_signal(sig).is_ok() {
            vm.host.signals.watched.push(sig);
        }
    }
}

/// The poll step saw the signal token: queue what arrived.
pub fn drain(vm: &mut Vm) {
    let st = &mut vm.host.signals;
    if let Some(s) = &mut st.source {
        for sig in s.pending() {
            st.pending.push_back(sig);
        }
    }
}

/// Handles the signals received: snapshots, then `process.emit(name, name)`; a signal
/// nobody handles gets its default action (the process ends as the signal would end it).
pub fn dispatch(vm: &mut Vm) -> Result<(), Thrown> {
    while let Some(sig) = vm.host.signals.pending.pop_front() {
        let mut handled = false;
        if sig == SIGUSR2 && vm.host.signals.heapdump {
            // heapdump: the default name in the cwd; errors are ignored (memwatch.md §7.1).
            let name = super::heapsnapshot::heapdump_default_name();
            let _ = super::heapsnapshot::write_snapshot(vm, std::path::Path::new(&name));
            handled = true;
        }
        if vm.host.signals.v8_snapshot == Some(sig) {
            let name = super::heapsnapshot::v8_default_name();
            let _ = super::heapsnapshot::write_snapshot(vm, std::path::Path::new(&name));
            handled = true;
        }
        let n = vm.new_string(name(sig));
        if super::emit_process(vm, name(sig), &[n])? {
            handled = true;
        }
        if !handled {
            vm.flush();
            let _ = signal_hook::low_level::emulate_default_handler(sig);
            // A signal whose default is to be ignored (SIGWINCH) lands here.
        }
    }
    Ok(())
}

/// `process`'s 'newListener' hook (node's `startListeningIfSignal`): a listener for a signal
/// name starts watching that signal.
pub fn on_new_listener(vm: &mut Vm, _this: Value, a: &[Value]) -> Result<Value, Thrown> {
    let ev = crate::vm::realm::arg(a, 0);
    if let Some(s) = ev.as_heap::<crate::vm::string::JsString>() {
        if let Some(sig) = number(&s.get().to_rust_string()) {
            watch(vm, sig);
        }
    }
    Ok(Value::UNDEFINED)
}
