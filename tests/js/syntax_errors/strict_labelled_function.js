"use strict"; foo: function f(){}
