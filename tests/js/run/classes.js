class A {
  constructor(x) { this.x = x; }
  get double() { return this.x * 2; }
  set double(v) { this.x = v / 2; }
  static make() { return new A(5); }
  hello() { return 'A' + this.x; }
}
class B extends A {
  y = 10;
  static kind = 'B-class';
  constructor(x) { super(x + 1); this.z = 3; }
  hello() { return 'B' + super.hello() + this.y; }
}
const b = new B(1);
console.log(b.x, b.y, b.z, b.double, b.hello(), A.make().x, b instanceof A, b instanceof B);
b.double = 20;
console.log(b.x, B.kind, B.make().x, typeof A, A.name, B.name, A.prototype.hello.name);
class C extends B {}
const c = new C(7);
console.log(c.x, c.y, c.z, c.hello(), Object.getPrototypeOf(C) === B);
try { A(1); } catch (e) { console.log(e.message); }
class E extends Error {
  constructor(msg) { super(msg); this.name = 'E'; }
}
const e = new E('bad');
console.log(e.message, e.name, e instanceof E, e instanceof Error, String(e));
function Old(v) { this.v = v; }
Old.prototype.get = function () { return this.v; };
const o = new Old(4);
console.log(o.get(), o instanceof Old, o.constructor === Old, new.target === undefined);
function Ctor() { return new.target === Ctor; }
console.log(new Ctor() instanceof Ctor, Ctor());
const Anon = class { m() { return 1; } };
console.log(Anon.name, new Anon().m());
let counter = 0;
class Counter { constructor() { counter++; this.id = counter; } }
const many = [];
for (let i = 0; i < 5; i++) many.push(new Counter());
console.log(many[4].id, counter);
