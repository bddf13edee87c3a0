class A { get a(b) {} }
