//! Objects and shapes (hidden classes).
//!
//! A [`Shape`] is a heap cell describing an object's named properties: the last key added, its
//! slot and attributes, the prototype, and a link to the shape before it. Objects created by the
//! same code go through the same transitions and so share shapes; a property lookup is then a
//! shape compare (inline caches, with the interpreter) plus a slot index. Keys are [`Key`]s:
//! interned strings (atoms) compared by handle, or array indices, which live in the object's
//! `elements` and so come first in property order, ascending, as the specification requires.
//!
//! An object that deletes a property, or grows past [`MAX_SHAPE_PROPS`], switches to dictionary
//! mode: its own insertion-ordered table, no shared shape.

use std::cell::{Cell, OnceCell, RefCell};

use crate::gc::borrow::{PairCell, Ref, RefMut};
use std::collections::HashMap;

use crate::fxhash::FxHashMap;

use super::string::JsString;
use super::table::OrderedTable;
use super::value::Value;
use crate::gc::{EdgeName, Gc, Heap, Tagged, Trace, Tracer, HEADER_BYTES};

/// Properties a shape chain may describe before the object goes to dictionary mode.
pub const MAX_SHAPE_PROPS: u32 = 64;

/// Property attributes (ECMA-262 writable / enumerable / configurable).
pub mod attrs {
    pub const WRITABLE: u8 = 1;
    pub const ENUMERABLE: u8 = 2;
    pub const CONFIGURABLE: u8 = 4;
    /// The slot holds an accessor pair (an object of class `Accessor`), not a value.
    pub const ACCESSOR: u8 = 8;
    /// A plain data property created by assignment.
    pub const DEFAULT: u8 = WRITABLE | ENUMERABLE | CONFIGURABLE;
    /// A method of a class or a built-in: writable and configurable, not enumerable.
    pub const HIDDEN: u8 = WRITABLE | CONFIGURABLE;
}

/// A named property key: an interned string, compared by handle. (Symbols join with the
/// library issue.)
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Key(Gc<JsString>);

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Atoms are unique per text, so the cell's stable id identifies the key.
        self.0.id().hash(state)
    }
}

impl Key {
    pub fn string(&self) -> Gc<JsString> {
        self.0
    }

    /// The key of a string that is an atom (came from [`Atoms::intern`]): code constants are
    /// interned when loaded, so instructions name properties at no cost.
    pub(crate) fn from_atom(s: Gc<JsString>) -> Key {
        Key(s)
    }
}

/// The atom table: one `JsString` per distinct key text, so keys compare by handle.
#[derive(Default)]
pub struct Atoms {
    table: HashMap<Vec<u16>, Gc<JsString>>,
}

impl Atoms {
    pub fn intern(&mut self, heap: &mut Heap, text: &str) -> Key {
        let units: Vec<u16> = text.encode_utf16().collect();
        if let Some(&s) = self.table.get(&units) {
            return Key(s);
        }
        let s = heap.alloc(JsString::from_utf16(&units));
        self.table.insert(units, s);
        Key(s)
    }

    /// The atom for a heap string's text (reusing the string itself when it is new).
    pub fn intern_string(&mut self, heap: &mut Heap, s: Gc<JsString>) -> Key {
        let units: Vec<u16> = s.get().units().collect();
        if let Some(&a) = self.table.get(&units) {
            return Key(a);
        }
        let _ = heap;
        self.table.insert(units, s);
        Key(s)
    }

    /// Whether `k` is the atom for its text: every string key is; the keys of symbols and of
    /// private names (`private.rs`) are not.
    pub fn is_atom(&self, k: Key) -> bool {
        let units: Vec<u16> = k.0.get().units().collect();
        self.table.get(&units) == Some(&k.0)
    }

    /// The atoms are roots: a property key must outlive every shape that names it.
    pub fn trace(&self, t: &mut dyn Tracer) {
        for s in self.table.values() {
            t.edge(EdgeName::Internal("atom"), (*s).into());
        }
    }
}

pub struct Shape {
    parent: Option<Gc<Shape>>,
    /// The property this shape adds (`None` for a root shape).
    key: Option<Key>,
    attrs: u8,
    slot: u32,
    /// How many properties the chain describes.
    len: u32,
    proto: Option<Gc<Object>>,
    transitions: RefCell<Vec<(Key, u8, Gc<Shape>)>>,
    /// Key → (slot, attrs), built on first lookup of a long chain.
    table: OnceCell<FxHashMap<Key, (u32, u8)>>,
}

impl Trace for Shape {
    fn trace(&self, t: &mut dyn Tracer) {
        let Shape {
            parent,
            key,
            attrs: _,
            slot: _,
            len: _,
            proto,
            transitions,
            table: _,
        } = self;
        if let Some(p) = parent {
            t.edge(EdgeName::Internal("back_pointer"), (*p).into());
        }
        if let Some(k) = key {
            t.edge(EdgeName::Internal("key"), k.0.into());
        }
        if let Some(p) = proto {
            t.edge(EdgeName::Internal("prototype"), (*p).into());
        }
        for (_, _, s) in transitions.borrow().iter() {
            t.edge(EdgeName::Internal("transition"), (*s).into());
        }
    }
    fn self_size(&self) -> usize {
        HEADER_BYTES
            + std::mem::size_of::<Shape>()
            + self.transitions.borrow().capacity() * std::mem::size_of::<(Key, u8, Gc<Shape>)>()
            + self.table.get().map_or(0, |t| t.capacity() * 24)
    }
    fn kind(&self) -> &'static str {
        "Shape"
    }
}

impl Tagged for Shape {
    const TAG: u64 = 3;
}

