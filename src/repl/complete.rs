//! Tab completion, after node's REPL (../shared/spec/node-compat.md §4.2): dot-commands,
//! `require('…')` module names, global names and keywords, and the properties of the
//! expression before a dot (own ones, then each prototype's).
//!
//! The answer has node's shape: the candidates with an empty string between groups (the
//! farthest prototype's group first, the value's own properties last, each sorted) and
//! `complete_on`, the end of the line the candidates replace. Matching is case-insensitive,
//! as node's is.
//!
//! The expression before the dot is evaluated only when it cannot run user code: an
//! identifier, `this` or a literal (`[]`, `''`, `1`, `{}`, template without substitutions)
//! followed by member accesses (`a.b`, `a?.b`, `a['b']`, `a[0]`). Data properties are read
//! directly; an accessor's getter is called only when it is the runtime's own (a native
//! function, such as a lazily loaded module's); a JavaScript getter is never called (node
//! v20 does call it), so `obj.viaGetter.<Tab>` completes nothing.

use crate::syntax::ast::{ArrayElem, Expr, ExprKind, MemberProp, Prop, PropKey, StmtKind};
use crate::vm::interp::Vm;
use crate::vm::object::{attrs, Object, ObjectClass};
use crate::vm::ops::PKey;
use crate::vm::string::JsString;
use crate::vm::value::Value;

/// What a completion request answers.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The candidates, groups separated by `""` (node's order).
    pub completions: Vec<String>,
    /// The text at the end of the line that each candidate replaces.
    pub complete_on: String,
}

impl Completion {
    /// The candidates without the group separators.
    pub fn candidates(&self) -> Vec<&str> {
        self.completions
            .iter()
            .filter(|c| !c.is_empty())
            .map(String::as_str)
            .collect()
    }
}

/// The words node adds to the global names (those that are not global properties).
const KEYWORDS: &[&str] = &[
    "async",
    "await",
    "break",
    "case",
    "catch",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "null",
    "return",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

/// Object.prototype's legacy accessor methods, which node leaves out of completions.
const LEGACY: &[&str] = &[
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
];

/// The longest line looked at (a pasted program is not completed).
const MAX_LINE: usize = 1000;
/// How far back the expression before a dot may start.
const MAX_EXPR: usize = 200;

/// Completes `line` (the text before the cursor). `commands` are the dot-command names
/// (without the dot); `modules` the names `require` completes.
pub fn complete(vm: &mut Vm, line: &str, commands: &[&str], modules: &[&str]) -> Completion {
    let line = line.trim_start();
    if line.len() > MAX_LINE {
        return Completion::default();
    }
    // `.he` → `.help`
    if let Some(word) = line.strip_prefix('.') {
        if word.chars().all(is_word_char) {
            let group = commands.iter().map(|c| c.to_string()).collect();
            return merge(vec![group], word, word);
        }
    }
    if let Some(partial) = require_argument(line) {
        let names: Vec<String> = modules.iter().map(|m| m.to_string()).collect();
        let prefixed: Vec<String> = modules
            .iter()
            .filter(|m| !m.starts_with("node:"))
            .map(|m| format!("node:{m}"))
            .collect();
        return merge(vec![names, prefixed], partial, partial);
    }
    match line.chars().last() {
        None => {}
        Some(c) if is_word_char(c) || c == '.' => {}
        Some(_) => return Completion::default(),
    }
    let word_start = line
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(line.len(), |(i, _)| i);
    let filter = &line[word_start..];
    if filter.starts_with(|c: char| c.is_ascii_digit()) {
        return Completion::default();
    }
    let before = &line[..word_start];
    let Some(before_dot) = before.strip_suffix('.') else {
        if !filter.is_empty() || line.is_empty() {
            return merge(global_groups(vm, !filter.is_empty()), filter, filter);
        }
        return Completion::default();
    };
    let (before_dot, chaining) = match before_dot.strip_suffix('?') {
        Some(b) => (b, "?."),
        None => (before_dot, "."),
    };
    let mark = vm.host_roots.len();
    let result = member_completion(vm, before_dot, chaining, filter);
    vm.host_roots.truncate(mark);
    result.unwrap_or_default()
}

fn member_completion(vm: &mut Vm, text: &str, chaining: &str, filter: &str) -> Option<Completion> {
    let (expr_text, expr) = simple_expression(text)?;
    let value = eval_simple(vm, &expr)?;
    let groups = member_groups(vm, value);
    if groups.is_empty() {
        return None;
    }
    let prefix = format!("{expr_text}{chaining}");
    let groups = groups
        .into_iter()
        .map(|g| g.into_iter().map(|m| format!("{prefix}{m}")).collect())
        .collect();
    let complete_on = format!("{prefix}{filter}");
    Some(merge(groups, &complete_on, &complete_on))
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$' || (!c.is_ascii() && is_id_continue(c))
}

fn is_id_continue(c: char) -> bool {
    unicode_ident::is_xid_continue(c) || c == '\u{200c}' || c == '\u{200d}'
}

/// Whether a property name can follow a dot (node's `isIdentifier`).
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first == '$' || first == '_' || unicode_ident::is_xid_start(first))
        && chars.all(|c| c == '$' || is_id_continue(c))
}

