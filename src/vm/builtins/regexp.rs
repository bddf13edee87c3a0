//! `RegExp` over the `regress` engine (ECMAScript semantics, matching UTF-16 directly), and
//! the String methods that take regular expressions: match, matchAll, replace, replaceAll,
//! search, split.
//!
//! The well-known symbols `Symbol.match`/`replace`/`search`/`split` are not in the realm yet,
//! so the String methods recognise RegExp objects by class and call the algorithms here
//! directly (a user-defined `exec` is not consulted).

use std::cell::{Cell, RefCell};

use super::string::{get_substitution, str_arg, units_value};
use super::util::{define_getter, describe, iter_result, iterator_proto, sym_key};
use crate::gc::{EdgeName, Gc, Tracer};
use crate::vm::interp::{to_boolean, Thrown, Vm};
use crate::vm::object::{attrs, HostData, Object, ObjectClass, RegExpData};
use crate::vm::realm::arg;
use crate::vm::string::JsString;
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

pub fn install(vm: &mut Vm) {
    let p = vm.new_object();
    vm.realm.extra.insert("RegExpPrototype", Value::heap(p));
    let ctor = super::core::make_ctor(vm, "RegExp", 2, regexp_ctor, p);
    vm.realm.extra.insert("RegExp", Value::heap(ctor));
    vm.define_native(p, "exec", 1, exec);
    vm.define_native(p, "test", 1, test);
    vm.define_native(p, "toString", 0, to_string);
    vm.define_native(p, "compile", 2, |_, this, _| Ok(this));
    define_getter(vm, p, "source", source);
    define_getter(vm, p, "flags", flags);
    define_getter(vm, p, "global", |vm, t, _| flag(vm, t, 'g', "global"));
    define_getter(vm, p, "ignoreCase", |vm, t, _| {
        flag(vm, t, 'i', "ignoreCase")
    });
    define_getter(vm, p, "multiline", |vm, t, _| flag(vm, t, 'm', "multiline"));
    define_getter(vm, p, "dotAll", |vm, t, _| flag(vm, t, 's', "dotAll"));
    define_getter(vm, p, "unicode", |vm, t, _| flag(vm, t, 'u', "unicode"));
    define_getter(vm, p, "unicodeSets", |vm, t, _| {
        flag(vm, t, 'v', "unicodeSets")
    });
    define_getter(vm, p, "sticky", |vm, t, _| flag(vm, t, 'y', "sticky"));
    define_getter(vm, p, "hasIndices", |vm, t, _| {
        flag(vm, t, 'd', "hasIndices")
    });
    // The well-known symbols of the String/RegExp protocol, kept in `realm.extra`.
    let sym_ctor = {
        let k = vm.intern("Symbol");
        vm.global
            .get()
            .get_own(k)
            .and_then(|(v, _)| v.as_heap::<Object>())
    };
    type Proto = (
        &'static str,
        &'static str,
        &'static str,
        u32,
        crate::vm::object::NativeFn,
    );
    const PROTOCOL: &[Proto] = &[
        ("match", "Symbol.match", "[Symbol.match]", 1, symbol_match),
        (
            "matchAll",
            "Symbol.matchAll",
            "[Symbol.matchAll]",
            1,
            symbol_match_all,
        ),
        (
            "replace",
            "Symbol.replace",
            "[Symbol.replace]",
            2,
            symbol_replace,
        ),
        (
            "search",
            "Symbol.search",
            "[Symbol.search]",
            1,
            symbol_search,
        ),
        ("split", "Symbol.split", "[Symbol.split]", 2, symbol_split),
    ];
    for (short, long, fname, len, f) in PROTOCOL {
        let sym = vm.realm.new_symbol(&mut vm.heap, Some(long));
        vm.realm.extra.insert(long, Value::heap(sym));
        if let Some(c) = sym_ctor {
            let k = vm.intern(short);
            c.get().define(&mut vm.heap, k, Value::heap(sym), 0);
        }
        let func = vm.new_native(fname, *len, *f, false);
        p.get()
            .define(&mut vm.heap, sym_key(sym), Value::heap(func), attrs::HIDDEN);
    }
    let ip = iterator_proto(vm, "RegExp String Iterator", match_all_next);
    vm.realm
        .extra
        .insert("RegExpStringIteratorPrototype", Value::heap(ip));
}

