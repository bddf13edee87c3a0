//! The realm: the intrinsic objects every script shares (prototypes, shapes, well-known
//! symbols, frequently used property names), created before any code runs and traced as roots.

use std::collections::HashMap;

use super::interp::Vm;
use super::object::{Atoms, Key, Object, Shape, Symbol};
use super::string::JsString;
use super::value::Value;
use crate::gc::{EdgeName, Gc, Heap, Tracer};

/// The native error constructors, in `Realm::error_protos` order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ErrorKind {
    Error = 0,
    TypeError,
    RangeError,
    ReferenceError,
    SyntaxError,
    EvalError,
    URIError,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 7] = [
        ErrorKind::Error,
        ErrorKind::TypeError,
        ErrorKind::RangeError,
        ErrorKind::ReferenceError,
        ErrorKind::SyntaxError,
        ErrorKind::EvalError,
        ErrorKind::URIError,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Error => "Error",
            ErrorKind::TypeError => "TypeError",
            ErrorKind::RangeError => "RangeError",
            ErrorKind::ReferenceError => "ReferenceError",
            ErrorKind::SyntaxError => "SyntaxError",
            ErrorKind::EvalError => "EvalError",
            ErrorKind::URIError => "URIError",
        }
    }
}

macro_rules! names {
    ($($field:ident = $text:literal),* $(,)?) => {
        /// Property names the VM itself uses, interned once.
        pub struct Names {
            $(pub $field: Key,)*
        }
        impl Names {
            fn new(heap: &mut Heap, atoms: &mut Atoms) -> Names {
                Names { $($field: atoms.intern(heap, $text),)* }
            }
        }
    };
}

names! {
    length = "length",
    prototype = "prototype",
    constructor = "constructor",
    name = "name",
    message = "message",
    stack = "stack",
    cause = "cause",
    next = "next",
    done = "done",
    value = "value",
    to_string = "toString",
    value_of = "valueOf",
    get = "get",
    set = "set",
    writable = "writable",
    enumerable = "enumerable",
    configurable = "configurable",
    proto = "__proto__",
    regexp = "RegExp",
    then = "then",
    t_undefined = "undefined",
    t_object = "object",
    t_boolean = "boolean",
    t_number = "number",
    t_string = "string",
    t_function = "function",
    t_symbol = "symbol",
    t_bigint = "bigint",
}

pub struct Realm {
    pub names: Names,
    pub object_proto: Gc<Object>,
    pub function_proto: Gc<Object>,
    pub array_proto: Gc<Object>,
    pub string_proto: Gc<Object>,
    pub number_proto: Gc<Object>,
    pub boolean_proto: Gc<Object>,
    pub symbol_proto: Gc<Object>,
    pub iterator_proto: Gc<Object>,
    /// %GeneratorPrototype%, %AsyncGeneratorPrototype%, and the prototypes of generator,
    /// async and async generator functions (`coroutine.rs`; filled in by the builtins).
    pub generator_proto: Gc<Object>,
    pub async_generator_proto: Gc<Object>,
    pub generator_function_proto: Gc<Object>,
    pub async_function_proto: Gc<Object>,
    pub async_generator_function_proto: Gc<Object>,
    /// Indexed by `ErrorKind`.
    pub error_protos: Vec<Gc<Object>>,
    /// Root shapes: `{}` objects, objects with no prototype, arrays, functions.
    pub object_shape: Gc<Shape>,
    pub null_shape: Gc<Shape>,
    pub array_shape: Gc<Shape>,
    pub function_shape: Gc<Shape>,
    /// The root shape of each prototype's instances, so instances of one class share shapes
    /// (and inline caches hit). Keyed by the prototype's id. Entries live as long as the
    /// realm: a program that makes unboundedly many prototypes keeps their shapes.
    proto_shapes: HashMap<u64, Gc<Shape>>,
    pub sym_iterator: Gc<Symbol>,
    pub sym_async_iterator: Gc<Symbol>,
    pub sym_has_instance: Gc<Symbol>,
    pub sym_to_primitive: Gc<Symbol>,
    pub sym_to_string_tag: Gc<Symbol>,
    pub sym_species: Gc<Symbol>,
    pub sym_unscopables: Gc<Symbol>,
    /// %Promise% and the pieces of it the engine uses directly (`builtins/promise.rs`).
    pub promise: super::builtins::promise::PromiseIntrinsics,
    /// Every symbol by its key, so a key can be turned back into its symbol. Symbols are
    /// kept for the realm's lifetime.
    symbols: HashMap<u64, Gc<Symbol>>,
    /// `Symbol.for` registry.
    pub symbol_registry: HashMap<String, Gc<Symbol>>,
    /// `Array.prototype.values` (also `[Symbol.iterator]`): for-of takes a fast path while
    /// arrays still use it.
    pub array_values: Value,
    /// One-unit strings for the Latin-1 range (`s[i]`, `charAt`).
    pub single_chars: Vec<Gc<JsString>>,
    /// Other objects the runtime keeps for the realm's lifetime (constructors it needs).
    pub extra: HashMap<&'static str, Value>,
    /// Some object has an array-index property kept as a named one (an accessor, or a data
    /// property with other than the default attributes): index lookups that miss the
    /// elements then check the named properties too.
    pub index_props: bool,
}

