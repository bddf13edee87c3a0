f(a)(b c)
