function* g() { try { yield 1; yield 2 } finally { console.log('closed') } }
try { for (const x of g()) { throw new Error('e' + x) } } catch (e) { console.log(e.message) }
const it = { [Symbol.iterator]() { return { next() { return {value: 1, done: false} }, return() { console.log('return called'); return {} } } } }
try { for (const x of it) { null.x } } catch (e) { console.log(e.constructor.name) }
outer: for (const a of [1,2]) { for (const x of g()) { continue outer } }
function f() { for (const x of g()) { return x } }
console.log(f())
const [a] = g(); console.log(a)
async function h() { for await (const x of g()) { throw 1 } }
h().catch(v => console.log('caught', v))
// return() throwing while an exception leaves the loop: the exception wins.
const bad = { [Symbol.iterator]() { return { next() { return { value: 1, done: false } }, return() { throw new Error('from return') } } } }
try { for (const x of bad) { throw new Error('from body') } } catch (e) { console.log(e.message) }
// return() throwing on break: its error is thrown.
try { for (const x of bad) { break } } catch (e) { console.log(e.message) }
// Destructuring in the head throws: the iterator is closed.
try { for (const { a } of [null]) {} } catch (e) { console.log(e.constructor.name) }
try { for (const [{ a }] of g()) {} } catch (e) { console.log('head', e.constructor.name) }
// A generator suspended inside a for-of body, returned: the inner iterator is closed.
function* outer() { for (const x of g()) { yield x } }
const o = outer(); o.next(); console.log(o.return(5))
// Nested loops: an exception closes both.
function* named(n) { try { yield 1 } finally { console.log('close', n) } }
try { for (const a of named('a')) for (const b of named('b')) throw 'x' } catch (e) { console.log('caught', e) }
// next() throwing, or returning a non-object: the iterator is not closed.
const throwsInNext = { [Symbol.iterator]() { return { next() { throw new Error('in next') }, return() { console.log('WRONG: closed'); return {} } } } }
try { for (const x of throwsInNext) {} } catch (e) { console.log(e.message) }
const badResult = { [Symbol.iterator]() { return { next() { return 1 }, return() { console.log('WRONG: closed'); return {} } } } }
try { for (const x of badResult) {} } catch (e) { console.log(e.constructor.name) }
const asyncIt = { [Symbol.asyncIterator]() { let i = 0; return { next() { return i++ ? Promise.reject(new Error('async next')) : Promise.resolve({ value: i, done: false }) }, return() { console.log('WRONG: closed'); return Promise.resolve({}) } } } }
const asyncClose = { [Symbol.asyncIterator]() { return { next() { return Promise.resolve({ value: 1, done: false }) }, return() { console.log('async return called'); return Promise.resolve({}) } } } }
;(async () => {
  try { for await (const x of asyncIt) { console.log('got', x) } } catch (e) { console.log(e.message) }
  try { for await (const x of asyncClose) { throw new Error('async body') } } catch (e) { console.log(e.message) }
  for await (const x of asyncClose) { break }
  let n = 0
  for await (const x of [1, 2, 3]) { if (x === 2) continue; n += x }
  console.log('n', n)
})()
