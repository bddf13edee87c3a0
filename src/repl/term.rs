//! The REPL's terminal: rustyline on a thread of its own, so the main thread (where all
//! JavaScript runs: the VM is not `Send`) keeps running the event loop while a prompt waits.
//!
//! The main thread asks for a line (`Terminal::read`); the thread runs `readline` and sends
//! back what happened (`Input`). Tab completion needs the VM: the completer sends the line to
//! the main thread and waits for its answer. Output made by callbacks while a prompt is on
//! the screen goes through rustyline's `ExternalPrinter` (from a printer thread, so the main
//! thread never blocks on the terminal), which prints it above the prompt and redraws the
//! line being typed.
//!
//! Keys: Ctrl+C sends `Interrupt` (and whether the line was empty); Ctrl+D on an empty line
//! `Eof`, and in `.editor` mode it ends the input (`EditorEnd`); Tab completes (a unique
//! candidate inline, else the common prefix, and a second Tab lists them).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{
    Cmd, CompletionType, ConditionalEventHandler, Config, Context, Editor, Event, EventContext,
    EventHandler, ExternalPrinter, Helper, KeyEvent, RepeatCount,
};

use super::complete::Completion;
use super::event_loop::{wake, WakeSlot};
use super::history::History;

/// What the input side reports to the main thread.
pub enum Input {
    /// A line (with the newlines of a paste inside).
    Line(String),
    /// Ctrl+D in `.editor` mode: the last line, and the end of the input.
    EditorEnd(String),
    /// Ctrl+C; whether the line being edited was empty.
    Interrupt { line_empty: bool },
    /// Ctrl+D on an empty line, or the end of piped input.
    Eof,
    /// Tab: complete the text before the cursor, answer on the channel.
    Complete(String, Sender<Completion>),
}

enum Request {
    Read {
        prompt: String,
        initial: String,
        editor: bool,
    },
}

/// The main thread's handle on the terminal thread.
pub struct Terminal {
    requests: Sender<Request>,
    printer: Sender<String>,
    /// Messages handed to the printer thread and not printed yet.
    pending: Arc<AtomicUsize>,
    /// The terminal's settings before raw mode, to restore on an exit while a prompt waits.
    saved: Option<nix::sys::termios::Termios>,
    reading: bool,
}

impl Terminal {
    /// Starts the terminal thread; `None` if rustyline cannot run on this terminal.
    pub fn start(inputs: Sender<Input>, slot: WakeSlot) -> Option<Terminal> {
        let (req_tx, req_rx) = mpsc::channel();
        let (print_tx, print_rx) = mpsc::channel::<String>();
        let (ready_tx, ready_rx) = mpsc::channel();
        let pending = Arc::new(AtomicUsize::new(0));
        let pending2 = pending.clone();
        let saved = nix::sys::termios::tcgetattr(std::io::stdin()).ok();
        let quiet = saved.clone().map(quiet_mode);
        std::thread::Builder::new()
            .name("minijs-readline".into())
            .spawn(move || {
                let editor = match make_editor(inputs.clone(), slot.clone()) {
                    Ok(e) => e,
                    Err(_) => {
                        let _ = ready_tx.send(false);
                        return;
                    }
                };
                let _ = ready_tx.send(true);
                terminal_thread(editor, req_rx, print_rx, pending2, inputs, slot, quiet);
            })
            .ok()?;
        if !ready_rx.recv().unwrap_or(false) {
            return None;
        }
        Some(Terminal {
            requests: req_tx,
            printer: print_tx,
            pending,
            saved,
            reading: false,
        })
    }

    /// Shows `prompt` (with `initial` already typed) and reads a line.
    pub fn read(&mut self, prompt: &str, initial: &str, editor: bool) {
        self.reading = true;
        let _ = self.requests.send(Request::Read {
            prompt: prompt.to_string(),
            initial: initial.to_string(),
            editor,
        });
    }

