//! The operations the interpreter and the library share: property access with accessors and
//! prototypes, conversions (ToPrimitive, ToNumber, ToString, ToPropertyKey), equality and
//! comparison, `instanceof`, classes and `super`, iteration, and error creation.
//!
//! This is also the API native functions use (`vm.get`, `vm.put`, `vm.call`, `vm.to_string`,
//! `vm.type_error`, `vm.new_array`, …).

use super::function::{Env, FnKind};
use super::interp::{strict_equals, to_boolean, Thrown, Vm};
use super::object::{accessor_pair, attrs, Key, Object, ObjectClass, Symbol};
use super::realm::ErrorKind;
use super::string::JsString;
use super::value::{number_to_string, Value};
use crate::gc::Gc;

/// A property key after ToPropertyKey: an array index or a named key (string or symbol).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PKey {
    Index(u32),
    Named(Key),
}

/// The array index a string spells, if it is one ("0", "17"; not "01" or "4294967295").
pub fn parse_index(units: &JsString) -> Option<u32> {
    let len = units.len();
    if len == 0 || len > 10 {
        return None;
    }
    let mut n: u64 = 0;
    for (i, u) in units.units().enumerate() {
        if !(b'0' as u16..=b'9' as u16).contains(&u) || (i == 0 && u == b'0' as u16 && len > 1) {
            return None;
        }
        n = n * 10 + (u - b'0' as u16) as u64;
    }
    (n < u32::MAX as u64).then_some(n as u32)
}

impl Vm {
    // ---- Allocation helpers (never collect: see the rooting rule in interp.rs) ----

    pub fn intern(&mut self, s: &str) -> Key {
        self.atoms.intern(&mut self.heap, s)
    }

    pub fn new_string(&mut self, s: &str) -> Value {
        Value::heap(self.heap.alloc(JsString::from_utf8(s)))
    }

    pub fn new_string_utf16(&mut self, units: &[u16]) -> Value {
        Value::heap(self.heap.alloc(JsString::from_utf16(units)))
    }

    pub fn new_object(&mut self) -> Gc<Object> {
        self.heap.alloc(Object::new(self.realm.object_shape))
    }

    pub fn new_object_with_proto(&mut self, proto: Option<Gc<Object>>) -> Gc<Object> {
        let shape = match proto {
            Some(p) => self.realm.shape_for_proto(&mut self.heap, p),
            None => self.realm.null_shape,
        };
        self.heap.alloc(Object::new(shape))
    }

    pub fn new_array(&mut self, items: Vec<Value>) -> Gc<Object> {
        let a = self.heap.alloc(Object::with_class(
            self.realm.array_shape,
            ObjectClass::Array,
        ));
        *a.get().elements_mut(&self.heap) = items.into();
        a
    }

    pub(crate) fn new_arguments(&mut self, items: Vec<Value>, _callee: Value) -> Gc<Object> {
        let a = self.heap.alloc(Object::with_class(
            self.realm.object_shape,
            ObjectClass::Arguments,
        ));
        let n = items.len();
        *a.get().elements_mut(&self.heap) = items.into();
        let k = self.realm.names.length;
        a.get()
            .define(&mut self.heap, k, Value::int(n as i32), attrs::HIDDEN);
        a
    }

    /// A native function object.
    pub fn new_native(
        &mut self,
        name: &'static str,
        length: u32,
        f: super::object::NativeFn,
        ctor: bool,
    ) -> Gc<Object> {
        let func = self.heap.alloc(Object::with_class(
            self.realm.function_shape,
            ObjectClass::Native {
                name,
                f,
                ctor,
                slots: None,
            },
        ));
        let k = self.realm.names.length;
        func.get().define(
            &mut self.heap,
            k,
            Value::int(length as i32),
            attrs::CONFIGURABLE,
        );
        func
    }

    /// A built-in closure: a native function (not a constructor) that captured `slots`
    /// (read back with `Vm::callee_slot` while it runs).
    pub fn new_native_closure(
        &mut self,
        name: &'static str,
        length: u32,
        f: super::object::NativeFn,
        slots: [Value; super::object::NATIVE_SLOTS],
    ) -> Gc<Object> {
        let func = self.heap.alloc(Object::with_class(
            self.realm.function_shape,
            ObjectClass::Native {
                name,
                f,
                ctor: false,
                slots: Some(Box::new(slots.map(std::cell::Cell::new))),
            },
        ));
        let k = self.realm.names.length;
        func.get().define(
            &mut self.heap,
            k,
            Value::int(length as i32),
            attrs::CONFIGURABLE,
        );
        func
    }

    /// Defines a native method on `on` (non-enumerable, as built-ins are).
    pub fn define_native(
        &mut self,
        on: Gc<Object>,
        name: &'static str,
        length: u32,
        f: super::object::NativeFn,
    ) -> Gc<Object> {
        let func = self.new_native(name, length, f, false);
        let k = self.intern(name);
        on.get()
            .define(&mut self.heap, k, Value::heap(func), attrs::HIDDEN);
        func
    }

    /// Defines a data property with the built-ins' attributes (writable, configurable).
    pub fn define_hidden(&mut self, on: Gc<Object>, name: &str, v: Value) {
        let k = self.intern(name);
        on.get().define(&mut self.heap, k, v, attrs::HIDDEN);
    }

    /// When `key` spells an array index: the property lives among the named ones (an
    /// accessor, or read-only, ...), so its element slot becomes a hole (an array grows to
    /// cover it) and index lookups learn to look there.
    pub fn note_index_prop(&mut self, on: Gc<Object>, key: Key) {
        let Some(i) = parse_index(key.string().get()) else {
            return;
        };
        self.realm.index_props = true;
        if matches!(on.get().class, ObjectClass::TypedArray(_)) {
            return;
        }
        let len = on.get().elements_len();
        if (i as usize) < len {
            on.get().elements_rearrange()[i as usize] = Value::HOLE;
        } else if matches!(on.get().class, ObjectClass::Array) {
            on.get().set_index(&self.heap, i, Value::HOLE);
        }
    }

    /// Stores element `i` of a non-array: one far past the elements (`o[4294967294] = 1`)
    /// becomes a named property rather than a dense run of holes.
    pub fn set_element(&mut self, o: Gc<Object>, i: u32, v: Value) {
        let len = o.get().elements_len();
        if (i as usize) >= len + 1024
            && (i as usize) >= len * 2
            && matches!(o.get().class, ObjectClass::Ordinary)
        {
            let k = self.intern(&i.to_string());
            let a = o.get().get_own(k).map_or(attrs::DEFAULT, |(_, a)| a);
            o.get().define(&mut self.heap, k, v, a);
            self.realm.index_props = true;
            return;
        }
        o.get().set_index(&self.heap, i, v);
    }

    /// Defines an accessor property from native getter/setter functions.
    pub fn define_accessor(&mut self, on: Gc<Object>, key: Key, get: Value, set: Value, a: u8) {
        self.note_index_prop(on, key);
        let pair = self.heap.alloc(Object::with_class(
            self.realm.null_shape,
            ObjectClass::Accessor { get, set },
        ));
        on.get()
            .define(&mut self.heap, key, Value::heap(pair), a | attrs::ACCESSOR);
    }

    // ---- Errors ----

    /// A new error object of the given kind, with `message` and a captured `stack`.
    pub fn make_error(&mut self, kind: ErrorKind, message: &str) -> Value {
        let proto = self.realm.error_protos[kind as usize];
        let o = self.new_object_with_proto(Some(proto));
        let o = self.become_error(o);
        let m = self.new_string(message);
        let mk = self.realm.names.message;
        o.get().define(&mut self.heap, mk, m, attrs::HIDDEN);
        self.capture_stack(o, kind.name(), message);
        Value::heap(o)
    }

    /// An object of class Error with the same prototype (the class cannot change in place).
    pub(crate) fn become_error(&mut self, o: Gc<Object>) -> Gc<Object> {
        let proto = o.get().proto();
        let shape = match proto {
            Some(p) => self.realm.shape_for_proto(&mut self.heap, p),
            None => self.realm.null_shape,
        };
        let e = self
            .heap
            .alloc(Object::with_class(shape, ObjectClass::Error));
        // `stack` is an error's first own property in V8 (its value comes later).
        let sk = self.realm.names.stack;
        e.get()
            .define(&mut self.heap, sk, Value::UNDEFINED, attrs::HIDDEN);
        e
    }

    /// Sets `o.stack` to `Name: message` and the current frames.
    pub fn capture_stack(&mut self, o: Gc<Object>, name: &str, message: &str) {
        let header = if message.is_empty() {
            name.to_string()
        } else {
            format!("{name}: {message}")
        };
        self.set_stack(o, header);
    }

