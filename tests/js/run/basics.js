function f(n) { return n < 2 ? n : f(n - 1) + f(n - 2) }
let s = "a"
for (let i = 0; i < 3; i++) { s = s + i }
console.log(s, f(10), -0, 1 / 3, typeof s, null, undefined, 2 ** 10, 7 % 3, "x" == "x", 1 < 2)
let n = 0
while (true) { n++; if (n > 5) break }
console.log(n, 0.1 + 0.2, 1e21, -7 >> 1, -7 >>> 28, `t${n}x`)
console.log(-4 % 2, 5 % -3, -5 % 3, 5.5 % 2, 0 % 5, -0 % 5, 7 % 0)
