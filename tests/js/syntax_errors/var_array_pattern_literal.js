var [0] = 1
