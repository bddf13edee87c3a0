//! TEMPORARY: the native Promise API the coroutines use, until the native Promise lands (the
//! next step of issue 11). Until then async functions and async generators throw a TypeError
//! when called.
#![allow(dead_code, unused_variables)]
use super::interp::{Thrown, Vm};
use super::object::Object;
use super::value::Value;
use crate::gc::Gc;

/// Whether the native Promise is there (async functions need it).
pub(crate) const NATIVE_PROMISE: bool = false;

impl Vm {
    pub(crate) fn new_promise(&mut self) -> Gc<Object> {
        self.new_object()
    }
    pub(crate) fn resolve_promise(&mut self, p: Gc<Object>, v: Value) {}
    pub(crate) fn reject_promise(&mut self, p: Gc<Object>, v: Value) {}
    pub(crate) fn promise_resolve(&mut self, v: Value) -> Result<Gc<Object>, Thrown> {
        Err(self.type_error("no native promise yet"))
    }
    pub(crate) fn perform_then(
        &mut self,
        p: Gc<Object>,
        f: Value,
        r: Value,
        result: Option<Gc<Object>>,
    ) {
    }
}
