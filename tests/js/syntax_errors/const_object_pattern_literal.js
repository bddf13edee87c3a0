const {a: 1} = x
