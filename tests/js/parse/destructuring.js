;[a, b] = [b, a]
;({ a, b: { c }, d = 1, ...rest } = obj)
;[a.b, c[0], ...d.e] = arr
for (const [k, v] of map) {}
for ({ a } of list) {}
for (let { x, y } in objs) {}
function f({ a: { b } = {} } = {}) {}
try {} catch ({ message }) {}
