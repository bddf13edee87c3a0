//! `util.inspect` and console formatting, as node v20 prints them (the rules are restated in
//! `shared/spec/node-compat.md` §1; the structure here follows node's
//! `lib/internal/util/inspect.js` function by function so the two can be compared).
//!
//! Inspection reads properties without running JavaScript where node does not either: data
//! properties are read directly, accessors print as `[Getter]`/`[Setter]`. JavaScript runs only
//! for a `Symbol.toStringTag` getter, an error's `name`/`message`/`cause` getters and, in format
//! strings, the conversions `%s`/`%d`/`%i`/`%f` ask for. Every container being formatted is
//! rooted on the VM stack while it is, so a collection during such a call keeps it.

use super::interp::Vm;
use super::object::{attrs, HostData, Key, Object, ObjectClass, Symbol};
use super::ops::PKey;
use super::string::JsString;
use super::typed::typed_array;
use super::value::{number_to_string, Value};
use crate::gc::{Gc, Tracer};

/// The options of `util.inspect` minijs supports.
#[derive(Clone, Debug)]
pub struct InspectOptions {
    /// `f64::INFINITY` for `depth: null`.
    pub depth: f64,
    pub show_hidden: bool,
    pub break_length: usize,
    pub compact: usize,
    pub max_array_length: usize,
    pub max_string_length: usize,
    /// ANSI colors, in node's `inspect.styles` (the REPL's echo on a terminal).
    pub colors: bool,
}

impl Default for InspectOptions {
    fn default() -> Self {
        InspectOptions {
            depth: 2.0,
            show_hidden: false,
            break_length: 80,
            compact: 3,
            max_array_length: 100,
            max_string_length: 10000,
            colors: false,
        }
    }
}

// ---- Map and Set ----

/// The contents of a keyed collection, as inspect shows them.
pub enum Collection {
    Set(Vec<Value>),
    Map(Vec<(Value, Value)>),
}

/// A Map or Set kept in a host object: the stand-in the unit tests use, and a way for the
/// runtime to show a collection-like host object.
pub struct HostCollection {
    pub is_map: bool,
    pub entries: std::cell::RefCell<Vec<(Value, Value)>>,
}

