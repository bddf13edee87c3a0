//! The REPL (`minijs` with no script on a terminal, or `minijs -i`), after node's
//! (../shared/spec/node-compat.md §4): `> ` and `... ` prompts (input that ends early
//! continues on the next line), the result echoed through util.inspect (in color on a
//! terminal), `_` and `_error`, `Uncaught …` errors without the REPL's own frames, the
//! dot-commands (`.editor` on a terminal), Ctrl+C / Ctrl+D, tab completion
//! (`repl/complete.rs`) and the history file (`repl/history.rs`). Each input is a classic
//! script (`REPLn`), so declarations persist as globals.
//!
//! The event loop runs while the prompt waits (`repl/event_loop.rs`): timers fire, servers
//! answer, memwatch's events are emitted, and what their callbacks print appears above the
//! prompt without disturbing the line being typed (`repl/term.rs`: rustyline runs on a thread
//! of its own; all JavaScript stays on this one).
//!
//! Not yet: the inline preview, top-level `await`.

pub mod complete;
pub mod event_loop;
pub mod history;
pub mod term;

use std::io::{BufRead, Write};
use std::rc::Rc;
use std::sync::mpsc;

use crate::gc::Gc;
use crate::runtime;
use crate::source::SourceFile;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::Object;
use crate::vm::value::Value;

pub use complete::Completion;
use event_loop::{Waited, WakeSlot};
use term::{Input, Terminal};

/// The result of evaluating one input.
enum Eval {
    /// The parse stopped at the end of the input: wait for more lines.
    Incomplete,
    Done(Result<Value, Thrown>),
    /// A syntax error, already rendered.
    SyntaxError(String),
}

/// What the REPL does after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Exit(i32),
}

pub struct Repl {
    vm: Vm,
    counter: usize,
    /// The physical lines entered (for `.save`).
    session: Vec<String>,
    /// Results in color (a terminal).
    colors: bool,
    /// On a terminal: `.editor` exists, `.load` echoes the file.
    tty: bool,
    /// The input so far of a multi-line entry (or of `.editor`).
    buffer: String,
    /// In `.editor` mode.
    editor: bool,
    /// The last input was Ctrl+C on an empty line.
    saw_ctrl_c: bool,
    /// Unhandled rejections and callbacks' exceptions met while draining the jobs of the last
    /// input (or while it awaited): node's REPL prints the input's value, then `Uncaught` and
    /// each of these (their values are kept rooted in host_roots until shown).
    reports: Vec<Thrown>,
}

const HELP: &[(&str, &str)] = &[
    (".break", "Sometimes you get stuck, this gets you out"),
    (".clear", "Alias for .break"),
    (".exit", "Exit the REPL"),
    (".help", "Print this help message"),
    (".load", "Load JS from a file into the REPL session"),
    (
        ".save",
        "Save all evaluated commands in this REPL session to a file",
    ),
];

const EDITOR_BANNER: &str = "// Entering editor mode (Ctrl+D to finish, Ctrl+C to cancel)\n";
const CTRL_C_HINT: &str = "(To exit, press Ctrl+C again or Ctrl+D or type .exit)\n";

type NativeFn = crate::vm::object::NativeFn;

/// A module global's getter and setter (natives are plain functions: one pair per name).
macro_rules! module_globals {
    ($($name:literal),*) => {
        &[$((
            $name,
            (|vm, _, _| module_global(vm, $name)) as NativeFn,
            (|vm, _, a| {
                let global = vm.global;
                vm.define_hidden(global, $name, crate::vm::realm::arg(a, 0));
                Ok(Value::UNDEFINED)
            }) as NativeFn,
        )),*]
    };
}

/// The built-in modules the REPL also offers as globals, loaded on first use (node's REPL
/// does this for its built-ins); assigning to one makes it an ordinary global.
const MODULE_GLOBALS: &[(&str, NativeFn, NativeFn)] =
    module_globals!("assert", "events", "fs", "http", "os", "path", "timers", "util", "v8");

