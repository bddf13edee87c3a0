//! The built-in library, one file per area. Each `install` defines its globals and prototype
//! methods on the realm's intrinsics.
//!
//! | file | what |
//! |------|------|
//! | `core` | global values, Object, Function.prototype, Array (constructor, push, iterators), Errors, Symbol, Math, wrappers, parseInt/parseFloat, console.log |
//! | `string` | String.prototype and String.fromCharCode/fromCodePoint/raw |
//! | `array` | the rest of Array.prototype, Array.from/of |
//! | `number` | Number.prototype (radix, toFixed/toExponential/toPrecision), Number statics |
//! | `json` | JSON.parse / JSON.stringify |
//! | `collections` | Map, Set, WeakMap, WeakSet and their iterators (over `vm::table`) |
//! | `reflect` | Reflect |
//! | `regexp` | RegExp, Symbol.match/matchAll/replace/search/split, the String methods that take patterns |
//! | `date` | Date; `tz` its local time zone (TZ and the system zone database), `tz_names` ICU's long zone names (generated) |
//! | `uri` | encodeURIComponent and friends, escape/unescape |
//! | `promise` | Promise (§27.2) on the runtime's microtask queue, AggregateError, and the engine's internal promise API (`Vm::new_promise`, …) |
//! | `typed` | ArrayBuffer, %TypedArray% and its nine kinds, DataView (storage in `vm::typed`) |
//! | `buffer` | node's Buffer (a Uint8Array subclass) and `require('buffer')` |
//! | `util` | shared helpers (ToIntegerOrInfinity, relative indices, iterator results) |
//!
//! Intrinsics without a `Realm` field live in `realm.extra` under their spec names
//! (`MapPrototype`, `RegExpPrototype`, `Symbol.match`, …).
//!
//! Natives follow the rooting rule in `interp.rs`: allocation here never collects, but a call
//! back into JavaScript (`vm.call`, `vm.get` on an accessor, `vm.to_string` on an object) may,
//! so heap values a native still needs after such a call are rooted first with `vm.root`.

pub mod array;
pub mod buffer;
pub mod collections;
pub mod console;
pub mod core;
pub mod date;
pub mod encoding;
pub mod eval;
pub mod json;
pub mod number;
pub mod promise;
pub mod reflect;
pub mod regexp;
pub mod string;
pub mod typed;
pub mod tz;
mod tz_names;
pub mod uri;
pub mod util;

#[cfg(test)]
mod tests;

use super::interp::Vm;

pub fn install(vm: &mut Vm) {
    core::install(vm);
    console::install(vm);
    string::install(vm);
    array::install(vm);
    number::install(vm);
    json::install(vm);
    collections::install(vm);
    reflect::install(vm);
    regexp::install(vm);
    date::install(vm);
    uri::install(vm);
    eval::install(vm);
    promise::install(vm);
    typed::install(vm);
    buffer::install(vm);
    encoding::install(vm);
    super::coroutine::install(vm);
}
