//! `minijs --heap-diff A.heapsnapshot B.heapsnapshot`: the comparison Chrome DevTools' Memory
//! panel shows (per class: new, deleted, delta count, allocated and freed size; objects are
//! matched by snapshot id), printed in the terminal, and one retainer path for an instance of
//! the top growing class. Reads any V8-format snapshot: minijs's and node's alike
//! (../shared/spec/heapsnapshot.md; fields are looked up by name, as the consumers do).

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::path::Path;

/// A loaded snapshot: per node its class, id, size; the edges for retainer paths.
pub struct Snapshot {
    strings: Vec<String>,
    node_types: Vec<String>,
    edge_types: Vec<String>,
    /// Per node: (type, name, id, self_size, first edge).
    nodes: Vec<(u32, u32, u64, u64, usize)>,
    /// Per edge: (type, name_or_index, target ordinal).
    edges: Vec<(u32, u32, usize)>,
}

/// A minimal JSON value, for the header and the string table.
#[derive(Debug)]
enum Json {
    Null,
    Bool,
    Num,
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn strs(&self) -> Vec<String> {
        match self {
            Json::Arr(items) => items
                .iter()
                .map(|i| match i {
                    Json::Str(s) => s.clone(),
                    _ => String::new(),
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {}", self.i))
    }

    fn value(&mut self) -> Result<Json, String> {
        self.ws();
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut fields = Vec::new();
                loop {
                    self.ws();
                    if self.b.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        return Ok(Json::Obj(fields));
                    }
                    let Json::Str(k) = self.value()? else {
                        return self.err("expected a key");
                    };
                    self.ws();
                    if self.b.get(self.i) != Some(&b':') {
                        return self.err("expected ':'");
                    }
                    self.i += 1;
                    let v = self.value()?;
                    fields.push((k, v));
                    self.ws();
                    if self.b.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if self.b.get(self.i) == Some(&b']') {
                        self.i += 1;
                        return Ok(Json::Arr(items));
                    }
                    items.push(self.value()?);
                    self.ws();
                    if self.b.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                }
            }
            Some(b'"') => self.string().map(Json::Str),
            Some(b't') | Some(b'f') | Some(b'n') => {
                let null = self.b[self.i] == b'n';
                while self.i < self.b.len() && self.b[self.i].is_ascii_alphabetic() {
                    self.i += 1;
                }
                Ok(if null { Json::Null } else { Json::Bool })
            }
            Some(_) => {
                let start = self.i;
                while self.i < self.b.len()
                    && matches!(
                        self.b[self.i],
                        b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'
                    )
                {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.b[start..self.i]).unwrap_or("");
                match text.parse::<f64>() {
                    Ok(_) => Ok(Json::Num),
                    Err(_) => self.err("bad value"),
                }
            }
            None => self.err("unexpected end"),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.i += 1;
        let mut units: Vec<u16> = Vec::new();
        let mut out = String::new();
        let flush = |units: &mut Vec<u16>, out: &mut String| {
            if !units.is_empty() {
                out.push_str(&String::from_utf16_lossy(units));
                units.clear();
            }
        };
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return self.err("unterminated string");
            };
            match c {
                b'"' => {
                    self.i += 1;
                    flush(&mut units, &mut out);
                    return Ok(out);
                }
                b'\\' => {
                    let e = self.b.get(self.i + 1).copied().unwrap_or(b'"');
                    self.i += 2;
                    if e == b'u' {
                        let hex = self.b.get(self.i..self.i + 4).unwrap_or(b"0000");
                        let hex = std::str::from_utf8(hex).unwrap_or("0000");
                        units.push(u16::from_str_radix(hex, 16).unwrap_or(0xFFFD));
                        self.i += 4;
                        continue;
                    }
                    flush(&mut units, &mut out);
                    out.push(match e {
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        other => other as char,
                    });
                }
                _ => {
                    flush(&mut units, &mut out);
                    let start = self.i;
                    while self.i < self.b.len() && !matches!(self.b[self.i], b'"' | b'\\') {
                        self.i += 1;
                    }
                    out.push_str(&String::from_utf8_lossy(&self.b[start..self.i]));
                }
            }
        }
    }
}

