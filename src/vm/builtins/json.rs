//! `JSON.parse` (with a reviver, and V8's error messages) and `JSON.stringify` (replacer
//! function or property list, indentation, `toJSON`, V8's circular-structure message).

use super::util::to_integer;
use crate::gc::Gc;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, Key, Object, ObjectClass};
use crate::vm::ops::{parse_index, PKey};
use crate::vm::realm::arg;
use crate::vm::string::{JsString, MAX_LENGTH};
use crate::vm::value::{number_to_string, Value};

type R = Result<Value, Thrown>;

/// Nesting deeper than this throws instead of exhausting the Rust stack.
const MAX_DEPTH: usize = 5000;

pub fn install(vm: &mut Vm) {
    let json = vm.new_object();
    vm.define_native(json, "parse", 2, parse);
    vm.define_native(json, "stringify", 3, stringify);
    super::util::set_tag(vm, json, "JSON");
    let global = vm.global;
    vm.define_hidden(global, "JSON", Value::heap(json));
}

// ---- parse ----

struct Parser<'a> {
    src: &'a [u16],
    pos: usize,
    depth: usize,
}

/// A parse failure: the V8 message (without the `SyntaxError: ` prefix).
type PResult<T> = Result<T, String>;

fn is_ws(u: u16) -> bool {
    matches!(u, 0x20 | 0x09 | 0x0A | 0x0D)
}

