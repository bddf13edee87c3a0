//! The interpreter: fetch, decode, dispatch over [`Op`]s, with frames on the VM's own stack so
//! a JavaScript call does not recurse on the Rust stack.
//!
//! Collection: this first slice never collects (the heap only grows); wiring allocation-time
//! collection with the VM stack and globals as roots is the next step of issues 3 and 4.

use std::io::Write;

use super::bytecode::Op;
use super::function::{Code, Env, IcEntry};
use super::object::{Atoms, Key, Object, ObjectClass, Shape};
use super::string::JsString;
use super::value::{number_to_string, Value};
use crate::gc::{Gc, Heap};
use crate::syntax::ast::Span;

/// A thrown JavaScript value, with where it was thrown.
#[derive(Debug)]
pub struct Thrown {
    pub value: Value,
    pub span: Option<Span>,
}

/// The smallest heap (in bytes of self size) at which a collection starts.
const MIN_GC_BYTES: usize = 4 << 20;
/// After a collection the next one starts when the heap has grown to this multiple of the live
/// bytes (Lua's GCPAUSE of 200%, clox's grow factor 2).
const GC_GROWTH: usize = 2;

/// The deepest JavaScript call stack before `RangeError: Maximum call stack size exceeded`.
pub const MAX_FRAMES: usize = 10_000;

struct Frame {
    code: Gc<Code>,
    /// The innermost closure environment of this activation.
    env: Option<Gc<Env>>,
    /// The `this` value of the call.
    this: Value,
    pc: usize,
    /// Index of register 0 in the value stack.
    base: usize,
    /// The caller's register that receives the return value.
    ret: usize,
}

pub struct Vm {
    pub heap: Heap,
    pub atoms: Atoms,
    pub global: Gc<Object>,
    root_shape: Gc<Shape>,
    /// The shape every new array starts with (its prototype is Array.prototype).
    array_shape: Gc<Shape>,
    length_key: Key,
    /// Collect when the heap's used bytes pass this (pacing by allocation, never by time).
    next_gc: usize,
    /// `MINIJS_GC_STRESS=1`: collect at every allocation point.
    stress: bool,
    stack: Vec<Value>,
    frames: Vec<Frame>,
    out: std::io::BufWriter<std::io::Stdout>,
}

fn err_value(vm: &mut Vm, message: String) -> Thrown {
    let s = vm.heap.alloc(JsString::from_utf8(&message));
    Thrown {
        value: Value::heap(s),
        span: None,
    }
}

impl Vm {
    pub fn new() -> Vm {
        let mut heap = Heap::new();
        let atoms = Atoms::default();
        let root_shape = Shape::root(&mut heap, None);
        let global = heap.alloc(Object::new(root_shape));
        let array_proto = heap.alloc(Object::new(root_shape));
        let array_shape = Shape::root(&mut heap, Some(array_proto));
        let mut atoms = atoms;
        let length_key = atoms.intern(&mut heap, "length");
        let mut vm = Vm {
            heap,
            atoms,
            global,
            root_shape,
            array_shape,
            length_key,
            next_gc: MIN_GC_BYTES,
            stress: std::env::var_os("MINIJS_GC_STRESS").is_some_and(|v| v == "1"),
            stack: Vec::with_capacity(1 << 16),
            frames: Vec::new(),
            out: std::io::BufWriter::new(std::io::stdout()),
        };
        let console = vm.heap.alloc(Object::new(root_shape));
        vm.define_native(console, "log", console_log);
        vm.define_native(array_proto, "push", array_push);
        let math = vm.heap.alloc(Object::new(root_shape));
        for (name, f) in MATH_FUNCTIONS {
            vm.define_native(math, name, *f);
        }
        let k = vm.atoms.intern(&mut vm.heap, "Math");
        let _ = vm.global.get().set(&mut vm.heap, k, Value::heap(math));
        let k = vm.atoms.intern(&mut vm.heap, "console");
        let _ = vm.global.get().set(&mut vm.heap, k, Value::heap(console));
        vm
    }

