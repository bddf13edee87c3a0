//! Private class members (`#x`, ES2022 §6.2.12 Private Names, §7.3.26–7.3.32 the private
//! element operations).
//!
//! ## Representation
//!
//! A private name is a [`Symbol`] cell that is never registered in the realm's symbol table:
//! its `key` is a fresh, never-interned string with the name's text (`#x`), and it is used as
//! an ordinary property key. Each evaluation of a class makes new ones (`NewPrivateName`), so
//! two evaluations of the same class body have distinct names, and a class's code reaches its
//! names through bindings of the class scope called `#x` (no identifier can be spelled so).
//!
//! A private element lives in the object's ordinary named-property storage under that key:
//! - a field: a writable data property;
//! - a method: a read-only data property holding the function (installed on every instance,
//!   where V8 keeps one brand per class: the observable behaviour is the same, since a class
//!   installs all its methods before running any initialiser);
//! - an accessor: an accessor property (its `Accessor` pair).
//!
//! Why the ordinary storage and not a separate per-object list: private fields then get the
//! shapes, the inline caches (`this.#x` costs what `this.x` does), the write barrier and the
//! tracing of ordinary properties for free, and heap snapshots name the edge `#x` as V8 does,
//! without a new field in `Object` (whose layout other work is changing). The price is that
//! every reflective listing must skip these keys: all of them go through `Vm::own_keys`, which
//! asks [`Vm::is_private_key`]. A private key is told apart from a string key because it is not
//! an atom (every string key is), and from a symbol's key because the realm does not know it;
//! only keys whose text starts with `#` need the atom-table lookup. A private name cannot
//! reach an ordinary `[[Get]]`: JavaScript never holds the symbol (only the class scope's
//! hidden bindings do) and lookups of private elements never walk the prototype chain.
//!
//! The symbol's `description` says what the name declares, for V8's messages: `None` for a
//! field; for a method or accessor `"i"` (instance) or `"s"` (static) followed by the class
//! name (`Receiver must be an instance of class A`).

use super::interp::{Thrown, Vm};
use super::object::{accessor_pair, attrs, Key, Object, ObjectClass, Symbol};
use super::string::JsString;
use super::value::Value;
use crate::gc::Gc;

/// What a private name declares (from its symbol's description).
enum Declared {
    Field,
    Method { is_static: bool, class: String },
}

fn declared(name: Gc<Symbol>) -> Declared {
    match name.get().description {
        None => Declared::Field,
        Some(d) => {
            let text = d.get().to_rust_string();
            let (kind, class) = text.split_at(text.len().min(1));
            Declared::Method {
                is_static: kind == "s",
                class: class.to_string(),
            }
        }
    }
}

/// The property key of a private name.
#[inline]
pub(crate) fn private_key(name: Gc<Symbol>) -> Key {
    Key::from_atom(name.get().key)
}

impl Vm {
    /// A new private name `text` (`#x`); `brand` as the module comment says (`None`: a field).
    pub(crate) fn new_private_name(
        &mut self,
        text: Gc<JsString>,
        brand: Option<Gc<JsString>>,
    ) -> Gc<Symbol> {
        let units = text.get().to_units();
        let key = self.heap.alloc(JsString::from_utf16(&units));
        // INV-3: the key stays rooted on the value stack while the symbol is allocated.
        self.stack.push(Value::heap(key));
        let s = self.heap.alloc(Symbol {
            description: brand,
            key,
        });
        self.stack.pop();
        s
    }

    /// Whether a named key is a private name's (hidden from every reflective listing).
    pub(crate) fn is_private_key(&self, k: Key) -> bool {
        k.string().get().unit(0) == Some(u16::from(b'#'))
            && self.realm.symbol_of(k).is_none()
            && !self.atoms.is_atom(k)
    }

    /// The private name in a register (the compiler only puts private names there).
    fn private_name(v: Value) -> Gc<Symbol> {
        v.as_heap::<Symbol>()
            .expect("the compiler passes a private name")
    }

    /// The text of a private name (`#x`).
    fn private_text(name: Gc<Symbol>) -> String {
        name.get().key.get().to_rust_string()
    }

    /// The error for an object that lacks the private element (`verb`: read or write).
    fn private_missing(&mut self, target: Value, name: Gc<Symbol>, write: bool) -> Thrown {
        let text = Self::private_text(name);
        let what = if target.is_null() {
            "null"
        } else {
            "undefined"
        };
        let msg = match declared(name) {
            Declared::Method {
                is_static: true,
                class,
            } => format!("Receiver must be class {class}"),
            Declared::Method { class, .. } if target.is_nullish() => {
                format!("Cannot read properties of {what} (reading '{class}')")
            }
            Declared::Method { class, .. } => {
                format!("Receiver must be an instance of class {class}")
            }
            Declared::Field if target.is_nullish() && write => {
                format!("Cannot set properties of {what} (setting '{text}')")
            }
            Declared::Field if target.is_nullish() => {
                format!("Cannot read properties of {what} (reading '{text}')")
            }
            Declared::Field if write => {
                format!("Cannot write private member {text} to an object whose class did not declare it")
            }
            Declared::Field => {
                format!("Cannot read private member {text} from an object whose class did not declare it")
            }
        };
        self.type_error(&msg)
    }

