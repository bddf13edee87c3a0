try { class H extends H {} } catch (e) { console.log(e.constructor.name, e.message) }
try { const X = class Y extends Y {} } catch (e) { console.log(e.constructor.name, e.message) }
class P { static who() { return 'P' } } let Q = P;
class R extends Q { } console.log(R.who(), Object.getPrototypeOf(R) === P);
const mk = (B) => class extends B { m() { return 'm' } }; console.log(new (mk(P))().m());
class S extends (class { #p = 1; get p() { return this.#p } }) { #q = 2; get q() { return this.#q } } console.log(new S().p, new S().q);
try { class T extends null {}; new T() } catch (e) { console.log(e.constructor.name, e.message) }
try { class U extends 5 {} } catch (e) { console.log(e.constructor.name, e.message) }
class A {}; Object.setPrototypeOf(A, function(){}.bind()); 
function f() {} ; class B extends f {}; Object.setPrototypeOf(B, () => 1); try { new B() } catch (e) { console.log(e.message) }
const C = class extends f {}; Object.setPrototypeOf(C, {}); try { new C() } catch (e) { console.log(e.message) }
class D extends f { constructor() { super() } }; Object.setPrototypeOf(D, Math.max); try { new D() } catch (e) { console.log(e.message) }
class E extends null { constructor() { super() } }; try { new E() } catch (e) { console.log(e.message) }
