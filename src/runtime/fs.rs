//! `fs` (the synchronous calls scripts use most) and `os` (basic facts). Errors carry node's
//! message shape and `code`/`syscall`/`path`: `ENOENT: no such file or directory, open 'x'`.

use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, Object};
use crate::vm::realm::{arg, ErrorKind};
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

fn io_error(vm: &mut Vm, e: &std::io::Error, syscall: &str, path: &str) -> Thrown {
    let (code, text) = match e.kind() {
        std::io::ErrorKind::NotFound => ("ENOENT", "no such file or directory"),
        std::io::ErrorKind::PermissionDenied => ("EACCES", "permission denied"),
        std::io::ErrorKind::AlreadyExists => ("EEXIST", "file already exists"),
        _ if e.raw_os_error() == Some(21) => ("EISDIR", "illegal operation on a directory"),
        _ if e.raw_os_error() == Some(20) => ("ENOTDIR", "not a directory"),
        _ if e.raw_os_error() == Some(39) => ("ENOTEMPTY", "directory not empty"),
        _ => ("EIO", "i/o error"),
    };
    let t = vm.throw_error(
        ErrorKind::Error,
        &format!("{code}: {text}, {syscall} '{path}'"),
    );
    if let Some(o) = t.value.as_heap::<Object>() {
        for (k, v) in [("code", code), ("syscall", syscall), ("path", path)] {
            let key = vm.intern(k);
            let val = vm.new_string(v);
            o.get().define(&mut vm.heap, key, val, attrs::DEFAULT);
        }
    }
    t
}

/// The encoding argument: a string, or `{ encoding }`.
fn encoding(vm: &mut Vm, v: Value) -> Result<Option<String>, Thrown> {
    if v.is_nullish() {
        return Ok(None);
    }
    if v.as_heap::<Object>().is_some() {
        let k = vm.intern("encoding");
        let e = vm.get(v, k)?;
        if e.is_nullish() {
            return Ok(None);
        }
        return Ok(Some(vm.to_rust_string(e)?));
    }
    Ok(Some(vm.to_rust_string(v)?))
}

/// The bytes `writeFileSync`/`appendFileSync` write: a Buffer's or typed array's own bytes,
/// else the value's text in UTF-8.
fn data_bytes(vm: &mut Vm, v: Value) -> Result<Vec<u8>, Thrown> {
    if let Some(o) = v.as_heap::<Object>() {
        if let Some(t) = crate::vm::typed::typed_array(o.get()) {
            return Ok(t.to_bytes());
        }
    }
    Ok(vm.to_rust_string(v)?.into_bytes())
}