impl Parser<'_> {
    fn peek(&self) -> Option<u16> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
    }

    /// V8's message for an unexpected character (or the end) at `self.pos`.
    fn unexpected(&self) -> String {
        let Some(c) = self.peek() else {
            return "Unexpected end of JSON input".into();
        };
        if c == b'"' as u16 {
            return format!("Unexpected string in JSON at position {}", self.pos);
        }
        if c == b'-' as u16 || (b'0' as u16..=b'9' as u16).contains(&c) {
            return format!("Unexpected number in JSON at position {}", self.pos);
        }
        let whole = String::from_utf16_lossy(self.src);
        if matches!(
            whole.as_str(),
            "[object Object]" | "undefined" | "Infinity" | "NaN"
        ) {
            return format!("\"{whole}\" is not valid JSON");
        }
        let tok = String::from_utf16_lossy(&[c]);
        const CONTEXT: usize = 10;
        let len = self.src.len();
        let pos = self.pos;
        if len < CONTEXT * 2 + 1 {
            return format!("Unexpected token '{tok}', \"{whole}\" is not valid JSON");
        }
        let sub = |a: usize, b: usize| String::from_utf16_lossy(&self.src[a..b.min(len)]);
        if pos < CONTEXT {
            format!(
                "Unexpected token '{tok}', \"{}\"... is not valid JSON",
                sub(0, pos + CONTEXT)
            )
        } else if pos < len - CONTEXT {
            format!(
                "Unexpected token '{tok}', ...\"{}\"... is not valid JSON",
                sub(pos - CONTEXT, pos + CONTEXT)
            )
        } else {
            format!(
                "Unexpected token '{tok}', ...\"{}\" is not valid JSON",
                sub(pos - CONTEXT, len)
            )
        }
    }

    fn at(&self, what: &str) -> String {
        format!("{what} in JSON at position {}", self.pos)
    }

    fn value(&mut self, vm: &mut Vm) -> PResult<Value> {
        self.skip_ws();
        let Some(c) = self.peek() else {
            return Err(self.unexpected());
        };
        match c {
            0x22 => {
                let units = self.string()?;
                Ok(vm.new_string_utf16(&units))
            }
            0x7B => self.object(vm),
            0x5B => self.array(vm),
            0x74 => self.literal("true", Value::TRUE),
            0x66 => self.literal("false", Value::FALSE),
            0x6E => self.literal("null", Value::NULL),
            _ if c == b'-' as u16 || (b'0' as u16..=b'9' as u16).contains(&c) => self.number(),
            _ => Err(self.unexpected()),
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> PResult<Value> {
        for b in word.bytes() {
            if self.peek() != Some(b as u16) {
                return Err(self.unexpected());
            }
            self.pos += 1;
        }
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|u| (b'0' as u16..=b'9' as u16).contains(&u))
        {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> PResult<Value> {
        let start = self.pos;
        if self.peek() == Some(b'-' as u16) {
            self.pos += 1;
            if !self
                .peek()
                .is_some_and(|u| (b'0' as u16..=b'9' as u16).contains(&u))
            {
                return Err(self.at("No number after minus sign"));
            }
        }
        if self.peek() == Some(b'0' as u16) {
            self.pos += 1;
            if self
                .peek()
                .is_some_and(|u| (b'0' as u16..=b'9' as u16).contains(&u))
            {
                return Err(self.unexpected());
            }
        } else {
            self.digits();
        }
        if self.peek() == Some(b'.' as u16) {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.at("Unterminated fractional number"));
            }
        }
        if matches!(self.peek(), Some(0x65 | 0x45)) {
            self.pos += 1;
            if matches!(self.peek(), Some(0x2B | 0x2D)) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.at("Exponent part is missing a number"));
            }
        }
        let text: String = self.src[start..self.pos]
            .iter()
            .map(|&u| u as u8 as char)
            .collect();
        let n: f64 = text.parse().unwrap_or(f64::NAN);
        Ok(
            if n.fract() == 0.0 && n.abs() < 2147483648.0 && !(n == 0.0 && text.starts_with('-')) {
                Value::int(n as i32)
            } else {
                Value::number(n)
            },
        )
    }

    fn string(&mut self) -> PResult<Vec<u16>> {
        self.pos += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.at("Unterminated string"));
            };
            match c {
                0x22 => {
                    self.pos += 1;
                    return Ok(out);
                }
                0x5C => {
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return Err(self.at("Unterminated string"));
                    };
                    let ch = match e {
                        0x22 => 0x22,
                        0x5C => 0x5C,
                        0x2F => 0x2F,
                        0x62 => 0x08,
                        0x66 => 0x0C,
                        0x6E => 0x0A,
                        0x72 => 0x0D,
                        0x74 => 0x09,
                        0x75 => {
                            let mut v: u16 = 0;
                            for _ in 0..4 {
                                self.pos += 1;
                                let d = self
                                    .peek()
                                    .and_then(|u| char::from_u32(u as u32))
                                    .and_then(|c| c.to_digit(16));
                                match d {
                                    Some(d) => v = v * 16 + d as u16,
                                    None => return Err(self.at("Bad Unicode escape")),
                                }
                            }
                            v
                        }
                        _ => return Err(self.at("Bad escaped character")),
                    };
                    out.push(ch);
                    self.pos += 1;
                }
                _ if c < 0x20 => return Err(self.at("Bad control character in string literal")),
                _ => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("\u{0}depth".into());
        }
        Ok(())
    }

    fn array(&mut self, vm: &mut Vm) -> PResult<Value> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']' as u16) {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::heap(vm.new_array(items)));
        }
        loop {
            items.push(self.value(vm)?);
            self.skip_ws();
            match self.peek() {
                Some(0x2C) => self.pos += 1,
                Some(0x5D) => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.at("Expected ',' or ']' after array element")),
            }
        }
        self.depth -= 1;
        Ok(Value::heap(vm.new_array(items)))
    }

    fn object(&mut self, vm: &mut Vm) -> PResult<Value> {
        self.enter()?;
        self.pos += 1;
        let o = vm.new_object();
        self.skip_ws();
        if self.peek() == Some(b'}' as u16) {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::heap(o));
        }
        let mut first = true;
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"' as u16) {
                return Err(self.at(if first {
                    "Expected property name or '}'"
                } else {
                    "Expected double-quoted property name"
                }));
            }
            first = false;
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':' as u16) {
                return Err(self.at("Expected ':' after property name"));
            }
            self.pos += 1;
            let v = self.value(vm)?;
            let ks = JsString::from_utf16(&key);
            let pk = match parse_index(&ks) {
                Some(i) => PKey::Index(i),
                None => {
                    let s = vm.heap.alloc(ks);
                    PKey::Named(vm.atoms.intern_string(&mut vm.heap, s))
                }
            };
            vm.define_value(o, pk, v, attrs::DEFAULT);
            self.skip_ws();
            match self.peek() {
                Some(0x2C) => self.pos += 1,
                Some(0x7D) => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.at("Expected ',' or '}' after property value")),
            }
        }
        self.depth -= 1;
        Ok(Value::heap(o))
    }
}

/// Parses JSON text into a value (no reviver).
pub fn parse_text(vm: &mut Vm, units: &[u16]) -> R {
    let mut p = Parser {
        src: units,
        pos: 0,
        depth: 0,
    };
    let r = p.value(vm).and_then(|v| {
        p.skip_ws();
        if p.peek().is_some() {
            Err(format!(
                "Unexpected non-whitespace character after JSON at position {}",
                p.pos
            ))
        } else {
            Ok(v)
        }
    });
    match r {
        Ok(v) => Ok(v),
        Err(m) if m.starts_with('\u{0}') => Err(vm.range_error("Maximum call stack size exceeded")),
        Err(m) => Err(vm.syntax_error(&m)),
    }
}

