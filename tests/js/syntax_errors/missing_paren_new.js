new F(a b)