pub fn fs_module(vm: &mut Vm) -> R {
    let o = vm.new_object();
    vm.define_native(o, "readFileSync", 2, |vm, _, a| {
        let path = vm.to_rust_string(arg(a, 0))?;
        let enc = encoding(vm, arg(a, 1))?;
        let bytes = std::fs::read(&path).map_err(|e| io_error(vm, &e, "open", &path))?;
        // Without an encoding, a Buffer (as node).
        match enc {
            None => Ok(Value::heap(crate::vm::builtins::buffer::new_buffer(
                vm, bytes,
            ))),
            Some(e) => crate::vm::builtins::buffer::decode_named(vm, &bytes, &e),
        }
    });
    vm.define_native(o, "writeFileSync", 3, |vm, _, a| {
        let path = vm.to_rust_string(arg(a, 0))?;
        let data = data_bytes(vm, arg(a, 1))?;
        std::fs::write(&path, data).map_err(|e| io_error(vm, &e, "open", &path))?;
        Ok(Value::UNDEFINED)
    });
    vm.define_native(o, "appendFileSync", 3, |vm, _, a| {
        use std::io::Write;
        let path = vm.to_rust_string(arg(a, 0))?;
        let data = data_bytes(vm, arg(a, 1))?;
        let r = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(&data));
        r.map_err(|e| io_error(vm, &e, "open", &path))?;
        Ok(Value::UNDEFINED)
    });
    vm.define_native(o, "existsSync", 1, |vm, _, a| {
        let v = arg(a, 0);
        if v.is_nullish() {
            return Ok(Value::FALSE);
        }
        let path = vm.to_rust_string(v)?;
        Ok(Value::bool(std::path::Path::new(&path).exists()))
    });
    vm.define_native(o, "mkdirSync", 2, |vm, _, a| {
        let path = vm.to_rust_string(arg(a, 0))?;
        let opts = arg(a, 1);
        let recursive = if opts.as_heap::<Object>().is_some() {
            let k = vm.intern("recursive");
            crate::vm::interp::to_boolean(vm.get(opts, k)?)
        } else {
            false
        };
        let r = if recursive {
            std::fs::create_dir_all(&path)
        } else {
            std::fs::create_dir(&path)
        };
        r.map_err(|e| io_error(vm, &e, "mkdir", &path))?;
        Ok(Value::UNDEFINED)
    });
    vm.define_native(o, "readdirSync", 2, |vm, _, a| {
        let path = vm.to_rust_string(arg(a, 0))?;
        let rd = std::fs::read_dir(&path).map_err(|e| io_error(vm, &e, "scandir", &path))?;
        let mut names: Vec<String> = rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let items = names.iter().map(|n| vm.new_string(n)).collect();
        Ok(Value::heap(vm.new_array(items)))
    });
    vm.define_native(o, "unlinkSync", 1, |vm, _, a| {
        let path = vm.to_rust_string(arg(a, 0))?;
        std::fs::remove_file(&path).map_err(|e| io_error(vm, &e, "unlink", &path))?;
        Ok(Value::UNDEFINED)
    });
    vm.define_native(o, "rmdirSync", 1, |vm, _, a| {
        let path = vm.to_rust_string(arg(a, 0))?;
        std::fs::remove_dir(&path).map_err(|e| io_error(vm, &e, "rmdir", &path))?;
        Ok(Value::UNDEFINED)
    });
    vm.define_native(o, "statSync", 1, |vm, _, a| {
        let path = vm.to_rust_string(arg(a, 0))?;
        let md = std::fs::metadata(&path).map_err(|e| io_error(vm, &e, "stat", &path))?;
        let st = vm.new_object();
        let size = vm.intern("size");
        st.get().define(
            &mut vm.heap,
            size,
            Value::number(md.len() as f64),
            attrs::DEFAULT,
        );
        let mtime = md
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0.0, |d| d.as_millis() as f64);
        let mk = vm.intern("mtimeMs");
        st.get()
            .define(&mut vm.heap, mk, Value::number(mtime), attrs::DEFAULT);
        let is_file = md.is_file();
        let is_dir = md.is_dir();
        let fk = vm.intern("__isFile");
        st.get().define(&mut vm.heap, fk, Value::bool(is_file), 0);
        let dk = vm.intern("__isDirectory");
        st.get().define(&mut vm.heap, dk, Value::bool(is_dir), 0);
        vm.define_native(st, "isFile", 0, |vm, this, _| {
            let k = vm.intern("__isFile");
            vm.get(this, k)
        });
        vm.define_native(st, "isDirectory", 0, |vm, this, _| {
            let k = vm.intern("__isDirectory");
            vm.get(this, k)
        });
        Ok(Value::heap(st))
    });
    Ok(Value::heap(o))
}

pub fn os_module(vm: &mut Vm) -> R {
    let o = vm.new_object();
    let eol = vm.new_string("\n");
    vm.define_hidden(o, "EOL", eol);
    vm.define_native(o, "platform", 0, |vm, _, _| {
        Ok(vm.new_string(std::env::consts::OS))
    });
    vm.define_native(o, "type", 0, |vm, _, _| Ok(vm.new_string("Linux")));
    vm.define_native(o, "arch", 0, |vm, _, _| {
        let a = match std::env::consts::ARCH {
            "x86_64" => "x64",
            "aarch64" => "arm64",
            other => other,
        };
        Ok(vm.new_string(a))
    });
    vm.define_native(o, "homedir", 0, |vm, _, _| {
        let h = std::env::var("HOME").unwrap_or_default();
        Ok(vm.new_string(&h))
    });
    vm.define_native(o, "tmpdir", 0, |vm, _, _| {
        let t = std::env::temp_dir().display().to_string();
        Ok(vm.new_string(t.trim_end_matches('/')))
    });
    vm.define_native(o, "hostname", 0, |vm, _, _| {
        let h = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
        Ok(vm.new_string(h.trim()))
    });
    vm.define_native(o, "cpus", 0, |vm, _, _| {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get());
        let items = (0..n).map(|_| Value::heap(vm.new_object())).collect();
        Ok(Value::heap(vm.new_array(items)))
    });
    vm.define_native(o, "totalmem", 0, |_, _, _| {
        let kb = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("MemTotal:"))
                    .and_then(|l| {
                        l.split_whitespace()
                            .nth(1)
                            .and_then(|v| v.parse::<f64>().ok())
                    })
            })
            .unwrap_or(0.0);
        Ok(Value::number(kb * 1024.0))
    });
    Ok(Value::heap(o))
}