fn parse(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let text = vm.to_string(arg(a, 0))?;
    let units = text.get().to_units();
    let v = parse_text(vm, &units)?;
    let reviver = arg(a, 1);
    if !vm.is_callable(reviver) {
        return Ok(v);
    }
    let root = vm.new_object();
    vm.root(Value::heap(root));
    let empty = vm.intern("");
    root.get().define(&mut vm.heap, empty, v, attrs::DEFAULT);
    internalize(vm, Value::heap(root), PKey::Named(empty), reviver, 0)
}

fn internalize(vm: &mut Vm, holder: Value, name: PKey, reviver: Value, depth: usize) -> R {
    if depth > MAX_DEPTH {
        return Err(vm.range_error("Maximum call stack size exceeded"));
    }
    let val = super::core::get_key(vm, holder, name)?;
    vm.root(val);
    if let Some(o) = val.as_heap::<Object>() {
        let keys: Vec<PKey> = if super::util::is_array(val) {
            let len = vm.length_of(val)?;
            (0..len as u32).map(PKey::Index).collect()
        } else {
            vm.own_keys(o, true)
                .into_iter()
                .filter(|k| !matches!(k, PKey::Named(n) if vm.realm.symbol_of(*n).is_some()))
                .collect()
        };
        let mark = vm.stack.len();
        for k in keys {
            vm.stack.truncate(mark);
            let nv = internalize(vm, val, k, reviver, depth + 1)?;
            if nv.is_undefined() {
                let kv = vm.key_value(k);
                vm.delete_value(val, kv)?;
            } else {
                vm.define_value(o, k, nv, attrs::DEFAULT);
            }
        }
    }
    let kv = vm.key_value(name);
    vm.call(reviver, holder, &[kv, val])
}

// ---- stringify ----

struct Ser {
    out: Vec<u16>,
    replacer: Value,
    /// The property list of an array replacer.
    list: Option<Vec<PKey>>,
    gap: Vec<u16>,
    indent: Vec<u16>,
    /// The objects being serialized, with the key each was reached by.
    stack: Vec<(PKey, Gc<Object>)>,
    to_json: Key,
}

/// JSON's quoting of a string: `"`, `\`, control characters, and lone surrogates escaped.
pub fn quote(out: &mut Vec<u16>, s: &JsString) {
    out.push(b'"' as u16);
    let n = s.len();
    let hex = |out: &mut Vec<u16>, u: u16| {
        for b in format!("\\u{u:04x}").bytes() {
            out.push(b as u16);
        }
    };
    if let Some(bytes) = s.as_latin1() {
        // Fast path: copy runs that need no escape.
        for &b in bytes {
            match b {
                b'"' => out.extend_from_slice(&[0x5C, 0x22]),
                b'\\' => out.extend_from_slice(&[0x5C, 0x5C]),
                0x20.. => out.push(b as u16),
                0x08 => out.extend_from_slice(&[0x5C, b'b' as u16]),
                0x0C => out.extend_from_slice(&[0x5C, b'f' as u16]),
                0x0A => out.extend_from_slice(&[0x5C, b'n' as u16]),
                0x0D => out.extend_from_slice(&[0x5C, b'r' as u16]),
                0x09 => out.extend_from_slice(&[0x5C, b't' as u16]),
                _ => hex(out, b as u16),
            }
        }
        out.push(b'"' as u16);
        return;
    }
    let mut i = 0;
    while i < n {
        let u = s.unit(i).unwrap_or(0);
        match u {
            0x22 => out.extend_from_slice(&[0x5C, 0x22]),
            0x5C => out.extend_from_slice(&[0x5C, 0x5C]),
            0x08 => out.extend_from_slice(&[0x5C, b'b' as u16]),
            0x0C => out.extend_from_slice(&[0x5C, b'f' as u16]),
            0x0A => out.extend_from_slice(&[0x5C, b'n' as u16]),
            0x0D => out.extend_from_slice(&[0x5C, b'r' as u16]),
            0x09 => out.extend_from_slice(&[0x5C, b't' as u16]),
            _ if u < 0x20 => hex(out, u),
            0xD800..=0xDBFF => match s.unit(i + 1).filter(|l| (0xDC00..=0xDFFF).contains(l)) {
                Some(lo) => {
                    out.push(u);
                    out.push(lo);
                    i += 1;
                }
                None => hex(out, u),
            },
            0xDC00..=0xDFFF => hex(out, u),
            _ => out.push(u),
        }
        i += 1;
    }
    out.push(b'"' as u16);
}