    /// Sets `o.stack` to `header` followed by the current frames (`    at …`).
    pub fn set_stack(&mut self, o: Gc<Object>, header: String) {
        let mut s = header;
        for line in self.stack_frames(10) {
            s.push('\n');
            s.push_str(&line);
        }
        let v = self.new_string(&s);
        let k = self.realm.names.stack;
        o.get().define(&mut self.heap, k, v, attrs::HIDDEN);
    }

    pub fn throw_error(&mut self, kind: ErrorKind, message: &str) -> Thrown {
        Thrown::new(self.make_error(kind, message))
    }

    pub fn type_error(&mut self, message: &str) -> Thrown {
        self.throw_error(ErrorKind::TypeError, message)
    }

    pub fn range_error(&mut self, message: &str) -> Thrown {
        self.throw_error(ErrorKind::RangeError, message)
    }

    pub fn reference_error(&mut self, message: &str) -> Thrown {
        self.throw_error(ErrorKind::ReferenceError, message)
    }

    pub fn syntax_error(&mut self, message: &str) -> Thrown {
        self.throw_error(ErrorKind::SyntaxError, message)
    }

    // ---- Property access ----

    /// A global binding's value, if the global object (or its prototypes) has it.
    pub(crate) fn global_lookup(&mut self, k: Key) -> Option<Value> {
        let mut cur = Some(self.global);
        while let Some(o) = cur {
            if let Some((v, _)) = o.get().get_own(k) {
                return Some(v);
            }
            cur = o.get().proto();
        }
        None
    }

    /// `target[key]` (the `[[Get]]` of objects, and of primitives through their prototypes).
    pub fn get(&mut self, target: Value, key: Key) -> Result<Value, Thrown> {
        let start = match target.as_heap::<Object>() {
            Some(o) => o,
            None => {
                if target.is_nullish() {
                    let n = self.key_text(key);
                    return Err(self.nullish_receiver_error(target, "read", "reading", &n));
                }
                if let Some(s) = target.as_heap::<JsString>() {
                    if key == self.realm.names.length {
                        return Ok(Value::int(s.get().len() as i32));
                    }
                    if let Some(i) = parse_index(key.string().get()) {
                        return Ok(self.string_unit_at(s, i));
                    }
                }
                self.proto_of_primitive(target)
            }
        };
        self.get_from(start, key, target)
    }

    /// `[[Get]]` starting at `start` with `receiver` as `this` for getters.
    pub fn get_from(
        &mut self,
        start: Gc<Object>,
        key: Key,
        receiver: Value,
    ) -> Result<Value, Thrown> {
        let mut cur = Some(start);
        while let Some(o) = cur {
            let or = o.get();
            if let Some((v, a)) = or.get_own(key) {
                if a & attrs::ACCESSOR != 0 {
                    return self.call_getter(v, receiver);
                }
                return Ok(v);
            }
            if let Some(v) = self.virtual_property(o, key)? {
                return Ok(v);
            }
            cur = or.proto();
        }
        Ok(Value::UNDEFINED)
    }

    fn call_getter(&mut self, pair: Value, receiver: Value) -> Result<Value, Thrown> {
        let getter = accessor_pair(pair).0;
        if getter.is_undefined() {
            return Ok(Value::UNDEFINED);
        }
        self.call(getter, receiver, &[])
    }

    /// Properties objects have without storing them: an array's `length`, a function's
    /// `name`, `length` and (materialised on first use) `prototype`.
    fn virtual_property(&mut self, o: Gc<Object>, key: Key) -> Result<Option<Value>, Thrown> {
        let names = &self.realm.names;
        if o.get().fn_props_real() {
            // Materialised (or deleted since): only real properties remain.
            return Ok(None);
        }
        match &o.get().class {
            ObjectClass::Array if key == names.length => {
                Ok(Some(Value::number(o.get().elements_len() as f64)))
            }
            ObjectClass::Boxed(v) if key == names.length => Ok(v
                .as_heap::<JsString>()
                .map(|s| Value::int(s.get().len() as i32))),
            ObjectClass::Closure { code, .. } => {
                let code = *code;
                if key == names.name {
                    let n = code.get().name.to_string();
                    Ok(Some(self.new_string(&n)))
                } else if key == names.length {
                    Ok(Some(Value::int(code.get().length as i32)))
                } else if key == names.prototype && code.get().has_prototype() {
                    Ok(Some(Value::heap(self.materialize_prototype(o))))
                } else {
                    Ok(None)
                }
            }
            // A canonical numeric string that is not an index ("-0", "1.5"): never on the
            // prototype of an integer-indexed object.
            ObjectClass::TypedArray(_) if is_canonical_numeric(key) => Ok(Some(Value::UNDEFINED)),
            ObjectClass::Native { name, .. } if key == names.name => {
                let n = *name;
                Ok(Some(self.new_string(n)))
            }
            ObjectClass::Bound { target, .. } if key == names.name => {
                let t = *target;
                let inner = match t.as_heap::<Object>() {
                    Some(f) => self.function_name(f),
                    None => String::new(),
                };
                Ok(Some(self.new_string(&format!("bound {inner}"))))
            }
            _ => Ok(None),
        }
    }

    /// Makes a function's virtual `length`, `name` and `prototype` real own properties, in
    /// V8's order (`length`, `name`, `prototype`, then the others as they were), before an
    /// operation that lists, deletes or redefines own properties; afterwards they are
    /// ordinary properties (deletable, redefinable). Other objects are left alone.
    pub(crate) fn materialize_function_props(&mut self, o: Gc<Object>) {
        if o.get().fn_props_real()
            || !matches!(
                o.get().class,
                ObjectClass::Closure { .. }
                    | ObjectClass::Native { .. }
                    | ObjectClass::Bound { .. }
            )
        {
            return;
        }
        let names = &self.realm.names;
        let keys = [names.length, names.name, names.prototype];
        for k in keys {
            if o.get().get_own(k).is_some() {
                continue;
            }
            // (`prototype` defines itself when materialised.)
            if let Ok(Some(v)) = self.virtual_property(o, k) {
                if o.get().get_own(k).is_none() {
                    o.get().define(&mut self.heap, k, v, attrs::CONFIGURABLE);
                }
            }
        }
        o.get().set_fn_props_real();
        o.get().move_to_front(&self.heap, &keys);
    }

    /// Whether `o` is a function whose virtual properties are still virtual.
    fn has_virtual_fn_props(o: Gc<Object>) -> bool {
        !o.get().fn_props_real()
            && matches!(
                o.get().class,
                ObjectClass::Closure { .. }
                    | ObjectClass::Native { .. }
                    | ObjectClass::Bound { .. }
            )
    }

    /// Creates a constructor function's `prototype` object on first use (V8 does the same: most
    /// functions are never constructed, and the tutorial makes 10,000 per request).
    pub(crate) fn materialize_prototype(&mut self, f: Gc<Object>) -> Gc<Object> {
        let key = self.realm.names.prototype;
        if let Some((v, _)) = f.get().get_own(key) {
            if let Some(p) = v.as_heap::<Object>() {
                return p;
            }
        }
        let co = match &f.get().class {
            ObjectClass::Closure { code, .. } => code.get().co,
            _ => super::function::CoKind::None,
        };
        // A generator function's `prototype` inherits %GeneratorPrototype% and has no
        // `constructor` (ECMA-262 §27.3.4).
        let proto = match co {
            super::function::CoKind::Generator => {
                self.new_object_with_proto(Some(self.realm.generator_proto))
            }
            super::function::CoKind::AsyncGenerator => {
                self.new_object_with_proto(Some(self.realm.async_generator_proto))
            }
            _ => {
                let proto = self.new_object();
                let ck = self.realm.names.constructor;
                proto
                    .get()
                    .define(&mut self.heap, ck, Value::heap(f), attrs::HIDDEN);
                proto
            }
        };
        f.get()
            .define(&mut self.heap, key, Value::heap(proto), attrs::WRITABLE);
        proto
    }

    /// A function object's `name` as a Rust string.
    pub fn function_name(&mut self, f: Gc<Object>) -> String {
        let k = self.realm.names.name;
        if let Some((v, a)) = f.get().get_own(k) {
            if a & attrs::ACCESSOR == 0 {
                return match v.as_heap::<JsString>() {
                    Some(s) => s.get().to_rust_string(),
                    None => String::new(),
                };
            }
        }
        match &f.get().class {
            ObjectClass::Closure { code, .. } => code.get().name.to_string(),
            ObjectClass::Native { name, .. } => name.to_string(),
            ObjectClass::Bound { target, .. } => {
                let t = *target;
                match t.as_heap::<Object>() {
                    Some(f) => format!("bound {}", self.function_name(f)),
                    None => "bound ".into(),
                }
            }
            _ => String::new(),
        }
    }

