function show(f) {
  try { console.log(f()); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }
}
var o = { a: 1, b: 2 };
with (o) { console.log(a + b); }
var x = 'outer';
with ({ x: 'inner' }) { console.log(x); }
console.log(x);
function f1() {
  let y = 'local';
  const obj = { z: 'z-prop' };
  with (obj) { return y + ' ' + z; }
}
console.log(f1());
// assignment writes to the object when it has the property
function f2() {
  var p = 0;
  const obj = { p: 1 };
  with (obj) { p = 5; q2 = 'nope'; }
  return [p, obj.p, typeof q2, obj.q2];
}
console.log(f2());
// var declarations inside with
function f3() {
  const obj = { v: 1 };
  with (obj) { var v = 2; var w = 3; }
  return [obj.v, v, w];
}
console.log(f3());
// calls pass the object as this
var counter = {
  n: 0,
  inc() { this.n++; return this.n; },
};
with (counter) { inc(); inc(); }
console.log(counter.n);
function f4() {
  const obj = { who() { return this === obj; } };
  with (obj) { return who(); }
}
console.log(f4());
// Symbol.unscopables
var arr = [1, 2, 3];
var keys = 'outer keys';
with (arr) { console.log(keys, length); }
var u = { hidden: 'obj', shown: 'obj', [Symbol.unscopables]: { hidden: true } };
var hidden = 'outer hidden';
with (u) { console.log(hidden, shown); }
// closures keep the object scope
function f5() {
  const obj = { val: 1 };
  let get;
  with (obj) { get = () => val; }
  obj.val = 2;
  return get();
}
console.log(f5());
function f6() {
  const obj = { m: 10 };
  const fns = [];
  with (obj) {
    fns.push(function () { return m; });
  }
  obj.m = 20;
  return fns[0]();
}
console.log(f6());
// properties added later are seen
function f7() {
  const obj = {};
  var late = 'var';
  with (obj) {
    const r1 = late;
    obj.late = 'prop';
    return [r1, late];
  }
}
console.log(f7());
// prototype chain properties
with (Object.create({ inherited: 'yes' })) { console.log(inherited); }
// primitives are converted
with ('abc') { console.log(length, charAt(1)); }
with (5) { console.log(toFixed(2)); }
// null and undefined throw
show(() => { with (null) {} });
show(() => { with (undefined) {} });
// typeof through with
with ({ t: 1 }) { console.log(typeof t, typeof notThere); }
// unresolvable names still throw
show(() => { with ({}) { return nowhere; } });
// break / continue out of with
for (var i = 0; i < 3; i++) {
  with ({ i2: i }) {
    if (i2 === 1) continue;
    if (i2 === 2) break;
    console.log('loop', i2);
  }
}
// nested with
with ({ a1: 'A' }) {
  with ({ b1: 'B' }) {
    console.log(a1 + b1);
  }
}
// with and eval together
function f8() {
  const obj = { e: 'from with' };
  with (obj) { return eval("e"); }
}
console.log(f8());
// compound assignment and update
function f9() {
  const obj = { c: 1 };
  with (obj) { c += 2; c++; }
  return obj.c;
}
console.log(f9());
// exceptions inside with restore the scope
function f10() {
  const v = 'outside';
  try {
    with ({ v: 'inside' }) { throw new Error(v); }
  } catch (e) {
    return e.message + ' ' + v;
  }
}
console.log(f10());
// strict mode keeps its SyntaxError
show(() => eval("'use strict'; with ({}) {}"));
show(() => new Function("'use strict'; with ({}) {}"));