/// `_` (the last result) and `_error` (the last exception), as node's: accessors over a
/// hidden global; assigning to one prints that the REPL stops updating it, once.
struct Last {
    name: &'static str,
    /// The hidden global holding the value.
    slot: &'static str,
    /// The hidden global set once the user assigned the name.
    assigned: &'static str,
    get: NativeFn,
    set: NativeFn,
}

const LAST: Last = Last {
    name: "_",
    slot: "__minijs_repl_last",
    assigned: "__minijs_repl_last_assigned",
    get: |vm, _, _| read_global(vm, LAST.slot),
    set: |vm, _, a| assign_last(vm, &LAST, crate::vm::realm::arg(a, 0)),
};

const LAST_ERROR: Last = Last {
    name: "_error",
    slot: "__minijs_repl_last_error",
    assigned: "__minijs_repl_last_error_assigned",
    get: |vm, _, _| read_global(vm, LAST_ERROR.slot),
    set: |vm, _, a| assign_last(vm, &LAST_ERROR, crate::vm::realm::arg(a, 0)),
};

fn read_global(vm: &mut Vm, name: &str) -> Result<Value, Thrown> {
    let k = vm.intern(name);
    Ok(vm
        .global
        .get()
        .get_own(k)
        .map_or(Value::UNDEFINED, |(v, _)| v))
}

/// The user assigned `_` or `_error`.
fn assign_last(vm: &mut Vm, last: &Last, v: Value) -> Result<Value, Thrown> {
    let global = vm.global;
    vm.define_hidden(global, last.slot, v);
    if read_global(vm, last.assigned)? != Value::TRUE {
        vm.define_hidden(global, last.assigned, Value::TRUE);
        let msg = format!("Expression assignment to {} now disabled.\n", last.name);
        let _ = vm.out.write_all(msg.as_bytes());
    }
    Ok(Value::UNDEFINED)
}

/// The REPL records a result or an exception (unless the user assigned the name).
fn set_last(vm: &mut Vm, last: &Last, v: Value) {
    if read_global(vm, last.assigned).ok() != Some(Value::TRUE) {
        let global = vm.global;
        vm.define_hidden(global, last.slot, v);
    }
}

/// The getter of a module global: loads the module and replaces itself with it.
fn module_global(vm: &mut Vm, name: &str) -> Result<Value, Thrown> {
    let m = runtime::modules::load_builtin(vm, name)?;
    let global = vm.global;
    vm.define_hidden(global, name, m);
    Ok(m)
}

/// The names `require('…')` completes.
const MODULE_NAMES: &[&str] = &[
    "assert",
    "events",
    "fs",
    "heapdump",
    "http",
    "memwatch-next",
    "os",
    "path",
    "timers",
    "util",
    "v8",
];

