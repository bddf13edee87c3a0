// Computed class field keys (ES2022 ClassDefinitionEvaluation): each key is evaluated and
// converted once, when the class is defined, in order with the other computed keys; static
// fields and blocks run afterwards, in order, once the class binding is initialised.
// Recorded from node v20.
const log = [];
const key = (k) => ({ toString() { log.push(`toString ${k}`); return k; } });
const sym = Symbol('sym');
class A {
  [(log.push('key a'), key('a'))] = log.push('init a');
  static [(log.push('key s1'), key('s1'))] = log.push('init s1');
  [(log.push('key m'), 'm')]() { return 'method m'; }
  static { log.push('static block'); }
  [(log.push('key b'), 'b')];
  static [(log.push('key s2'), sym)] = A.name + ' ' + this.s1;
  [(log.push('key 2'), 2)] = 'two';
  static [(log.push('key num'), 1.5)] = 'one and a half';
  static late = A.m();
  static m() { return 'static m'; }
}
log.push('defined');
const a1 = new A();
const a2 = new A();
console.log(log);
console.log(a1, a2.m(), Object.keys(a1), A[sym], A['1.5'], A.late, A.s1);

// The same key twice: the later definition wins, in its first position.
class Dup { ['x'] = 1; y = 2; ['x'] = 3; }
console.log(new Dup());

// A key that throws stops the class definition.
try {
  class Bad { [(() => { throw new Error('key failed'); })()] = 1; }
} catch (e) {
  console.log(e.message);
}

// Field values that are anonymous functions take the field's name.
class Named { f = () => 1; ['g'] = function () {}; #h = () => 2; h() { return this.#h.name; } }
const n = new Named();
console.log(n.f.name, n.g.name, n.h());

// A class expression's own name is bound inside it, immutably.
const Expr = class Inner {
  static self = Inner;
  who() { return Inner.name; }
  rename() { try { Inner = 1; } catch (e) { return e.message; } }
};
console.log(Expr.self === Expr, new Expr().who(), new Expr().rename());

// In a derived class, the fields are defined after super() returns.
class Base { constructor() { this.order = Object.keys(this).join(','); } }
class Derived extends Base { [(log.length = 0, 'k')] = 'v'; z = 1; }
console.log(new Derived());

// Static field values that are anonymous functions are named too.
const s2 = Symbol('s2');
class Statics { static f = () => 1; static [s2] = function () {}; static #p = class {}; static p() { return Statics.#p.name; } }
console.log(Statics.f.name, Statics[s2].name, Statics.p());
const lit = { ['a' + 1]: function () {}, [s2]: () => 1, [3]: class {} };
console.log(lit.a1.name, lit[s2].name, lit[3].name);

// Field initialisers see the class's scope, not the constructor's parameters.
const shadowed = 'outer';
class Scoped { x = shadowed; #y = shadowed; constructor(shadowed) { this.z = shadowed; } y() { return this.#y; } }
const sc = new Scoped('param');
console.log(sc, sc.y());

// new.target is undefined in field initialisers.
class NT { x = new.target; y = (() => new.target)(); static s = new.target; }
console.log(new NT(), NT.s);