impl HostData for HostCollection {
    fn trace(&self, t: &mut dyn Tracer) {
        for (k, v) in self.entries.borrow().iter() {
            super::object::trace_value(t, crate::gc::EdgeName::Internal("entry"), *k, None);
            super::object::trace_value(t, crate::gc::EdgeName::Internal("entry"), *v, None);
        }
    }
    fn class_name(&self) -> &'static str {
        if self.is_map {
            "Map"
        } else {
            "Set"
        }
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The entries of a Map or Set object (or a host collection), in insertion order; `None` for
/// anything else.
pub fn collection_of(o: &Object) -> Option<Collection> {
    let entries = |t: &super::table::OrderedTable| {
        let mut c = t.cursor();
        let mut out = Vec::new();
        while let Some(e) = t.next(&mut c) {
            out.push(e);
        }
        out
    };
    match &o.class {
        ObjectClass::Map(t) => Some(Collection::Map(entries(&t.borrow()))),
        ObjectClass::Set(t) => Some(Collection::Set(
            entries(&t.borrow()).into_iter().map(|(k, _)| k).collect(),
        )),
        ObjectClass::Host(h) => {
            let c = h.as_any().downcast_ref::<HostCollection>()?;
            let e = c.entries.borrow();
            Some(if c.is_map {
                Collection::Map(e.clone())
            } else {
                Collection::Set(e.iter().map(|(k, _)| *k).collect())
            })
        }
        _ => None,
    }
}

// ---- Entry points ----

/// `util.inspect(v, opts)`.
pub fn inspect(vm: &mut Vm, v: Value, opts: &InspectOptions) -> String {
    let mark = vm.stack.len();
    vm.root(v);
    let mut ctx = Ctx {
        opts: opts.clone(),
        seen: Vec::new(),
        circular: Vec::new(),
        indentation: 0,
        current_depth: 0,
    };
    let s = format_value(vm, &mut ctx, v, 0);
    vm.stack.truncate(mark);
    s
}

/// `util.inspect(v)` with the default options.
pub fn inspect_default(vm: &mut Vm, v: Value) -> String {
    inspect(vm, v, &InspectOptions::default())
}

struct Ctx {
    opts: InspectOptions,
    /// The containers being formatted (the current ancestor path).
    seen: Vec<Gc<Object>>,
    /// Containers found to be referenced circularly; `*N` is the position + 1.
    circular: Vec<Gc<Object>>,
    indentation: usize,
    /// node's `ctx.currentDepth`: the level of the container entered last.
    current_depth: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Extras {
    /// `key: value` entries.
    Object,
    /// Bare values (array elements).
    Array,
    /// An array's named properties: `key: value`, and the array may be grouped.
    Named,
}

/// A property to show: a real own property, or one V8 stores that minijs computes (a
/// function's `length`, an array's `length`), shown only with `showHidden`.
#[derive(Clone, Copy, PartialEq)]
enum PropKey {
    Index(u32),
    Named(Key),
    Virtual(&'static str, Value),
    /// A value node lists among the keys under a plain name (a DataView's `byteLength`, …).
    Shown(&'static str, Value),
}

/// The UTF-16 length (JavaScript's `.length`) of a string.
fn js_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// node's `inspect.styles`: which color each kind of text gets.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Special,
    Number,
    Boolean,
    Undefined,
    Null,
    Str,
    Symbol,
    Date,
    RegExp,
}

/// `ctx.stylize`: the text in its style's color when colors are on (node's `inspect.colors`
/// codes: cyan, yellow, grey, bold, green, magenta, red), as it is otherwise.
fn stylize(ctx: &Ctx, s: &str, style: Style) -> String {
    if !ctx.opts.colors {
        return s.to_string();
    }
    let (on, off) = match style {
        Style::Special => (36, 39),
        Style::Number | Style::Boolean => (33, 39),
        Style::Undefined => (90, 39),
        Style::Null => (1, 22),
        Style::Str | Style::Symbol => (32, 39),
        Style::Date => (35, 39),
        Style::RegExp => (31, 39),
    };
    format!("\x1b[{on}m{s}\x1b[{off}m")
}

/// The text without the color codes `stylize` adds (node's `removeColors`).
fn remove_colors(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\x1b') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\x1b') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let b = tail.as_bytes();
        // ESC [ one or two digits m
        let digits = b.iter().skip(2).take_while(|c| c.is_ascii_digit()).count();
        if b.get(1) == Some(&b'[') && (1..=2).contains(&digits) && b.get(2 + digits) == Some(&b'm')
        {
            rest = &tail[3 + digits..];
        } else {
            out.push('\x1b');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// The length `isBelowBreakLength` counts: without color codes when colors are on.
fn visible_len(ctx: &Ctx, s: &str) -> usize {
    if ctx.opts.colors {
        js_len(&remove_colors(s))
    } else {
        js_len(s)
    }
}

// ---- Primitives ----

/// `\xHH` and friends for the characters node escapes (`meta` in inspect.js).
fn meta(u: u16) -> Option<&'static str> {
    const C0: [&str; 32] = [
        "\\x00", "\\x01", "\\x02", "\\x03", "\\x04", "\\x05", "\\x06", "\\x07", "\\b", "\\t",
        "\\n", "\\x0B", "\\f", "\\r", "\\x0E", "\\x0F", "\\x10", "\\x11", "\\x12", "\\x13",
        "\\x14", "\\x15", "\\x16", "\\x17", "\\x18", "\\x19", "\\x1A", "\\x1B", "\\x1C", "\\x1D",
        "\\x1E", "\\x1F",
    ];
    const C1: [&str; 33] = [
        "\\x7F", "\\x80", "\\x81", "\\x82", "\\x83", "\\x84", "\\x85", "\\x86", "\\x87", "\\x88",
        "\\x89", "\\x8A", "\\x8B", "\\x8C", "\\x8D", "\\x8E", "\\x8F", "\\x90", "\\x91", "\\x92",
        "\\x93", "\\x94", "\\x95", "\\x96", "\\x97", "\\x98", "\\x99", "\\x9A", "\\x9B", "\\x9C",
        "\\x9D", "\\x9E", "\\x9F",
    ];
    match u {
        0..=31 => Some(C0[u as usize]),
        39 => Some("\\'"),
        92 => Some("\\\\"),
        127..=159 => Some(C1[(u - 127) as usize]),
        _ => None,
    }
}

fn push_units(out: &mut String, units: &[u16]) {
    out.push_str(&String::from_utf16_lossy(units));
}

/// Escapes control characters, backslashes, lone surrogates and (when `quote_single`) single
/// quotes.
fn escape_units(units: &[u16], quote_single: bool) -> String {
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        if (u == 39 && quote_single) || u == 92 || u < 32 || (127..160).contains(&u) {
            push_units(&mut out, &units[last..i]);
            out.push_str(meta(u).unwrap_or(""));
            last = i + 1;
        } else if (0xD800..=0xDFFF).contains(&u) {
            if u <= 0xDBFF && i + 1 < units.len() && (0xDC00..=0xDFFF).contains(&units[i + 1]) {
                i += 2;
                continue;
            }
            push_units(&mut out, &units[last..i]);
            out.push_str(&format!("\\u{u:x}"));
            last = i + 1;
        }
        i += 1;
    }
    push_units(&mut out, &units[last..]);
    out
}

/// node's `strEscape`: the string quoted, with node's choice of quotes.
fn str_escape(units: &[u16]) -> String {
    let has = |c: u8| units.contains(&(c as u16));
    let mut quote = '\'';
    if has(b'\'') {
        if !has(b'"') {
            quote = '"';
        } else if !has(b'`') && !units.windows(2).any(|w| w == [b'$' as u16, b'{' as u16]) {
            quote = '`';
        }
    }
    let body = escape_units(units, quote == '\'');
    format!("{quote}{body}{quote}")
}

/// A number as inspect prints it (`-0` keeps its sign).
pub fn format_number(n: f64) -> String {
    if n == 0.0 && n.is_sign_negative() {
        "-0".into()
    } else {
        number_to_string(n)
    }
}

fn symbol_to_string(s: Gc<Symbol>) -> String {
    match s.get().description {
        Some(d) => format!("Symbol({})", d.get().to_rust_string()),
        None => "Symbol()".into(),
    }
}

fn format_string(ctx: &Ctx, s: &JsString) -> String {
    let mut units: Vec<u16> = s.units().collect();
    let mut trailer = String::new();
    if units.len() > ctx.opts.max_string_length {
        let remaining = units.len() - ctx.opts.max_string_length;
        units.truncate(ctx.opts.max_string_length);
        trailer = format!(
            "... {remaining} more character{}",
            if remaining > 1 { "s" } else { "" }
        );
    }
    let limit = ctx.opts.break_length as isize - ctx.indentation as isize - 4;
    if units.len() > 16 && units.len() as isize > limit {
        // Split after each newline; each piece chooses its own quotes.
        let mut pieces = Vec::new();
        let mut start = 0;
        for (i, u) in units.iter().enumerate() {
            if *u == b'\n' as u16 {
                pieces.push(stylize(ctx, &str_escape(&units[start..=i]), Style::Str));
                start = i + 1;
            }
        }
        if start < units.len() {
            pieces.push(stylize(ctx, &str_escape(&units[start..]), Style::Str));
        }
        if pieces.is_empty() {
            pieces.push(stylize(ctx, &str_escape(&[]), Style::Str));
        }
        let sep = format!(" +\n{}", spaces(ctx.indentation + 2));
        return pieces.join(&sep) + &trailer;
    }
    stylize(ctx, &str_escape(&units), Style::Str) + &trailer
}

fn format_primitive(ctx: &Ctx, v: Value) -> String {
    if let Some(n) = v.as_number() {
        return stylize(ctx, &format_number(n), Style::Number);
    }
    if let Some(s) = v.as_heap::<JsString>() {
        return format_string(ctx, s.get());
    }
    if let Some(s) = v.as_heap::<Symbol>() {
        return stylize(ctx, &symbol_to_string(s), Style::Symbol);
    }
    match v {
        Value::NULL => stylize(ctx, "null", Style::Null),
        Value::TRUE => stylize(ctx, "true", Style::Boolean),
        Value::FALSE => stylize(ctx, "false", Style::Boolean),
        _ => stylize(ctx, "undefined", Style::Undefined),
    }
}

// ---- Values ----

fn format_value(vm: &mut Vm, ctx: &mut Ctx, v: Value, recurse_times: usize) -> String {
    let Some(o) = v.as_heap::<Object>() else {
        return format_primitive(ctx, v);
    };
    if ctx.seen.contains(&o) {
        let index = match ctx.circular.iter().position(|c| *c == o) {
            Some(i) => i + 1,
            None => {
                ctx.circular.push(o);
                ctx.circular.len()
            }
        };
        return stylize(ctx, &format!("[Circular *{index}]"), Style::Special);
    }
    format_raw(vm, ctx, o, recurse_times)
}

/// A property's value: data, or which halves of an accessor exist.
enum Desc {
    Data(Value, bool),
    Accessor {
        get: bool,
        set: bool,
        enumerable: bool,
    },
}

fn own_desc(vm: &mut Vm, o: Gc<Object>, key: PropKey) -> Desc {
    match key {
        PropKey::Index(i) => {
            if let Some(v) = o.get().get_index(i) {
                return Desc::Data(v, true);
            }
            if vm.realm.index_props {
                // An index property kept among the named ones (`Vm::note_index_prop`).
                let k = vm.intern(&i.to_string());
                if o.get().get_own(k).is_some() {
                    return own_desc(vm, o, PropKey::Named(k));
                }
            }
            if let Some(v) = typed_array(o.get()).and_then(|t| t.get(i)) {
                return Desc::Data(v, true);
            }
            if let ObjectClass::Boxed(b) = o.get().class {
                if let Some(s) = b.as_heap::<JsString>() {
                    if let Some(u) = s.get().unit(i as usize) {
                        return Desc::Data(vm.single_unit_string(u), true);
                    }
                }
            }
            Desc::Data(Value::UNDEFINED, true)
        }
        PropKey::Named(k) => match o.get().get_own(k) {
            Some((pair, a)) if a & attrs::ACCESSOR != 0 => {
                let (get, set) = match pair.as_heap::<Object>().as_ref().map(|p| &p.get().class) {
                    Some(ObjectClass::Accessor { get, set }) => {
                        (!get.is_undefined(), !set.is_undefined())
                    }
                    _ => (false, false),
                };
                Desc::Accessor {
                    get,
                    set,
                    enumerable: a & attrs::ENUMERABLE != 0,
                }
            }
            Some((v, a)) => Desc::Data(v, a & attrs::ENUMERABLE != 0),
            None => Desc::Data(Value::UNDEFINED, true),
        },
        PropKey::Virtual(_, v) => Desc::Data(v, false),
        PropKey::Shown(_, v) => Desc::Data(v, true),
    }
}

fn is_identifier(units: &[u16]) -> bool {
    let word = |u: u16, first: bool| {
        u < 128 && {
            let c = u as u8 as char;
            c.is_ascii_alphabetic() || c == '_' || (!first && c.is_ascii_digit())
        }
    };
    !units.is_empty() && word(units[0], true) && units[1..].iter().all(|u| word(*u, false))
}

fn format_property(
    vm: &mut Vm,
    ctx: &mut Ctx,
    o: Gc<Object>,
    recurse_times: usize,
    key: PropKey,
    extras: Extras,
) -> String {
    let desc = own_desc(vm, o, key);
    let (str, enumerable) = match desc {
        Desc::Data(v, e) => {
            ctx.indentation += 2;
            let s = format_value(vm, ctx, v, recurse_times);
            ctx.indentation -= 2;
            (s, e)
        }
        Desc::Accessor {
            get,
            set,
            enumerable,
        } => {
            let s = match (get, set) {
                (true, true) => stylize(ctx, "[Getter/Setter]", Style::Special),
                (true, false) => stylize(ctx, "[Getter]", Style::Special),
                (false, true) => stylize(ctx, "[Setter]", Style::Special),
                (false, false) => stylize(ctx, "undefined", Style::Undefined),
            };
            (s, enumerable)
        }
    };
    if extras == Extras::Array {
        return str;
    }
    let name = match key {
        PropKey::Index(i) => {
            if enumerable {
                format!("'{i}'")
            } else {
                format!("[{i}]")
            }
        }
        PropKey::Virtual(n, _) => format!("[{n}]"),
        PropKey::Shown(n, _) => n.to_string(),
        PropKey::Named(k) => {
            if let Some(sym) = vm.realm.symbol_of(k) {
                let text: Vec<u16> = symbol_to_string(sym).encode_utf16().collect();
                format!(
                    "[{}]",
                    stylize(ctx, &escape_units(&text, true), Style::Symbol)
                )
            } else {
                let units: Vec<u16> = k.string().get().units().collect();
                if units == "__proto__".encode_utf16().collect::<Vec<u16>>() {
                    "['__proto__']".into()
                } else if !enumerable {
                    format!("[{}]", escape_units(&units, true))
                } else if is_identifier(&units) {
                    String::from_utf16_lossy(&units)
                } else {
                    stylize(ctx, &str_escape(&units), Style::Str)
                }
            }
        }
    };
    format!("{name}: {str}")
}

// ---- Constructor names, tags, prefixes ----

/// A function's `name` (or a non-function's own `name` string).
fn name_of(vm: &mut Vm, o: Gc<Object>) -> String {
    if o.get().is_callable() {
        return vm.function_name(o);
    }
    let nk = vm.realm.names.name;
    match o.get().get_own(nk) {
        Some((v, a)) if a & attrs::ACCESSOR == 0 => v
            .as_heap::<JsString>()
            .map(|s| s.get().to_rust_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn is_instance_of(vm: &Vm, o: Gc<Object>, f: Gc<Object>) -> bool {
    let pk = vm.realm.names.prototype;
    let Some(proto) = f
        .get()
        .get_own(pk)
        .filter(|(_, a)| a & attrs::ACCESSOR == 0)
        .and_then(|(v, _)| v.as_heap::<Object>())
    else {
        return false;
    };
    o.get().inherits_from(proto)
}

/// V8's class name of an object (`internalGetConstructorName`).
fn internal_class_name(o: &Object) -> &'static str {
    match &o.class {
        ObjectClass::Array => "Array",
        ObjectClass::Closure { .. } | ObjectClass::Native { .. } | ObjectClass::Bound { .. } => {
            "Function"
        }
        ObjectClass::Error => "Error",
        ObjectClass::Boxed(b) => {
            if b.is_number() {
                "Number"
            } else if b.as_heap::<JsString>().is_some() {
                "String"
            } else if b.as_bool().is_some() {
                "Boolean"
            } else {
                "Symbol"
            }
        }
        ObjectClass::Host(h) => h.class_name(),
        ObjectClass::ArrayBuffer(_) => "ArrayBuffer",
        ObjectClass::TypedArray(t) => t.kind.name(),
        ObjectClass::DataView(_) => "DataView",
        _ => "Object",
    }
}

/// node's `getConstructorName`: the name of the first `constructor` up the prototype chain
/// that the object is an instance of; `None` for an object without prototypes.
fn constructor_name(vm: &mut Vm, ctx: &Ctx, o: Gc<Object>, recurse_times: usize) -> Option<String> {
    let ck = vm.realm.names.constructor;
    let mut cur = Some(o);
    let mut first_proto: Option<Option<Gc<Object>>> = None;
    while let Some(c) = cur {
        if let Some((v, a)) = c.get().get_own(ck) {
            if a & attrs::ACCESSOR == 0 {
                if let Some(f) = v.as_heap::<Object>().filter(|f| f.get().is_callable()) {
                    let name = vm.function_name(f);
                    if !name.is_empty() && is_instance_of(vm, o, f) {
                        return Some(name);
                    }
                }
            }
        }
        cur = c.get().proto();
        if first_proto.is_none() {
            first_proto = Some(cur);
        }
    }
    let first = first_proto.flatten()?;
    let res = internal_class_name(o.get());
    if recurse_times as f64 > ctx.opts.depth {
        return Some(format!("{res} <Complex prototype>"));
    }
    match constructor_name(vm, ctx, first, recurse_times + 1) {
        Some(p) => Some(format!("{res} <{p}>")),
        None => {
            let opts = InspectOptions {
                depth: -1.0,
                ..ctx.opts.clone()
            };
            let shown = inspect(vm, Value::heap(first), &opts);
            Some(format!("{res} <{shown}>"))
        }
    }
}

/// `value[Symbol.toStringTag]`, unless it is an own (enumerable) property, which prints as a
/// key anyway.
fn to_string_tag(vm: &mut Vm, ctx: &Ctx, o: Gc<Object>) -> String {
    let key = Key::from_atom(vm.realm.sym_to_string_tag.get().key);
    let tag = match vm.get_from(o, key, Value::heap(o)) {
        Ok(v) => v,
        Err(_) => return String::new(),
    };
    let Some(s) = tag.as_heap::<JsString>() else {
        return String::new();
    };
    let s = s.get().to_rust_string();
    if s.is_empty() {
        return s;
    }
    let own = o.get().get_own(key);
    let hide = match own {
        Some((_, a)) => ctx.opts.show_hidden || a & attrs::ENUMERABLE != 0,
        None => false,
    };
    if hide {
        String::new()
    } else {
        s
    }
}

fn get_prefix(constructor: Option<&str>, tag: &str, fallback: &str, size: &str) -> String {
    match constructor {
        None => {
            if !tag.is_empty() && fallback != tag {
                format!("[{fallback}{size}: null prototype] [{tag}] ")
            } else {
                format!("[{fallback}{size}: null prototype] ")
            }
        }
        Some(c) => {
            if !tag.is_empty() && c != tag {
                format!("{c}{size} [{tag}] ")
            } else {
                format!("{c}{size} ")
            }
        }
    }
}

fn ctx_style(o: Gc<Object>, constructor: Option<&str>, tag: &str) -> String {
    let mut fallback = "";
    if constructor.is_none() {
        fallback = internal_class_name(o.get());
        if fallback == tag {
            fallback = "Object";
        }
    }
    get_prefix(constructor, tag, fallback, "")
}

// ---- Keys ----

fn get_keys(vm: &mut Vm, o: Gc<Object>, show_hidden: bool) -> Vec<PropKey> {
    let mut out: Vec<PropKey> = Vec::new();
    let keys = vm.own_keys(o, !show_hidden);
    let mut named_start = None;
    for k in keys {
        match k {
            PKey::Index(i) => out.push(PropKey::Index(i)),
            PKey::Named(n) => {
                if named_start.is_none() {
                    named_start = Some(out.len());
                }
                out.push(PropKey::Named(n));
            }
        }
    }
    if show_hidden {
        // After a function's materialised `length` and `name` (V8's order: length, name,
        // arguments, caller, prototype).
        let mut at = named_start.unwrap_or(out.len());
        let (lk, nk) = (vm.realm.names.length, vm.realm.names.name);
        while matches!(out.get(at), Some(PropKey::Named(k)) if *k == lk || *k == nk) {
            at += 1;
        }
        let hidden = hidden_virtual_keys(vm, o);
        for (j, h) in hidden.into_iter().enumerate() {
            out.insert(at + j, h);
        }
    }
    out
}

/// The properties V8 keeps on functions, arrays and String objects that minijs computes
/// instead of storing (shown with `showHidden` only), minus any stored as own properties.
fn hidden_virtual_keys(vm: &mut Vm, o: Gc<Object>) -> Vec<PropKey> {
    let names = &vm.realm.names;
    let (lk, nk, pk) = (names.length, names.name, names.prototype);
    let mut out = Vec::new();
    let has = |k: Key| o.get().get_own(k).is_some();
    match &o.get().class {
        ObjectClass::Array => {
            let n = o.get().elements_len();
            out.push(PropKey::Virtual("length", Value::number(n as f64)));
        }
        ObjectClass::Boxed(b) => {
            if let Some(s) = b.as_heap::<JsString>() {
                out.push(PropKey::Virtual("length", Value::int(s.get().len() as i32)));
            }
        }
        ObjectClass::Closure { code, .. } => {
            let code = *code;
            let kind = code.get().kind;
            if !has(lk) {
                out.push(PropKey::Virtual(
                    "length",
                    Value::int(code.get().length as i32),
                ));
            }
            if !has(nk) {
                let n = code.get().name.to_string();
                let v = vm.new_string(&n);
                out.push(PropKey::Virtual("name", v));
            }
            if kind == super::function::FnKind::Normal
                && code.get().co == super::function::CoKind::None
            {
                out.push(PropKey::Virtual("arguments", Value::NULL));
                out.push(PropKey::Virtual("caller", Value::NULL));
            }
            if code.get().has_prototype() && !has(pk) {
                let p = vm.materialize_prototype(o);
                out.push(PropKey::Virtual("prototype", Value::heap(p)));
            }
        }
        ObjectClass::Native { name, .. } if !has(nk) => {
            let v = vm.new_string(name);
            out.push(PropKey::Virtual("name", v));
        }
        _ => {}
    }
    out
}

// ---- Containers ----

enum Formatter {
    None,
    Array,
    Set(Vec<Value>),
    Map(Vec<(Value, Value)>),
    /// A Map or Set iterator's preview: whether it yields pairs, and the values (flattened).
    Iter(bool, Vec<Value>),
    /// A promise's state (0 pending, 1 fulfilled, 2 rejected) and result.
    Promise(u8, Value),
    /// A typed array's elements (node's formatTypedArray).
    Typed,
    /// Entries computed up front (an ArrayBuffer's `[Uint8Contents]`).
    Lines(Vec<String>),
}

fn format_raw(vm: &mut Vm, ctx: &mut Ctx, o: Gc<Object>, recurse_times: usize) -> String {
    vm.root(Value::heap(o));
    let constructor = constructor_name(vm, ctx, o, recurse_times);
    let ctor = constructor.as_deref();
    let tag = to_string_tag(vm, ctx, o);
    let mut base = String::new();
    let mut formatter = Formatter::None;
    let mut extras = Extras::Object;
    let open;
    let mut close = "}";
    let mut keys;
    let mut weak_items = false;
    let is_array = matches!(o.get().class, ObjectClass::Array);
    let typed = typed_array(o.get()).map(|t| (t.kind, t.length));
    if typed.is_some() && super::builtins::buffer::is_buffer(vm, Value::heap(o)) {
        return format_buffer(vm, ctx, o, ctor.unwrap_or("Buffer"), recurse_times);
    }
    if let Some((kind, len)) = typed {
        // node's formatRaw for typed arrays.
        let fallback = if ctor.is_none() { kind.name() } else { "" };
        let prefix = get_prefix(ctor, &tag, fallback, &format!("({len})"));
        keys = get_keys(vm, o, ctx.opts.show_hidden);
        keys.retain(|k| !matches!(k, PropKey::Index(_)));
        open = format!("{prefix}[");
        close = "]";
        if len == 0 && keys.is_empty() && !ctx.opts.show_hidden {
            return format!("{open}]");
        }
        extras = Extras::Named;
        formatter = Formatter::Typed;
    } else if is_array {
        let len = o.get().elements_len();
        let prefix = if ctor != Some("Array") || !tag.is_empty() {
            get_prefix(ctor, &tag, "Array", &format!("({len})"))
        } else {
            String::new()
        };
        keys = get_keys(vm, o, ctx.opts.show_hidden);
        keys.retain(|k| !matches!(k, PropKey::Index(_)));
        open = format!("{prefix}[");
        close = "]";
        if len == 0 && keys.is_empty() {
            return format!("{open}]");
        }
        extras = Extras::Named;
        formatter = Formatter::Array;
    } else if let Some(c) = collection_of(o.get()) {
        let (kind, size) = match &c {
            Collection::Set(v) => ("Set", v.len()),
            Collection::Map(v) => ("Map", v.len()),
        };
        let prefix = get_prefix(ctor, &tag, kind, &format!("({size})"));
        keys = get_keys(vm, o, ctx.opts.show_hidden);
        if size == 0 && keys.is_empty() {
            return format!("{prefix}{{}}");
        }
        open = format!("{prefix}{{");
        formatter = match c {
            Collection::Set(v) => Formatter::Set(v),
            Collection::Map(v) => Formatter::Map(v),
        };
    } else if let Some((map, pairs, entries)) = super::builtins::collections::iter_preview(o.get())
    {
        // node's getIteratorBraces and formatIterator.
        let kind = if map { "Map" } else { "Set" };
        let mut t = tag.clone();
        if t != format!("{kind} Iterator") {
            if !t.is_empty() {
                t.push_str("] [");
            }
            t.push_str(kind);
            t.push_str(" Iterator");
        }
        if pairs {
            if let Some(stem) = t.strip_suffix(" Iterator") {
                t = format!("{stem} Entries");
            }
        }
        keys = get_keys(vm, o, ctx.opts.show_hidden);
        for v in &entries {
            vm.root(*v);
        }
        open = format!("[{t}] {{");
        formatter = Formatter::Iter(pairs, entries);
    } else {
        keys = get_keys(vm, o, ctx.opts.show_hidden);
        let class = &o.get().class;
        if o.get().is_callable() {
            base = function_base(vm, o, ctor, &tag);
            if keys.is_empty() {
                return stylize(ctx, &base, Style::Special);
            }
            open = "{".into();
        } else if ctor == Some("Object") && !matches!(class, ObjectClass::Error) {
            open = if matches!(class, ObjectClass::Arguments) {
                "[Arguments] {".into()
            } else if !tag.is_empty() {
                format!("{}{{", get_prefix(ctor, &tag, "Object", ""))
            } else {
                "{".into()
            };
            if keys.is_empty() {
                return format!("{open}}}");
            }
        } else if matches!(class, ObjectClass::Error) {
            base = format_error(vm, ctx, o, ctor, &tag, &mut keys);
            if keys.is_empty() {
                return base;
            }
            open = "{".into();
        } else if let ObjectClass::RegExp(r) = class {
            base = regexp_text(r);
            let prefix = get_prefix(ctor, &tag, "RegExp", "");
            if prefix != "RegExp " {
                base = format!("{prefix}{base}");
            }
            if keys.is_empty() || recurse_times as f64 > ctx.opts.depth {
                return stylize(ctx, &base, Style::RegExp);
            }
            open = "{".into();
        } else if let ObjectClass::Date(t) = class {
            let t = t.get();
            base = if t.is_nan() {
                "Invalid Date".to_string()
            } else {
                super::builtins::date::iso_text(t)
            };
            let prefix = get_prefix(ctor, &tag, "Date", "");
            if prefix != "Date " {
                base = format!("{prefix}{base}");
            }
            if keys.is_empty() {
                return stylize(ctx, &base, Style::Date);
            }
            open = "{".into();
        } else if matches!(class, ObjectClass::WeakMap(_) | ObjectClass::WeakSet(_)) {
            let kind = if matches!(class, ObjectClass::WeakMap(_)) {
                "WeakMap"
            } else {
                "WeakSet"
            };
            // node shows the entries only with showHidden; minijs never does (its weak
            // tables are not enumerable yet).
            weak_items = true;
            open = format!("{}{{", get_prefix(ctor, &tag, kind, ""));
        } else if let ObjectClass::Boxed(b) = class {
            let b = *b;
            base = boxed_base(ctx, b, &mut keys, ctor, &tag);
            if keys.is_empty() {
                let style = if b.is_number() {
                    Style::Number
                } else if b.as_heap::<JsString>().is_some() {
                    Style::Str
                } else if b.as_bool().is_some() {
                    Style::Boolean
                } else {
                    Style::Symbol
                };
                return stylize(ctx, &base, style);
            }
            open = "{".into();
        } else if let ObjectClass::ArrayBuffer(b) = class {
            let bytes = b.borrow();
            let prefix = get_prefix(ctor, &tag, "ArrayBuffer", "");
            let n = bytes.len();
            let shown = n.min(ctx.opts.max_array_length);
            let mut text = hex_bytes(&bytes[..shown]);
            if n > shown {
                let r = n - shown;
                text.push_str(&format!(
                    " ... {r} more byte{}",
                    if r > 1 { "s" } else { "" }
                ));
            }
            drop(bytes);
            let line = format!(
                "{}: <{text}>",
                stylize(ctx, "[Uint8Contents]", Style::Special)
            );
            keys.insert(0, PropKey::Shown("byteLength", Value::number(n as f64)));
            open = format!("{prefix}{{");
            formatter = Formatter::Lines(vec![line]);
        } else if let ObjectClass::DataView(d) = class {
            let shown = [
                PropKey::Shown("byteLength", Value::number(d.length as f64)),
                PropKey::Shown("byteOffset", Value::number(d.offset as f64)),
                PropKey::Shown("buffer", Value::heap(d.buffer)),
            ];
            keys.splice(0..0, shown);
            open = format!("{}{{", get_prefix(ctor, &tag, "DataView", ""));
        } else if let Some((state, result)) = vm.promise_state(o) {
            open = format!("{}{{", get_prefix(ctor, &tag, "Promise", ""));
            formatter = Formatter::Promise(state, result);
        } else {
            let style = ctx_style(o, ctor, &tag);
            if keys.is_empty() {
                return format!("{style}{{}}");
            }
            open = format!("{style}{{");
        }
    }

    if recurse_times as f64 > ctx.opts.depth {
        let style = ctx_style(o, ctor, &tag);
        let name = &style[..style.len() - 1];
        let name = if ctor.is_some() {
            format!("[{name}]")
        } else {
            name.to_string()
        };
        return stylize(ctx, &name, Style::Special);
    }
    let recurse_times = recurse_times + 1;
    ctx.seen.push(o);
    ctx.current_depth = recurse_times;
    let mut output = match formatter {
        Formatter::None if weak_items => vec![stylize(ctx, "<items unknown>", Style::Special)],
        Formatter::None => Vec::new(),
        Formatter::Lines(v) => v,
        Formatter::Typed => format_typed_array(vm, ctx, o, recurse_times),
        Formatter::Array => format_array(vm, ctx, o, recurse_times),
        Formatter::Set(values) => {
            let max = values.len().min(ctx.opts.max_array_length);
            ctx.indentation += 2;
            let mut out: Vec<String> = values[..max]
                .iter()
                .map(|v| format_value(vm, ctx, *v, recurse_times))
                .collect();
            ctx.indentation -= 2;
            if values.len() > max {
                out.push(remaining_text(values.len() - max));
            }
            out
        }
        Formatter::Map(entries) => {
            let max = entries.len().min(ctx.opts.max_array_length);
            ctx.indentation += 2;
            let mut out = Vec::new();
            for (k, v) in &entries[..max] {
                let ks = format_value(vm, ctx, *k, recurse_times);
                let vs = format_value(vm, ctx, *v, recurse_times);
                out.push(format!("{ks} => {vs}"));
            }
            ctx.indentation -= 2;
            if entries.len() > max {
                out.push(remaining_text(entries.len() - max));
            }
            out
        }
        // node's formatMapIterInner (pairs) and formatSetIterInner.
        Formatter::Iter(pairs, entries) => {
            let per = if pairs { 2 } else { 1 };
            let len = entries.len() / per;
            let max = len.min(ctx.opts.max_array_length);
            ctx.indentation += 2;
            let mut out = Vec::with_capacity(max + 1);
            for item in entries.chunks(per).take(max) {
                if pairs {
                    let res = vec![
                        format_value(vm, ctx, item[0], recurse_times),
                        format_value(vm, ctx, item[1], recurse_times),
                    ];
                    out.push(reduce_to_single_string(
                        ctx,
                        res,
                        "",
                        "[",
                        "]",
                        Extras::Array,
                        recurse_times,
                        None,
                    ));
                } else {
                    out.push(format_value(vm, ctx, item[0], recurse_times));
                }
            }
            ctx.indentation -= 2;
            if len > max {
                out.push(remaining_text(len - max));
            }
            out
        }
        // node's formatPromise.
        Formatter::Promise(0, _) => vec!["<pending>".to_string()],
        Formatter::Promise(state, result) => {
            ctx.indentation += 2;
            let s = format_value(vm, ctx, result, recurse_times);
            ctx.indentation -= 2;
            vec![if state == 2 {
                format!("<rejected> {s}")
            } else {
                s
            }]
        }
    };
    for k in keys {
        let p = format_property(vm, ctx, o, recurse_times, k, extras);
        output.push(p);
    }
    if let Some(i) = ctx.circular.iter().position(|c| *c == o) {
        let reference = stylize(ctx, &format!("<ref *{}>", i + 1), Style::Special);
        base = if base.is_empty() {
            reference
        } else {
            format!("{reference} {base}")
        };
    }
    ctx.seen.pop();
    let value = (is_array || typed.is_some()).then_some(o);
    reduce_to_single_string(
        ctx,
        output,
        &base,
        &open,
        close,
        extras,
        recurse_times,
        value,
    )
}

/// `RegExp.prototype.toString`: `/source/flags`, with the source escaped as V8's `source`
/// getter does (`/` outside a class, line terminators; an empty pattern is `(?:)`).
fn regexp_text(r: &super::object::RegExpData) -> String {
    let src = String::from_utf16_lossy(&r.source);
    let mut body = String::with_capacity(src.len());
    let (mut in_class, mut escaped) = (false, false);
    for c in src.chars() {
        match c {
            '/' if !escaped && !in_class => body.push_str("\\/"),
            '\n' if !escaped => body.push_str("\\n"),
            '\r' if !escaped => body.push_str("\\r"),
            '\u{2028}' if !escaped => body.push_str("\\u2028"),
            '\u{2029}' if !escaped => body.push_str("\\u2029"),
            _ => body.push(c),
        }
        if !escaped {
            if c == '[' {
                in_class = true;
            } else if c == ']' {
                in_class = false;
            }
        }
        escaped = !escaped && c == '\\';
    }
    if body.is_empty() {
        body.push_str("(?:)");
    }
    format!("/{body}/{}", r.flags)
}

/// Bytes as node's `hexSlice` with a space after every pair, trimmed.
fn hex_bytes(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// node's `Buffer.prototype[inspect.custom]`: `<Buffer 68 69>`, at most 50 bytes, then the
/// own non-index properties.
fn format_buffer(
    vm: &mut Vm,
    ctx: &mut Ctx,
    o: Gc<Object>,
    ctor: &str,
    recurse_times: usize,
) -> String {
    const MAX: usize = 50;
    let bytes = typed_array(o.get())
        .map(|t| t.to_bytes())
        .unwrap_or_default();
    let shown = bytes.len().min(MAX);
    let mut s = hex_bytes(&bytes[..shown]);
    if bytes.len() > MAX {
        let r = bytes.len() - MAX;
        s.push_str(&format!(
            " ... {r} more byte{}",
            if r > 1 { "s" } else { "" }
        ));
    }
    let mut keys = get_keys(vm, o, ctx.opts.show_hidden);
    keys.retain(|k| !matches!(k, PropKey::Index(_)));
    if !keys.is_empty() {
        if !bytes.is_empty() {
            s.push_str(", ");
        }
        let parts: Vec<String> = keys
            .into_iter()
            .map(|k| format_property(vm, ctx, o, recurse_times + 1, k, Extras::Object))
            .collect();
        s.push_str(&parts.join(", "));
    }
    format!("<{ctor} {s}>")
}

/// node's formatTypedArray.
fn format_typed_array(
    vm: &mut Vm,
    ctx: &mut Ctx,
    o: Gc<Object>,
    recurse_times: usize,
) -> Vec<String> {
    let Some((kind, len, byte_len, offset, buffer)) =
        typed_array(o.get()).map(|t| (t.kind, t.length, t.byte_length(), t.offset, t.buffer))
    else {
        return Vec::new();
    };
    let max = len.min(ctx.opts.max_array_length);
    let mut output: Vec<String> = (0..max)
        .map(|i| {
            let n = typed_array(o.get()).map_or(0.0, |t| t.get_number(i));
            stylize(ctx, &format_number(n), Style::Number)
        })
        .collect();
    if len > max {
        output.push(remaining_text(len - max));
    }
    if ctx.opts.show_hidden {
        ctx.indentation += 2;
        let buf_len = super::typed::buffer_store(buffer.get()).map_or(0, |b| b.borrow().len());
        let fields = [
            ("BYTES_PER_ELEMENT", Value::int(kind.size() as i32)),
            ("length", Value::number(len as f64)),
            ("byteLength", Value::number(byte_len as f64)),
            ("byteOffset", Value::number(offset as f64)),
        ];
        for (k, v) in fields {
            let s = format_value(vm, ctx, v, recurse_times);
            output.push(format!("[{k}]: {s}"));
        }
        output.push(format!(
            "[buffer]: ArrayBuffer {{ byteLength: {} }}",
            stylize(ctx, &format_number(buf_len as f64), Style::Number)
        ));
        ctx.indentation -= 2;
    }
    output
}

fn remaining_text(remaining: usize) -> String {
    format!(
        "... {remaining} more item{}",
        if remaining > 1 { "s" } else { "" }
    )
}

fn format_array(vm: &mut Vm, ctx: &mut Ctx, o: Gc<Object>, recurse_times: usize) -> Vec<String> {
    let len = o.get().elements_len();
    let max = len.min(ctx.opts.max_array_length);
    let mut output = Vec::new();
    for i in 0..max {
        if o.get().get_index(i as u32).is_none() {
            return format_special_array(vm, ctx, o, recurse_times, max, output, i);
        }
        let s = format_property(
            vm,
            ctx,
            o,
            recurse_times,
            PropKey::Index(i as u32),
            Extras::Array,
        );
        output.push(s);
    }
    if len > max {
        output.push(remaining_text(len - max));
    }
    output
}

/// A sparse array: runs of holes become `<N empty items>`.
fn format_special_array(
    vm: &mut Vm,
    ctx: &mut Ctx,
    o: Gc<Object>,
    recurse_times: usize,
    max: usize,
    mut output: Vec<String>,
    start: usize,
) -> Vec<String> {
    let (indices, _) = o.get().own_keys();
    let len = o.get().elements_len();
    // `Object.keys(value)` from position `start` on: only the indices matter (a name ends the
    // walk).
    let mut index = start;
    for &tmp in indices.iter().skip(start) {
        if output.len() >= max {
            break;
        }
        let tmp = tmp as usize;
        if tmp != index {
            let empty = tmp - index;
            output.push(format!(
                "<{empty} empty item{}>",
                if empty > 1 { "s" } else { "" }
            ));
            index = tmp;
            if output.len() == max {
                break;
            }
        }
        let s = format_property(
            vm,
            ctx,
            o,
            recurse_times,
            PropKey::Index(tmp as u32),
            Extras::Array,
        );
        output.push(s);
        index += 1;
    }
    let remaining = len - index;
    if output.len() != max {
        if remaining > 0 {
            output.push(format!(
                "<{remaining} empty item{}>",
                if remaining > 1 { "s" } else { "" }
            ));
        }
    } else if remaining > 0 {
        output.push(remaining_text(remaining));
    }
    output
}

fn boxed_base(
    ctx: &Ctx,
    b: Value,
    keys: &mut Vec<PropKey>,
    constructor: Option<&str>,
    tag: &str,
) -> String {
    let ty = if b.is_number() {
        "Number"
    } else if let Some(s) = b.as_heap::<JsString>() {
        let n = s.get().len();
        let drop = keys
            .iter()
            .take(n)
            .take_while(|k| matches!(k, PropKey::Index(_)))
            .count();
        keys.drain(..drop);
        "String"
    } else if b.as_bool().is_some() {
        "Boolean"
    } else {
        "Symbol"
    };
    let mut base = format!("[{ty}");
    if Some(ty) != constructor {
        match constructor {
            None => base.push_str(" (null prototype)"),
            Some(c) => base.push_str(&format!(" ({c})")),
        }
    }
    let plain = Ctx {
        opts: InspectOptions {
            colors: false,
            ..ctx.opts.clone()
        },
        seen: Vec::new(),
        circular: Vec::new(),
        indentation: ctx.indentation,
        current_depth: 0,
    };
    base.push_str(&format!(": {}]", format_primitive(&plain, b)));
    if !tag.is_empty() && Some(tag) != constructor {
        base.push_str(&format!(" [{tag}]"));
    }
    base
}

fn function_base(vm: &mut Vm, f: Gc<Object>, constructor: Option<&str>, tag: &str) -> String {
    if vm.is_class_constructor(f) {
        let name = vm.function_name(f);
        let name = if name.is_empty() {
            "(anonymous)".to_string()
        } else {
            name
        };
        let mut base = format!("class {name}");
        if constructor != Some("Function") {
            if let Some(c) = constructor {
                base.push_str(&format!(" [{c}]"));
            }
        }
        if !tag.is_empty() && constructor != Some(tag) {
            base.push_str(&format!(" [{tag}]"));
        }
        match constructor {
            Some(_) => {
                if let Some(p) = f.get().proto() {
                    let sup = name_of(vm, p);
                    if !sup.is_empty() {
                        base.push_str(&format!(" extends {sup}"));
                    }
                }
            }
            None => base.push_str(" extends [null prototype]"),
        }
        return format!("[{base}]");
    }
    let ty = match &f.get().class {
        ObjectClass::Closure { code, .. } => match code.get().co {
            super::function::CoKind::None => "Function",
            super::function::CoKind::Generator => "GeneratorFunction",
            super::function::CoKind::Async => "AsyncFunction",
            super::function::CoKind::AsyncGenerator => "AsyncGeneratorFunction",
        },
        _ => "Function",
    };
    let mut base = format!("[{ty}");
    if constructor.is_none() {
        base.push_str(" (null prototype)");
    }
    let name = vm.function_name(f);
    if name.is_empty() {
        base.push_str(" (anonymous)");
    } else {
        base.push_str(&format!(": {name}"));
    }
    base.push(']');
    if let Some(c) = constructor {
        if c != ty {
            base.push_str(&format!(" {c}"));
        }
    }
    if !tag.is_empty() && constructor != Some(tag) {
        base.push_str(&format!(" [{tag}]"));
    }
    base
}

// ---- Errors ----

fn get_string_prop(vm: &mut Vm, o: Gc<Object>, k: Key) -> Option<String> {
    let v = vm.get(Value::heap(o), k).ok()?;
    if v.is_nullish() {
        return None;
    }
    if let Some(s) = v.as_heap::<Symbol>() {
        return Some(symbol_to_string(s));
    }
    vm.to_rust_string(v).ok()
}

/// `err.stack` if it is truthy, else `Error.prototype.toString` of the error.
fn stack_string(vm: &mut Vm, o: Gc<Object>) -> String {
    let sk = vm.realm.names.stack;
    let v = vm.get(Value::heap(o), sk).unwrap_or(Value::UNDEFINED);
    if super::interp::to_boolean(v) {
        if let Ok(s) = vm.to_rust_string(v) {
            return s;
        }
    }
    super::builtins::core::error_header(vm, Value::heap(o)).unwrap_or_else(|_| "Error".into())
}

fn format_error(
    vm: &mut Vm,
    ctx: &Ctx,
    o: Gc<Object>,
    constructor: Option<&str>,
    tag: &str,
    keys: &mut Vec<PropKey>,
) -> String {
    let names = &vm.realm.names;
    let (nk, mk, sk, ck) = (names.name, names.message, names.stack, names.cause);
    let name = get_string_prop(vm, o, nk).unwrap_or_else(|| "Error".into());
    let mut stack = stack_string(vm, o);
    if !ctx.opts.show_hidden && !keys.is_empty() {
        for k in [nk, mk, sk] {
            if let Some(i) = keys.iter().position(|x| *x == PropKey::Named(k)) {
                let v = get_string_prop(vm, o, k).unwrap_or_else(|| "undefined".into());
                if stack.contains(&v) {
                    keys.remove(i);
                }
            }
        }
    }
    if vm.has_property(o, PKey::Named(ck)) && !keys.contains(&PropKey::Named(ck)) {
        keys.push(PropKey::Named(ck));
    }
    let ek = vm.intern("errors");
    if let Ok(errs) = vm.get(Value::heap(o), ek) {
        let is_array = errs
            .as_heap::<Object>()
            .is_some_and(|a| matches!(a.get().class, ObjectClass::Array));
        if is_array && !keys.contains(&PropKey::Named(ek)) {
            keys.push(PropKey::Named(ek));
        }
    }
    stack = improve_stack(stack, constructor, &name, tag);
    let message = vm
        .get(Value::heap(o), mk)
        .ok()
        .filter(|m| super::interp::to_boolean(*m))
        .and_then(|m| vm.to_rust_string(m).ok());
    let pos = match &message {
        Some(m) => match stack.find(m.as_str()) {
            Some(i) if i > 0 => i + m.len(),
            _ => 0,
        },
        None => 0,
    };
    let stack_start = stack
        .get(pos..)
        .and_then(|rest| rest.find("\n    at"))
        .map(|i| i + pos);
    let mut stack = match stack_start {
        None => format!("[{stack}]"),
        Some(start) => {
            let head = &stack[..start];
            let frames = stack_frames_with_cause(vm, o, &stack[start + 1..]);
            format!("{head}\n{}", frames.join("\n"))
        }
    };
    if ctx.indentation != 0 {
        stack = stack.replace('\n', &format!("\n{}", spaces(ctx.indentation)));
    }
    stack
}

fn stack_frames_with_cause(vm: &mut Vm, o: Gc<Object>, frames: &str) -> Vec<String> {
    let mut frames: Vec<String> = frames.split('\n').map(str::to_string).collect();
    let ck = vm.realm.names.cause;
    let cause = vm.get(Value::heap(o), ck).unwrap_or(Value::UNDEFINED);
    let Some(c) = cause
        .as_heap::<Object>()
        .filter(|c| matches!(c.get().class, ObjectClass::Error))
    else {
        return frames;
    };
    let cause_stack = stack_string(vm, c);
    let Some(start) = cause_stack.find("\n    at") else {
        return frames;
    };
    let cause_frames: Vec<&str> = cause_stack[start + 1..].split('\n').collect();
    let (len, offset) = identical_sequence_range(&frames, &cause_frames);
    if len > 0 {
        let skipped = len - 2;
        let msg = format!("    ... {skipped} lines matching cause stack trace ...");
        frames.splice(offset + 1..offset + 1 + skipped, [msg]);
    }
    frames
}

fn identical_sequence_range(a: &[String], b: &[&str]) -> (usize, usize) {
    for i in 0..a.len().saturating_sub(3) {
        if let Some(pos) = b.iter().position(|x| *x == a[i]) {
            let rest = b.len() - pos;
            if rest > 3 {
                let mut len = 1;
                let max_len = (a.len() - i).min(rest);
                while max_len > len && a[i + len] == b[pos + len] {
                    len += 1;
                }
                if len > 3 {
                    return (len, i);
                }
            }
        }
    }
    (0, 0)
}

/// node's `improveStack`: names the class when it differs from `err.name`
/// (`MyErr [Error]: mine`).
fn improve_stack(stack: String, constructor: Option<&str>, name: &str, tag: &str) -> String {
    let mut len = name.len();
    let looks_normal = name.ends_with("Error")
        && stack.starts_with(name)
        && matches!(stack.as_bytes().get(len), None | Some(b':') | Some(b'\n'));
    if constructor.is_some() && !looks_normal {
        return stack;
    }
    let mut fallback = "Error".to_string();
    if constructor.is_none() {
        let run: String = stack
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || " _[]()-".contains(*c))
            .collect();
        let first_ok = run.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        let after = &stack[run.len()..];
        let m1 =
            first_ok && run.len() >= 2 && (after.starts_with(':') || after.starts_with("\n    at"));
        let m2 = stack.ends_with("Error")
            && stack
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let found = if m1 {
            run
        } else if m2 {
            stack.clone()
        } else {
            String::new()
        };
        len = found.len();
        fallback = if found.is_empty() {
            "Error".into()
        } else {
            found
        };
    }
    let prefix = get_prefix(constructor, tag, &fallback, "");
    let prefix = &prefix[..prefix.len() - 1];
    if name == prefix {
        return stack;
    }
    let rest = stack.get(len..).unwrap_or("");
    if prefix.contains(name) {
        if len == 0 {
            format!("{prefix}: {stack}")
        } else {
            format!("{prefix}{rest}")
        }
    } else {
        format!("{prefix} [{name}]{rest}")
    }
}

// ---- Layout ----

/// Display width: ASCII controls count 0, East Asian wide characters 2.
pub(crate) fn string_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let code = c as u32;
            if code < 127 {
                return usize::from(code >= 32);
            }
            if code <= 0x9F
                || (0x300..=0x36F).contains(&code)
                || (0x200B..=0x200F).contains(&code)
                || (0x20D0..=0x20FF).contains(&code)
                || (0xFE00..=0xFE0F).contains(&code)
                || (0xFE20..=0xFE2F).contains(&code)
                || (0xE0100..=0xE01EF).contains(&code)
            {
                return 0;
            }
            let wide = code >= 0x1100
                && (code <= 0x115f
                    || code == 0x2329
                    || code == 0x232a
                    || ((0x2e80..=0x3247).contains(&code) && code != 0x303f)
                    || (0x3250..=0x4dbf).contains(&code)
                    || (0x4e00..=0xa4c6).contains(&code)
                    || (0xa960..=0xa97c).contains(&code)
                    || (0xac00..=0xd7a3).contains(&code)
                    || (0xf900..=0xfaff).contains(&code)
                    || (0xfe10..=0xfe19).contains(&code)
                    || (0xfe30..=0xfe6b).contains(&code)
                    || (0xff01..=0xff60).contains(&code)
                    || (0xffe0..=0xffe6).contains(&code)
                    || (0x1b000..=0x1b001).contains(&code)
                    || (0x1f200..=0x1f251).contains(&code)
                    || (0x1f300..=0x1f64f).contains(&code)
                    || (0x20000..=0x3fffd).contains(&code));
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Regroups more than six array entries into aligned columns (node's `groupArrayElements`).
fn group_array_elements(ctx: &Ctx, output: Vec<String>, value: Option<Gc<Object>>) -> Vec<String> {
    let mut total_length = 0usize;
    let mut max_length = 0usize;
    let mut output_length = output.len();
    if ctx.opts.max_array_length < output.len() {
        // The "... more items" entry stays out of the columns.
        output_length -= 1;
    }
    let separator_space = 2;
    let data_len: Vec<usize> = output[..output_length]
        .iter()
        .map(|s| {
            if ctx.opts.colors {
                string_width(&remove_colors(s))
            } else {
                string_width(s)
            }
        })
        .collect();
    for &len in &data_len {
        total_length += len + separator_space;
        max_length = max_length.max(len);
    }
    let actual_max = max_length + separator_space;
    let break_length = ctx.opts.break_length;
    if actual_max * 3 + ctx.indentation < break_length
        && (total_length as f64 / actual_max as f64 > 5.0 || max_length <= 6)
    {
        let average_bias = (actual_max as f64 - total_length as f64 / output.len() as f64).sqrt();
        let biased_max = (actual_max as f64 - 3.0 - average_bias).max(1.0);
        let columns = ((2.5 * biased_max * output_length as f64).sqrt() / biased_max)
            .round()
            .min(((break_length - ctx.indentation) as f64 / actual_max as f64).floor())
            .min((ctx.opts.compact * 4) as f64)
            .min(15.0);
        if columns <= 1.0 || columns.is_nan() {
            return output;
        }
        let columns = columns as usize;
        let mut max_line_length = Vec::with_capacity(columns);
        for i in 0..columns {
            let mut line_max = 0;
            let mut j = i;
            while j < output_length {
                line_max = line_max.max(data_len[j]);
                j += columns;
            }
            max_line_length.push(line_max + separator_space);
        }
        let pad_start = match value {
            Some(a) => {
                let a = a.get();
                if let Some(t) = typed_array(a) {
                    output.len() <= t.length
                } else {
                    (0..output.len()).all(|i| a.get_index(i as u32).is_some_and(|v| v.is_number()))
                }
            }
            None => true,
        };
        let mut tmp = Vec::new();
        let mut i = 0;
        while i < output_length {
            let max = (i + columns).min(output_length);
            let mut line = String::new();
            let mut j = i;
            while j < max - 1 {
                let cell = format!("{}, ", output[j]);
                let padding = max_line_length[j - i] + js_len(&output[j]) - data_len[j];
                pad_into(&mut line, &cell, padding, pad_start);
                j += 1;
            }
            if pad_start {
                let padding =
                    max_line_length[j - i] + js_len(&output[j]) - data_len[j] - separator_space;
                pad_into(&mut line, &output[j], padding, true);
            } else {
                line.push_str(&output[j]);
            }
            tmp.push(line);
            i += columns;
        }
        if ctx.opts.max_array_length < output.len() {
            tmp.push(output[output_length].clone());
        }
        return tmp;
    }
    output
}

fn pad_into(line: &mut String, s: &str, width: usize, start: bool) {
    let fill = width.saturating_sub(js_len(s));
    if start {
        line.push_str(&spaces(fill));
        line.push_str(s);
    } else {
        line.push_str(s);
        line.push_str(&spaces(fill));
    }
}

fn is_below_break_length(ctx: &Ctx, output: &[String], start: usize, base: &str) -> bool {
    let mut total = output.len() + start;
    if total + output.len() > ctx.opts.break_length {
        return false;
    }
    for s in output {
        total += visible_len(ctx, s);
        if total > ctx.opts.break_length {
            return false;
        }
    }
    base.is_empty() || !base.contains('\n')
}

#[allow(clippy::too_many_arguments)]
fn reduce_to_single_string(
    ctx: &Ctx,
    mut output: Vec<String>,
    base: &str,
    open: &str,
    close: &str,
    extras: Extras,
    recurse_times: usize,
    value: Option<Gc<Object>>,
) -> String {
    let entries = output.len();
    if extras == Extras::Named && entries > 6 {
        output = group_array_elements(ctx, output, value);
    }
    let sep_base = if base.is_empty() {
        String::new()
    } else {
        format!("{base} ")
    };
    if ctx.current_depth.saturating_sub(recurse_times) < ctx.opts.compact && entries == output.len()
    {
        let start = output.len() + ctx.indentation + js_len(open) + js_len(base) + 10;
        if is_below_break_length(ctx, &output, start, base) {
            let joined = output.join(", ");
            if !joined.contains('\n') {
                return format!("{sep_base}{open} {joined} {close}");
            }
        }
    }
    let indentation = format!("\n{}", spaces(ctx.indentation));
    let joined = output.join(&format!(",{indentation}  "));
    format!("{sep_base}{open}{indentation}  {joined}{indentation}{close}")
}

// ---- console.log's format string ----

/// `util.format(...args)`: what console.log prints for its arguments (without the newline).
pub fn format_args(vm: &mut Vm, args: &[Value]) -> Result<String, super::interp::Thrown> {
    format_args_with(vm, args, &InspectOptions::default())
}

fn is_object(v: Value) -> bool {
    v.as_heap::<Object>().is_some()
}

/// `String(x)` (symbols allowed).
fn js_string(vm: &mut Vm, v: Value) -> Result<String, super::interp::Thrown> {
    if let Some(s) = v.as_heap::<Symbol>() {
        return Ok(symbol_to_string(s));
    }
    vm.to_rust_string(v)
}

pub fn format_args_with(
    vm: &mut Vm,
    args: &[Value],
    opts: &InspectOptions,
) -> Result<String, super::interp::Thrown> {
    let mut a = 0;
    let mut out = String::new();
    let mut join = "";
    if let Some(first) = args.first().and_then(|v| v.as_heap::<JsString>()) {
        if args.len() == 1 {
            return Ok(first.get().to_rust_string());
        }
        let f: Vec<u16> = first.get().units().collect();
        let mut last_pos = 0;
        let mut i = 0;
        while i + 1 < f.len() {
            if f[i] == b'%' as u16 {
                i += 1;
                let next = f[i];
                if a + 1 != args.len() {
                    let temp = match next as u8 {
                        b's' if next < 128 => {
                            a += 1;
                            let arg = args[a];
                            if let Some(n) = arg.as_number() {
                                format_number(n)
                            } else if !is_object(arg)
                                || vm.is_callable(arg)
                                || !has_builtin_to_string(vm, arg)
                            {
                                js_string(vm, arg)?
                            } else {
                                let o = InspectOptions {
                                    depth: 0.0,
                                    ..opts.clone()
                                };
                                inspect(vm, arg, &o)
                            }
                        }
                        b'j' if next < 128 => {
                            a += 1;
                            json_for_format(vm, args[a])?
                        }
                        b'd' if next < 128 => {
                            a += 1;
                            let arg = args[a];
                            if arg.as_heap::<Symbol>().is_some() {
                                "NaN".into()
                            } else {
                                format_number(vm.to_number(arg)?)
                            }
                        }
                        b'O' if next < 128 => {
                            a += 1;
                            inspect(vm, args[a], opts)
                        }
                        b'o' if next < 128 => {
                            a += 1;
                            let o = InspectOptions {
                                show_hidden: true,
                                depth: 4.0,
                                ..opts.clone()
                            };
                            inspect(vm, args[a], &o)
                        }
                        b'i' | b'f' if next < 128 => {
                            a += 1;
                            let arg = args[a];
                            if arg.as_heap::<Symbol>().is_some() {
                                "NaN".into()
                            } else {
                                let name = if next == b'i' as u16 {
                                    "parseInt"
                                } else {
                                    "parseFloat"
                                };
                                let k = vm.intern(name);
                                let func = vm.get(Value::heap(vm.global), k)?;
                                let r = vm.call(func, Value::UNDEFINED, &[arg])?;
                                format_number(r.as_number().unwrap_or(f64::NAN))
                            }
                        }
                        b'c' if next < 128 => {
                            a += 1;
                            String::new()
                        }
                        b'%' if next < 128 => {
                            push_units(&mut out, &f[last_pos..i]);
                            last_pos = i + 1;
                            i += 1;
                            continue;
                        }
                        _ => {
                            i += 1;
                            continue;
                        }
                    };
                    if last_pos != i - 1 {
                        push_units(&mut out, &f[last_pos..i - 1]);
                    }
                    out.push_str(&temp);
                    last_pos = i + 1;
                } else if next == b'%' as u16 {
                    push_units(&mut out, &f[last_pos..i]);
                    last_pos = i + 1;
                }
            }
            i += 1;
        }
        if last_pos != 0 {
            a += 1;
            join = " ";
            if last_pos < f.len() {
                push_units(&mut out, &f[last_pos..]);
            }
        }
    }
    while a < args.len() {
        let v = args[a];
        out.push_str(join);
        match v.as_heap::<JsString>() {
            Some(s) => out.push_str(&s.get().to_rust_string()),
            None => out.push_str(&inspect(vm, v, opts)),
        }
        join = " ";
        a += 1;
    }
    Ok(out)
}

/// The global constructors node counts as built in (for `%s`: their `toString` is not
/// "user-defined").
const BUILTIN_CTORS: &[&str] = &[
    "Object",
    "Function",
    "Array",
    "Number",
    "Boolean",
    "String",
    "Symbol",
    "Date",
    "Promise",
    "RegExp",
    "Error",
    "AggregateError",
    "EvalError",
    "RangeError",
    "ReferenceError",
    "SyntaxError",
    "TypeError",
    "URIError",
    "ArrayBuffer",
    "Uint8Array",
    "Int8Array",
    "Uint16Array",
    "Int16Array",
    "Uint32Array",
    "Int32Array",
    "Float32Array",
    "Float64Array",
    "Uint8ClampedArray",
    "BigUint64Array",
    "BigInt64Array",
    "DataView",
    "Map",
    "BigInt",
    "Set",
    "WeakMap",
    "WeakSet",
    "Proxy",
    "Reflect",
    "WeakRef",
    "FinalizationRegistry",
    "SharedArrayBuffer",
];

/// node's `hasBuiltInToString`: whether `%s` should inspect an object rather than call its
/// own (or its class's) `toString`.
fn has_builtin_to_string(vm: &mut Vm, v: Value) -> bool {
    let Some(o) = v.as_heap::<Object>() else {
        return true;
    };
    let tk = vm.realm.names.to_string;
    let pk = Key::from_atom(vm.realm.sym_to_primitive.get().key);
    let holder = |k: Key| {
        let mut cur = Some(o);
        while let Some(c) = cur {
            if let Some((v, a)) = c.get().get_own(k) {
                return Some((c, v, a));
            }
            cur = c.get().proto();
        }
        None
    };
    let callable = |h: &Option<(Gc<Object>, Value, u8)>| {
        h.is_some_and(|(_, v, a)| {
            a & attrs::ACCESSOR == 0 && v.as_heap::<Object>().is_some_and(|f| f.get().is_callable())
        })
    };
    let ts = holder(tk);
    let tp = holder(pk);
    let mut use_to_string = true;
    let mut use_to_primitive = true;
    if !callable(&ts) {
        if !callable(&tp) {
            return true;
        } else if tp.is_some_and(|(h, _, _)| h == o) {
            return false;
        }
        use_to_string = false;
    } else if ts.is_some_and(|(h, _, _)| h == o) {
        return false;
    } else if !callable(&tp) {
        use_to_primitive = false;
    } else if tp.is_some_and(|(h, _, _)| h == o) {
        return false;
    }
    // The nearest prototype with either method as an own property.
    let mut pointer = o.get().proto();
    while let Some(p) = pointer {
        let has_ts = use_to_string && p.get().get_own(tk).is_some();
        let has_tp = use_to_primitive && p.get().get_own(pk).is_some();
        if has_ts || has_tp {
            break;
        }
        pointer = p.get().proto();
    }
    let Some(p) = pointer else {
        return true;
    };
    let ck = vm.realm.names.constructor;
    match p.get().get_own(ck) {
        Some((c, a)) if a & attrs::ACCESSOR == 0 => match c.as_heap::<Object>() {
            Some(f) if f.get().is_callable() => {
                let n = vm.function_name(f);
                BUILTIN_CTORS.contains(&n.as_str())
            }
            _ => false,
        },
        _ => false,
    }
}

// ---- %j ----

fn json_for_format(vm: &mut Vm, v: Value) -> Result<String, super::interp::Thrown> {
    let mut stack = Vec::new();
    match json_value(vm, v, &mut stack)? {
        Json::Text(s) => Ok(s),
        Json::Skip => Ok("undefined".into()),
        Json::Circular => Ok("[Circular]".into()),
    }
}

enum Json {
    Text(String),
    Skip,
    Circular,
}

fn json_quote(units: &[u16]) -> String {
    let mut out = String::from("\"");
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        match u {
            0x22 => out.push_str("\\\""),
            0x5C => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            0x0C => out.push_str("\\f"),
            0x0A => out.push_str("\\n"),
            0x0D => out.push_str("\\r"),
            0x09 => out.push_str("\\t"),
            0..=0x1F => out.push_str(&format!("\\u{u:04x}")),
            0xD800..=0xDBFF if i + 1 < units.len() && (0xDC00..=0xDFFF).contains(&units[i + 1]) => {
                push_units(&mut out, &units[i..i + 2]);
                i += 1;
            }
            0xD800..=0xDFFF => out.push_str(&format!("\\u{u:04x}")),
            _ => push_units(&mut out, &[u]),
        }
        i += 1;
    }
    out.push('"');
    out
}

fn json_value(
    vm: &mut Vm,
    v: Value,
    stack: &mut Vec<Gc<Object>>,
) -> Result<Json, super::interp::Thrown> {
    // SerializeJSONProperty's toJSON step (a Buffer's `{ type, data }`, a Date's ISO text).
    let v = match v.as_heap::<Object>() {
        Some(_) => {
            let k = vm.intern("toJSON");
            let f = vm.get(v, k)?;
            if vm.is_callable(f) {
                let r = vm.call(f, v, &[])?;
                vm.root(r);
                r
            } else {
                v
            }
        }
        None => v,
    };
    let v = match v.as_heap::<Object>() {
        Some(o) => match o.get().class {
            ObjectClass::Boxed(b) if b.as_heap::<Symbol>().is_none() => b,
            _ => v,
        },
        None => v,
    };
    if let Some(n) = v.as_number() {
        return Ok(Json::Text(if n.is_finite() {
            number_to_string(n)
        } else {
            "null".into()
        }));
    }
    if let Some(s) = v.as_heap::<JsString>() {
        let units: Vec<u16> = s.get().units().collect();
        return Ok(Json::Text(json_quote(&units)));
    }
    match v {
        Value::NULL => return Ok(Json::Text("null".into())),
        Value::TRUE => return Ok(Json::Text("true".into())),
        Value::FALSE => return Ok(Json::Text("false".into())),
        _ => {}
    }
    let Some(o) = v.as_heap::<Object>() else {
        return Ok(Json::Skip);
    };
    if o.get().is_callable() {
        return Ok(Json::Skip);
    }
    if stack.contains(&o) {
        return Ok(Json::Circular);
    }
    stack.push(o);
    vm.root(v);
    let result = if matches!(o.get().class, ObjectClass::Array) {
        let len = o.get().elements_len();
        let mut parts = Vec::with_capacity(len);
        for i in 0..len {
            let e = vm.get_index(v, i as u32)?;
            match json_value(vm, e, stack)? {
                Json::Text(s) => parts.push(s),
                Json::Skip => parts.push("null".into()),
                Json::Circular => return Ok(Json::Circular),
            }
        }
        format!("[{}]", parts.join(","))
    } else {
        let mut parts = Vec::new();
        for k in vm.own_keys(o, true) {
            let (name, e) = match k {
                PKey::Index(i) => (i.to_string().encode_utf16().collect(), vm.get_index(v, i)?),
                PKey::Named(n) => {
                    if vm.realm.symbol_of(n).is_some() {
                        continue;
                    }
                    let units: Vec<u16> = n.string().get().units().collect();
                    (units, vm.get(v, n)?)
                }
            };
            match json_value(vm, e, stack)? {
                Json::Text(s) => parts.push(format!("{}:{s}", json_quote(&name))),
                Json::Skip => {}
                Json::Circular => return Ok(Json::Circular),
            }
        }
        format!("{{{}}}", parts.join(","))
    };
    stack.pop();
    Ok(Json::Text(result))
}

#[cfg(test)]
mod tests {
    //! What the fixtures cannot reach while the compiler lacks classes, `new`, `delete` and
    //! `arguments`: values built through the VM API. Expected strings are node v20.20.2's.
    use super::*;
    use crate::source::SourceFile;
    use crate::vm::function::FnKind;
    use crate::vm::interp::Thrown;
    use std::rc::Rc;

    /// Runs `src`, with the top-level functions named in `classes` compiled as class
    /// constructors (`(name, derived)`).
    fn run(src: &str, classes: &[(&str, bool)]) -> Vm {
        let program = crate::syntax::parse(src).expect("parses");
        let mut proto = crate::vm::compiler::compile_script(&program).expect("compiles");
        for p in proto.protos.iter_mut() {
            if let Some((_, derived)) = classes.iter().find(|(n, _)| *n == p.name) {
                p.kind = if *derived {
                    FnKind::DerivedCtor
                } else {
                    FnKind::ClassCtor
                };
            }
        }
        let mut vm = Vm::new();
        let file = Rc::new(SourceFile::new("t.js", src));
        let code = vm.load(&file, proto);
        if vm.run_script(code).is_err() {
            panic!("script throws");
        }
        vm
    }

    fn global(vm: &mut Vm, name: &str) -> Value {
        let k = vm.intern(name);
        vm.get(Value::heap(vm.global), k).expect("global")
    }

    fn set(vm: &mut Vm, o: Value, name: &str, v: Value) {
        let k = vm.intern(name);
        vm.put(o, k, v).expect("put");
    }

    fn show(vm: &mut Vm, v: Value) -> String {
        inspect_default(vm, v)
    }

    fn log(vm: &mut Vm, args: &[Value]) -> String {
        format_args(vm, args).unwrap_or_else(|_: Thrown| "<threw>".into())
    }

    /// `class A {}`, `class B extends A {}`, `class Empty {}` and instances of them.
    #[test]
    fn classes_and_instances() {
        let mut vm = run(
            "function A() {} function B() {} function Empty() {}",
            &[("A", false), ("B", true), ("Empty", false)],
        );
        let (a, b, empty) = (
            global(&mut vm, "A"),
            global(&mut vm, "B"),
            global(&mut vm, "Empty"),
        );
        let pa = vm.make_class(a, None).expect("class A");
        let pb = vm.make_class(b, Some(a)).expect("class B");
        let pe = vm.make_class(empty, None).expect("class Empty");
        let arr = Value::heap(vm.new_array(vec![empty]));
        let line = log(&mut vm, &[a, b, empty, arr]);
        assert_eq!(
            line,
            "[class A] [class B extends A] [class Empty] [ [class Empty] ]"
        );

        let ia = Value::heap(vm.new_object_with_proto(Some(pa)));
        set(&mut vm, ia, "a", Value::int(1));
        let ib = Value::heap(vm.new_object_with_proto(Some(pb)));
        set(&mut vm, ib, "a", Value::int(1));
        let x = vm.new_string("x");
        set(&mut vm, ib, "b", x);
        let ie = Value::heap(vm.new_object_with_proto(Some(pe)));
        let arr = Value::heap(vm.new_array(vec![ia]));
        let line = log(&mut vm, &[ia, ib, ie, arr]);
        assert_eq!(
            line,
            "A { a: 1 } B { a: 1, b: 'x' } Empty {} [ A { a: 1 } ]"
        );

        // Beyond the depth a class instance is `[A]`.
        let l3 = Value::heap(vm.new_object());
        set(&mut vm, l3, "inst", ia);
        let l2 = Value::heap(vm.new_object());
        set(&mut vm, l2, "c", l3);
        let l1 = Value::heap(vm.new_object());
        set(&mut vm, l1, "b", l2);
        assert_eq!(show(&mut vm, l1), "{ b: { c: { inst: [A] } } }");

        // The width limit counts the class-name prefix: 60 x's fit after `A `, 61 do not.
        let s60 = vm.new_string(&"x".repeat(60));
        set(&mut vm, ia, "a", s60);
        assert_eq!(
            show(&mut vm, ia),
            format!("A {{ a: '{}' }}", "x".repeat(60))
        );
        let s61 = vm.new_string(&"x".repeat(61));
        set(&mut vm, ia, "a", s61);
        assert_eq!(
            show(&mut vm, ia),
            format!("A {{\n  a: '{}'\n}}", "x".repeat(61))
        );
    }

    #[test]
    fn array_subclass_and_error_subclass() {
        let mut vm = run(
            "function Foo() {} function MyErr() {}",
            &[("Foo", true), ("MyErr", true)],
        );
        let foo = global(&mut vm, "Foo");
        let array_ctor = global(&mut vm, "Array");
        let pf = vm.make_class(foo, Some(array_ctor)).expect("class Foo");
        let f3 = vm.new_array(vec![Value::int(1), Value::int(2), Value::int(3)]);
        f3.get().set_proto(&mut vm.heap, Some(pf));
        let f0 = vm.new_array(Vec::new());
        f0.get().set_proto(&mut vm.heap, Some(pf));
        let line = log(&mut vm, &[Value::heap(f3), Value::heap(f0)]);
        assert_eq!(line, "Foo(3) [ 1, 2, 3 ] Foo(0) []");

        let my = global(&mut vm, "MyErr");
        let error_ctor = global(&mut vm, "Error");
        let pm = vm.make_class(my, Some(error_ctor)).expect("class MyErr");
        let e = vm.make_error(crate::vm::realm::ErrorKind::Error, "mine");
        let eo = e.as_heap::<Object>().expect("an error");
        eo.get().set_proto(&mut vm.heap, Some(pm));
        let stack = vm.new_string("Error: mine\n    at x (a.js:1:1)");
        let sk = vm.realm.names.stack;
        eo.get().define(&mut vm.heap, sk, stack, attrs::HIDDEN);
        assert_eq!(show(&mut vm, e), "MyErr [Error]: mine\n    at x (a.js:1:1)");
    }

    /// Map and Set through `HostCollection` (the real classes are wired in `collection_of`).
    fn collection(vm: &mut Vm, ctor_name: &'static str, entries: Vec<(Value, Value)>) -> Value {
        let key = if ctor_name == "Map" {
            "test.MapProto"
        } else {
            "test.SetProto"
        };
        let proto = match vm.realm.extra.get(key).and_then(|v| v.as_heap::<Object>()) {
            Some(p) => p,
            None => {
                let ctor = vm.new_native(ctor_name, 0, |_, _, _| Ok(Value::UNDEFINED), true);
                let proto = vm.new_object();
                vm.define_hidden(proto, "constructor", Value::heap(ctor));
                vm.define_hidden(ctor, "prototype", Value::heap(proto));
                let tk = Key::from_atom(vm.realm.sym_to_string_tag.get().key);
                let tag = vm.new_string(ctor_name);
                proto
                    .get()
                    .define(&mut vm.heap, tk, tag, attrs::CONFIGURABLE);
                vm.realm.extra.insert(key, Value::heap(proto));
                proto
            }
        };
        let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
        let class = ObjectClass::Host(Box::new(HostCollection {
            is_map: ctor_name == "Map",
            entries: std::cell::RefCell::new(entries),
        }));
        Value::heap(vm.heap.alloc(Object::with_class(shape, class)))
    }

    fn set_of(vm: &mut Vm, values: &[Value]) -> Value {
        collection(vm, "Set", values.iter().map(|v| (*v, *v)).collect())
    }

    #[test]
    fn maps_and_sets() {
        let mut vm = run(
            "var x = { x: 1 }; var pair = [1, 2]; var deep = { a: { b: 1 } }",
            &[],
        );
        let s3 = set_of(&mut vm, &[Value::int(1), Value::int(2), Value::int(3)]);
        let a = vm.new_string("a");
        let (x, pair) = (global(&mut vm, "x"), global(&mut vm, "pair"));
        let m2 = collection(&mut vm, "Map", vec![(a, Value::int(1)), (x, pair)]);
        assert_eq!(
            log(&mut vm, &[s3, m2]),
            "Set(3) { 1, 2, 3 } Map(2) { 'a' => 1, { x: 1 } => [ 1, 2 ] }"
        );

        let s0 = set_of(&mut vm, &[]);
        let m0 = collection(&mut vm, "Map", vec![]);
        let both = Value::heap(vm.new_array(vec![s0, m0]));
        let k = vm.new_string("k");
        let deep = global(&mut vm, "deep");
        let m1 = collection(&mut vm, "Map", vec![(k, deep)]);
        let holder = Value::heap(vm.new_object());
        set(&mut vm, holder, "m", m1);
        assert_eq!(
            log(&mut vm, &[both, holder]),
            "[ Set(0) {}, Map(0) {} ] { m: Map(1) { 'k' => { a: [Object] } } }"
        );

        // Beyond the depth: `[Map]`, `[Set]`; empty ones print in full.
        let mm = collection(&mut vm, "Map", vec![(Value::int(1), Value::int(2))]);
        let s1 = set_of(&mut vm, &[Value::int(1)]);
        let em = collection(&mut vm, "Map", vec![]);
        let b = Value::heap(vm.new_object());
        set(&mut vm, b, "map", mm);
        set(&mut vm, b, "set", s1);
        set(&mut vm, b, "em", em);
        let a1 = Value::heap(vm.new_object());
        set(&mut vm, a1, "b", b);
        let top = Value::heap(vm.new_object());
        set(&mut vm, top, "a", a1);
        assert_eq!(
            show(&mut vm, top),
            "{ a: { b: { map: [Map], set: [Set], em: Map(0) {} } } }"
        );

        // Sets are never grouped: 7 numbers fit one line, 30 go one per line.
        let seven: Vec<Value> = (1..=7).map(Value::int).collect();
        let s7 = set_of(&mut vm, &seven);
        assert_eq!(show(&mut vm, s7), "Set(7) { 1, 2, 3, 4, 5, 6, 7 }");
        let thirty: Vec<Value> = (0..30).map(Value::int).collect();
        let s30 = set_of(&mut vm, &thirty);
        let want = format!(
            "Set(30) {{\n{}\n}}",
            (0..30)
                .map(|i| format!("  {i}"))
                .collect::<Vec<_>>()
                .join(",\n")
        );
        assert_eq!(show(&mut vm, s30), want);

        // Extra properties follow the entries; a set containing itself is circular.
        let inner = Value::heap(vm.new_object());
        set(&mut vm, inner, "a", Value::int(1));
        let mx = collection(&mut vm, "Map", vec![(Value::int(1), inner)]);
        set(&mut vm, mx, "extra", Value::TRUE);
        assert_eq!(show(&mut vm, mx), "Map(1) { 1 => { a: 1 }, extra: true }");
        let selfish = set_of(&mut vm, &[]);
        let so = selfish.as_heap::<Object>().expect("a set");
        if let ObjectClass::Host(h) = &so.get().class {
            let c = h.as_any().downcast_ref::<HostCollection>().expect("a set");
            c.entries.borrow_mut().push((selfish, selfish));
        }
        assert_eq!(show(&mut vm, selfish), "<ref *1> Set(1) { [Circular *1] }");
        let sa = vm.new_string("a");
        let sa = set_of(&mut vm, &[sa]);
        let one = set_of(&mut vm, &[Value::int(1)]);
        let nested = set_of(&mut vm, &[one]);
        assert_eq!(
            log(&mut vm, &[sa, nested]),
            "Set(1) { 'a' } Set(1) { Set(1) { 1 } }"
        );
    }

    #[test]
    fn map_subclass_shows_the_tag() {
        let mut vm = run("function M() {}", &[("M", true)]);
        let probe = collection(&mut vm, "Map", vec![]);
        let map_proto = probe
            .as_heap::<Object>()
            .and_then(|o| o.get().proto())
            .expect("Map.prototype");
        let ck = vm.realm.names.constructor;
        let map_ctor = map_proto.get().get_own(ck).expect("constructor").0;
        let m = global(&mut vm, "M");
        let pm = vm.make_class(m, Some(map_ctor)).expect("class M");
        let inst = collection(&mut vm, "Map", vec![(Value::int(1), Value::int(2))]);
        inst.as_heap::<Object>()
            .expect("map")
            .get()
            .set_proto(&mut vm.heap, Some(pm));
        assert_eq!(show(&mut vm, inst), "M(1) [Map] { 1 => 2 }");
    }

    #[test]
    fn arguments_boxed_strings_and_errors_without_stack() {
        let mut vm = run("var s = Object('ab'); s.x = 1; var e = Error('x')", &[]);
        let args =
            Value::heap(vm.new_arguments(vec![Value::int(1), Value::int(2)], Value::UNDEFINED));
        assert_eq!(show(&mut vm, args), "[Arguments] { '0': 1, '1': 2 }");
        let s = global(&mut vm, "s");
        assert_eq!(show(&mut vm, s), "[String: 'ab'] { x: 1 }");
        let e = global(&mut vm, "e");
        let sk = vm.realm.names.stack;
        e.as_heap::<Object>()
            .expect("error")
            .get()
            .delete(&vm.heap, sk);
        assert_eq!(show(&mut vm, e), "[Error: x]");
    }

    #[test]
    fn tags_from_prototype_getters_and_null_prototype_functions() {
        let mut vm = run(
            "function T() {}
             Object.defineProperty(T.prototype, Symbol.toStringTag, { get: function () { return 'TT' } })
             var t = Object.create(T.prototype)
             var nf = function nf() {}
             Object.setPrototypeOf(nf, null)",
            &[("T", false)],
        );
        let t = global(&mut vm, "t");
        assert_eq!(show(&mut vm, t), "T [TT] {}");
        let nf = global(&mut vm, "nf");
        assert_eq!(show(&mut vm, nf), "[Function (null prototype): nf]");
    }

    #[test]
    fn uncaught_reports_use_inspect() {
        let src = "var e = Error('with props'); e.stack = 'Error: with props\\n    at Object.<anonymous> (t13.js:1:11)'; e.code = 'ECODE'; throw e";
        let program = crate::syntax::parse(src).expect("parses");
        let proto = crate::vm::compiler::compile_script(&program).expect("compiles");
        let mut vm = Vm::new();
        let file = Rc::new(SourceFile::new("t13.js", src));
        let code = vm.load(&file, proto);
        let thrown = vm.run_script(code).expect_err("throws");
        let report = vm.uncaught_report(&thrown);
        assert!(
            report.ends_with(
                "\nError: with props\n    at Object.<anonymous> (t13.js:1:11) {\n  code: 'ECODE'\n}\n"
            ),
            "{report}"
        );

        for (src, want) in [
            (
                "throw 'a string'",
                "\na string\n(Use `minijs --trace-uncaught",
            ),
            (
                "throw { code: 42, msg: 'obj' }",
                "\n{ code: 42, msg: 'obj' }\n",
            ),
            ("throw [1, 2]", "\n[ 1, 2 ]\n"),
        ] {
            let program = crate::syntax::parse(src).expect("parses");
            let proto = crate::vm::compiler::compile_script(&program).expect("compiles");
            let mut vm = Vm::new();
            let file = Rc::new(SourceFile::new("t.js", src));
            let code = vm.load(&file, proto);
            let thrown = vm.run_script(code).expect_err("throws");
            let report = vm.uncaught_report(&thrown);
            assert!(report.contains(want), "{report}");
        }
    }

    #[test]
    fn string_escapes_and_quotes() {
        let units = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
        assert_eq!(str_escape(&units("it's")), "\"it's\"");
        assert_eq!(str_escape(&units("both ' and \"")), "`both ' and \"`");
        assert_eq!(str_escape(&units("all ' \" `")), "'all \\' \" `'");
        assert_eq!(str_escape(&units("a ' \" ${x}")), "'a \\' \" ${x}'");
        assert_eq!(str_escape(&[0xD800, b'a' as u16]), "'\\ud800a'");
        assert_eq!(str_escape(&[0xD83D, 0xDE00]), "'😀'");
        assert_eq!(str_escape(&units("\u{85}\u{9f}")), "'\\x85\\x9F'");
    }
}
