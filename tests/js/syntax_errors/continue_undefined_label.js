foo: while (1) { continue bar; }
