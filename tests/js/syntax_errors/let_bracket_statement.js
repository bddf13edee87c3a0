a; let[0] = 1
