// Microtask ordering: then chains, queueMicrotask, process.nextTick, timers and immediates,
// as node v20 interleaves them (tick counts from ECMA-262's jobs).
const log = [];
const L = (s) => log.push(s);

Promise.resolve().then(() => L('a1')).then(() => L('a2')).then(() => L('a3'));
Promise.resolve().then(() => L('b1')).then(() => L('b2'));
queueMicrotask(() => L('qm1'));
process.nextTick(() => {
  L('tick1');
  queueMicrotask(() => L('qm from tick'));
  process.nextTick(() => L('tick from tick'));
  Promise.resolve().then(() => L('then from tick'));
});
process.nextTick(() => L('tick2'));
Promise.resolve().then(() => {
  L('c1');
  process.nextTick(() => L('tick from then'));
  queueMicrotask(() => L('qm from then'));
});
queueMicrotask(() => {
  L('qm2');
  Promise.resolve().then(() => L('then from qm'));
});

// A pending promise resolved later: its reactions run in registration order.
let resolveLater;
const pending = new Promise((r) => { resolveLater = r; });
pending.then((v) => L('pending 1 ' + v));
pending.then((v) => L('pending 2 ' + v));
Promise.resolve().then(() => resolveLater('now'));
pending.then((v) => L('pending 3 ' + v));

// Ticks: count how many microtask turns things take.
let turn = 0;
function counter() {
  if (turn < 8) {
    L('turn ' + turn++);
    Promise.resolve().then(counter);
  }
}
Promise.resolve().then(counter);
new Promise((r) => r(Promise.resolve('x'))).then((v) => L('resolved with a promise ' + v));
Promise.resolve().then(() => Promise.resolve('y')).then((v) => L('returned a promise ' + v));
Promise.resolve('z').then((v) => v).then((v) => L('plain chain ' + v));
Promise.reject(new Error('r')).catch((e) => L('catch ' + e.message));
Promise.reject(1).then(null, (e) => L('then rejection handler ' + e));
Promise.reject(2).then((v) => L('never ' + v)).catch((e) => L('passed through ' + e));
Promise.resolve(3).catch(() => L('never')).then((v) => L('catch passes value ' + v));

// Timers and immediates, each scheduled from a callback so the order never depends on how
// long the main module took.
setTimeout(() => {
  L('timeout 1');
  process.nextTick(() => L('tick in timeout 1'));
  Promise.resolve().then(() => L('then in timeout 1'));
  setImmediate(() => {
    L('immediate from timeout');
    Promise.resolve().then(() => L('then in immediate from timeout'));
    setTimeout(() => {
      L('timeout from immediate');
      setImmediate(() => {
        L('immediate 1');
        Promise.resolve().then(() => L('then in immediate 1'));
        process.nextTick(() => L('tick in immediate 1'));
      });
      setImmediate(() => L('immediate 2'));
    }, 0);
  });
  setTimeout(() => {
    L('timeout from timeout');
    process.nextTick(() => L('tick in timeout from timeout'));
  }, 0);
}, 2);
process.on('exit', () => console.log(log.join('\n')));
L('sync end');
