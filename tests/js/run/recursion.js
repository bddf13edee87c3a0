// Deep but bounded recursion runs on the VM's own frame stack.
function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1) }
console.log(depth(9000))
function fib(n) { if (n < 2) { return n } return fib(n - 1) + fib(n - 2) }
let total = 0
for (let i = 0; i < 20; i++) { total += fib(i) }
console.log(total)
