function* withArgs() { yield arguments.length; yield arguments[1]; }
console.log([...withArgs(1, 2, 3)]);
function* rest(...xs) { for (const x of xs) yield x * 2; }
console.log(Array.from(rest(1, 2, 3)));
function* counter() { let n = 0; const inc = () => ++n; while (n < 3) yield inc(); }
console.log([...counter()]);
function* catcher() {
  while (true) {
    try { yield 'waiting'; }
    catch (e) { console.log('caught inside', e); yield 'recovered'; }
  }
}
const c = catcher(); console.log(c.next().value, c.throw('E1').value, c.next().value, c.throw('E2').value);
function* finYield() { try { yield 1; yield 2; } finally { yield 'cleanup'; console.log('after cleanup'); } }
const fy = finYield(); console.log(fy.next(), fy.return('R'), fy.next(), fy.next());
class Tree { constructor(v, l, r) { this.v = v; this.l = l; this.r = r; }
  *[Symbol.iterator]() { if (this.l) yield* this.l; yield this.v; if (this.r) yield* this.r; } }
function build(lo, hi) { if (lo > hi) return null; const m = (lo + hi) >> 1; return new Tree(m, build(lo, m - 1), build(m + 1, hi)); }
console.log([...build(1, 15)].join(' '));
function* take(n, it) { for (const x of it) { if (n-- <= 0) return; yield x; } }
function* nat() { let i = 0; for (;;) yield i++; }
console.log([...take(5, nat())]);
const g = nat(); console.log(g[Symbol.iterator]() === g, String(g), typeof g.next);
function* closeMe() { try { yield 1; yield 2; } finally { console.log('closed'); } }
for (const x of closeMe()) { console.log(x); break; }
const [a1] = closeMe(); console.log(a1);
function* thrower() { yield 1; throw new TypeError('bad'); }
try { for (const x of thrower()) console.log('x', x); } catch (e) { console.log(e.name, e.message); }
const m = new Map([[1, 'a']]); function* entries() { yield* m; } console.log([...entries()]);
function* delegThrow() { try { yield* closeMe(); } catch (e) { console.log('outer caught', e); } }
const dt = delegThrow(); dt.next(); console.log(dt.throw('X'));
function* noThrow() { yield* { [Symbol.iterator]() { return { next() { return { value: 1, done: false }; }, return() { console.log('ret called'); return {}; } }; } }; }
const nt = noThrow(); nt.next(); try { nt.throw('y'); } catch (e) { console.log(e.message); }
const gp = Object.getPrototypeOf(function*(){});
console.log(Object.prototype.toString.call(gp), gp.constructor.name, Object.getPrototypeOf(gp.prototype) === Object.getPrototypeOf([][Symbol.iterator]()).__proto__);
console.log(Object.getOwnPropertyNames(gp.prototype).sort());
function* gen3() { const x = yield; console.log('x=', x); }
const g3 = gen3(); g3.next(); g3.next(); console.log(g3.next());
let big = 0; for (const v of take(100000, nat())) big += v; console.log(big);
function* objYield() { const o = { a: yield 1, b: yield 2 }; return o; }
const oy = objYield(); oy.next(); oy.next('A'); console.log(oy.next('B'));