    /// The line came back: no prompt is on the screen.
    pub fn done_reading(&mut self) {
        self.reading = false;
    }

    /// Prints text above the prompt (a callback's output while the prompt waits).
    pub fn print(&self, text: String) {
        self.pending.fetch_add(1, Ordering::SeqCst);
        if self.printer.send(text).is_err() {
            self.pending.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Waits (a while at most) until the printer thread has printed everything handed to it,
    /// so that what the main thread prints next comes after it.
    pub fn settle(&self) {
        let end = Instant::now() + Duration::from_millis(500);
        while self.pending.load(Ordering::SeqCst) > 0 && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Before the process exits: the terminal's settings as they were (between prompts it is
    /// in the quiet mode, and a prompt still waiting left it in raw mode).
    pub fn shutdown(&mut self) {
        self.settle();
        if let Some(t) = &self.saved {
            let _ = nix::sys::termios::tcsetattr(
                std::io::stdin(),
                nix::sys::termios::SetArg::TCSADRAIN,
                t,
            );
        }
        if self.reading {
            use std::io::Write;
            // Bracketed paste off (rustyline turned it on), and off the prompt's line.
            let mut out = std::io::stdout();
            let _ = out.write_all(b"\x1b[?2004l\r\n");
            let _ = out.flush();
        }
    }
}

struct ReplHelper {
    inputs: Sender<Input>,
    slot: WakeSlot,
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = line.get(..pos).unwrap_or(line);
        let (tx, rx) = mpsc::channel();
        if self
            .inputs
            .send(Input::Complete(before.to_string(), tx))
            .is_err()
        {
            return Ok((pos, Vec::new()));
        }
        wake(&self.slot);
        let Ok(c) = rx.recv() else {
            return Ok((pos, Vec::new()));
        };
        if !before.ends_with(&c.complete_on) {
            return Ok((pos, Vec::new()));
        }
        let start = before.len() - c.complete_on.len();
        let pairs = c
            .candidates()
            .into_iter()
            .map(|s| Pair {
                display: s.to_string(),
                replacement: s.to_string(),
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}
impl Highlighter for ReplHelper {}
impl Validator for ReplHelper {}
impl Helper for ReplHelper {}

/// Ctrl+C: interrupt, remembering whether the line was empty.
struct CtrlC(Arc<AtomicBool>);

impl ConditionalEventHandler for CtrlC {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        self.0.store(ctx.line().is_empty(), Ordering::SeqCst);
        Some(Cmd::Interrupt)
    }
}

/// Ctrl+D: in `.editor` mode, accept the line and end the input; otherwise rustyline's own
/// (end of input on an empty line, delete a character otherwise).
struct CtrlD {
    editor: Arc<AtomicBool>,
    finished: Arc<AtomicBool>,
}

impl ConditionalEventHandler for CtrlD {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, _: &EventContext) -> Option<Cmd> {
        if self.editor.load(Ordering::SeqCst) {
            self.finished.store(true, Ordering::SeqCst);
            Some(Cmd::AcceptLine)
        } else {
            None
        }
    }
}

type Ed = Editor<ReplHelper, rustyline::history::DefaultHistory>;

struct Flags {
    line_empty: Arc<AtomicBool>,
    editor: Arc<AtomicBool>,
    finished: Arc<AtomicBool>,
}

fn make_editor(inputs: Sender<Input>, slot: WakeSlot) -> rustyline::Result<(Ed, Flags)> {
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .completion_prompt_limit(10_000)
        // No cursor-position query before each prompt: its answer is read from the input,
        // and keys typed ahead (or pasted) while it waits would be lost.
        .check_cursor_position(false)
        .auto_add_history(false)
        .history_ignore_dups(true)?
        .max_history_size(10_000)?
        .build();
    let mut ed: Ed = Editor::with_config(config)?;
    ed.set_helper(Some(ReplHelper { inputs, slot }));
    let flags = Flags {
        line_empty: Arc::new(AtomicBool::new(true)),
        editor: Arc::new(AtomicBool::new(false)),
        finished: Arc::new(AtomicBool::new(false)),
    };
    ed.bind_sequence(
        KeyEvent::ctrl('C'),
        EventHandler::Conditional(Box::new(CtrlC(flags.line_empty.clone()))),
    );
    ed.bind_sequence(
        KeyEvent::ctrl('D'),
        EventHandler::Conditional(Box::new(CtrlD {
            editor: flags.editor.clone(),
            finished: flags.finished.clone(),
        })),
    );
    Ok((ed, flags))
}

fn terminal_thread(
    (mut ed, flags): (Ed, Flags),
    requests: Receiver<Request>,
    printed: Receiver<String>,
    pending: Arc<AtomicUsize>,
    inputs: Sender<Input>,
    slot: WakeSlot,
    quiet: Option<nix::sys::termios::Termios>,
) {
    let mut history = History::from_env();
    for line in history.oldest_first() {
        let _ = ed.add_history_entry(line);
    }
    match ed.create_external_printer() {
        Ok(mut p) => spawn_printer(printed, pending, move |s| {
            let _ = p.print(s);
        }),
        Err(_) => spawn_printer(printed, pending, |s| {
            use std::io::Write;
            let mut out = std::io::stdout();
            let _ = out.write_all(s.as_bytes());
            let _ = out.flush();
        }),
    }
    while let Ok(Request::Read {
        prompt,
        initial,
        editor,
    }) = requests.recv()
    {
        flags.editor.store(editor, Ordering::SeqCst);
        flags.finished.store(false, Ordering::SeqCst);
        flags.line_empty.store(true, Ordering::SeqCst);
        let r = if initial.is_empty() {
            ed.readline(&prompt)
        } else {
            ed.readline_with_initial(&prompt, (&initial, ""))
        };
        if let Some(q) = &quiet {
            let _ = nix::sys::termios::tcsetattr(
                std::io::stdin(),
                nix::sys::termios::SetArg::TCSADRAIN,
                q,
            );
        }
        let input = match r {
            Ok(line) => {
                for l in line.split('\n') {
                    if history.add(l) {
                        let _ = ed.add_history_entry(l);
                    }
                }
                if flags.finished.load(Ordering::SeqCst) {
                    Input::EditorEnd(line)
                } else {
                    Input::Line(line)
                }
            }
            Err(ReadlineError::Interrupted) => Input::Interrupt {
                line_empty: flags.line_empty.load(Ordering::SeqCst),
            },
            Err(_) => Input::Eof,
        };
        if inputs.send(input).is_err() {
            return;
        }
        wake(&slot);
    }
}

/// The terminal's mode between prompts: no echo, no line editing, Enter kept as `\r`, so
/// that keys typed while an input runs reach the next prompt as typed (in the normal mode the
/// terminal would echo them at once, and turn Enter into a newline, which rustyline inserts
/// rather than accepts). Signals and output processing stay as they were.
fn quiet_mode(mut t: nix::sys::termios::Termios) -> nix::sys::termios::Termios {
    use nix::sys::termios::{InputFlags, LocalFlags, SpecialCharacterIndices};
    t.local_flags &= !(LocalFlags::ECHO | LocalFlags::ICANON);
    t.input_flags &= !InputFlags::ICRNL;
    t.control_chars[SpecialCharacterIndices::VMIN as usize] = 1;
    t.control_chars[SpecialCharacterIndices::VTIME as usize] = 0;
    t
}

fn spawn_printer(
    printed: Receiver<String>,
    pending: Arc<AtomicUsize>,
    mut print: impl FnMut(String) + Send + 'static,
) {
    let _ = std::thread::Builder::new()
        .name("minijs-printer".into())
        .spawn(move || {
            while let Ok(s) = printed.recv() {
                print(s);
                pending.fetch_sub(1, Ordering::SeqCst);
            }
        });
}
