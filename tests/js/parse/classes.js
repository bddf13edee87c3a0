class A extends B {
  static count = 0
  #secret = 1
  x = 1
  y
  constructor(a) { super(a); this.a = a }
  method() { return super.method() }
  get value() { return this.#secret }
  set value(v) { this.#secret = v }
  static create() { return new A() }
  *gen() {}
  async am() {}
  ['computed' + 1]() {}
  'quoted'() {}
  42() {}
  static { A.count++ }
}
const E = class extends Error {}
class MyArray extends Array {}
