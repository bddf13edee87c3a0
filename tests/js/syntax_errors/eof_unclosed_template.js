let s = `abc
