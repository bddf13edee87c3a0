//! # The bytecode compiler and VM
//!
//! Decided together with the heap (`crate::gc`), because value representation, object layout,
//! rooting and per-object reporting constrain each other.
//!
//! ## Values: 8 bytes, NaN-boxed
//!
//! A `Value` is a `u64`. Every bit pattern that is not a quiet NaN with the tag prefix is an
//! `f64` (all NaNs are canonicalised to one pattern on the way in). The tagged space holds:
//!
//! | tag | payload |
//! |-----|---------|
//! | undefined, null, true, false, hole (array hole / TDZ marker, never visible to JS) | — |
//! | int32 | a small integer fast path for loop counters, indices and bitwise ops |
//! | object | 48-bit `Gc<Object>` |
//! | string | 48-bit `Gc<JsString>` |
//! | symbol, bigint | 48-bit pointer |
//!
//! `Value` is `Copy`; `tests/sizes.rs` asserts it is 8 bytes. Numbers print through `ryu-js`
//! (shortest round trip, `1e21`, `-0` → `0`).
//!
//! ## Strings
//!
//! `JsString` cells hold Latin-1 bytes or UTF-16 units (JS semantics are UTF-16 whatever the
//! storage), plus a cached hash. Concatenation builds a rope cell (left, right, length) flattened
//! on first read, so `s += x` in a loop is linear. Property keys are atoms: interned strings
//! (and symbols) compared by pointer; integer-like keys are kept as `u32` indices.
//!
//! ## Objects and shapes
//!
//! An object cell (112 bytes with its header) is `{ header, cells: PairCell<Props, Elements>,
//! class: ObjectClass }`: `Props` is the shape plus the property values (up to three inline),
//! or a dictionary; both halves are borrowed like `RefCell`s, with one shared borrow word that
//! also holds the object's flags (`gc/borrow.rs`). A `Shape` is a heap cell `{ parent, key, slot, attrs, proto,
//! transitions }`: objects built by the same code share shapes, so a property lookup is a shape
//! pointer compare plus a slot index. Shapes know their insertion order, giving the spec's
//! property order (integer keys ascending from `elements`, then strings in insertion order, then
//! symbols). After a delete or more than 64 properties an object switches to dictionary mode
//! (its own ordered hash map). `elements` holds array-index properties densely (with holes) until
//! it becomes too sparse, then a sorted map. `ObjectClass` is the kind-specific payload: Ordinary,
//! Array, Function(closure), BoundFunction, Native, Error, Map, Set, WeakMap, Date, RegExp,
//! Boxed primitives, Promise, Arguments, iterator states.
//!
//! ## Bytecode
//!
//! Register-based, one `opcodes!` table as the single source of truth for the enum, the names,
//! the one-line semantics, operand formats and `--dump-bytecode`. Instructions are a compact
//! Rust enum of 8 bytes (`R[dst] := R[a] + R[b]` style operands: 8-bit registers, 16-bit
//! constant and cache indices, 32-bit jumps). Each function's `Code` cell
//! holds instructions, constants, a pc→span table for errors and stack traces, and one inline
//! cache entry per property get/set/call site: `{ shape, slot }` (monomorphic, with a fallback).
//!
//! ## Scopes and closures
//!
//! Scope analysis runs before emission: a binding lives in a register unless an inner function
//! captures it, in which case it lives in a heap `Env` cell (`{ parent, slots }`) created on
//! scope entry. `for (let …)` creates a fresh `Env` per iteration only when the body captures the
//! binding (the tutorial's listener loop). A direct `eval` or a `with` statement makes its
//! function keep its bindings by name and compile the names it cannot resolve statically to
//! run-time lookups (see `compiler.rs` and `dynscope.rs`); other code is unaffected. TDZ: let/const slots start as `hole`, and a read of a
//! hole throws `ReferenceError: Cannot access 'x' before initialization`.
//!
//! ## Calls and the stack
//!
//! A JS→JS call pushes a frame on the VM's own frame stack (registers are windows of one value
//! stack, which is a GC root); the interpreter loop does not recurse. Native→JS calls (callbacks
//! of `map`, getters, `toString`) re-enter the loop, counted; at 10,000 JS frames (or when the
//! re-entrancy count is high) the VM throws a catchable `RangeError: Maximum call stack size
//! exceeded`, never a Rust stack overflow.
//!
//! ## Generators and async functions
//!
//! A coroutine (generator, async function, async generator) runs on the same value stack as
//! any frame. At a `yield` or `await` its registers, arguments, pc and `try` handlers are
//! copied into a heap object (`ObjectClass::Generator`, `coroutine.rs`) and the frame is
//! popped; resuming copies them back and runs a nested `execute`. A suspended function is
//! therefore an ordinary object in the heap's statistics, HeapDiff and snapshots, kept alive
//! by whatever holds it (a pending promise's reactions) and collected otherwise.
//!
//! ## Errors
//!
//! Internal failures are `RuntimeErrorKind` variants turned into JS `TypeError`/`RangeError`
//! objects at one boundary, with V8's words; each frame maps its pc to a span for the
//! `    at fn (file:line:col)` lines.
//!
//! ## The modules
//!
//! `value`: the NaN-boxed `Value` and number formatting; `string`: heap strings; `object`:
//! objects and shapes; `bytecode`: the opcode table; `compiler` (with `capture`): AST →
//! bytecode; `function`: compiled code and environments; `interp`: the dispatch loop, calls,
//! exceptions and collection points; `ops`: the operations natives use; `coroutine`:
//! generators and async functions; `realm`: the intrinsics; `builtins`: the standard library;
//! `inspect`: util.inspect; `table`: Map/Set storage.

pub mod builtins;
pub mod bytecode;
pub mod capture;
pub mod compiler;
pub mod coroutine;
pub mod dynscope;
pub mod function;
pub mod inspect;
pub mod interp;
pub mod object;
pub mod ops;
pub mod output;
pub mod private;
pub mod realm;
pub mod string;
pub mod table;
pub mod typed;
pub mod value;
