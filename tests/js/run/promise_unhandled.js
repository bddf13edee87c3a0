// Unhandled rejections with listeners: when node looks (after the ticks and microtasks of a
// callback have drained), what the listeners receive, and rejections handled later.
const log = [];
const L = (s) => log.push(s);
const reported = [];
process.on('unhandledRejection', (reason, promise) => {
  L('unhandledRejection ' + (reason instanceof Error ? reason.message : String(reason)) + ' ' + (promise instanceof Promise));
  reported.push(promise);
});
process.on('rejectionHandled', (promise) => L('rejectionHandled ' + reported.indexOf(promise)));

// Handled in the same drain (microtask, nextTick, a later microtask turn): not reported.
const a = Promise.reject('a');
Promise.resolve().then(() => Promise.resolve()).then(() => a.catch(() => L('a handled in a microtask')));
const b = Promise.reject('b');
process.nextTick(() => b.catch(() => L('b handled in a tick')));
// Never handled, or only later: reported once each, in rejection order.
const c = Promise.reject('c');
Promise.resolve(1).then(() => { throw new Error('d from a handler'); });
new Promise(() => { throw 'e from an executor'; });
const late = Promise.reject('late');
setTimeout(() => {
  L('timer: handling late');
  late.catch(() => L('late handled'));
}, 2);
// A rejection inside a timer is looked at after that timer's callbacks drain.
setTimeout(() => {
  const f = Promise.reject('f');
  L('timer: rejected f');
  Promise.resolve().then(() => L('microtask after f'));
  process.nextTick(() => L('tick after f'));
  f.then(() => {});
}, 4);
// The derived promise of a then() on a rejected promise is itself unhandled.
setTimeout(() => {
  Promise.reject('g').then(() => {});
  setImmediate(() => L('immediate after g'));
}, 6);
L('sync end');
process.on('exit', () => console.log(log.join('\n')));
