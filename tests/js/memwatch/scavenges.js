// Short-lived objects are collected by minor collections: they raise num_inc_gc and emit
// nothing; the full collections of memwatch.gc() then emit 'stats' (spec §2).
const memwatch = require('memwatch-next')
let stats = 0
memwatch.on('stats', (s) => {
  stats++
  if (stats === 2) console.log('full', s.num_full_gc, 'inc', s.num_inc_gc > 10 ? 'many' : s.num_inc_gc)
})
let o
for (let i = 0; i < 2000000; i++) o = { i }
memwatch.gc()
