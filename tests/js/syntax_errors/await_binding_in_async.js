async function f() { var await; }
