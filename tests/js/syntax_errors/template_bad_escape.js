x = `a\u{zz}`
