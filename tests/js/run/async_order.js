const log = (...a) => console.log(...a);
async function a1() { log('a1 start'); await a2(); log('a1 end'); }
async function a2() { log('a2'); }
log('script start');
setTimeout(() => log('timeout'), 0);
process.nextTick(() => log('tick'));
a1();
new Promise((r) => { log('p1'); r(); }).then(() => log('then1')).then(() => log('then2')).then(() => log('then3'));
queueMicrotask(() => log('microtask'));
log('script end');
async function r1() { return 1; }
async function r2() { return Promise.resolve(2); }
async function r3() { return await Promise.resolve(3); }
r2().then(v => log('r2', v));
r1().then(v => log('r1', v));
r3().then(v => log('r3', v));
Promise.resolve().then(() => log('c1')).then(() => log('c2')).then(() => log('c3')).then(() => log('c4')).then(() => log('c5'));
(async () => { for (let i = 0; i < 3; i++) { await null; log('loop', i); } })();
(async () => { await new Promise(r => setTimeout(r, 5)); log('after timer await'); process.nextTick(() => log('tick after await')); await null; log('after second await'); })();
