f(a if)
