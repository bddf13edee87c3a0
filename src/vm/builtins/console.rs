//! `console`: log/info/debug/dir to stdout, error/warn/trace/assert to stderr, formatted with
//! `util.format`/`util.inspect` (src/vm/inspect.rs), plus group indentation and counters.
//!
//! stdout is buffered (`Vm::out`); every write to stderr flushes it first, so output that
//! interleaves the two streams appears in program order on a terminal.

use std::io::Write;

use crate::vm::inspect::{format_args, inspect, InspectOptions};
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, Object};
use crate::vm::realm::arg;
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

const GROUP_KEY: &str = "console.groupIndent";
const COUNTS_KEY: &str = "console.counts";
const TIMERS_KEY: &str = "console.timers";

/// Milliseconds on a monotonic clock (console.time).
fn now_ms() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1000.0
}

/// node's formatTime: `0.041ms`, `1.234s`, `1:02.345 (m:ss.mmm)`.
fn format_time(ms: f64) -> String {
    if ms >= 60_000.0 {
        let hours = (ms / 3_600_000.0).floor();
        let rest = ms % 3_600_000.0;
        let minutes = (rest / 60_000.0).floor();
        let seconds = (rest % 60_000.0) / 1000.0;
        let text = format!("{seconds:06.3}");
        return if hours > 0.0 {
            format!("{hours}:{minutes:02}:{text} (h:mm:ss.mmm)")
        } else {
            format!("{minutes}:{text} (m:ss.mmm)")
        };
    }
    if ms >= 1000.0 {
        return format!("{:.3}s", ms / 1000.0);
    }
    let rounded = (ms * 1000.0).round() / 1000.0;
    format!("{}ms", crate::vm::value::number_to_string(rounded))
}

fn time_label(vm: &mut Vm, a: &[Value]) -> Result<String, Thrown> {
    let v = arg(a, 0);
    if v.is_undefined() {
        Ok("default".into())
    } else {
        vm.to_rust_string(v)
    }
}

/// A process warning (through process.emitWarning when the runtime is there).
fn warn(vm: &mut Vm, text: &str) -> Result<(), Thrown> {
    let global = Value::heap(vm.global);
    let pk = vm.intern("process");
    let process = vm.get(global, pk)?;
    if process.as_heap::<Object>().is_some() {
        let wk = vm.intern("emitWarning");
        let f = vm.get(process, wk)?;
        if vm.is_callable(f) {
            let m = vm.new_string(text);
            vm.call(f, process, &[m])?;
            return Ok(());
        }
    }
    write_line(vm, &format!("Warning: {text}"), true);
    Ok(())
}

fn timers_table(vm: &mut Vm) -> Value {
    vm.realm
        .extra
        .get(TIMERS_KEY)
        .copied()
        .unwrap_or(Value::UNDEFINED)
}

fn time(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let label = time_label(vm, a)?;
    let table = timers_table(vm);
    let k = vm.intern(&label);
    if let Some(t) = table.as_heap::<Object>() {
        if t.get().get_own(k).is_some() {
            warn(
                vm,
                &format!("Label '{label}' already exists for console.time()"),
            )?;
            return Ok(Value::UNDEFINED);
        }
        t.get().define(
            &mut vm.heap,
            k,
            Value::number(now_ms()),
            crate::vm::object::attrs::DEFAULT,
        );
    }
    Ok(Value::UNDEFINED)
}

fn elapsed(vm: &mut Vm, label: &str, method: &str) -> Result<Option<f64>, Thrown> {
    let table = timers_table(vm);
    let k = vm.intern(label);
    let start = table
        .as_heap::<Object>()
        .and_then(|t| t.get().get_own(k))
        .and_then(|(v, _)| v.as_number());
    match start {
        Some(s) => Ok(Some(now_ms() - s)),
        None => {
            warn(
                vm,
                &format!("No such label '{label}' for console.{method}()"),
            )?;
            Ok(None)
        }
    }
}

fn time_end(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let label = time_label(vm, a)?;
    if let Some(ms) = elapsed(vm, &label, "timeEnd")? {
        let table = timers_table(vm);
        let k = vm.intern(&label);
        if let Some(t) = table.as_heap::<Object>() {
            t.get().delete(&vm.heap, k);
        }
        write_line(vm, &format!("{label}: {}", format_time(ms)), false);
    }
    Ok(Value::UNDEFINED)
}

