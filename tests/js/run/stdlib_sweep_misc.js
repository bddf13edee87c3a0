// push on non-extensible arrays and past 2**53-1, collection constructors' non-iterable
// message, bind on a non-function, (-0).toLocaleString().
const p = (...a) => console.log(...a);
const t = (f) => { try { p(f()); } catch (e) { p(e.constructor.name + ': ' + e.message); } };
t(() => { const a = Object.preventExtensions([1, 2]); a.push(3); });
t(() => Array.prototype.push.call({ length: 2 ** 53 - 1 }, 1));
t(() => Array.prototype.push.call({ length: 2 ** 53 - 1 }));
t(() => { const o = Object.preventExtensions({ length: 0 }); Array.prototype.push.call(o, 'x'); });
t(() => new Map(5));
t(() => new Set(true));
t(() => new WeakMap({}));
t(() => new WeakSet(Symbol('s')));
t(() => [new Set('abc').size, new Map(null).size, new Set(undefined).size]);
t(() => Function.prototype.bind.call({}));
t(() => Function.prototype.bind.call(1));
t(() => [(-0).toLocaleString(), (-0.0001).toLocaleString(), (-0.5).toLocaleString(), (0.0001).toLocaleString(), (-1234.5).toLocaleString()]);
