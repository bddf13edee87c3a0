function show(f) {
  try { console.log(f()); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }
}
function f1() { var x = 2; return eval("x"); }
console.log('f1', f1());
function f2(a, b) { let c = 3; const d = 4; return eval("a + b + c + d"); }
console.log('f2', f2(1, 2));
function f3() { var x = 1; eval("x = 10"); return x; }
console.log('f3', f3());
function f4() { eval("var y = 5"); return y; }
console.log('f4', f4());
function f5() { eval("var z = 1"); return typeof z + ' ' + (() => z)(); }
console.log('f5', f5());
function f6() { eval("function g() { return 'g' }"); return g(); }
console.log('f6', f6());
function f7() { 'use strict'; eval("var w = 1"); return typeof w; }
console.log('f7', f7());
function f8() { eval("'use strict'; var w = 1"); return typeof w; }
console.log('f8', f8());
function f9() { let x = 1; eval("var x = 2"); }
show(f9);
function f10() { let x = 1; { eval("var q = 2"); } return q; }
console.log('f10', f10());
function f11() { let x = 1; { let k = 3; return eval("x + k"); } }
console.log('f11', f11());
function f12() { const obj = { m() { return eval("this.v") }, v: 'this-ok' }; return obj.m(); }
console.log('f12', f12());
function F13() { return eval("new.target === F13"); }
console.log('f13', new F13() instanceof F13, F13());
function f14() { return eval("arguments.length + ':' + arguments[0]"); }
console.log('f14', f14('a', 'b'));
function f15() { var n = 0; const inc = () => eval("n++"); inc(); inc(); return n; }
console.log('f15', f15());
function f16() { var x = 'outer'; function inner() { return eval("x"); } return inner(); }
console.log('f16', f16());
function f17() { var s = 'closure'; const c = eval("(function () { return s })"); return c(); }
console.log('f17', f17());
function f18() { return eval("let t = 1; t + 1"); }
console.log('f18', f18(), typeof t);
function f19() { eval("var a1 = 1; var a2 = 2;"); return eval("a1 + a2"); }
console.log('f19', f19());
show(() => eval("1 +"));
show(() => eval("throw new RangeError('from eval')"));
function f20() { try { eval("}"); } catch (e) { return e.constructor.name + ' caught'; } }
console.log('f20', f20());
// indirect eval stays global
var gx = 'global x';
globalThis.gx2 = 'global x2';
function f21() { var gx2 = 'local'; return [(0, eval)("typeof gx2"), (0, eval)("gx2")]; }
console.log('f21', f21());
function f22() { var gx2 = 'local'; var e = eval; return e("gx2"); }
console.log('f22', f22());
function f23() { var x = 'loc'; return eval?.("typeof x"); }
console.log('f23', f23());
// eval with non-string
console.log('f24', eval(42), eval({ a: 1 }).a);
// super in eval
class A { hello() { return 'A.hello'; } }
class B extends A { hello() { return eval("super.hello()") + '+B'; } }
console.log('f25', new B().hello());
// nested eval
function f26() { var x = 7; return eval("eval('x * 2')"); }
console.log('f26', f26());
// var in eval shadows outer binding
var shadow = 'outer';
function f27() { eval("var shadow = 'inner'"); return shadow; }
console.log('f27', f27(), shadow);
function f28(p) { eval("var p = 'reassigned'"); return p; }
console.log('f28', f28('orig'));
// strict eval code gets its own scope
function f29() { var x = 1; eval("'use strict'; var x = 2;"); return x; }
console.log('f29', f29());
// let in eval does not leak
function f30() { eval("let leak = 1"); return typeof leak; }
console.log('f30', f30());
// the completion value
console.log('f31', eval("var cv = 1; cv + 41"), eval(""), eval("if (true) { 5 }") === undefined || true);
// let x; eval("var x") conflict in a nested block
function f32() { { let blockx = 1; eval("var blockx = 2"); } }
show(f32);
// const assignment in eval
function f33() { const c = 1; eval("c = 2"); }
show(f33);
// TDZ through eval
function f34() { return eval("tdz"); let tdz = 1; }
show(f34);
console.log('f35', (function () { var v = 'v'; return [1].map(() => eval("v"))[0]; })());
