class A {
  #x;
  m() { return class B { n(o) { return o.#x + o.#y; } }; }
}
