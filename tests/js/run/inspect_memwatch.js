var stats = { num_full_gc: 1, num_inc_gc: 1, heap_compactions: 1, usage_trend: 0, estimated_base: 5350136, current_base: 5350136, min: 0, max: 0 }
console.log(1, stats)
console.log('stats:', { num_full_gc: 1, num_inc_gc: 1, heap_compactions: 1, usage_trend: 0 })
console.log({ num_full_gc: 1, num_inc_gc: 1, heap_compactions: 1, usage_trend: 0, min: 0 })
console.log({ what: 'Array', size_bytes: 530200, size: '517.77 kb', '+': 1023, '-': 510 })
console.log({ what: 'Code', '+': 1, '-': 59 })
var diff = {
  before: { nodes: 11625, size_bytes: 1869904, size: '1.78 mb' },
  after: { nodes: 21435, size_bytes: 2119136, size: '2.02 mb' },
  change: {
    size_bytes: 249232, size: '243.39 kb', freed_nodes: 197, allocated_nodes: 10007,
    details: [
      { what: 'Array', size_bytes: 530200, size: '517.77 kb', '+': 1023, '-': 510 },
      { what: 'Code', size_bytes: -43680, size: '-42.66 kb', '+': 1, '-': 59 },
      { what: 'String', size_bytes: 2120, size: '2.07 kb', '+': 70, '-': 23 }
    ]
  }
}
console.dir(diff, { depth: 10 })
console.log(diff)
console.dir({ a: { b: { c: { d: { e: 1 } } } } }, { depth: 10 })
console.dir({ a: { b: { c: { d: { e: 1 } } } } })
console.dir({ a: { b: { c: { d: { e: 1 } } } } }, { depth: null })
console.dir('str')
console.dir({ a: { b: { c: { d: 1 } } } }, { depth: null })
console.dir({ a: { b: { c: { d: 1 } } }, z: { y: 1 } }, { depth: null })
console.dir({ a: { b: { c: {} } } }, { depth: null })
console.dir({ a: { b: { c: [1] } } }, { depth: null })
console.dir([[[[1, 2]]]], { depth: null })
