foo: foo: ;
