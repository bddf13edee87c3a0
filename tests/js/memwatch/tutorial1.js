// Tutorial script 1 (../shared/seed/app.js) without the network: five 'request's, each
// adding 10,000 listeners and ending in global.gc().
let count = 1
const memwatch = require('memwatch-next')
memwatch.on('stats', (stats) => {
  console.log(count++, stats)
})
memwatch.on('leak', (info) => {
  console.log('---')
  console.log(info)
  console.log('---')
})

const EventEmitter = require('events')
const server = new EventEmitter()
server.on('request', () => {
  for (let i = 0; i < 10000; i++) {
    server.on('request', function leakEventCallback() {})
  }
  global.gc()
})
let n = 0
const tick = () => {
  server.emit('request')
  if (++n < 5) setImmediate(tick)
}
setImmediate(tick)
