// The leak report prints as memwatch's ({ growth, reason }), and a listener can expand it:
// heap_sizes (the heap after each collection of the growth streak) and elapsed_ms are
// non-enumerable additions (spec §8).
const memwatch = require('memwatch-next')
const keep = []
memwatch.on('leak', (info) => {
  console.log(Object.keys(info))
  console.log(info.heap_sizes.length, info.heap_sizes.every((v, i, a) => i === 0 || v > a[i - 1]))
  console.log(info.growth === info.heap_sizes[4] - info.heap_sizes[0])
  console.log(typeof info.elapsed_ms)
})
let n = 0
function step() {
  for (let i = 0; i < 2000; i++) keep.push({ i })
  gc()
  if (++n < 6) setImmediate(step)
}
step()
