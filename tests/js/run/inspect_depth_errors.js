function rep(c, n) { var s = ''; for (var i = 0; i < n; i++) s += c; return s }
function Foo() {}
var fi = Object.create(Foo.prototype); fi.a = 1
console.log(fi, Object.create(Foo.prototype), [fi])
var deep = { l1: { l2: { fn: function f() {}, arr: [1], obj: { a: 1 }, emptyObj: {}, emptyArr: [], np: Object.create(null), str: 'deep string', nul: null, foo: fi, num: Object(1) } } }
var np2 = Object.create(null); np2.x = 1; deep.l1.l2.np2 = np2
var fp = function fwp() {}; fp.p = 1; deep.l1.l2.fnWithProps = fp
console.log(deep)
console.log({ own: 2 })
var tagged = { a: 1 }; tagged[Symbol.toStringTag] = 'Tagged'; console.log(tagged)
console.log(Object.create(Foo.prototype, { x: { value: 1, enumerable: true } }))
console.log([rep('x', 20), 'a\nb'])
console.log(rep('long line here\n', 6))
console.dir(rep('long line here\n', 6))
console.log(['a' + rep('b', 100)])
console.log({ 'key\n': 1, 'q\'s': 2 })
var e1 = Error('inner'); e1.stack = 'Error: inner\n    at a (x.js:1:1)\n    at b (x.js:2:1)\n    at c (x.js:3:1)\n    at d (x.js:4:1)\n    at e (x.js:5:1)'
var e2 = Error('outer', { cause: e1 }); e2.stack = 'Error: outer\n    at z (x.js:9:1)\n    at b (x.js:2:1)\n    at c (x.js:3:1)\n    at d (x.js:4:1)\n    at e (x.js:5:1)'
console.log(e2)
var en = Error('named'); en.name = 'CustomError'; en.stack = 'CustomError: named\n    at q (x.js:1:1)'; console.log(en)
var en2 = Error('m'); en2.stack = 'Error: m\n    at q (x.js:1:1)'; en2.name = 'Other'; console.log(en2)
var ts = TypeError('tt'); ts.stack = 'TypeError: tt'; console.log(ts, [ts])
var er = Error(''); er.stack = 'Error\n    at q (x.js:1:1)'; console.log({ e: er })
console.log('%s', er)
console.log([1.5, -2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17])
console.log([true, false, null, undefined, 1, 'a', Symbol('x'), {}])
var mixed = [1, 2, 3, 4, 5, 6, 7]; mixed.k = 'v'; console.log(mixed)
var h = []; h[9] = 1; h[20] = 2; h.length = 30; console.log(h)