fn time_log(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let label = time_label(vm, a)?;
    if let Some(ms) = elapsed(vm, &label, "timeLog")? {
        let mut line = format!("{label}: {}", format_time(ms));
        for v in a.iter().skip(1) {
            line.push(' ');
            let text = match v.as_heap::<crate::vm::string::JsString>() {
                Some(s) => s.get().to_rust_string(),
                None => vm.inspect_value(*v),
            };
            line.push_str(&text);
        }
        write_line(vm, &line, false);
    }
    Ok(Value::UNDEFINED)
}

pub fn install(vm: &mut Vm) {
    let console = vm.new_object();
    vm.define_native(console, "log", 0, log);
    vm.define_native(console, "info", 0, log);
    vm.define_native(console, "debug", 0, log);
    vm.define_native(console, "error", 0, error);
    vm.define_native(console, "warn", 0, error);
    vm.define_native(console, "dir", 0, dir);
    vm.define_native(console, "trace", 0, trace);
    vm.define_native(console, "assert", 0, assert);
    vm.define_native(console, "count", 0, count);
    vm.define_native(console, "countReset", 0, count_reset);
    vm.define_native(console, "group", 0, group);
    vm.define_native(console, "groupCollapsed", 0, group);
    vm.define_native(console, "groupEnd", 0, group_end);
    vm.define_native(console, "table", 1, table);
    vm.define_native(console, "time", 0, time);
    vm.define_native(console, "timeEnd", 0, time_end);
    vm.define_native(console, "timeLog", 0, time_log);
    let timers = vm.new_object_with_proto(None);
    vm.realm.extra.insert(TIMERS_KEY, Value::heap(timers));
    let counts = vm.new_object_with_proto(None);
    vm.realm.extra.insert(COUNTS_KEY, Value::heap(counts));
    vm.realm.extra.insert(GROUP_KEY, Value::int(0));
    let global = vm.global;
    vm.define_hidden(global, "console", Value::heap(console));
}

/// Writes one console line (group indentation applied) to stdout or stderr.
pub fn write_line(vm: &mut Vm, text: &str, stderr: bool) {
    let indent = vm
        .realm
        .extra
        .get(GROUP_KEY)
        .and_then(|v| v.as_int())
        .unwrap_or(0)
        .max(0) as usize;
    let mut line = String::with_capacity(text.len() + indent + 1);
    if indent > 0 {
        let pad = " ".repeat(indent);
        line.push_str(&pad);
        line.push_str(&text.replace('\n', &format!("\n{pad}")));
    } else {
        line.push_str(text);
    }
    line.push('\n');
    if stderr {
        vm.out.write_err(line.as_bytes());
    } else {
        let _ = vm.out.write_all(line.as_bytes());
    }
}

fn log(vm: &mut Vm, _this: Value, args: &[Value]) -> R {
    let s = format_args(vm, args)?;
    write_line(vm, &s, false);
    Ok(Value::UNDEFINED)
}

fn error(vm: &mut Vm, _this: Value, args: &[Value]) -> R {
    let s = format_args(vm, args)?;
    write_line(vm, &s, true);
    Ok(Value::UNDEFINED)
}

/// The options object of `console.dir` / `util.inspect`.
pub fn read_options(vm: &mut Vm, o: Value) -> Result<InspectOptions, Thrown> {
    let mut opts = InspectOptions::default();
    if o.as_heap::<Object>().is_none() {
        return Ok(opts);
    }
    let read = |vm: &mut Vm, name: &str| -> Result<Value, Thrown> {
        let k = vm.intern(name);
        vm.get(o, k)
    };
    let depth = read(vm, "depth")?;
    if depth.is_null() {
        opts.depth = f64::INFINITY;
    } else if let Some(d) = depth.as_number() {
        opts.depth = d;
    }
    let sh = read(vm, "showHidden")?;
    if !sh.is_undefined() {
        opts.show_hidden = crate::vm::interp::to_boolean(sh);
    }
    let count = |v: Value, default: usize| match v.as_number() {
        Some(n) if n.is_nan() => default,
        Some(n) if n <= 0.0 => 0,
        Some(n) if n == f64::INFINITY => usize::MAX,
        Some(n) => n as usize,
        None if v.is_null() => usize::MAX,
        None => default,
    };
    let b = read(vm, "breakLength")?;
    opts.break_length = count(b, opts.break_length);
    let m = read(vm, "maxArrayLength")?;
    opts.max_array_length = count(m, opts.max_array_length);
    let m = read(vm, "maxStringLength")?;
    opts.max_string_length = count(m, opts.max_string_length);
    let col = read(vm, "colors")?;
    if !col.is_undefined() {
        opts.colors = crate::vm::interp::to_boolean(col);
    }
    let c = read(vm, "compact")?;
    if let Some(n) = c.as_number() {
        opts.compact = n.max(0.0) as usize;
    }
    Ok(opts)
}

