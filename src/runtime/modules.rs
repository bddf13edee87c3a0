//! CommonJS modules: the main script and every `require`d file run as the body of
//! `function (exports, require, module, __filename, __dirname)` (compiled without rewriting
//! the source, so lines and columns stay the file's own); `require` resolves relative and
//! absolute paths (exact, `.js`, `.json`, `dir/index.js`) and built-in modules (with or without
//! `node:`), caches each module object by filename, and hands back `module.exports` (partly
//! filled while a cycle is loading, as node does).

use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::source::SourceFile;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, Object, ObjectClass};
use crate::vm::realm::{arg, ErrorKind};
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

/// Built-in modules written in JavaScript: name → source.
const JS_BUILTINS: &[(&str, &str)] = &[
    ("events", include_str!("js/events.js")),
    ("path", include_str!("js/path.js")),
    ("assert", include_str!("js/assert.js")),
    ("util", include_str!("js/util.js")),
    ("internal/errors", include_str!("js/internal_errors.js")),
    (
        "internal/deep_equal",
        include_str!("js/internal_deep_equal.js"),
    ),
    ("internal/warning", include_str!("js/warning.js")),
    ("http", include_str!("js/http.js")),
    ("memwatch-next", super::memwatch::MODULE_SOURCE),
    ("memwatch", super::memwatch::MODULE_SOURCE),
];

/// Makes a native built-in module's exports object.
type MakeModule = fn(&mut Vm) -> R;

/// Built-in modules made in Rust: name → constructor of the exports object.
const NATIVE_BUILTINS: &[(&str, MakeModule)] = &[
    ("timers", timers_module),
    ("buffer", crate::vm::builtins::buffer::buffer_module),
    ("fs", super::fs::fs_module),
    ("os", super::fs::os_module),
    ("internal/memwatch", super::memwatch::native_module),
    ("internal/net", super::net::native_module),
    ("heapdump", super::heapsnapshot::heapdump_module),
    ("v8", super::heapsnapshot::v8_module),
];

/// Runs the main module (already parsed by the CLI, which reports syntax errors).
pub fn load_main(vm: &mut Vm, file: SourceFile, program: &crate::syntax::ast::Program) -> R {
    let filename = file.name.clone();
    let module = new_module(vm, &filename, ".")?;
    vm.host_roots.push(module);
    let r = run_module_program(vm, module, file, program);
    vm.host_roots.pop();
    r
}

/// A `module` object: `{ id, path, exports, filename, loaded, children, paths }`.
fn new_module(vm: &mut Vm, filename: &str, id: &str) -> Result<Value, Thrown> {
    let m = vm.new_object();
    let dir = Path::new(filename)
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let fields: Vec<(&str, Value)> = vec![
        ("id", vm.new_string(id)),
        ("path", vm.new_string(&dir)),
        ("exports", Value::heap(vm.new_object())),
        ("filename", vm.new_string(filename)),
        ("loaded", Value::FALSE),
        ("children", Value::heap(vm.new_array(Vec::new()))),
        ("paths", Value::heap(vm.new_array(Vec::new()))),
    ];
    for (k, v) in fields {
        let key = vm.intern(k);
        m.get().define(&mut vm.heap, key, v, attrs::DEFAULT);
    }
    vm.host
        .module_cache
        .insert(filename.to_string(), Value::heap(m));
    let cache = require_cache(vm);
    let key = vm.intern(filename);
    if let Some(c) = cache.as_heap::<Object>() {
        c.get()
            .define(&mut vm.heap, key, Value::heap(m), attrs::DEFAULT);
    }
    Ok(Value::heap(m))
}

fn require_cache(vm: &mut Vm) -> Value {
    if vm.host.require_cache.as_heap::<Object>().is_none() {
        let c = vm.new_object_with_proto(None);
        vm.host.require_cache = Value::heap(c);
    }
    vm.host.require_cache
}

/// Parses, compiles and runs a module's source with its `module` object.
fn run_module_source(vm: &mut Vm, module: Value, filename: &str, text: String) -> R {
    let file = SourceFile::new(filename, text);
    let program = match crate::syntax::parse(&file.text) {
        Ok(p) => p,
        Err(e) => {
            let report = crate::diagnostics::syntax_error_report(&file, &e);
            let msg = e.message();
            let mut t = vm.syntax_error(&msg);
            t.site = None;
            // Print node's excerpt through the uncaught-error path: keep it on the error.
            if let Some(o) = t.value.as_heap::<Object>() {
                let k = vm.intern("__minijsReport");
                let r = vm.new_string(&report);
                o.get().define(&mut vm.heap, k, r, 0);
            }
            return Err(t);
        }
    };
    run_module_program(vm, module, file, &program)
}