impl Repl {
    pub fn new(mut vm: Vm) -> Repl {
        let exe = std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "minijs".into());
        runtime::install(&mut vm, vec![exe]);
        vm.module_mode = false;
        vm.repl_mode = true;
        let cwd = std::env::current_dir()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let require = runtime::modules::make_require(&mut vm, &cwd);
        let global = vm.global;
        vm.define_hidden(global, "require", require);
        for last in [&LAST, &LAST_ERROR] {
            let g = vm.new_native(last.name, 0, last.get, false);
            let s = vm.new_native(last.name, 1, last.set, false);
            let k = vm.intern(last.name);
            vm.define_accessor(
                global,
                k,
                Value::heap(g),
                Value::heap(s),
                crate::vm::object::attrs::CONFIGURABLE,
            );
        }
        for (name, getter, setter) in MODULE_GLOBALS {
            let g = vm.new_native(name, 0, *getter, false);
            let s = vm.new_native(name, 1, *setter, false);
            let k = vm.intern(name);
            vm.define_accessor(
                global,
                k,
                Value::heap(g),
                Value::heap(s),
                crate::vm::object::attrs::CONFIGURABLE,
            );
        }
        Repl {
            vm,
            counter: 0,
            session: Vec::new(),
            colors: false,
            tty: false,
            buffer: String::new(),
            editor: false,
            saw_ctrl_c: false,
            reports: Vec::new(),
        }
    }

    /// Completes the text before the cursor (what Tab does).
    pub fn complete(&mut self, line: &str) -> Completion {
        let mut commands: Vec<&str> = vec!["break", "clear", "exit", "help", "load", "save"];
        if self.tty {
            commands.insert(2, "editor");
        }
        complete::complete(&mut self.vm, line, &commands, MODULE_NAMES)
    }

    /// The prompt for the next line.
    pub fn prompt(&self) -> &'static str {
        if self.editor {
            ""
        } else if self.buffer.is_empty() {
            "> "
        } else {
            "... "
        }
    }

    /// The VM (for an embedder's checks).
    pub fn vm(&mut self) -> &mut Vm {
        &mut self.vm
    }

    /// Evaluates one input; `last`: no more lines can follow (an input that ends early is a
    /// syntax error then, as after Ctrl+D in `.editor` mode).
    fn eval(&mut self, text: &str, last: bool) -> Eval {
        // `{a: 1}` is tried as an expression first.
        let trimmed = text.trim_start();
        let wrapped;
        let source = if trimmed.starts_with('{') && !trimmed.trim_end().ends_with(';') {
            wrapped = format!("({})", text.trim_end());
            if crate::syntax::parse(&wrapped).is_ok() {
                wrapped.as_str()
            } else {
                text
            }
        } else {
            text
        };
        self.counter += 1;
        let file = SourceFile::new(format!("REPL{}", self.counter), source.to_string());
        // Top-level `await`: an input that parses only as an async body runs as one, and its
        // value is what the promise it returns settles with.
        let mut top_level_await = false;
        let parsed = match crate::syntax::parse(&file.text) {
            Err(e) if file.text.contains("await") => {
                match crate::syntax::parse_top_level_await(&file.text) {
                    Ok(p) => {
                        top_level_await = true;
                        Ok(p)
                    }
                    Err(_) => Err(e),
                }
            }
            r => r,
        };
        let program = match parsed {
            Ok(p) => p,
            Err(e) => {
                if !last && e.span.start as usize >= file.text.trim_end().len() {
                    self.counter -= 1;
                    return Eval::Incomplete;
                }
                let report = crate::diagnostics::syntax_error_report(&file, &e);
                // The REPL shows the line and a caret range, then `Uncaught SyntaxError`.
                let mut lines: Vec<&str> = report.lines().skip(1).collect();
                if let Some(last) = lines.last_mut() {
                    let owned = format!("Uncaught {last}");
                    let mut out: Vec<String> = lines[..lines.len() - 1]
                        .iter()
                        .map(|s| s.to_string())
                        .collect();
                    out.push(owned);
                    return Eval::SyntaxError(out.join("\n"));
                }
                return Eval::SyntaxError(report);
            }
        };
        let proto = match crate::vm::compiler::compile_script_with(&program, top_level_await) {
            Ok(p) => p,
            Err(crate::vm::compiler::CompileError::Unsupported { what, .. }) => {
                return Eval::SyntaxError(format!(
                    "Uncaught SyntaxError: minijs cannot run {what} yet"
                ))
            }
            Err(crate::vm::compiler::CompileError::TooManyRegisters { .. }) => {
                return Eval::SyntaxError(
                    "Uncaught RangeError: this function needs too many registers".into(),
                )
            }
        };
        let code = self.vm.load(&Rc::new(file), proto);
        let r = self.vm.run_script(code);
        let r = match r {
            Ok(v) => {
                self.vm.host_roots.push(v);
                let promise = v.as_heap::<Object>().filter(|_| top_level_await);
                if let Some(p) = promise {
                    // Its rejection is the input's error, not an unhandled rejection.
                    self.vm
                        .perform_then(p, Value::UNDEFINED, Value::UNDEFINED, None);
                }
                let mut t = runtime::drain_ticks(&mut self.vm);
                // memwatch's events (the loop's job in a script) come after each input.
                if t.is_ok() && self.vm.host.memwatch.is_some() {
                    t = runtime::memwatch::process_records(&mut self.vm)
                        .and_then(|_| runtime::drain_ticks(&mut self.vm));
                }
                let r = match t {
                    Err(e) if e.site.as_ref().is_some_and(|(f, _)| f.name.is_empty()) => {
                        // An unhandled rejection (runtime::unhandled_rejection's site).
                        self.report(e);
                        Ok(v)
                    }
                    t => t.map(|_| v),
                };
                let r = match (r, promise) {
                    (Ok(_), Some(p)) => self.settle(p),
                    (r, _) => r,
                };
                self.vm.host_roots.pop();
                r
            }
            Err(e) => Err(e),
        };
        Eval::Done(r)
    }

    /// Keeps an exception to print after the input's value.
    fn report(&mut self, t: Thrown) {
        self.vm.host_roots.push(t.value);
        self.reports.push(t);
    }

    /// Runs the event loop until the promise of a top-level-`await` input settles: its value,
    /// or its reason thrown. Callbacks' exceptions meanwhile are reported after the value.
    /// When nothing is left that could settle it (no timer, immediate or socket), node's REPL
    /// would wait for Ctrl+C; minijs gives the pending promise back instead.
    fn settle(&mut self, p: Gc<Object>) -> Result<Value, Thrown> {
        loop {
            match self.vm.promise_state(p) {
                Some((1, v)) => return Ok(v),
                Some((2, reason)) => return Err(Thrown::new(reason)),
                None => return Ok(Value::heap(p)),
                Some(_) => {}
            }
            if self.vm.host.exit_requested.is_some() {
                return Ok(Value::heap(p));
            }
            let mut errors = Vec::new();
            event_loop::run_due(&mut self.vm, &mut |vm, t| {
                vm.host_roots.push(t.value);
                errors.push(t);
            });
            for t in errors {
                self.vm.host_roots.pop();
                self.report(t);
            }
            if !matches!(self.vm.promise_state(p), Some((0, _))) {
                continue;
            }
            let timeout = event_loop::timeout(&self.vm);
            if self.vm.host.net.active() {
                self.vm.flush();
                if let Err(t) = runtime::net::poll_once(&mut self.vm, timeout) {
                    self.report(t);
                }
                if let Err(t) = runtime::drain_ticks(&mut self.vm) {
                    self.report(t);
                }
            } else if let Some(t) = timeout {
                self.vm.flush();
                std::thread::sleep(t);
            } else {
                return Ok(Value::heap(p));
            }
        }
    }

    /// The text to print after an evaluation.
    fn show(&mut self, r: Result<Value, Thrown>) -> String {
        let mut text = self.show_one(r);
        let reports = std::mem::take(&mut self.reports);
        let n = reports.len();
        for t in reports {
            let after = self.show_one(Err(t));
            text = format!("{text}\n{after}");
        }
        // The reports' values stayed rooted while they were inspected.
        for _ in 0..n {
            self.vm.host_roots.pop();
        }
        text
    }

    fn show_one(&mut self, r: Result<Value, Thrown>) -> String {
        match r {
            Ok(v) => {
                set_last(&mut self.vm, &LAST, v);
                let opts = crate::vm::inspect::InspectOptions {
                    colors: self.colors,
                    ..Default::default()
                };
                crate::vm::inspect::inspect(&mut self.vm, v, &opts)
            }
            Err(t) => uncaught_text(&mut self.vm, t),
        }
    }

    /// Handles one line as typed: a dot-command, a line of a multi-line input, or a complete
    /// input to evaluate. Returns what to print (each line ending in a newline).
    pub fn feed(&mut self, line: &str) -> (String, Flow) {
        if self.editor {
            self.buffer.push_str(line);
            self.buffer.push('\n');
            self.session.push(line.to_string());
            return (String::new(), Flow::Continue);
        }
        self.saw_ctrl_c = false;
        if is_command(line) {
            if let Some(r) = self.command(line) {
                return r;
            }
            if self.buffer.is_empty() {
                self.session.push(line.to_string());
                return ("Invalid REPL keyword\n".into(), Flow::Continue);
            }
        }
        if self.buffer.is_empty() && line.trim().is_empty() {
            return (String::new(), Flow::Continue);
        }
        self.session.push(line.to_string());
        self.buffer.push_str(line);
        self.buffer.push('\n');
        let text = std::mem::take(&mut self.buffer);
        self.run_input(text, false)
    }

    /// Ctrl+D in `.editor` mode: evaluates what was entered, with `last` as its last line.
    pub fn end_editor(&mut self, last: &str) -> (String, Flow) {
        self.editor = false;
        self.session.push(last.to_string());
        let mut text = std::mem::take(&mut self.buffer);
        text.push_str(last);
        text.push('\n');
        if text.trim().is_empty() {
            return (String::new(), Flow::Continue);
        }
        self.run_input(text, true)
    }

    /// Ctrl+C: abandons the input in progress (and `.editor` mode); on an empty line, the
    /// first time prints the hint, the second time exits.
    pub fn interrupt(&mut self, line_empty: bool) -> (String, Flow) {
        let nothing = self.buffer.is_empty() && line_empty;
        self.editor = false;
        self.buffer.clear();
        if nothing {
            if self.saw_ctrl_c {
                return (String::new(), Flow::Exit(0));
            }
            self.saw_ctrl_c = true;
            return (CTRL_C_HINT.into(), Flow::Continue);
        }
        self.saw_ctrl_c = false;
        (String::new(), Flow::Continue)
    }

    /// Evaluates a complete input (or keeps it for more lines) and formats the outcome.
    fn run_input(&mut self, text: String, last: bool) -> (String, Flow) {
        let out = match self.eval(&text, last) {
            Eval::Incomplete => {
                self.buffer = text;
                return (String::new(), Flow::Continue);
            }
            Eval::Done(r) => self.show(r),
            Eval::SyntaxError(s) => s,
        };
        self.vm.flush();
        if let Some(code) = self.vm.host.exit_requested {
            return (String::new(), Flow::Exit(code));
        }
        (format!("{out}\n"), Flow::Continue)
    }

    /// Handles a known dot-command; `None` for an unknown one.
    fn command(&mut self, line: &str) -> Option<(String, Flow)> {
        let t = line.trim();
        let (cmd, arg) = match t.find(char::is_whitespace) {
            Some(i) => (&t[..i], t[i..].trim()),
            None => (t, ""),
        };
        let out = match cmd {
            ".exit" => return Some((String::new(), Flow::Exit(0))),
            ".break" | ".clear" => {
                self.buffer.clear();
                String::new()
            }
            ".editor" if self.tty => {
                self.editor = true;
                EDITOR_BANNER.into()
            }
            ".help" => {
                let mut entries: Vec<(&str, &str)> = HELP.to_vec();
                if self.tty {
                    entries.insert(2, (".editor", "Enter editor mode"));
                }
                let width = entries.iter().map(|(n, _)| n.len()).max().unwrap_or(0) + 3;
                let mut out = String::new();
                for (n, d) in entries {
                    out.push_str(&format!("{n:<width$}{d}\n"));
                }
                out.push_str(
                    "\nPress Ctrl+C to abort current expression, Ctrl+D to exit the REPL\n",
                );
                out
            }
            ".save" if arg.is_empty() => "The \"file\" argument must be specified\n".into(),
            ".save" => match std::fs::write(arg, self.session.join("\n")) {
                Ok(()) => format!("Session saved to: {arg}\n"),
                Err(_) => format!("Failed to save: {arg}\n"),
            },
            ".load" if arg.is_empty() => "The \"file\" argument must be specified\n".into(),
            ".load" => return Some(self.load(arg)),
            _ => return None,
        };
        Some((out, Flow::Continue))
    }

    /// `.load FILE`: the file's text, entered as one input (node v20 feeds it through editor
    /// mode): on a terminal its lines are echoed, then the result. Without a terminal node
    /// shows the prompt twice after the result (the load's prompt and the input's).
    fn load(&mut self, file: &str) -> (String, Flow) {
        let path = std::path::Path::new(file);
        if path.is_dir() {
            return (
                format!("Failed to load: {file} is not a valid file\n"),
                Flow::Continue,
            );
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            return (format!("Failed to load: {file}\n"), Flow::Continue);
        };
        let mut out = String::new();
        if self.tty {
            out.push_str(&text);
            if !text.ends_with('\n') {
                out.push('\n');
            }
            out.push('\n');
        }
        for l in text.lines() {
            self.session.push(l.to_string());
        }
        let mut input = std::mem::take(&mut self.buffer);
        input.push_str(&text);
        input.push('\n');
        let (result, flow) = self.run_input(input, false);
        out.push_str(&result);
        if !self.tty && !result.is_empty() {
            out.push_str(self.prompt());
        }
        (out, flow)
    }
}

