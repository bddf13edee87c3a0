// Array-index properties that are accessors or not plain (read-only, hidden), and V8's
// comparator call order for short sorts.
const p = (...a) => console.log(...a);
const t = (f) => { try { p(f()); } catch (e) { p(e.constructor.name + ': ' + e.message); } };
const log = [];
const L = () => { const r = log.join(); log.length = 0; return r; };
const al = { length: 3, get 0() { log.push('g0'); return 'a'; }, get 1() { log.push('g1'); return 'b'; }, get 2() { log.push('g2'); return 'c'; } };
t(() => [al[0], al['1'], 2 in al, Object.keys(al), L()]);
t(() => [Array.prototype.join.call(al), L()]);
t(() => [Array.prototype.includes.call(al, 'b'), L()]);
t(() => [Array.prototype.lastIndexOf.call(al, 'a'), L()]);
t(() => [Array.prototype.map.call(al, (x) => x + x), L()]);
t(() => [Array.prototype.toReversed.call(al), L()]);
t(() => [Array.from(al), L()]);
t(() => { const o = { set 0(v) { log.push('s' + v); } }; o[0] = 5; return [o[0], L()]; });
t(() => { const q = {}; Object.defineProperty(q, 0, { get() { return 'dp'; }, enumerable: true }); return [q[0], Object.keys(q), 0 in q, Object.getOwnPropertyDescriptor(q, 0).get.name]; });
t(() => { const r = { 2: 'two', b: 1 }; Object.defineProperty(r, '1', { value: 'ro', writable: false, enumerable: true }); r[1] = 'changed'; return [r[1], Object.getOwnPropertyDescriptor(r, 1), Object.keys(r)]; });
t(() => { const r = {}; Object.defineProperty(r, 1, { value: 'ro' }); Object.defineProperty(r, 1, { value: 'x' }); });
t(() => { const a = [1, 2]; Object.defineProperty(a, 0, { get() { return 'ag'; } }); return [a[0], a.length, a.indexOf('ag'), Object.keys(a)]; });
t(() => { const a = [1]; Object.defineProperty(a, 3, { get() { return 'far'; }, enumerable: true }); return [a.length, a[3], a.slice()]; });
t(() => { const a = [1, 2, 3]; Object.defineProperty(a, 1, { enumerable: false }); return [a[1], Object.keys(a), JSON.stringify(a), a.propertyIsEnumerable(1)]; });
t(() => { const a = [1, 2, 3]; Object.defineProperty(a, 1, { value: 9, writable: false }); a[1] = 4; return [a[1], a, delete a[1], a]; });
t(() => { const o = { get 0() { return 'g'; } }; delete o[0]; return [o[0], 0 in o]; });
t(() => { const proto = { get 0() { return 'inherited'; } }; const o = Object.create(proto); return [o[0], 0 in o, o.hasOwnProperty(0)]; });
t(() => { const proto = { set 0(v) { log.push('ps' + v); } }; const o = Object.create(proto); o[0] = 1; return [o.hasOwnProperty(0), L()]; });
const calls = [];
t(() => [[5, 1, 4, 2, 3].sort((a, b) => { calls.push(a + '' + b); return a - b; }), calls.join()]);
t(() => [[5, 1, 4].sort((a, b) => b > a), [3, 1, 2, 5, 4, 9, 0].sort((a, b) => a > b), [3, 1, 2].sort(() => -1), [1, 2, 3, 4].sort(() => 1)]);
t(() => [[4, 3, 2, 1, 0].toSorted((a, b) => a < b), ['b', 'a', 'c'].sort((a, b) => a > b)]);