fn dir(vm: &mut Vm, _this: Value, args: &[Value]) -> R {
    let opts = read_options(vm, arg(args, 1))?;
    let s = inspect(vm, arg(args, 0), &opts);
    write_line(vm, &s, false);
    Ok(Value::UNDEFINED)
}

fn trace(vm: &mut Vm, _this: Value, args: &[Value]) -> R {
    let msg = format_args(vm, args)?;
    let mut s = if msg.is_empty() {
        "Trace".to_string()
    } else {
        format!("Trace: {msg}")
    };
    for line in vm.stack_frames(10) {
        s.push('\n');
        s.push_str(&line);
    }
    write_line(vm, &s, true);
    Ok(Value::UNDEFINED)
}

fn assert(vm: &mut Vm, _this: Value, args: &[Value]) -> R {
    if crate::vm::interp::to_boolean(arg(args, 0)) {
        return Ok(Value::UNDEFINED);
    }
    let mut rest: Vec<Value> = args.iter().skip(1).copied().collect();
    if rest.is_empty() {
        let v = vm.new_string("Assertion failed");
        rest.push(v);
    } else {
        // `Assertion failed: ${args[0]}`: the first argument through String().
        let first = vm.to_rust_string(rest[0])?;
        rest[0] = vm.new_string(&format!("Assertion failed: {first}"));
    }
    let mark = vm.stack.len();
    vm.root(rest[0]);
    let s = format_args(vm, &rest);
    vm.stack.truncate(mark);
    write_line(vm, &s?, true);
    Ok(Value::UNDEFINED)
}

fn label_of(vm: &mut Vm, args: &[Value]) -> Result<String, Thrown> {
    let l = arg(args, 0);
    if l.is_undefined() {
        Ok("default".into())
    } else {
        vm.to_rust_string(l)
    }
}

fn counts(vm: &Vm) -> Option<crate::gc::Gc<Object>> {
    vm.realm
        .extra
        .get(COUNTS_KEY)
        .and_then(|v| v.as_heap::<Object>())
}

fn count(vm: &mut Vm, _this: Value, args: &[Value]) -> R {
    let label = label_of(vm, args)?;
    let Some(table) = counts(vm) else {
        return Ok(Value::UNDEFINED);
    };
    let k = vm.intern(&label);
    let n = table
        .get()
        .get_own(k)
        .and_then(|(v, _)| v.as_int())
        .unwrap_or(0)
        + 1;
    table
        .get()
        .define(&mut vm.heap, k, Value::int(n), attrs::DEFAULT);
    write_line(vm, &format!("{label}: {n}"), false);
    Ok(Value::UNDEFINED)
}

fn count_reset(vm: &mut Vm, _this: Value, args: &[Value]) -> R {
    let label = label_of(vm, args)?;
    if let Some(table) = counts(vm) {
        let k = vm.intern(&label);
        table.get().delete(&vm.heap, k);
    }
    Ok(Value::UNDEFINED)
}

fn group(vm: &mut Vm, this: Value, args: &[Value]) -> R {
    if !args.is_empty() {
        log(vm, this, args)?;
    }
    let n = vm
        .realm
        .extra
        .get(GROUP_KEY)
        .and_then(|v| v.as_int())
        .unwrap_or(0);
    vm.realm.extra.insert(GROUP_KEY, Value::int(n + 2));
    Ok(Value::UNDEFINED)
}

fn group_end(vm: &mut Vm, _this: Value, _args: &[Value]) -> R {
    let n = vm
        .realm
        .extra
        .get(GROUP_KEY)
        .and_then(|v| v.as_int())
        .unwrap_or(0);
    vm.realm.extra.insert(GROUP_KEY, Value::int((n - 2).max(0)));
    Ok(Value::UNDEFINED)
}

// ---- console.table (node's lib/internal/console/constructor.js and cli_table.js) ----

/// A cell: node's `_inspect` for table values. An object with more than two keys shows as
/// `[Object]` (depth -1), others at depth 0; arrays show at most 3 items; one line.
fn table_cell(vm: &mut Vm, v: Value) -> Result<String, Thrown> {
    let mut depth = 0.0;
    if let Some(o) = v.as_heap::<Object>() {
        if !super::util::is_array(v) && string_keys(vm, o).len() > 2 {
            depth = -1.0;
        }
    }
    let opts = InspectOptions {
        depth,
        max_array_length: 3,
        break_length: usize::MAX,
        ..InspectOptions::default()
    };
    Ok(inspect(vm, v, &opts))
}