    fn string_unit_at(&mut self, s: Gc<JsString>, i: u32) -> Value {
        match s.get().unit(i as usize) {
            Some(u) => self.single_unit_string(u),
            None => Value::UNDEFINED,
        }
    }

    /// A one-unit string (Latin-1 ones are cached in the realm).
    pub fn single_unit_string(&mut self, u: u16) -> Value {
        if (u as usize) < self.realm.single_chars.len() {
            return Value::heap(self.realm.single_chars[u as usize]);
        }
        self.new_string_utf16(&[u])
    }

    pub(crate) fn proto_of_primitive(&mut self, v: Value) -> Gc<Object> {
        if v.is_number() {
            self.realm.number_proto
        } else if v.as_heap::<JsString>().is_some() {
            self.realm.string_proto
        } else if v.as_bool().is_some() {
            self.realm.boolean_proto
        } else if v.as_heap::<Symbol>().is_some() {
            self.realm.symbol_proto
        } else {
            self.realm.object_proto
        }
    }

    /// `Cannot read properties of undefined (reading 'x')` and its `set` twin.
    fn nullish_receiver_error(
        &mut self,
        target: Value,
        verb: &str,
        ing: &str,
        key: &str,
    ) -> Thrown {
        let what = if target.is_null() {
            "null"
        } else {
            "undefined"
        };
        self.type_error(&format!(
            "Cannot {verb} properties of {what} ({ing} '{key}')"
        ))
    }

    /// `target[key]` for any key value.
    pub fn get_value(&mut self, target: Value, key: Value) -> Result<Value, Thrown> {
        if target.is_nullish() {
            let n = self.to_display_string(key);
            return Err(self.nullish_receiver_error(target, "read", "reading", &n));
        }
        match self.to_property_key(key)? {
            PKey::Index(i) => self.get_index(target, i),
            PKey::Named(k) => self.get(target, k),
        }
    }

    /// `target[i]` for an array index.
    pub fn get_index(&mut self, target: Value, i: u32) -> Result<Value, Thrown> {
        if let Some(o) = target.as_heap::<Object>() {
            let mut cur = Some(o);
            while let Some(c) = cur {
                if let Some(v) = c.get().get_index(i) {
                    return Ok(v);
                }
                if self.realm.index_props {
                    let k = self.intern(&i.to_string());
                    if let Some((v, a)) = c.get().get_own(k) {
                        if a & attrs::ACCESSOR == 0 {
                            return Ok(v);
                        }
                        let getter = accessor_pair(v).0;
                        if getter.is_undefined() {
                            return Ok(Value::UNDEFINED);
                        }
                        return self.call(getter, target, &[]);
                    }
                }
                match &c.get().class {
                    ObjectClass::Boxed(b) => {
                        if let Some(s) = b.as_heap::<JsString>() {
                            if (i as usize) < s.get().len() {
                                return Ok(self.string_unit_at(s, i));
                            }
                        }
                    }
                    // An integer-indexed exotic object: its indices never reach the prototype.
                    ObjectClass::TypedArray(t) => return Ok(t.get(i).unwrap_or(Value::UNDEFINED)),
                    _ => {}
                }
                cur = c.get().proto();
            }
            return Ok(Value::UNDEFINED);
        }
        if let Some(s) = target.as_heap::<JsString>() {
            return Ok(self.string_unit_at(s, i));
        }
        let k = self.intern(&i.to_string());
        self.get(target, k)
    }

    /// A property `found` up the chain during `target[… ] = v`: an accessor calls its setter
    /// (or nothing, without one) and a read-only property refuses, so the write is settled
    /// (`true`); a writable data property leaves it to the caller (`false`).
    fn write_settled_by(
        &mut self,
        target: Value,
        found: Value,
        a: u8,
        v: Value,
    ) -> Result<bool, Thrown> {
        if a & attrs::ACCESSOR != 0 {
            let setter = accessor_pair(found).1;
            if !setter.is_undefined() {
                self.call(setter, target, &[v])?;
            }
            return Ok(true);
        }
        Ok(a & attrs::WRITABLE == 0)
    }

    /// `target[key] = v` (sloppy mode: a failed write is silent).
    pub fn put(&mut self, target: Value, key: Key, v: Value) -> Result<(), Thrown> {
        if let Some(o) = target.as_heap::<Object>() {
            if matches!(o.get().class, ObjectClass::Error) {
                if key == self.realm.names.name || key == self.realm.names.message {
                    return self.put_error_field(o, key, v);
                }
                if key == self.realm.names.stack {
                    // The program's own stack: a later name or message leaves it alone. (An
                    // error has no virtual function properties: the flag is free to mean this.)
                    o.get().set_fn_props_real();
                }
            }
        }
        self.put_plain(target, key, v)
    }

    /// `error.name = …` / `error.message = …`: V8 writes an error's `stack` header when the
    /// stack is first read, so a header still showing the old name and message follows.
    fn put_error_field(&mut self, o: Gc<Object>, key: Key, v: Value) -> Result<(), Thrown> {
        if o.get().fn_props_real() {
            return self.put_plain(Value::heap(o), key, v);
        }
        let before = self.error_header_quiet(o);
        self.put_plain(Value::heap(o), key, v)?;
        let Some(before) = before else {
            return Ok(());
        };
        let sk = self.realm.names.stack;
        let Some((sv, a)) = o.get().get_own(sk) else {
            return Ok(());
        };
        if a & attrs::ACCESSOR != 0 {
            return Ok(());
        }
        let Some(stack) = sv.as_heap::<JsString>() else {
            return Ok(());
        };
        let text = stack.get().to_rust_string();
        let Some(rest) = text.strip_prefix(&before) else {
            return Ok(());
        };
        if !(rest.is_empty() || rest.starts_with('\n')) {
            return Ok(());
        }
        let Some(after) = self.error_header_quiet(o) else {
            return Ok(());
        };
        if after != before {
            let ns = self.new_string(&format!("{after}{rest}"));
            o.get().define(&mut self.heap, sk, ns, a);
        }
        Ok(())
    }

    /// An error's `Name: message` header from data properties only (no getters run).
    fn error_header_quiet(&mut self, o: Gc<Object>) -> Option<String> {
        let field = |vm: &mut Self, k: Key| -> Option<Option<String>> {
            let mut cur = Some(o);
            while let Some(c) = cur {
                if let Some((v, a)) = c.get().get_own(k) {
                    if a & attrs::ACCESSOR != 0 {
                        return None;
                    }
                    if v.is_undefined() {
                        return Some(None);
                    }
                    if v.as_heap::<Object>().is_some() || v.as_heap::<Symbol>().is_some() {
                        return None;
                    }
                    return Some(Some(vm.to_display_string(v)));
                }
                cur = c.get().proto();
            }
            Some(None)
        };
        let (nk, mk) = (self.realm.names.name, self.realm.names.message);
        let name = field(self, nk)?.unwrap_or_else(|| "Error".into());
        let msg = field(self, mk)?.unwrap_or_default();
        Some(match (name.is_empty(), msg.is_empty()) {
            (_, true) => name,
            (true, false) => msg,
            (false, false) => format!("{name}: {msg}"),
        })
    }

    fn put_plain(&mut self, target: Value, key: Key, v: Value) -> Result<(), Thrown> {
        let Some(o) = target.as_heap::<Object>() else {
            if target.is_nullish() {
                let n = self.key_text(key);
                return Err(self.nullish_receiver_error(target, "set", "setting", &n));
            }
            // Setters on a primitive's prototype still run.
            let proto = self.proto_of_primitive(target);
            if let Some(setter) = self.find_setter(proto, key) {
                self.call(setter, target, &[v])?;
            }
            return Ok(());
        };
        // Own data property: the common case.
        if let Some((_, a)) = o.get().get_own(key) {
            if a & attrs::ACCESSOR == 0 {
                if a & attrs::WRITABLE != 0 {
                    let _ = o.get().set(&mut self.heap, key, v);
                }
                return Ok(());
            }
        }
        if matches!(o.get().class, ObjectClass::Array) && key == self.realm.names.length {
            return self.set_array_length(o, v);
        }
        if matches!(o.get().class, ObjectClass::TypedArray(_)) && is_canonical_numeric(key) {
            self.to_number(v)?;
            return Ok(());
        }
        if let ObjectClass::Closure { code, .. } = &o.get().class {
            if key == self.realm.names.prototype && code.get().has_prototype() {
                o.get().define(&mut self.heap, key, v, attrs::WRITABLE);
                return Ok(());
            }
        }
        // An accessor or a read-only property up the chain decides; else add an own property.
        let mut cur = Some(o);
        while let Some(c) = cur {
            if let Some((pv, a)) = c.get().get_own(key) {
                if self.write_settled_by(target, pv, a, v)? {
                    return Ok(());
                }
                break;
            }
            cur = c.get().proto();
        }
        let _ = o.get().set(&mut self.heap, key, v);
        Ok(())
    }

