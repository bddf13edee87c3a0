x => x * 2
;(a, b) => a + b
;() => ({ a: 1 })
;(a = 1, { b }, [c], ...d) => { return a }
;async x => await x
;async (a, b) => a
async(1, 2)
const nested = a => b => c => a + b + c
f(x => x, y => { y })
