function show(f) {
  try { console.log(f()); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }
}
class A {
  constructor(x) { this.x = x; A.count = (A.count || 0) + 1; }
  greet() { return 'A.greet ' + this.x; }
  static sgreet() { return 'A.sgreet ' + this.name; }
  get g() { return 'getter ' + this.x; }
}
A.prototype.val = 'proto-val';

class B extends A {
  constructor() {
    const f = () => super(5);
    f();
    console.log('after f', this.x, this instanceof B);
  }
}
new B();

class C extends A {
  constructor() {
    const f = () => super(1);
    f();
    try { f(); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }
    console.log('C x', this.x, 'count', A.count);
  }
}
new C();

class D extends A {
  constructor() {
    const g = () => this;
    try { g(); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }
    try { this.y = 1; } catch (e) { console.log(e.constructor.name + ': ' + e.message); }
    super(7);
    console.log('D', g().x, g() === this);
  }
}
new D();

// Nested arrows
class E extends A {
  constructor(v) {
    const outer = () => { const inner = () => super(v); return inner(); };
    const r = outer();
    console.log('E', r === this, this.x);
    const deep = () => () => () => this.x + 1;
    console.log('deep', deep()()());
  }
}
new E(42);

// Fields are initialised after super() in an arrow
class F extends A {
  a = this.x * 2;
  #p = 'private';
  b = () => this.#p;
  constructor() {
    const s = () => super(10);
    console.log('before');
    s();
    console.log('F', this.a, this.b(), Object.keys(this));
  }
}
new F();

// super.method / super.x in arrows in methods and static methods
class G extends A {
  greet() {
    const f = () => super.greet() + ' via arrow';
    const g = () => () => super.val;
    return f() + ' / ' + g()() + ' / ' + (() => super.g)();
  }
  static sgreet() {
    const f = () => super.sgreet();
    return 'G static: ' + f();
  }
}
console.log(new G(3).greet());
console.log(G.sgreet());

// super.x in an arrow in a derived constructor
class H extends A {
  constructor() {
    const m = () => super.greet();
    try { m(); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }
    super('h');
    console.log(m());
  }
}
new H();

// new.target in arrows
function NT() {
  const a = () => new.target;
  const b = () => () => new.target === NT;
  return [a() === NT, b()()];
}
console.log(new NT() instanceof NT, NT());
class I extends A {
  constructor() {
    const t = () => new.target;
    super(0);
    console.log('I new.target', t() === I, t().name);
  }
}
new I();
class J extends I {}
new J();
class K { constructor() { this.f = () => new.target; } }
console.log(new K().f() === K);
class L { x = () => new.target; }
console.log(new L().x());

// Arrow field initialisers see this
class M extends A {
  f = () => this.x;
  g = (() => this.x + 1)();
  constructor() { super(99); }
}
const m = new M();
console.log('M', m.f(), m.g);

// Returning without super()
class N extends A {
  constructor() { const f = () => 1; f(); }
}
show(() => new N());
class O extends A {
  constructor(call) { const f = () => super(2); if (call) f(); }
}
show(() => new O(false));
show(() => new O(true).x);

// super() twice in the constructor itself (parent runs again, then the error)
class P extends A {
  constructor() { super(1); try { super(2); } catch (e) { console.log(e.constructor.name + ': ' + e.message); } console.log('P', this.x); }
}
new P();

// Super constructor not a constructor, from an arrow
class Q extends A { constructor() { (() => super())(); } }
Object.setPrototypeOf(Q, null);
show(() => new Q());

// Async arrow calling super
class R extends A {
  constructor() {
    const f = async () => { return this; };
    super('r');
    f().then((t) => console.log('R async', t.x));
  }
}
new R();

// Arguments and spread in an arrow's super call
class S extends A {
  constructor(...args) {
    const f = () => super(...args);
    f();
  }
}
console.log(new S(8, 9).x);

// Arrow escaping and calling super after the constructor returned object
class T extends A {
  constructor() {
    const f = () => super(3);
    return { f };
  }
}
show(() => { const t = new T(); return t.f(); });
