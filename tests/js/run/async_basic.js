async function add(a, b) { return a + b; }
async function main() {
  console.log('sum', await add(1, 2));
  const v = await 5;
  console.log('plain', v);
  try { await Promise.reject(new Error('nope')); } catch (e) { console.log('caught', e.message); }
  const results = await Promise.all([add(1, 1), add(2, 2), 7]);
  console.log(results);
  const arrow = async (x) => x * 2;
  console.log(await arrow(21));
  const obj = { async m() { return this.k; }, k: 'key' };
  console.log(await obj.m());
  class K { async run() { await null; return 'ran'; } static async s() { return 'static'; } }
  console.log(await new K().run(), await K.s());
  let total = 0;
  for (let i = 0; i < 5; i++) total += await add(i, 0);
  console.log('total', total);
  try { await thrower(); } catch (e) { console.log('thrower:', e.message); }
  console.log(typeof add, add, add(1, 2), Object.prototype.toString.call(add));
  console.log(Object.getPrototypeOf(add) === Object.getPrototypeOf(async () => {}));
  console.log(await (async () => { try { return await Promise.reject(1); } finally { console.log('fin'); } })().catch(e => 'rejected ' + e));
  const thenable = { then(res) { console.log('then called'); res('from thenable'); } };
  console.log(await thenable);
  return 'done';
}
async function thrower() { await 1; throw new TypeError('bad'); }
main().then(v => console.log('main:', v));
console.log('sync end');
