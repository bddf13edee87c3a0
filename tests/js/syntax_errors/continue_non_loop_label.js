foo: { continue foo; }