    /// PrivateGet (§7.3.31): `target.#x`.
    pub(crate) fn private_get(&mut self, target: Value, name: Value) -> Result<Value, Thrown> {
        let name = Self::private_name(name);
        let found = target
            .as_heap::<Object>()
            .and_then(|o| o.get().get_own(private_key(name)));
        let Some((v, a)) = found else {
            return Err(self.private_missing(target, name, false));
        };
        if a & attrs::ACCESSOR == 0 {
            return Ok(v);
        }
        let getter = accessor_pair(v).0;
        if getter.is_undefined() {
            let text = Self::private_text(name);
            return Err(self.type_error(&format!("'{text}' was defined without a getter")));
        }
        self.call(getter, target, &[])
    }

    /// PrivateSet (§7.3.32): `target.#x = v`.
    pub(crate) fn private_set(
        &mut self,
        target: Value,
        name: Value,
        v: Value,
    ) -> Result<(), Thrown> {
        let name = Self::private_name(name);
        let key = private_key(name);
        let obj = target.as_heap::<Object>();
        let Some((o, (pair, a))) = obj.and_then(|o| Some((o, o.get().get_own(key)?))) else {
            return Err(self.private_missing(target, name, true));
        };
        if a & attrs::ACCESSOR != 0 {
            let setter = accessor_pair(pair).1;
            if setter.is_undefined() {
                let text = Self::private_text(name);
                return Err(self.type_error(&format!("'{text}' was defined without a setter")));
            }
            self.call(setter, target, &[v])?;
            return Ok(());
        }
        if a & attrs::WRITABLE == 0 {
            let text = Self::private_text(name);
            return Err(self.type_error(&format!("Private method '{text}' is not writable")));
        }
        // A private field is never read-only and its object may be frozen: `define` keeps the
        // attributes and ignores extensibility.
        o.get().define(&mut self.heap, key, v, a);
        Ok(())
    }

    /// PrivateFieldAdd and PrivateMethodOrAccessorAdd (§7.3.28–7.3.29): `kind` 0 field,
    /// 1 method, 2 getter, 3 setter; +4 marks the class's first method, which checks that the
    /// object does not have the class's methods yet. Adding ignores extensibility, as the
    /// specification (and node v20) do.
    pub(crate) fn private_define(
        &mut self,
        target: Value,
        name: Value,
        v: Value,
        kind: u16,
    ) -> Result<(), Thrown> {
        let name = Self::private_name(name);
        let key = private_key(name);
        let Some(o) = target.as_heap::<Object>() else {
            return Err(self.private_missing(target, name, true));
        };
        let existing = o.get().get_own(key);
        let first = kind & 4 != 0;
        if existing.is_some() && (kind & 3 == 0 || first) {
            let msg = match declared(name) {
                Declared::Method { class, .. } => {
                    format!("Cannot initialize private methods of class {class} twice on the same object")
                }
                Declared::Field => format!(
                    "Cannot initialize {} twice on the same object",
                    Self::private_text(name)
                ),
            };
            return Err(self.type_error(&msg));
        }
        match kind & 3 {
            0 => o.get().define(&mut self.heap, key, v, attrs::WRITABLE),
            1 => o.get().define(&mut self.heap, key, v, 0),
            k => {
                // A getter and a setter of one name share an accessor pair.
                let (mut get, mut set) = (Value::UNDEFINED, Value::UNDEFINED);
                if let Some((pair, a)) = existing {
                    if a & attrs::ACCESSOR != 0 {
                        if let Some(ObjectClass::Accessor { get: g, set: s }) =
                            pair.as_heap::<Object>().as_ref().map(|p| &p.get().class)
                        {
                            (get, set) = (*g, *s);
                        }
                    }
                }
                if k == 2 {
                    get = v;
                } else {
                    set = v;
                }
                self.define_accessor(o, key, get, set, 0);
            }
        }
        Ok(())
    }

    /// `#x in target` (§13.10.1).
    pub(crate) fn private_in(&mut self, name: Value, target: Value) -> Result<bool, Thrown> {
        let name = Self::private_name(name);
        let Some(o) = target.as_heap::<Object>() else {
            let what = match declared(name) {
                Declared::Method { class, .. } => class,
                Declared::Field => Self::private_text(name),
            };
            let t = self.to_display_string(target);
            return Err(self.type_error(&format!(
                "Cannot use 'in' operator to search for '{what}' in {t}"
            )));
        };
        Ok(o.get().get_own(private_key(name)).is_some())
    }
}