    fn define_native(&mut self, on: Gc<Object>, name: &'static str, f: super::object::NativeFn) {
        let func = self.heap.alloc(Object::with_class(
            self.root_shape,
            ObjectClass::Native { name, f },
        ));
        let k = self.atoms.intern(&mut self.heap, name);
        let _ = on.get().set(&mut self.heap, k, Value::heap(func));
    }

    pub fn flush(&mut self) {
        let _ = self.out.flush();
    }

    /// The property key named by a string constant (constants are atoms: `Code::load`).
    fn key_of(&mut self, code: Gc<Code>, idx: u16) -> Key {
        match code.get().consts[idx as usize].as_heap::<JsString>() {
            Some(s) => Key::from_atom(s),
            None => self.atoms.intern(&mut self.heap, ""),
        }
    }

    /// Runs a script's top-level code.
    pub fn run_script(&mut self, code: Gc<Code>) -> Result<Value, Thrown> {
        let base = self.stack.len();
        self.stack
            .resize(base + code.get().nregs as usize + 1, Value::UNDEFINED);
        self.frames.push(Frame {
            code,
            env: None,
            this: Value::heap(self.global),
            pc: 0,
            base,
            ret: base + code.get().nregs as usize,
        });
        let r = self.execute(self.frames.len() - 1);
        self.stack.truncate(base);
        r
    }

