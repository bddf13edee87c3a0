function f(a, { b, c = 1 }, [d, e], ...f) { return arguments.length }
const g = function named() { return new.target }
const h = function () {}
function* gen() { yield 1; yield* other(); yield }
async function af() { await x; for await (const v of it) {} }
f(1, ...xs, 2,)
new Foo
new Foo(1, 2)
new a.b.C()
new new X()()
