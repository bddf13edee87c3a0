//! `OrderedTable`: the entries of a Map, Set, WeakMap or WeakSet — insertion-ordered, keyed by
//! SameValueZero, with iterators that stay valid while the table changes under them.
//!
//! Entries live in a vector in insertion order; a delete leaves a tombstone, and the vector is
//! compacted when tombstones outnumber live entries. Live iteration (entries added during a
//! `forEach` are visited, deleted ones are not) needs positions that survive compaction: like
//! V8's OrderedHashTable, each compaction (or `clear`) starts a new *generation* and records in
//! the old one how positions moved. Iterators hold the generation they last saw (an `Rc`, so a
//! record lives exactly as long as some iterator still needs it) and catch up on their next
//! step. The records hold no heap values, so the collector never sees them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::object::trace_value;
use super::string::JsString;
use super::value::Value;
use crate::gc::{EdgeName, Gc, Tracer};

/// A key under SameValueZero: numbers by their value (`-0` is `+0`, every NaN the same),
/// strings by content, everything else by identity.
#[derive(Clone, Copy)]
enum TableKey {
    Bits(u64),
    Str(Gc<JsString>),
}

impl PartialEq for TableKey {
    fn eq(&self, other: &TableKey) -> bool {
        match (self, other) {
            (TableKey::Bits(a), TableKey::Bits(b)) => a == b,
            (TableKey::Str(a), TableKey::Str(b)) => a == b || a.get().same_units(b.get()),
            _ => false,
        }
    }
}

impl Eq for TableKey {}

impl std::hash::Hash for TableKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            TableKey::Bits(b) => b.hash(state),
            TableKey::Str(s) => s.get().hash().hash(state),
        }
    }
}

/// The key a value is stored under, and the value itself normalised (`-0` → `+0`).
fn table_key(v: Value) -> (TableKey, Value) {
    if let Some(n) = v.as_number() {
        let n = if n == 0.0 { 0.0 } else { n };
        let norm = if n.fract() == 0.0 && n.abs() < 2147483648.0 {
            Value::int(n as i32)
        } else {
            Value::number(n)
        };
        return (TableKey::Bits(Value::number(n).bits()), norm);
    }
    if let Some(s) = v.as_heap::<JsString>() {
        return (TableKey::Str(s), v);
    }
    (TableKey::Bits(v.bits()), v)
}

/// How positions moved when a generation ended.
enum Transition {
    /// The old positions that were removed (ascending): a position moves down by the number
    /// of removed positions before it.
    Compacted(Vec<usize>),
    /// Everything was removed.
    Cleared,
}

#[derive(Default)]
pub struct Generation {
    next: RefCell<Option<(Rc<Generation>, Rc<Transition>)>>,
}

/// An iteration position that survives compaction.
#[derive(Clone)]
pub struct Cursor {
    generation: Rc<Generation>,
    pos: usize,
}

#[derive(Default)]
pub struct OrderedTable {
    entries: Vec<Option<(Value, Value)>>,
    index: HashMap<TableKey, usize>,
    live: usize,
    generation: Rc<Generation>,
}

impl OrderedTable {
    pub fn new() -> OrderedTable {
        OrderedTable::default()
    }

    /// The number of entries (`size`).
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    pub fn get(&self, key: Value) -> Option<Value> {
        let (k, _) = table_key(key);
        self.index
            .get(&k)
            .and_then(|&i| self.entries[i].map(|(_, v)| v))
    }

    pub fn has(&self, key: Value) -> bool {
        self.index.contains_key(&table_key(key).0)
    }

    /// Adds or updates an entry (an update keeps the entry's place in the order).
    pub fn set(&mut self, key: Value, value: Value) {
        let (k, key) = table_key(key);
        if let Some(&i) = self.index.get(&k) {
            if let Some(e) = &mut self.entries[i] {
                e.1 = value;
            }
            return;
        }
        self.index.insert(k, self.entries.len());
        self.entries.push(Some((key, value)));
        self.live += 1;
    }

    pub fn delete(&mut self, key: Value) -> bool {
        let (k, _) = table_key(key);
        let Some(i) = self.index.remove(&k) else {
            return false;
        };
        self.entries[i] = None;
        self.live -= 1;
        let dead = self.entries.len() - self.live;
        if dead > 16 && dead > self.live {
            self.compact();
        }
        true
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.index.clear();
        self.live = 0;
        self.end_generation(Transition::Cleared);
    }