impl Shape {
    /// A root shape: no properties, the given prototype.
    pub fn root(heap: &mut Heap, proto: Option<Gc<Object>>) -> Gc<Shape> {
        heap.alloc(Shape {
            parent: None,
            key: None,
            attrs: 0,
            slot: 0,
            len: 0,
            proto,
            transitions: RefCell::new(Vec::new()),
            table: OnceCell::new(),
        })
    }

    /// The shape after adding `key` with `attrs`: an existing transition, or a new one.
    fn with(this: Gc<Shape>, heap: &mut Heap, key: Key, attrs: u8) -> Gc<Shape> {
        let s = this.get();
        if let Some(&(_, _, next)) = s
            .transitions
            .borrow()
            .iter()
            .find(|(k, a, _)| *k == key && *a == attrs)
        {
            return next;
        }
        let next = heap.alloc(Shape {
            parent: Some(this),
            key: Some(key),
            attrs,
            slot: s.len,
            len: s.len + 1,
            proto: s.proto,
            transitions: RefCell::new(Vec::new()),
            table: OnceCell::new(),
        });
        s.transitions.borrow_mut().push((key, attrs, next));
        heap.write_barrier(this, Some(next.into()));
        next
    }

    /// The slot and attributes of `key`, if this shape has it.
    pub fn lookup(this: Gc<Shape>, key: Key) -> Option<(u32, u8)> {
        let s = this.get();
        if s.len > 8 {
            let table = s.table.get_or_init(|| {
                let mut t = FxHashMap::with_capacity_and_hasher(s.len as usize, Default::default());
                let mut cur = Some(this);
                while let Some(c) = cur {
                    let c = c.get();
                    if let Some(k) = c.key {
                        t.entry(k).or_insert((c.slot, c.attrs));
                    }
                    cur = c.parent;
                }
                t
            });
            return table.get(&key).copied();
        }
        let mut cur = Some(this);
        while let Some(c) = cur {
            let c = c.get();
            if c.key == Some(key) {
                return Some((c.slot, c.attrs));
            }
            cur = c.parent;
        }
        None
    }

    /// The keys in insertion order.
    pub fn keys(this: Gc<Shape>) -> Vec<(Key, u8)> {
        let mut out = Vec::with_capacity(this.get().len as usize);
        let mut cur = Some(this);
        while let Some(c) = cur {
            let c = c.get();
            if let Some(k) = c.key {
                out.push((k, c.attrs));
            }
            cur = c.parent;
        }
        out.reverse();
        out
    }

    pub fn len(this: Gc<Shape>) -> u32 {
        this.get().len
    }
}

/// Named properties: behind a shared shape, or (dictionary mode) in the object's own table.
enum Props {
    Shaped {
        shape: Gc<Shape>,
        slots: Slots,
    },
    /// Boxed: dictionary mode is rare (deletes, many properties, prototype changes), and the
    /// box keeps `Props` — and every object — 48 bytes smaller.
    Dict(Box<Dict>),
}

struct Dict {
    proto: Option<Gc<Object>>,
    entries: Vec<(Key, u8, Value)>,
    index: FxHashMap<Key, usize>,
}

impl Dict {
    /// The bytes of the entry vector and the index (24 per entry each, as measured).
    fn heap_bytes(&self) -> usize {
        self.entries.capacity() * 24 + self.index.capacity() * 24
    }

    /// Adds an entry for a key not yet present, noting the storage's growth.
    fn push(&mut self, heap: &Heap, owner: &Object, key: Key, a: u8, v: Value) {
        let before = self.heap_bytes();
        self.index.insert(key, self.entries.len());
        self.entries.push((key, a, v));
        let after = self.heap_bytes();
        if after > before {
            heap.note_growth(owner, after - before);
        }
    }
}

/// An object's array-index properties. A `ThinVec` (one pointer; length and capacity live
/// in its allocation) rather than a `Vec` (three words): most objects have no elements, and
/// the 16 bytes saved brought an object's cell to 128 bytes (and `PairCell` to 112).
pub type Elements = thin_vec::ThinVec<Value>;

/// Appends a property slot, noting the slot vector's growth (allocation pacing).
fn push_slot(heap: &Heap, owner: &Object, slots: &mut Slots, v: Value) {
    let before = slots_heap_bytes(slots);
    slots.push(v);
    let after = slots_heap_bytes(slots);
    if after > before {
        heap.note_growth(owner, after - before);
    }
}

/// How many property values an object keeps inside itself before its slots move to a
/// separate allocation. Three: most objects made by literals and constructors have at most
/// three properties (a tree node, a point, a `{ key, value }` pair), and a `SmallVec` of three
/// values is as big as the `Vec` it replaces (32 bytes with the `union` feature), so small
/// objects are one allocation instead of two (V8 keeps such properties in-object too).
const INLINE_SLOTS: usize = 3;

/// The named properties' values of a shaped object, in shape order.
type Slots = smallvec::SmallVec<[Value; INLINE_SLOTS]>;

/// The bytes of the separate allocation holding `slots` (none while they are inline).
fn slots_heap_bytes(slots: &Slots) -> usize {
    if slots.spilled() {
        slots.capacity() * std::mem::size_of::<Value>()
    } else {
        0
    }
}

pub struct Object {
    /// The named properties (`a`) and the array-index properties (`b`, densely, `Value::HOLE`
    /// where absent), each borrowed as from a `RefCell`, and the object's flags: one borrow
    /// word for both ([`PairCell`]). Two `RefCell`s and three `Cell<bool>`s took 24 bytes for
    /// the same; the 16 saved bring an object's cell from 128 to 112 bytes, one allocator size
    /// class down.
    cells: PairCell<Props, Elements>,
    /// What kind of object this is, with its internal slots.
    pub class: ObjectClass,
}

/// A native function: `this`, the arguments, and the VM to allocate in and call back into.
pub type NativeFn =
    fn(&mut super::interp::Vm, Value, &[Value]) -> Result<Value, super::interp::Thrown>;

