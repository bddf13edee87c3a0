//! The V8 `.heapsnapshot` writer (../shared/spec/heapsnapshot.md), from minijs's own heap, for
//! Chrome DevTools and memlab; behind `require('heapdump').writeSnapshot` and
//! `require('v8').writeHeapSnapshot` (../shared/spec/memwatch.md §7).
//!
//! How: a hidden full collection (memwatch does not see it), after which every cell in the heap
//! is reachable; then one walk over the cells gives each an ordinal (node 0 is the synthetic
//! root, then `(GC roots)` and its sub-roots, then the cells, then one `code` node per script),
//! and a second walk records each cell's node and, through the cell's own `Trace` routine (with
//! names wanted), its edges. Nodes and edges are kept as packed `u32`s (7 and 3 per entry, as
//! the file has them); the file is then streamed through a 64 KiB buffer into a temporary file
//! next to the target, which is renamed over the target only once it is complete.
//!
//! Ids: a cell's snapshot id is its heap id (odd, increasing, never reused) plus
//! [`ID_OFFSET`], so the same object keeps its id in every snapshot of the process; the
//! synthetic nodes take the odd ids below the offset (root 1, `(GC roots)` 3, sub-roots 5, 7,
//! …), and script nodes even ids (twice the script id).

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::gc::{AnyGc, EdgeName, Gc, Tracer};
use crate::source::{ScopeNames, SourceFile};
use crate::vm::function::{Code, Env};
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, trace_value, Object, ObjectClass, Shape, Symbol};
use crate::vm::realm::{arg, ErrorKind};
use crate::vm::string::JsString;
use crate::vm::value::Value;

/// Added to a cell's heap id to make its snapshot id (even, so ids stay odd); the odd ids
/// below it belong to the synthetic nodes.
pub const ID_OFFSET: u64 = 100;

const NODE_FIELDS: usize = 7;
const EDGE_FIELDS: usize = 3;

// Node types (indices into meta.node_types[0]).
const N_HIDDEN: u32 = 0;
const N_STRING: u32 = 2;
const N_OBJECT: u32 = 3;
const N_CODE: u32 = 4;
const N_CLOSURE: u32 = 5;
const N_REGEXP: u32 = 6;
const N_SYNTHETIC: u32 = 9;
const N_SYMBOL: u32 = 12;
const N_SHAPE: u32 = 14;

// Edge types (indices into meta.edge_types[0]).
const E_CONTEXT: u32 = 0;
const E_ELEMENT: u32 = 1;
const E_PROPERTY: u32 = 2;
const E_INTERNAL: u32 = 3;
const E_HIDDEN: u32 = 4;
const E_SHORTCUT: u32 = 5;

/// The sub-roots under `(GC roots)`, in this order: the categories `Vm::trace_roots`
/// announces. Roots reported before any announcement go to the last one.
const SUB_ROOTS: &[&str] = &[
    "(Global handles)",
    "(Internalized strings)",
    "(Handle scope)",
    "(Stack roots)",
    "(Unknown)",
];

/// V8 truncates string node names to this many characters.
const MAX_NAME_UNITS: usize = 1024;

const HEADER: &str = r#"{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],"node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic","concatenated string","sliced string","symbol","bigint","object shape"],"string","number","number","number","number","number"],"edge_fields":["type","name_or_index","to_node"],"edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"],"trace_function_info_fields":["function_id","name","script_name","script_id","line","column"],"trace_node_fields":["id","function_info_index","count","size","children"],"sample_fields":["timestamp_us","last_assigned_id"],"location_fields":["object_index","script_id","line","column"]},"node_count":"#;

/// What a written snapshot contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotStats {
    pub nodes: usize,
    pub edges: usize,
    pub strings: usize,
    pub bytes: u64,
}

thread_local! {
    /// Script ids, stable for the whole process: file name → id (from 1).
    static SCRIPT_IDS: RefCell<HashMap<String, u32>> = RefCell::new(HashMap::new());
}

fn script_id(name: &str) -> u32 {
    SCRIPT_IDS.with(|ids| {
        let mut ids = ids.borrow_mut();
        let next = ids.len() as u32 + 1;
        *ids.entry(name.to_string()).or_insert(next)
    })
}

/// A hasher for integer keys (cell ids, addresses): one multiply, as rustc's FxHasher.
#[derive(Default, Clone, Copy)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type IdMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<IdHasher>>;

