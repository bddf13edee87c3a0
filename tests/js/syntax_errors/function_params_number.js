function f(1) {}