/// `require('ht` → `ht`: the partial module name when the line ends inside the string
/// argument of a `require` call.
fn require_argument(line: &str) -> Option<&str> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || "_@./:-".contains(c);
    let quote_at = line
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name(*c) || matches!(c, '\'' | '"' | '`'))
        .find(|(_, c)| matches!(c, '\'' | '"' | '`'))
        .map(|(i, _)| i)?;
    let partial = &line[quote_at + 1..];
    if !partial.chars().all(is_name) {
        return None;
    }
    let before = line[..quote_at].trim_end().strip_suffix('(')?.trim_end();
    let head = before.strip_suffix("require")?;
    if head.chars().last().is_some_and(is_word_char) {
        return None;
    }
    Some(partial)
}

/// Filters (case-insensitively), sorts and merges the groups as node does: each group sorted,
/// names already in a closer group dropped, the closest group (the first) last, `""` between
/// groups.
fn merge(groups: Vec<Vec<String>>, filter: &str, complete_on: &str) -> Completion {
    let lower = filter.to_lowercase();
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<Vec<String>> = Vec::new();
    for mut group in groups {
        if !filter.is_empty() {
            group.retain(|s| s.to_lowercase().starts_with(&lower));
        }
        group.sort_by(|a, b| utf16_cmp(a, b));
        let kept: Vec<String> = group
            .into_iter()
            .filter(|s| !s.is_empty() && seen.insert(s.clone()))
            .collect();
        if !kept.is_empty() {
            out.push(kept);
        }
    }
    let mut completions = Vec::new();
    for (i, g) in out.into_iter().rev().enumerate() {
        if i > 0 {
            completions.push(String::new());
        }
        completions.extend(g);
    }
    Completion {
        completions,
        complete_on: complete_on.to_string(),
    }
}

