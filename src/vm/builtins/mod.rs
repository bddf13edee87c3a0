//! The built-in library, one file per area. Each `install` defines its globals and prototype
//! methods on the realm's intrinsics.
//!
//! Natives follow the rooting rule in `interp.rs`: allocation here never collects, but a call
//! back into JavaScript (`vm.call`, `vm.get` on an accessor, `vm.to_string` on an object) may,
//! so heap values a native still needs after such a call are rooted first with `vm.root`.

pub mod array;
pub mod collections;
pub mod core;
pub mod date;
pub mod json;
pub mod number;
pub mod reflect;
pub mod regexp;
pub mod string;
pub mod uri;
pub mod util;

#[cfg(test)]
mod tests;

use super::interp::Vm;

pub fn install(vm: &mut Vm) {
    core::install(vm);
    string::install(vm);
    array::install(vm);
    number::install(vm);
    json::install(vm);
    collections::install(vm);
    reflect::install(vm);
    regexp::install(vm);
    date::install(vm);
    uri::install(vm);
}
