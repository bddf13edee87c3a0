function g(a, b = 2, ...c) { return a + b + c.length + arguments.length; }
console.log(g(1), g(1, 5, 6, 7), g.length, g.name);
console.log(Math.max(...[1, 5, 3]), [...'abc'].length, [0, ...[1, 2], 3].length);
function sum() { let s = 0; for (let i = 0; i < arguments.length; i++) s += arguments[i]; return s; }
console.log(sum(1, 2, 3), sum(...[4, 5]));
const arrow = (a, b) => a * b;
console.log(arrow(6, 7), arrow.name, arrow.length);
const obj = { name: 'o', m() { return this.name; }, arrowThis() { const f = () => this.name; return f(); } };
console.log(obj.m(), obj.arrowThis(), obj.m.name);
function tag(strs, ...vals) { return strs.raw[1] + strs[0] + vals[1] + strs.length; }
console.log(tag`a${1}b${2}c`);
const bound = function (a, b) { return this.k + a + b; }.bind({ k: 1 }, 2);
console.log(bound(3), bound.name, bound.length);
function callMe(a) { return this.v + a; }
console.log(callMe.call({ v: 1 }, 2), callMe.apply({ v: 10 }, [5]));
const named = function inner() { return typeof inner; };
console.log(named(), named.name);
const f2 = function () {};
let f3; f3 = () => 1;
console.log(f2.name, f3.name);
console.log((function () { return typeof this; })(), (() => typeof this)());
function outer() { const x = 'cap'; return function () { return x; }; }
console.log(outer()());
console.log(String(function foo(a) { return a; }));
console.log([3, 1, 2].length, typeof Symbol(), typeof Symbol.iterator);
