async function f() { for await (x in y) {} }