/// The key of one of the protocol's well-known symbols (`"Symbol.match"` …).
pub fn protocol_key(vm: &Vm, name: &str) -> Option<crate::vm::object::Key> {
    vm.realm
        .extra
        .get(name)
        .and_then(|v| v.as_heap::<crate::vm::object::Symbol>())
        .map(sym_key)
}

/// GetMethod(v, @@name): the function, or None when the property is null or undefined.
pub fn get_protocol_method(vm: &mut Vm, v: Value, name: &str) -> Result<Option<Value>, Thrown> {
    let Some(k) = protocol_key(vm, name) else {
        return Ok(None);
    };
    let f = vm.get(v, k)?;
    if f.is_nullish() {
        return Ok(None);
    }
    if !vm.is_callable(f) {
        let t = describe(vm, f);
        return Err(vm.type_error(&format!("{t} is not a function")));
    }
    Ok(Some(f))
}

// ---- Objects ----

/// The RegExp data of an object.
fn data(v: Value) -> Option<Gc<Object>> {
    v.as_heap::<Object>()
        .filter(|o| matches!(o.get().class, ObjectClass::RegExp(_)))
}

/// Whether `v` is a RegExp object (its class, not `Symbol.match`).
pub fn is_regexp_object(v: Value) -> bool {
    data(v).is_some()
}

/// IsRegExp: `v[Symbol.match]` decides when present, else the class.
pub fn is_regexp(vm: &mut Vm, v: Value) -> Result<bool, Thrown> {
    if v.as_heap::<Object>().is_none() {
        return Ok(false);
    }
    if let Some(k) = protocol_key(vm, "Symbol.match") {
        let m = vm.get(v, k)?;
        if !m.is_undefined() {
            return Ok(to_boolean(m));
        }
    }
    Ok(is_regexp_object(v))
}

fn with_data<T>(o: Gc<Object>, f: impl FnOnce(&RegExpData) -> T) -> T {
    match &o.get().class {
        ObjectClass::RegExp(d) => f(d),
        _ => unreachable!("checked to be a RegExp"),
    }
}

fn flags_of(o: Gc<Object>) -> String {
    with_data(o, |d| d.flags.to_string())
}

/// Compiles a pattern (UTF-16 units) with flags, with V8's SyntaxError messages.
fn compile(vm: &mut Vm, pattern: &[u16], flags: &str) -> Result<regress::Regex, Thrown> {
    let mut seen = String::new();
    for c in flags.chars() {
        if !"dgimsuvy".contains(c) || seen.contains(c) {
            return Err(vm.syntax_error(&format!(
                "Invalid flags supplied to RegExp constructor '{flags}'"
            )));
        }
        seen.push(c);
    }
    if seen.contains('u') && seen.contains('v') {
        return Err(vm.syntax_error(&format!(
            "Invalid flags supplied to RegExp constructor '{flags}'"
        )));
    }
    let rf = regress::Flags {
        icase: flags.contains('i'),
        multiline: flags.contains('m'),
        dot_all: flags.contains('s'),
        unicode: flags.contains('u'),
        unicode_sets: flags.contains('v'),
        no_opt: false,
    };
    let cps: Vec<u32> = char::decode_utf16(pattern.iter().copied())
        .map(|r| r.map_or_else(|e| e.unpaired_surrogate() as u32, |c| c as u32))
        .collect();
    match regress::Regex::from_unicode(cps.into_iter(), rf) {
        Ok(r) => Ok(r),
        Err(e) => {
            let text = String::from_utf16_lossy(pattern);
            let reason = crate::syntax::builder::v8_regexp_message(&e.to_string(), &text, flags);
            Err(vm.syntax_error(&format!(
                "Invalid regular expression: /{text}/{flags}: {reason}"
            )))
        }
    }
}

/// RegExpAlloc + RegExpInitialize: a new RegExp with `lastIndex` 0.
fn alloc(
    vm: &mut Vm,
    proto: Gc<Object>,
    pattern: &[u16],
    flags: &str,
) -> Result<Gc<Object>, Thrown> {
    let matcher = compile(vm, pattern, flags)?;
    let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
    let o = vm.heap.alloc(Object::with_class(
        shape,
        ObjectClass::RegExp(Box::new(RegExpData {
            matcher,
            source: pattern.into(),
            flags: flags.into(),
        })),
    ));
    let lk = vm.intern("lastIndex");
    o.get()
        .define(&mut vm.heap, lk, Value::int(0), attrs::WRITABLE);
    Ok(o)
}

