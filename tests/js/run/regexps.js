// RegExp(...) stands in for literals until the compiler has them.
const re = RegExp('(\\d+)-(\\d+)', 'g')
console.log(re.source, re.flags, re.global, re.sticky, re.lastIndex, String(re), RegExp('a/b').source, RegExp('').source, String(RegExp('', 'gimsuy')))
let m = re.exec('a 12-34 b 5-6')
console.log(m[0], m[1], m[2], m.index, m.input, m.length, re.lastIndex)
m = re.exec('a 12-34 b 5-6')
console.log(m[0], m.index, re.lastIndex)
console.log(re.exec('a 12-34 b 5-6'), re.lastIndex)
const t = RegExp('^h', 'i')
console.log(t.test('Hello'), t.test('oh'), RegExp('x', 'y').test('ax'))
const sticky = RegExp('a', 'y')
sticky.lastIndex = 1
console.log(sticky.test('ba'), sticky.lastIndex, sticky.test('ba'), sticky.lastIndex)
console.log('a1b22c333'.match(RegExp('\\d+', 'g')).join('|'), 'abc'.match(RegExp('z', 'g')), 'abc'.match(RegExp('(b)(c)?')).join('|'), 'abc'.match('b').index)
console.log('2024-01-15'.replace(RegExp('(\\d+)-(\\d+)-(\\d+)'), '$3/$2/$1'), 'aaa'.replace(RegExp('a', 'g'), 'b'), 'abc'.replace(RegExp('b'), '[$&|$`|$\'|$$|$1]'))
console.log('John Smith'.replace(RegExp('(\\w+)\\s(\\w+)'), function (all, first, last, pos, str) { return last + ', ' + first + ' @' + pos + ' of ' + str.length }))
console.log('x-y-z'.replaceAll(RegExp('-', 'g'), '+'), 'abc'.replace(RegExp('', 'g'), '.'), 'ab'.replace(RegExp('(?:)', 'g'), function (m, p) { return p }))
console.log('a, b,c ,d'.split(RegExp('\\s*,\\s*')).join('|'), 'a1b2c3'.split(RegExp('(\\d)')).join('|'), 'abc'.split(RegExp('')).join('|'), ''.split(RegExp('x')).length, ''.split(RegExp('')).length, 'a,b,c'.split(RegExp(','), 2).join('|'))
console.log('Hello World'.search(RegExp('o')), 'Hello'.search(RegExp('z')), 'Hello'.search('l'))
const named = RegExp('(?<year>\\d{4})-(?<month>\\d{2})')
const nm = named.exec('on 2023-07!')
console.log(nm.groups.year, nm.groups.month, '2023-07'.replace(named, '$<month>/$<year>'), JSON.stringify(nm.groups))
const all = []
const iter = 'a1b22c333'.matchAll(RegExp('[a-z](\\d+)', 'g'))
let step = iter.next()
while (!step.done) { all.push(step.value[0] + ':' + step.value[1] + '@' + step.value.index); step = iter.next() }
console.log(all.join(' '))
console.log(RegExp('\\u{1F600}', 'u').test('😀'), '😀😀'.replace(RegExp('', 'gu'), '-'), '😀😀'.replace(RegExp('', 'g'), '-').length)
console.log(RegExp('a.c', 's').test('a\nc'), RegExp('a.c').test('a\nc'), RegExp('^b', 'm').test('a\nb'), RegExp('(?<=\\$)\\d+').exec('cost $42')[0])
console.log(Object.prototype.toString.call(re), RegExp(re) === re, RegExp(re, 'i').flags, RegExp(re).lastIndex, typeof RegExp.prototype.exec)
const words = 'The quick brown fox jumps over the lazy dog'
console.log(words.split(RegExp('\\s+')).filter(function (w) { return RegExp('o').test(w) }).join(','), words.replace(RegExp('\\b(\\w)', 'g'), function (c) { return c.toUpperCase() }))
const d = RegExp('(a)(?<n>b)?', 'd').exec('xa')
console.log(JSON.stringify(d.indices), d.indices.groups.n)
// The Symbol.match/replace/search/split protocol: any object can act as a pattern.
const custom = {}
custom[Symbol.replace] = function (s, r) { return 'replaced ' + s + ' with ' + r }
custom[Symbol.split] = function (s, lim) { return ['split', s, lim] }
custom[Symbol.search] = function (s) { return 42 }
custom[Symbol.match] = function (s) { return ['custom match', s] }
console.log('abc'.replace(custom, 'x'), 'abc'.split(custom, 3).join('|'), 'abc'.search(custom), 'abc'.match(custom).join('|'), typeof Symbol.matchAll, String(Symbol.split))
console.log(RegExp.prototype[Symbol.split].call(RegExp('-'), 'a-b-c').join('+'), RegExp.prototype[Symbol.replace].call(RegExp('b', 'g'), 'abcb', 'X'), Array.from(RegExp.prototype[Symbol.matchAll].call(RegExp('\\d', 'g'), 'a1b2')).join())
const notRegExp = { source: 'x' }
notRegExp[Symbol.match] = false
console.log('/x/'.startsWith(notRegExp) === false, 'a.b'.split('.').length, 'a.b'.replace('.', '!'))
