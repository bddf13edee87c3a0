let sum = 0
for (let i = 0; i < 100; i++) {
  if (i % 3 === 0) continue
  if (i > 90) break
  sum += i
}
let j = 10
do { j -= 3 } while (j > 0)
var k = 0
while (k < 5) k = k + 2
console.log(sum, j, k, sum > 1000 ? "big" : "small", null ?? "d", 0 || "or", 1 && "and")
