this.#a
