const util = require('util'), events = require('events')
function double(a, cb) { setTimeout(() => cb(null, a * 2), 1) }
const pd = util.promisify(double)
console.log(pd.name, pd.length, util.promisify(pd) === pd)
pd(21).then(v => console.log('promisify', v))
util.promisify((cb) => cb(new Error('bad')))().catch(e => console.log('rejected', e.message))
function custom() {}
custom[util.promisify.custom] = () => Promise.resolve('custom!')
util.promisify(custom)().then(v => console.log(v))
const cbf = util.callbackify(async (x) => x + 1)
console.log(cbf.name, cbf.length)
cbf(1, (err, v) => console.log('callbackify', err, v))
util.callbackify(() => Promise.reject(null))((err) => console.log(err.message, err.code, err.reason))
const e = new events.EventEmitter()
events.once(e, 'x').then(args => console.log('once', args))
e.emit('x', 1, 2)
events.once(e, 'y').catch(err => console.log('once error', err.message))
e.emit('error', new Error('boom'))
console.log(e.listenerCount('y'), e.listenerCount('error'))
;(async () => {
  const e2 = new events.EventEmitter()
  setTimeout(() => { e2.emit('tick', 1); e2.emit('tick', 2); e2.emit('tick', 3) }, 5)
  for await (const [n] of events.on(e2, 'tick')) {
    console.log('on', n)
    if (n === 3) break
  }
  console.log('listeners after break', e2.listenerCount('tick'), e2.listenerCount('error'))
})()
