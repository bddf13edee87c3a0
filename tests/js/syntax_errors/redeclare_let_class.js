let A; class A {}