fn regexp_proto(vm: &Vm) -> Gc<Object> {
    vm.realm.extra["RegExpPrototype"]
        .as_heap::<Object>()
        .expect("RegExp.prototype")
}

/// `new RegExp(pattern, flags)` from native code (regular expression literals use this).
pub fn regexp_create(vm: &mut Vm, pattern: &str, flags: &str) -> R {
    let units: Vec<u16> = pattern.encode_utf16().collect();
    let proto = regexp_proto(vm);
    Ok(Value::heap(alloc(vm, proto, &units, flags)?))
}

fn regexp_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let nt = vm.take_new_target();
    let (pattern, flags) = (arg(a, 0), arg(a, 1));
    let src = data(pattern);
    if nt.is_undefined() && src.is_some() && flags.is_undefined() {
        let ck = vm.realm.names.constructor;
        let c = vm.get(pattern, ck)?;
        if Some(&c) == vm.realm.extra.get("RegExp") {
            return Ok(pattern);
        }
    }
    let (p, f): (Vec<u16>, String) = match src {
        Some(r) => {
            let p = with_data(r, |d| d.source.to_vec());
            let f = if flags.is_undefined() {
                flags_of(r)
            } else {
                vm.to_rust_string(flags)?
            };
            (p, f)
        }
        None => {
            let p = if pattern.is_undefined() {
                Vec::new()
            } else {
                vm.to_string(pattern)?.get().to_units()
            };
            let f = if flags.is_undefined() {
                String::new()
            } else {
                vm.to_rust_string(flags)?
            };
            (p, f)
        }
    };
    let proto = if nt.is_undefined() {
        regexp_proto(vm)
    } else {
        let d = regexp_proto(vm);
        vm.prototype_for(nt, d)?
    };
    Ok(Value::heap(alloc(vm, proto, &p, &f)?))
}

fn this_regexp(vm: &mut Vm, this: Value, method: &str) -> Result<Gc<Object>, Thrown> {
    match data(this) {
        Some(o) => Ok(o),
        None => {
            let t = describe(vm, this);
            Err(vm.type_error(&format!(
                "Method RegExp.prototype.{method} called on incompatible receiver {t}"
            )))
        }
    }
}

fn source(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let Some(o) = data(this) else {
        if Some(&this) == vm.realm.extra.get("RegExpPrototype") {
            return Ok(vm.new_string("(?:)"));
        }
        return Err(vm.type_error("RegExp.prototype.source getter called on non-RegExp object"));
    };
    let src = with_data(o, |d| d.source.to_vec());
    if src.is_empty() {
        return Ok(vm.new_string("(?:)"));
    }
    // EscapeRegExpPattern: `/` and line terminators escaped (not inside a class for `/`).
    let mut out = Vec::with_capacity(src.len());
    let mut in_class = false;
    let mut i = 0;
    while i < src.len() {
        let u = src[i];
        match u {
            0x5C => {
                out.push(u);
                if let Some(&n) = src.get(i + 1) {
                    out.push(n);
                    i += 1;
                }
            }
            0x5B => {
                in_class = true;
                out.push(u);
            }
            0x5D => {
                in_class = false;
                out.push(u);
            }
            0x2F if !in_class => out.extend_from_slice(&[0x5C, 0x2F]),
            0x0A => out.extend("\\n".encode_utf16()),
            0x0D => out.extend("\\r".encode_utf16()),
            0x2028 => out.extend("\\u2028".encode_utf16()),
            0x2029 => out.extend("\\u2029".encode_utf16()),
            _ => out.push(u),
        }
        i += 1;
    }
    Ok(vm.new_string_utf16(&out))
}

fn flags(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    if this.as_heap::<Object>().is_none() {
        return Err(vm.type_error("RegExp.prototype.flags getter called on non-object"));
    }
    if let Some(o) = data(this) {
        // The own flags, in the canonical order.
        let f = flags_of(o);
        let s: String = "dgimsuvy".chars().filter(|c| f.contains(*c)).collect();
        return Ok(vm.new_string(&s));
    }
    let mut s = String::new();
    for (c, name) in [
        ('d', "hasIndices"),
        ('g', "global"),
        ('i', "ignoreCase"),
        ('m', "multiline"),
        ('s', "dotAll"),
        ('u', "unicode"),
        ('v', "unicodeSets"),
        ('y', "sticky"),
    ] {
        let k = vm.intern(name);
        if to_boolean(vm.get(this, k)?) {
            s.push(c);
        }
    }
    Ok(vm.new_string(&s))
}

