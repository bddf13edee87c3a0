//! The `minijs` command line. The only place that prints reports and picks exit codes.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::process::ExitCode;

use minijs::source::SourceFile;

/// mimalloc instead of glibc's malloc: the front end allocates a node per syntax element (and
/// the runtime's Rust-side tables will allocate plenty); on the 1 MB parse corpus mimalloc ran
/// 1.26× faster (hyperfine, 30 runs) with 11% fewer instructions (callgrind).
///
/// Two settings keep the resident set close to the live heap (peak RSS is measured beside
/// QuickJS's in ../shared/bench): the `no_thp` feature (Cargo.toml) stops mimalloc from asking
/// for transparent huge pages, which made an empty script resident at 14 MB instead of 7; and
/// `MI_PURGE_DELAY_MS` below gives memory freed by a collection back to the system after
/// 100 ms instead of mimalloc 3's default of one second (a collection frees in bursts, and the
/// pages would otherwise stay resident through the next ones).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (include/mimalloc.h).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const MI_PURGE_DELAY_MS: std::ffi::c_long = 100;
use minijs::syntax;

const USAGE: &str = "Usage: minijs [options] [script.js] [arguments]

Options:
  -e, --eval CODE    run CODE (reported as [eval], as node does)
  -p, --print CODE   evaluate CODE and print the result
  -i, --interactive  start the REPL even if stdin is not a terminal (no script: the REPL)
  --script FILE      run FILE as a classic script (top-level declarations are globals)
  --expose-gc        define gc() (also accepted after the script name)
  --trace-gc         print a line per garbage collection
  --heapsnapshot-signal=SIG  write a heap snapshot (node's file name) when SIG arrives
  --max-old-space-size=MB
                     the heap limit (default 4096): past it, a fatal error
  --                 end of minijs's options (the rest is the script and its arguments)
  --heap-diff A B    compare two .heapsnapshot files (minijs's or node's) as DevTools does
  --dump-ast         print the script's syntax tree and exit
  --dump-bytecode    print the compiled bytecode and exit
  --check, -c        syntax-check the script without running it
  -h, --help         print this help
  -v, --version      print minijs's version
";

/// What to do with the script.
#[derive(Clone, Copy, Default)]
struct Opts {
    dump_ast: bool,
    dump_bytecode: bool,
    check: bool,
    /// `-p`: print the completion value.
    print: bool,
    expose_gc: bool,
    trace_gc: bool,
    heap_limit_mb: Option<usize>,
    /// `-i`: the REPL even when stdin is not a terminal.
    interactive: bool,
    /// `--script` (and `-e`/`-p`): a classic script rather than a CommonJS module.
    script: bool,
    /// `-e`/`-p`: the code of the command line, run with the runtime (node's evalScript).
    eval: bool,
    /// `--heapsnapshot-signal=SIG`: a heap snapshot (node's file name) on that signal.
    snapshot_signal: Option<i32>,
}

thread_local! {
    /// The arguments after the script name (`process.argv.slice(2)`).
    static SCRIPT_ARGS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn main() -> ExitCode {
    // SAFETY: sets a plain integer option; `set_default` leaves a MIMALLOC_PURGE_DELAY from
    // the environment in charge.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, MI_PURGE_DELAY_MS) };
    minijs::gc::set_allocator(minijs::gc::Allocator {
        // SAFETY: `mi_collect` only frees and purges mimalloc's own empty pages; the
        // collector calls it between collections, with no allocation in flight.
        release: || unsafe { libmimalloc_sys::mi_collect(true) },
        resident: || minijs::runtime::process::resident_bytes() as usize,
    });
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = Opts::default();
    let mut script_args: Vec<String> = Vec::new();
    let mut file = None;
    let mut eval: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-e" | "--eval" | "-p" | "--print" => match it.next() {
                Some(code) => {
                    eval = Some(code.clone());
                    opts.print = matches!(a.as_str(), "-p" | "--print");
                }
                None => {
                    eprintln!("minijs: {a} requires an argument");
                    return ExitCode::from(9);
                }
            },
            "--heap-diff" => {
                let (Some(a), Some(b)) = (it.next(), it.next()) else {
                    eprintln!("minijs: --heap-diff requires two snapshot files");
                    return ExitCode::from(9);
                };
                return heap_diff(a, b);
            }
            "--dump-ast" => opts.dump_ast = true,
            "-i" | "--interactive" => opts.interactive = true,
            "--dump-bytecode" => opts.dump_bytecode = true,
            "--check" | "-c" => opts.check = true,
            "--script" => opts.script = true,
            // Unlike node, minijs also takes --expose-gc after the script name (the
            // tutorial's `minijs app.js --expose-gc`).
            "--expose-gc" | "--expose_gc" => opts.expose_gc = true,
            "--trace-gc" | "--trace_gc" => opts.trace_gc = true,
            s if s.starts_with("--heapsnapshot-signal=") => {
                let name = s.split_once('=').map_or("", |(_, v)| v);
                match minijs::runtime::signals::number(name) {
                    Some(sig) => opts.snapshot_signal = Some(sig),
                    None => {
                        eprintln!("minijs: {s}: unknown signal");
                        return ExitCode::from(9);
                    }
                }
            }
            s if s.starts_with("--max-old-space-size=")
                || s.starts_with("--max_old_space_size=") =>
            {
                match s.split_once('=').and_then(|(_, v)| v.parse::<usize>().ok()) {
                    Some(mb) if mb > 0 => opts.heap_limit_mb = Some(mb),
                    _ => {
                        eprintln!("minijs: bad value for {s}");
                        return ExitCode::from(9);
                    }
                }
            }
            // `--` ends minijs's own options: the rest is the script and its arguments.
            "--" => {
                for rest in it.by_ref() {
                    if file.is_none() {
                        file = Some(rest.clone());
                    } else {
                        script_args.push(rest.clone());
                    }
                }
                break;
            }
            "--write-bench-corpus" => {
                // For scripts/bench-parse.sh: the parse benchmark's corpus, to time node on it.
                print!("{}", minijs::bench_corpus::build(1 << 20));
                return ExitCode::SUCCESS;
            }
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "-v" | "--version" => {
                println!("{}", minijs::VERSION);
                return ExitCode::SUCCESS;
            }
            s if s.starts_with('-') && file.is_none() => {
                eprintln!("minijs: bad option: {s}");
                return ExitCode::from(9);
            }
            s => {
                if file.is_none() {
                    file = Some(s.to_string());
                } else {
                    script_args.push(s.to_string());
                }
            }
        }
    }
    if let Some(code) = eval {
        opts.script = true;
        opts.eval = true;
        return on_big_stack(move || {
            let file = SourceFile::new("[eval]", code);
            run_source(file, opts)
        });
    }
    let interactive =
        opts.interactive || (file.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdin()));
    if interactive {
        return on_big_stack(move || {
            let mut vm = minijs::vm::interp::Vm::new();
            configure(&mut vm, opts);
            let code = minijs::repl::run(vm);
            ExitCode::from(code as u8)
        });
    }
    let Some(path) = file else {
        // Piped stdin without a script runs stdin as the script, as node does.
        let mut text = String::new();
        if std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).is_err() {
            eprint!("{USAGE}");
            return ExitCode::from(9);
        }
        return on_big_stack(move || run_source(SourceFile::new("[stdin]", text), opts));
    };
    on_big_stack(move || {
        SCRIPT_ARGS.with(|a| *a.borrow_mut() = script_args);
        run_file(&path, opts)
    })
}