    fn find_setter(&mut self, start: Gc<Object>, key: Key) -> Option<Value> {
        let mut cur = Some(start);
        while let Some(c) = cur {
            if let Some((pv, a)) = c.get().get_own(key) {
                if a & attrs::ACCESSOR != 0 {
                    if let Some(ObjectClass::Accessor { set, .. }) =
                        pv.as_heap::<Object>().as_ref().map(|p| &p.get().class)
                    {
                        return (!set.is_undefined()).then_some(*set);
                    }
                }
                return None;
            }
            cur = c.get().proto();
        }
        None
    }

    fn set_array_length(&mut self, o: Gc<Object>, v: Value) -> Result<(), Thrown> {
        let n = self.to_number(v)?;
        if n < 0.0 || n.fract() != 0.0 || n > u32::MAX as f64 {
            return Err(self.range_error("Invalid array length"));
        }
        o.get().elements_rearrange().resize(n as usize, Value::HOLE);
        Ok(())
    }

    /// `target[key] = v` for any key value.
    pub fn put_value(&mut self, target: Value, key: Value, v: Value) -> Result<(), Thrown> {
        if target.is_nullish() {
            let n = self.to_display_string(key);
            return Err(self.nullish_receiver_error(target, "set", "setting", &n));
        }
        match self.to_property_key(key)? {
            PKey::Index(i) => {
                if let Some(o) = target.as_heap::<Object>() {
                    if let ObjectClass::TypedArray(_) = o.get().class {
                        return self.typed_array_put(o, i, v);
                    }
                    if self.realm.index_props && o.get().get_index(i).is_none() {
                        let k = self.intern(&i.to_string());
                        let mut cur = Some(o);
                        while let Some(c) = cur {
                            if c.get().get_index(i).is_some() {
                                break;
                            }
                            if let Some((pv, a)) = c.get().get_own(k) {
                                if self.write_settled_by(target, pv, a, v)? {
                                    return Ok(());
                                }
                                if c == o {
                                    o.get().define(&mut self.heap, k, v, a);
                                    return Ok(());
                                }
                                break;
                            }
                            cur = c.get().proto();
                        }
                    }
                    if o.get().is_extensible() || o.get().get_index(i).is_some() {
                        self.set_element(o, i, v);
                    }
                }
                Ok(())
            }
            PKey::Named(k) => self.put(target, k, v),
        }
    }

    /// `ta[i] = v` on a typed array: ToNumber first (it may throw), then an in-range store;
    /// out of range is ignored.
    pub(crate) fn typed_array_put(
        &mut self,
        o: Gc<Object>,
        i: u32,
        v: Value,
    ) -> Result<(), Thrown> {
        let n = self.to_number(v)?;
        if let ObjectClass::TypedArray(t) = &o.get().class {
            t.set(i as usize, n);
        }
        Ok(())
    }

    /// Defines an own property (object literals, class fields, `Object.defineProperty`'s data
    /// case).
    pub fn define_value(&mut self, o: Gc<Object>, key: PKey, v: Value, a: u8) {
        match key {
            PKey::Index(i) if matches!(o.get().class, ObjectClass::TypedArray(_)) => {
                let n = v.as_number().unwrap_or(f64::NAN);
                if let ObjectClass::TypedArray(t) = &o.get().class {
                    t.set(i as usize, n);
                }
            }
            PKey::Index(i) => self.set_element(o, i, v),
            PKey::Named(k) => o.get().define(&mut self.heap, k, v, a),
        }
    }

    /// `delete target[key]`.
    pub fn delete_value(&mut self, target: Value, key: Value) -> Result<bool, Thrown> {
        if target.is_nullish() {
            let what = if target.is_null() {
                "null"
            } else {
                "undefined"
            };
            let n = self.to_display_string(key);
            return Err(self.type_error(&format!(
                "Cannot convert undefined or null to object{}",
                if what.is_empty() { n } else { String::new() }
            )));
        }
        let Some(o) = target.as_heap::<Object>() else {
            return Ok(true);
        };
        match self.to_property_key(key)? {
            PKey::Index(i) => {
                if let ObjectClass::TypedArray(t) = &o.get().class {
                    return Ok(i as usize >= t.length);
                }
                if self.realm.index_props {
                    let k = self.intern(&i.to_string());
                    if o.get().get_own(k).is_some() {
                        return Ok(o.get().delete(&self.heap, k));
                    }
                }
                let mut e = o.get().elements_rearrange();
                if (i as usize) < e.len() {
                    e[i as usize] = Value::HOLE;
                }
                Ok(true)
            }
            PKey::Named(k) => {
                if Self::has_virtual_fn_props(o) {
                    self.materialize_function_props(o);
                }
                Ok(o.get().delete(&self.heap, k))
            }
        }
    }

    /// `key in target`.
    pub fn has_property_value(&mut self, target: Value, key: Value) -> Result<bool, Thrown> {
        let Some(o) = target.as_heap::<Object>() else {
            let k = self.to_display_string(key);
            let t = self.to_display_string(target);
            return Err(self.type_error(&format!(
                "Cannot use 'in' operator to search for '{k}' in {t}"
            )));
        };
        let pk = self.to_property_key(key)?;
        Ok(self.has_property(o, pk))
    }

    pub fn has_property(&mut self, o: Gc<Object>, key: PKey) -> bool {
        let mut cur = Some(o);
        while let Some(c) = cur {
            if self.has_own(c, key) {
                return true;
            }
            cur = c.get().proto();
        }
        false
    }

    pub fn has_own(&mut self, o: Gc<Object>, key: PKey) -> bool {
        match key {
            PKey::Index(i) => {
                o.get().get_index(i).is_some()
                    || (self.realm.index_props && {
                        let k = self.intern(&i.to_string());
                        o.get().get_own(k).is_some()
                    })
                    || match &o.get().class {
                        ObjectClass::Boxed(b) => b
                            .as_heap::<JsString>()
                            .is_some_and(|s| (i as usize) < s.get().len()),
                        ObjectClass::TypedArray(t) => (i as usize) < t.length,
                        _ => false,
                    }
            }
            PKey::Named(k) => {
                o.get().get_own(k).is_some()
                    || match &o.get().class {
                        ObjectClass::Array => k == self.realm.names.length,
                        ObjectClass::Boxed(b) => {
                            k == self.realm.names.length && b.as_heap::<JsString>().is_some()
                        }
                        _ if o.get().fn_props_real() => false,
                        ObjectClass::Closure { code, .. } => {
                            k == self.realm.names.name
                                || k == self.realm.names.length
                                || (k == self.realm.names.prototype && code.get().has_prototype())
                        }
                        ObjectClass::Native { .. } => k == self.realm.names.name,
                        _ => false,
                    }
            }
        }
    }

    /// Own property keys in the specification's order: indices ascending, then strings in
    /// insertion order, then symbols. `only_enumerable` filters by the attribute.
    pub fn own_keys(&mut self, o: Gc<Object>, only_enumerable: bool) -> Vec<PKey> {
        if !only_enumerable && Self::has_virtual_fn_props(o) {
            self.materialize_function_props(o);
        }
        let (indices, names) = o.get().own_keys();
        let mut out: Vec<PKey> = indices.into_iter().map(PKey::Index).collect();
        match &o.get().class {
            ObjectClass::Boxed(b) => {
                if let Some(s) = b.as_heap::<JsString>() {
                    out = (0..s.get().len() as u32).map(PKey::Index).collect();
                }
            }
            ObjectClass::TypedArray(t) => out = (0..t.length as u32).map(PKey::Index).collect(),
            _ => {}
        }
        let mut symbols = Vec::new();
        for k in names {
            if only_enumerable {
                match o.get().get_own(k) {
                    Some((_, a)) if a & attrs::ENUMERABLE != 0 => {}
                    _ => continue,
                }
            }
            if self.realm.symbol_of(k).is_some() {
                symbols.push(PKey::Named(k));
            } else if self.is_private_key(k) {
                // Private elements are not properties (`private.rs`).
                continue;
            } else {
                out.push(PKey::Named(k));
            }
        }
        if self.realm.index_props {
            let mut idx: Vec<u32> = Vec::new();
            out.retain(|k| match k {
                PKey::Index(i) => {
                    idx.push(*i);
                    false
                }
                PKey::Named(n) => match parse_index(n.string().get()) {
                    Some(i) => {
                        idx.push(i);
                        false
                    }
                    None => true,
                },
            });
            if !idx.is_empty() {
                idx.sort_unstable();
                idx.dedup();
                let names = std::mem::take(&mut out);
                out = idx.into_iter().map(PKey::Index).collect();
                out.extend(names);
            }
        }
        out.extend(symbols);
        out
    }

