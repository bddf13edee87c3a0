function a() { try { console.log(x); } catch (e) { console.log(e.message); } let x = 1; return x; }
console.log(a());
function b() { try { y = 2; } catch (e) { console.log(e.message); } const y = 1; return y; }
console.log(b());
function c() { try { let z = z + 1; } catch (e) { console.log(e.constructor.name, e.message); } }
c();
function d() { for (let i = 0; i < 2; i++) { if (i > 0) { try { w; } catch (e) { console.log('loop', e.message); } } let w = i; } }
d();
function e2() { const f = () => q; try { f(); } catch (e) { console.log(e.message); } let q = 5; return f(); }
console.log(e2());
{ let blockScoped = 'b'; console.log(blockScoped); }
try { new K(); } catch (e) { console.log(e.message); }
class K {}
