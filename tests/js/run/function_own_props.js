// Functions' own length, name and prototype: listed first, in V8's order, deletable.
// (V8 also gives sloppy functions legacy own 'arguments' and 'caller'; minijs does not, as
// the specification; the functions listed here are strict.)
console.log(Object.getOwnPropertyNames(function f(a) { 'use strict' }), Object.getOwnPropertyNames(() => 1), Object.getOwnPropertyNames(class A { static m() {} }));
console.log(Object.getOwnPropertyNames(Math.max), Reflect.ownKeys(function* g() {}), Object.getOwnPropertyNames(async function h() {}));
console.log(Object.getOwnPropertyDescriptor(function f(a) {}, 'length'), (function f(a, b) {}).hasOwnProperty('name'));
const b = function f(a) {}.bind(null); console.log(Object.getOwnPropertyNames(b), b.name, b.length);
function k() { 'use strict' } console.log(delete k.name, JSON.stringify(k.name), Object.getOwnPropertyNames(k), k.hasOwnProperty('name'));
console.log(delete k.length, k.length, Object.getOwnPropertyNames(k));
console.log(Object.getOwnPropertyNames({ m() {} }.m));
Object.defineProperty(k, 'name', { value: 'renamed' }); console.log(k.name, Object.getOwnPropertyNames(k), String(k).length);
class C { static name = 'static name'; static length = 7 } console.log(C.name, C.length, Object.getOwnPropertyNames(C));
console.log(JSON.stringify(Function.prototype.name), Function.prototype.length, typeof Function.prototype, Function.prototype(1, 2));
console.log(Object.getOwnPropertyNames(Function.prototype).filter((n) => !['arguments', 'caller'].includes(n)).sort());
console.log(Function.prototype); console.log([Function.prototype]); console.log(Object.prototype.toString.call(Function.prototype));
console.log(Object.keys(function q() {}), JSON.stringify(Object.entries(() => 1)));
for (const key in function z() {}) console.log('never', key);