fn push_str(out: &mut Vec<u16>, s: &str) {
    out.extend(s.bytes().map(|b| b as u16));
}

impl Ser {
    /// SerializeJSONProperty: appends the value's text, or returns false for `undefined`
    /// (the property is left out).
    fn property(&mut self, vm: &mut Vm, holder: Value, key: PKey) -> Result<bool, Thrown> {
        let mut value = super::core::get_key(vm, holder, key)?;
        if value.as_heap::<Object>().is_some() {
            let f = vm.get(value, self.to_json)?;
            if vm.is_callable(f) {
                vm.root(value);
                let kv = vm.key_value(key);
                value = vm.call(f, value, &[kv])?;
            }
        }
        if !self.replacer.is_undefined() && self.list.is_none() {
            vm.root(value);
            let kv = vm.key_value(key);
            value = vm.call(self.replacer, holder, &[kv, value])?;
        }
        if let Some(ObjectClass::Boxed(b)) =
            value.as_heap::<Object>().as_ref().map(|o| &o.get().class)
        {
            let b = *b;
            if b.is_number() {
                value = Value::number(vm.to_number(value)?);
            } else if b.as_heap::<JsString>().is_some() {
                value = Value::heap(vm.to_string(value)?);
            } else if b.as_bool().is_some() {
                value = b;
            }
        }
        match value {
            Value::NULL => push_str(&mut self.out, "null"),
            Value::TRUE => push_str(&mut self.out, "true"),
            Value::FALSE => push_str(&mut self.out, "false"),
            _ => {
                if let Some(s) = value.as_heap::<JsString>() {
                    quote(&mut self.out, s.get());
                } else if let Some(n) = value.as_number() {
                    if n.is_finite() {
                        push_str(&mut self.out, &number_to_string(n));
                    } else {
                        push_str(&mut self.out, "null");
                    }
                } else if let Some(o) = value.as_heap::<Object>() {
                    if o.get().is_callable() {
                        return Ok(false);
                    }
                    vm.root(value);
                    if super::util::is_array(value) {
                        self.array(vm, key, o)?;
                    } else {
                        self.object(vm, key, o)?;
                    }
                } else {
                    return Ok(false);
                }
            }
        }
        if self.out.len() > MAX_LENGTH {
            return Err(vm.range_error("Invalid string length"));
        }
        Ok(true)
    }

    fn enter(&mut self, vm: &mut Vm, key: PKey, o: Gc<Object>) -> Result<(), Thrown> {
        if let Some(start) = self.stack.iter().position(|(_, s)| *s == o) {
            let msg = self.circular_message(vm, key, start);
            return Err(vm.type_error(&msg));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(vm.range_error("Maximum call stack size exceeded"));
        }
        self.stack.push((key, o));
        Ok(())
    }

    fn circular_message(&self, vm: &mut Vm, last: PKey, start: usize) -> String {
        let key_text = |vm: &mut Vm, k: PKey| match k {
            PKey::Index(i) => format!("index {i}"),
            PKey::Named(n) => {
                let t = vm.key_text(n);
                if t.is_empty() {
                    "<anonymous>".into()
                } else {
                    format!("property '{t}'")
                }
            }
        };
        let mut m = String::from("Converting circular structure to JSON");
        let n = self.stack.len();
        let mut index = start;
        let name = vm.class_name_of(self.stack[index].1);
        m.push_str(&format!(
            "\n    --> starting at object with constructor '{name}'"
        ));
        index += 1;
        let prefix_end = n.min(index + 2);
        let line = |vm: &mut Vm, m: &mut String, i: usize| {
            let (k, o) = self.stack[i];
            let kt = key_text(vm, k);
            let name = vm.class_name_of(o);
            m.push_str(&format!(
                "\n    |     {kt} -> object with constructor '{name}'"
            ));
        };
        while index < prefix_end {
            line(vm, &mut m, index);
            index += 1;
        }
        if n > index + 1 {
            m.push_str("\n    |     ...");
        }
        index = index.max(n - 1);
        while index < n {
            line(vm, &mut m, index);
            index += 1;
        }
        let kt = key_text(vm, last);
        m.push_str(&format!("\n    --- {kt} closes the circle"));
        m
    }

    fn newline(&mut self) {
        self.out.push(b'\n' as u16);
        self.out.extend_from_slice(&self.indent);
    }

