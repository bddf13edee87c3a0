function f(a,, b) {}