    /// The key as a JavaScript value (a string, or the symbol).
    pub fn key_value(&mut self, key: PKey) -> Value {
        match key {
            PKey::Index(i) => {
                let k = self.intern(&i.to_string());
                Value::heap(k.string())
            }
            PKey::Named(k) => match self.realm.symbol_of(k) {
                Some(s) => Value::heap(s),
                None => Value::heap(k.string()),
            },
        }
    }

    /// A key's text for messages (`Symbol(x)` for symbols).
    pub fn key_text(&mut self, key: Key) -> String {
        match self.realm.symbol_of(key) {
            Some(s) => self.symbol_descriptive_string(s),
            None => key.string().get().to_rust_string(),
        }
    }

    pub fn symbol_descriptive_string(&self, s: Gc<Symbol>) -> String {
        match s.get().description {
            Some(d) => format!("Symbol({})", d.get().to_rust_string()),
            None => "Symbol()".into(),
        }
    }

    /// ToPropertyKey.
    pub fn to_property_key(&mut self, v: Value) -> Result<PKey, Thrown> {
        if let Some(i) = v.as_int() {
            if i >= 0 {
                return Ok(PKey::Index(i as u32));
            }
        }
        if let Some(n) = v.as_number() {
            if n >= 0.0
                && n.fract() == 0.0
                && n < u32::MAX as f64
                && !(n == 0.0 && n.is_sign_negative())
            {
                return Ok(PKey::Index(n as u32));
            }
        }
        if let Some(s) = v.as_heap::<Symbol>() {
            return Ok(PKey::Named(Key::from_atom(s.get().key)));
        }
        let s = match v.as_heap::<JsString>() {
            Some(s) => s,
            None => {
                let p = self.to_primitive(v, Hint::String)?;
                if let Some(s) = p.as_heap::<Symbol>() {
                    return Ok(PKey::Named(Key::from_atom(s.get().key)));
                }
                self.to_string(p)?
            }
        };
        if let Some(i) = parse_index(s.get()) {
            return Ok(PKey::Index(i));
        }
        Ok(PKey::Named(self.atoms.intern_string(&mut self.heap, s)))
    }

    /// Object literal and class methods, getters and setters (flags: 1 get, 2 set,
    /// 4 enumerable); the function's home object becomes `o` (for `super`).
    pub(crate) fn define_method(
        &mut self,
        o: Gc<Object>,
        key: PKey,
        f: Value,
        flags: u16,
    ) -> Result<(), Thrown> {
        let enumerable = if flags & 4 != 0 { attrs::ENUMERABLE } else { 0 };
        let func = f.as_heap::<Object>().expect("a function");
        // Set the home object (the closure was just created for this definition).
        let homed = match &func.get().class {
            ObjectClass::Closure {
                code, env, this, ..
            } => {
                let (code, env, this) = (*code, *env, *this);
                Some(self.new_closure(code, env, this, Some(o)))
            }
            _ => None,
        };
        let f = homed.map_or(f, Value::heap);
        let named = match key {
            PKey::Named(k) => k,
            PKey::Index(i) => self.intern(&i.to_string()),
        };
        // A computed or symbol key names the function when the compiler could not.
        if let Some(fo) = f.as_heap::<Object>() {
            let prefix = match flags & 3 {
                1 => "get ",
                2 => "set ",
                _ => "",
            };
            self.name_function(fo, named, prefix);
        }
        if flags & 3 == 0 {
            match key {
                PKey::Index(i) => o.get().set_index(&self.heap, i, f),
                PKey::Named(k) => o.get().define(
                    &mut self.heap,
                    k,
                    f,
                    attrs::WRITABLE | attrs::CONFIGURABLE | enumerable,
                ),
            }
            return Ok(());
        }
        let (mut get, mut set) = (Value::UNDEFINED, Value::UNDEFINED);
        if let Some((old, a)) = o.get().get_own(named) {
            if a & attrs::ACCESSOR != 0 {
                if let Some(ObjectClass::Accessor { get: g, set: s }) =
                    old.as_heap::<Object>().as_ref().map(|p| &p.get().class)
                {
                    (get, set) = (*g, *s);
                }
            }
        }
        if flags & 1 != 0 {
            get = f;
        } else {
            set = f;
        }
        self.define_accessor(o, named, get, set, attrs::CONFIGURABLE | enumerable);
        Ok(())
    }

    /// SetFunctionName for a closure the compiler could not name (a computed or symbol key):
    /// `prefix` + the key's text (`[description]` for a symbol). A function that already has
    /// a name, or an own `name` property (a class's `static name()`), keeps it.
    pub(crate) fn name_function(&mut self, fo: Gc<Object>, key: Key, prefix: &str) {
        let ObjectClass::Closure { code, .. } = &fo.get().class else {
            return;
        };
        let nk = self.realm.names.name;
        if !code.get().name.is_empty() || fo.get().get_own(nk).is_some() {
            return;
        }
        let text = match self.realm.symbol_of(key) {
            Some(s) => match s.get().description {
                Some(d) => format!("[{}]", d.get().to_rust_string()),
                None => String::new(),
            },
            None => self.key_text(key),
        };
        let v = self.new_string(&format!("{prefix}{text}"));
        fo.get().define(&mut self.heap, nk, v, attrs::CONFIGURABLE);
    }

    /// `{...src}` and object rest: copies own enumerable properties except `excluded` keys.
    pub(crate) fn copy_data_properties(
        &mut self,
        dst: Value,
        src: Value,
        excluded: &[Value],
    ) -> Result<(), Thrown> {
        let (Some(d), Some(s)) = (dst.as_heap::<Object>(), src.as_heap::<Object>()) else {
            if let (Some(d), Some(s)) = (dst.as_heap::<Object>(), src.as_heap::<JsString>()) {
                for i in 0..s.get().len() as u32 {
                    let v = self.string_unit_at(s, i);
                    d.get().set_index(&self.heap, i, v);
                }
            }
            return Ok(());
        };
        let mut skip = Vec::new();
        for e in excluded {
            skip.push(self.to_property_key(*e)?);
        }
        for k in self.own_keys(s, true) {
            if skip.contains(&k) {
                continue;
            }
            let v = match k {
                PKey::Index(i) => self.get_index(src, i)?,
                PKey::Named(n) => self.get(src, n)?,
            };
            self.define_value(d, k, v, attrs::DEFAULT);
        }
        Ok(())
    }

    // ---- Conversions ----

    /// ToPrimitive.
    pub fn to_primitive(&mut self, v: Value, hint: Hint) -> Result<Value, Thrown> {
        let Some(o) = v.as_heap::<Object>() else {
            return Ok(v);
        };
        if let ObjectClass::Boxed(b) = o.get().class {
            return Ok(b);
        }
        let exotic = self.get(v, Key::from_atom(self.realm.sym_to_primitive.get().key))?;
        if !exotic.is_nullish() {
            let h = match hint {
                Hint::Default => "default",
                Hint::Number => "number",
                Hint::String => "string",
            };
            let hv = self.new_string(h);
            let r = self.call(exotic, v, &[hv])?;
            if r.as_heap::<Object>().is_none() {
                return Ok(r);
            }
            return Err(self.type_error("Cannot convert object to primitive value"));
        }
        let order = if hint == Hint::String {
            [self.realm.names.to_string, self.realm.names.value_of]
        } else {
            [self.realm.names.value_of, self.realm.names.to_string]
        };
        for k in order {
            let f = self.get(v, k)?;
            if f.as_heap::<Object>().is_some_and(|f| f.get().is_callable()) {
                let r = self.call(f, v, &[])?;
                if r.as_heap::<Object>().is_none() {
                    return Ok(r);
                }
            }
        }
        Err(self.type_error("Cannot convert object to primitive value"))
    }

    /// ToNumber.
    pub fn to_number(&mut self, v: Value) -> Result<f64, Thrown> {
        if let Some(n) = v.as_number() {
            return Ok(n);
        }
        Ok(match v {
            Value::UNDEFINED => f64::NAN,
            Value::NULL | Value::FALSE => 0.0,
            Value::TRUE => 1.0,
            _ => {
                if let Some(s) = v.as_heap::<JsString>() {
                    string_to_number(&s.get().to_rust_string())
                } else if v.as_heap::<Symbol>().is_some() {
                    return Err(self.type_error("Cannot convert a Symbol value to a number"));
                } else {
                    let p = self.to_primitive(v, Hint::Number)?;
                    return self.to_number(p);
                }
            }
        })
    }

