function f() { "use strict"; "\08" }