/// `--heap-diff A B`: the DevTools-style comparison of two heap snapshots.
fn heap_diff(a: &str, b: &str) -> ExitCode {
    use minijs::heapdiff::{diff, Snapshot};
    let load = |p: &str| Snapshot::load(std::path::Path::new(p));
    match (load(a), load(b)) {
        (Ok(a), Ok(b)) => {
            print!("{}", diff(&a, &b, 15));
            ExitCode::SUCCESS
        }
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("minijs: --heap-diff: {e}");
            ExitCode::from(1)
        }
    }
}

/// Runs `f` on a thread with a large stack: the compiler and other passes recurse over the
/// syntax tree, whose depth the parser bounds (syntax::ast::MAX_DEPTH).
fn on_big_stack(f: impl FnOnce() -> ExitCode + Send + 'static) -> ExitCode {
    let child = std::thread::Builder::new()
        .name("minijs-main".into())
        .stack_size(256 << 20)
        .spawn(f);
    match child.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!("minijs: internal error");
            ExitCode::from(70)
        }
    }
}

fn run_file(path: &str, opts: Opts) -> ExitCode {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| std::path::PathBuf::from(path));
    let bytes = match std::fs::read(&abs) {
        Ok(b) => b,
        Err(_) => {
            eprintln!(
                "Error: Cannot find module '{}'\n\n{}",
                std::path::absolute(path).unwrap_or(abs.clone()).display(),
                "minijs ".to_string() + minijs::VERSION
            );
            return ExitCode::from(1);
        }
    };
    let name = abs.display().to_string();
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            // V8 decodes invalid UTF-8 to U+FFFD and then fails on that character.
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = SourceFile::new(name, text);
            let err = syntax::SyntaxError::new(
                syntax::SyntaxErrorKind::InvalidUtf8,
                syntax::ast::Span::new(valid, valid + '\u{FFFD}'.len_utf8()),
            );
            eprint!("{}", minijs::diagnostics::syntax_error_report(&file, &err));
            return ExitCode::from(1);
        }
    };
    run_source(SourceFile::new(name, text), opts)
}

/// Parses, then dumps, checks or runs a source file.
fn run_source(file: SourceFile, opts: Opts) -> ExitCode {
    match syntax::parse(&file.text) {
        Ok(program) => {
            if opts.dump_ast {
                let mut out = std::io::stdout().lock();
                let _ = write!(out, "{}", syntax::dump::program(&program));
                return ExitCode::SUCCESS;
            }
            if opts.check {
                return ExitCode::SUCCESS;
            }
            run(&file, &program, opts)
        }
        Err(err) => {
            eprint!("{}", minijs::diagnostics::syntax_error_report(&file, &err));
            eprintln!("\nminijs {}", minijs::VERSION);
            ExitCode::from(1)
        }
    }
}

