f(a
