\u{zz} = 1
