//! Code from strings: the global `eval` (indirect-eval semantics: the string runs as a script
//! in the global scope, whatever scope calls it) and the `Function`, `GeneratorFunction`,
//! `AsyncFunction` and `AsyncGeneratorFunction` constructors (ECMA-262 §20.2.1.1.1
//! CreateDynamicFunction: the source `(function anonymous(PARAMS\n) {\nBODY\n})` parsed and
//! compiled by the same front end and compiler as any script).
//!
//! A direct `eval(…)` is the VM's (`vm/dynscope.rs`). Difference from node: `let`/`const` at
//! the top level of an indirect eval (or a sloppy direct one at a script's top level) become
//! global lexical bindings rather than bindings local to that eval.

use std::rc::Rc;

use crate::source::SourceFile;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::realm::{arg, ErrorKind};
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

/// Parses, compiles and runs `text` as a global script; its completion value.
fn run_source(vm: &mut Vm, name: &str, text: String) -> R {
    let file = SourceFile::new(name.to_string(), text);
    let program = match crate::syntax::parse(&file.text) {
        Ok(p) => p,
        Err(e) => {
            let kind = match e.class() {
                crate::syntax::error::ErrorClass::RangeError => ErrorKind::RangeError,
                _ => ErrorKind::SyntaxError,
            };
            return Err(vm.throw_error(kind, &e.message()));
        }
    };
    let proto = match crate::vm::compiler::compile_script(&program) {
        Ok(p) => p,
        Err(crate::vm::compiler::CompileError::Unsupported { what, .. }) => {
            return Err(vm.throw_error(
                ErrorKind::SyntaxError,
                &format!("minijs cannot run {what} yet"),
            ))
        }
        Err(crate::vm::compiler::CompileError::TooManyRegisters { .. }) => {
            return Err(vm.throw_error(
                ErrorKind::RangeError,
                "this function needs too many registers",
            ))
        }
    };
    let code = vm.load(&Rc::new(file), proto);
    vm.run_script(code)
}

/// `eval(x)`: a non-string is returned as is. Called by another name (`(0, eval)(s)`), this
/// is an indirect eval; `eval(s)` itself is recognised by the VM (`Op::CallEval`).
pub fn eval(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let x = arg(a, 0);
    let Some(s) = x.as_heap::<crate::vm::string::JsString>() else {
        return Ok(x);
    };
    let text = s.get().to_rust_string();
    run_source(vm, "eval", text)
}

/// CreateDynamicFunction for `prefix` (`function`, `function*`, `async function`, …).
fn dynamic_function(vm: &mut Vm, a: &[Value], prefix: &str) -> R {
    let mut params = Vec::new();
    let mut body = String::new();
    for (i, v) in a.iter().enumerate() {
        let s = vm.to_string(*v)?.get().to_rust_string();
        if i + 1 == a.len() {
            body = s;
        } else {
            params.push(s);
        }
    }
    let text = format!(
        "({prefix} anonymous({}\n) {{\n{body}\n}})",
        params.join(",")
    );
    run_source(vm, "anonymous", text)
}

pub fn install(vm: &mut Vm) {
    let g = vm.global;
    vm.define_native(g, "eval", 1, eval);
}

pub fn function_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    dynamic_function(vm, a, "function")
}

pub fn generator_function_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    dynamic_function(vm, a, "function*")
}

pub fn async_function_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    dynamic_function(vm, a, "async function")
}

pub fn async_generator_function_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    dynamic_function(vm, a, "async function*")
}