/// The kind-specific part of an object.
pub enum ObjectClass {
    Ordinary,
    /// An Array: its elements are `elements`, its `length` their count.
    Array,
    /// A JavaScript function: its code and the environment it was created in; an arrow
    /// function also keeps the `this` it was created with (`Value::HOLE` otherwise), and a
    /// method its home object (for `super`).
    Closure {
        code: Gc<super::function::Code>,
        env: Option<Gc<super::function::Env>>,
        this: Value,
        home: Option<Gc<Object>>,
    },
    /// A function implemented in Rust. `ctor`: whether `new` may call it (it then reads
    /// `Vm::new_target`). `slots`: the values a built-in closure captured (the specification's
    /// abstract closures made by CreateBuiltinFunction, such as a promise's resolving
    /// functions); the native reads and writes them with `Vm::callee_slot`/`set_callee_slot`.
    Native {
        name: &'static str,
        f: NativeFn,
        ctor: bool,
        slots: Option<Box<NativeSlots>>,
    },
    /// `f.bind(this, ...args)`.
    Bound {
        target: Value,
        this: Value,
        args: Box<[Value]>,
    },
    /// A getter/setter pair, stored in the slot of an accessor property (V8's AccessorPair).
    Accessor {
        get: Value,
        set: Value,
    },
    /// An Error instance (`[[ErrorData]]`).
    Error,
    /// `arguments`.
    Arguments,
    /// A boxed primitive (`new Number(1)`, `Object('s')`).
    Boxed(Value),
    /// A host object of the runtime (timers, sockets, heap diffs): its Rust state.
    Host(Box<dyn HostData>),
    /// A Map, Set, WeakMap or WeakSet: its entries in insertion order (`table.rs`). WeakMap
    /// and WeakSet entries are ephemerons (`Tracer::ephemeron`): an entry keeps its value
    /// alive only while its key is reachable elsewhere, and entries with dead keys are
    /// dropped by the collection that finds them dead.
    Map(Box<RefCell<OrderedTable>>),
    Set(Box<RefCell<OrderedTable>>),
    WeakMap(Box<RefCell<OrderedTable>>),
    WeakSet(Box<RefCell<OrderedTable>>),
    /// A RegExp: the compiled pattern, its source and flags (`lastIndex` is an ordinary
    /// property).
    RegExp(Box<RegExpData>),
    /// A Date: its time value (ms since the epoch, NaN for an invalid date).
    Date(Cell<f64>),
    /// A generator object, or the activation of an async function or async generator
    /// (`coroutine.rs`): its saved frame.
    Generator(Box<super::coroutine::Coroutine>),
    /// A Promise: `[[PromiseState]]`, `[[PromiseResult]]`, the reactions and
    /// `[[PromiseIsHandled]]` (`builtins/promise.rs`).
    Promise(Box<super::builtins::promise::PromiseData>),
    /// An ArrayBuffer: its bytes (`[[ArrayBufferData]]`), counted in the cell's self size.
    ArrayBuffer(Box<RefCell<Vec<u8>>>),
    /// A typed array (an integer-indexed exotic object, `typed.rs`): its buffer and window.
    /// Its elements are the buffer's bytes, never `elements`.
    TypedArray(Box<super::typed::ViewData>),
    /// A DataView: its buffer and window (`length` in bytes).
    DataView(Box<super::typed::ViewData>),
}

/// The getter and setter of an accessor property's slot value (an `Accessor` pair);
/// `undefined` for a half that is absent (or a slot that is not a pair).
pub fn accessor_pair(slot: Value) -> (Value, Value) {
    match slot.as_heap::<Object>().as_ref().map(|p| &p.get().class) {
        Some(ObjectClass::Accessor { get, set }) => (*get, *set),
        _ => (Value::UNDEFINED, Value::UNDEFINED),
    }
}

/// How many values a built-in closure can capture (see `ObjectClass::Native`). Three cover
/// every closure the library makes; a fixed array keeps the slots one allocation.
pub const NATIVE_SLOTS: usize = 3;

/// The captured values of a built-in closure.
pub type NativeSlots = [Cell<Value>; NATIVE_SLOTS];

/// The internal slots of a RegExp (`[[RegExpMatcher]]`, `[[OriginalSource]]`,
/// `[[OriginalFlags]]`). No heap values.
pub struct RegExpData {
    pub matcher: regress::Regex,
    pub source: Box<[u16]>,
    pub flags: Box<str>,
}

impl ObjectClass {
    /// The entries of a Map, Set, WeakMap or WeakSet.
    pub fn table(&self) -> Option<&RefCell<OrderedTable>> {
        match self {
            ObjectClass::Map(t)
            | ObjectClass::Set(t)
            | ObjectClass::WeakMap(t)
            | ObjectClass::WeakSet(t) => Some(t),
            _ => None,
        }
    }
}

/// The Rust state of a host object. It may hold heap values: `trace` reports them.
pub trait HostData: std::any::Any {
    fn trace(&self, _t: &mut dyn Tracer) {}
    fn class_name(&self) -> &'static str;
    fn as_any(&self) -> &dyn std::any::Any;
}

