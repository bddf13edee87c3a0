function* g(a, b = a * 2) {
  try {
    const x = yield a;
    console.log('got', x);
    const y = yield b;
    console.log('got', y);
    return x + y;
  } finally {
    console.log('finally');
  }
}
const it = g(1);
console.log(it.next('ignored'));
console.log(it.next(10));
console.log(it.next(20));
console.log(it.next());
console.log([...g(5)]);
for (const v of g(7)) { console.log('v', v); if (v === 7) break; }
const r = g(1); r.next(); console.log(r.return(99)); console.log(r.next());
const t = g(1); t.next();
try { t.throw(new Error('boom')); } catch (e) { console.log('caught', e.message); }
function* inner() { const x = yield 1; console.log('inner got', x); yield 2; return 'ret'; }
function* outer() { const r = yield* inner(); console.log('r', r); yield* [10, 20]; }
const o = outer();
console.log(o.next(), o.next('A'), o.next(), o.next(), o.next(), o.next());
const [p, q, ...rest] = (function*() { let i = 0; while (true) yield i++; })().take ? [0,1,2] : (function*(){ yield 0; yield 1; yield 2; yield 3; })();
console.log(p, q, rest);
console.log(typeof g, Object.prototype.toString.call(it), Object.getPrototypeOf(g) === Object.getPrototypeOf(function*(){}));
console.log(g, it);
class C { *[Symbol.iterator]() { yield 1; yield 2; } }
console.log([...new C()]);
const obj = { *m() { yield this.v; }, v: 42 };
console.log([...obj.m()]);
try { new g(); } catch (e) { console.log(e.message); }
function* fib() { let [a, b] = [0, 1]; for (;;) { yield a; [a, b] = [b, a + b]; } }
const f = fib(); const out = []; for (const x of f) { if (x > 100) break; out.push(x); } console.log(out.join(','));
function* running() { it2.next(); } const it2 = running(); try { it2.next(); } catch (e) { console.log(e.message); }
