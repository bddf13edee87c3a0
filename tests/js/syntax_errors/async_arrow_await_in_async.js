async function f(){ async (a = await 1) => 1 }
