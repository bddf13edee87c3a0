import(a b)
