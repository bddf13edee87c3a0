function f(a {}
