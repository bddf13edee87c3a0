// A heap that grows for ten full collections, then shrinks: usage_trend turns negative
// (memwatch-next would show an unsigned wrap-around here; minijs's trend is signed).
const memwatch = require('memwatch-next')
let keep = []
const trends = []
memwatch.on('stats', (s) => trends.push(s.usage_trend))
let round = 0
const step = () => {
  round++
  if (round <= 10) {
    for (let i = 0; i < 20000; i++) keep.push({ i })
  } else {
    keep = keep.slice(0, keep.length / 2)
  }
  memwatch.gc()
  if (round < 14) setImmediate(step)
  else setImmediate(() => setImmediate(() => console.log(trends.join(' '))))
}
setImmediate(step)