    /// Runs frames until the frame at `floor` returns.
    fn execute(&mut self, floor: usize) -> Result<Value, Thrown> {
        // The current frame's code, register base and pc live in locals; the frame stack is
        // touched only when a call or a return switches frames (the frame's own `pc` is then
        // saved or reloaded).
        let top = self.frames.last().expect("a frame");
        let (mut code, mut base, mut pc) = (top.code, top.base, top.pc);
        loop {
            let at = pc;
            let op = code.get().ops[at];
            // Only a throw needs the instruction's source position.
            let span = || code.get().spans[at];
            pc += 1;
            macro_rules! r {
                ($reg:expr) => {
                    self.stack[base + $reg.0 as usize]
                };
            }
            macro_rules! arith {
                ($dst:expr, $a:expr, $b:expr, $f:expr) => {{
                    let (va, vb) = (r!($a), r!($b));
                    let (x, y) = match (va.as_number(), vb.as_number()) {
                        (Some(x), Some(y)) => (x, y),
                        _ => (self.to_number(va), self.to_number(vb)),
                    };
                    r!($dst) = Value::number($f(x, y));
                }};
            }
            macro_rules! int32 {
                ($dst:expr, $a:expr, $b:expr, $f:expr) => {{
                    let (x, y) = (
                        to_int32(self.to_number(r!($a))),
                        to_int32(self.to_number(r!($b))),
                    );
                    r!($dst) = Value::number($f(x, y) as f64);
                }};
            }
            match op {
                Op::LoadConst { dst, idx } => r!(dst) = code.get().consts[idx.0 as usize],
                Op::LoadUndefined { dst } => r!(dst) = Value::UNDEFINED,
                Op::LoadNull { dst } => r!(dst) = Value::NULL,
                Op::LoadTrue { dst } => r!(dst) = Value::TRUE,
                Op::LoadFalse { dst } => r!(dst) = Value::FALSE,
                Op::LoadInt { dst, value } => r!(dst) = Value::number(value.0 as f64),
                Op::Move { dst, src } => r!(dst) = r!(src),
                Op::Add { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    r!(dst) = match (x.as_number(), y.as_number()) {
                        (Some(p), Some(q)) => Value::number(p + q),
                        _ => self.add_slow(x, y),
                    };
                }
                Op::Sub { dst, a, b } => arith!(dst, a, b, |x: f64, y: f64| x - y),
                Op::Mul { dst, a, b } => arith!(dst, a, b, |x: f64, y: f64| x * y),
                Op::Div { dst, a, b } => arith!(dst, a, b, |x: f64, y: f64| x / y),
                Op::Rem { dst, a, b } => arith!(dst, a, b, js_rem),
                Op::Exp { dst, a, b } => arith!(dst, a, b, |x: f64, y: f64| if y.is_nan()
                    || (x.abs() == 1.0 && y.is_infinite())
                {
                    f64::NAN
                } else {
                    x.powf(y)
                }),
                Op::Shl { dst, a, b } => {
                    int32!(dst, a, b, |x: i32, y: i32| x.wrapping_shl(y as u32 & 31))
                }
                Op::Shr { dst, a, b } => int32!(dst, a, b, |x: i32, y: i32| x >> (y as u32 & 31)),
                Op::UShr { dst, a, b } => {
                    let (x, y) = (
                        to_int32(self.to_number(r!(a))) as u32,
                        to_int32(self.to_number(r!(b))) as u32,
                    );
                    r!(dst) = Value::number((x >> (y & 31)) as f64);
                }
                Op::BitAnd { dst, a, b } => int32!(dst, a, b, |x: i32, y: i32| x & y),
                Op::BitOr { dst, a, b } => int32!(dst, a, b, |x: i32, y: i32| x | y),
                Op::BitXor { dst, a, b } => int32!(dst, a, b, |x: i32, y: i32| x ^ y),
                Op::StrictEq { dst, a, b } => r!(dst) = Value::bool(strict_equals(r!(a), r!(b))),
                Op::StrictNe { dst, a, b } => r!(dst) = Value::bool(!strict_equals(r!(a), r!(b))),
                Op::Eq { dst, a, b } => r!(dst) = Value::bool(self.loose_equals(r!(a), r!(b))),
                Op::Ne { dst, a, b } => r!(dst) = Value::bool(!self.loose_equals(r!(a), r!(b))),
                Op::Lt { dst, a, b } => {
                    r!(dst) = match (r!(a).as_number(), r!(b).as_number()) {
                        (Some(x), Some(y)) => Value::bool(x < y),
                        _ => Value::bool(self.less_than(r!(a), r!(b)) == Some(true)),
                    }
                }
                Op::Gt { dst, a, b } => {
                    r!(dst) = Value::bool(self.less_than(r!(b), r!(a)) == Some(true))
                }
                Op::Le { dst, a, b } => {
                    r!(dst) = Value::bool(self.less_than(r!(b), r!(a)) == Some(false))
                }
                Op::Ge { dst, a, b } => {
                    r!(dst) = Value::bool(self.less_than(r!(a), r!(b)) == Some(false))
                }
                Op::Neg { dst, src } => r!(dst) = Value::number(-self.to_number(r!(src))),
                Op::ToNumber { dst, src } => r!(dst) = Value::number(self.to_number(r!(src))),
                Op::Not { dst, src } => r!(dst) = Value::bool(!to_boolean(r!(src))),
                Op::BitNot { dst, src } => {
                    r!(dst) = Value::number(!to_int32(self.to_number(r!(src))) as f64)
                }
                Op::Inc { dst, src } => r!(dst) = Value::number(self.to_number(r!(src)) + 1.0),
                Op::Dec { dst, src } => r!(dst) = Value::number(self.to_number(r!(src)) - 1.0),
                Op::TypeOf { dst, src } => {
                    let t = type_of(r!(src));
                    let s = self.alloc(JsString::from_utf8(t));
                    r!(dst) = Value::heap(s);
                }
                Op::Jmp { offset } => pc = jump(pc, offset.0),
                Op::JmpTrue { cond, offset } => {
                    if to_boolean(r!(cond)) {
                        pc = jump(pc, offset.0)
                    }
                }
                Op::JmpFalse { cond, offset } => {
                    if !to_boolean(r!(cond)) {
                        pc = jump(pc, offset.0)
                    }
                }
                Op::JmpNullish { cond, offset } => {
                    if r!(cond).is_nullish() {
                        pc = jump(pc, offset.0)
                    }
                }
                Op::GetGlobal { dst, name, ic } => {
                    let global = self.global;
                    let g = global.get();
                    let entry = &code.get().ics[ic.0 as usize];
                    if let (Some(shape), Some(cached)) = (g.shape(), entry.get().shape) {
                        if shape == cached {
                            r!(dst) = g.slot(entry.get().slot);
                            continue;
                        }
                    }
                    let k = self.key_of(code, name.0);
                    if let Some(shape) = g.shape() {
                        if let Some((slot, _)) = Shape::lookup(shape, k) {
                            entry.set(IcEntry {
                                shape: Some(shape),
                                slot,
                            });
                        }
                    }

                    match Object::get(self.global, k) {
                        Some(v) => r!(dst) = v,
                        None => {
                            let n = k.string().get().to_rust_string();
                            return Err(self
                                .throw_at(format!("ReferenceError: {n} is not defined"), span()));
                        }
                    }
                }
                Op::SetGlobal { src, name, ic } => {
                    let global = self.global;
                    let entry = &code.get().ics[ic.0 as usize];
                    let v = r!(src);
                    if let (Some(shape), Some(cached)) = (global.get().shape(), entry.get().shape) {
                        if shape == cached {
                            global.get().set_slot(entry.get().slot, v);
                            continue;
                        }
                    }
                    let k = self.key_of(code, name.0);
                    let _ = global.get().set(&mut self.heap, k, v);
                    if let Some(shape) = global.get().shape() {
                        if let Some((slot, attrs)) = Shape::lookup(shape, k) {
                            if attrs & super::object::attrs::WRITABLE != 0 {
                                entry.set(IcEntry {
                                    shape: Some(shape),
                                    slot,
                                });
                            }
                        }
                    }
                }
                Op::GetProp { dst, obj, name, .. } => {
                    let o = r!(obj);
                    let k = self.key_of(code, name.0);
                    r!(dst) = match o.as_heap::<Object>() {
                        Some(o)
                            if k == self.length_key
                                && matches!(o.get().class, ObjectClass::Array) =>
                        {
                            Value::number(o.get().elements_len() as f64)
                        }
                        Some(o) => Object::get(o, k).unwrap_or(Value::UNDEFINED),
                        None if o.is_nullish() => {
                            let what = if o.is_null() { "null" } else { "undefined" };
                            let n = k.string().get().to_rust_string();
                            return Err(self.throw_at(
                                format!(
                                    "TypeError: Cannot read properties of {what} (reading '{n}')"
                                ),
                                span(),
                            ));
                        }
                        None => self.primitive_property(o, k),
                    };
                }
                Op::SetProp { obj, name, src, .. } => {
                    let k = self.key_of(code, name.0);
                    let v = r!(src);
                    if let Some(o) = r!(obj).as_heap::<Object>() {
                        let _ = o.get().set(&mut self.heap, k, v);
                    }
                }
                Op::NewClosure { dst, func } => {
                    let child = code.get().children[func.0 as usize];
                    let env = self.frames.last().and_then(|f| f.env);
                    let class = ObjectClass::Closure { code: child, env };
                    let f = self.alloc(Object::with_class(self.root_shape, class));
                    r!(dst) = Value::heap(f);
                }
                Op::LoadThis { dst } => r!(dst) = self.frames.last().expect("a frame").this,
                Op::NewObject { dst, .. } => {
                    let o = self.alloc(Object::new(self.root_shape));
                    r!(dst) = Value::heap(o);
                }
                Op::NewArray { dst, first, count } => {
                    let a = self
                        .heap
                        .alloc(Object::with_class(self.array_shape, ObjectClass::Array));
                    for i in 0..count.0 as usize {
                        a.get()
                            .push_element(self.stack[base + first.0 as usize + i]);
                    }
                    r!(dst) = Value::heap(a);
                }
                Op::GetElem { dst, obj, key } => {
                    let (o, k) = (r!(obj), r!(key));
                    let v = self.get_elem(o, k).map_err(|m| self.throw_at(m, span()))?;
                    r!(dst) = v;
                }
                Op::SetElem { obj, key, src } => {
                    let (o, k, v) = (r!(obj), r!(key), r!(src));
                    self.set_elem(o, k, v);
                }
                Op::PushEnv { slots } => {
                    let parent = self.frames.last().and_then(|f| f.env);
                    let slots = std::cell::RefCell::new(vec![Value::UNDEFINED; slots.0 as usize]);
                    let e = self.alloc(Env { parent, slots });
                    self.frames.last_mut().expect("a frame").env = Some(e);
                }
                Op::PopEnv => {
                    let f = self.frames.last_mut().expect("a frame");
                    f.env = f.env.and_then(|e| e.get().parent);
                }
                Op::CloneEnv => {
                    if let Some(cur) = self.frames.last().and_then(|f| f.env) {
                        let slots = std::cell::RefCell::new(cur.get().slots.borrow().clone());
                        let e = self.alloc(Env {
                            parent: cur.get().parent,
                            slots,
                        });
                        self.frames.last_mut().expect("a frame").env = Some(e);
                    }
                }
                Op::GetEnv { dst, depth, slot } => {
                    let env = self
                        .frames
                        .last()
                        .and_then(|f| f.env)
                        .expect("an environment");
                    r!(dst) = Env::up(env, depth.0).get().slots.borrow()[slot.0 as usize];
                }
                Op::SetEnv { src, depth, slot } => {
                    let env = self
                        .frames
                        .last()
                        .and_then(|f| f.env)
                        .expect("an environment");
                    let v = r!(src);
                    Env::up(env, depth.0).get().slots.borrow_mut()[slot.0 as usize] = v;
                }
                Op::Call { dst, callee, argc } => {
                    let f = r!(callee);
                    let first_arg = base + callee.0 as usize + 2;
                    let ret = base + dst.0 as usize;
                    let Some(fobj) = f.as_heap::<Object>() else {
                        return Err(
                            self.throw_at("TypeError: value is not a function".into(), span())
                        );
                    };
                    match &fobj.get().class {
                        ObjectClass::Native { f, .. } => {
                            let args: Vec<Value> =
                                self.stack[first_arg..first_arg + argc.0 as usize].to_vec();
                            let this = self.stack[first_arg - 1];
                            self.frames.last_mut().expect("a frame").pc = pc;
                            let v = f(self, this, &args)?;
                            self.stack[ret] = v;
                        }
                        ObjectClass::Closure {
                            code: callee_code,
                            env: callee_env,
                        } => {
                            if self.frames.len() >= MAX_FRAMES {
                                return Err(self.throw_at(
                                    "RangeError: Maximum call stack size exceeded".into(),
                                    span(),
                                ));
                            }
                            let c = *callee_code;
                            let nregs = c.get().nregs as usize;
                            let nparams = c.get().nparams as usize;
                            let new_base = self.stack.len().max(first_arg + argc.0 as usize);
                            self.stack.resize(new_base + nregs, Value::UNDEFINED);
                            for i in 0..nparams.min(argc.0 as usize) {
                                self.stack[new_base + i] = self.stack[first_arg + i];
                            }
                            let env = *callee_env;
                            // Sloppy functions see the global object for an undefined `this`.
                            let this = match self.stack[first_arg - 1] {
                                v if v.is_nullish() => Value::heap(self.global),
                                v => v,
                            };
                            self.frames.last_mut().expect("a frame").pc = pc;
                            self.frames.push(Frame {
                                code: c,
                                env,
                                this,
                                pc: 0,
                                base: new_base,
                                ret,
                            });
                            (code, base, pc) = (c, new_base, 0);
                        }
                        ObjectClass::Ordinary | ObjectClass::Array => {
                            return Err(
                                self.throw_at("TypeError: value is not a function".into(), span())
                            );
                        }
                    }
                }
                Op::Return { src } => {
                    let v = r!(src);
                    let frame = self.frames.pop().expect("a frame");
                    self.stack.truncate(frame.base);
                    if self.frames.len() == floor {
                        return Ok(v);
                    }
                    self.stack[frame.ret] = v;
                    let top = self.frames.last().expect("a frame");
                    (code, base, pc) = (top.code, top.base, top.pc);
                }
                Op::Throw { src } => {
                    return Err(Thrown {
                        value: r!(src),
                        span: Some(span()),
                    });
                }
                other => {
                    return Err(self.throw_at(
                        format!("Error: instruction {} is not implemented yet", other.name()),
                        span(),
                    ));
                }
            }
        }
    }