    fn object(&mut self, vm: &mut Vm, key: PKey, o: Gc<Object>) -> Result<(), Thrown> {
        self.enter(vm, key, o)?;
        let stepback = self.indent.len();
        self.indent.extend_from_slice(&self.gap.clone());
        let keys = match &self.list {
            Some(l) => l.clone(),
            None => vm
                .own_keys(o, true)
                .into_iter()
                .filter(|k| !matches!(k, PKey::Named(n) if vm.realm.symbol_of(*n).is_some()))
                .collect(),
        };
        self.out.push(b'{' as u16);
        let mut any = false;
        for k in keys {
            let mark = vm.stack.len();
            let before = self.out.len();
            if any {
                self.out.push(b',' as u16);
            }
            if !self.gap.is_empty() {
                self.newline();
            }
            match k {
                PKey::Index(i) => quote(&mut self.out, &JsString::from_utf8(&i.to_string())),
                PKey::Named(n) => quote(&mut self.out, n.string().get()),
            }
            self.out.push(b':' as u16);
            if !self.gap.is_empty() {
                self.out.push(b' ' as u16);
            }
            if self.property(vm, Value::heap(o), k)? {
                any = true;
            } else {
                self.out.truncate(before);
            }
            vm.stack.truncate(mark);
        }
        self.indent.truncate(stepback);
        if any && !self.gap.is_empty() {
            self.newline();
        }
        self.out.push(b'}' as u16);
        self.stack.pop();
        Ok(())
    }

    fn array(&mut self, vm: &mut Vm, key: PKey, o: Gc<Object>) -> Result<(), Thrown> {
        self.enter(vm, key, o)?;
        let stepback = self.indent.len();
        self.indent.extend_from_slice(&self.gap.clone());
        let len = vm.length_of(Value::heap(o))?;
        self.out.push(b'[' as u16);
        for i in 0..len {
            let mark = vm.stack.len();
            if i > 0 {
                self.out.push(b',' as u16);
            }
            if !self.gap.is_empty() {
                self.newline();
            }
            if !self.property(vm, Value::heap(o), PKey::Index(i as u32))? {
                push_str(&mut self.out, "null");
            }
            vm.stack.truncate(mark);
        }
        self.indent.truncate(stepback);
        if len > 0 && !self.gap.is_empty() {
            self.newline();
        }
        self.out.push(b']' as u16);
        self.stack.pop();
        Ok(())
    }
}

fn stringify(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let (value, replacer, space) = (arg(a, 0), arg(a, 1), arg(a, 2));
    let mut ser = Ser {
        out: Vec::new(),
        replacer: Value::UNDEFINED,
        list: None,
        gap: Vec::new(),
        indent: Vec::new(),
        stack: Vec::new(),
        to_json: vm.intern("toJSON"),
    };
    if vm.is_callable(replacer) {
        ser.replacer = replacer;
    } else if super::util::is_array(replacer) {
        let len = vm.length_of(replacer)?;
        let mut list: Vec<PKey> = Vec::new();
        for i in 0..len {
            let v = vm.get_index(replacer, i as u32)?;
            let item = if v.as_heap::<JsString>().is_some() || v.is_number() {
                Some(vm.to_property_key(v)?)
            } else if let Some(ObjectClass::Boxed(b)) =
                v.as_heap::<Object>().as_ref().map(|o| &o.get().class)
            {
                if b.is_number() || b.as_heap::<JsString>().is_some() {
                    let s = vm.to_string(v)?;
                    Some(vm.to_property_key(Value::heap(s))?)
                } else {
                    None
                }
            } else {
                None
            };
            if let Some(k) = item {
                if !list.contains(&k) {
                    list.push(k);
                }
            }
        }
        ser.replacer = replacer;
        ser.list = Some(list);
    }
    let mut space = space;
    if let Some(ObjectClass::Boxed(b)) = space.as_heap::<Object>().as_ref().map(|o| &o.get().class)
    {
        let b = *b;
        if b.is_number() {
            space = Value::number(vm.to_number(space)?);
        } else if b.as_heap::<JsString>().is_some() {
            space = Value::heap(vm.to_string(space)?);
        }
    }
    if space.is_number() {
        let n = to_integer(vm, space)?.clamp(0.0, 10.0) as usize;
        ser.gap = vec![b' ' as u16; n];
    } else if let Some(s) = space.as_heap::<JsString>() {
        ser.gap = s.get().to_units().into_iter().take(10).collect();
    }
    let wrapper = vm.new_object();
    vm.root(Value::heap(wrapper));
    let empty: Key = vm.intern("");
    wrapper
        .get()
        .define(&mut vm.heap, empty, value, attrs::DEFAULT);
    if ser.property(vm, Value::heap(wrapper), PKey::Named(empty))? {
        Ok(vm.new_string_utf16(&ser.out))
    } else {
        Ok(Value::UNDEFINED)
    }
}