/// The property key a string names (an array index, or a name).
fn pkey_of(vm: &mut Vm, s: &str) -> crate::vm::ops::PKey {
    match s.parse::<u32>() {
        Ok(n) if n.to_string() == s && n != u32::MAX => crate::vm::ops::PKey::Index(n),
        _ => crate::vm::ops::PKey::Named(vm.intern(s)),
    }
}

/// `Object.keys(o)` as Rust strings.
fn string_keys(vm: &mut Vm, o: crate::gc::Gc<Object>) -> Vec<String> {
    let keys = vm.own_keys(o, true);
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        match k {
            crate::vm::ops::PKey::Index(i) => out.push(i.to_string()),
            crate::vm::ops::PKey::Named(k) => {
                if vm.realm.symbol_of(k).is_none() {
                    let v = vm.key_value(crate::vm::ops::PKey::Named(k));
                    if let Some(s) = v.as_heap::<crate::vm::string::JsString>() {
                        out.push(s.get().to_rust_string());
                    }
                }
            }
        }
    }
    out
}

/// The columns of a table: their heads and their (sparse) cells, in node's `map` object's key
/// order (array-index keys ascending first, then the others as first seen).
#[derive(Default)]
struct Columns {
    heads: Vec<String>,
    cells: Vec<Vec<Option<String>>>,
}

impl Columns {
    fn column(&mut self, head: &str) -> &mut Vec<Option<String>> {
        let i = match self.heads.iter().position(|h| h == head) {
            Some(i) => i,
            None => {
                self.heads.push(head.to_string());
                self.cells.push(Vec::new());
                self.heads.len() - 1
            }
        };
        &mut self.cells[i]
    }

    fn set(&mut self, head: &str, row: usize, text: String) {
        let c = self.column(head);
        if c.len() <= row {
            c.resize(row + 1, None);
        }
        c[row] = Some(text);
    }

    fn ordered(self) -> (Vec<String>, Vec<Vec<Option<String>>>) {
        let index = |h: &str| -> Option<u32> {
            let n: u32 = h.parse().ok()?;
            (n.to_string() == h && n != u32::MAX).then_some(n)
        };
        let mut cols: Vec<(String, Vec<Option<String>>)> =
            self.heads.into_iter().zip(self.cells).collect();
        // A stable sort: indices ascending, the others keep their order.
        cols.sort_by_key(|(h, _)| match index(h) {
            Some(n) => (0, n),
            None => (1, 0),
        });
        cols.into_iter().unzip()
    }
}

/// cli_table.js: box-drawing table, cells left-aligned and padded to the column width.
fn render_table(head: &[String], columns: &[Vec<Option<String>>]) -> String {
    use crate::vm::inspect::string_width;
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths: Vec<usize> = head.iter().map(|h| string_width(h)).collect();
    for (i, c) in columns.iter().enumerate() {
        for cell in c.iter().flatten() {
            widths[i] = widths[i].max(string_width(cell));
        }
    }
    let render = |cells: &mut dyn Iterator<Item = &str>| {
        let mut out = String::from("│ ");
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                out.push_str(" │ ");
            }
            out.push_str(cell);
            out.push_str(&" ".repeat(widths[i] - string_width(cell)));
        }
        out.push_str(" │");
        out
    };
    let divider = |l: &str, m: &str, r: &str| {
        let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        format!("{l}{}{r}", parts.join(m))
    };
    let mut out = divider("┌", "┬", "┐");
    out.push('\n');
    out.push_str(&render(&mut head.iter().map(String::as_str)));
    out.push('\n');
    out.push_str(&divider("├", "┼", "┤"));
    out.push('\n');
    for r in 0..rows {
        let mut cells = columns
            .iter()
            .map(|c| c.get(r).and_then(|x| x.as_deref()).unwrap_or(""));
        out.push_str(&render(&mut cells));
        out.push('\n');
    }
    out.push_str(&divider("└", "┴", "┘"));
    out
}

fn table(vm: &mut Vm, this: Value, args: &[Value]) -> R {
    let data = arg(args, 0);
    let props = arg(args, 1);
    let mark = vm.stack.len();
    let r = table_inner(vm, this, data, props);
    vm.stack.truncate(mark);
    r
}

