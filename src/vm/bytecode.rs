//! The bytecode: one `opcodes!` table is the single source of truth for the instruction enum,
//! each instruction's name and one-line semantics (Lua's `R[dst] := R[a] + R[b]` style), its
//! operands, and the disassembler behind `--dump-bytecode`.
//!
//! Register machine: a frame's registers are a window of the VM's value stack; operands are
//! register numbers (`Reg`), constant-pool indices (`Const`), jump offsets (`Jump`, relative to
//! the next instruction), inline-cache slots (`Ic`) and small counts (`Count`). Every
//! instruction fits in 8 bytes (checked by a test), so the interpreter streams through them.

use std::fmt::Write;

/// A register of the current frame. Eight bits, as in Lua: a function whose locals and
/// temporaries need more than 256 registers keeps the excess bindings in an environment cell
/// (the same mechanism as captured bindings), so instructions stay 8 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Reg(pub u8);
/// An index into the function's constant pool.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Const(pub u16);
/// A jump offset, relative to the instruction after the jump.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Jump(pub i32);
/// An inline-cache slot of the function (one per property-access site).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Ic(pub u16);
/// A small count (arguments, elements).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Count(pub u16);

/// How an operand prints in a disassembly.
pub trait Operand {
    fn show(&self, out: &mut String);
}
impl Operand for Reg {
    fn show(&self, out: &mut String) {
        let _ = write!(out, "r{}", self.0);
    }
}
impl Operand for Const {
    fn show(&self, out: &mut String) {
        let _ = write!(out, "k{}", self.0);
    }
}
impl Operand for Jump {
    fn show(&self, out: &mut String) {
        let _ = write!(out, "{:+}", self.0);
    }
}
impl Operand for Ic {
    fn show(&self, out: &mut String) {
        let _ = write!(out, "ic{}", self.0);
    }
}
impl Operand for Count {
    fn show(&self, out: &mut String) {
        let _ = write!(out, "#{}", self.0);
    }
}

macro_rules! opcodes {
    ($( #[doc = $doc:literal] $name:ident $({ $($field:ident : $ty:ty),* $(,)? })? ,)*) => {
        /// One instruction. See each variant's line for its semantics.
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        pub enum Op {
            $( #[doc = $doc] $name $({ $($field: $ty),* })? ,)*
        }

        impl Op {
            /// The instruction's name, as the disassembler prints it.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Op::$name { .. } => stringify!($name), )*
                }
            }

            /// The one-line semantics from the table.
            pub fn doc(&self) -> &'static str {
                match self {
                    $( Op::$name { .. } => $doc.trim(), )*
                }
            }

            /// `Name a, b, c` with each operand in its own notation.
            pub fn disassemble(&self) -> String {
                let mut out = String::from(self.name());
                match self {
                    $( Op::$name $({ $($field),* })? => {
                        let mut _first = true;
                        $($(
                            out.push_str(if _first { " " } else { ", " });
                            _first = false;
                            Operand::show($field, &mut out);
                        )*)?
                    } )*
                }
                out
            }

            /// Every opcode name, in table order.
            pub const NAMES: &'static [&'static str] = &[$( stringify!($name) ),*];
        }
    };
}

