class A { async constructor(){} }
