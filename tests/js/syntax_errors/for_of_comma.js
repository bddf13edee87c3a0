for (let x of a, b) {}
