// Tutorial script 2 (../shared/seed/app-heapdiff.js) without the network.
const memwatch = require('memwatch-next')
const EventEmitter = require('events')
const server = new EventEmitter()
server.on('request', () => {
  for (let i = 0; i < 10000; i++) {
    server.on('request', function leakEventCallback() {})
  }
  global.gc()
})

const hd = new memwatch.HeapDiff()
memwatch.on('leak', (info) => {
  const diff = hd.end()
  console.dir(diff, { depth: 10 })
})
let n = 0
const tick = () => {
  server.emit('request')
  if (++n < 5) setImmediate(tick)
}
setImmediate(tick)