/// JavaScript's string order (UTF-16 code units).
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The global names: the global object's prototypes' names, its own names, and (when
/// something was typed) the keywords.
fn global_groups(vm: &mut Vm, with_keywords: bool) -> Vec<Vec<String>> {
    let global = vm.global;
    let mut groups = Vec::new();
    let mut p = global.get().proto();
    while let Some(o) = p {
        groups.push(own_names(vm, o));
        p = o.get().proto();
    }
    let mut own = own_names(vm, global);
    // The runtime's hidden helpers are not for users.
    own.retain(|n| !n.starts_with("__minijs_"));
    groups.push(own);
    if with_keywords {
        groups.push(KEYWORDS.iter().map(|k| k.to_string()).collect());
    }
    groups
}

/// node's `filteredOwnPropertyNames`: own string keys (enumerable or not, no indices) that
/// are identifiers, plus the ones V8 stores and minijs computes (`length`, `name`, …).
fn own_names(vm: &mut Vm, o: crate::gc::Gc<Object>) -> Vec<String> {
    let mut out = Vec::new();
    for k in vm.own_keys(o, false) {
        let PKey::Named(n) = k else { continue };
        if vm.realm.symbol_of(n).is_some() {
            continue;
        }
        let s = n.string().get().to_rust_string();
        if is_identifier(&s) {
            out.push(s);
        }
    }
    let names = &vm.realm.names;
    let (lk, nk, pk) = (names.length, names.name, names.prototype);
    let has = |k| o.get().get_own(k).is_some();
    let mut add = |name: &str| {
        if !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    };
    if o == vm.realm.string_proto {
        // A String object of length 0 in V8.
        add("length");
    }
    match &o.get().class {
        ObjectClass::Array => add("length"),
        ObjectClass::Boxed(b) if b.as_heap::<JsString>().is_some() => add("length"),
        ObjectClass::Closure { code, .. } => {
            let kind = code.get().kind;
            if !has(lk) {
                add("length");
            }
            if !has(nk) {
                add("name");
            }
            if kind == crate::vm::function::FnKind::Normal {
                add("arguments");
                add("caller");
            }
            if kind.is_constructor() && !has(pk) {
                add("prototype");
            }
        }
        ObjectClass::Native { .. } | ObjectClass::Bound { .. } => {
            if !has(lk) {
                add("length");
            }
            if !has(nk) {
                add("name");
            }
        }
        _ => {}
    }
    if o == vm.realm.object_proto {
        out.retain(|n| !LEGACY.contains(&n.as_str()));
    }
    out
}

/// The groups of names of a value: its own (for an object), then up to five prototypes'.
fn member_groups(vm: &mut Vm, v: Value) -> Vec<Vec<String>> {
    let mut groups = Vec::new();
    let mut p = match v.as_heap::<Object>() {
        Some(o) => {
            groups.push(own_names(vm, o));
            o.get().proto()
        }
        None if v.is_nullish() || v == Value::HOLE => return groups,
        None => Some(vm.proto_of_primitive(v)),
    };
    let mut sentinel = 5;
    while let Some(o) = p {
        if sentinel == 0 {
            break;
        }
        sentinel -= 1;
        groups.push(own_names(vm, o));
        p = o.get().proto();
    }
    groups
}

// ---- The expression before the dot ----

/// The longest end of `text` that is a side-effect-free expression: its text (trimmed) and
/// its syntax tree.
fn simple_expression(text: &str) -> Option<(String, Expr)> {
    let text = text.trim_end();
    if text.is_empty() {
        return None;
    }
    let floor = text.len().saturating_sub(MAX_EXPR);
    for (i, c) in text.char_indices() {
        if i < floor || c.is_whitespace() {
            continue;
        }
        let candidate = &text[i..];
        let Ok(program) = crate::syntax::parse(&format!("({candidate}\n)")) else {
            continue;
        };
        let [stmt] = program.body.as_slice() else {
            continue;
        };
        let StmtKind::Expr(e) = &stmt.kind else {
            continue;
        };
        let ExprKind::Paren(inner) = &e.kind else {
            continue;
        };
        if is_simple(inner) {
            return Some((candidate.to_string(), (**inner).clone()));
        }
    }
    None
}

/// Literals, identifiers, `this` and member accesses with literal keys.
fn is_simple(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Ident(_)
        | ExprKind::This
        | ExprKind::Number(_)
        | ExprKind::String(_)
        | ExprKind::Bool(_)
        | ExprKind::Null => true,
        ExprKind::Template(t) => t.exprs.is_empty(),
        ExprKind::Paren(inner) | ExprKind::OptionalChain(inner) => is_simple(inner),
        ExprKind::Array(elems) => elems.iter().all(|el| match el {
            ArrayElem::Hole => true,
            ArrayElem::Expr(x) => is_simple(x),
            ArrayElem::Spread(_) => false,
        }),
        ExprKind::Object(props) => props.iter().all(|p| match p {
            Prop::Init(k, v) => {
                !matches!(k, PropKey::Computed(_) | PropKey::Private(_)) && is_simple(v)
            }
            _ => false,
        }),
        ExprKind::Member { object, prop, .. } => {
            is_simple(object)
                && match prop {
                    MemberProp::Name(_) => true,
                    MemberProp::Computed(k) => {
                        matches!(k.kind, ExprKind::Number(_) | ExprKind::String(_))
                    }
                    MemberProp::Private(_) => false,
                }
        }
        _ => false,
    }
}