/// The string table: `"<dummy>"` at 0 (as V8), each distinct text once. Texts are kept as
/// the bodies of their JSON strings (escaped as V8 does, `\uXXXX` for control and non-ASCII
/// characters), so a JavaScript string's lone surrogates survive as `\uD8xx` escapes.
struct Strings {
    index: HashMap<String, u32>,
    list: Vec<String>,
    /// Static names (edge names of `EdgeName::Internal`) by address: no hashing of the text.
    statics: IdMap<u32>,
}

/// Whether a text is its own JSON string body (printable ASCII, no `"` or `\`).
fn plain(text: &str) -> bool {
    text.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
}

/// The JSON string body of a sequence of UTF-16 units.
fn escape_units(units: impl Iterator<Item = u16>) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for u in units {
        match u {
            0x22 => out.push_str("\\\""),
            0x5c => out.push_str("\\\\"),
            0x0a => out.push_str("\\n"),
            0x0d => out.push_str("\\r"),
            0x09 => out.push_str("\\t"),
            0x20..=0x7e => out.push(u as u8 as char),
            _ => {
                let _ = write!(out, "\\u{u:04x}");
            }
        }
    }
    out
}

impl Strings {
    fn new() -> Strings {
        let mut s = Strings {
            index: HashMap::new(),
            list: Vec::new(),
            statics: IdMap::default(),
        };
        s.intern("<dummy>");
        s
    }

    fn intern(&mut self, text: &str) -> u32 {
        if plain(text) {
            if let Some(&i) = self.index.get(text) {
                return i;
            }
            return self.insert(text.to_string());
        }
        self.intern_escaped(escape_units(text.encode_utf16()))
    }

    fn intern_static(&mut self, text: &'static str) -> u32 {
        let addr = text.as_ptr() as u64 ^ ((text.len() as u64) << 48);
        if let Some(&i) = self.statics.get(&addr) {
            return i;
        }
        let i = self.intern(text);
        self.statics.insert(addr, i);
        i
    }

    fn intern_owned(&mut self, text: String) -> u32 {
        if plain(&text) {
            return self.intern_escaped(text);
        }
        self.intern_escaped(escape_units(text.encode_utf16()))
    }

    /// Interns a JSON string body.
    fn intern_escaped(&mut self, body: String) -> u32 {
        if let Some(&i) = self.index.get(&body) {
            return i;
        }
        self.insert(body)
    }

    fn insert(&mut self, body: String) -> u32 {
        let i = self.list.len() as u32;
        self.index.insert(body.clone(), i);
        self.list.push(body);
        i
    }
}

/// A string's text as a node name, escaped (see [`Strings`]): at most [`MAX_NAME_UNITS`]
/// UTF-16 units, as V8 truncates.
fn string_name(strings: &mut Strings, s: &JsString) -> u32 {
    if let Some(b) = s.as_latin1() {
        let b = &b[..b.len().min(MAX_NAME_UNITS)];
        if b.iter()
            .all(|&c| (0x20..0x7f).contains(&c) && c != b'"' && c != b'\\')
        {
            // Printable ASCII: the bytes are the body.
            let text: String = b.iter().map(|&c| c as char).collect();
            return strings.intern_escaped(text);
        }
        return strings.intern_escaped(escape_units(b.iter().map(|&c| c as u16)));
    }
    strings.intern_escaped(escape_units(s.units().take(MAX_NAME_UNITS)))
}

/// The graph being built: packed nodes and edges, strings, locations.
struct Graph {
    /// Cell id → ordinal.
    ordinals: IdMap<u32>,
    nodes: Vec<u32>,
    edges: Vec<u32>,
    strings: Strings,
    locations: Vec<u32>,
    /// Property key cell id → string index.
    key_names: IdMap<u32>,
    /// Scripts met so far: file name → (index among script nodes, script id, text length).
    scripts: HashMap<String, (u32, u32, usize)>,
    script_order: Vec<String>,
    /// Ordinal of the first script node (after the cells).
    first_script: u32,
    /// Code id → (script id, 0-based line, 0-based column).
    code_locations: IdMap<(u32, u32, u32)>,
    /// Env id → the slot names of its chain (from a closure created in it) and its level.
    env_names: IdMap<(ScopeNames, usize)>,
}

