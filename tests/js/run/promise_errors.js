// Errors thrown in executors and handlers, V8's messages, finally, withResolvers.
const log = [];
const L = (s) => log.push(s);
const msg = (e) => (e instanceof Error ? e.constructor.name + ': ' + e.message : typeof e + ' ' + String(e));
const t = (name, f) => { try { f(); L(name + ': no error'); } catch (e) { L(name + ': ' + msg(e)); } };
let turn = 0;
(function tick() {
  if (turn < 8) {
    L('-- turn ' + turn++);
    Promise.resolve().then(tick);
  }
})();

// The constructor.
t('no executor', () => new Promise());
t('number executor', () => new Promise(1));
t('object executor', () => new Promise({}));
t('string executor', () => new Promise('abc'));
t('array executor', () => new Promise([]));
t('null executor', () => new Promise(null));
t('without new', () => Promise(() => {}));
L('lengths ' + [Promise.length, Promise.prototype.then.length, Promise.prototype.catch.length, Promise.prototype.finally.length, Promise.all.length, Promise.resolve.length].join(','));
L('tag ' + Promise.prototype[Symbol.toStringTag] + ' ' + Object.prototype.toString.call(Promise.resolve()) + ' ' + String(Promise.resolve()));

// Executors: the resolving functions, errors after resolving, errors as rejections.
new Promise((res, rej) => {
  L('resolve fn ' + typeof res + ' ' + res.length + ' ' + JSON.stringify(res.name) + ' ' + res.hasOwnProperty('prototype') + ' ' + (res !== rej));
  L('resolve returns ' + res('first') + ' then ' + res('second') + ' ' + rej('third'));
  throw new Error('ignored after resolve');
}).then((v) => L('executor kept ' + v));
new Promise(() => { throw new RangeError('executor threw'); }).catch((e) => L('caught ' + msg(e)));
new Promise((_, rej) => { rej(undefined); }).catch((e) => L('rejected with ' + e));
new Promise(() => { throw null; }).catch((e) => L('threw ' + e));

// Handlers.
Promise.resolve(1).then(() => { throw new TypeError('handler threw'); }).catch((e) => L('caught ' + msg(e)));
Promise.reject(1).catch(() => { throw 'rethrown'; }).catch((e) => L('caught ' + msg(e)));
Promise.resolve(1).then(5, 6).then((v) => L('non-callable handlers pass through ' + v));
Promise.reject(2).then(5, 6).catch((e) => L('non-callable rejection passes through ' + e));

// finally: pass-through, waiting for onFinally's promise, overriding with its rejection.
Promise.resolve('v').finally(function () { L('finally args ' + arguments.length); return 'ignored'; }).then((v) => L('finally passes ' + v));
Promise.reject('e').finally(() => {}).catch((e) => L('finally passes rejection ' + e));
Promise.resolve('v').finally(() => { throw new Error('finally threw'); }).catch((e) => L('finally error wins ' + msg(e)));
Promise.reject('e').finally(() => Promise.reject('finally rejected')).catch((e) => L('finally rejection wins ' + e));
Promise.resolve('v').finally(() => new Promise((r) => setTimeout(r, 1))).then((v) => L('finally waited ' + v));
Promise.resolve('nf').finally('not a function').then((v) => L('finally non-function ' + v));
Promise.resolve('ticks').finally(() => {}).then((v) => L('finally ' + v + ' (turn ' + turn + ')'));
Promise.resolve('ticks').then(() => {}).then(() => L('then then (turn ' + turn + ')'));

// Receivers.
t('then on object', () => Promise.prototype.then.call({}, 1));
t('then on number', () => Promise.prototype.then.call(1, 1));
t('then on prototype', () => Promise.prototype.then.call(Promise.prototype));
t('catch on number', () => Promise.prototype.catch.call(1, 1));
t('catch on thenable', () => Promise.prototype.catch.call({ then(a, b) { L('catch calls then ' + a + ' ' + typeof b); return 'r'; } }, () => {}));
t('catch on bad then', () => Promise.prototype.catch.call({ then: 'abc' }));
t('finally on number', () => Promise.prototype.finally.call(1));
t('finally on thenable', () => Promise.prototype.finally.call({ then(a, b) { L('finally calls then ' + typeof a + ' ' + a.length + ' ' + typeof b); } }, () => {}));
t('resolve on number', () => Promise.resolve.call(1, 1));
t('reject on number', () => Promise.reject.call(1, 1));
t('all on number', () => Promise.all.call(1, []));
t('race on number', () => Promise.race.call(1, []));
t('any on number', () => Promise.any.call(1, []));
t('allSettled on number', () => Promise.allSettled.call(1, []));

// withResolvers (node v20 has none: a spec-exact stand-in keeps the recorded output).
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    value: { withResolvers() { let resolve, reject; const promise = new this((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; } }.withResolvers,
    writable: true, configurable: true,
  });
}
const wr = Promise.withResolvers();
L('withResolvers ' + Object.keys(wr).join(',') + ' ' + (wr.promise instanceof Promise) + ' ' + Promise.withResolvers.length);
wr.promise.then((v) => L('withResolvers resolved ' + v));
wr.resolve('wr');
wr.reject('ignored');
const wr2 = Promise.withResolvers();
wr2.promise.catch((e) => L('withResolvers rejected ' + e));
wr2.reject('no');
class W extends Promise {}
L('withResolvers on subclass ' + (W.withResolvers().promise instanceof W));

process.on('exit', () => console.log(log.join('\n')));
