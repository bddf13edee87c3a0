// ES2022 private class members (#x): fields, methods, accessors, static members, brand checks,
// fresh names per class evaluation, and their invisibility to reflection. Recorded from node v20.
class A {
  #x = 1;
  static #count = 0;
  #m() { return this.#x * 10; }
  get #g() { return this.#x + 100; }
  set #g(v) { this.#x = v; }
  constructor() { A.#count++; }
  get x() { return this.#x; }
  bump() { this.#x++; this.#x += 2; return this.#m(); }
  getg() { return this.#g; }
  setg(v) { this.#g = v; }
  static count() { return A.#count; }
  static has(o) { return #x in o; }
  static opt(o) { return o?.#x; }
  destr() { [this.#x] = [42]; ({ a: this.#x } = { a: 43 }); return this.#x; }
  arrow() { return (() => this.#x)(); }
  nested() { const self = this; return function () { return self.#x; }(); }
}
const a = new A();
console.log(a.x, a.bump(), a.getg());
a.setg(7);
console.log(a.x, A.count(), new A() && A.count());
console.log(A.has(a), A.has({}), A.opt(null), A.opt(a));
console.log(a.destr(), a.arrow(), a.nested());
console.log(a, Object.keys(a), Reflect.ownKeys(a), JSON.stringify(a), Object.getOwnPropertyNames(a));
for (const k in a) console.log('key', k);
console.log({ ...a }, Object.assign({}, a));
// fresh brands per evaluation
function make() { return class { #v = 1; static get(o) { return o.#v; } static has(o) { return #v in o; } }; }
const C1 = make(), C2 = make();
const c1 = new C1();
console.log(C1.get(c1), C1.has(c1), C2.has(c1));
try { C2.get(c1); } catch (e) { console.log(e.message); }
// return override
class Base { constructor(o) { return o; } }
class Stamp extends Base { #stamp = 'stamped'; static get(o) { return o.#stamp; } constructor(o) { super(o); } }
const plain = Object.freeze({ a: 1 });
new Stamp(plain);
console.log(Stamp.get(plain), Object.keys(plain), Object.isFrozen(plain));
try { new Stamp(plain); } catch (e) { console.log(e.message); }
// methods & this
class M {
  #n = 5;
  #get() { return this.#n; }
  static #sm() { return this === M; }
  static #sf = 'static field';
  call(o) { return this.#get.call(o); }
  static sm() { return M.#sm(); }
  static sf() { return this.#sf; }
  async #am() { return this.#n + 1; }
  *#gen() { yield this.#n; yield this.#n * 2; }
  am() { return this.#am(); }
  gen() { return [...this.#gen()]; }
  name() { return [this.#get.name, this.#am.name]; }
}
const m = new M();
console.log(m.call(m), M.sm(), M.sf(), m.gen(), m.name());
try { m.call({}); } catch (e) { console.log(e.message); }
m.am().then(v => console.log('async', v));
// nested classes, shadowing
class Outer {
  #x = 'outer';
  #y = 'outer y';
  test() {
    const self = this;
    class Inner {
      #x = 'inner';
      read(o) { return o.#x; }
      readY() { return self.#y; }
    }
    const i = new Inner();
    let r = [i.read(i), i.readY()];
    try { i.read(this); } catch (e) { r.push(e.message); }
    return r;
  }
}
console.log(new Outer().test());
// accessors
class Acc {
  #v = 1;
  get #only() { return this.#v; }
  set #wo(x) { this.#v = x; }
  static #sacc = 0;
  static get #s() { return Acc.#sacc; }
  static set #s(v) { Acc.#sacc = v; }
  t() {
    const out = [];
    try { this.#only = 1; } catch (e) { out.push(e.message); }
    try { this.#only += 1; } catch (e) { out.push(e.message); }
    try { out.push(this.#wo); } catch (e) { out.push(e.message); }
    this.#wo = 9;
    out.push(this.#only);
    Acc.#s = 4; Acc.#s++; Acc.#s += 10;
    out.push(Acc.#s);
    try { this.#t = 3; } catch (e) { out.push(e.message); }
    return out;
  }
  #t() {}
}
console.log(new Acc().t());
// computed keys: evaluated once, ToPropertyKey once, in order
let log = [];
const key = { toString() { log.push('toString'); return 'kk'; } };
class K {
  [(log.push('a'), 'a')] = log.push('init a');
  static [(log.push('b'), 'b')] = log.push('init b');
  [(log.push('c'), key)] = 3;
  static [(log.push('d'), 1)] = 'one';
  [Symbol.iterator] = 5;
}
log.push('defined');
new K(); new K();
console.log(log, Object.keys(new K()), K[1], K.b);
// class in loop with closures
const getters = [];
for (let i = 0; i < 3; i++) {
  getters.push(class { #i = i; static read(o) { return o.#i; } });
}
console.log(getters.map((G) => G.read(new G())));
// in operator
class InT { #a; static t(v) { try { return #a in v; } catch (e) { return e.message; } } }
console.log(InT.t(new InT()), InT.t({}), InT.t(1), InT.t(null), InT.t('s'));
class P { #p = 'p'; static p(o) { return o.#p; } }
class Q extends P {
  #q = 'q';
  constructor() { super(); this.r = Q.q(this); }
  static q(o) { return o.#q; }
}
const q = new Q();
console.log(P.p(q), Q.q(q), q.r);
// field initializer sees `this` private fields defined before it
class S { #a = 1; #b = this.#a + 1; b() { return this.#b; } }
console.log(new S().b());
// reading a field before it is defined
class T { #b = this.#c; #c = 1; }
try { new T(); } catch (e) { console.log(e.message); }
// static this in static initializer
class U { static #x = 1; static y = this.#x + 1; static z = U.#x + 2; }
console.log(U.y, U.z);
// optional chain continuing after private
class V { #o = { deep: 1 }; static g(v) { return v?.#o.deep; } static h(v) { return v?.a.#o; } }
console.log(V.g(new V()), V.g(undefined), V.h(undefined));
// logical assignment
class W { #l = null; t() { this.#l ??= 5; this.#l ||= 6; this.#l &&= 7; return this.#l; } }
console.log(new W().t());
console.log(M, new M(), [new Acc()], { a: new Outer() });

// Private methods live in no property table; static private elements and brand checks.
class B { #m() { return 1 } static t() { const b = new B(); return [typeof b.#m, b.#m.name, Object.getOwnPropertyNames(B.prototype)]; } }
console.log(B.t());
class Cx { static #a = 1; static #b() { return Cx.#a } static get #c() { return 3 } static r() { return [this.#b(), this.#c, #a in this, #b in this, #c in this, #a in {}] } }
console.log(Cx.r());

// A string key that starts with # is an ordinary property.
{
const o = { '#x': 1 }; class A { #x = 2; static k(a) { a['#x'] = 3; return [Object.keys(a), a.#x, a['#x']]; } }
console.log(Object.keys(o), A.k(new A()), JSON.stringify(Object.assign(new A(), o)));
const util = require('util');
console.log(util.inspect(new A(), { showHidden: true }));
}

// A class expression in a field initialiser has its own private names.
{
class Outer { inner = class { #x = 1; get() { return this.#x } }; }
console.log(new (new Outer().inner)().get());
class Outer2 { #y = 5; inner = class { get(o) { return o.#y } }; }
const o2 = new Outer2(); console.log(new o2.inner().get(o2));
class Derived2 extends Outer2 { k = class { #z = 7; z() { return this.#z } } }
console.log(new (new Derived2().k)().z());
}
