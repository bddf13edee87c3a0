class A {}; class A {}
