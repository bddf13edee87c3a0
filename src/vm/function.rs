//! Compiled functions. The compiler produces a [`Proto`], plain Rust data that knows nothing of
//! the heap (piccolo's habit); [`Code::load`] moves it into the heap, interning its string
//! constants, so the collector sees every code object and its constants.

use super::bytecode::Op;
use super::object::Atoms;
use super::string::JsString;
use super::value::Value;
use crate::gc::{EdgeName, Gc, Heap, Trace, Tracer, HEADER_BYTES};
use crate::syntax::ast::Span;

/// A constant of a compiled function, before it is loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    Number(f64),
    String(String),
    /// A string literal that is not valid UTF-16 (lone surrogates: `"\uD800"`).
    Units(Box<[u16]>),
    /// A tagged template's strings: cooked (None where an escape is invalid; UTF-16, as they
    /// may hold lone surrogates) and raw.
    Template(Vec<Option<Box<[u16]>>>, Vec<String>),
}

/// A name the compiler cannot resolve alone: a `with` object or the variables a sloppy direct
/// `eval` added to a function (an object in the hidden `%vars` slot of its scope) may hold it.
/// At run time each check (innermost first) looks in such an object; the first that has the
/// name wins, else the static binding (`fallback`).
#[derive(Debug, Clone, PartialEq)]
pub struct DynSite {
    /// The constant holding the name.
    pub name: u16,
    /// `(depth, slot, is_with)`: the environment `depth` out whose `slot` holds the object.
    pub checks: Box<[(u16, u16, bool)]>,
    pub fallback: DynFallback,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DynFallback {
    Reg(u8),
    /// An environment slot; `tdz`: a let/const/class binding (read checked).
    Env {
        depth: u16,
        slot: u16,
        tdz: bool,
    },
    Global,
}

/// One environment visible at a direct `eval` call: its slots by name, and which of those
/// are lexical (let/const/class: a sloppy eval's `var` of that name is a SyntaxError).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EvalLayer {
    pub slots: Vec<(Box<str>, u16)>,
    pub lexical: Vec<Box<str>>,
}

/// What a direct `eval` call site tells the compiler of the eval code: the environments
/// around it (innermost first: the frame's current one, then its parents), whether the
/// calling code is strict, whether it is a script's top level (sloppy `var`s become globals)
/// and what `super` may do there.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EvalSite {
    pub layers: Vec<EvalLayer>,
    pub strict: bool,
    pub script_top: bool,
    pub super_prop: bool,
    pub super_call: bool,
    /// Names declared const / let-const-class somewhere around (assignment and TDZ checks).
    pub consts: Vec<Box<str>>,
    pub lexicals: Vec<Box<str>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScopeSite {
    Dyn(DynSite),
    Eval(Box<EvalSite>),
}

/// Whether a function runs as a coroutine (its activation can be suspended and resumed): a
/// generator, an async function or an async generator. Orthogonal to [`FnKind`]
/// (`async () => {}` is an Arrow, `*m() {}` a Method).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CoKind {
    #[default]
    None,
    Generator,
    Async,
    AsyncGenerator,
}

/// What kind of function a `Proto` is: decides `this`, `new` and `prototype`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FnKind {
    #[default]
    Normal,
    Arrow,
    Method,
    Getter,
    Setter,
    /// A class constructor (callable only with `new`).
    ClassCtor,
    /// A derived class constructor: `this` is bound by `super(...)`.
    DerivedCtor,
    /// A script's or module's top-level code.
    TopLevel,
}

impl FnKind {
    /// Whether `new` may call a function of this kind.
    pub fn is_constructor(self) -> bool {
        matches!(
            self,
            FnKind::Normal | FnKind::ClassCtor | FnKind::DerivedCtor
        )
    }
}

/// A compiled function, outside the heap.
#[derive(Debug, Clone, Default)]
pub struct Proto {
    pub name: String,
    pub kind: FnKind,
    pub co: CoKind,
    /// The function's `length`: parameters before the first default or rest.
    pub length: u16,
    /// The function's source text span (`Function.prototype.toString`).
    pub span: Span,
    /// Where the function's own text starts (for a class constructor, `constructor`, not
    /// `class`): heap snapshots derive V8's location, the parameter list, from it.
    pub def_start: u32,
    pub ops: Vec<Op>,
    /// The source span of each instruction (for errors and stack traces).
    pub spans: Vec<Span>,
    pub consts: Vec<Constant>,
    /// Functions defined inside this one (`NewClosure` indexes them through `consts`' sibling).
    pub protos: Vec<Proto>,
    pub nregs: u16,
    pub nparams: u16,
    pub ics: u16,
    /// The slot names of the environments this function's closures are created in
    /// (innermost first, `""` where unknown): debug information for heap snapshots.
    pub env_names: Vec<Vec<Box<str>>>,
    /// Dynamic name lookups and direct eval calls (`GetDyn`, `SetDyn`, `CallEval`).
    pub sites: Vec<ScopeSite>,
}