    /// The allocation point: collects first when the pacing (or stress mode) says so. Every
    /// live value is then in a root (INV-1): the value stack, the frames, the realm.
    fn alloc<T: crate::gc::Trace + 'static>(&mut self, value: T) -> Gc<T> {
        if self.stress || self.heap.used_bytes() >= self.next_gc {
            self.collect();
        }
        self.heap.alloc(value)
    }

    /// A full collection from the VM's roots.
    pub fn collect(&mut self) {
        let Vm {
            heap,
            atoms,
            global,
            root_shape,
            array_shape,
            stack,
            frames,
            next_gc,
            ..
        } = self;
        heap.collect(&mut |t| {
            use crate::gc::EdgeName;
            t.edge(EdgeName::Internal("global"), (*global).into());
            t.edge(EdgeName::Internal("root_shape"), (*root_shape).into());
            t.edge(EdgeName::Internal("array_shape"), (*array_shape).into());
            atoms.trace(t);
            for v in stack.iter() {
                super::object::trace_value(t, EdgeName::Internal("stack"), *v, None);
            }
            for f in frames.iter() {
                t.edge(EdgeName::Internal("code"), f.code.into());
                if let Some(e) = f.env {
                    t.edge(EdgeName::Internal("context"), e.into());
                }
                super::object::trace_value(t, EdgeName::Internal("this"), f.this, None);
            }
        });
        *next_gc = (heap.used_bytes() * GC_GROWTH).max(MIN_GC_BYTES);
    }

    /// An array index for `k`, if it is one.
    fn index_of(&self, k: Value) -> Option<u32> {
        let n = k.as_number()?;
        (n >= 0.0 && n.fract() == 0.0 && n < u32::MAX as f64).then_some(n as u32)
    }

    fn get_elem(&mut self, o: Value, k: Value) -> Result<Value, String> {
        let Some(obj) = o.as_heap::<Object>() else {
            if o.is_nullish() {
                let what = if o.is_null() { "null" } else { "undefined" };
                let key = self.to_display_string(k);
                return Err(format!(
                    "TypeError: Cannot read properties of {what} (reading '{key}')"
                ));
            }
            if let (Some(s), Some(i)) = (o.as_heap::<JsString>(), self.index_of(k)) {
                return Ok(match s.get().unit(i as usize) {
                    Some(u) => Value::heap(self.alloc(JsString::from_utf16(&[u]))),
                    None => Value::UNDEFINED,
                });
            }
            let key = self.to_display_string(k);
            let key = self.atoms.intern(&mut self.heap, &key);
            return Ok(self.primitive_property(o, key));
        };
        if let Some(i) = self.index_of(k) {
            return Ok(obj.get().get_index(i).unwrap_or(Value::UNDEFINED));
        }
        let key = self.to_display_string(k);
        let key = self.atoms.intern(&mut self.heap, &key);
        if key == self.length_key && matches!(obj.get().class, ObjectClass::Array) {
            return Ok(Value::number(obj.get().elements_len() as f64));
        }
        Ok(Object::get(obj, key).unwrap_or(Value::UNDEFINED))
    }

    fn set_elem(&mut self, o: Value, k: Value, v: Value) {
        let Some(obj) = o.as_heap::<Object>() else {
            return;
        };
        if let Some(i) = self.index_of(k) {
            obj.get().set_index(i, v);
            return;
        }
        let key = self.to_display_string(k);
        let key = self.atoms.intern(&mut self.heap, &key);
        let _ = obj.get().set(&mut self.heap, key, v);
    }

    fn throw_at(&mut self, message: String, span: Span) -> Thrown {
        let mut t = err_value(self, message);
        t.span = Some(span);
        self.frames.clear();
        t
    }

    pub fn to_number(&self, v: Value) -> f64 {
        if let Some(n) = v.as_number() {
            return n;
        }
        match v {
            Value::UNDEFINED => f64::NAN,
            Value::NULL | Value::FALSE => 0.0,
            Value::TRUE => 1.0,
            _ => match v.as_heap::<JsString>() {
                Some(s) => string_to_number(&s.get().to_rust_string()),
                None => f64::NAN,
            },
        }
    }

    /// ToString for primitives (objects print as `[object Object]` until the library lands).
    pub fn to_display_string(&self, v: Value) -> String {
        if let Some(n) = v.as_number() {
            return number_to_string(n);
        }
        match v {
            Value::UNDEFINED => "undefined".into(),
            Value::NULL => "null".into(),
            Value::TRUE => "true".into(),
            Value::FALSE => "false".into(),
            _ => match v.as_heap::<JsString>() {
                Some(s) => s.get().to_rust_string(),
                None => match v
                    .as_heap::<Object>()
                    .map(|o| matches!(o.get().class, ObjectClass::Ordinary))
                {
                    Some(true) => "[object Object]".into(),
                    _ => "function".into(),
                },
            },
        }
    }

    fn add_slow(&mut self, x: Value, y: Value) -> Value {
        let xs = x.as_heap::<JsString>();
        let ys = y.as_heap::<JsString>();
        if xs.is_some()
            || ys.is_some()
            || x.as_heap::<Object>().is_some()
            || y.as_heap::<Object>().is_some()
        {
            let s = match (xs, ys) {
                (Some(a), Some(b)) => a.get().concat(b.get()),
                _ => {
                    let joined = self.to_display_string(x) + &self.to_display_string(y);
                    JsString::from_utf8(&joined)
                }
            };
            return Value::heap(self.alloc(s));
        }
        Value::number(self.to_number(x) + self.to_number(y))
    }

    fn loose_equals(&self, a: Value, b: Value) -> bool {
        if a.is_nullish() && b.is_nullish() {
            return true;
        }
        if a.is_nullish() || b.is_nullish() {
            return false;
        }
        if a.as_heap::<Object>().is_some() || b.as_heap::<Object>().is_some() {
            return strict_equals(a, b);
        }
        if let (Some(x), Some(y)) = (a.as_heap::<JsString>(), b.as_heap::<JsString>()) {
            return x.get().same_units(y.get());
        }
        self.to_number(a) == self.to_number(b)
    }

    /// `a < b`: `None` when either side is NaN.
    fn less_than(&self, a: Value, b: Value) -> Option<bool> {
        if let (Some(x), Some(y)) = (a.as_number(), b.as_number()) {
            return if x.is_nan() || y.is_nan() {
                None
            } else {
                Some(x < y)
            };
        }
        if let (Some(x), Some(y)) = (a.as_heap::<JsString>(), b.as_heap::<JsString>()) {
            return Some(x.get().units().lt(y.get().units()));
        }
        let (x, y) = (self.to_number(a), self.to_number(b));
        if x.is_nan() || y.is_nan() {
            None
        } else {
            Some(x < y)
        }
    }

    fn primitive_property(&mut self, v: Value, k: Key) -> Value {
        if let Some(s) = v.as_heap::<JsString>() {
            if k.string().get().to_rust_string() == "length" {
                return Value::number(s.get().len() as f64);
            }
        }
        Value::UNDEFINED
    }
}

