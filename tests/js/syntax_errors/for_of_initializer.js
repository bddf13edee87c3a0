for (let x = 1 of a) {}
