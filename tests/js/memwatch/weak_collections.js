const memwatch = require('memwatch-next');
const wm = new WeakMap();
const ws = new WeakSet();
let keys = [];
for (let i = 0; i < 1000; i++) { const k = { i }; keys.push(k); wm.set(k, new Array(100).fill(i)); ws.add(k); }
// A value that refers to its own key (an ephemeron cycle) must still be collectable.
for (let i = 0; i < 1000; i++) { const k = {}; wm.set(k, { back: k }); }
gc();
const hd = new memwatch.HeapDiff();
keys = null;
gc();
const d = hd.end();
console.log(d.change.details.filter(x => x['-'] >= 1000).map(x => x.what + ' -' + x['-']).sort().join('\n'));
const k2 = {}; wm.set(k2, 'kept'); gc(); console.log(wm.get(k2), wm.has(k2), ws.has(k2));
const chain = new WeakMap(); let a = {}; const b = {}; chain.set(a, b); chain.set(b, 'v'); gc(); console.log(chain.get(chain.get(a)));
