async function* counter(n) {
  try {
    for (let i = 0; i < n; i++) { await null; yield i; }
  } finally { console.log('counter cleanup'); }
}
async function* delegating() { yield 'x'; yield* [Promise.resolve('from array')]; yield* counter(2); }
async function main() {
  for await (const v of counter(3)) console.log('v', v);
  for await (const v of [1, Promise.resolve(2), 3]) console.log('sync-wrapped', v);
  for await (const v of counter(10)) { if (v === 1) break; console.log('early', v); }
  const g = counter(2);
  console.log(await g.next(), await g.next(), await g.next(), await g.next());
  const h = counter(5); await h.next(); console.log(await h.return('R'), await h.next());
  const t = counter(5); await t.next(); try { await t.throw(new Error('T')); } catch (e) { console.log('thrown', e.message); }
  const q = counter(3); const ps = [q.next(), q.next(), q.next(), q.next()];
  console.log(await Promise.all(ps));
  try { for await (const v of delegating()) console.log('d', v); } catch (e) { console.log('delegating failed:', e.message); }
  console.log(Object.prototype.toString.call(counter(1)), counter, typeof counter(1)[Symbol.asyncIterator]);
  const never = (async function* () {})();
  console.log(await never.return(5), await never.next());
}
main();