opcodes! {
    /// R[dst] := K[idx]
    LoadConst { dst: Reg, idx: Const },
    /// R[dst] := undefined
    LoadUndefined { dst: Reg },
    /// R[dst] := null
    LoadNull { dst: Reg },
    /// R[dst] := true
    LoadTrue { dst: Reg },
    /// R[dst] := false
    LoadFalse { dst: Reg },
    /// R[dst] := the TDZ marker (an uninitialised let/const/class binding)
    LoadHole { dst: Reg },
    /// R[dst] := the small integer `value`
    LoadInt { dst: Reg, value: Count },
    /// R[dst] := R[src]
    Move { dst: Reg, src: Reg },
    /// R[dst] := R[a] + R[b] (numbers, strings, ToPrimitive)
    Add { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] - R[b]
    Sub { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] * R[b]
    Mul { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] / R[b]
    Div { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] % R[b]
    Rem { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] ** R[b]
    Exp { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] << R[b]
    Shl { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] >> R[b]
    Shr { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] >>> R[b]
    UShr { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] & R[b]
    BitAnd { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] | R[b]
    BitOr { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] ^ R[b]
    BitXor { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] == R[b]
    Eq { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] != R[b]
    Ne { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] === R[b]
    StrictEq { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] !== R[b]
    StrictNe { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] < R[b]
    Lt { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] <= R[b]
    Le { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] > R[b]
    Gt { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] >= R[b]
    Ge { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] instanceof R[b]
    InstanceOf { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] in R[b]
    In { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := -R[src]
    Neg { dst: Reg, src: Reg },
    /// R[dst] := +R[src] (ToNumber)
    ToNumber { dst: Reg, src: Reg },
    /// R[dst] := !R[src]
    Not { dst: Reg, src: Reg },
    /// R[dst] := ~R[src]
    BitNot { dst: Reg, src: Reg },
    /// R[dst] := typeof R[src]
    TypeOf { dst: Reg, src: Reg },
    /// R[dst] := typeof global[K[name]] ("undefined" when there is no such global)
    TypeOfGlobal { dst: Reg, name: Const },
    /// R[dst] := ToString(R[src]) (template literal substitutions)
    ToStr { dst: Reg, src: Reg },
    /// R[dst] := R[src] + 1 (numeric; for ++)
    Inc { dst: Reg, src: Reg },
    /// R[dst] := R[src] - 1 (numeric; for --)
    Dec { dst: Reg, src: Reg },
    /// pc += offset
    Jmp { offset: Jump },
    /// if ToBoolean(R[cond]) then pc += offset
    JmpTrue { cond: Reg, offset: Jump },
    /// if !ToBoolean(R[cond]) then pc += offset
    JmpFalse { cond: Reg, offset: Jump },
    /// if R[cond] is null or undefined then pc += offset
    JmpNullish { cond: Reg, offset: Jump },
    /// if R[cond] is undefined then pc += offset (default values)
    JmpUndefined { cond: Reg, offset: Jump },
    /// R[dst] := global[K[name]] (ReferenceError when absent)
    GetGlobal { dst: Reg, name: Const, ic: Ic },
    /// global[K[name]] := R[src]
    SetGlobal { src: Reg, name: Const, ic: Ic },
    /// declare global K[name] if absent: kind 0 = var/function (undefined), 1 = let/const/class (TDZ)
    DeclareGlobal { name: Const, kind: Count },
    /// R[dst] := env(depth).slots[slot]: a captured binding `depth` scopes out (TDZ-checked)
    GetEnv { dst: Reg, depth: Count, slot: Count },
    /// env(depth).slots[slot] := R[src]
    SetEnv { src: Reg, depth: Count, slot: Count },
    /// push a new closure environment with `slots` slots (scope entry, or a `for (let …)` iteration)
    PushEnv { slots: Count },
    /// pop the innermost closure environment
    PopEnv,
    /// replace the innermost environment with a copy (a `for (let …)` loop's next iteration)
    CloneEnv,
    /// R[dst] := R[obj][K[name]] through inline cache `ic`
    GetProp { dst: Reg, obj: Reg, name: Const, ic: Ic },
    /// R[obj][K[name]] := R[src] through inline cache `ic`
    SetProp { obj: Reg, name: Const, src: Reg, ic: Ic },
    /// R[dst] := a new private name `K[name]` (each class evaluation makes its own); K[brand]: "" for a field, else "i" or "s" (instance or static method/accessor) + the class name, for messages
    NewPrivateName { dst: Reg, name: Const, brand: Const },
    /// R[dst] := R[obj].#name, where R[key] is the private name, through inline cache `ic`
    GetPrivate { dst: Reg, obj: Reg, key: Reg, ic: Ic },
    /// R[obj].#name := R[src], where R[key] is the private name, through inline cache `ic`
    SetPrivate { obj: Reg, key: Reg, src: Reg, ic: Ic },
    /// add the private element R[key] := R[src] to R[obj]; kind 0 field, 1 method, 2 getter, 3 setter; +4: the class's first method (TypeError if its methods are there already)
    DefinePrivate { obj: Reg, key: Reg, src: Reg, kind: Count },
    /// R[dst] := `#name in R[obj]`, where R[key] is the private name (TypeError if R[obj] is not an object)
    HasPrivate { dst: Reg, key: Reg, obj: Reg },
    /// name the anonymous function R[func] after the property key R[key] (a computed key's anonymous function value)
    SetFunctionName { func: Reg, key: Reg },
    /// R[dst] := ToPropertyKey(R[src]) as a value (a computed class field key, evaluated once)
    ToKey { dst: Reg, src: Reg },
    /// R[dst] := R[obj][R[key]]
    GetElem { dst: Reg, obj: Reg, key: Reg },
    /// R[obj][R[key]] := R[src]
    SetElem { obj: Reg, key: Reg, src: Reg },
    /// R[dst] := delete R[obj][R[key]]
    DeleteElem { dst: Reg, obj: Reg, key: Reg },
    /// define own data property R[obj][R[key]] := R[src] (literals, class fields)
    DefineField { obj: Reg, key: Reg, src: Reg },
    /// define method/getter/setter R[func] on R[obj] at key R[key]; flags: 1 getter, 2 setter, 4 enumerable
    DefineMethod { obj: Reg, key: Reg, func: Reg, flags: Count },
    /// R[func] := the closure R[func] with home object R[home] (for `super` in static blocks and initialisers)
    Homed { func: Reg, home: Reg },
    /// copy R[src]'s own enumerable properties to R[dst], except keys R[first..first+count]
    CopyProps { dst: Reg, src: Reg, first: Reg, count: Count },
    /// R[obj].[[Prototype]] := R[proto] if it is an object or null (`__proto__: x` in literals)
    SetProto { obj: Reg, proto: Reg },
    /// R[dst] := {} (with the shape cached at `ic`)
    NewObject { dst: Reg, ic: Ic },
    /// R[dst] := [R[first], …, R[first + count - 1]]
    NewArray { dst: Reg, first: Reg, count: Count },
    /// R[arr].push(R[src]) (array literals past their first elements; holes are pushed as HOLE)
    ArrayPush { arr: Reg, src: Reg },
    /// R[arr].push(...R[src]) (spread in array literals and arguments)
    ArraySpread { arr: Reg, src: Reg },
    /// R[dst] := a closure of function constant K[func] over the current environment
    NewClosure { dst: Reg, func: Const },
    /// R[dst] := R[callee](R[callee + 2], …) with this = R[callee + 1]; `argc` arguments
    Call { dst: Reg, callee: Reg, argc: Count },
    /// R[dst] := R[callee](...R[callee + 2]) with this = R[callee + 1] (spread arguments)
    CallSpread { dst: Reg, callee: Reg },
    /// R[dst] := new R[callee](R[callee + 2], …); `argc` arguments
    New { dst: Reg, callee: Reg, argc: Count },
    /// R[dst] := new R[callee](...R[callee + 2])
    NewSpread { dst: Reg, callee: Reg },
    /// R[dst] := super(R[first], …): construct the parent class and bind `this`
    SuperCall { dst: Reg, first: Reg, argc: Count },
    /// R[dst] := super(...R[args])
    SuperCallSpread { dst: Reg, args: Reg },
    /// R[dst] := super[R[key]] (looked up from the home object's prototype, with receiver R[this])
    GetSuper { dst: Reg, key: Reg, this: Reg },
    /// R[dst] := Construct(the parent of R[args + 1], the items of array R[args], new.target R[args + 2]) (`super(...)` that an arrow may run)
    SuperConstruct { dst: Reg, args: Reg },
    /// initialise the `this` binding env(depth).slots[slot] (and the frame's) to R[src]; ReferenceError if already initialised
    BindThis { src: Reg, depth: Count, slot: Count },
    /// the frame's `this` := R[src] (a derived constructor's, from its environment, before it returns)
    SyncThis { src: Reg },
    /// ReferenceError "Must call super constructor…" if R[src] is the uninitialised `this`
    CheckThis { src: Reg },
    /// R[dst] := the name of dynamic site S[site] (`with` objects, eval-declared vars, then its static binding); mode 1: undefined if unresolvable (typeof), 2: also R[dst + 1] := the `with` object it came from, else undefined (a call's this)
    GetDyn { dst: Reg, site: Const, mode: Count },
    /// the name of dynamic site S[site] := R[src]
    SetDyn { src: Reg, site: Const },
    /// R[dst] := R[callee](args) as Call (argc 65535: R[callee + 2] is an array of them); a direct eval when R[callee] is %eval%, compiled for call site S[site]
    CallEval { dst: Reg, callee: Reg, argc: Count, site: Const },
    /// declare K[name] (undefined) in the eval-declared variables object in env(depth).slots[slot], creating it if needed
    DeclareEvalVar { name: Const, depth: Count, slot: Count },
    /// R[dst] := ToObject(R[src]) (TypeError for null and undefined)
    ToObject { dst: Reg, src: Reg },
    /// make R[ctor] a class (prototype object, `constructor`, `extends R[parent]` when has_parent); R[dst] := the prototype
    Class { dst: Reg, ctor: Reg, parent: Reg, has_parent: Count },
    /// R[dst] := the `arguments` object of this call
    CreateArguments { dst: Reg },
    /// R[dst] := [arguments from index `from` on] (rest parameter)
    Rest { dst: Reg, from: Count },
    /// R[iter], R[iter + 1] := an iterator over R[src] and its state (for-of, spread, destructuring)
    GetIter { iter: Reg, src: Reg },
    /// R[dst] := the next value of iterator R[iter]; when done, pc += offset
    IterNext { dst: Reg, iter: Reg, offset: Jump },
    /// close iterator R[iter] early (call its `return`)
    IterClose { iter: Reg },
    /// R[iter], R[iter + 1] := GetIterator(R[src]) by the protocol, no fast path (kind 0 sync, 1 async: Symbol.asyncIterator, else the sync iterator wrapped)
    GetIterator { iter: Reg, src: Reg, kind: Count },
    /// suspend the coroutine with R[src] (kind 0 start, 1 yield, 2 await, 3 yield* passing R[src] as the result); resumed: R[dst] := value, R[dst + 1] := mode (0 next, 1 throw, 2 return)
    Yield { dst: Reg, src: Reg, kind: Count },
    /// after a yield: mode R[reg + 1] next → pc += offset; throw → throw R[reg]; return → fall through to the return path
    ResumeMode { reg: Reg, offset: Jump },
    /// async yield*: R[dst] := the inner iterator R[iter]'s next/throw/return (by mode R[recv + 1]) called with R[recv]; R[dst + 1] := 0, or 2 when a return finds no method (R[dst] := R[recv])
    AsyncDelegateCall { dst: Reg, iter: Reg, recv: Reg },
    /// async yield*: from the awaited inner result R[src]: R[dst] := its value; R[dst + 1] := 0 not done, 1 done, 2 done on a return resumption (mode R[recv + 1])
    DelegateResult { dst: Reg, src: Reg, recv: Reg },
    /// for await: R[src] must be an iterator result object; done → pc += offset; else R[dst] := its value
    IterResultValue { dst: Reg, src: Reg, offset: Jump },
    /// leave a for await early: R[dst] := R[iter].return() when it has one, else pc += offset (the result is awaited next)
    AsyncIterClose { dst: Reg, iter: Reg, offset: Jump },
    /// one yield* step on iterator R[iter] with R[recv] in mode R[recv + 1]: R[dst] := the inner result; R[dst + 1] := 0 yield it, 1 done (R[dst] := its value), 2 return R[dst]
    DelegateStep { dst: Reg, iter: Reg, recv: Reg },
    /// R[dst] := the for-in keys of R[src]; R[dst + 1] := 0
    ForInKeys { dst: Reg, src: Reg },
    /// R[dst] := the next for-in key in R[keys] (R[keys + 1] is the index); when done, pc += offset
    ForInNext { dst: Reg, keys: Reg, offset: Jump },
    /// push an exception handler: a throw jumps to pc + offset with the exception in R[reg]
    Try { reg: Reg, offset: Jump },
    /// pop the innermost exception handler
    EndTry,
    /// R[dst] := the template strings array for constant K[idx] (tagged templates)
    TemplateObject { dst: Reg, idx: Const },
    /// R[dst] := new RegExp(K[pattern], K[flags])
    NewRegExp { dst: Reg, pattern: Const, flags: Const },
    /// return R[src]
    Return { src: Reg },
    /// throw R[src]
    Throw { src: Reg },
    /// throw R[src] again from a handler (finally, a for-of's close): it keeps the site of the throw the handler caught
    ReThrow { src: Reg },
    /// R[dst] := this (ReferenceError in a derived constructor before `super()`)
    LoadThis { dst: Reg },
    /// R[dst] := new.target
    LoadNewTarget { dst: Reg },
    /// R[dst] := the function being run
    LoadCallee { dst: Reg },
    /// TypeError "Assignment to constant variable."
    ThrowConst { name: Const },
    /// do nothing
    Nop,
    /// ReferenceError "Cannot access 'K[name]' before initialization" if R[src] is the TDZ hole
    CheckTdz { src: Reg, name: Const },
}

/// A readable listing of a compiled function and the functions inside it
/// (`minijs --dump-bytecode`).
pub fn disassemble_proto(p: &super::function::Proto) -> String {
    let mut out = String::new();
    disassemble_into(p, "", &mut out);
    out
}

fn disassemble_into(p: &super::function::Proto, path: &str, out: &mut String) {
    let name = if p.name.is_empty() {
        "<anonymous>"
    } else {
        &p.name
    };
    let _ = writeln!(
        out,
        "function {path}{name} ({:?}, {} params, {} registers, {} constants)",
        p.kind,
        p.nparams,
        p.nregs,
        p.consts.len()
    );
    for (i, c) in p.consts.iter().enumerate() {
        let _ = writeln!(out, "  k{i} = {c:?}");
    }
    for (i, op) in p.ops.iter().enumerate() {
        let _ = writeln!(out, "  {i:4}  {:<40} ; {}", op.disassemble(), op.doc());
    }
    let prefix = format!("{path}{name}/");
    for child in &p.protos {
        out.push('\n');
        disassemble_into(child, &prefix, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_are_eight_bytes() {
        assert_eq!(
            std::mem::size_of::<Op>(),
            8,
            "Op is {} bytes",
            std::mem::size_of::<Op>()
        );
    }

    #[test]
    fn the_table_drives_names_docs_and_disassembly() {
        let op = Op::Add {
            dst: Reg(0),
            a: Reg(1),
            b: Reg(2),
        };
        assert_eq!(op.name(), "Add");
        assert_eq!(
            op.doc(),
            "R[dst] := R[a] + R[b] (numbers, strings, ToPrimitive)"
        );
        assert_eq!(op.disassemble(), "Add r0, r1, r2");
        assert_eq!(Op::Jmp { offset: Jump(-3) }.disassemble(), "Jmp -3");
        assert_eq!(Op::PopEnv.disassemble(), "PopEnv");
        let get = Op::GetProp {
            dst: Reg(3),
            obj: Reg(1),
            name: Const(7),
            ic: Ic(0),
        };
        assert_eq!(get.disassemble(), "GetProp r3, r1, k7, ic0");
        assert!(Op::NAMES.contains(&"CheckTdz"));
        let mut sorted = Op::NAMES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), Op::NAMES.len(), "names are unique");
    }
}
