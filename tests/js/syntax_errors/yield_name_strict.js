function f() {
  "use strict"
  var o = yield + 1
}
