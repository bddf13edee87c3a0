foo: function* g(){}
