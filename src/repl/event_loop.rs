//! The event loop while the REPL waits for input: the phases of `runtime::run_loop` (memwatch's
//! events, expired timers, immediates, the poll step) one turn at a time, with the REPL's
//! rules for errors: an exception nothing caught is reported (`Uncaught …`) and the REPL goes
//! on, as node's does. The REPL's input arrives on a channel fed by another thread, which
//! wakes the poll step through a `mio::Waker` when sockets are open.

use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::runtime::{self, memwatch, net, timers};
use crate::vm::interp::{Thrown, Vm};
use crate::vm::value::Value;

/// Where the input thread finds the waker of the poll step (made once a socket is open).
pub type WakeSlot = Arc<Mutex<Option<mio::Waker>>>;

/// Wakes the main thread if it waits in the poll step.
pub fn wake(slot: &WakeSlot) {
    if let Ok(w) = slot.lock() {
        if let Some(w) = w.as_ref() {
            let _ = w.wake();
        }
    }
}

/// Runs what is due now: memwatch's events for the collections since the last turn, the
/// timers whose deadline passed, the immediates queued before this turn. Each exception
/// nothing caught goes to `report`.
pub fn run_due(vm: &mut Vm, report: &mut dyn FnMut(&mut Vm, Thrown)) {
    if vm.host.memwatch.is_none() {
        vm.host.gc_records.clear();
    } else if !vm.host.gc_records.is_empty() {
        let r = memwatch::process_records(vm).map(|_| Value::UNDEFINED);
        after_callback(vm, r, report);
    }
    let now = Instant::now();
    let due: Vec<((Instant, u64), u64)> = vm
        .host
        .schedule
        .range(..=(now, u64::MAX))
        .map(|(k, v)| (*k, *v))
        .collect();
    for (key, id) in due {
        if vm.host.exit_requested.is_some() {
            return;
        }
        // A callback that ran before this one may have cleared or rescheduled it.
        if vm.host.schedule.remove(&key).is_none() {
            continue;
        }
        vm.host.timer_keys.remove(&id);
        let r = timers::fire(vm, id);
        after_callback(vm, r, report);
    }
    let n = vm.host.immediates.len();
    for _ in 0..n {
        if vm.host.exit_requested.is_some() {
            return;
        }
        let Some((imm, args)) = vm.host.immediates.pop_front() else {
            break;
        };
        let r = runtime::run_immediate(vm, imm, &args);
        after_callback(vm, r, report);
    }
}

/// After a callback: report its exception, then run the nextTick and microtask queues.
fn after_callback(vm: &mut Vm, r: Result<Value, Thrown>, report: &mut dyn FnMut(&mut Vm, Thrown)) {
    if let Err(t) = r {
        if vm.host.exit_requested.is_some() {
            return;
        }
        report(vm, t);
    }
    // Each error stops the draining; the rest of the queue still runs.
    for _ in 0..1000 {
        match runtime::drain_ticks(vm) {
            Ok(()) => return,
            Err(_) if vm.host.exit_requested.is_some() => return,
            Err(t) => report(vm, t),
        }
    }
}

/// How long the poll step may wait: zero when callbacks are ready now, until the next timer,
/// or `None` (until input arrives).
pub fn timeout(vm: &Vm) -> Option<Duration> {
    let pending = !vm.host.immediates.is_empty()
        || (vm.host.memwatch.is_some() && !vm.host.gc_records.is_empty());
    if pending {
        return Some(Duration::ZERO);
    }
    vm.host
        .schedule
        .keys()
        .next()
        .map(|(d, _)| d.saturating_duration_since(Instant::now()))
}

/// What waiting ended with.
pub enum Waited<T> {
    Input(T),
    /// The time ran out, or sockets were served: run the due callbacks again.
    Turn,
    /// The input thread is gone.
    Closed,
}

/// Waits up to `timeout` for input, serving sockets meanwhile (their callbacks' exceptions go
/// to `report`).
pub fn wait<T>(
    vm: &mut Vm,
    input: &Receiver<T>,
    slot: &WakeSlot,
    timeout: Option<Duration>,
    report: &mut dyn FnMut(&mut Vm, Thrown),
) -> Waited<T> {
    match input.try_recv() {
        Ok(m) => return Waited::Input(m),
        Err(TryRecvError::Disconnected) => return Waited::Closed,
        Err(TryRecvError::Empty) => {}
    }
    vm.flush();
    if vm.host.net.active() {
        let missing = slot.lock().map(|s| s.is_none()).unwrap_or(false);
        if missing {
            if let Ok(w) = net::waker(vm) {
                if let Ok(mut s) = slot.lock() {
                    *s = Some(w);
                }
            }
        }
        // Input sent before the waker was in place.
        if let Ok(m) = input.try_recv() {
            return Waited::Input(m);
        }
        if let Err(t) = net::poll_once(vm, timeout) {
            if vm.host.exit_requested.is_none() {
                report(vm, t);
            }
        }
        return match input.try_recv() {
            Ok(m) => Waited::Input(m),
            Err(TryRecvError::Disconnected) => Waited::Closed,
            Err(TryRecvError::Empty) => Waited::Turn,
        };
    }
    let r = match timeout {
        Some(t) => input.recv_timeout(t),
        None => input.recv().map_err(|_| RecvTimeoutError::Disconnected),
    };
    match r {
        Ok(m) => Waited::Input(m),
        Err(RecvTimeoutError::Timeout) => Waited::Turn,
        Err(RecvTimeoutError::Disconnected) => Waited::Closed,
    }
}
