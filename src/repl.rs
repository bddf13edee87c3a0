//! The REPL (`minijs` with no script on a terminal, or `minijs -i`), after node's
//! (../shared/spec/node-compat.md §4): `> ` and `... ` prompts (input that ends early
//! continues on the next line), the result echoed through util.inspect, `_` and `_error`,
//! `Uncaught …` errors without the REPL's own frames, dot-commands, and Ctrl+C / Ctrl+D.
//! Each input is a classic script (`REPLn`), so declarations persist as globals.
//!
//! Not yet: running timers while waiting for input (pending timers run after the next
//! input), `.editor`, tab completion and the inline preview.
#![allow(clippy::print_stdout)]

use std::io::{BufRead, Write};
use std::rc::Rc;

use crate::runtime;
use crate::source::SourceFile;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::Object;
use crate::vm::value::Value;

/// The result of evaluating one input.
enum Eval {
    /// The parse stopped at the end of the input: wait for more lines.
    Incomplete,
    Done(Result<Value, Thrown>),
    /// A syntax error, already rendered.
    SyntaxError(String),
}

pub struct Repl {
    vm: Vm,
    counter: usize,
    /// Lines evaluated (for `.save`).
    session: Vec<String>,
    underscore_disabled: bool,
    /// An unhandled rejection met while draining the jobs of the last input: node's REPL
    /// prints the input's value, then `Uncaught` and the reason.
    rejection: Option<Thrown>,
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
        Repl {
            vm,
            counter: 0,
            session: Vec::new(),
            underscore_disabled: false,
            rejection: None,
        }
    }

    fn eval(&mut self, text: &str) -> Eval {
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
        let program = match crate::syntax::parse(&file.text) {
            Ok(p) => p,
            Err(e) => {
                if e.span.start as usize >= file.text.trim_end().len() {
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
        let proto = match crate::vm::compiler::compile_script(&program) {
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
                let mut t = runtime::drain_ticks(&mut self.vm);
                // memwatch's events (the loop's job in a script) come after each input.
                if t.is_ok() && self.vm.host.memwatch.is_some() {
                    t = runtime::memwatch::process_records(&mut self.vm)
                        .and_then(|_| runtime::drain_ticks(&mut self.vm));
                }
                self.vm.host_roots.pop();
                match t {
                    Err(e) if e.site.as_ref().is_some_and(|(f, _)| f.name.is_empty()) => {
                        // An unhandled rejection (runtime::unhandled_rejection's site).
                        self.vm.host_roots.push(e.value);
                        self.rejection = Some(e);
                        Ok(v)
                    }
                    t => t.map(|_| v),
                }
            }
            Err(e) => Err(e),
        };
        Eval::Done(r)
    }

    /// The text to print after an evaluation.
    fn show(&mut self, r: Result<Value, Thrown>) -> String {
        let text = self.show_one(r);
        match self.rejection.take() {
            Some(t) => {
                self.vm.host_roots.pop();
                let after = self.show_one(Err(t));
                format!("{text}\n{after}")
            }
            None => text,
        }
    }

    fn show_one(&mut self, r: Result<Value, Thrown>) -> String {
        let global = self.vm.global;
        match r {
            Ok(v) => {
                if !self.underscore_disabled {
                    self.vm.define_hidden(global, "_", v);
                }
                self.vm.inspect_value(v)
            }
            Err(t) => {
                self.vm.define_hidden(global, "_error", t.value);
                let is_error = t.value.as_heap::<Object>().is_some_and(|o| {
                    matches!(o.get().class, crate::vm::object::ObjectClass::Error)
                });
                let mut text = self.vm.inspect_value(t.value);
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
        }
    }

    /// Handles a dot-command; `None` to exit.
    fn command(&mut self, line: &str, tty: bool) -> Option<String> {
        let mut parts = line.trim().splitn(2, ' ');
        let cmd = parts.next().unwrap_or("");
        let arg = parts.next().unwrap_or("").trim();
        Some(match cmd {
            ".exit" => return None,
            ".break" | ".clear" => String::new(),
            ".help" => {
                let mut entries: Vec<(&str, &str)> = HELP.to_vec();
                if tty {
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
            ".save" => match std::fs::write(arg, self.session.join("\n")) {
                Ok(()) => format!("Session saved to: {arg}\n"),
                Err(_) => format!("Failed to save: {arg}\n"),
            },
            ".load" => match std::fs::read_to_string(arg) {
                Ok(text) => {
                    let mut out = String::new();
                    let mut buf = String::new();
                    for l in text.lines() {
                        out.push_str(l);
                        out.push('\n');
                        buf.push_str(l);
                        buf.push('\n');
                        match self.eval(&buf) {
                            Eval::Incomplete => continue,
                            Eval::Done(r) => {
                                let s = self.show(r);
                                out.push_str(&s);
                                out.push('\n');
                            }
                            Eval::SyntaxError(s) => {
                                out.push_str(&s);
                                out.push('\n');
                            }
                        }
                        buf.clear();
                    }
                    out
                }
                Err(_) if std::path::Path::new(arg).is_dir() => {
                    format!("Failed to load: {arg} is not a valid file\n")
                }
                Err(_) => format!("Failed to load: {arg}\n"),
            },
            _ => "Invalid REPL keyword\n".to_string(),
        })
    }

    fn exit_code(&mut self) -> Option<i32> {
        self.vm.host.exit_requested
    }
}

fn is_command(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('.') && !t.starts_with("..") && !t[1..].starts_with(|c: char| c.is_ascii_digit())
}

const BANNER: &str = concat!(
    "Welcome to minijs v",
    env!("CARGO_PKG_VERSION"),
    ".\nType \".help\" for more information."
);

/// Runs the REPL; returns the exit status.
pub fn run(vm: Vm) -> i32 {
    let tty = std::io::IsTerminal::is_terminal(&std::io::stdin());
    let mut repl = Repl::new(vm);
    println!("{BANNER}");
    if tty {
        run_tty(&mut repl)
    } else {
        run_piped(&mut repl)
    }
}

fn run_tty(repl: &mut Repl) -> i32 {
    use rustyline::error::ReadlineError;
    let Ok(mut editor) = rustyline::DefaultEditor::new() else {
        return run_piped(repl);
    };
    let history = std::env::var("MINIJS_REPL_HISTORY").ok().or_else(|| {
        std::env::var("HOME")
            .ok()
            .map(|h| format!("{h}/.minijs_repl_history"))
    });
    if let Some(h) = history.as_deref().filter(|h| !h.is_empty()) {
        let _ = editor.load_history(h);
    }
    let mut buffer = String::new();
    let mut saw_ctrl_c = false;
    loop {
        let prompt = if buffer.is_empty() { "> " } else { "... " };
        match editor.readline(prompt) {
            Ok(line) => {
                saw_ctrl_c = false;
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                    if let Some(h) = history.as_deref().filter(|h| !h.is_empty()) {
                        let _ = editor.save_history(h);
                    }
                }
                if buffer.is_empty() && is_command(&line) {
                    match repl.command(&line, true) {
                        Some(out) => print!("{out}"),
                        None => return 0,
                    }
                    continue;
                }
                if buffer.is_empty() && line.trim().is_empty() {
                    continue;
                }
                buffer.push_str(&line);
                buffer.push('\n');
                let out = match repl.eval(&buffer) {
                    Eval::Incomplete => continue,
                    Eval::Done(r) => repl.show(r),
                    Eval::SyntaxError(s) => s,
                };
                repl.session.push(buffer.trim_end().to_string());
                buffer.clear();
                repl.vm.flush();
                if let Some(code) = repl.exit_code() {
                    return code;
                }
                println!("{out}");
            }
            Err(ReadlineError::Interrupted) => {
                if !buffer.is_empty() {
                    buffer.clear();
                    continue;
                }
                if saw_ctrl_c {
                    return 0;
                }
                saw_ctrl_c = true;
                println!("(To exit, press Ctrl+C again or Ctrl+D or type .exit)");
            }
            Err(_) => return 0,
        }
    }
}

/// `minijs -i` with piped input: no echo of the input, each prompt printed before the
/// result on the same line, continuation prompts accumulating (`... ... `).
fn run_piped(repl: &mut Repl) -> i32 {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    let mut buffer = String::new();
    let _ = write!(out, "> ");
    let _ = out.flush();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if buffer.is_empty() && is_command(&line) {
            match repl.command(&line, false) {
                Some(text) => {
                    let _ = write!(out, "{text}> ");
                }
                None => return 0,
            }
            let _ = out.flush();
            continue;
        }
        if buffer.is_empty() && line.trim().is_empty() {
            let _ = write!(out, "> ");
            continue;
        }
        buffer.push_str(&line);
        buffer.push('\n');
        let text = match repl.eval(&buffer) {
            Eval::Incomplete => {
                let _ = write!(out, "... ");
                let _ = out.flush();
                continue;
            }
            Eval::Done(r) => repl.show(r),
            Eval::SyntaxError(s) => s,
        };
        buffer.clear();
        repl.vm.flush();
        if let Some(code) = repl.exit_code() {
            return code;
        }
        let _ = write!(out, "{text}\n> ");
        let _ = out.flush();
    }
    let _ = out.flush();
    0
}
