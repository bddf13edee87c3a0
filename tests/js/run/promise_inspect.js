// util.inspect / console.log of promises, as node v20 prints them.
const util = require('util');
const handled = (p) => { p.catch(() => {}); return p; };

const pending = new Promise(() => {});
const fulfilled = Promise.resolve(1);
const rejected = handled(Promise.reject(42));
console.log(pending, fulfilled, rejected);
console.log(Promise.resolve('a'), Promise.resolve(undefined), Promise.resolve(null), Promise.resolve(-0));
console.log(handled(Promise.reject(new Error('boom'))).constructor.name);
const withProps = Promise.resolve('a');
withProps.x = 1;
withProps.y = { z: [1, 2] };
console.log(withProps);
const pendingProps = new Promise(() => {});
pendingProps.id = 7;
console.log(pendingProps);
console.log([fulfilled, pending], { p: rejected, q: { r: fulfilled } });
console.log(Promise.resolve({ a: { b: { c: { d: 1 } } } }));
console.log({ deep: { deeper: { deepest: Promise.resolve(1) } } });
console.log(util.inspect(Promise.resolve([1, 2, 3]), { depth: 0 }));
console.log(Promise.resolve(Promise.resolve(2)));
console.log(Promise.resolve({ long: 'x'.repeat(60), other: 'y'.repeat(20) }));
console.log(handled(Promise.reject({ reason: 'z'.repeat(70) })));
console.log(Promise.resolve([Promise.resolve(1), new Promise(() => {})]));

class P extends Promise {}
console.log(P.resolve(3), new P(() => {}));
const tagged = Promise.resolve(4);
Object.defineProperty(tagged, Symbol.toStringTag, { value: 'Custom' });
console.log(tagged);
const noProto = Promise.resolve(5);
Object.setPrototypeOf(noProto, null);
console.log(noProto);
const circular = {};
circular.p = Promise.resolve(circular);
setTimeout(() => {
  console.log(circular);
  console.log(Object.prototype.toString.call(fulfilled), String(fulfilled), `${pending}`);
  console.log('%o / %O / %s', fulfilled, pending, rejected);
  console.log(util.types.isPromise(fulfilled), util.types.isPromise({ then() {} }));
  console.log(util.inspect(fulfilled, { showHidden: true }));
}, 1);
