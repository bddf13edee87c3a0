const point = { x: 1, y: 2, 'z': 3, 4: 'four', norm() { return Math.sqrt(this.x * this.x + this.y * this.y) } }
console.log(point.x, point['y'], point.z, point[4], point.norm())
const key = 'dyn'
const o = { [key]: 7, key }
console.log(o.dyn, o.key, o.missing)
const list = [1, 2, 3]
list.push(4, 5)
list[7] = 8
console.log(list.length, list[4], list[6], list[7])
let s = 0
for (let i = 0; i < list.length; i++) { if (list[i] !== undefined) s += list[i] }
console.log(s, Math.floor(-2.5), Math.round(-2.5), Math.round(2.5), Math.max(1, 9, 3), Math.min(), Math.imul(0x7fffffff, 3), Math.abs(-4))
function Counter() { return { n: 0, inc() { this.n++; return this.n } } }
const c = Counter()
c.inc(); c.inc()
console.log(c.inc(), 'abc'[1], 'abc'.length)
