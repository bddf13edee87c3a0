// The TypeErrors of private member access, with V8's messages (recorded from node v20).
{
class A { #x = 1; #m(){} get #g(){return 1} set #s(v){} static #sx = 2;
  static read(o){ return o.#x } static write(o){ o.#x = 5 }
  static m(o){ o.#m = 1 } static g(o){ o.#g = 1 } static s(o){ return o.#s }
  static call(o){ return o.#m() } static has(o){ return #x in o }
  static rm(o){ return o.#m } static inc(o){ o.#x++ } static upd(o) { o.#g += 1 }
  static sread(o){ return o.#sx }
}
class Base { constructor(o){ return o } }
class Twice extends Base { #y = 1; constructor(o){ super(o) } }
class TwiceM extends Base { #q(){}; constructor(o){ super(o) } }
class TwiceA extends Base { get #q(){ return 1}; constructor(o){ super(o) } }
const tests = [
 () => A.read({}), () => A.write({}), () => A.m(new A), () => A.g(new A), () => A.s(new A),
 () => A.call({}), () => A.has(1), () => A.rm({}), () => A.inc({}), () => A.upd(new A), ()=>A.sread(new A),
 () => { const o = {}; new Twice(o); new Twice(o) },
 () => { const o = {}; new TwiceM(o); new TwiceM(o) },
 () => { const o = {}; new TwiceA(o); new TwiceA(o) },
 () => A.read(null), () => A.read(undefined), () => A.write(null), () => A.read(1), () => A.call(undefined),
 () => { const o = Object.preventExtensions({}); new Twice(o); return 'ok nonext' },
];
for (const t of tests) { try { console.log(t()) } catch (e) { console.log(e.constructor.name + ': ' + e.message) } }
const a = new A; console.log(a, Object.keys(a), Reflect.ownKeys(a), JSON.stringify(a));
}
{
const C = class { #m(){} get #g(){return 1} static #sm(){} static get #sg(){return 1} static #sf = 1;
  static m(o){ return o.#m } static g(o){ return o.#g } static sm(o){ return o.#sm } static sg(o){ return o.#sg }
  static sgs(o){ o.#sg = 1 } static smw(o) { o.#sm = 1 } static mw(o){ o.#m = 2 } static gw(o){ o.#g = 2 }
  static sfw(o){ o.#sf = 1 }
};
const D = (() => class { #m(){}; static m(o){ return o.#m } })();
class E { #m(){}; static m(o){ return o.#m } static mm(o){ return o.#m() } static opt(o) { return o?.#m } static mc(o) { return o.#m.call } }
const tests = [
 () => C.m({}), () => C.g({}), () => C.sm({}), () => C.sg({}), () => C.sgs(C), ()=>C.smw(C), ()=>C.mw({}), ()=>C.gw({}), ()=>C.sfw({}),
 () => D.m({}), () => E.m(null), () => E.mm(null), () => E.opt(null), () => E.mc(null), ()=>E.m(undefined), () => E.m(1),
 () => C.sm(null), () => C.sg(null), () => C.g(null),
];
for (const t of tests) { try { console.log(t()) } catch (e) { console.log(e.constructor.name + ': ' + e.message) } }
}
{
class E { #m(){}; get #g(){return 1}; set #s(v){}; #f = 1; static #sm(){}
  static a(o){ o.#m = 1 } static b(o){ o.#g = 1 } static c(o){ o.#s = 1 } static d(o){ return #f in o } static e(o){ return #m in o }
  static f(o){ o.#f++ } static g(o){ o.#m++ } static h(o){ return o.#sm } static i(o) { [o.#f] = [1] } static j(o){ o.#s += 1 } static k(o){ o.#f += 1}
  static l(o) { o.#sm = 1 }
}
const tests = [()=>E.a(null), ()=>E.b(null), ()=>E.c(undefined), ()=>E.d(null), ()=>E.e(2), ()=>E.f(null), ()=>E.g(new E), ()=>E.h(null), ()=>E.i(null), ()=>E.j(new E), ()=>E.k({}), ()=>E.l(null), ()=>E.a({}), ()=>E.c({})];
for (const t of tests) { try { console.log(t()) } catch (e) { console.log(e.constructor.name + ': ' + e.message) } }
}
{
const C = class { #m(){}; static m(o){ return o.#m } };
const D = (() => class { #m(){}; static #s(){}; static m(o){ return o.#m } })();
const F = class G { #m(){}; static m(o){ return o.#m } };
const H = class { #m(){}; static m(o){ return o.#m } static n(){ return C } };
const I = class { #m(){}; static m(o){ return o.#m } static n(){ return I } };
for (const K of [C, D, F, H, I]) try { K.m({}) } catch (e) { console.log(e.message) }
}
