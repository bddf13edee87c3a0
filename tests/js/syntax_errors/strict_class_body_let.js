class A { m() { a let } }