fn table_inner(vm: &mut Vm, this: Value, data: Value, props: Value) -> R {
    let properties: Option<Vec<String>> = if props.is_undefined() {
        None
    } else if super::util::is_array(props) {
        let lk = vm.realm.names.length;
        let len = vm.get(props, lk)?.as_number().unwrap_or(0.0) as u32;
        let mut out = Vec::with_capacity(len as usize);
        for i in 0..len {
            let v = vm.get_index(props, i)?;
            out.push(vm.to_rust_string(v)?);
        }
        Some(out)
    } else {
        let shown = vm.inspect_value(props);
        let rec = crate::runtime::timers::describe_received(vm, props, &shown);
        let e = vm.type_error(&format!(
            "The \"properties\" argument must be an instance of Array. Received {rec}"
        ));
        if let Some(o) = e.value.as_heap::<Object>() {
            let k = vm.intern("code");
            let c = vm.new_string("ERR_INVALID_ARG_TYPE");
            o.get().define(&mut vm.heap, k, c, attrs::DEFAULT);
        }
        return Err(e);
    };
    let Some(obj) = data.as_heap::<Object>() else {
        return log(vm, this, &[data]);
    };
    let index_array =
        |n: usize| -> Vec<Option<String>> { (0..n).map(|i| Some(i.to_string())).collect() };
    let head = |names: &[&str]| -> Vec<String> { names.iter().map(|s| s.to_string()).collect() };
    // Map and Set iterators show what they have left (V8's previewEntries): a Map's
    // entries() as Key/Values, anything else as Values (a Set's entries() flattened).
    let preview = super::collections::iter_preview(obj.get()).map(|(map, pairs, items)| {
        if map && pairs {
            crate::vm::inspect::Collection::Map(items.chunks(2).map(|p| (p[0], p[1])).collect())
        } else {
            crate::vm::inspect::Collection::Set(items)
        }
    });
    if let Some(c) = preview.or_else(|| crate::vm::inspect::collection_of(obj.get())) {
        match &c {
            crate::vm::inspect::Collection::Map(entries) => {
                for (k, v) in entries {
                    vm.root(*k);
                    vm.root(*v);
                }
            }
            crate::vm::inspect::Collection::Set(items) => {
                for v in items {
                    vm.root(*v);
                }
            }
        }
        let text = match c {
            crate::vm::inspect::Collection::Map(entries) => {
                let mut keys = Vec::with_capacity(entries.len());
                let mut values = Vec::with_capacity(entries.len());
                for (k, v) in &entries {
                    keys.push(Some(table_cell(vm, *k)?));
                    values.push(Some(table_cell(vm, *v)?));
                }
                render_table(
                    &head(&["(iteration index)", "Key", "Values"]),
                    &[index_array(entries.len()), keys, values],
                )
            }
            crate::vm::inspect::Collection::Set(items) => {
                let mut values = Vec::with_capacity(items.len());
                for v in &items {
                    values.push(Some(table_cell(vm, *v)?));
                }
                render_table(
                    &head(&["(iteration index)", "Values"]),
                    &[index_array(items.len()), values],
                )
            }
        };
        write_line(vm, &text, false);
        return Ok(Value::UNDEFINED);
    }
    let index_keys = string_keys(vm, obj);
    let mut columns = Columns::default();
    let mut primitives: Vec<Option<String>> = Vec::new();
    let mut has_primitives = false;
    for (i, key) in index_keys.iter().enumerate() {
        let k = pkey_of(vm, key);
        let k = vm.key_value(k);
        let item = vm.get_value(data, k)?;
        vm.root(item);
        let item_obj = item.as_heap::<Object>();
        match (&properties, item_obj) {
            (None, None) => {
                has_primitives = true;
                if primitives.len() <= i {
                    primitives.resize(i + 1, None);
                }
                primitives[i] = Some(table_cell(vm, item)?);
            }
            (Some(props), None) => {
                for p in props {
                    columns.set(p, i, String::new());
                }
            }
            (props, Some(o)) => {
                let keys = match props {
                    Some(p) => p.clone(),
                    None => string_keys(vm, o),
                };
                for p in &keys {
                    let pkey = pkey_of(vm, p);
                    let text = if vm.has_own(o, pkey) {
                        let kv = vm.key_value(pkey);
                        let v = vm.get_value(item, kv)?;
                        table_cell(vm, v)?
                    } else {
                        String::new()
                    };
                    columns.set(p, i, text);
                }
            }
        }
    }
    let (mut heads, mut cells) = columns.ordered();
    if has_primitives {
        heads.push("Values".into());
        cells.push(primitives);
    }
    heads.insert(0, "(index)".into());
    cells.insert(0, index_keys.into_iter().map(Some).collect());
    let text = render_table(&heads, &cells);
    write_line(vm, &text, false);
    Ok(Value::UNDEFINED)
}