/// Compiles and runs a parsed script (the VM's first slice: see src/vm/compiler.rs for what it
/// compiles so far).
/// Applies the command line's VM options.
fn configure(vm: &mut minijs::vm::interp::Vm, opts: Opts) {
    if opts.expose_gc {
        vm.expose_gc();
    }
    vm.trace_gc = opts.trace_gc;
    if let Some(mb) = opts.heap_limit_mb {
        vm.heap_limit = mb << 20;
    }
    if let Some(sig) = opts.snapshot_signal {
        vm.host.signals.v8_snapshot = Some(sig);
        minijs::runtime::signals::watch(vm, sig);
    }
}

/// Runs a file as node does: a CommonJS module, then the event loop.
fn run_module(
    mut vm: minijs::vm::interp::Vm,
    file: &SourceFile,
    program: &syntax::ast::Program,
) -> ExitCode {
    let exe = if minijs::runtime::memwatch::deterministic() {
        "minijs".to_string()
    } else {
        std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "minijs".into())
    };
    let mut argv = vec![exe, file.name.clone()];
    SCRIPT_ARGS.with(|a| argv.extend(a.borrow().iter().cloned()));
    minijs::runtime::install(&mut vm, argv);
    let outcome = minijs::runtime::run_main(&mut vm, file.clone(), program);
    vm.flush();
    match outcome {
        minijs::runtime::Outcome::Exit(code) => ExitCode::from(code as u8),
        minijs::runtime::Outcome::Uncaught(thrown) => {
            eprint!("{}", vm.uncaught_report(&thrown));
            eprintln!("\nminijs {}", minijs::VERSION);
            ExitCode::from(1)
        }
    }
}

fn run(file: &SourceFile, program: &syntax::ast::Program, opts: Opts) -> ExitCode {
    use minijs::vm::compiler::{compile_script, CompileError};
    use minijs::vm::function::Code;
    use minijs::vm::interp::Vm;
    if !opts.script && !opts.dump_bytecode {
        let mut vm = Vm::new();
        configure(&mut vm, opts);
        return run_module(vm, file, program);
    }
    let proto = match compile_script(program) {
        Ok(p) => p,
        Err(CompileError::Unsupported { what, span }) => {
            eprint!("{}", minijs::diagnostics::excerpt(file, span));
            eprintln!("\nError: minijs cannot run {what} yet (the VM is being built, issue 3)\n\nminijs {}", minijs::VERSION);
            return ExitCode::from(1);
        }
        Err(CompileError::TooManyRegisters { span }) => {
            eprint!("{}", minijs::diagnostics::excerpt(file, span));
            eprintln!(
                "\nRangeError: this function needs too many registers\n\nminijs {}",
                minijs::VERSION
            );
            return ExitCode::from(1);
        }
    };
    if opts.dump_bytecode {
        let mut out = std::io::stdout().lock();
        let _ = write!(out, "{}", minijs::vm::bytecode::disassemble_proto(&proto));
        return ExitCode::SUCCESS;
    }
    let mut vm = Vm::new();
    configure(&mut vm, opts);
    let source = std::rc::Rc::new(file.clone());
    let code = vm.load(&source, proto);
    let _ = Code::load;
    if opts.eval {
        // node's -e/-p: the runtime, require and the event loop (runtime::run_eval).
        let exe = std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "minijs".into());
        let mut argv = vec![exe];
        SCRIPT_ARGS.with(|a| argv.extend(a.borrow().iter().cloned()));
        minijs::runtime::install(&mut vm, argv);
        let outcome = minijs::runtime::run_eval(&mut vm, code, opts.print);
        vm.flush();
        return match outcome {
            minijs::runtime::Outcome::Exit(code) => ExitCode::from(code as u8),
            minijs::runtime::Outcome::Uncaught(thrown) => {
                eprint!("{}", vm.uncaught_report(&thrown));
                eprintln!("\nminijs {}", minijs::VERSION);
                ExitCode::from(1)
            }
        };
    }
    let mut result = vm.run_script(code);
    // A classic script has no event loop, but its promise jobs still run (and an unhandled
    // rejection is reported) once it has finished.
    if let Ok(v) = result {
        vm.host_roots.push(v);
        result = minijs::runtime::drain_ticks(&mut vm).map(|_| v);
        vm.host_roots.pop();
    }
    vm.flush();
    match result {
        Ok(v) => {
            if opts.print {
                // node -p prints the result as console.log does (a string raw).
                let text = match v.as_heap::<minijs::vm::string::JsString>() {
                    Some(s) => s.get().to_rust_string(),
                    None => vm.inspect_value(v),
                };
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{text}");
            }
            ExitCode::SUCCESS
        }
        Err(thrown) => {
            eprint!("{}", vm.uncaught_report(&thrown));
            eprintln!("\nminijs {}", minijs::VERSION);
            ExitCode::from(1)
        }
    }
}
