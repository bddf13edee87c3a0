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
}

/// A compiled function, outside the heap.
#[derive(Debug, Clone, Default)]
pub struct Proto {
    pub name: String,
    pub ops: Vec<Op>,
    /// The source span of each instruction (for errors and stack traces).
    pub spans: Vec<Span>,
    pub consts: Vec<Constant>,
    /// Functions defined inside this one (`NewClosure` indexes them through `consts`' sibling).
    pub protos: Vec<Proto>,
    pub nregs: u16,
    pub nparams: u16,
    pub ics: u16,
}

/// A compiled function in the heap.
pub struct Code {
    pub name: Box<str>,
    pub ops: Box<[Op]>,
    pub spans: Box<[Span]>,
    pub consts: Box<[Value]>,
    pub children: Box<[Gc<Code>]>,
    pub nregs: u16,
    pub nparams: u16,
    /// One inline cache per property-access site: the shape last seen and its slot.
    pub ics: Box<[std::cell::Cell<IcEntry>]>,
}

/// A monomorphic inline cache entry.
#[derive(Clone, Copy, Default)]
pub struct IcEntry {
    pub shape: Option<Gc<super::object::Shape>>,
    pub slot: u32,
}

impl Trace for Code {
    fn trace(&self, t: &mut dyn Tracer) {
        let Code {
            name: _,
            ops: _,
            spans: _,
            consts,
            children,
            nregs: _,
            nparams: _,
            ics,
        } = self;
        // A cached shape is also reachable from the objects that have it; tracing it here
        // keeps the entry valid (a stale entry would only miss).
        for e in ics.iter() {
            if let Some(s) = e.get().shape {
                t.edge(EdgeName::Internal("feedback"), s.into());
            }
        }
        for v in consts.iter() {
            if let Some(s) = v.as_heap::<JsString>() {
                t.edge(EdgeName::Internal("constant"), s.into());
            }
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
    pub fn load(heap: &mut Heap, atoms: &mut Atoms, p: Proto) -> Gc<Code> {
        let consts = p
            .consts
            .into_iter()
            .map(|c| match c {
                Constant::Number(n) => Value::number(n),
                Constant::String(s) => Value::heap(atoms.intern(heap, &s).string()),
            })
            .collect();
        let children = p
            .protos
            .into_iter()
            .map(|c| Code::load(heap, atoms, c))
            .collect();
        heap.alloc(Code {
            name: p.name.into(),
            ops: p.ops.into(),
            spans: p.spans.into(),
            consts,
            children,
            nregs: p.nregs,
            nparams: p.nparams,
            ics: (0..p.ics)
                .map(|_| std::cell::Cell::new(IcEntry::default()))
                .collect(),
        })
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
