const s = 'Hello, World'
console.log(s.charAt(1), s.charAt(99) === '', s.charCodeAt(0), s.charCodeAt(-1), s.codePointAt(4), s.at(-1), s.at(99))
console.log(s.indexOf('o'), s.indexOf('o', 5), s.indexOf(''), s.indexOf('', 99), s.lastIndexOf('o'), s.lastIndexOf('o', 5), s.lastIndexOf('zz'))
console.log(s.includes('World'), s.includes('world'), s.startsWith('Hell'), s.startsWith('World', 7), s.endsWith('World'), s.endsWith('Hello', 5))
console.log(s.slice(7), s.slice(-5, -1), s.slice(5, 2) === '', s.substring(5, 2), s.substring(-3, 4), s.substr(-5, 3), s.substr(2))
console.log(s.toUpperCase(), s.toLowerCase(), 'ÉCOLE Σ'.toLowerCase(), 'straße'.toUpperCase())
console.log('[' + '  \t pad \n '.trim() + ']', '[' + '  x '.trimStart() + ']', '[' + '  x '.trimEnd() + ']', '[' + '\u00a0\ufeffy\u2028'.trim() + ']')
console.log('5'.padStart(3, '0'), 'abc'.padStart(8, '12'), 'abc'.padEnd(6), 'abc'.padEnd(7, 'xy') + '|', 'abc'.padStart(2))
console.log('ab'.repeat(3), 'x'.repeat(0) === '', ''.repeat(5) === '')
console.log('a,b,,c'.split(',').join('|'), 'abc'.split('').join('|'), 'abc'.split().length, 'a,b,c'.split(',', 2).join('|'), ''.split(',').length, ''.split('').length)
console.log('aXbXc'.split('X', 0).length, 'one  two'.split(' ').length)
console.log('foo bar foo'.replace('foo', 'baz'), 'foo bar foo'.replaceAll('foo', 'baz'), 'abc'.replace('b', '[$&]'), 'abc'.replace('b', "$`|$'"), 'abc'.replace('b', '$$'), 'abc'.replace('b', '$1'))
console.log('abcabc'.replace('c', function (m, i, str) { return '<' + m + i + str.length + '>' }), 'aaa'.replaceAll('', '-'), 'xyz'.replace('', '_'))
console.log('a'.concat('b', 1, null, undefined), 'a'.localeCompare('b'), 'b'.localeCompare('a'), 'a'.localeCompare('a'), 'a'.localeCompare('B'), 'Z'.localeCompare('_'))
console.log(['b', 'C', 'a', 'B', '1', '_x'].sort(function (x, y) { return x.localeCompare(y) }).join(','))
console.log('abc'.normalize(), 'abc'.normalize('NFD'), String.prototype.toString.call('q'), 'v'.valueOf())
console.log(String.fromCharCode(72, 105, 65601), String.fromCodePoint(128512).length, String.fromCodePoint(65, 66), String.raw({ raw: ['a', 'b', 'c'] }, 1, 2, 3))
const iter = String.prototype[Symbol.iterator]
const it = iter.call('a😀b')
let r = it.next()
const parts = []
while (!r.done) { parts.push(r.value.length); r = it.next() }
console.log(parts.join(','), r.value, r.done)
console.log('😀'.length, '😀'.codePointAt(0), '😀'.codePointAt(1), '😀'.charCodeAt(0), 'a😀'.at(1).length)
console.log('abc'.isWellFormed(), ('ab' + String.fromCharCode(0xd800)).isWellFormed(), ('ab' + String.fromCharCode(0xd800)).toWellFormed().charCodeAt(2))
console.log('x'.trimLeft === 'x'.trimStart, String.prototype.trimRight.name, 'abc'.at(-4), 'Abc'.toLocaleUpperCase())
console.log(String.prototype.slice.call(12345, 1, 3), String.prototype.indexOf.call(true, 'u'))
const words = ['éclair', 'eclair', 'Eclair', 'ecole', 'école', 'zebra', 'Zürich', 'zurich', 'apple', 'Äpfel', 'apfel', 'résumé', 'resume', 'Resume', 'naïve', 'naive', 'b', 'B', 'a', 'A', '10', '9', '_x', '-y', 'ñandu', 'nandu', 'oz']
console.log(words.slice().sort(function (x, y) { return x.localeCompare(y) }).join(' '))
const pairs = [['a', 'b'], ['b', 'a'], ['a', 'A'], ['A', 'a'], ['é', 'e'], ['e', 'é'], ['é', 'f'], ['E', 'é'], ['résumé', 'resume'], ['a', 'a']]
console.log(pairs.map(function (p) { return p[0].localeCompare(p[1]) }).join(','))