impl Trace for Object {
    fn trace(&self, t: &mut dyn Tracer) {
        match &self.class {
            ObjectClass::Closure {
                code,
                env,
                this,
                home,
            } => {
                t.edge(EdgeName::Internal("shared"), (*code).into());
                if let Some(e) = env {
                    t.edge(EdgeName::Internal("context"), (*e).into());
                }
                trace_value(t, EdgeName::Internal("this"), *this, None);
                if let Some(h) = home {
                    t.edge(EdgeName::Internal("home_object"), (*h).into());
                }
            }
            ObjectClass::Bound { target, this, args } => {
                trace_value(t, EdgeName::Internal("bound_function"), *target, None);
                trace_value(t, EdgeName::Internal("bound_this"), *this, None);
                for a in args.iter() {
                    trace_value(t, EdgeName::Internal("bound_argument"), *a, None);
                }
            }
            ObjectClass::Accessor { get, set } => {
                trace_value(t, EdgeName::Internal("getter"), *get, None);
                trace_value(t, EdgeName::Internal("setter"), *set, None);
            }
            ObjectClass::Boxed(v) => trace_value(t, EdgeName::Internal("value"), *v, None),
            ObjectClass::Host(h) => h.trace(t),
            ObjectClass::Map(table) | ObjectClass::Set(table) => table.borrow().trace(t),
            ObjectClass::WeakMap(table) | ObjectClass::WeakSet(table) => {
                table.borrow().trace_weak(t)
            }
            ObjectClass::Promise(p) => p.trace(t),
            ObjectClass::Native {
                slots: Some(slots), ..
            } => {
                for s in slots.iter() {
                    trace_value(t, EdgeName::Internal("context"), s.get(), None);
                }
            }
            ObjectClass::RegExp(_) | ObjectClass::Date(_) | ObjectClass::ArrayBuffer(_) => {}
            ObjectClass::TypedArray(v) | ObjectClass::DataView(v) => {
                // Set once, when the (young) view is made: no barrier needed.
                t.edge(EdgeName::Internal("buffer"), v.buffer.into());
            }
            ObjectClass::Generator(co) => co.trace(t),
            ObjectClass::Ordinary
            | ObjectClass::Array
            | ObjectClass::Native { slots: None, .. }
            | ObjectClass::Error
            | ObjectClass::Arguments => {}
        }
        let Object { class: _, cells: _ } = self;
        match &*self.props_ref() {
            Props::Shaped { shape, slots } => {
                t.edge(EdgeName::Internal("map"), (*shape).into());
                if t.wants_names() {
                    // The prototype lives in the shape; name the link as V8 does.
                    if let Some(p) = shape.get().proto {
                        t.edge(EdgeName::Internal("__proto__"), p.into());
                    }
                    let keys = Shape::keys(*shape);
                    for (v, (k, _)) in slots.iter().zip(keys) {
                        trace_value(t, EdgeName::Internal("property"), *v, Some(k));
                    }
                } else {
                    for v in slots.iter() {
                        trace_value(t, EdgeName::Internal("property"), *v, None);
                    }
                }
            }
            Props::Dict(d) => {
                let Dict {
                    proto,
                    entries,
                    index: _,
                } = &**d;
                if let Some(p) = proto {
                    t.edge(EdgeName::Internal("__proto__"), (*p).into());
                }
                for (k, _, v) in entries {
                    t.edge(EdgeName::Internal("key"), k.0.into());
                    trace_value(t, EdgeName::Internal("property"), *v, Some(*k));
                }
            }
        }
        for (i, v) in self.elements().iter().enumerate() {
            trace_value(t, EdgeName::Index(i as u32), *v, None);
        }
    }
    fn self_size(&self) -> usize {
        let props = match &*self.props_ref() {
            Props::Shaped { slots, .. } => slots_heap_bytes(slots),
            Props::Dict(d) => std::mem::size_of::<Dict>() + d.heap_bytes(),
        };
        let table = self.class.table().map_or(0, |t| t.borrow().heap_bytes());
        let extra = match &self.class {
            ObjectClass::Promise(p) => p.heap_bytes(),
            ObjectClass::Native { slots: Some(_), .. } => std::mem::size_of::<NativeSlots>(),
            ObjectClass::Generator(co) => co.heap_bytes(),
            ObjectClass::ArrayBuffer(b) => {
                std::mem::size_of::<RefCell<Vec<u8>>>() + b.borrow().capacity()
            }
            ObjectClass::TypedArray(_) | ObjectClass::DataView(_) => {
                std::mem::size_of::<super::typed::ViewData>()
            }
            _ => 0,
        };
        HEADER_BYTES
            + extra
            + std::mem::size_of::<Object>()
            + props
            + self.cells.b().capacity() * 8
            + table
    }
    fn remember_always(&self) -> bool {
        // Their references change in many places (saved frames, reactions, host state,
        // captured slots): every minor collection traces them instead of a barrier per store.
        matches!(
            self.class,
            ObjectClass::Generator(_)
                | ObjectClass::Promise(_)
                | ObjectClass::Host(_)
                | ObjectClass::Native { slots: Some(_), .. }
        )
    }
    fn clear_dead_weak(&self, is_live: &dyn Fn(crate::gc::AnyGc) -> bool) {
        if let ObjectClass::WeakMap(t) | ObjectClass::WeakSet(t) = &self.class {
            t.borrow_mut().clear_dead(is_live);
        }
    }
    fn kind(&self) -> &'static str {
        match &self.class {
            ObjectClass::Ordinary => "Object",
            ObjectClass::Array => "Array",
            ObjectClass::Closure { .. } => "Closure",
            ObjectClass::Native { .. } | ObjectClass::Bound { .. } => "Native",
            ObjectClass::Accessor { .. } => "AccessorPair",
            ObjectClass::Error => "Error",
            ObjectClass::Arguments => "Arguments",
            ObjectClass::Boxed(_) => "Object",
            ObjectClass::Host(h) => h.class_name(),
            ObjectClass::Map(_) => "Map",
            ObjectClass::Set(_) => "Set",
            ObjectClass::WeakMap(_) => "WeakMap",
            ObjectClass::WeakSet(_) => "WeakSet",
            ObjectClass::RegExp(_) => "RegExp",
            ObjectClass::Date(_) => "Date",
            ObjectClass::Generator(co) => match co.kind {
                super::function::CoKind::Async => "AsyncFunction",
                super::function::CoKind::AsyncGenerator => "AsyncGenerator",
                _ => "Generator",
            },
            ObjectClass::Promise(_) => "Promise",
            ObjectClass::ArrayBuffer(_) => "ArrayBuffer",
            ObjectClass::TypedArray(t) => t.kind.name(),
            ObjectClass::DataView(_) => "DataView",
        }
    }
}

