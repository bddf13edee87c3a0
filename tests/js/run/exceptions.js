try { throw new Error('boom'); } catch (e) { console.log('caught', e.message, e instanceof Error); } finally { console.log('fin'); }
function f() { try { return 1; } finally { console.log('f-fin'); } }
console.log(f());
function g() {
  for (let i = 0; i < 3; i++) {
    try { if (i === 1) continue; if (i === 2) break; console.log('body', i); } finally { console.log('loop-fin', i); }
  }
  return 'done';
}
console.log(g());
function nested() {
  try {
    try { throw new TypeError('inner'); } finally { console.log('inner-fin'); }
  } catch (e) { console.log('outer caught', e.name, e.message); return 'r'; } finally { console.log('outer-fin'); }
}
console.log(nested());
try { null.x; } catch (e) { console.log(e.message, e.constructor.name); }
try { undefined.y = 1; } catch (e) { console.log(e.message); }
try { undefinedFn(); } catch (e) { console.log(e.message, e.name); }
try { const c = 1; c = 2; } catch (e) { console.log(e.message); }
try { let q = 1; q(); } catch (e) { console.log(e.message); }
try { const em = {}; em.foo(); } catch (e) { console.log(e.message); }
try { new (function () {}.bar)(); } catch (e) { console.log(e.constructor === TypeError); }
try { throw 42; } catch (x) { console.log('prim', x); }
try { throw { code: 1 }; } catch ({ code }) { console.log('code', code); }
try { try { throw 1; } catch { console.log('no binding'); throw 2; } } catch (v) { console.log('rethrown', v); }
function deep(n) { return n === 0 ? 0 : 1 + deep(n - 1); }
console.log(deep(5000));
function inf() { return inf() + 1; }
try { inf(); } catch (e) { console.log(e instanceof RangeError, e.message); }
const err = new RangeError('r');
console.log(typeof err.stack, err.stack.length > 0);
function thrower() { throw new Error('from fn'); }
function callsThrower() { thrower(); }
try { callsThrower(); } catch (e) { console.log(typeof e.stack); }

