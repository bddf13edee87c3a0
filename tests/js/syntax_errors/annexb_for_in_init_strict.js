"use strict"
for (var i = 0 in {}) ;