/// A compiled function in the heap.
pub struct Code {
    pub name: Box<str>,
    pub kind: FnKind,
    pub co: CoKind,
    pub length: u16,
    pub span: Span,
    /// As `Proto::def_start`.
    pub def_start: u32,
    /// The file the function was compiled from (messages, stack traces, `toString`).
    pub source: std::rc::Rc<crate::source::SourceFile>,
    pub ops: Box<[Op]>,
    pub spans: Box<[Span]>,
    pub consts: Box<[Value]>,
    pub children: Box<[Gc<Code>]>,
    pub nregs: u16,
    pub nparams: u16,
    /// One inline cache per property-access site: the shape last seen and its slot.
    pub ics: Box<[std::cell::Cell<IcEntry>]>,
    /// As `Proto::sites`.
    pub sites: Box<[ScopeSite]>,
}

/// A monomorphic inline cache entry: the receiver's shape and the slot, in the receiver itself
/// (`holder` = None) or in its prototype `holder` while that still has `holder_shape` (methods
/// found on a class's prototype).
#[derive(Clone, Copy, Default)]
pub struct IcEntry {
    pub shape: Option<Gc<super::object::Shape>>,
    pub slot: u32,
    pub holder: Option<Gc<super::object::Object>>,
    pub holder_shape: Option<Gc<super::object::Shape>>,
    /// At a private-member site (`GetPrivate`/`SetPrivate`): the private name's key the entry
    /// is for. A site usually sees one name, but another evaluation of the class brings
    /// another, and one shape may hold both.
    pub private: Option<Gc<super::string::JsString>>,
}

impl IcEntry {
    pub fn own(shape: Gc<super::object::Shape>, slot: u32) -> IcEntry {
        IcEntry {
            shape: Some(shape),
            slot,
            holder: None,
            holder_shape: None,
            private: None,
        }
    }

    /// The entry for private name `key` in slot `slot` of objects with `shape`.
    pub fn private(
        shape: Gc<super::object::Shape>,
        slot: u32,
        key: Gc<super::string::JsString>,
    ) -> IcEntry {
        IcEntry {
            private: Some(key),
            ..IcEntry::own(shape, slot)
        }
    }

    /// The entry for reading `key` from `obj`, when the lookup is cacheable: an own data
    /// property, or a data property of the direct prototype that the object does not shadow.
    pub fn probe(obj: Gc<super::object::Object>, key: super::object::Key) -> Option<IcEntry> {
        use super::object::{attrs, Shape};
        let shape = obj.get().shape()?;
        if let Some((slot, a)) = Shape::lookup(shape, key) {
            return (a & attrs::ACCESSOR == 0).then(|| IcEntry::own(shape, slot));
        }
        // Functions have virtual `name`, `length` and `prototype`: no prototype caching.
        if !matches!(
            obj.get().class,
            super::object::ObjectClass::Ordinary
                | super::object::ObjectClass::Array
                | super::object::ObjectClass::Error
        ) {
            return None;
        }
        let proto = obj.get().proto()?;
        let pshape = proto.get().shape()?;
        let (slot, a) = Shape::lookup(pshape, key)?;
        (a & attrs::ACCESSOR == 0).then_some(IcEntry {
            shape: Some(shape),
            slot,
            holder: Some(proto),
            holder_shape: Some(pshape),
            private: None,
        })
    }
}

impl Trace for Code {
    fn trace(&self, t: &mut dyn Tracer) {
        let Code {
            name: _,
            kind: _,
            co: _,
            length: _,
            span: _,
            def_start: _,
            source: _,
            ops: _,
            spans: _,
            consts,
            children,
            nregs: _,
            nparams: _,
            ics,
            sites: _,
        } = self;
        // A cached shape is also reachable from the objects that have it; tracing it here
        // keeps the entry valid (a stale entry would only miss).
        for e in ics.iter() {
            let e = e.get();
            if let Some(s) = e.shape {
                t.edge(EdgeName::Internal("feedback"), s.into());
            }
            if let Some(h) = e.holder {
                t.edge(EdgeName::Internal("feedback"), h.into());
            }
            if let Some(s) = e.holder_shape {
                t.edge(EdgeName::Internal("feedback"), s.into());
            }
            if let Some(k) = e.private {
                t.edge(EdgeName::Internal("feedback"), k.into());
            }
        }
        for v in consts.iter() {
            super::object::trace_value(t, EdgeName::Internal("constant"), *v, None);
        }
        for c in children.iter() {
            t.edge(EdgeName::Internal("function"), (*c).into());
        }
    }
    fn self_size(&self) -> usize {
        HEADER_BYTES
            + std::mem::size_of::<Code>()
            + self.ops.len() * std::mem::size_of::<Op>()
            + self.spans.len() * std::mem::size_of::<Span>()
            + self.consts.len() * 8
            + self.children.len() * 8
            + self.name.len()
    }
    fn kind(&self) -> &'static str {
        "Code"
    }
}

