const memwatch = require('memwatch-next');
function* worker(id) { const buf = new Array(10).fill(id); yield buf.length; yield id; }
let held = [];
const hd = new memwatch.HeapDiff();
for (let i = 0; i < 1000; i++) { const g = worker(i); g.next(); held.push(g); }
const diff = hd.end();
console.log(diff.change.details.filter(d => d['+'] >= 1000).map(d => d.what + ' +' + d['+']).sort().join('\n'));
const hd2 = new memwatch.HeapDiff();
held = null;
const d2 = hd2.end();
console.log(d2.change.details.filter(d => d['-'] >= 1000).map(d => d.what + ' -' + d['-']).sort().join('\n'));
