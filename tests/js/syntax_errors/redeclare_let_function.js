let f; function f() {}
