// Symbol.keyFor / valueOf / @@toPrimitive, Math.round, radix message, bind, Error toString,
// Array.from / Array.of on subclasses.
const p = (...a) => console.log(...a);
const t = (f) => { try { p(f()); } catch (e) { p(e.constructor.name + ': ' + e.message); } };
t(() => [Symbol.keyFor(Symbol.for('k')), Symbol.keyFor(Symbol('k')), Symbol.keyFor.length]);
t(() => Symbol.keyFor('x'));
t(() => { const s = Symbol('v'); return [Object(s).valueOf() === s, Object(s)[Symbol.toPrimitive]() === s, Object(s) == s]; });
t(() => Symbol.prototype.valueOf.call(1));
t(() => Symbol.prototype[Symbol.toPrimitive].call(1));
t(() => Object.getOwnPropertyDescriptor(Symbol.prototype, 'description').get.call(1));
t(() => { const f = Symbol.prototype[Symbol.toPrimitive]; return [f.name, f.length]; });
t(() => [Math.round(0.49999999999999994), Math.round(-0.5), Math.round(2.5), Math.round(-2.5), Math.round(4503599627370495.5), Math.round(-4503599627370495.5), Math.round(-0.2), Math.round(1e300)]);
t(() => (1).toString(1));
t(() => (1).toString(37));
t(() => ['abc'.padStart.length, 'abc'.padEnd.length]);
function foo(a, b) {}
t(() => { const f = function () {}; Object.defineProperty(f, 'length', { value: 2.5 }); return f.bind().length; });
t(() => { const f = function () {}; Object.defineProperty(f, 'length', { value: -Infinity }); return f.bind().length; });
t(() => { const f = function () {}; Object.defineProperty(f, 'length', { value: Infinity }); return f.bind(null, 1).length; });
t(() => { const f = function () {}; Object.defineProperty(f, 'length', { value: '3' }); return f.bind().length; });
t(() => [foo.bind().toString(), foo.bind(null, 1).length, foo.bind().name]);
t(() => Error.prototype.toString.call(1));
t(() => Error.prototype.toString.call('str'));
class MyArr extends Array {}
t(() => { const a = MyArr.from([1, 2]); return [a instanceof MyArr, a.length, a]; });
t(() => { const a = MyArr.of(3, 4, 5); return [a instanceof MyArr, a.length, a]; });
t(() => { const a = MyArr.from({ length: 2, 0: 'x' }, (v) => v + '!'); return [a instanceof MyArr, a]; });
t(() => Array.of.call(Object, 1, 2));
t(() => Array.from.call(Object, [1, 2]));
t(() => Array.from.call(undefined, [1, 2]));
t(() => Array.from(null));
t(() => Array.from(undefined));