impl Graph {
    fn push_node(&mut self, ty: u32, name: u32, id: u64, size: usize, edges: u32) {
        self.nodes.extend_from_slice(&[
            ty,
            name,
            id as u32,
            size.min(u32::MAX as usize) as u32,
            edges,
            0,
            0,
        ]);
    }

    fn push_edge(&mut self, ty: u32, name: u32, to: u32) {
        self.edges
            .extend_from_slice(&[ty, name, to * NODE_FIELDS as u32]);
    }

    fn key_name(&mut self, key: AnyGc) -> u32 {
        if let Some(&i) = self.key_names.get(&key.id()) {
            return i;
        }
        let i = match key.get().as_any().downcast_ref::<JsString>() {
            Some(s) => string_name(&mut self.strings, s),
            None => self.strings.intern(""),
        };
        self.key_names.insert(key.id(), i);
        i
    }

    /// The script node ordinal and script id of a source file.
    fn script(&mut self, source: &Rc<SourceFile>) -> (u32, u32) {
        if let Some(&(i, sid, _)) = self.scripts.get(&source.name) {
            return (self.first_script + i, sid);
        }
        let i = self.script_order.len() as u32;
        let sid = script_id(&source.name);
        self.scripts
            .insert(source.name.clone(), (i, sid, source.text.len()));
        self.script_order.push(source.name.clone());
        (self.first_script + i, sid)
    }

    fn code_location(&mut self, code: &Code, id: u64) -> (u32, u32, u32) {
        if let Some(&l) = self.code_locations.get(&id) {
            return l;
        }
        let (_, sid) = self.script(&code.source);
        let start = params_start(&code.source.text, code.def_start as usize);
        let (line, col) = code.source.line_col(start);
        let l = (
            sid,
            line.saturating_sub(1) as u32,
            col.saturating_sub(1) as u32,
        );
        self.code_locations.insert(id, l);
        l
    }
}

/// Which kind of cell the edges being reported come from (edge types depend on it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Object,
    Env,
    Other,
}

/// Receives a cell's edges and records them.
struct EdgeSink<'g> {
    g: &'g mut Graph,
    source: Source,
    count: u32,
    hidden: u32,
    /// For an environment: the slot being reported, and the names of its slots.
    slot: usize,
    names: Option<(ScopeNames, usize)>,
}

impl EdgeSink<'_> {
    /// The name of a context edge: the variable's name, or the slot number.
    fn slot_name(&mut self) -> u32 {
        let name = self
            .names
            .as_ref()
            .and_then(|(n, level)| n.get(*level)?.get(self.slot))
            .filter(|n| !n.is_empty());
        match name {
            Some(n) => self.g.strings.intern(n),
            None => self.g.strings.intern_owned(self.slot.to_string()),
        }
    }
}

impl Tracer for EdgeSink<'_> {
    fn edge(&mut self, name: EdgeName<'_>, to: AnyGc) {
        let Some(&target) = self.g.ordinals.get(&to.id()) else {
            return;
        };
        let (ty, name) = match name {
            EdgeName::Index(i) => (E_ELEMENT, i),
            EdgeName::Prop(p) => (E_PROPERTY, self.g.strings.intern(p)),
            EdgeName::Key(k) => (E_PROPERTY, self.g.key_name(k)),
            EdgeName::Internal("__proto__") => {
                (E_PROPERTY, self.g.strings.intern_static("__proto__"))
            }
            EdgeName::Internal("context") if self.source == Source::Env => {
                (E_CONTEXT, self.slot_name())
            }
            EdgeName::Internal("key") if self.source == Source::Object => {
                self.hidden += 1;
                (E_HIDDEN, self.hidden)
            }
            EdgeName::Internal(n) => (E_INTERNAL, self.g.strings.intern_static(n)),
        };
        self.g.push_edge(ty, name, target);
        self.count += 1;
    }
}

/// Collects the roots by category.
struct RootSink<'g> {
    g: &'g Graph,
    section: usize,
    /// Per sub-root: (edge name, target ordinal).
    edges: Vec<Vec<(&'static str, u32)>>,
}

impl Tracer for RootSink<'_> {
    fn edge(&mut self, name: EdgeName<'_>, to: AnyGc) {
        if let Some(&target) = self.g.ordinals.get(&to.id()) {
            let name = match name {
                EdgeName::Internal(n) => n,
                _ => "",
            };
            self.edges[self.section].push((name, target));
        }
    }
    fn root_section(&mut self, name: &'static str) {
        self.section = SUB_ROOTS
            .iter()
            .position(|s| *s == name)
            .unwrap_or(SUB_ROOTS.len() - 1);
    }
}