impl Default for Vm {
    fn default() -> Self {
        Vm::new()
    }
}

fn strict_equals(a: Value, b: Value) -> bool {
    if let (Some(x), Some(y)) = (a.as_number(), b.as_number()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_heap::<JsString>(), b.as_heap::<JsString>()) {
        return x.get().same_units(y.get());
    }
    a == b
}

pub fn to_boolean(v: Value) -> bool {
    if let Some(n) = v.as_number() {
        return !(n == 0.0 || n.is_nan());
    }
    match v {
        Value::UNDEFINED | Value::NULL | Value::FALSE => false,
        Value::TRUE => true,
        _ => match v.as_heap::<JsString>() {
            Some(s) => !s.get().is_empty(),
            None => true,
        },
    }
}

fn type_of(v: Value) -> &'static str {
    if v.is_number() {
        return "number";
    }
    match v {
        Value::UNDEFINED => "undefined",
        Value::NULL => "object",
        Value::TRUE | Value::FALSE => "boolean",
        _ if v.as_heap::<JsString>().is_some() => "string",
        _ => match v
            .as_heap::<Object>()
            .map(|o| matches!(o.get().class, ObjectClass::Ordinary))
        {
            Some(true) => "object",
            _ => "function",
        },
    }
}

/// ToInt32.
pub fn to_int32(n: f64) -> i32 {
    if !n.is_finite() {
        return 0;
    }
    let m = n.trunc().rem_euclid(4294967296.0);
    m as u32 as i32
}