fn run_module_program(
    vm: &mut Vm,
    module: Value,
    file: SourceFile,
    program: &crate::syntax::ast::Program,
) -> R {
    let filename = file.name.clone();
    let filename = filename.as_str();
    let proto = match crate::vm::compiler::compile_module(program) {
        Ok(p) => p,
        Err(crate::vm::compiler::CompileError::Unsupported { what, .. }) => {
            return Err(vm.syntax_error(&format!("minijs cannot run {what} yet")));
        }
        Err(crate::vm::compiler::CompileError::TooManyRegisters { .. }) => {
            return Err(vm.range_error("this function needs too many registers"));
        }
    };
    let source = Rc::new(file);
    let code = vm.load(&source, proto);
    let f = vm.new_closure(code, None, Value::HOLE, None);
    vm.host_roots.push(Value::heap(f));
    vm.host_roots.push(module);
    let dir = Path::new(filename)
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let require = make_require(vm, &dir);
    vm.host_roots.push(require);
    let ek = vm.intern("exports");
    let exports = vm.get(module, ek)?;
    let filename_v = vm.new_string(filename);
    let dir_v = vm.new_string(&dir);
    let r = vm.call(
        Value::heap(f),
        exports,
        &[exports, require, module, filename_v, dir_v],
    );
    vm.host_roots.truncate(vm.host_roots.len() - 3);
    r?;
    let lk = vm.intern("loaded");
    if let Some(m) = module.as_heap::<Object>() {
        m.get()
            .define(&mut vm.heap, lk, Value::TRUE, attrs::DEFAULT);
    }
    Ok(Value::UNDEFINED)
}

/// A module's `require`: the native resolver bound to the module's directory, with
/// `require.cache` and `require.resolve`.
pub fn make_require(vm: &mut Vm, dir: &str) -> Value {
    let native = vm.new_native("require", 1, require_native, false);
    let d = vm.new_string(dir);
    let bound = vm.heap.alloc(Object::with_class(
        vm.realm.function_shape,
        ObjectClass::Bound {
            target: Value::heap(native),
            this: Value::UNDEFINED,
            args: vec![d].into_boxed_slice(),
        },
    ));
    let cache = require_cache(vm);
    let ck = vm.intern("cache");
    bound.get().define(&mut vm.heap, ck, cache, attrs::DEFAULT);
    let resolve = vm.new_native("resolve", 1, resolve_native, false);
    let rb = vm.heap.alloc(Object::with_class(
        vm.realm.function_shape,
        ObjectClass::Bound {
            target: Value::heap(resolve),
            this: Value::UNDEFINED,
            args: vec![d].into_boxed_slice(),
        },
    ));
    let rk = vm.intern("resolve");
    bound
        .get()
        .define(&mut vm.heap, rk, Value::heap(rb), attrs::DEFAULT);
    let nk = vm.realm.names.name;
    let n = vm.new_string("require");
    bound.get().define(&mut vm.heap, nk, n, attrs::CONFIGURABLE);
    Value::heap(bound)
}

/// What a specifier names.
enum Resolved {
    Builtin(String),
    File(PathBuf),
}

fn builtin_name(spec: &str) -> Option<&str> {
    let name = spec.strip_prefix("node:").unwrap_or(spec);
    let known = JS_BUILTINS.iter().any(|(n, _)| *n == name)
        || NATIVE_BUILTINS.iter().any(|(n, _)| *n == name);
    known.then_some(name)
}

fn resolve(dir: &str, spec: &str) -> Option<Resolved> {
    if let Some(n) = builtin_name(spec) {
        return Some(Resolved::Builtin(n.to_string()));
    }
    let is_path = spec.starts_with("./")
        || spec.starts_with("../")
        || spec.starts_with('/')
        || spec == "."
        || spec == "..";
    if !is_path {
        // node_modules lookup, walking up from the requiring directory.
        let mut d = Some(Path::new(dir));
        while let Some(cur) = d {
            let base = cur.join("node_modules").join(spec);
            if let Some(p) = resolve_file(&base) {
                return Some(Resolved::File(p));
            }
            d = cur.parent();
        }
        return None;
    }
    let base = Path::new(dir).join(spec);
    resolve_file(&base).map(Resolved::File)
}

fn resolve_file(base: &Path) -> Option<PathBuf> {
    let candidates = [
        base.to_path_buf(),
        PathBuf::from(format!("{}.js", base.display())),
        PathBuf::from(format!("{}.json", base.display())),
        base.join("index.js"),
        base.join("index.json"),
    ];
    for c in candidates {
        if c.is_file() {
            return Some(std::fs::canonicalize(&c).unwrap_or(c));
        }
    }
    // A package directory with a "main" field.
    let pkg = base.join("package.json");
    if let Ok(text) = std::fs::read_to_string(pkg) {
        if let Some(main) = package_main(&text) {
            return resolve_file(&base.join(main)).or_else(|| resolve_file(&base.join("index")));
        }
    }
    None
}

