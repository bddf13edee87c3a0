f(


