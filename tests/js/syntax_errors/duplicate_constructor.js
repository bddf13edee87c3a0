class A { constructor(){} constructor(){} }
