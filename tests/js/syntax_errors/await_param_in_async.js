async function f(await) {}