impl Tagged for Object {
    const TAG: u64 = 1;
}

/// Reports the heap handle inside a value, if any.
///
/// With a `key` and a tracer that wants names, the edge is named by the key
/// ([`EdgeName::Key`]) instead of `name`.
/// The heap handle inside a value, if any.
pub fn value_gc(v: Value) -> Option<crate::gc::AnyGc> {
    if let Some(o) = v.as_heap::<Object>() {
        Some(o.into())
    } else if let Some(s) = v.as_heap::<JsString>() {
        Some(s.into())
    } else {
        v.as_heap::<Symbol>().map(|s| s.into())
    }
}

pub fn trace_value(t: &mut dyn Tracer, name: EdgeName<'_>, v: Value, key: Option<Key>) {
    let name = match key {
        Some(k) if t.wants_names() => EdgeName::Key(k.0.into()),
        _ => name,
    };
    if let Some(o) = v.as_heap::<Object>() {
        t.edge(name, o.into());
    } else if let Some(s) = v.as_heap::<JsString>() {
        t.edge(name, s.into());
    } else if let Some(s) = v.as_heap::<Symbol>() {
        t.edge(name, s.into());
    }
}

/// A symbol: its description, and the private string that stands for it as a property key
/// (never interned, so no string key can equal it).
pub struct Symbol {
    pub description: Option<Gc<JsString>>,
    pub key: Gc<JsString>,
}

impl Trace for Symbol {
    fn trace(&self, t: &mut dyn Tracer) {
        if let Some(d) = self.description {
            t.edge(EdgeName::Internal("name"), d.into());
        }
        t.edge(EdgeName::Internal("key"), self.key.into());
    }
    fn self_size(&self) -> usize {
        HEADER_BYTES + std::mem::size_of::<Symbol>()
    }
    fn kind(&self) -> &'static str {
        "Symbol"
    }
}

impl Tagged for Symbol {
    const TAG: u64 = 4;
}

/// Why a property write did not happen (the caller throws in strict code).
#[derive(Debug, PartialEq, Eq)]
pub enum SetError {
    ReadOnly,
    NotExtensible,
}

/// The object's flags in its `PairCell`.
/// Not extensible (`Object.preventExtensions`, `freeze`, `seal`).
const NOT_EXTENSIBLE: u8 = 1;
/// A function's `length`, `name` and `prototype` are real own properties now, not virtual
/// ones (`Vm::materialize_function_props`).
const FN_PROPS_REAL: u8 = 2;
/// Stays on shapes past [`MAX_SHAPE_PROPS`] (until a delete): the global object, whose
/// bindings every `GetGlobal` inline cache reads through its shape.
const UNBOUNDED_SHAPE: u8 = 4;

