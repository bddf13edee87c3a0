// Resolving with thenables and promises: which jobs run, in which turn.
const log = [];
const L = (s) => log.push(s);
let turn = 0;
(function tick() {
  if (turn < 12) {
    L('-- turn ' + turn++);
    Promise.resolve().then(tick);
  }
})();

// A thenable's then runs in a job of its own, with fresh resolving functions.
const sync = { then(res, rej) { L('sync then: ' + typeof res + ' ' + res.length + ' ' + JSON.stringify(res.name)); res('sync'); res('twice'); rej('ignored'); } };
Promise.resolve(sync).then((v) => L('sync thenable ' + v));
new Promise((r) => r(sync)).then((v) => L('ctor with thenable ' + v));

// A thenable that resolves later, one that throws, one that throws after resolving.
const later = { then(res) { Promise.resolve().then(() => res('later')); } };
Promise.resolve(later).then((v) => L('later thenable ' + v));
const throws = { then() { throw new Error('then threw'); } };
Promise.resolve(throws).catch((e) => L('throwing thenable ' + e.message));
const resolvedThenThrows = { then(res) { res('kept'); throw new Error('ignored'); } };
Promise.resolve(resolvedThenThrows).then((v) => L('resolve then throw ' + v));

// A then getter runs synchronously, in the resolve function.
const getter = { get then() { L('then getter read'); return undefined; } };
new Promise((r) => { r(getter); L('after resolve with getter'); }).then((v) => L('not a thenable ' + (v === getter)));
const badGetter = { get then() { throw new Error('getter threw'); } };
Promise.resolve(badGetter).catch((e) => L('getter error ' + e.message));

// Thenable chains: a thenable that resolves with a promise that resolves with a thenable.
const nested = { then(res) { res(Promise.resolve({ then(r2) { r2('deep'); } })); } };
Promise.resolve(nested).then((v) => L('nested ' + v));

// Returning thenables and promises from handlers.
Promise.resolve().then(() => sync).then((v) => L('handler returned thenable ' + v));
Promise.resolve().then(() => Promise.reject(new Error('rejected promise'))).catch((e) => L('handler returned rejection ' + e.message));

// A native promise with its own then property is a thenable like any other.
const own = Promise.resolve('own');
own.then = function (res, rej) { L('own then called'); return Promise.prototype.then.call(this, res, rej); };
Promise.resolve().then(() => own).then((v) => L('own then value ' + v));

// Self-resolution.
let selfResolve;
const self = new Promise((r) => { selfResolve = r; });
selfResolve(self);
self.catch((e) => L(e.constructor.name + ': ' + e.message));

// Promise.resolve returns native promises as they are; other values get wrapped.
const p = Promise.resolve(1);
L('same ' + (Promise.resolve(p) === p) + ' ' + (new Promise((r) => r(p)) === p));
const q = Promise.resolve(p);
q.then((v) => L('q ' + v));

process.on('exit', () => console.log(log.join('\n')));