/// An exception as the REPL reports it (`Uncaught …`), kept in `_error`.
fn uncaught_text(vm: &mut Vm, t: Thrown) -> String {
    set_last(vm, &LAST_ERROR, t.value);
    let is_error = t
        .value
        .as_heap::<Object>()
        .is_some_and(|o| matches!(o.get().class, crate::vm::object::ObjectClass::Error));
    let mut text = vm.inspect_value(t.value);
    if is_error && text.starts_with('[') && !text.contains('\n') {
        if let Some(inner) = text.strip_prefix('[') {
            if let Some(end) = inner.find(']') {
                text = format!("{}{}", &inner[..end], &inner[end + 1..]);
            }
        }
    }
    let first = text.lines().next().unwrap_or("").to_string();
    if !is_error && text.contains('\n') || first.len() > 80 {
        format!("Uncaught:\n{text}")
    } else {
        format!("Uncaught {text}")
    }
}

/// node's test for a REPL keyword: a `.` not followed by `.`, and not a number (`.5`).
fn is_command(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('.')
        && !t[1..].starts_with('.')
        && !t[1..].starts_with(|c: char| c.is_ascii_digit())
}

const BANNER: &str = concat!(
    "Welcome to minijs v",
    env!("CARGO_PKG_VERSION"),
    ".\nType \".help\" for more information."
);