impl Code {
    /// Moves a compiled function (and the functions inside it) into the heap.
    /// String constants are interned as atoms, so a constant doubles as a property key.
    pub fn load(
        heap: &mut Heap,
        atoms: &mut Atoms,
        source: &std::rc::Rc<crate::source::SourceFile>,
        array_shape: Gc<super::object::Shape>,
        p: Proto,
    ) -> Gc<Code> {
        use super::object::{Object, ObjectClass};
        let consts = p
            .consts
            .into_iter()
            .map(|c| match c {
                Constant::Number(n) => Value::number(n),
                Constant::String(s) => Value::heap(atoms.intern(heap, &s).string()),
                Constant::Units(u) => {
                    let s = heap.alloc(JsString::from_utf16(&u));
                    Value::heap(atoms.intern_string(heap, s).string())
                }
                Constant::Template(cooked, raw) => {
                    let strings = heap.alloc(Object::with_class(array_shape, ObjectClass::Array));
                    for c in cooked {
                        let v = match c {
                            Some(c) => Value::heap(heap.alloc(JsString::from_utf16(&c))),
                            None => Value::UNDEFINED,
                        };
                        strings.get().push_element(heap, v);
                    }
                    let raws = heap.alloc(Object::with_class(array_shape, ObjectClass::Array));
                    for r in raw {
                        let v = Value::heap(heap.alloc(JsString::from_utf8(&r)));
                        raws.get().push_element(heap, v);
                    }
                    raws.get().prevent_extensions();
                    let k = atoms.intern(heap, "raw");
                    strings.get().define(heap, k, Value::heap(raws), 0);
                    strings.get().prevent_extensions();
                    Value::heap(strings)
                }
            })
            .collect();
        if !p.env_names.is_empty() {
            let names: Vec<Box<[Box<str>]>> =
                p.env_names.into_iter().map(Vec::into_boxed_slice).collect();
            source.set_scope_names(p.span, names.into());
        }
        let children = p
            .protos
            .into_iter()
            .map(|c| Code::load(heap, atoms, source, array_shape, c))
            .collect();
        heap.alloc(Code {
            name: p.name.into(),
            kind: p.kind,
            co: p.co,
            length: p.length,
            span: p.span,
            def_start: p.def_start,
            source: source.clone(),
            ops: p.ops.into(),
            spans: p.spans.into(),
            consts,
            children,
            nregs: p.nregs,
            nparams: p.nparams,
            ics: (0..p.ics)
                .map(|_| std::cell::Cell::new(IcEntry::default()))
                .collect(),
            sites: p.sites.into(),
        })
    }
}

impl Code {
    /// Whether `new` may call a function with this code (generators and async functions are
    /// never constructors).
    pub fn is_constructor(&self) -> bool {
        self.kind.is_constructor() && self.co == CoKind::None
    }

    /// Whether a function with this code has an own `prototype` (constructors, and generators
    /// whose objects inherit from it).
    pub fn has_prototype(&self) -> bool {
        self.is_constructor() || matches!(self.co, CoKind::Generator | CoKind::AsyncGenerator)
    }
}

/// A closure environment: the captured bindings of one scope activation.
pub struct Env {
    pub parent: Option<Gc<Env>>,
    pub slots: std::cell::RefCell<Vec<Value>>,
}

impl Trace for Env {
    fn trace(&self, t: &mut dyn Tracer) {
        let Env { parent, slots } = self;
        if let Some(p) = parent {
            t.edge(EdgeName::Internal("previous"), (*p).into());
        }
        for v in slots.borrow().iter() {
            super::object::trace_value(t, EdgeName::Internal("context"), *v, None);
        }
    }
    fn self_size(&self) -> usize {
        HEADER_BYTES + std::mem::size_of::<Env>() + self.slots.borrow().capacity() * 8
    }
    fn kind(&self) -> &'static str {
        "Context"
    }
}

impl Env {
    /// The environment `depth` levels out from this one.
    pub fn up(this: Gc<Env>, depth: u16) -> Gc<Env> {
        let mut e = this;
        for _ in 0..depth {
            e = e
                .get()
                .parent
                .expect("the compiler counted the environments");
        }
        e
    }
}
