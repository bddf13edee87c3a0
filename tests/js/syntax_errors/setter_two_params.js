x = { set a(b, c) {} }