    /// ToString, as a heap string.
    pub fn to_string(&mut self, v: Value) -> Result<Gc<JsString>, Thrown> {
        if let Some(s) = v.as_heap::<JsString>() {
            return Ok(s);
        }
        if v.as_heap::<Symbol>().is_some() {
            return Err(self.type_error("Cannot convert a Symbol value to a string"));
        }
        if v.as_heap::<Object>().is_some() {
            let p = self.to_primitive(v, Hint::String)?;
            return self.to_string(p);
        }
        let s = self.to_display_string(v);
        Ok(self.heap.alloc(JsString::from_utf8(&s)))
    }

    /// ToString as a Rust string.
    pub fn to_rust_string(&mut self, v: Value) -> Result<String, Thrown> {
        if let Some(s) = v.as_heap::<JsString>() {
            return Ok(s.get().to_rust_string());
        }
        let s = self.to_string(v)?;
        Ok(s.get().to_rust_string())
    }

    /// A value's text without running JavaScript (primitives exactly; objects by class), for
    /// messages.
    pub fn to_display_string(&self, v: Value) -> String {
        if let Some(n) = v.as_number() {
            return number_to_string(n);
        }
        match v {
            Value::UNDEFINED => "undefined".into(),
            Value::NULL => "null".into(),
            Value::TRUE => "true".into(),
            Value::FALSE => "false".into(),
            _ => {
                if let Some(s) = v.as_heap::<JsString>() {
                    s.get().to_rust_string()
                } else if let Some(s) = v.as_heap::<Symbol>() {
                    self.symbol_descriptive_string(s)
                } else {
                    match v.as_heap::<Object>().map(|o| o.get().is_callable()) {
                        Some(true) => "function".into(),
                        _ => "#<Object>".into(),
                    }
                }
            }
        }
    }

    pub(crate) fn add_slow(&mut self, x: Value, y: Value) -> Result<Value, Thrown> {
        let x = self.to_primitive(x, Hint::Default)?;
        let y = self.to_primitive(y, Hint::Default)?;
        let xs = x.as_heap::<JsString>();
        let ys = y.as_heap::<JsString>();
        if xs.is_some() || ys.is_some() {
            let a = match xs {
                Some(s) => s,
                None => self.to_string(x)?,
            };
            let b = match ys {
                Some(s) => s,
                None => self.to_string(y)?,
            };
            if a.get().is_empty() {
                return Ok(Value::heap(b));
            }
            if b.get().is_empty() {
                return Ok(Value::heap(a));
            }
            if a.get().len() + b.get().len() > super::string::MAX_LENGTH {
                return Err(self.range_error("Invalid string length"));
            }
            // Long results are ropes (joined on first read): `s += x` loops stay linear.
            let s = if a.get().len() + b.get().len() >= 64 {
                JsString::rope(a, b)
            } else {
                a.get().concat(b.get())
            };
            return Ok(Value::heap(self.heap.alloc(s)));
        }
        Ok(Value::number(self.to_number(x)? + self.to_number(y)?))
    }

    /// `a == b`.
    pub fn loose_equals(&mut self, a: Value, b: Value) -> Result<bool, Thrown> {
        if let (Some(x), Some(y)) = (a.as_number(), b.as_number()) {
            return Ok(x == y);
        }
        if a.is_nullish() || b.is_nullish() {
            return Ok(a.is_nullish() && b.is_nullish());
        }
        let ao = a.as_heap::<Object>().is_some();
        let bo = b.as_heap::<Object>().is_some();
        if ao && bo {
            return Ok(a == b);
        }
        if let (Some(x), Some(y)) = (a.as_heap::<JsString>(), b.as_heap::<JsString>()) {
            return Ok(x.get().same_units(y.get()));
        }
        let sym = a.as_heap::<Symbol>().is_some() || b.as_heap::<Symbol>().is_some();
        if ao {
            let p = self.to_primitive(a, Hint::Default)?;
            return self.loose_equals(p, b);
        }
        if bo {
            let p = self.to_primitive(b, Hint::Default)?;
            return self.loose_equals(a, p);
        }
        if sym {
            return Ok(a == b);
        }
        Ok(self.to_number(a)? == self.to_number(b)?)
    }

    /// `a < b`: `None` when either side is NaN. `left_first` is the evaluation order of
    /// the conversions.
    pub(crate) fn less_than(
        &mut self,
        a: Value,
        b: Value,
        left_first: bool,
    ) -> Result<Option<bool>, Thrown> {
        let (pa, pb) = if left_first {
            let pa = self.to_primitive(a, Hint::Number)?;
            (pa, self.to_primitive(b, Hint::Number)?)
        } else {
            let pb = self.to_primitive(b, Hint::Number)?;
            (self.to_primitive(a, Hint::Number)?, pb)
        };
        if let (Some(x), Some(y)) = (pa.as_heap::<JsString>(), pb.as_heap::<JsString>()) {
            return Ok(Some(x.get().units().lt(y.get().units())));
        }
        let (x, y) = (self.to_number(pa)?, self.to_number(pb)?);
        Ok(if x.is_nan() || y.is_nan() {
            None
        } else {
            Some(x < y)
        })
    }

    /// `typeof v` as a Rust string.
    pub fn type_of_name(&self, v: Value) -> String {
        self.type_of(v).string().get().to_rust_string()
    }

    /// `typeof v`, as an atom.
    pub(crate) fn type_of(&self, v: Value) -> Key {
        let n = &self.realm.names;
        if v.is_number() {
            return n.t_number;
        }
        match v {
            Value::UNDEFINED => n.t_undefined,
            Value::NULL => n.t_object,
            Value::TRUE | Value::FALSE => n.t_boolean,
            _ if v.as_heap::<JsString>().is_some() => n.t_string,
            _ if v.as_heap::<Symbol>().is_some() => n.t_symbol,
            _ => match v.as_heap::<Object>().map(|o| o.get().is_callable()) {
                Some(true) => n.t_function,
                _ => n.t_object,
            },
        }
    }

    /// `v instanceof target`.
    pub fn instance_of(&mut self, v: Value, target: Value) -> Result<bool, Thrown> {
        let Some(t) = target.as_heap::<Object>() else {
            return Err(self.type_error("Right-hand side of 'instanceof' is not callable"));
        };
        if !t.get().is_callable() {
            return Err(self.type_error("Right-hand side of 'instanceof' is not callable"));
        }
        if let ObjectClass::Bound { target: inner, .. } = &t.get().class {
            let inner = *inner;
            return self.instance_of(v, inner);
        }
        let Some(o) = v.as_heap::<Object>() else {
            return Ok(false);
        };
        let pk = self.realm.names.prototype;
        let proto = self.get(target, pk)?;
        let Some(proto) = proto.as_heap::<Object>() else {
            return Err(self
                .type_error("Function has non-object prototype 'undefined' in instanceof check"));
        };
        Ok(o.get().inherits_from(proto))
    }

    // ---- Calls, classes, super ----

    /// `new f(...args)` from the interpreter: with V8's message for non-constructors.
    pub(crate) fn construct_checked(&mut self, f: Value, args: &[Value]) -> Result<Value, Thrown> {
        let ok = match f.as_heap::<Object>().as_ref().map(|o| &o.get().class) {
            Some(ObjectClass::Closure { code, .. }) => code.get().is_constructor(),
            Some(ObjectClass::Native { ctor, .. }) => *ctor,
            Some(ObjectClass::Bound { .. }) => true,
            _ => false,
        };
        if !ok {
            let what = self.describe_new_callee(f);
            return Err(self.type_error(&format!("{what} is not a constructor")));
        }
        self.construct(f, args, f)
    }

