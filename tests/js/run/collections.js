// Reflect.construct stands in for `new` until the compiler has it.
function make(C, args) { return Reflect.construct(C, args || []) }
const m = make(Map, [[['a', 1], ['b', 2]]])
m.set('c', 3).set('a', 10)
console.log(m.size, m.get('a'), m.get('z'), m.has('b'), m.has('z'), m.delete('b'), m.delete('b'), m.size)
const ks = []
m.forEach(function (v, k, map) { ks.push(k + '=' + v + (map === m)) })
console.log(ks.join(','))
m.set(NaN, 'nan').set(-0, 'zero').set(1, 'one').set('1', 'string one')
console.log(m.get(NaN), m.get(0), m.get(+0), m.get(1), m.get('1'), m.size)
const okey = {}
const fkey = function () {}
m.set(okey, 'obj').set(fkey, 'fn')
console.log(m.get(okey), m.get({}), m.get(fkey))
console.log(Array.from(m.keys()).map(function (k) { return typeof k }).join(','))
console.log(JSON.stringify(Array.from(make(Map, [[[1, 'x'], [2, 'y']]]).entries())), Array.from(make(Map, [[[1, 'x']]]).values()).join())
// Live iteration: entries added during forEach are visited; deleted ones are not.
const live = make(Map, [[[1, 1], [2, 2], [3, 3]]])
const seen = []
live.forEach(function (v, k) { seen.push(k); if (k === 1) { live.delete(2); live.set(4, 4) } })
console.log(seen.join(','))
const it = live.entries()
const first = it.next()
live.clear()
live.set('after', 1)
const second = it.next()
console.log(first.value.join(':'), second.value.join(':'), it.next().done)
// Many deletes (compaction) while iterating.
const big = make(Map)
for (let i = 0; i < 1000; i++) big.set(i, i * 2)
const bi = big.keys()
bi.next()
for (let i = 0; i < 900; i++) big.delete(i)
console.log(bi.next().value, big.size, big.get(999))
const s = make(Set, [[1, 2, 2, 3, 'x', NaN, NaN]])
s.add(4).add(1)
console.log(s.size, s.has(2), s.has(NaN), s.has('2'), s.delete(2), s.has(2), Array.from(s).join())
const sv = []
s.forEach(function (v, k, set) { sv.push(v === k && set === s) })
console.log(sv.join(), Set.prototype.keys === Set.prototype.values, Set.prototype[Symbol.iterator] === Set.prototype.values, Map.prototype[Symbol.iterator] === Map.prototype.entries)
console.log(JSON.stringify(Array.from(make(Set, [['a', 'b']]).entries())), Array.from(make(Set, ['hello'])).join(''))
const wm = make(WeakMap)
const k1 = {}
const k2 = {}
wm.set(k1, 'one')
console.log(wm.get(k1), wm.get(k2), wm.has(k1), wm.has(k2), wm.delete(k1), wm.has(k1), wm.set(k2, 2) === wm)
const ws = make(WeakSet, [[k1]])
console.log(ws.has(k1), ws.has(k2), ws.add(k2) === ws, ws.has(k2), ws.delete(k2), ws.has(k2))
console.log(Object.prototype.toString.call(m), Object.prototype.toString.call(s), Object.prototype.toString.call(wm), Object.prototype.toString.call(ws), Object.prototype.toString.call(m.keys()), Object.prototype.toString.call(s.values()))
console.log(typeof Map, Map.length, Set.name, Map.prototype.constructor === Map, Object.getPrototypeOf(m) === Map.prototype, m instanceof Map)
const mi = make(Map, [[['k', 'v']]])[Symbol.iterator]
console.log(typeof mi, Reflect.apply(Math.max, null, [1, 5, 3]), Reflect.has({ a: 1 }, 'a'), Reflect.ownKeys({ b: 1, a: 2 }).join(), Reflect.getPrototypeOf([]) === Array.prototype)
const data = make(Map)
for (let i = 0; i < 50; i++) data.set('key' + (i % 10), i)
let total = 0
data.forEach(function (v) { total += v })
console.log(data.size, total, Array.from(data.keys()).join())
