f(a[0] c)