fn flag(vm: &mut Vm, this: Value, c: char, name: &str) -> R {
    match data(this) {
        Some(o) => Ok(Value::bool(flags_of(o).contains(c))),
        None if Some(&this) == vm.realm.extra.get("RegExpPrototype") => Ok(Value::UNDEFINED),
        None => Err(vm.type_error(&format!(
            "RegExp.prototype.{name} getter called on non-RegExp object"
        ))),
    }
}

fn to_string(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    if this.as_heap::<Object>().is_none() {
        let t = describe(vm, this);
        return Err(vm.type_error(&format!(
            "Method RegExp.prototype.toString called on incompatible receiver {t}"
        )));
    }
    let sk = vm.intern("source");
    let s = vm.get(this, sk)?;
    let s = str_arg(vm, s)?;
    let fk = vm.intern("flags");
    let f = vm.get(this, fk)?;
    let f = vm.to_string(f)?;
    let mut out = vec![b'/' as u16];
    out.extend(s.get().units());
    out.push(b'/' as u16);
    out.extend(f.get().units());
    Ok(vm.new_string_utf16(&out))
}

// ---- Matching ----

/// One match: the whole range, the capture ranges and the group names (empty when the
/// pattern has no named groups).
struct Found {
    start: usize,
    end: usize,
    captures: Vec<Option<(usize, usize)>>,
    names: Vec<(String, Option<(usize, usize)>)>,
    has_names: bool,
}

/// The leftmost match at or after `from`.
fn find_at(o: Gc<Object>, text: &[u16], from: usize) -> Option<Found> {
    with_data(o, |d| {
        let unicode = d.flags.contains('u') || d.flags.contains('v');
        let m = if unicode {
            d.matcher.find_from_utf16(text, from).next()
        } else {
            d.matcher.find_from_ucs2(text, from).next()
        }?;
        let names: Vec<(String, Option<(usize, usize)>)> = m
            .named_groups()
            .map(|(n, r)| (n.to_string(), r.map(|r| (r.start, r.end))))
            .collect();
        Some(Found {
            start: m.range.start,
            end: m.range.end,
            captures: m
                .captures
                .iter()
                .map(|c| c.as_ref().map(|r| (r.start, r.end)))
                .collect(),
            has_names: !names.is_empty(),
            names,
        })
    })
}

fn last_index(vm: &mut Vm, rx: Value) -> Result<usize, Thrown> {
    let lk = vm.intern("lastIndex");
    let v = vm.get(rx, lk)?;
    let n = super::util::to_integer(vm, v)?;
    Ok(if n <= 0.0 {
        0
    } else {
        n.min(9007199254740991.0) as usize
    })
}

fn set_last_index(vm: &mut Vm, rx: Value, n: usize) -> Result<(), Thrown> {
    let lk = vm.intern("lastIndex");
    vm.put(rx, lk, Value::number(n as f64))
}

/// RegExpBuiltinExec without building the result: honours and updates `lastIndex` for the
/// global and sticky flags.
fn exec_raw(vm: &mut Vm, o: Gc<Object>, text: &[u16]) -> Result<Option<Found>, Thrown> {
    let rx = Value::heap(o);
    let li = last_index(vm, rx)?;
    let f = flags_of(o);
    let (global, sticky) = (f.contains('g'), f.contains('y'));
    let from = if global || sticky { li } else { 0 };
    if from > text.len() {
        if global || sticky {
            set_last_index(vm, rx, 0)?;
        }
        return Ok(None);
    }
    let found = find_at(o, text, from).filter(|m| !sticky || m.start == from);
    match found {
        None => {
            if global || sticky {
                set_last_index(vm, rx, 0)?;
            }
            Ok(None)
        }
        Some(m) => {
            if global || sticky {
                set_last_index(vm, rx, m.end)?;
            }
            Ok(Some(m))
        }
    }
}

