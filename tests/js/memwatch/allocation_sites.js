// minijs additions to HeapDiff (spec §8): { ignoreLessThanBytes } filters details rows, and
// { allocationSites: true } records where the new nodes were allocated: hd.allocationSites(n).
const memwatch = require('memwatch-next')
const EventEmitter = require('events')
const server = new EventEmitter(); server.setMaxListeners(0)
class Session { constructor(id) { this.id = id; this.data = [id] } }
const sessions = []
function handle() {
  for (let i = 0; i < 1000; i++) server.on('request', function leakEventCallback() {})
  for (let i = 0; i < 500; i++) sessions.push(new Session(i))
}
const hd = new memwatch.HeapDiff({ allocationSites: true, ignoreLessThanBytes: 10000 })
handle(); handle()
const diff = hd.end()
console.log(diff.change.details)
console.log(hd.allocationSites(3))
console.log(Object.keys(diff))
for (const g of hd.allocationSites()) console.log(g.what, g['+'], JSON.stringify(g.sites))
try { new memwatch.HeapDiff().allocationSites() } catch (e) { console.log(e.message) }
const h2 = new memwatch.HeapDiff({ allocationSites: true }); try { h2.allocationSites() } catch (e) { console.log(e.message) }
h2.end()
