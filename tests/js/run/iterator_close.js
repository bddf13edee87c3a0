function* closeMe() { try { yield 1; yield 2; } finally { console.log('closed'); } }
let a, b; [a] = closeMe(); console.log(a);
[a, b] = [1, 2, 3]; console.log(a, b);
const [x, y, z] = closeMe(); console.log(x, y, z);
const it = { [Symbol.iterator]() { let i = 0; return { next() { i++; console.log('next', i); return { value: i, done: i > 1 }; }, return() { console.log('return!'); return {}; } }; } };
const [p, q, r] = it; console.log(p, q, r);
const [u] = it; console.log(u);