impl Object {
    fn props_ref(&self) -> Ref<'_, Props> {
        self.cells.a()
    }

    fn props_mut(&self) -> RefMut<'_, Props> {
        self.cells.a_mut()
    }

    pub fn new(shape: Gc<Shape>) -> Object {
        Object {
            cells: PairCell::new(
                Props::Shaped {
                    shape,
                    slots: Slots::new(),
                },
                Elements::new(),
            ),
            class: ObjectClass::Ordinary,
        }
    }

    /// An object of a given class (functions, natives).
    pub fn with_class(shape: Gc<Shape>, class: ObjectClass) -> Object {
        Object {
            class,
            ..Object::new(shape)
        }
    }

    /// Whether `proto` is on this object's prototype chain (`instanceof`, `isPrototypeOf`).
    pub fn inherits_from(&self, proto: Gc<Object>) -> bool {
        let mut cur = self.proto();
        while let Some(p) = cur {
            if p == proto {
                return true;
            }
            cur = p.get().proto();
        }
        false
    }

    pub fn proto(&self) -> Option<Gc<Object>> {
        match &*self.props_ref() {
            Props::Shaped { shape, .. } => shape.get().proto,
            Props::Dict(d) => d.proto,
        }
    }

    /// The shape, while the object has one (for inline caches).
    pub fn shape(&self) -> Option<Gc<Shape>> {
        match &*self.props_ref() {
            Props::Shaped { shape, .. } => Some(*shape),
            Props::Dict(_) => None,
        }
    }

    /// An own named property's value and attributes.
    pub fn get_own(&self, key: Key) -> Option<(Value, u8)> {
        match &*self.props_ref() {
            Props::Shaped { shape, slots } => {
                Shape::lookup(*shape, key).map(|(slot, a)| (slots[slot as usize], a))
            }
            Props::Dict(d) => {
                let Dict { entries, index, .. } = &**d;
                index.get(&key).map(|&i| (entries[i].2, entries[i].1))
            }
        }
    }

    /// `[[Get]]` for a data property, up the prototype chain (getters come with the library).
    pub fn get(this: Gc<Object>, key: Key) -> Option<Value> {
        let mut cur = Some(this);
        while let Some(o) = cur {
            if let Some((v, _)) = o.get().get_own(key) {
                return Some(v);
            }
            cur = o.get().proto();
        }
        None
    }

    /// Sets an own data property, adding it (through a shape transition) when absent.
    pub fn set(&self, heap: &mut Heap, key: Key, v: Value) -> Result<(), SetError> {
        let r = self.set_inner(heap, key, v);
        self.barrier(heap, key, v);
        r
    }

    /// The write barrier after a named-property store (INV-4): the value, the key (a direct
    /// edge in dictionary mode) and the shape (a new transition is young).
    #[inline]
    fn barrier(&self, heap: &Heap, key: Key, v: Value) {
        heap.write_barrier_in(self, value_gc(v));
        heap.write_barrier_in(self, Some(key.0.into()));
        if let Props::Shaped { shape, .. } = &*self.props_ref() {
            heap.write_barrier_in(self, Some((*shape).into()));
        }
    }

    fn set_inner(&self, heap: &mut Heap, key: Key, v: Value) -> Result<(), SetError> {
        let mut props = self.props_mut();
        match &mut *props {
            Props::Shaped { shape, slots } => {
                if let Some((slot, a)) = Shape::lookup(*shape, key) {
                    if a & attrs::WRITABLE == 0 {
                        return Err(SetError::ReadOnly);
                    }
                    slots[slot as usize] = v;
                    return Ok(());
                }
                if self.cells.flag(NOT_EXTENSIBLE) {
                    return Err(SetError::NotExtensible);
                }
                if Shape::len(*shape) >= MAX_SHAPE_PROPS && !self.cells.flag(UNBOUNDED_SHAPE) {
                    drop(props);
                    self.to_dict(heap);
                    return self.set_inner(heap, key, v);
                }
                *shape = Shape::with(*shape, heap, key, attrs::DEFAULT);
                push_slot(heap, self, slots, v);
                Ok(())
            }
            Props::Dict(d) => {
                let Dict { entries, index, .. } = &mut **d;
                if let Some(&i) = index.get(&key) {
                    if entries[i].1 & attrs::WRITABLE == 0 {
                        return Err(SetError::ReadOnly);
                    }
                    entries[i].2 = v;
                    return Ok(());
                }
                if self.cells.flag(NOT_EXTENSIBLE) {
                    return Err(SetError::NotExtensible);
                }
                d.push(heap, self, key, attrs::DEFAULT, v);
                Ok(())
            }
        }
    }

    /// Defines (or redefines) an own named property with the given attributes.
    pub fn define(&self, heap: &mut Heap, key: Key, v: Value, a: u8) {
        self.define_inner(heap, key, v, a);
        self.barrier(heap, key, v);
    }

    fn define_inner(&self, heap: &mut Heap, key: Key, v: Value, a: u8) {
        let mut props = self.props_mut();
        match &mut *props {
            Props::Shaped { shape, slots } => {
                if let Some((slot, old)) = Shape::lookup(*shape, key) {
                    if old == a {
                        slots[slot as usize] = v;
                        return;
                    }
                    drop(props);
                    self.to_dict(heap);
                    return self.define_inner(heap, key, v, a);
                }
                if Shape::len(*shape) >= MAX_SHAPE_PROPS && !self.cells.flag(UNBOUNDED_SHAPE) {
                    drop(props);
                    self.to_dict(heap);
                    return self.define_inner(heap, key, v, a);
                }
                *shape = Shape::with(*shape, heap, key, a);
                push_slot(heap, self, slots, v);
            }
            Props::Dict(d) => {
                let Dict { entries, index, .. } = &mut **d;
                if let Some(&i) = index.get(&key) {
                    entries[i].1 = a;
                    entries[i].2 = v;
                    return;
                }
                d.push(heap, self, key, a, v);
            }
        }
    }

    /// Replaces the prototype (`Object.setPrototypeOf`, `class extends`).
    pub fn set_proto(&self, heap: &mut Heap, proto: Option<Gc<Object>>) {
        if self.proto() == proto {
            return;
        }
        let mut props = self.props_mut();
        match &mut *props {
            Props::Shaped { shape, slots } if shape.get().len == 0 => {
                *shape = Shape::root(heap, proto);
                slots.clear();
                let s = *shape;
                drop(props);
                heap.write_barrier_in(self, Some(s.into()));
            }
            Props::Shaped { .. } => {
                drop(props);
                self.to_dict(heap);
                self.set_proto(heap, proto);
            }
            Props::Dict(d) => {
                d.proto = proto;
                drop(props);
                heap.write_barrier_in(self, proto.map(Into::into));
            }
        }
    }

    /// Keeps this object on shapes however many properties it gets (the global object: its
    /// shape is what global-variable inline caches check; `Shape::lookup` hashes long chains).
    pub fn keep_shapes(&self) {
        self.cells.set_flag(UNBOUNDED_SHAPE);
    }

    pub fn is_extensible(&self) -> bool {
        !self.cells.flag(NOT_EXTENSIBLE)
    }

    pub fn prevent_extensions(&self) {
        self.cells.set_flag(NOT_EXTENSIBLE);
    }

    /// Whether a function's virtual properties were made real.
    pub fn fn_props_real(&self) -> bool {
        self.cells.flag(FN_PROPS_REAL)
    }

    pub fn set_fn_props_real(&self) {
        self.cells.set_flag(FN_PROPS_REAL);
    }

    /// Moves the own properties `front` (those present) to the start of the property order,
    /// in that order; the others keep theirs.
    pub fn move_to_front(&self, heap: &Heap, front: &[Key]) {
        self.to_dict(heap);
        let mut props = self.props_mut();
        let Props::Dict(d) = &mut *props else {
            return;
        };
        let Dict { entries, index, .. } = &mut **d;
        let mut moved = Vec::with_capacity(entries.len());
        for k in front {
            if let Some(i) = entries.iter().position(|e| e.0 == *k) {
                moved.push(entries.remove(i));
            }
        }
        moved.append(entries);
        *entries = moved;
        index.clear();
        for (j, (k, _, _)) in entries.iter().enumerate() {
            index.insert(*k, j);
        }
    }

    /// The element storage (array items), for natives that walk it.
    pub fn elements(&self) -> Ref<'_, Elements> {
        self.cells.b()
    }

    /// The element storage, for changes that store no new reference (pop, truncate, reorder):
    /// no write barrier is needed.
    pub fn elements_rearrange(&self) -> RefMut<'_, Elements> {
        self.cells.b_mut()
    }

    /// The element storage, to change in bulk: the object is remembered (INV-4) when old, and
    /// the storage's growth is noted (allocation pacing) when the guard drops.
    pub fn elements_mut<'a>(&'a self, heap: &'a Heap) -> ElementsMut<'a> {
        heap.remember_in(self);
        let v = self.cells.b_mut();
        let cap = v.capacity();
        ElementsMut {
            v,
            heap,
            owner: self,
            cap,
        }
    }

    /// Whether this is a callable object.
    pub fn is_callable(&self) -> bool {
        matches!(
            self.class,
            ObjectClass::Closure { .. } | ObjectClass::Native { .. } | ObjectClass::Bound { .. }
        )
    }

    /// `delete obj[key]` for a named property; the object leaves shared shapes for good.
    pub fn delete(&self, heap: &Heap, key: Key) -> bool {
        self.to_dict(heap);
        let mut props = self.props_mut();
        let Props::Dict(d) = &mut *props else {
            return false;
        };
        let Dict { entries, index, .. } = &mut **d;
        let Some(i) = index.remove(&key) else {
            return true;
        };
        if entries[i].1 & attrs::CONFIGURABLE == 0 {
            index.insert(key, i);
            return false;
        }
        entries.remove(i);
        for (j, (k, _, _)) in entries.iter().enumerate().skip(i) {
            index.insert(*k, j);
        }
        true
    }

    /// Leaves shared shapes: the keys become direct edges of the object, so an old object is
    /// remembered (a key may be a young atom).
    fn to_dict(&self, heap: &Heap) {
        let mut props = self.props_mut();
        if let Props::Shaped { shape, slots } = &*props {
            heap.remember_in(self);
            let keys = Shape::keys(*shape);
            let entries: Vec<(Key, u8, Value)> = keys
                .into_iter()
                .zip(slots.iter())
                .map(|((k, a), v)| (k, a, *v))
                .collect();
            let index = entries
                .iter()
                .enumerate()
                .map(|(i, (k, _, _))| (*k, i))
                .collect();
            *props = Props::Dict(Box::new(Dict {
                proto: shape.get().proto,
                entries,
                index,
            }));
        }
    }

    /// Own property keys in the specification's order: indices ascending, then names in
    /// insertion order.
    pub fn own_keys(&self) -> (Vec<u32>, Vec<Key>) {
        let indices = self
            .cells
            .b()
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != Value::HOLE)
            .map(|(i, _)| i as u32)
            .collect();
        let names = match &*self.props_ref() {
            Props::Shaped { shape, .. } => {
                Shape::keys(*shape).into_iter().map(|(k, _)| k).collect()
            }
            Props::Dict(d) => d.entries.iter().map(|(k, _, _)| *k).collect(),
        };
        (indices, names)
    }

    /// The value in a named-property slot (for inline caches that know the shape).
    pub fn slot(&self, slot: u32) -> Value {
        match &*self.props_ref() {
            Props::Shaped { slots, .. } => slots[slot as usize],
            Props::Dict(_) => Value::UNDEFINED,
        }
    }

    /// Writes a named-property slot (for inline caches that know the shape and that the
    /// property is writable).
    pub fn set_slot(&self, heap: &Heap, slot: u32, v: Value) {
        if let Props::Shaped { slots, .. } = &mut *self.props_mut() {
            slots[slot as usize] = v;
        }
        heap.write_barrier_in(self, value_gc(v));
    }

    pub fn get_index(&self, i: u32) -> Option<Value> {
        self.cells
            .b()
            .get(i as usize)
            .copied()
            .filter(|v| *v != Value::HOLE)
    }

    /// The number of element slots (an array's `length`).
    pub fn elements_len(&self) -> usize {
        self.cells.b().len()
    }

    /// Appends an element (`Array.prototype.push`).
    pub fn push_element(&self, heap: &Heap, v: Value) -> usize {
        heap.write_barrier_in(self, value_gc(v));
        let mut e = self.cells.b_mut();
        let cap = e.capacity();
        e.push(v);
        if e.capacity() != cap {
            heap.note_growth(self, (e.capacity() - cap) * std::mem::size_of::<Value>());
        }
        e.len()
    }

    /// Sets an index property (dense storage; holes in between).
    pub fn set_index(&self, heap: &Heap, i: u32, v: Value) {
        heap.write_barrier_in(self, value_gc(v));
        let mut e = self.cells.b_mut();
        let i = i as usize;
        if i >= e.len() {
            let cap = e.capacity();
            e.resize(i + 1, Value::HOLE);
            if e.capacity() != cap {
                heap.note_growth(self, (e.capacity() - cap) * std::mem::size_of::<Value>());
            }
        }
        e[i] = v;
    }
}