fn slice_value(vm: &mut Vm, text: &[u16], r: Option<(usize, usize)>) -> Value {
    match r {
        Some((a, b)) => units_value(vm, &text[a..b]),
        None => Value::UNDEFINED,
    }
}

/// The groups object of a match (null prototype), or undefined without named groups.
fn groups_object(vm: &mut Vm, text: &[u16], m: &Found) -> Value {
    if !m.has_names {
        return Value::UNDEFINED;
    }
    let g = vm.new_object_with_proto(None);
    for (name, r) in &m.names {
        let v = slice_value(vm, text, *r);
        let k = vm.intern(name);
        g.get().define(&mut vm.heap, k, v, attrs::DEFAULT);
    }
    Value::heap(g)
}

/// The array `exec` returns.
fn match_array(vm: &mut Vm, s: Gc<JsString>, text: &[u16], m: &Found, indices: bool) -> Value {
    let mut items = vec![units_value(vm, &text[m.start..m.end])];
    for c in &m.captures {
        items.push(slice_value(vm, text, *c));
    }
    let a = vm.new_array(items);
    let xk = vm.intern("index");
    a.get().define(
        &mut vm.heap,
        xk,
        Value::number(m.start as f64),
        attrs::DEFAULT,
    );
    let ik = vm.intern("input");
    a.get()
        .define(&mut vm.heap, ik, Value::heap(s), attrs::DEFAULT);
    let groups = groups_object(vm, text, m);
    let gk = vm.intern("groups");
    a.get().define(&mut vm.heap, gk, groups, attrs::DEFAULT);
    if indices {
        let pair = |vm: &mut Vm, r: Option<(usize, usize)>| match r {
            Some((x, y)) => {
                Value::heap(vm.new_array(vec![Value::number(x as f64), Value::number(y as f64)]))
            }
            None => Value::UNDEFINED,
        };
        let mut list = vec![pair(vm, Some((m.start, m.end)))];
        for c in &m.captures {
            list.push(pair(vm, *c));
        }
        let ind = vm.new_array(list);
        let ig = if m.has_names {
            let g = vm.new_object_with_proto(None);
            for (name, r) in &m.names {
                let v = pair(vm, *r);
                let k = vm.intern(name);
                g.get().define(&mut vm.heap, k, v, attrs::DEFAULT);
            }
            Value::heap(g)
        } else {
            Value::UNDEFINED
        };
        ind.get().define(&mut vm.heap, gk, ig, attrs::DEFAULT);
        let dk = vm.intern("indices");
        a.get()
            .define(&mut vm.heap, dk, Value::heap(ind), attrs::DEFAULT);
    }
    Value::heap(a)
}

fn exec(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_regexp(vm, this, "exec")?;
    let s = str_arg(vm, arg(a, 0))?;
    let text = s.get().to_units();
    match exec_raw(vm, o, &text)? {
        Some(m) => {
            let d = flags_of(o).contains('d');
            Ok(match_array(vm, s, &text, &m, d))
        }
        None => Ok(Value::NULL),
    }
}

fn test(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let o = this_regexp(vm, this, "test")?;
    let s = str_arg(vm, arg(a, 0))?;
    let text = s.get().to_units();
    Ok(Value::bool(exec_raw(vm, o, &text)?.is_some()))
}

/// AdvanceStringIndex.
fn advance(text: &[u16], i: usize, unicode: bool) -> usize {
    if unicode
        && i + 1 < text.len()
        && (0xD800..0xDC00).contains(&text[i])
        && (0xDC00..0xE000).contains(&text[i + 1])
    {
        i + 2
    } else {
        i + 1
    }
}

fn is_unicode(o: Gc<Object>) -> bool {
    let f = flags_of(o);
    f.contains('u') || f.contains('v')
}

/// The RegExp a String method uses: the argument itself, or a new one from its text.
fn to_matcher(vm: &mut Vm, v: Value, flags: &str) -> Result<Gc<Object>, Thrown> {
    if let Some(o) = data(v) {
        return Ok(o);
    }
    let p = if v.is_undefined() {
        Vec::new()
    } else {
        vm.to_string(v)?.get().to_units()
    };
    let proto = regexp_proto(vm);
    let o = alloc(vm, proto, &p, flags)?;
    vm.root(Value::heap(o));
    Ok(o)
}