/// The `"main"` field of a package.json (a minimal scan: the string after `"main":`).
fn package_main(text: &str) -> Option<String> {
    let i = text.find("\"main\"")?;
    let rest = &text[i + 6..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].to_string())
}

fn not_found(vm: &mut Vm, spec: &str, caller_dir: &str) -> Thrown {
    let _ = caller_dir;
    let t = vm.throw_error(ErrorKind::Error, &format!("Cannot find module '{spec}'"));
    if let Some(o) = t.value.as_heap::<Object>() {
        let k = vm.intern("code");
        let c = vm.new_string("MODULE_NOT_FOUND");
        o.get().define(&mut vm.heap, k, c, attrs::DEFAULT);
        let k = vm.intern("requireStack");
        let a = vm.new_array(Vec::new());
        o.get()
            .define(&mut vm.heap, k, Value::heap(a), attrs::DEFAULT);
    }
    t
}

fn require_native(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let dir = vm.to_rust_string(arg(a, 0))?;
    let specv = arg(a, 1);
    if specv.as_heap::<crate::vm::string::JsString>().is_none() {
        let shown = vm.inspect_value(specv);
        let rec = super::timers::describe_received(vm, specv, &shown);
        return Err(vm.type_error(&format!(
            "The \"id\" argument must be of type string. Received {rec}"
        )));
    }
    let spec = vm.to_rust_string(specv)?;
    match resolve(&dir, &spec) {
        None => Err(not_found(vm, &spec, &dir)),
        Some(Resolved::Builtin(name)) => load_builtin(vm, &name),
        Some(Resolved::File(path)) => {
            let filename = path.display().to_string();
            let ek = vm.intern("exports");
            if let Some(m) = vm.host.module_cache.get(&filename).copied() {
                return vm.get(m, ek);
            }
            let module = new_module(vm, &filename, &filename)?;
            vm.host_roots.push(module);
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let r = if filename.ends_with(".json") {
                load_json(vm, module, &text)
            } else {
                run_module_source(vm, module, &filename, text)
            };
            vm.host_roots.pop();
            if let Err(e) = r {
                vm.host.module_cache.remove(&filename);
                return Err(e);
            }
            vm.get(module, ek)
        }
    }
}

fn resolve_native(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let dir = vm.to_rust_string(arg(a, 0))?;
    let spec = vm.to_rust_string(arg(a, 1))?;
    match resolve(&dir, &spec) {
        Some(Resolved::Builtin(n)) => Ok(vm.new_string(&n)),
        Some(Resolved::File(p)) => Ok(vm.new_string(&p.display().to_string())),
        None => Err(not_found(vm, &spec, &dir)),
    }
}

fn load_json(vm: &mut Vm, module: Value, text: &str) -> Result<Value, Thrown> {
    let jk = vm_intern(vm, "JSON");
    let json = vm.get(Value::heap(vm.global), jk)?;
    let pk = vm_intern(vm, "parse");
    let parse = vm.get(json, pk)?;
    let s = vm.new_string(text);
    let v = vm.call(parse, json, &[s])?;
    let ek = vm.intern("exports");
    if let Some(m) = module.as_heap::<Object>() {
        m.get().define(&mut vm.heap, ek, v, attrs::DEFAULT);
    }
    Ok(Value::UNDEFINED)
}

fn vm_intern(vm: &mut Vm, s: &str) -> crate::vm::object::Key {
    vm.intern(s)
}

/// A built-in module's exports (made once, then cached).
pub fn load_builtin(vm: &mut Vm, name: &str) -> R {
    let key = format!("node:{name}");
    let ek = vm.intern("exports");
    if let Some(m) = vm.host.module_cache.get(&key).copied() {
        return vm.get(m, ek);
    }
    if let Some((_, make)) = NATIVE_BUILTINS.iter().find(|(n, _)| *n == name) {
        let exports = make(vm)?;
        let m = vm.new_object();
        m.get().define(&mut vm.heap, ek, exports, attrs::DEFAULT);
        vm.host.module_cache.insert(key, Value::heap(m));
        return Ok(exports);
    }
    if let Some((_, src)) = JS_BUILTINS.iter().find(|(n, _)| *n == name) {
        let module = new_module(vm, &key, &key)?;
        vm.host.module_cache.insert(key.clone(), module);
        vm.host_roots.push(module);
        let r = run_module_source(vm, module, &key, src.to_string());
        vm.host_roots.pop();
        r?;
        return vm.get(module, ek);
    }
    Err(not_found(vm, name, ""))
}

fn timers_module(vm: &mut Vm) -> R {
    let o = vm.new_object();
    for name in [
        "setTimeout",
        "setInterval",
        "setImmediate",
        "clearTimeout",
        "clearInterval",
        "clearImmediate",
    ] {
        let k = vm.intern(name);
        let v = vm.get(Value::heap(vm.global), k)?;
        o.get().define(&mut vm.heap, k, v, attrs::DEFAULT);
    }
    Ok(Value::heap(o))
}