/// An object's element storage borrowed for a bulk change (`Object::elements_mut`): when it
/// drops, the storage's growth is noted with the heap (`Heap::note_growth`), so replacing an
/// array's elements with a million values counts as allocating them.
pub struct ElementsMut<'a> {
    v: RefMut<'a, Elements>,
    heap: &'a Heap,
    owner: &'a Object,
    cap: usize,
}

impl std::ops::Deref for ElementsMut<'_> {
    type Target = Elements;
    fn deref(&self) -> &Elements {
        &self.v
    }
}

impl std::ops::DerefMut for ElementsMut<'_> {
    fn deref_mut(&mut self) -> &mut Elements {
        &mut self.v
    }
}

impl Drop for ElementsMut<'_> {
    fn drop(&mut self) {
        let cap = self.v.capacity();
        if cap > self.cap {
            self.heap
                .note_growth(self.owner, (cap - self.cap) * std::mem::size_of::<Value>());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Heap, Atoms, Gc<Shape>) {
        let mut heap = Heap::new();
        let root = Shape::root(&mut heap, None);
        (heap, Atoms::default(), root)
    }

    #[test]
    fn objects_built_alike_share_shapes() {
        let (mut heap, mut atoms, root) = setup();
        let (x, y) = (atoms.intern(&mut heap, "x"), atoms.intern(&mut heap, "y"));
        let a = heap.alloc(Object::new(root));
        let b = heap.alloc(Object::new(root));
        for o in [a, b] {
            o.get().set(&mut heap, x, Value::int(1)).unwrap();
            o.get().set(&mut heap, y, Value::int(2)).unwrap();
        }
        assert_eq!(a.get().shape(), b.get().shape());
        assert_eq!(Object::get(a, y), Some(Value::int(2)));
        a.get().set(&mut heap, x, Value::int(5)).unwrap();
        assert_eq!(
            a.get().shape(),
            b.get().shape(),
            "overwriting keeps the shape"
        );
        assert_eq!(Object::get(a, x), Some(Value::int(5)));
        assert_eq!(Object::get(b, x), Some(Value::int(1)));
    }

    #[test]
    fn key_order_is_the_specifications() {
        let (mut heap, mut atoms, root) = setup();
        let o = heap.alloc(Object::new(root));
        for name in ["b", "a", "c"] {
            let k = atoms.intern(&mut heap, name);
            o.get().set(&mut heap, k, Value::TRUE).unwrap();
        }
        o.get().set_index(&heap, 2, Value::TRUE);
        o.get().set_index(&heap, 0, Value::TRUE);
        let (idx, names) = o.get().own_keys();
        assert_eq!(idx, vec![0, 2]);
        let names: Vec<String> = names
            .iter()
            .map(|k| k.string().get().to_rust_string())
            .collect();
        assert_eq!(names, ["b", "a", "c"]);
        assert_eq!(o.get().get_index(1), None);
    }

    #[test]
    fn delete_goes_to_dictionary_mode_and_keeps_order() {
        let (mut heap, mut atoms, root) = setup();
        let o = heap.alloc(Object::new(root));
        let keys: Vec<Key> = ["a", "b", "c"]
            .iter()
            .map(|n| atoms.intern(&mut heap, n))
            .collect();
        for (i, k) in keys.iter().enumerate() {
            o.get().set(&mut heap, *k, Value::int(i as i32)).unwrap();
        }
        assert!(o.get().delete(&heap, keys[1]));
        assert_eq!(o.get().shape(), None);
        assert_eq!(Object::get(o, keys[1]), None);
        assert_eq!(Object::get(o, keys[2]), Some(Value::int(2)));
        o.get().set(&mut heap, keys[1], Value::int(9)).unwrap();
        assert_eq!(o.get().own_keys().1, vec![keys[0], keys[2], keys[1]]);
    }

    #[test]
    fn an_object_cell_stays_within_its_size_class() {
        // The allocator's size classes: the header plus an object must stay at 112 bytes.
        assert!(HEADER_BYTES + std::mem::size_of::<Object>() <= 112);
    }

    #[test]
    fn the_global_object_keeps_its_shape() {
        let (mut heap, mut atoms, root) = setup();
        let g = heap.alloc(Object::new(root));
        g.get().keep_shapes();
        for i in 0..100 {
            let k = atoms.intern(&mut heap, &format!("g{i}"));
            g.get().set(&mut heap, k, Value::int(i)).unwrap();
        }
        assert!(g.get().shape().is_some());
        let k = atoms.intern(&mut heap, "g70");
        assert_eq!(Object::get(g, k), Some(Value::int(70)));
    }

    #[test]
    fn lookup_follows_the_prototype_chain() {
        let (mut heap, mut atoms, root) = setup();
        let m = atoms.intern(&mut heap, "m");
        let proto = heap.alloc(Object::new(root));
        proto.get().set(&mut heap, m, Value::int(7)).unwrap();
        let child_root = Shape::root(&mut heap, Some(proto));
        let child = heap.alloc(Object::new(child_root));
        assert_eq!(Object::get(child, m), Some(Value::int(7)));
        assert_eq!(child.get().get_own(m), None);
    }

    #[test]
    fn many_properties_use_a_table_then_a_dictionary() {
        let (mut heap, mut atoms, root) = setup();
        let o = heap.alloc(Object::new(root));
        let keys: Vec<Key> = (0..100)
            .map(|i| atoms.intern(&mut heap, &format!("p{i}")))
            .collect();
        for (i, k) in keys.iter().enumerate() {
            o.get().set(&mut heap, *k, Value::int(i as i32)).unwrap();
            if i == 20 {
                assert!(o.get().shape().is_some());
                assert_eq!(Object::get(o, keys[3]), Some(Value::int(3)));
            }
        }
        assert_eq!(o.get().shape(), None, "past {MAX_SHAPE_PROPS} properties");
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(Object::get(o, *k), Some(Value::int(i as i32)));
        }
    }

    #[test]
    fn objects_and_shapes_are_collected_when_unreachable() {
        let (mut heap, mut atoms, root) = setup();
        let x = atoms.intern(&mut heap, "x");
        let keep = heap.alloc(Object::new(root));
        let other = heap.alloc(Object::new(root));
        keep.get().set(&mut heap, x, Value::heap(other)).unwrap();
        other.get().set(&mut heap, x, Value::heap(keep)).unwrap(); // a cycle
        let garbage = heap.alloc(Object::new(root));
        garbage.get().set_index(&heap, 0, Value::heap(keep));
        let before = heap.cell_count();
        heap.collect(&mut |t| {
            atoms.trace(t);
            t.edge(EdgeName::Internal("root"), keep.into());
        });
        assert_eq!(
            heap.cell_count(),
            before - 1,
            "only the unreachable object goes"
        );
        assert_eq!(
            Object::get(keep, x).and_then(|v| v.as_heap::<Object>()),
            Some(other)
        );
    }
}
