x = (a
