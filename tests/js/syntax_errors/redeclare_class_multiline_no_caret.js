class A {}; class A {
}
