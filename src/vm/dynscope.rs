//! Names resolved at run time: inside a sloppy `with` statement, and in functions whose
//! sloppy direct `eval` may declare variables (see `compiler::compile_eval`); and the direct
//! eval call itself.
//!
//! The compiler resolves every name statically, as usual; where a `with` scope or a function
//! scope with eval-declared variables (its hidden `%vars` slot) lies between the use and the
//! static binding, it emits `GetDyn`/`SetDyn` with a `DynSite`: the environment slots holding
//! those objects, innermost first, and the static binding to fall back on. Code without
//! `with` or direct eval never sees these instructions, so it pays nothing.

use std::rc::Rc;

use super::function::{Code, DynFallback, DynSite, Env, ScopeSite};
use super::interp::{to_boolean, Thrown, Vm};
use super::object::{Key, Object, ObjectClass};
use super::ops::PKey;
use super::realm::ErrorKind;
use super::string::JsString;
use super::value::Value;
use crate::gc::Gc;
use crate::source::SourceFile;
use crate::vm::builtins::util::sym_key;

impl Vm {
    fn dyn_site(code: Gc<Code>, i: u16) -> DynSite {
        match &code.get().sites[i as usize] {
            ScopeSite::Dyn(d) => d.clone(),
            ScopeSite::Eval(_) => unreachable!("a dynamic name site"),
        }
    }

    fn site_key(code: Gc<Code>, site: &DynSite) -> Key {
        match code.get().consts[site.name as usize].as_heap::<JsString>() {
            Some(s) => Key::from_atom(s),
            None => unreachable!("names are string constants"),
        }
    }

    /// The `with` object or eval-declared variables object holding the site's name, if any.
    /// (Whether it is a `with` object: a call through the name passes that as `this`.)
    fn dyn_find(&mut self, site: &DynSite, key: Key) -> Result<Option<(Gc<Object>, bool)>, Thrown> {
        let Some(env) = self.frames.last().and_then(|f| f.env) else {
            return Ok(None);
        };
        for &(depth, slot, with) in site.checks.iter() {
            let e = Env::up(env, depth);
            let v = e.get().slots.borrow()[slot as usize];
            let Some(obj) = v.as_heap::<Object>() else {
                continue;
            };
            if !with {
                if obj.get().get_own(key).is_some() {
                    return Ok(Some((obj, false)));
                }
                continue;
            }
            if !self.has_property(obj, PKey::Named(key)) {
                continue;
            }
            // §9.1.1.2.1 HasBinding: names listed truthy in @@unscopables are skipped.
            let u = self.get(Value::heap(obj), sym_key(self.realm.sym_unscopables))?;
            if u.as_heap::<Object>().is_some() && to_boolean(self.get(u, key)?) {
                continue;
            }
            return Ok(Some((obj, true)));
        }
        Ok(None)
    }

    /// `GetDyn`: the value, and (mode 2) the `this` of a call through the name.
    pub(crate) fn dyn_get(
        &mut self,
        code: Gc<Code>,
        i: u16,
        mode: u16,
        base: usize,
    ) -> Result<(Value, Value), Thrown> {
        let site = &Self::dyn_site(code, i);
        let key = Self::site_key(code, site);
        if let Some((obj, is_with)) = self.dyn_find(site, key)? {
            let v = self.get(Value::heap(obj), key)?;
            return Ok((
                v,
                if is_with {
                    Value::heap(obj)
                } else {
                    Value::UNDEFINED
                },
            ));
        }
        let v = match site.fallback {
            DynFallback::Reg(r) => self.stack[base + r as usize],
            DynFallback::Env { depth, slot, tdz } => {
                let env = self
                    .frames
                    .last()
                    .and_then(|f| f.env)
                    .expect("an environment");
                let v = Env::up(env, depth).get().slots.borrow()[slot as usize];
                if tdz && v == Value::HOLE {
                    let n = key.string().get().to_rust_string();
                    return Err(
                        self.reference_error(&format!("Cannot access '{n}' before initialization"))
                    );
                }
                v
            }
            DynFallback::Global => match self.global_lookup(key) {
                None if mode == 1 => Value::UNDEFINED,
                None => {
                    let n = key.string().get().to_rust_string();
                    return Err(self.reference_error(&format!("{n} is not defined")));
                }
                Some(Value::HOLE) => {
                    let n = key.string().get().to_rust_string();
                    return Err(
                        self.reference_error(&format!("Cannot access '{n}' before initialization"))
                    );
                }
                Some(_) => self.get(Value::heap(self.global), key)?,
            },
        };
        Ok((v, Value::UNDEFINED))
    }

