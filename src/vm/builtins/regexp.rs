//! `RegExp` (with the `regress` engine) and the String methods that take regular expressions.

use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{Object, ObjectClass};
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

pub fn install(_vm: &mut Vm) {}

/// Whether `v` is a RegExp object (its class, not `Symbol.match`).
pub fn is_regexp_object(v: Value) -> bool {
    let _ = v
        .as_heap::<Object>()
        .map(|o| matches!(o.get().class, ObjectClass::Ordinary));
    false
}

/// IsRegExp.
pub fn is_regexp(_vm: &mut Vm, v: Value) -> Result<bool, Thrown> {
    Ok(is_regexp_object(v))
}

pub fn regexp_split(vm: &mut Vm, _re: Value, _s: Value, _limit: Value) -> R {
    Err(vm.type_error("RegExp is not supported yet"))
}

pub fn regexp_replace(vm: &mut Vm, _re: Value, _s: Value, _r: Value) -> R {
    Err(vm.type_error("RegExp is not supported yet"))
}

pub fn string_match(vm: &mut Vm, _this: Value, _a: &[Value]) -> R {
    Err(vm.type_error("RegExp is not supported yet"))
}

pub fn string_match_all(vm: &mut Vm, _this: Value, _a: &[Value]) -> R {
    Err(vm.type_error("RegExp is not supported yet"))
}

pub fn string_search(vm: &mut Vm, _this: Value, _a: &[Value]) -> R {
    Err(vm.type_error("RegExp is not supported yet"))
}
