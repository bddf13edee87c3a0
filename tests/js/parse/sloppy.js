// Sloppy-mode code that node accepts: contextual words as names, Annex B function declarations.
var let = 1;
let = let + 1;
let.x = let[0];
let(1);
for (let in o);
let
y = 2;
var yield = 1, await = 2;
yield: for (;;) break yield;
await: {}
x = { let, yield, await, async };
var async = 1;
x = async + async;
function f(yield, await) {}
if (a) function g() {}
else function h() {}
label: function k() {}
a ? b : c = d;
yield = yield.x;
await = await.x;
f(await);
x = yield == await;