impl Realm {
    /// Creates the intrinsics and the global object.
    pub fn bootstrap(heap: &mut Heap, atoms: &mut Atoms) -> (Realm, Gc<Object>) {
        let names = Names::new(heap, atoms);
        let null_shape = Shape::root(heap, None);
        let object_proto = heap.alloc(Object::new(null_shape));
        let object_shape = Shape::root(heap, Some(object_proto));
        // %Function.prototype% is itself a function: it accepts any arguments and returns
        // undefined; `length` 0, `name` "" (ECMA-262 §20.2.3).
        let function_proto = heap.alloc(Object::with_class(
            object_shape,
            super::object::ObjectClass::Native {
                name: "",
                f: |_, _, _| Ok(Value::UNDEFINED),
                ctor: false,
                slots: None,
            },
        ));
        function_proto.get().define(
            heap,
            names.length,
            Value::int(0),
            super::object::attrs::CONFIGURABLE,
        );
        let function_shape = Shape::root(heap, Some(function_proto));
        let array_proto = heap.alloc(Object::new(object_shape));
        let array_shape = Shape::root(heap, Some(array_proto));
        let mk = |heap: &mut Heap| heap.alloc(Object::new(object_shape));
        let string_proto = mk(heap);
        let number_proto = mk(heap);
        let boolean_proto = mk(heap);
        let symbol_proto = mk(heap);
        let iterator_proto = mk(heap);
        let generator_proto = mk(heap);
        let async_generator_proto = mk(heap);
        let generator_function_proto = mk(heap);
        let async_function_proto = mk(heap);
        let async_generator_function_proto = mk(heap);
        let error_proto = mk(heap);
        let error_shape = Shape::root(heap, Some(error_proto));
        let mut error_protos = vec![error_proto];
        for _ in 1..ErrorKind::ALL.len() {
            error_protos.push(heap.alloc(Object::new(error_shape)));
        }
        let mut symbols = HashMap::new();
        let mut well_known = |heap: &mut Heap, d: &str| {
            let description = Some(heap.alloc(JsString::from_utf8(d)));
            let key = heap.alloc(JsString::from_utf8(&format!("@@{d}")));
            let s = heap.alloc(Symbol { description, key });
            symbols.insert(key.id(), s);
            s
        };
        let sym_iterator = well_known(heap, "Symbol.iterator");
        let sym_async_iterator = well_known(heap, "Symbol.asyncIterator");
        let sym_has_instance = well_known(heap, "Symbol.hasInstance");
        let sym_to_primitive = well_known(heap, "Symbol.toPrimitive");
        let sym_to_string_tag = well_known(heap, "Symbol.toStringTag");
        let sym_species = well_known(heap, "Symbol.species");
        let sym_unscopables = well_known(heap, "Symbol.unscopables");
        let single_chars = (0u16..256)
            .map(|u| heap.alloc(JsString::from_utf16(&[u])))
            .collect();
        let global = heap.alloc(Object::new(object_shape));
        global.get().keep_shapes();
        let mut proto_shapes = HashMap::new();
        proto_shapes.insert(object_proto.id(), object_shape);
        proto_shapes.insert(function_proto.id(), function_shape);
        proto_shapes.insert(array_proto.id(), array_shape);
        proto_shapes.insert(error_proto.id(), error_shape);
        let realm = Realm {
            names,
            object_proto,
            function_proto,
            array_proto,
            string_proto,
            number_proto,
            boolean_proto,
            symbol_proto,
            iterator_proto,
            generator_proto,
            async_generator_proto,
            generator_function_proto,
            async_function_proto,
            async_generator_function_proto,
            error_protos,
            object_shape,
            null_shape,
            array_shape,
            function_shape,
            proto_shapes,
            sym_iterator,
            sym_async_iterator,
            sym_has_instance,
            sym_to_primitive,
            sym_to_string_tag,
            sym_species,
            sym_unscopables,
            promise: Default::default(),
            symbols,
            symbol_registry: HashMap::new(),
            array_values: Value::UNDEFINED,
            single_chars,
            extra: HashMap::new(),
            index_props: false,
        };
        (realm, global)
    }

