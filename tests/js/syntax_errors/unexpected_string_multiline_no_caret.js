a "x\
y"