/// Writes to stdout now (a terminal gone away is not an error here: the input side sees it).
fn say(text: &str) {
    let mut out = std::io::stdout();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Runs the REPL; returns the exit status.
pub fn run(vm: Vm) -> i32 {
    let tty = std::io::IsTerminal::is_terminal(&std::io::stdin());
    let mut repl = Repl::new(vm);
    say(&format!("{BANNER}\n"));
    let (tx, rx) = mpsc::channel();
    let slot: WakeSlot = Default::default();
    if tty {
        if let Some(mut term) = Terminal::start(tx.clone(), slot.clone()) {
            repl.tty = true;
            repl.colors = std::io::IsTerminal::is_terminal(&std::io::stdout())
                && std::env::var_os("NO_COLOR").is_none();
            let code = run_terminal(&mut repl, &mut term, &rx, &slot);
            term.shutdown();
            return code;
        }
    }
    spawn_stdin_reader(tx, slot.clone());
    run_piped(&mut repl, &rx, &slot)
}

/// On a terminal: prompts through rustyline, the event loop running while each one waits.
fn run_terminal(
    repl: &mut Repl,
    term: &mut Terminal,
    rx: &mpsc::Receiver<Input>,
    slot: &WakeSlot,
) -> i32 {
    let mut initial = String::new();
    let mut reading = false;
    loop {
        if !reading {
            term.read(repl.prompt(), &initial, repl.editor);
            initial.clear();
            reading = true;
        }
        // Callbacks due now, then the wait (sockets are served in it): what they print goes
        // above the prompt.
        capture_into(repl, term, |vm, report| event_loop::run_due(vm, report));
        if let Some(code) = repl.vm.host.exit_requested {
            return code;
        }
        let timeout = event_loop::timeout(&repl.vm);
        let waited = capture_into(repl, term, |vm, report| {
            event_loop::wait(vm, rx, slot, timeout, report)
        });
        if let Some(code) = repl.vm.host.exit_requested {
            return code;
        }
        let input = match waited {
            Waited::Input(i) => i,
            Waited::Turn => continue,
            Waited::Closed => return 0,
        };
        let (out, flow) = match input {
            Input::Complete(line, reply) => {
                let c = repl.complete(&line);
                let _ = reply.send(c);
                continue;
            }
            Input::Line(text) => {
                reading = false;
                term.done_reading();
                term.settle();
                // A paste may hold several lines: each is entered as if typed.
                let mut flow = Flow::Continue;
                for line in text.split('\n') {
                    let (out, f) = repl.feed(line);
                    say(&out);
                    flow = f;
                    if flow != Flow::Continue {
                        break;
                    }
                    if repl.editor {
                        // Each line starts with the previous one's indentation.
                        initial = line.chars().take_while(|c| c.is_whitespace()).collect();
                    }
                }
                (String::new(), flow)
            }
            Input::EditorEnd(last) => {
                reading = false;
                term.done_reading();
                term.settle();
                repl.end_editor(&last)
            }
            Input::Interrupt { line_empty } => {
                reading = false;
                term.done_reading();
                term.settle();
                repl.interrupt(line_empty)
            }
            Input::Eof => return 0,
        };
        say(&out);
        if let Flow::Exit(code) = flow {
            return code;
        }
    }
}

/// Runs `f` with the VM's output captured, then prints the output (and the reports of the
/// exceptions nothing caught) above the prompt.
fn capture_into<T>(
    repl: &mut Repl,
    term: &Terminal,
    f: impl FnOnce(&mut Vm, &mut dyn FnMut(&mut Vm, Thrown)) -> T,
) -> T {
    repl.vm.out.start_capture();
    let mut errors = String::new();
    let r = f(&mut repl.vm, &mut |vm, t| {
        errors.push_str(&report_with(vm, t))
    });
    let mut printed = repl.vm.out.end_capture();
    printed.extend_from_slice(errors.as_bytes());
    if !printed.is_empty() {
        term.print(String::from_utf8_lossy(&printed).into_owned());
    }
    r
}

/// An exception a callback threw while the prompt waited, as the REPL reports it.
fn report_with(vm: &mut Vm, t: Thrown) -> String {
    format!("{}\n", uncaught_text(vm, t))
}

/// Piped input (`minijs -i`): no echo of the input, each prompt printed before the result on
/// the same line, continuation prompts accumulating (`... ... `), as node -i prints; the
/// event loop runs while the next line is awaited, and the end of the input exits.
fn run_piped(repl: &mut Repl, rx: &mpsc::Receiver<Input>, slot: &WakeSlot) -> i32 {
    let mut out = std::io::stdout();
    let _ = write!(out, "{}", repl.prompt());
    let _ = out.flush();
    loop {
        event_loop::run_due(&mut repl.vm, &mut |vm, t| {
            let s = report_with(vm, t);
            vm.flush();
            say(&s);
        });
        if let Some(code) = repl.vm.host.exit_requested {
            return code;
        }
        let timeout = event_loop::timeout(&repl.vm);
        let waited = event_loop::wait(&mut repl.vm, rx, slot, timeout, &mut |vm, t| {
            let s = report_with(vm, t);
            vm.flush();
            say(&s);
        });
        repl.vm.flush();
        if let Some(code) = repl.vm.host.exit_requested {
            return code;
        }
        let line = match waited {
            Waited::Input(Input::Line(l)) => l,
            Waited::Input(Input::Eof) | Waited::Closed => break,
            Waited::Input(_) | Waited::Turn => continue,
        };
        let (text, flow) = repl.feed(&line);
        if let Flow::Exit(code) = flow {
            let _ = write!(out, "{text}");
            let _ = out.flush();
            return code;
        }
        let _ = write!(out, "{text}{}", repl.prompt());
        let _ = out.flush();
    }
    let _ = out.flush();
    0
}

fn spawn_stdin_reader(tx: mpsc::Sender<Input>, slot: WakeSlot) {
    let _ = std::thread::Builder::new()
        .name("minijs-stdin".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            for line in stdin.lock().lines() {
                let Ok(line) = line else { break };
                if tx.send(Input::Line(line)).is_err() {
                    return;
                }
                event_loop::wake(&slot);
            }
            let _ = tx.send(Input::Eof);
            event_loop::wake(&slot);
        });
}