    fn compact(&mut self) {
        let mut removed = Vec::new();
        let mut kept = Vec::with_capacity(self.live);
        for (i, e) in self.entries.drain(..).enumerate() {
            match e {
                Some(e) => kept.push(Some(e)),
                None => removed.push(i),
            }
        }
        self.entries = kept;
        self.index.clear();
        for (i, e) in self.entries.iter().enumerate() {
            if let Some((k, _)) = e {
                self.index.insert(table_key(*k).0, i);
            }
        }
        self.end_generation(Transition::Compacted(removed));
    }

    fn end_generation(&mut self, t: Transition) {
        let next = Rc::new(Generation::default());
        *self.generation.next.borrow_mut() = Some((next.clone(), Rc::new(t)));
        self.generation = next;
    }

    /// A cursor at the first entry.
    pub fn cursor(&self) -> Cursor {
        Cursor {
            generation: self.generation.clone(),
            pos: 0,
        }
    }

    /// The entry at or after the cursor, advancing it past that entry.
    pub fn next(&self, c: &mut Cursor) -> Option<(Value, Value)> {
        loop {
            let step = c.generation.next.borrow().clone();
            let Some((next, t)) = step else { break };
            c.pos = match &*t {
                Transition::Cleared => 0,
                Transition::Compacted(removed) => c.pos - removed.partition_point(|&r| r < c.pos),
            };
            c.generation = next;
        }
        while c.pos < self.entries.len() {
            let e = self.entries[c.pos];
            c.pos += 1;
            if e.is_some() {
                return e;
            }
        }
        None
    }

    pub fn trace(&self, t: &mut dyn Tracer) {
        for (k, v) in self.entries.iter().flatten() {
            trace_value(t, EdgeName::Internal("key"), *k, None);
            trace_value(t, EdgeName::Internal("value"), *v, None);
        }
    }

    /// A WeakMap's or WeakSet's entries, as ephemerons: a value is reachable through the
    /// table only while its key is reachable elsewhere.
    pub fn trace_weak(&self, t: &mut dyn Tracer) {
        for (k, v) in self.entries.iter().flatten() {
            match super::object::value_gc(*k) {
                Some(kg) => t.ephemeron(kg, super::object::value_gc(*v)),
                None => {
                    trace_value(t, EdgeName::Internal("key"), *k, None);
                    trace_value(t, EdgeName::Internal("value"), *v, None);
                }
            }
        }
    }

    /// Drops the entries whose keys the collector found dead.
    pub fn clear_dead(&mut self, is_live: &dyn Fn(crate::gc::AnyGc) -> bool) {
        let dead: Vec<Value> = self
            .entries
            .iter()
            .flatten()
            .filter(|(k, _)| super::object::value_gc(*k).is_some_and(|g| !is_live(g)))
            .map(|(k, _)| *k)
            .collect();
        for k in dead {
            self.delete(k);
        }
    }

    /// Bytes owned outside the object cell.
    pub fn heap_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<Option<(Value, Value)>>()
            + self.index.capacity() * (std::mem::size_of::<(TableKey, usize)>() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iteration_survives_deletes_compaction_and_clear() {
        let mut t = OrderedTable::new();
        for i in 0..100 {
            t.set(Value::int(i), Value::int(i * 10));
        }
        let mut c = t.cursor();
        assert_eq!(t.next(&mut c).map(|e| e.0), Some(Value::int(0)));
        assert_eq!(t.next(&mut c).map(|e| e.0), Some(Value::int(1)));
        // Delete most entries: compaction happens; the cursor still lands on 50.
        for i in 0..50 {
            t.delete(Value::int(i));
        }
        for i in 51..90 {
            t.delete(Value::int(i));
        }
        assert!(t.entries.len() < 100, "compacted");
        assert_eq!(t.next(&mut c).map(|e| e.0), Some(Value::int(50)));
        assert_eq!(t.next(&mut c).map(|e| e.0), Some(Value::int(90)));
        t.clear();
        t.set(Value::int(7), Value::UNDEFINED);
        assert_eq!(t.next(&mut c).map(|e| e.0), Some(Value::int(7)));
        assert_eq!(t.next(&mut c), None);
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn keys_compare_by_same_value_zero() {
        let mut t = OrderedTable::new();
        t.set(Value::number(-0.0), Value::int(1));
        assert_eq!(t.get(Value::int(0)), Some(Value::int(1)));
        t.set(Value::number(f64::NAN), Value::int(2));
        assert_eq!(t.get(Value::number(f64::NAN)), Some(Value::int(2)));
        t.set(Value::number(1.0), Value::int(3));
        assert_eq!(t.get(Value::int(1)), Some(Value::int(3)));
        assert_eq!(t.len(), 3);
        let mut c = t.cursor();
        let first = t.next(&mut c).map(|e| e.0).and_then(|k| k.as_number());
        assert!(first.is_some_and(|n| n == 0.0 && n.is_sign_positive()));
    }
}