    /// The root shape for objects whose prototype is `proto`.
    pub fn shape_for_proto(&mut self, heap: &mut Heap, proto: Gc<Object>) -> Gc<Shape> {
        *self
            .proto_shapes
            .entry(proto.id())
            .or_insert_with(|| Shape::root(heap, Some(proto)))
    }

    /// A new symbol.
    pub fn new_symbol(&mut self, heap: &mut Heap, description: Option<&str>) -> Gc<Symbol> {
        let d = description.map(|d| heap.alloc(JsString::from_utf8(d)));
        let key = heap.alloc(JsString::from_utf8(&format!(
            "@@{}",
            description.unwrap_or("")
        )));
        let s = heap.alloc(Symbol {
            description: d,
            key,
        });
        self.symbols.insert(key.id(), s);
        s
    }

    /// The symbol a key stands for, if it is a symbol's key.
    pub fn symbol_of(&self, k: Key) -> Option<Gc<Symbol>> {
        if self.symbols.is_empty() {
            return None;
        }
        self.symbols.get(&k.string().id()).copied()
    }

    pub fn trace(&self, t: &mut dyn Tracer) {
        let protos = [
            self.object_proto,
            self.function_proto,
            self.array_proto,
            self.string_proto,
            self.number_proto,
            self.boolean_proto,
            self.symbol_proto,
            self.iterator_proto,
            self.generator_proto,
            self.async_generator_proto,
            self.generator_function_proto,
            self.async_function_proto,
            self.async_generator_function_proto,
        ];
        for p in protos.iter().chain(self.error_protos.iter()) {
            t.edge(EdgeName::Internal("intrinsic"), (*p).into());
        }
        for s in [
            self.object_shape,
            self.null_shape,
            self.array_shape,
            self.function_shape,
        ]
        .iter()
        .chain(self.proto_shapes.values())
        {
            t.edge(EdgeName::Internal("intrinsic"), (*s).into());
        }
        for s in self.symbols.values().chain(self.symbol_registry.values()) {
            t.edge(EdgeName::Internal("symbol"), (*s).into());
        }
        for s in &self.single_chars {
            t.edge(EdgeName::Internal("intrinsic"), (*s).into());
        }
        super::object::trace_value(t, EdgeName::Internal("intrinsic"), self.array_values, None);
        self.promise.trace(t);
        for v in self.extra.values() {
            super::object::trace_value(t, EdgeName::Internal("intrinsic"), *v, None);
        }
    }
}

/// Installs the global bindings and the built-in library.
pub fn install_globals(vm: &mut Vm) {
    super::builtins::install(vm);
}

/// A helper for natives: the argument at `i`, or undefined.
#[inline]
pub fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).copied().unwrap_or(Value::UNDEFINED)
}