/// Builds the graph of the whole heap (after a hidden full collection).
fn build(vm: &mut Vm) -> Graph {
    vm.collect_hidden();
    let base = 2 + SUB_ROOTS.len() as u32;
    let mut ordinals = IdMap::with_capacity_and_hasher(vm.heap.cell_count(), Default::default());
    let mut n = base;
    // Environments are named from the closures created in them.
    let mut env_names: IdMap<(ScopeNames, usize)> = IdMap::default();
    let mut code_names: IdMap<Option<ScopeNames>> = IdMap::default();
    vm.heap.for_each_live(|id, cell| {
        ordinals.insert(id, n);
        n += 1;
        let Some(o) = cell.as_any().downcast_ref::<Object>() else {
            return;
        };
        let ObjectClass::Closure {
            code, env: Some(e), ..
        } = &o.class
        else {
            return;
        };
        if env_names.contains_key(&e.id()) {
            return;
        }
        let names = code_names
            .entry(code.id())
            .or_insert_with(|| code.get().source.scope_names(code.get().span));
        let Some(names) = names else { return };
        let mut env = Some(*e);
        for level in 0..names.len() {
            let Some(cur) = env else { break };
            if env_names.contains_key(&cur.id()) {
                break;
            }
            env_names.insert(cur.id(), (names.clone(), level));
            env = cur.get().parent;
        }
    });
    let mut g = Graph {
        ordinals,
        nodes: Vec::with_capacity((n as usize + 16) * NODE_FIELDS),
        edges: Vec::with_capacity(n as usize * 4 * EDGE_FIELDS),
        strings: Strings::new(),
        locations: Vec::new(),
        key_names: IdMap::default(),
        scripts: HashMap::new(),
        script_order: Vec::new(),
        first_script: n,
        code_locations: IdMap::default(),
        env_names,
    };

    // The synthetic root: (GC roots), then the global object through a shortcut edge.
    let global_ordinal = g.ordinals.get(&vm.global.id()).copied();
    let empty = g.strings.intern("");
    g.push_node(
        N_SYNTHETIC,
        empty,
        1,
        0,
        1 + global_ordinal.is_some() as u32,
    );
    g.push_edge(E_ELEMENT, 1, 1);
    if let Some(go) = global_ordinal {
        let two = g.strings.intern("2");
        g.push_edge(E_SHORTCUT, two, go);
    }
    let gc_roots = g.strings.intern("(GC roots)");
    g.push_node(N_SYNTHETIC, gc_roots, 3, 0, SUB_ROOTS.len() as u32);
    for i in 0..SUB_ROOTS.len() as u32 {
        g.push_edge(E_ELEMENT, i + 1, 2 + i);
    }
    let mut roots = RootSink {
        g: &g,
        section: SUB_ROOTS.len() - 1,
        edges: vec![Vec::new(); SUB_ROOTS.len()],
    };
    vm.trace_roots(&mut roots);
    let root_edges = roots.edges;
    for (i, (name, edges)) in SUB_ROOTS.iter().zip(root_edges).enumerate() {
        let s = g.strings.intern(name);
        g.push_node(N_SYNTHETIC, s, 5 + 2 * i as u64, 0, edges.len() as u32);
        for (name, target) in edges {
            let s = g.strings.intern(name);
            g.push_edge(E_INTERNAL, s, target);
        }
    }

    // The cells.
    let global_id = vm.global.id();
    let ctor_key = vm.realm.names.constructor;
    let name_key = vm.realm.names.name;
    // Prototype id → constructor name of the objects that inherit from it.
    let mut ctor_names: IdMap<u32> = IdMap::default();
    // Prototype id → location of the constructor of the objects that inherit from it.
    let mut ctor_locations: IdMap<Option<(u32, u32, u32)>> = IdMap::default();
    vm.heap.for_each_live(|id, cell| {
        let any = cell.as_any();
        let snapshot_id = id + ID_OFFSET;
        let size = cell.self_size();
        let mut source = Source::Other;
        let mut script_edge = None;
        let mut location = None;
        let mut env_cell = None;
        let (ty, name) = if let Some(o) = any.downcast_ref::<Object>() {
            source = Source::Object;
            match &o.class {
                _ if id == global_id => (N_OBJECT, g.strings.intern("global")),
                ObjectClass::Closure { code, .. } => {
                    location = Some(g.code_location(code.get(), code.id()));
                    (N_CLOSURE, g.strings.intern(&code.get().name))
                }
                ObjectClass::Native { name, .. } => (N_CLOSURE, g.strings.intern(name)),
                ObjectClass::Bound { .. } => (N_CLOSURE, g.strings.intern("bound")),
                ObjectClass::Array => (N_OBJECT, g.strings.intern("Array")),
                ObjectClass::RegExp(r) => (
                    N_REGEXP,
                    g.strings
                        .intern_escaped(escape_units(r.source.iter().copied())),
                ),
                ObjectClass::Accessor { .. } => {
                    (N_HIDDEN, g.strings.intern("system / AccessorPair"))
                }
                ObjectClass::Generator(co) => {
                    // V8 gives a generator object its function's location.
                    // and names it by the function (an anonymous one by its kind).
                    let code = co.frame.borrow().code;
                    location = Some(g.code_location(code.get(), code.id()));
                    let name = &code.get().name;
                    let name = if name.is_empty() { cell.kind() } else { name };
                    (N_OBJECT, g.strings.intern(name))
                }
                class => {
                    let own_ctor = o.get_own(ctor_key).is_some();
                    // V8 gives an object whose constructor is a JS function that
                    // function's location (DevTools then splits a class by definition
                    // site); a prototype (own `constructor`) gets none.
                    if !own_ctor {
                        if let Some(p) = o.proto() {
                            let l = match ctor_locations.get(&p.id()) {
                                Some(l) => *l,
                                None => {
                                    let l = constructor_code(p.get(), ctor_key)
                                        .map(|c| g.code_location(c.get(), c.id()));
                                    ctor_locations.insert(p.id(), l);
                                    l
                                }
                            };
                            location = l;
                        }
                    }
                    let cached = match o.proto() {
                        Some(p) if !own_ctor && !matches!(class, ObjectClass::Host(_)) => {
                            ctor_names.get(&p.id()).copied()
                        }
                        _ => None,
                    };
                    let name = match cached {
                        Some(n) => n,
                        None => {
                            let mut text = super::memwatch::constructor_name(o, ctor_key, name_key);
                            let host = matches!(class, ObjectClass::Host(_));
                            if let ObjectClass::Host(h) = class {
                                if text == "Object" {
                                    text = h.class_name().to_string();
                                }
                            }
                            let n = g.strings.intern_owned(text);
                            if let (Some(p), false, false) = (o.proto(), own_ctor, host) {
                                ctor_names.insert(p.id(), n);
                            }
                            n
                        }
                    };
                    (N_OBJECT, name)
                }
            }
        } else if let Some(s) = any.downcast_ref::<JsString>() {
            (N_STRING, string_name(&mut g.strings, s))
        } else if let Some(c) = any.downcast_ref::<Code>() {
            script_edge = Some(g.script(&c.source).0);
            (N_CODE, g.strings.intern(&c.name))
        } else if any.downcast_ref::<Env>().is_some() {
            source = Source::Env;
            env_cell = any.downcast_ref::<Env>();
            (N_OBJECT, g.strings.intern("system / Context"))
        } else if any.downcast_ref::<Shape>().is_some() {
            (N_SHAPE, g.strings.intern("system / Map"))
        } else if any.downcast_ref::<Symbol>().is_some() {
            (N_SYMBOL, g.strings.intern("symbol"))
        } else {
            (
                N_HIDDEN,
                g.strings.intern_owned(format!("system / {}", cell.kind())),
            )
        };
        let ordinal = g.nodes.len() / NODE_FIELDS;
        let names = env_cell.and_then(|_| g.env_names.get(&id).cloned());
        let mut sink = EdgeSink {
            g: &mut g,
            source,
            count: 0,
            hidden: 0,
            slot: 0,
            names,
        };
        match env_cell {
            // As `Env::trace`, with the slot index of each context edge known.
            Some(env) => {
                if let Some(p) = env.parent {
                    sink.edge(EdgeName::Internal("previous"), p.into());
                }
                for (i, v) in env.slots.borrow().iter().enumerate() {
                    sink.slot = i;
                    trace_value(&mut sink, EdgeName::Internal("context"), *v, None);
                }
            }
            None => cell.trace(&mut sink),
        }
        let mut count = sink.count;
        if let Some(script) = script_edge {
            let s = g.strings.intern("script_or_debug_info");
            g.push_edge(E_INTERNAL, s, script);
            count += 1;
        }
        g.push_node(ty, name, snapshot_id, size, count);
        if let Some((sid, line, col)) = location {
            g.locations
                .extend_from_slice(&[(ordinal * NODE_FIELDS) as u32, sid, line, col]);
        }
    });

    // One code node per script, named by its file.
    for name in std::mem::take(&mut g.script_order) {
        let (_, sid, len) = g.scripts[&name];
        let s = g.strings.intern_owned(name);
        g.push_node(N_CODE, s, 2 * sid as u64, len, 0);
    }
    g
}

