x = `a${x}b
