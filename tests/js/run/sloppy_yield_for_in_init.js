// Annex B and sloppy names: 'yield' outside generators, for (var x = init in o).
{
var yield = 2; console.log(yield + 1, yield * 2, yield);
console.log(yield - 1 * 3, `${yield}`)
var f = function (x) { return x * 10 }; var yield2;
yield = f; console.log(yield(3)); yield = [5, 6]; console.log(yield[1])
yield = 4
yield
+1
console.log(yield)
var o = { yield: 1 }; console.log(o.yield)
function* g() { var x = yield 1; console.log('got', x); yield* [7, 8] }
var it = g(); console.log(it.next().value, it.next('a').value, it.next().value)
}
var o = {a:1, b:2}; for (var i = 0 in o) console.log(i);
for (var j = 5 in {}) ; console.log(j)
var log = []; for (var k = (log.push('init'), 1) in (log.push('obj'), {x:1})) log.push(k); console.log(log)
lbl: for (var q = 0 in {a:1,b:1}) { continue lbl }
for (var fn = function () {} in {}) ; console.log(fn.name)
// yield as a name before a division (the lexer first takes the / for a regex)
console.log(yield / 2, yield /2/ 1, yield/ 4)
var let_ = 6; var async = 8; console.log(async / 4, async /2/ 2)