/// Appends `n` in decimal.
fn push_u32(out: &mut Vec<u8>, mut n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Streams the graph as JSON: 64 KiB chunks.
fn write_graph(g: &Graph, w: &mut impl Write) -> io::Result<u64> {
    const CHUNK: usize = 64 * 1024;
    let mut written = 0u64;
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 256);
    let mut flush = |buf: &mut Vec<u8>, force: bool| -> io::Result<()> {
        if force || buf.len() >= CHUNK {
            w.write_all(buf)?;
            written += buf.len() as u64;
            buf.clear();
        }
        Ok(())
    };
    buf.extend_from_slice(HEADER.as_bytes());
    push_u32(&mut buf, (g.nodes.len() / NODE_FIELDS) as u32);
    buf.extend_from_slice(b",\"edge_count\":");
    push_u32(&mut buf, (g.edges.len() / EDGE_FIELDS) as u32);
    buf.extend_from_slice(b",\"trace_function_count\":0},\n\"nodes\":[");
    let mut numbers = |buf: &mut Vec<u8>, data: &[u32], per_line: usize| -> io::Result<()> {
        for (i, row) in data.chunks(per_line).enumerate() {
            if i > 0 {
                buf.extend_from_slice(b"\n,");
            }
            for (j, &n) in row.iter().enumerate() {
                if j > 0 {
                    buf.push(b',');
                }
                push_u32(buf, n);
            }
            flush(buf, false)?;
        }
        Ok(())
    };
    numbers(&mut buf, &g.nodes, NODE_FIELDS)?;
    buf.extend_from_slice(b"],\n\"edges\":[");
    numbers(&mut buf, &g.edges, EDGE_FIELDS)?;
    buf.extend_from_slice(
        b"],\n\"trace_function_infos\":[],\n\"trace_tree\":[],\n\"samples\":[],\n\"locations\":[",
    );
    numbers(&mut buf, &g.locations, 4)?;
    buf.extend_from_slice(b"],\n\"strings\":[");
    for (i, s) in g.strings.list.iter().enumerate() {
        if i > 0 {
            buf.extend_from_slice(b",\n");
        }
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
        flush(&mut buf, false)?;
    }
    buf.extend_from_slice(b"]}\n");
    flush(&mut buf, true)?;
    w.flush()?;
    Ok(written)
}

