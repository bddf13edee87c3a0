class A { *constructor(){} }
