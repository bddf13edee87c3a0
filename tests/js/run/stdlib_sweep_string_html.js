// Annex B String.prototype HTML methods.
const p = (...a) => console.log(...a);
const t = (f) => { try { p(f()); } catch (e) { p(e.constructor.name + ': ' + e.message); } };
t(() => ['x'.anchor('a"b'), 'x'.big(), 'x'.blink(), 'x'.bold(), 'x'.fixed(), 'x'.fontcolor('red'), 'x'.fontsize(7), 'x'.italics(), 'x'.link('u?a=1&b="2"'), 'x'.small(), 'x'.strike(), 'x'.sub(), 'x'.sup()]);
t(() => ['x'.anchor(), String.prototype.bold.call(12), '😀'.sub()]);
t(() => String.prototype.anchor.call(null, 'n'));
t(() => String.prototype.big.call(undefined));
t(() => ['anchor', 'big', 'fontcolor', 'link', 'sup'].map((n) => [String.prototype[n].name, String.prototype[n].length]));
t(() => 'x'.anchor({ toString() { return 'obj'; } }));
t(() => 'x'.link(Symbol()));