/// StringToNumber for the decimal forms (hex and the rest join with the library).
fn string_to_number(s: &str) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    match t {
        "Infinity" | "+Infinity" => f64::INFINITY,
        "-Infinity" => f64::NEG_INFINITY,
        _ if t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')) =>
        {
            t.parse().unwrap_or(f64::NAN)
        }
        _ => f64::NAN,
    }
}

/// `console.log` for primitives, as node prints them (a top-level string raw, `-0` as `-0`).
fn console_log(vm: &mut Vm, _this: Value, args: &[Value]) -> Result<Value, Thrown> {
    let mut line = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            line.push(' ');
        }
        match a.as_number() {
            Some(n) if n == 0.0 && n.is_sign_negative() => line.push_str("-0"),
            _ => line.push_str(&vm.to_display_string(*a)),
        }
    }
    line.push('\n');
    let _ = vm.out.write_all(line.as_bytes());
    Ok(Value::UNDEFINED)
}

/// `Array.prototype.push`.
fn array_push(_vm: &mut Vm, this: Value, args: &[Value]) -> Result<Value, Thrown> {
    let mut len = 0;
    if let Some(a) = this.as_heap::<Object>() {
        for v in args {
            len = a.get().push_element(*v);
        }
    }
    Ok(Value::number(len as f64))
}

