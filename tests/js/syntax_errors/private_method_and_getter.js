class A {
  #m() {}
  get #m() { return 1; }
}
