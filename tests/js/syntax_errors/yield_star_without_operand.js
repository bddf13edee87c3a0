async function* f() { yield* }
