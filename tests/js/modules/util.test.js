const util = require('util');
const EventEmitter = require('events');

// inspect / format (simple values)
console.log(util.inspect('x'), util.inspect(1), util.inspect(-0), util.inspect(null), util.inspect(undefined));
console.log(util.inspect({ a: 1, b: 'two' }), util.inspect([1, 2, 3]), util.inspect([]), util.inspect({}));
console.log(util.inspect({ a: { b: { c: { d: 1 } } } }), util.inspect({ a: { b: { c: {} } } }, { depth: 0 }));
console.log(util.inspect(Symbol('s')), util.inspect(function named() {}), util.inspect("it's"));
console.log(util.inspect.custom === Symbol.for('nodejs.util.inspect.custom'));
console.log(util.format('%s=%d', 'a', 42), util.format('%s', 'x', 'extra', 3), util.format('100%%', 1));
console.log(util.format('no args'), util.format(1, 2, 'three'), util.format('%i', 42.9), util.format('%j', 'x'));
console.log(util.format('%d%%', 50), util.format('%s', 5), util.format());

// inherits
function Animal(name) { this.name = name; }
Animal.prototype.speak = function () { return this.name + ' makes a sound'; };
function Dog(name) { Animal.call(this, name); }
util.inherits(Dog, Animal);
const d = new Dog('rex');
console.log(d.speak(), d instanceof Animal, Dog.super_ === Animal, Object.keys(Dog));
function Stream() { EventEmitter.call(this); }
util.inherits(Stream, EventEmitter);
const s = new Stream();
s.on('data', function (x) { console.log('data', x); });
s.emit('data', 7);
try { util.inherits(Dog, null); } catch (e) { console.log(e.code, e.message); }
try { util.inherits(null, Dog); } catch (e) { console.log(e.code, e.message); }
try { util.inherits(Dog, Object.create(null)); } catch (e) { console.log(e.code, e.message); }

// isDeepStrictEqual
console.log(util.isDeepStrictEqual({ a: [1, 2] }, { a: [1, 2] }), util.isDeepStrictEqual({ a: 1 }, { a: '1' }),
  util.isDeepStrictEqual(NaN, NaN), util.isDeepStrictEqual([1, , 2], [1, undefined, 2]),
  util.isDeepStrictEqual(0, -0), util.isDeepStrictEqual(new Error('x'), new Error('x')));

// legacy is* helpers and types
console.log(util.isArray([]), util.isBoolean(false), util.isNull(null), util.isNullOrUndefined(undefined),
  util.isNumber(1), util.isString(''), util.isSymbol(Symbol()), util.isUndefined(undefined),
  util.isObject({}), util.isObject(null), util.isFunction(() => {}), util.isPrimitive('x'),
  util.isPrimitive({}), util.isError(new TypeError('t')), util.isError({}));
const t = util.types;
console.log(typeof t, t.isNativeError(new RangeError('r')), t.isNativeError({}), t.isDate({}), t.isRegExp({}),
  t.isMap({}), t.isSet([]), t.isPromise({}), t.isProxy({}));
(function () { console.log(t.isArgumentsObject(arguments), t.isArgumentsObject([])); })();

// _extend
console.log(util._extend({ a: 1 }, { b: 2 }));

// deprecate: warns once per function (or once per code), on the next tick
const oldFn = util.deprecate(function oldFn(x) { return x * 2; }, 'oldFn() is deprecated. Use newFn() instead.', 'DEP0999');
console.log(oldFn(2), oldFn(3));
const other = util.deprecate(function other() { return 'o'; }, 'other() is deprecated.');
console.log(other(), other());
const same = util.deprecate(function same() { return 's'; }, 'same code, no second warning', 'DEP0999');
console.log(same());
class Base { constructor(v) { this.v = v; } }
const Dep = util.deprecate(Base, 'Base is deprecated');
const inst = new Dep(5);
console.log(inst.v, inst instanceof Base, inst instanceof Dep);
try { util.deprecate(function () {}, 'm', 5); } catch (e) { console.log(e.code, e.message); }
console.log('end of script');
