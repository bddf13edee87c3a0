x = "\u{zz}"
