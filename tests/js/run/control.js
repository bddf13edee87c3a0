for (const k in { a: 1, b: 2 }) console.log(k);
const proto = { inherited: 1 };
const child = Object.create(proto);
child.own = 2;
child[3] = 'three';
child[1] = 'one';
for (const k in child) console.log('key', k);
for (const v of [1, 2, 3]) { if (v === 2) continue; console.log(v); }
for (const ch of 'hé😀') console.log(ch, ch.length);
outer: for (let i = 0; i < 3; i++) {
  for (let j = 0; j < 3; j++) {
    if (j === 1) continue outer;
    if (i === 2) break outer;
    console.log(i, j);
  }
}
blk: { console.log('in block'); if (true) break blk; console.log('never'); }
function sw(x) {
  switch (x) {
    case 1: return 'one';
    case 'a': case 'b': return 'letter';
    case 3: { let t = 'three'; return t; }
    default: return 'other';
  }
}
console.log(sw(1), sw('b'), sw(3), sw(9));
switch (3) { case 1: console.log('one'); break; case 3: console.log('three'); case 4: console.log('four'); break; default: console.log('d'); }
let n = 0;
do { n++; } while (n < 5);
console.log(n);
const fns = [];
for (let i = 0; i < 3; i++) fns.push(() => i);
console.log(fns[0](), fns[1](), fns[2]());
const fns2 = [];
for (const x of [10, 20]) fns2.push(() => x);
console.log(fns2[0](), fns2[1]());
const it = { [Symbol.iterator]() { let i = 0; return { next() { i++; return { value: i * 10, done: i > 3 }; } }; } };
for (const v of it) console.log('iter', v);
console.log([...it].length);
let w = 0;
while (true) { if (++w > 3) break; }
console.log(w);
