class A {
  static get #a() { return 1; }
  set #a(v) {}
}
