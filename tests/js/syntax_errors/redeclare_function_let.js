function f() {} let f;
