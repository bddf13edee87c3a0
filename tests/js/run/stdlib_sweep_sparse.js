// Far array-index keys on plain objects (no dense storage), Object.getOwnPropertyDescriptors
// of index keys and String wrappers, Object.values/entries skip keys a getter deleted.
const p = (...a) => console.log(...a);
const t = (f) => { try { p(f()); } catch (e) { p(e.constructor.name + ': ' + e.message); } };
t(() => { const o = {}; for (const k of ['b', '1', 'a', '0', '-1', '1.5', '4294967294', '4294967295', '100000']) o[k] = 1; return Object.keys(o); });
t(() => { const o = { 4294967294: 'max', 3000000000: 'big' }; o[2000000000] = 'two'; return [o[4294967294], o['3000000000'], 2000000000 in o, Object.keys(o), JSON.stringify(o)]; });
t(() => { const o = {}; o[1e9] = 'x'; delete o[1e9]; return [o[1e9], 1e9 in o, Object.keys(o)]; });
t(() => { const o = {}; o[5e8] = 1; o[5e8] += 1; Object.defineProperty(o, 7e8, { value: 'dp', enumerable: true }); return o; });
t(() => { const out = []; const o = { 3000000000: 1, 1: 2 }; for (const k in o) out.push(k); return out; });
t(() => Object.getOwnPropertyDescriptors('a'));
t(() => Object.getOwnPropertyDescriptors([7]));
t(() => Object.getOwnPropertyDescriptors({ 1: 'one', x: 2 }));
t(() => Object.entries({ a: 1, get b() { delete this.c; return 2; }, c: 3 }));
t(() => Object.values({ a: 1, get b() { Object.defineProperty(this, 'c', { enumerable: false }); return 2; }, c: 3 }));