/// The unsigned integers of the array after `"key":`, scanned by hand as the consumers do.
fn numbers(text: &[u8], key: &str) -> Result<Vec<u64>, String> {
    let pat = format!("\"{key}\":");
    let at = find(text, pat.as_bytes()).ok_or(format!("no \"{key}\""))?;
    let mut i = at + pat.len();
    while i < text.len() && text[i] != b'[' {
        i += 1;
    }
    i += 1;
    let mut out = Vec::new();
    let mut cur: Option<u64> = None;
    while i < text.len() && text[i] != b']' {
        let c = text[i];
        if c.is_ascii_digit() {
            cur = Some(cur.unwrap_or(0) * 10 + (c - b'0') as u64);
        } else if let Some(n) = cur.take() {
            out.push(n);
        }
        i += 1;
    }
    if let Some(n) = cur {
        out.push(n);
    }
    Ok(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

impl Snapshot {
    pub fn load(path: &Path) -> Result<Snapshot, String> {
        let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let at = |what: &str| format!("{}: {what}", path.display());
        let start = find(&text, b"\"snapshot\":").ok_or_else(|| at("not a heap snapshot"))?;
        let mut p = Parser {
            b: &text,
            i: start + 11,
        };
        let header = p.value().map_err(|e| at(&e))?;
        let meta = header.get("meta").ok_or_else(|| at("no meta"))?;
        let node_fields = meta.get("node_fields").map(Json::strs).unwrap_or_default();
        let edge_fields = meta.get("edge_fields").map(Json::strs).unwrap_or_default();
        let first = |j: Option<&Json>| match j {
            Some(Json::Arr(items)) => items.first().map(Json::strs).unwrap_or_default(),
            _ => Vec::new(),
        };
        let node_types = first(meta.get("node_types"));
        let edge_types = first(meta.get("edge_types"));
        let nf = |name: &str| node_fields.iter().position(|f| f == name);
        let ef = |name: &str| edge_fields.iter().position(|f| f == name);
        let (Some(nt), Some(nn), Some(ni), Some(ns), Some(ne)) = (
            nf("type"),
            nf("name"),
            nf("id"),
            nf("self_size"),
            nf("edge_count"),
        ) else {
            return Err(at("node_fields lack type/name/id/self_size/edge_count"));
        };
        let (Some(et), Some(en), Some(eto)) = (ef("type"), ef("name_or_index"), ef("to_node"))
        else {
            return Err(at("edge_fields lack type/name_or_index/to_node"));
        };
        let (nfc, efc) = (node_fields.len(), edge_fields.len());
        let raw_nodes = numbers(&text, "nodes").map_err(|e| at(&e))?;
        let raw_edges = numbers(&text, "edges").map_err(|e| at(&e))?;
        let strings_at = find(&text, b"\"strings\":").ok_or_else(|| at("no strings"))?;
        let mut p = Parser {
            b: &text,
            i: strings_at + 10,
        };
        let strings = p.value().map_err(|e| at(&e))?.strs();
        let mut nodes = Vec::with_capacity(raw_nodes.len() / nfc.max(1));
        let mut edge = 0usize;
        for n in raw_nodes.chunks_exact(nfc) {
            nodes.push((n[nt] as u32, n[nn] as u32, n[ni], n[ns], edge));
            edge += n[ne] as usize;
        }
        let edges = raw_edges
            .chunks_exact(efc)
            .map(|e| (e[et] as u32, e[en] as u32, e[eto] as usize / nfc))
            .collect();
        Ok(Snapshot {
            strings,
            node_types,
            edge_types,
            nodes,
            edges,
        })
    }

    fn str(&self, i: u32) -> &str {
        self.strings.get(i as usize).map_or("", |s| s.as_str())
    }

    fn node_type(&self, n: usize) -> &str {
        self.node_types
            .get(self.nodes[n].0 as usize)
            .map_or("", |s| s.as_str())
    }

    /// The class DevTools' Summary and Comparison views put a node in.
    fn class(&self, n: usize) -> String {
        let name = self.str(self.nodes[n].1);
        match self.node_type(n) {
            "hidden" => "(system)".into(),
            "array" => "(array)".into(),
            "string" | "concatenated string" | "sliced string" => "(string)".into(),
            "code" => "(compiled code)".into(),
            "closure" => "Function".into(),
            "regexp" => "RegExp".into(),
            "number" => "(number)".into(),
            "synthetic" => "(synthetic)".into(),
            "symbol" => "(symbol)".into(),
            "bigint" => "(bigint)".into(),
            "object shape" => "(object shape)".into(),
            _ => name.to_string(),
        }
    }

    /// How DevTools shows an instance: `name()` for closures, quoted strings, `name @id`.
    fn label(&self, n: usize) -> String {
        let (_, name, id, _, _) = self.nodes[n];
        let name = self.str(name);
        match self.node_type(n) {
            "closure" => format!("{name}() @{id}"),
            "string" => {
                let short: String = name.chars().take(40).collect();
                format!("{short:?} @{id}")
            }
            _ => format!("{name} @{id}"),
        }
    }

    fn edges_of(&self, n: usize) -> &[(u32, u32, usize)] {
        let start = self.nodes[n].4;
        let end = self
            .nodes
            .get(n + 1)
            .map_or(self.edges.len(), |next| next.4);
        &self.edges[start.min(self.edges.len())..end.min(self.edges.len())]
    }

    fn edge_label(&self, e: &(u32, u32, usize)) -> String {
        let ty = self.edge_types.get(e.0 as usize).map_or("", |s| s.as_str());
        match ty {
            "element" | "hidden" => format!("[{}]", e.1),
            "context" => format!("->{}", self.str(e.1)),
            "internal" => format!("{{{}}}", self.str(e.1)),
            _ => self.str(e.1).to_string(),
        }
    }

    /// A shortest path from the root (non-weak edges; user roots, i.e. the root's shortcut
    /// targets, searched first, as DevTools' distances do) to any node of `targets`.
    fn path_to(&self, targets: &HashSet<usize>) -> Option<Vec<(usize, Option<usize>)>> {
        let weak = self.edge_types.iter().position(|t| t == "weak");
        let shortcut = self.edge_types.iter().position(|t| t == "shortcut");
        let mut parent: Vec<Option<(usize, usize)>> = vec![None; self.nodes.len()];
        let mut seen = vec![false; self.nodes.len()];
        let mut queue = VecDeque::new();
        if self.nodes.is_empty() {
            return None;
        }
        seen[0] = true;
        // As DevTools' distances: everything reachable from the user roots (the root's
        // shortcut targets) first, then the rest of the root's children.
        let first_root_edge = self.nodes[0].4;
        let mut found = None;
        for phase in [true, false] {
            for (i, e) in self.edges_of(0).iter().enumerate() {
                if (Some(e.0 as usize) == shortcut) != phase
                    || Some(e.0 as usize) == weak
                    || e.2 >= self.nodes.len()
                    || seen[e.2]
                {
                    continue;
                }
                seen[e.2] = true;
                parent[e.2] = Some((0, first_root_edge + i));
                queue.push_back(e.2);
            }
            while let Some(n) = queue.pop_front() {
                if targets.contains(&n) {
                    found = Some(n);
                    break;
                }
                let first = self.nodes[n].4;
                for (i, e) in self.edges_of(n).iter().enumerate() {
                    if Some(e.0 as usize) == weak || e.2 >= self.nodes.len() || seen[e.2] {
                        continue;
                    }
                    seen[e.2] = true;
                    parent[e.2] = Some((n, first + i));
                    queue.push_back(e.2);
                }
            }
            if found.is_some() {
                break;
            }
        }
        let mut n = found?;
        // From the target back to the root; each retainer with its edge to the node before.
        let mut path = vec![(n, None)];
        while let Some((p, e)) = parent[n] {
            path.push((p, Some(e)));
            n = p;
        }
        Some(path)
    }
}

#[derive(Default, Clone)]
struct Row {
    new: u64,
    deleted: u64,
    alloc: u64,
    freed: u64,
    /// Function names of new minus deleted closures (for `Function`).
    names: HashMap<String, i64>,
}

fn group(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else if n > 0 {
        format!("+{out}")
    } else {
        out
    }
}

/// The comparison of `b` against the base `a`, as text: the top `top` classes by growth.
pub fn diff(a: &Snapshot, b: &Snapshot, top: usize) -> String {
    let ids_a: HashSet<u64> = a.nodes.iter().map(|n| n.2).collect();
    let ids_b: HashSet<u64> = b.nodes.iter().map(|n| n.2).collect();
    let mut rows: HashMap<String, Row> = HashMap::new();
    for (s, other, new) in [(b, &ids_a, true), (a, &ids_b, false)] {
        for (i, n) in s.nodes.iter().enumerate() {
            if n.3 == 0 || other.contains(&n.2) {
                continue;
            }
            let row = rows.entry(s.class(i)).or_default();
            let sign = if new { 1 } else { -1 };
            if new {
                row.new += 1;
                row.alloc += n.3;
            } else {
                row.deleted += 1;
                row.freed += n.3;
            }
            if s.node_type(i) == "closure" {
                *row.names.entry(s.str(n.1).to_string()).or_default() += sign;
            }
        }
    }
    let mut rows: Vec<(String, Row)> = rows.into_iter().collect();
    // Largest growth first (size delta, then count delta), as the checker's `compare`.
    rows.sort_by(|x, y| {
        let d = |r: &Row| r.new as i64 - r.deleted as i64;
        let s = |r: &Row| r.alloc as i64 - r.freed as i64;
        (s(&y.1), d(&y.1), &x.0).cmp(&(s(&x.1), d(&x.1), &y.0))
    });
    let mut out = String::new();
    let shared = ids_a.intersection(&ids_b).count();
    let _ = writeln!(
        out,
        "Base: {} nodes; compared: {} nodes; {} ids in both",
        a.nodes.len(),
        b.nodes.len(),
        shared
    );
    let _ = writeln!(
        out,
        "{:<32} {:>10} {:>10} {:>10} {:>14} {:>14} {:>14}",
        "Constructor", "# New", "# Deleted", "# Delta", "Alloc. Size", "Freed Size", "Size Delta"
    );
    for (class, r) in rows.iter().take(top) {
        let delta = r.new as i64 - r.deleted as i64;
        let size = r.alloc as i64 - r.freed as i64;
        let name: String = class.chars().take(32).collect();
        let _ = writeln!(
            out,
            "{:<32} {:>10} {:>10} {:>10} {:>14} {:>14} {:>14}",
            name,
            group(r.new as i64).trim_start_matches('+'),
            group(r.deleted as i64).trim_start_matches('+'),
            group(delta),
            group(r.alloc as i64).trim_start_matches('+'),
            group(r.freed as i64).trim_start_matches('+'),
            group(size)
        );
        let mut names: Vec<(&String, &i64)> = r.names.iter().filter(|(_, &d)| d != 0).collect();
        names.sort_by(|x, y| (y.1, x.0).cmp(&(x.1, y.0)));
        for (n, d) in names.into_iter().take(3) {
            let shown = if n.is_empty() { "(anonymous)" } else { n };
            let _ = writeln!(out, "  {:<30} {:>32}", format!("{shown}()"), group(*d));
        }
    }
    // One retainer path for a new instance of the top growing class (of its top name, for
    // functions).
    if let Some((class, r)) = rows.first().filter(|(_, r)| r.new > r.deleted) {
        let top_name = r
            .names
            .iter()
            .max_by(|x, y| (x.1, y.0).cmp(&(y.1, x.0)))
            .map(|(n, _)| n.clone());
        let targets: HashSet<usize> = (0..b.nodes.len())
            .filter(|&i| {
                !ids_a.contains(&b.nodes[i].2)
                    && b.nodes[i].3 > 0
                    && &b.class(i) == class
                    && top_name.as_ref().is_none_or(|t| b.str(b.nodes[i].1) == t)
            })
            .collect();
        match b.path_to(&targets) {
            Some(path) => {
                let _ = writeln!(
                    out,
                    "\nRetainers of {} (new {}):",
                    b.label(path[0].0),
                    class
                );
                let _ = writeln!(out, "  {}", b.label(path[0].0));
                for (n, e) in path.iter().skip(1) {
                    if *n == 0 {
                        break;
                    }
                    let e = e.map(|e| b.edge_label(&b.edges[e])).unwrap_or_default();
                    let _ = writeln!(out, "    {e} in {}", b.label(*n));
                }
            }
            None => {
                let _ = writeln!(out, "\nNo retainer path from the root to a new {class}.");
            }
        }
    }
    out
}
