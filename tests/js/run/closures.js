function counter() {
  let n = 0
  function inc() { n++; return n }
  return inc
}
const c = counter()
c(); c()
console.log(c())
function adder(x) { return function (y) { return x + y } }
console.log(adder(2)(40))
let out = ""
for (let i = 0; i < 3; i++) { const f = function () { return i }; out = out + f() }
console.log(out)
function outer() {
  var v = 1
  function mid() { function inner() { return v * 10 } return inner() }
  v = 5
  return mid()
}
console.log(outer())
function loop() {
  let acc = 0
  for (let i = 0; i < 4; i++) {
    const add = function () { acc += i }
    add()
    if (i === 2) break
  }
  return acc
}
console.log(loop())
const compose = (f, g) => x => f(g(x))
console.log(compose(x => x * 2, x => x + 1)(5))
