const a = [1, 2, 3, 4, 5]
console.log(a.pop(), a.shift(), a.unshift(9, 8), a.join('-'), a.length)
console.log([1, 2, 3, 4, 5].slice(1, -1).join(), [1, 2, 3].slice(-2).join(), [1, 2, 3].slice(5).length)
let b = [1, 2, 3, 4, 5]
console.log(b.splice(1, 2).join(), b.join(), b.splice(1, 0, 'x', 'y').length, b.join(), b.splice(-1).join(), b.join(), b.splice(1).join(), b.join())
console.log([1, 2].concat([3, 4], 5, [[6]]).length, [1, 2].concat([3, 4], 5, [[6]]).join('|'))
const holey = [1, null, undefined, 'a']
holey[5] = 2
console.log(holey.join(), [[1, 2], [3]].toString(), String([1, [2, [3, null]]]))
console.log([1, 2, 3, 2].indexOf(2), [1, 2, 3, 2].lastIndexOf(2), [1, 2, 3].indexOf(4), [NaN].indexOf(NaN), [NaN].includes(NaN), [1, 2, 3].includes(2, 2), [0].includes(-0))
const out = []
;[3, 4, 5].forEach(function (x, i, arr) { out.push(x * i + arr.length) })
console.log(out.join(), [1, 2, 3].map(function (x) { return x * 2 }).join(), [1, 2, 3, 4].filter(function (x) { return x % 2 === 0 }).join())
console.log([1, 2, 3].reduce(function (s, x) { return s + x }), [1, 2, 3].reduce(function (s, x) { return s + x }, 10), ['a', 'b', 'c'].reduceRight(function (s, x) { return s + x }))
console.log([1, 2, 3].some(function (x) { return x > 2 }), [1, 2, 3].every(function (x) { return x > 2 }), [].some(function () { return true }), [].every(function () { return false }))
console.log([5, 12, 8, 130].find(function (x) { return x > 10 }), [5, 12, 8, 130].findIndex(function (x) { return x > 10 }), [5, 12, 8, 130].findLast(function (x) { return x > 10 }), [5, 12, 8, 130].findLastIndex(function (x) { return x > 1000 }))
console.log([3, 1, 10, 2, 21].sort().join(), [3, 1, 10, 2, 21].sort(function (x, y) { return x - y }).join(), ['b', undefined, 'a', 'c'].sort().join())
const people = [{ n: 'a', age: 30 }, { n: 'b', age: 20 }, { n: 'c', age: 30 }, { n: 'd', age: 20 }]
console.log(people.sort(function (x, y) { return x.age - y.age }).map(function (p) { return p.n }).join(''))
const sparse = [3]
sparse[2] = 1
sparse.sort()
console.log(sparse.length, sparse[0], sparse[1], 2 in sparse)
console.log([1, 2, 3].reverse().join(), [1, 2, 3, 4].fill(0, 1, 3).join(), Array(3).fill(7).join())
console.log([1, [2, [3, [4]]]].flat().length, [1, [2, [3, [4]]]].flat(Infinity).join(), [1, 2].flatMap(function (x) { return [x, x * 10] }).join())
console.log([1, 2, 3].at(-1), [1, 2, 3].at(5), [1, 2, 3, 4, 5].copyWithin(0, 3).join(), [1, 2, 3, 4, 5].copyWithin(1, 0, 3).join())
console.log(Array.from('abc').join(), Array.from({ length: 3 }, function (v, i) { return i * i }).join(), Array.from([1, 2], function (x) { return x + 1 }).join(), Array.of(7, 8).join(), Array.of(3).length)
console.log([1, 2, 3].toReversed().join(), [3, 1, 2].toSorted().join(), [1, 2, 3].with(1, 9).join(), [1, 2, 3].toSpliced(1, 1, 'a', 'b').join())
const cyc = [1, 2]
cyc.push(cyc)
console.log(cyc.join(), [1, 2, 3].keys().next().value)
const obj = { length: 3, 0: 'x', 1: 'y', 2: 'z' }
console.log(Array.prototype.join.call(obj, '+'), Array.prototype.map.call(obj, function (c) { return c.toUpperCase() }).join(''), Array.prototype.slice.call(obj, 1).join())
const al = { length: 2, 0: 1, 1: 2 }
Array.prototype.push.call(al, 3)
console.log(al.length, al[2], Array.prototype.pop.call(al), al.length, Array.prototype.reverse.call(al)[0])
const big = []
for (let i = 0; i < 1000; i++) big.push((i * 7919) % 1000)
big.sort(function (x, y) { return x - y })
let ok = true
for (let i = 1; i < big.length; i++) if (big[i - 1] > big[i]) ok = false
console.log(ok, big[0], big[999], big.map(function (x) { return 'n' + x }).filter(function (s) { return s.length === 2 }).length)
console.log([10, 1, 5].sort(undefined).join(), [true, false].join(), [1.5, -0, 1e21].join(), [[]].join() === '', ['a', 'b'].entries().next().value.join())
