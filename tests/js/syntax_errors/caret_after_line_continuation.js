"a\
b" c
