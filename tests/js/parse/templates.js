s = `plain`
t = `a ${b} c ${d + `nested ${e}`} f`
u = tag`x${1}y`
v = String.raw`\unicode ${x}`
w = `multi
line`
