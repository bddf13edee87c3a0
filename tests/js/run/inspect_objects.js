function rep(c, n) { var s = ''; for (var i = 0; i < n; i++) s += c; return s }
function foo() {} 
console.log({ f: foo, h: function h() {} })
foo.prop = 1
console.log(foo, Math.max, console.log)
console.log(Object.create(null), [Object.create(null)])
var np = Object.create(null); np.a = 1; console.log(np)
var r = { name: 'root' }; r.self = r; console.log(r)
var c = {}; c.a = [1, c]; c.b = { c: c, d: [1, c] }; console.log(c)
var x = {}; var y = { x: x }; x.y = y; console.log([x, y])
console.log({ a: rep('x', 61) }); console.log({ a: rep('x', 62) }); console.log({ a: rep('x', 63) })
var cr = { a: rep('x', 33) }; cr.self = cr; console.log(cr)
var cr2 = { a: rep('x', 34) }; cr2.self = cr2; console.log(cr2)
console.log({ outer: { a: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', b: 1 } })
console.log({ outer: { a: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', b: 1 } })
console.log(Object(3), Object('ab'), Object(false), Object(Symbol('q')))
console.log([Error('nostack')].length)
var e = Error('with props'); e.stack = 'Error: with props\n    at Object.<anonymous> (app.js:6:12)'; e.code = 'E_CODE'; e.extra = { a: 1 }
var eb = Error('boom'); eb.stack = 'Error: boom\n    at thrower (app.js:1:29)\n    at Object.<anonymous> (app.js:2:11)'
console.log({ err: eb }, [eb])
console.log(e)
var e2 = Error('x'); e2.stack = undefined; console.log(e2)
var e3 = RangeError('r'); e3.stack = ''; console.log(e3)
console.log({ name: 'Error', message: 'not real' })

