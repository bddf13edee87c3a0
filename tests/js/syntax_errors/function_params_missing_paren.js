function f(a b) {}
