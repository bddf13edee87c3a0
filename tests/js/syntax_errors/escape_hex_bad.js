x = "\xzz" + 1
