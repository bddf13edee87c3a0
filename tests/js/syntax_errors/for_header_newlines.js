for (a
b
c) {}
