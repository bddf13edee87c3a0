async(a b)
