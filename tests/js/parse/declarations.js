var a = 1, b
let c = 2, d = c + 1
const { e, f: [g, h = 3], ...rest } = obj
let [i, , j = 4, ...k] = arr
function decl(x, y = 2, ...zs) { return x }
class K {}
