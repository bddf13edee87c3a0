// The package's basic example: 10,000 instances of a class between two snapshots.
const memwatch = require('memwatch-next')
class LeakingClass {}
const hd = new memwatch.HeapDiff()
const keep = []
for (let i = 0; i < 10000; i++) keep.push(new LeakingClass())
const diff = hd.end()
console.log(diff.change.details.filter((d) => d.what === 'LeakingClass'))
try { hd.end() } catch (e) { console.log(e.constructor.name, e.message) }
try { memwatch.HeapDiff() } catch (e) { console.log(e.constructor.name, e.message) }
console.log(Object.keys(memwatch), memwatch instanceof EventEmitterClass())
function EventEmitterClass() { return require('events') }