/// Evaluates a simple expression (see `is_simple`); `None` when it throws or would run a
/// JavaScript getter. Every value made is rooted (the caller truncates `host_roots`).
fn eval_simple(vm: &mut Vm, e: &Expr) -> Option<Value> {
    let v = match &e.kind {
        ExprKind::Ident(name) => read_property(vm, Value::heap(vm.global), name)?,
        ExprKind::This => Value::heap(vm.global),
        ExprKind::Number(n) => Value::number(*n),
        ExprKind::String(s) => vm.new_string_utf16(&s.0),
        ExprKind::Bool(b) => {
            if *b {
                Value::TRUE
            } else {
                Value::FALSE
            }
        }
        ExprKind::Null => Value::NULL,
        ExprKind::Template(t) => {
            let cooked = t.quasis.first()?.cooked.as_ref()?;
            vm.new_string_utf16(&cooked.0)
        }
        ExprKind::Paren(inner) | ExprKind::OptionalChain(inner) => eval_simple(vm, inner)?,
        ExprKind::Array(elems) => {
            let mut items = Vec::new();
            for el in elems {
                items.push(match el {
                    ArrayElem::Expr(x) => eval_simple(vm, x)?,
                    _ => Value::HOLE,
                });
            }
            Value::heap(vm.new_array(items))
        }
        ExprKind::Object(props) => {
            let o = vm.new_object();
            vm.host_roots.push(Value::heap(o));
            for p in props {
                let Prop::Init(k, x) = p else { return None };
                let name = match k {
                    PropKey::Ident(n) => n.to_string(),
                    PropKey::String(s) => String::from_utf16_lossy(&s.0),
                    PropKey::Number(n) => crate::vm::value::number_to_string(*n),
                    _ => return None,
                };
                let v = eval_simple(vm, x)?;
                let key = vm.intern(&name);
                o.get().define(&mut vm.heap, key, v, attrs::DEFAULT);
            }
            Value::heap(o)
        }
        ExprKind::Member { object, prop, .. } => {
            let base = eval_simple(vm, object)?;
            let name = match prop {
                MemberProp::Name(id) => id.name.to_string(),
                MemberProp::Computed(k) => match &k.kind {
                    ExprKind::Number(n) => crate::vm::value::number_to_string(*n),
                    ExprKind::String(s) => String::from_utf16_lossy(&s.0),
                    _ => return None,
                },
                MemberProp::Private(_) => return None,
            };
            read_property(vm, base, &name)?
        }
        _ => return None,
    };
    vm.host_roots.push(v);
    Some(v)
}

/// `base[name]` without running JavaScript: data properties, the runtime's native getters,
/// a string's length and characters. `None` for a JavaScript getter, a missing binding
/// (a global that does not exist), a binding in its TDZ, or a nullish base.
fn read_property(vm: &mut Vm, base: Value, name: &str) -> Option<Value> {
    if base.is_nullish() || base == Value::HOLE {
        return None;
    }
    if let Some(s) = base.as_heap::<JsString>() {
        if name == "length" {
            return Some(Value::int(s.get().len() as i32));
        }
        if let Ok(i) = name.parse::<u32>() {
            let u = s.get().unit(i as usize)?;
            return Some(vm.single_unit_string(u));
        }
    }
    let start = match base.as_heap::<Object>() {
        Some(o) => o,
        None => vm.proto_of_primitive(base),
    };
    if let Ok(i) = name.parse::<u32>() {
        if i.to_string() == name {
            return match start.get().get_index(i) {
                Some(v) if v != Value::HOLE => Some(v),
                _ => None,
            };
        }
    }
    let key = vm.intern(name);
    let is_global = base == Value::heap(vm.global);
    let mut cur = Some(start);
    while let Some(o) = cur {
        if let Some((v, a)) = o.get().get_own(key) {
            if a & attrs::ACCESSOR == 0 {
                return (v != Value::HOLE).then_some(v);
            }
            let getter = v
                .as_heap::<Object>()
                .and_then(|pair| match &pair.get().class {
                    ObjectClass::Accessor { get, .. } => Some(*get),
                    _ => None,
                })?;
            let native = getter
                .as_heap::<Object>()
                .is_some_and(|g| matches!(g.get().class, ObjectClass::Native { .. }));
            if !native {
                return None;
            }
            vm.host_roots.push(base);
            let r = vm.call(getter, base, &[]);
            return r.ok();
        }
        cur = o.get().proto();
    }
    if is_global {
        // A ReferenceError in node: nothing to complete.
        return None;
    }
    Some(Value::UNDEFINED)
}