    /// `SetDyn`.
    pub(crate) fn dyn_set(
        &mut self,
        code: Gc<Code>,
        i: u16,
        v: Value,
        base: usize,
    ) -> Result<(), Thrown> {
        let site = &Self::dyn_site(code, i);
        let key = Self::site_key(code, site);
        if let Some((obj, _)) = self.dyn_find(site, key)? {
            return self.put(Value::heap(obj), key, v);
        }
        match site.fallback {
            DynFallback::Reg(r) => self.stack[base + r as usize] = v,
            DynFallback::Env { depth, slot, .. } => {
                let env = self
                    .frames
                    .last()
                    .and_then(|f| f.env)
                    .expect("an environment");
                let target = Env::up(env, depth);
                target.get().slots.borrow_mut()[slot as usize] = v;
                self.heap.write_barrier(target, super::object::value_gc(v));
            }
            DynFallback::Global => {
                let g = Value::heap(self.global);
                self.put(g, key, v)?;
            }
        }
        Ok(())
    }

    /// Whether `f` is the realm's %eval% (a call of it by the name `eval` is a direct eval).
    pub(crate) fn is_intrinsic_eval(&self, f: Value) -> bool {
        let Some(o) = f.as_heap::<Object>() else {
            return false;
        };
        match &o.get().class {
            ObjectClass::Native { f, .. } => std::ptr::fn_addr_eq(
                *f,
                crate::vm::builtins::eval::eval as super::object::NativeFn,
            ),
            _ => false,
        }
    }

    /// A direct eval of `x` from call site `i` of `code` (§19.2.1.1 PerformEval, direct):
    /// the code runs as an arrow of the calling function, in its current environment.
    pub(crate) fn direct_eval(
        &mut self,
        code: Gc<Code>,
        i: u16,
        x: Value,
    ) -> Result<Value, Thrown> {
        let Some(s) = x.as_heap::<JsString>() else {
            return Ok(x);
        };
        let site = match &code.get().sites[i as usize] {
            ScopeSite::Eval(site) => (**site).clone(),
            ScopeSite::Dyn(_) => return Ok(Value::UNDEFINED),
        };
        let site = &site;
        let file = SourceFile::new("eval".to_string(), s.get().to_rust_string());
        let ctx = crate::syntax::early::EvalContext {
            strict: site.strict,
            super_prop: site.super_prop,
            super_call: site.super_call,
        };
        let program = match crate::syntax::parse_eval(&file.text, ctx) {
            Ok(p) => p,
            Err(e) => {
                let kind = match e.class() {
                    crate::syntax::error::ErrorClass::RangeError => ErrorKind::RangeError,
                    _ => ErrorKind::SyntaxError,
                };
                return Err(self.throw_error(kind, &e.message()));
            }
        };
        use crate::vm::compiler::{compile_eval, CompileError, EvalError};
        let proto = match compile_eval(&program, site) {
            Ok(p) => p,
            Err(EvalError::Syntax(m)) => return Err(self.throw_error(ErrorKind::SyntaxError, &m)),
            Err(EvalError::Compile(CompileError::Unsupported { what, .. })) => {
                return Err(self.throw_error(
                    ErrorKind::SyntaxError,
                    &format!("minijs cannot run {what} yet"),
                ))
            }
            Err(EvalError::Compile(CompileError::TooManyRegisters { .. })) => {
                return Err(self.throw_error(
                    ErrorKind::RangeError,
                    "this function needs too many registers",
                ))
            }
        };
        let code = self.load(&Rc::new(file), proto);
        let frame = self.frames.last().expect("a frame");
        let (env, this, callee) = (frame.env, frame.this, frame.callee);
        let home = match callee.as_heap::<Object>().as_ref().map(|o| &o.get().class) {
            Some(ObjectClass::Closure { home, .. }) => *home,
            _ => None,
        };
        let f = self.new_closure(code, env, this, home);
        self.call(Value::heap(f), this, &[])
    }
}