fn this_string(vm: &mut Vm, this: Value, name: &str) -> Result<Gc<JsString>, Thrown> {
    super::string::this_str(vm, this, name)
}

fn require_coercible(vm: &mut Vm, this: Value, name: &str) -> Result<(), Thrown> {
    if this.is_nullish() {
        return Err(vm.type_error(&format!(
            "String.prototype.{name} called on null or undefined"
        )));
    }
    Ok(())
}

/// `String.prototype.match`.
pub fn string_match(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    require_coercible(vm, this, "match")?;
    let re = arg(a, 0);
    if !re.is_nullish() {
        if let Some(f) = get_protocol_method(vm, re, "Symbol.match")? {
            return vm.call(f, re, &[this]);
        }
    }
    let s = this_string(vm, this, "match")?;
    let rx = to_matcher(vm, re, "")?;
    match_core(vm, rx, s)
}

fn this_regexp_symbol(vm: &mut Vm, this: Value, name: &str) -> Result<Gc<Object>, Thrown> {
    match data(this) {
        Some(o) => Ok(o),
        None => {
            let t = describe(vm, this);
            Err(vm.type_error(&format!(
                "Method RegExp.prototype[Symbol.{name}] called on incompatible receiver {t}"
            )))
        }
    }
}

fn symbol_match(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let rx = this_regexp_symbol(vm, this, "match")?;
    let s = str_arg(vm, arg(a, 0))?;
    match_core(vm, rx, s)
}

fn symbol_search(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let rx = this_regexp_symbol(vm, this, "search")?;
    let s = str_arg(vm, arg(a, 0))?;
    search_core(vm, rx, s)
}

fn symbol_replace(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let rx = this_regexp_symbol(vm, this, "replace")?;
    let s = str_arg(vm, arg(a, 0))?;
    replace_core(vm, rx, s, arg(a, 1))
}

fn symbol_split(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let rx = this_regexp_symbol(vm, this, "split")?;
    let s = str_arg(vm, arg(a, 0))?;
    split_core(vm, rx, s, arg(a, 1))
}

fn symbol_match_all(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    let r = this_regexp_symbol(vm, this, "matchAll")?;
    let s = str_arg(vm, arg(a, 0))?;
    // The matcher is a copy (the species constructor's `new C(R, flags)`) with R's lastIndex.
    let f = flags_of(r);
    let src = with_data(r, |d| d.source.to_vec());
    let proto = regexp_proto(vm);
    let m = alloc(vm, proto, &src, &f)?;
    vm.root(Value::heap(m));
    let li = last_index(vm, this)?;
    set_last_index(vm, Value::heap(m), li)?;
    match_all_iterator(vm, m, s)
}

fn match_core(vm: &mut Vm, rx: Gc<Object>, s: Gc<JsString>) -> R {
    let text = s.get().to_units();
    if !flags_of(rx).contains('g') {
        return match exec_raw(vm, rx, &text)? {
            Some(m) => {
                let d = flags_of(rx).contains('d');
                Ok(match_array(vm, s, &text, &m, d))
            }
            None => Ok(Value::NULL),
        };
    }
    let unicode = is_unicode(rx);
    set_last_index(vm, Value::heap(rx), 0)?;
    let out = vm.new_array(Vec::new());
    vm.root(Value::heap(out));
    while let Some(m) = exec_raw(vm, rx, &text)? {
        let v = units_value(vm, &text[m.start..m.end]);
        out.get().push_element(&vm.heap, v);
        if m.start == m.end {
            let li = last_index(vm, Value::heap(rx))?;
            set_last_index(vm, Value::heap(rx), advance(&text, li, unicode))?;
        }
    }
    if out.get().elements_len() == 0 {
        return Ok(Value::NULL);
    }
    Ok(Value::heap(out))
}

/// `String.prototype.search`.
pub fn string_search(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    require_coercible(vm, this, "search")?;
    let re = arg(a, 0);
    if !re.is_nullish() {
        if let Some(f) = get_protocol_method(vm, re, "Symbol.search")? {
            return vm.call(f, re, &[this]);
        }
    }
    let s = this_string(vm, this, "search")?;
    let rx = to_matcher(vm, re, "")?;
    search_core(vm, rx, s)
}

