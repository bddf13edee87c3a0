class A { constructor() { delete this.#a } #a }
