// 1,000,000 promise reactions in one chain: each then() handler runs in its own microtask turn.
const N = 1000000;
let p = Promise.resolve(0);
for (let i = 0; i < N; i++) p = p.then((v) => v + 1);
p.then((v) => console.log('chain', v));
