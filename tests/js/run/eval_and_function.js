console.log(eval('1 + 2'), eval(42), eval({ a: 1 }))
globalThis.gv = 'global var'
const indirect = eval
console.log(indirect('gv'), (0, eval)('typeof gv'))
indirect('var fromEval = 7'); console.log(typeof fromEval, globalThis.fromEval)
const add = new Function('a', 'b', 'return a + b')
console.log(add(2, 3), add.name, add.length, String(add))
console.log(Function('return this')() === globalThis)
console.log(new Function('a, b', 'c', 'return a + b + c')(1, 2, 3))
try { eval('let let = 1') } catch (e) { console.log(e.name, e.message) }
try { new Function('{') } catch (e) { console.log(e.name, e.message) }
try { eval('throw new TypeError("inner")') } catch (e) { console.log(e.name, e.message) }
const GF = Object.getPrototypeOf(function* () {}).constructor
const g = new GF('a', 'yield a; yield a * 2')
console.log([...g(5)], g.name)
const AF = Object.getPrototypeOf(async function () {}).constructor
new AF('x', 'return await x')(9).then((v) => console.log('async', v))
console.log(eval('[1, 2].map(x => x * 2)'))