fn math1(vm: &mut Vm, args: &[Value], f: fn(f64) -> f64) -> Result<Value, Thrown> {
    let x = args.first().map_or(f64::NAN, |v| vm.to_number(*v));
    Ok(Value::number(f(x)))
}

/// `Math.round`: halves round up (towards +∞), unlike Rust's `round`.
fn js_round(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let r = (x + 0.5).floor();
    if r == 0.0 && x < 0.0 {
        -0.0
    } else {
        r
    }
}

type MathFn = fn(&mut Vm, Value, &[Value]) -> Result<Value, Thrown>;

/// The `Math` functions the first slice provides (the library issue completes `Math`).
const MATH_FUNCTIONS: &[(&str, MathFn)] = &[
    ("floor", |vm, _, a| math1(vm, a, f64::floor)),
    ("ceil", |vm, _, a| math1(vm, a, f64::ceil)),
    ("sqrt", |vm, _, a| math1(vm, a, f64::sqrt)),
    ("abs", |vm, _, a| math1(vm, a, f64::abs)),
    ("trunc", |vm, _, a| math1(vm, a, f64::trunc)),
    ("round", |vm, _, a| math1(vm, a, js_round)),
    ("imul", |vm, _, a| {
        let x = to_int32(a.first().map_or(0.0, |v| vm.to_number(*v)));
        let y = to_int32(a.get(1).map_or(0.0, |v| vm.to_number(*v)));
        Ok(Value::number(x.wrapping_mul(y) as f64))
    }),
    ("max", |vm, _, a| {
        let mut m = f64::NEG_INFINITY;
        for v in a {
            let x = vm.to_number(*v);
            if x.is_nan() {
                return Ok(Value::number(f64::NAN));
            }
            if x > m || (x == 0.0 && m == 0.0 && m.is_sign_negative()) {
                m = x;
            }
        }
        Ok(Value::number(m))
    }),
    ("min", |vm, _, a| {
        let mut m = f64::INFINITY;
        for v in a {
            let x = vm.to_number(*v);
            if x.is_nan() {
                return Ok(Value::number(f64::NAN));
            }
            if x < m || (x == 0.0 && m == 0.0 && x.is_sign_negative()) {
                m = x;
            }
        }
        Ok(Value::number(m))
    }),
];

/// `x % y`. Integers take an exact integer path (software `fmod` is slow); the result has the
/// dividend's sign, and `-0` when the dividend is negative and divides evenly.
fn js_rem(x: f64, y: f64) -> f64 {
    const LIMIT: f64 = 9007199254740992.0; // 2^53: every integer below is exact
    if x.fract() == 0.0 && y.fract() == 0.0 && x.abs() < LIMIT && y.abs() < LIMIT && y != 0.0 {
        let r = (x as i64) % (y as i64);
        if r == 0 && (x < 0.0 || (x == 0.0 && x.is_sign_negative())) {
            return -0.0;
        }
        return r as f64;
    }
    x % y
}

/// The pc after a relative jump.
fn jump(pc: usize, offset: i32) -> usize {
    (pc as i64 + offset as i64) as usize
}
