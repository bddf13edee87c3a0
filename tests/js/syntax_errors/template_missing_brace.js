x = `a${x y}`
