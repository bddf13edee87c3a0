let s = 'abc
foo()
