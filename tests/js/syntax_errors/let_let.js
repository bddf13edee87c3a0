let let = 1
