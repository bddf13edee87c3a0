// new HeapDiff() + end() on a heap of 1,000,000 live objects (issue 7 benchmark; target 0.5 s).
const memwatch = require('memwatch-next')
const keep = []
for (let i = 0; i < 1000000; i++) keep.push({ i })
let t = process.hrtime()
const hd = new memwatch.HeapDiff()
let a = process.hrtime(t)
t = process.hrtime()
const d = hd.end()
let b = process.hrtime(t)
console.log('new HeapDiff %d ms, end() %d ms', (a[0]*1e3 + a[1]/1e6).toFixed(1), (b[0]*1e3 + b[1]/1e6).toFixed(1), d.after.nodes)
