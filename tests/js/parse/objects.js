o = { a: 1, 'b': 2, 3: 'c', [k]: 4, d, e() {}, get f() { return 1 }, set f(v) {}, async g() {}, *h() {}, ...spread, if: 1, class: 2, get: 3, set: 4, static: 5, of: 6, async: 7 }
o.if = o.class + o.new
x = {}
x = { __proto__: null }