fn search_core(vm: &mut Vm, rx: Gc<Object>, s: Gc<JsString>) -> R {
    let text = s.get().to_units();
    let rv = Value::heap(rx);
    let lk = vm.intern("lastIndex");
    let previous = vm.get(rv, lk)?;
    set_last_index(vm, rv, 0)?;
    // search ignores global and sticky... except that sticky still anchors.
    let m = if flags_of(rx).contains('y') {
        find_at(rx, &text, 0).filter(|m| m.start == 0)
    } else {
        find_at(rx, &text, 0)
    };
    vm.put(rv, lk, previous)?;
    Ok(Value::number(m.map_or(-1.0, |m| m.start as f64)))
}

// ---- matchAll ----

struct MatchAllIter {
    matcher: Gc<Object>,
    s: Gc<JsString>,
    global: bool,
    unicode: bool,
    done: Cell<bool>,
    text: RefCell<Vec<u16>>,
}

impl HostData for MatchAllIter {
    fn trace(&self, t: &mut dyn Tracer) {
        t.edge(EdgeName::Internal("matcher"), self.matcher.into());
        t.edge(EdgeName::Internal("string"), self.s.into());
    }
    fn class_name(&self) -> &'static str {
        "RegExp String Iterator"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `String.prototype.matchAll`.
pub fn string_match_all(vm: &mut Vm, this: Value, a: &[Value]) -> R {
    require_coercible(vm, this, "matchAll")?;
    let re = arg(a, 0);
    if !re.is_nullish() {
        if is_regexp(vm, re)? {
            let fk = vm.intern("flags");
            let flags = vm.get(re, fk)?;
            if flags.is_nullish() {
                return Err(vm.type_error(
                    "String.prototype.matchAll called with a non-global RegExp argument",
                ));
            }
            let f = vm.to_rust_string(flags)?;
            if !f.contains('g') {
                return Err(vm.type_error(
                    "String.prototype.matchAll called with a non-global RegExp argument",
                ));
            }
        }
        if let Some(f) = get_protocol_method(vm, re, "Symbol.matchAll")? {
            return vm.call(f, re, &[this]);
        }
    }
    let s = this_string(vm, this, "matchAll")?;
    let rx = to_matcher(vm, re, "g")?;
    match_all_iterator(vm, rx, s)
}

fn match_all_iterator(vm: &mut Vm, matcher: Gc<Object>, s: Gc<JsString>) -> R {
    let f = flags_of(matcher);
    let proto = vm.realm.extra["RegExpStringIteratorPrototype"]
        .as_heap::<Object>()
        .expect("a prototype");
    let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
    let text = s.get().to_units();
    let it = vm.heap.alloc(Object::with_class(
        shape,
        ObjectClass::Host(Box::new(MatchAllIter {
            matcher,
            s,
            global: f.contains('g'),
            unicode: f.contains('u') || f.contains('v'),
            done: Cell::new(false),
            text: RefCell::new(text),
        })),
    ));
    Ok(Value::heap(it))
}

fn match_all_next(vm: &mut Vm, this: Value, _: &[Value]) -> R {
    let state = this.as_heap::<Object>().and_then(|o| match &o.get().class {
        ObjectClass::Host(h) => h.as_any().downcast_ref::<MatchAllIter>().map(|it| {
            (
                it.matcher,
                it.s,
                it.global,
                it.unicode,
                it.done.get(),
                it.text.borrow().clone(),
            )
        }),
        _ => None,
    });
    let Some((matcher, s, global, unicode, done, text)) = state else {
        let t = describe(vm, this);
        return Err(vm.type_error(&format!(
            "Method %RegExpStringIterator%.prototype.next called on incompatible receiver {t}"
        )));
    };
    let set_done = |this: Value| {
        if let Some(ObjectClass::Host(h)) =
            this.as_heap::<Object>().as_ref().map(|o| &o.get().class)
        {
            if let Some(it) = h.as_any().downcast_ref::<MatchAllIter>() {
                it.done.set(true);
            }
        }
    };
    if done {
        return Ok(iter_result(vm, Value::UNDEFINED, true));
    }
    match exec_raw(vm, matcher, &text)? {
        None => {
            set_done(this);
            Ok(iter_result(vm, Value::UNDEFINED, true))
        }
        Some(m) => {
            if !global {
                set_done(this);
            } else if m.start == m.end {
                let li = last_index(vm, Value::heap(matcher))?;
                set_last_index(vm, Value::heap(matcher), advance(&text, li, unicode))?;
            }
            let d = flags_of(matcher).contains('d');
            let arr = match_array(vm, s, &text, &m, d);
            Ok(iter_result(vm, arr, false))
        }
    }
}

// ---- replace and split ----

/// RegExp.prototype[@@replace].
fn replace_core(vm: &mut Vm, rx: Gc<Object>, s: Gc<JsString>, replace_value: Value) -> R {
    let re = Value::heap(rx);
    let functional = vm.is_callable(replace_value);
    let template = if functional {
        None
    } else {
        Some(str_arg(vm, replace_value)?.get().to_units())
    };
    let text = s.get().to_units();
    let global = flags_of(rx).contains('g');
    let unicode = is_unicode(rx);
    if global {
        set_last_index(vm, re, 0)?;
    }
    let mut results = Vec::new();
    while let Some(m) = exec_raw(vm, rx, &text)? {
        let empty = m.start == m.end;
        results.push(m);
        if !global {
            break;
        }
        if empty {
            let li = last_index(vm, re)?;
            set_last_index(vm, re, advance(&text, li, unicode))?;
        }
    }
    let mut out: Vec<u16> = Vec::with_capacity(text.len());
    let mut next = 0;
    for m in &results {
        let replacement = match &template {
            None => {
                let mut args = vec![units_value(vm, &text[m.start..m.end])];
                for c in &m.captures {
                    args.push(slice_value(vm, &text, *c));
                }
                args.push(Value::number(m.start as f64));
                args.push(Value::heap(s));
                let groups = groups_object(vm, &text, m);
                if !groups.is_undefined() {
                    args.push(groups);
                }
                let r = vm.call(replace_value, Value::UNDEFINED, &args)?;
                vm.to_string(r)?.get().to_units()
            }
            Some(t) => {
                let caps: Vec<Value> = m
                    .captures
                    .iter()
                    .map(|c| slice_value(vm, &text, *c))
                    .collect();
                let groups = groups_object(vm, &text, m);
                vm.root(groups);
                for c in &caps {
                    vm.root(*c);
                }
                get_substitution(vm, &text[m.start..m.end], &text, m.start, &caps, groups, t)?
            }
        };
        if m.start >= next {
            out.extend_from_slice(&text[next..m.start]);
            out.extend_from_slice(&replacement);
            next = m.end;
        }
    }
    out.extend_from_slice(&text[next.min(text.len())..]);
    Ok(vm.new_string_utf16(&out))
}

/// RegExp.prototype[@@split].
fn split_core(vm: &mut Vm, rx: Gc<Object>, s: Gc<JsString>, limit: Value) -> R {
    let text = s.get().to_units();
    let unicode = is_unicode(rx);
    let lim = if limit.is_undefined() {
        u32::MAX
    } else {
        let n = vm.to_number(limit)?;
        crate::vm::interp::to_int32(n) as u32
    };
    let out = vm.new_array(Vec::new());
    vm.root(Value::heap(out));
    if lim == 0 {
        return Ok(Value::heap(out));
    }
    let size = text.len();
    if size == 0 {
        if find_at(rx, &text, 0).is_none_or(|m| m.start != 0) {
            out.get().push_element(&vm.heap, Value::heap(s));
        }
        return Ok(Value::heap(out));
    }
    let mut p = 0;
    let mut q = 0;
    while q < size {
        // The leftmost match at or after q is the first position where the sticky splitter
        // of the specification would match.
        let Some(m) = find_at(rx, &text, q) else {
            break;
        };
        if m.start >= size {
            break;
        }
        let e = m.end.min(size);
        if e == p {
            q = advance(&text, m.start.max(q), unicode);
            continue;
        }
        let t = units_value(vm, &text[p..m.start]);
        out.get().push_element(&vm.heap, t);
        if out.get().elements_len() as u32 == lim {
            return Ok(Value::heap(out));
        }
        p = e;
        for c in &m.captures {
            let v = slice_value(vm, &text, *c);
            out.get().push_element(&vm.heap, v);
            if out.get().elements_len() as u32 == lim {
                return Ok(Value::heap(out));
            }
        }
        q = p;
    }
    let t = units_value(vm, &text[p..]);
    out.get().push_element(&vm.heap, t);
    Ok(Value::heap(out))
}
