x = (a "s")
