// 1,000,000 promise reactions on one fulfilled promise: all run in one microtask turn.
const N = 1000000;
const p = Promise.resolve(1);
let sum = 0;
for (let i = 0; i < N; i++) p.then((v) => { sum += v; });
Promise.resolve().then(() => 0).then(() => console.log('fanout', sum));