    fn describe_new_callee(&mut self, f: Value) -> String {
        if let Some(frame) = self.frames.last() {
            let code = frame.code.get();
            let at = frame.pc.saturating_sub(1);
            if let Some(span) = code.spans.get(at) {
                let text = code
                    .source
                    .text
                    .get(span.start as usize..span.end as usize)
                    .unwrap_or("");
                if let Some(rest) = text.strip_prefix("new ") {
                    let callee: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '.'))
                        .collect();
                    if !callee.is_empty() {
                        return callee;
                    }
                }
            }
        }
        self.to_display_string(f)
    }

    /// `super(...args)` in a derived constructor.
    pub(crate) fn super_call(&mut self, args: &[Value]) -> Result<Value, Thrown> {
        let frame = self.frames.last().expect("a frame");
        let (callee, new_target) = (frame.callee, frame.new_target);
        let v = self.super_construct(callee, new_target, args)?;
        // The parent constructor has run (as in V8) before a second `super()` throws.
        if self.frames.last().expect("a frame").this != Value::HOLE {
            return Err(self.reference_error("Super constructor may only be called once"));
        }
        self.frames.last_mut().expect("a frame").this = v;
        Ok(v)
    }

    /// Constructs the parent of the derived constructor `callee` with `args` and `new_target`
    /// (§13.3.7.1 SuperCall, before binding `this`).
    pub(crate) fn super_construct(
        &mut self,
        callee: Value,
        new_target: Value,
        args: &[Value],
    ) -> Result<Value, Thrown> {
        let Some(f) = callee.as_heap::<Object>() else {
            return Err(self.syntax_error("'super' keyword unexpected here"));
        };
        let parent = f.get().proto();
        let is_ctor = |p: &Gc<Object>| match &p.get().class {
            ObjectClass::Closure { code, .. } => code.get().is_constructor(),
            ObjectClass::Native { ctor, .. } => *ctor,
            ObjectClass::Bound { .. } => true,
            _ => false,
        };
        let Some(parent) = parent.filter(is_ctor) else {
            // V8's wording: the parent by its name (`null` for none, or for a function
            // without a name such as %Function.prototype%), the class by its own.
            let what = match parent {
                Some(p) if p.get().is_callable() => {
                    let n = self.function_name(p);
                    if n.is_empty() {
                        "null".to_string()
                    } else {
                        n
                    }
                }
                Some(p) => self.to_display_string(Value::heap(p)),
                None => "null".to_string(),
            };
            // V8 names the function running `super()` (an arrow's own name, if it runs there).
            let running = self.frames.last().expect("a frame").callee;
            let running = running.as_heap::<Object>().unwrap_or(f);
            let class = match self.function_name(running) {
                n if n.is_empty() => "anonymous class".to_string(),
                n => n,
            };
            return Err(self.type_error(&format!(
                "Super constructor {what} of {class} is not a constructor"
            )));
        };
        self.construct(Value::heap(parent), args, new_target)
    }

    /// `super[key]`: looked up from the home object's prototype, with `this` as receiver.
    pub(crate) fn super_get(&mut self, key: Value, this: Value) -> Result<Value, Thrown> {
        let callee = self.frames.last().expect("a frame").callee;
        let home = match callee.as_heap::<Object>().as_ref().map(|o| &o.get().class) {
            Some(ObjectClass::Closure { home: Some(h), .. }) => *h,
            _ => return Err(self.syntax_error("'super' keyword unexpected here")),
        };
        let Some(start) = home.get().proto() else {
            return Ok(Value::UNDEFINED);
        };
        let k = match self.to_property_key(key)? {
            PKey::Named(k) => k,
            PKey::Index(i) => self.intern(&i.to_string()),
        };
        self.get_from(start, k, this)
    }

    /// Sets up a class: `ctor.prototype` (inheriting from the parent's), `constructor`, and
    /// the constructor's own prototype (the parent, for static inheritance).
    #[cfg(test)]
    pub(crate) fn make_class(
        &mut self,
        ctor: Value,
        parent: Option<Value>,
    ) -> Result<Gc<Object>, Thrown> {
        Ok(self.make_class_homed(ctor, parent)?.0)
    }

    /// `make_class`, also returning the constructor to use: a copy of `ctor` whose home
    /// object is the new prototype.
    pub(crate) fn make_class_homed(
        &mut self,
        ctor: Value,
        parent: Option<Value>,
    ) -> Result<(Gc<Object>, Gc<Object>), Thrown> {
        let c = ctor.as_heap::<Object>().expect("a class constructor");
        let proto_parent = match parent {
            None => Some(self.realm.object_proto),
            Some(p) if p.is_null() => None,
            Some(p) => {
                let po = p.as_heap::<Object>().filter(|o| o.get().is_callable());
                let Some(po) = po else {
                    let t = self.to_display_string(p);
                    return Err(self.type_error(&format!(
                        "Class extends value {t} is not a constructor or null"
                    )));
                };
                c.get().set_proto(&mut self.heap, Some(po));
                let pk = self.realm.names.prototype;
                let pp = self.get(p, pk)?;
                if pp.is_null() {
                    None
                } else {
                    match pp.as_heap::<Object>() {
                        Some(o) => Some(o),
                        None => {
                            let t = self.to_display_string(pp);
                            return Err(self.type_error(&format!(
                                "Class extends value does not have valid prototype property {t}"
                            )));
                        }
                    }
                }
            }
        };
        let proto = self.new_object_with_proto(proto_parent);
        // The constructor's home object is the prototype (for `super.x` in it): a copy of the
        // closure just made for this definition, with the parent as its prototype.
        let c = match &c.get().class {
            ObjectClass::Closure {
                code, env, this, ..
            } => {
                let (code, env, this) = (*code, *env, *this);
                // The old closure (in a register) keeps the prototype alive meanwhile.
                let pk = self.realm.names.prototype;
                c.get().define(&mut self.heap, pk, Value::heap(proto), 0);
                let homed = self.new_closure(code, env, this, Some(proto));
                homed.get().set_proto(&mut self.heap, c.get().proto());
                homed
            }
            _ => c,
        };
        let ctor = Value::heap(c);
        let ck = self.realm.names.constructor;
        proto.get().define(&mut self.heap, ck, ctor, attrs::HIDDEN);
        let pk = self.realm.names.prototype;
        c.get().define(&mut self.heap, pk, Value::heap(proto), 0);
        Ok((proto, c))
    }

    // ---- Iteration ----

    /// The items of an array value (spread calls build one).
    pub(crate) fn array_items(&mut self, v: Value) -> Vec<Value> {
        match v.as_heap::<Object>() {
            Some(a) => a
                .get()
                .elements()
                .iter()
                .map(|v| {
                    if *v == Value::HOLE {
                        Value::UNDEFINED
                    } else {
                        *v
                    }
                })
                .collect(),
            None => Vec::new(),
        }
    }

    /// Whether arrays still iterate the built-in way (no one replaced
    /// `Array.prototype[Symbol.iterator]`).
    pub(crate) fn array_iteration_is_pristine(&mut self, a: Gc<Object>) -> bool {
        a.get().proto() == Some(self.realm.array_proto)
            && self
                .realm
                .array_proto
                .get()
                .get_own(Key::from_atom(self.realm.sym_iterator.get().key))
                .map(|(v, _)| v)
                == Some(self.realm.array_values)
    }

    /// An iterator over `v`: `(iterator, state)`. Arrays and strings iterate by index (the
    /// state is the next index); other objects through `[Symbol.iterator]()` (the state is
    /// the `next` method).
    pub(crate) fn get_iterator(&mut self, v: Value) -> Result<(Value, Value), Thrown> {
        if let Some(a) = v.as_heap::<Object>() {
            if matches!(a.get().class, ObjectClass::Array) && self.array_iteration_is_pristine(a) {
                return Ok((v, Value::int(0)));
            }
        }
        if v.as_heap::<JsString>().is_some() {
            return Ok((v, Value::int(0)));
        }
        self.get_iterator_by_protocol(v)
    }

    /// GetIterator(v, sync) by the protocol (no fast path): the iterator and its `next`.
    pub(crate) fn get_iterator_by_protocol(&mut self, v: Value) -> Result<(Value, Value), Thrown> {
        let ik = Key::from_atom(self.realm.sym_iterator.get().key);
        let f = if v.is_nullish() {
            Value::UNDEFINED
        } else {
            self.get(v, ik)?
        };
        if !f.as_heap::<Object>().is_some_and(|f| f.get().is_callable()) {
            let t = self.describe_iterable(v);
            return Err(self.type_error(&format!("{t} is not iterable")));
        }
        let it = self.call(f, v, &[])?;
        if it.as_heap::<Object>().is_none() {
            return Err(self.type_error("Result of the Symbol.iterator method is not an object"));
        }
        let nk = self.realm.names.next;
        let next = self.get(it, nk)?;
        Ok((it, next))
    }

    fn describe_iterable(&mut self, v: Value) -> String {
        if v.is_nullish() || v.is_number() || v.as_bool().is_some() {
            let t = self.to_display_string(v);
            let ty = self.type_of(v).string().get().to_rust_string();
            if v.is_nullish() {
                return t;
            }
            return format!("{ty} {t}");
        }
        if let Some(frame) = self.frames.last() {
            let code = frame.code.get();
            let at = frame.pc.saturating_sub(1);
            if let Some(span) = code.spans.get(at) {
                if let Some(t) = code.source.text.get(span.start as usize..span.end as usize) {
                    if t.len() < 80 && !t.contains('\n') {
                        return t.to_string();
                    }
                }
            }
        }
        "object".into()
    }

    /// One step: `Some((value, new state))`, or `None` when done.
    pub(crate) fn iterator_step(
        &mut self,
        it: Value,
        state: Value,
    ) -> Result<Option<(Value, Value)>, Thrown> {
        if it.is_undefined() {
            return Ok(None);
        }
        if let Some(i) = state.as_int() {
            if let Some(a) = it.as_heap::<Object>() {
                let len = a.get().elements_len();
                if (i as usize) >= len {
                    return Ok(None);
                }
                let v = a.get().get_index(i as u32).unwrap_or(Value::UNDEFINED);
                let v = if v == Value::HOLE {
                    Value::UNDEFINED
                } else {
                    v
                };
                return Ok(Some((v, Value::int(i + 1))));
            }
            if let Some(s) = it.as_heap::<JsString>() {
                let s = s.get();
                let i = i as usize;
                let Some(u) = s.unit(i) else {
                    return Ok(None);
                };
                if (0xD800..0xDC00).contains(&u) {
                    if let Some(lo) = s.unit(i + 1).filter(|l| (0xDC00..0xE000).contains(l)) {
                        let v = self.new_string_utf16(&[u, lo]);
                        return Ok(Some((v, Value::int(i as i32 + 2))));
                    }
                }
                let v = self.single_unit_string(u);
                return Ok(Some((v, Value::int(i as i32 + 1))));
            }
            return Ok(None);
        }
        let r = self.call(state, it, &[])?;
        if r.as_heap::<Object>().is_none() {
            let t = self.to_display_string(r);
            return Err(self.type_error(&format!("Iterator result {t} is not an object")));
        }
        let dk = self.realm.names.done;
        let done = self.get(r, dk)?;
        if to_boolean(done) {
            return Ok(None);
        }
        let vk = self.realm.names.value;
        let v = self.get(r, vk)?;
        Ok(Some((v, state)))
    }

    /// Closes an iterator left early (`break` out of for-of, destructuring that stops).
    pub(crate) fn iterator_close(&mut self, it: Value, state: Value) -> Result<(), Thrown> {
        if state.as_int().is_some() || it.as_heap::<Object>().is_none() {
            return Ok(());
        }
        let rk = self.intern("return");
        let f = self.get(it, rk)?;
        if f.as_heap::<Object>().is_some_and(|f| f.get().is_callable()) {
            self.call(f, it, &[])?;
        }
        Ok(())
    }

    /// Every value an iterable produces.
    pub fn iterate_to_vec(&mut self, v: Value) -> Result<Vec<Value>, Thrown> {
        if let Some(a) = v.as_heap::<Object>() {
            if matches!(a.get().class, ObjectClass::Array) && self.array_iteration_is_pristine(a) {
                return Ok(self.array_items(v));
            }
        }
        let (it, mut state) = self.get_iterator(v)?;
        let mark = self.stack.len();
        self.root(it);
        let mut out = Vec::new();
        let holder = self.new_array(Vec::new());
        self.root(Value::heap(holder));
        while let Some((x, s)) = self.iterator_step(it, state)? {
            holder.get().push_element(&self.heap, x);
            state = s;
        }
        out.extend(holder.get().elements().iter().copied());
        self.stack.truncate(mark);
        Ok(out)
    }

    /// The keys for-in visits: enumerable string keys of the object and its prototypes, each
    /// once, in order.
    pub(crate) fn for_in_keys(&mut self, v: Value) -> Result<Vec<Value>, Thrown> {
        let mut out = Vec::new();
        if v.is_nullish() {
            return Ok(out);
        }
        if let Some(s) = v.as_heap::<JsString>() {
            for i in 0..s.get().len() {
                out.push(self.key_value(PKey::Index(i as u32)));
            }
            return Ok(out);
        }
        let Some(o) = v.as_heap::<Object>() else {
            return Ok(out);
        };
        let mut seen: Vec<PKey> = Vec::new();
        let mut cur = Some(o);
        while let Some(c) = cur {
            for k in self.own_keys(c, false) {
                if let PKey::Named(n) = k {
                    if self.realm.symbol_of(n).is_some() {
                        continue;
                    }
                }
                if seen.contains(&k) {
                    continue;
                }
                seen.push(k);
                let enumerable = match k {
                    PKey::Index(_) => true,
                    PKey::Named(n) => c
                        .get()
                        .get_own(n)
                        .is_some_and(|(_, a)| a & attrs::ENUMERABLE != 0),
                };
                if enumerable {
                    out.push(self.key_value(k));
                }
            }
            cur = c.get().proto();
        }
        Ok(out)
    }

    /// The strings array of a tagged template site (cached in the constant pool).
    pub(crate) fn template_object(&mut self, v: Value) -> Result<Value, Thrown> {
        Ok(v)
    }

    /// The environment chain of the current frame (for debugging tools).
    pub fn current_env(&self) -> Option<Gc<Env>> {
        self.frames.last().and_then(|f| f.env)
    }

    /// Whether `f` is a class constructor.
    pub fn is_class_constructor(&self, f: Gc<Object>) -> bool {
        matches!(&f.get().class, ObjectClass::Closure { code, .. }
            if matches!(code.get().kind, FnKind::ClassCtor | FnKind::DerivedCtor))
    }

    pub fn is_callable(&self, v: Value) -> bool {
        v.as_heap::<Object>().is_some_and(|o| o.get().is_callable())
    }

    /// ToObject (TypeError for null and undefined).
    pub fn to_object(&mut self, v: Value) -> Result<Gc<Object>, Thrown> {
        if let Some(o) = v.as_heap::<Object>() {
            return Ok(o);
        }
        if v.is_nullish() {
            return Err(self.type_error("Cannot convert undefined or null to object"));
        }
        let proto = self.proto_of_primitive(v);
        let shape = self.realm.shape_for_proto(&mut self.heap, proto);
        Ok(self
            .heap
            .alloc(Object::with_class(shape, ObjectClass::Boxed(v))))
    }

    /// `LengthOfArrayLike`.
    pub fn length_of(&mut self, o: Value) -> Result<usize, Thrown> {
        if let Some(a) = o.as_heap::<Object>() {
            match &a.get().class {
                ObjectClass::Array => return Ok(a.get().elements_len()),
                ObjectClass::TypedArray(t) => return Ok(t.length),
                _ => {}
            }
        }
        let lk = self.realm.names.length;
        let n = self.get(o, lk)?;
        let n = self.to_number(n)?;
        Ok(if n.is_nan() || n <= 0.0 {
            0
        } else {
            n.min(9007199254740991.0) as usize
        })
    }
}

