async function f(){ f(await) }