/// The temporary file a snapshot is written to before it is renamed to `target`: in the same
/// directory (so the rename is atomic), hidden, unique per process.
fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "heapsnapshot".into());
    let tmp = format!(".{name}.{}.tmp", std::process::id());
    match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(tmp),
        _ => PathBuf::from(tmp),
    }
}

/// Writes a snapshot of the whole heap to `path` (through a temporary file and a rename: a
/// failed write leaves whatever `path` was before).
pub fn write_snapshot(vm: &mut Vm, path: &Path) -> io::Result<SnapshotStats> {
    let tmp = temp_path(path);
    // Opened before the snapshot is taken, as heapdump does: a bad directory fails at once.
    let file = File::create(&tmp)?;
    let result = (|| {
        let g = build(vm);
        let mut file = file;
        let bytes = write_graph(&g, &mut file)?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        Ok(SnapshotStats {
            nodes: g.nodes.len() / NODE_FIELDS,
            edges: g.edges.len() / EDGE_FIELDS,
            strings: g.strings.list.len(),
            bytes,
        })
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The errno name of an I/O error (`ENOENT`, …), or its number.
pub fn errno_name(e: &io::Error) -> String {
    let Some(code) = e.raw_os_error() else {
        return "EIO".into();
    };
    let name = match code {
        1 => "EPERM",
        2 => "ENOENT",
        5 => "EIO",
        9 => "EBADF",
        12 => "ENOMEM",
        13 => "EACCES",
        17 => "EEXIST",
        20 => "ENOTDIR",
        21 => "EISDIR",
        22 => "EINVAL",
        24 => "EMFILE",
        27 => "EFBIG",
        28 => "ENOSPC",
        30 => "EROFS",
        36 => "ENAMETOOLONG",
        122 => "EDQUOT",
        _ => return code.to_string(),
    };
    name.into()
}

// ---- require('heapdump') and require('v8') ----

type R = Result<Value, Thrown>;

/// heapdump's default file name (memwatch.md §7.2): `heapdump-<ms>.<ns>.heapsnapshot` from
/// the monotonic clock in nanoseconds.
pub(crate) fn heapdump_default_name() -> String {
    let t = super::process::monotonic_ns();
    format!("heapdump-{}.{}.heapsnapshot", t / 1_000_000, t % 1_000_000)
}

/// `writeSnapshot([filename], [callback]) -> boolean` (memwatch.md §7.2).
fn heapdump_write_snapshot(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let (mut filename, mut cb) = (arg(a, 0), arg(a, 1));
    if vm.is_callable(filename) {
        cb = filename;
        filename = Value::UNDEFINED;
    }
    let name = match filename.as_heap::<JsString>() {
        Some(s) => {
            let mut n = s.get().to_rust_string();
            if n.len() > 4095 {
                let mut end = 4095;
                while !n.is_char_boundary(end) {
                    end -= 1;
                }
                n.truncate(end);
            }
            n
        }
        None => heapdump_default_name(),
    };
    let result = write_snapshot(vm, Path::new(&name));
    let ok = result.is_ok();
    if crate::vm::interp::to_boolean(cb) {
        if !vm.is_callable(cb) {
            return Err(vm.type_error("cb is not a function"));
        }
        match result {
            Ok(_) => {
                let n = vm.new_string(&name);
                vm.call(cb, Value::UNDEFINED, &[Value::NULL, n])?;
            }
            Err(e) => {
                let msg = format!("heapdump write error {}", errno_name(&e));
                let err = vm.make_error(ErrorKind::Error, &msg);
                vm.call(cb, Value::UNDEFINED, &[err])?;
            }
        }
    }
    Ok(Value::bool(ok))
}

/// `require('heapdump')`: `{ writeSnapshot }`; NODE_HEAPDUMP_OPTIONS is read at load time
/// (memwatch.md §7.1); unless it says `nosignal`, SIGUSR2 writes a snapshot (src/runtime/signals.rs).
pub fn heapdump_module(vm: &mut Vm) -> R {
    let mut signal = true;
    if let Ok(opts) = std::env::var("NODE_HEAPDUMP_OPTIONS") {
        for item in opts.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if item == "nosignal" {
                signal = false;
            } else if item == "signal" {
                signal = true;
            } else {
                vm.flush();
                let _ = writeln!(io::stderr(), "node-heapdump: unrecognized option: {item}");
            }
        }
    }
    if signal {
        vm.host.signals.heapdump = true;
        super::signals::watch(vm, signal_hook::consts::signal::SIGUSR2);
    }
    let o = vm.new_object();
    vm.define_native(o, "writeSnapshot", 2, heapdump_write_snapshot);
    Ok(Value::heap(o))
}

thread_local! {
    static V8_SEQ: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// node's diagnostic file name: `Heap.YYYYMMDD.HHMMSS.<pid>.0.<seq>.heapsnapshot` (UTC, as
/// minijs's local time is).
pub(crate) fn v8_default_name() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since the epoch → civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + (m <= 2) as i64;
    let seq = V8_SEQ.with(|s| {
        s.set(s.get() + 1);
        s.get()
    });
    format!(
        "Heap.{y:04}{m:02}{d:02}.{:02}{:02}{:02}.{}.0.{seq:03}.heapsnapshot",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        std::process::id()
    )
}

/// `v8.writeHeapSnapshot([filename])`: the file name written; throws on failure as node's
/// fs errors do.
fn v8_write_heap_snapshot(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let filename = arg(a, 0);
    let name = if filename.is_undefined() {
        v8_default_name()
    } else if let Some(s) = filename.as_heap::<JsString>() {
        s.get().to_rust_string()
    } else {
        return Err(vm.type_error(
            "The \"path\" argument must be of type string or an instance of Buffer or URL.",
        ));
    };
    match write_snapshot(vm, Path::new(&name)) {
        Ok(_) => Ok(vm.new_string(&name)),
        Err(e) => {
            let code = errno_name(&e);
            let what = match code.as_str() {
                "ENOENT" => "no such file or directory",
                "EACCES" => "permission denied",
                "EISDIR" => "illegal operation on a directory",
                "ENOTDIR" => "not a directory",
                "ENOSPC" => "no space left on device",
                _ => "write error",
            };
            let msg = format!("{code}: {what}, open '{name}'");
            let err = vm.make_error(ErrorKind::Error, &msg);
            if let Some(o) = err.as_heap::<Object>() {
                let c = vm.new_string(&code);
                vm.define_hidden(o, "code", c);
            }
            Err(Thrown::new(err))
        }
    }
}

/// `v8.getHeapStatistics()` from minijs's accounting: used = the heap's bytes, total = the
/// threshold of the next collection.
fn v8_get_heap_statistics(vm: &mut Vm, _this: Value, _a: &[Value]) -> R {
    let used = vm.heap.used_bytes() as f64;
    let total = (vm.gc_threshold() as f64).max(used);
    let limit = 4_345_298_944.0;
    let o = vm.new_object();
    for (k, v) in [
        ("total_heap_size", total),
        ("total_heap_size_executable", 0.0),
        ("total_physical_size", total),
        ("total_available_size", limit - used),
        ("used_heap_size", used),
        ("heap_size_limit", limit),
        ("malloced_memory", 0.0),
        ("peak_malloced_memory", 0.0),
        ("does_zap_garbage", 0.0),
        ("number_of_native_contexts", 1.0),
        ("number_of_detached_contexts", 0.0),
        ("total_global_handles_size", 0.0),
        ("used_global_handles_size", 0.0),
        ("external_memory", 0.0),
    ] {
        let key = vm.intern(k);
        o.get()
            .define(&mut vm.heap, key, Value::number(v), attrs::DEFAULT);
    }
    Ok(Value::heap(o))
}

/// `require('v8')`: `writeHeapSnapshot` and `getHeapStatistics`.
pub fn v8_module(vm: &mut Vm) -> R {
    let o = vm.new_object();
    vm.define_native(o, "writeHeapSnapshot", 1, v8_write_heap_snapshot);
    vm.define_native(o, "getHeapStatistics", 0, v8_get_heap_statistics);
    Ok(Value::heap(o))
}

/// The code of the JS function that constructs the objects inheriting from `proto`: the
/// first `constructor` data property up the chain, if it is a closure (V8 reads the map's
/// constructor; an object made by a native constructor has no location).
fn constructor_code(proto: &Object, ctor_key: crate::vm::object::Key) -> Option<Gc<Code>> {
    if let Some((v, a)) = proto.get_own(ctor_key) {
        if a & attrs::ACCESSOR != 0 {
            return None;
        }
        return match &v.as_heap::<Object>()?.get().class {
            ObjectClass::Closure { code, .. } => Some(*code),
            _ => None,
        };
    }
    let mut cur = proto.proto();
    while let Some(p) = cur {
        let o = p.get();
        if let Some((v, a)) = o.get_own(ctor_key) {
            if a & attrs::ACCESSOR != 0 {
                return None;
            }
            return match &v.as_heap::<Object>()?.get().class {
                ObjectClass::Closure { code, .. } => Some(*code),
                _ => None,
            };
        }
        cur = o.proto();
    }
    None
}

/// V8's location of a function: the start of its parameter list (`f(`, `m(`, `constructor(`),
/// or of the function itself for an arrow with a bare parameter and for a default class
/// constructor (whose text is the class's).
fn params_start(text: &str, start: usize) -> usize {
    let Some(rest) = text.get(start..) else {
        return start;
    };
    if rest.starts_with("class") {
        return start;
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    // A computed method name: skip its brackets.
    if bytes.first() == Some(&b'[') {
        let mut depth = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'[' => depth += 1,
                b']' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
    while i < bytes.len() {
        match bytes[i] {
            b'(' => return start + i,
            b'=' if bytes.get(i + 1) == Some(&b'>') => return start,
            b'{' => return start,
            _ => {}
        }
        i += 1;
    }
    start
}