/// CanonicalNumericIndexString(key) is a number: `-0`, or text that is ToString(ToNumber(text))
/// (index keys never get here: they are `PKey::Index`).
fn is_canonical_numeric(key: Key) -> bool {
    // Most keys (method names) fail on their first unit, without building a string.
    let first = key.string().get().units().next().unwrap_or(0);
    let numeric_start = first == b'-' as u16
        || first == b'I' as u16
        || first == b'N' as u16
        || (b'0' as u16..=b'9' as u16).contains(&first);
    if !numeric_start {
        return false;
    }
    let s = key.string().get().to_rust_string();
    if s == "-0" {
        return true;
    }
    let n = string_to_number(&s);
    super::value::number_to_string(n) == s
}

/// ToPrimitive's hint.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Hint {
    Default,
    Number,
    String,
}

/// StringToNumber: whitespace-trimmed decimal, `0x`/`0o`/`0b`, `Infinity`; NaN otherwise.
pub fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if t.is_empty() {
        return 0.0;
    }
    let radix = |p: &str, r: u32| -> f64 {
        if p.is_empty() || !p.chars().all(|c| c.is_digit(r)) {
            return f64::NAN;
        }
        p.chars().fold(0.0, |acc, c| {
            acc * r as f64 + c.to_digit(r).unwrap_or(0) as f64
        })
    };
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return radix(h, 16);
    }
    if let Some(o) = t.strip_prefix("0o").or_else(|| t.strip_prefix("0O")) {
        return radix(o, 8);
    }
    if let Some(b) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        return radix(b, 2);
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    let valid = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && t.bytes().any(|b| b.is_ascii_digit());
    if !valid {
        return f64::NAN;
    }
    t.parse().unwrap_or(f64::NAN)
}

pub fn same_value(a: Value, b: Value) -> bool {
    if let (Some(x), Some(y)) = (a.as_number(), b.as_number()) {
        return (x.is_nan() && y.is_nan())
            || (x == y && x.is_sign_negative() == y.is_sign_negative());
    }
    strict_equals(a, b)
}
