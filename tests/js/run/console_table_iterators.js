{
console.table([{a:1,b:"x"},{a:2,c:true}]); console.table({r1:{x:1},r2:{y:[1,2]}}); console.table([1,2,3]); console.table([[1,2],[3]]); console.table([{a:1,b:2}],["b"]); console.table("str"); console.table(new Map([["k",{v:1}]])); console.table(new Set([1,"a"]))
console.table([{a:{x:1,y:2,z:3}, b:[1,2,3,4,5], c:{p:1}, d:"long string here", e:null, f:undefined}])
console.table([1, {a:1}, "s"]); console.table([{"1":1, b:2, "0":0}]); console.table([]); console.table({}); console.table([1,2],["a"])
console.table([{名前:"日本語"}]); console.table(null); console.table(5)
function F(){ this.q = 1 } console.table([new F(), function g(){}])
try { console.table([1], "x") } catch (e) { console.log(e.name, e.code, e.message) }
console.group('G'); console.table([1]); console.groupEnd()
const arr=[1,,3]; console.table(arr); console.table([{a:1},,{a:3}])
}
{
const m = new Map([["a",1],["b",{x:1}]]);
console.table(m.entries()); console.table(m.keys()); console.table(new Set([1,2]).values());
console.table([{d: new Date(0), r:/x/g, f(){}, s: Symbol('q')}]);
console.table([[1,[2,[3,[4]]]]]);
console.table({a:[1,2,3,4], b:{c:{d:1}}});
console.table([{a:'it\'s "q"\n'}]);
console.table([{x:-0, y:1e21, z:NaN}]);
}
{
console.table(new Set([1,2]).entries()); const m=new Map([[1,2]]); const i=m.entries(); console.table(i); console.log(i.next())
}
{
const it=[1,2][Symbol.iterator](); console.log(it, Object.keys(it), Object.getOwnPropertyNames(it));
for (const [i,v] of ['a','b'].entries()) console.log(i,v);
console.log([...'xy'].keys().next(), Array.from([5,6].keys()));
try { it.next.call({}) } catch(e) { console.log(e.message) }
const a=[1]; const i2=a.values(); a.push(2); console.log([...i2]); console.log(i2.next());
console.log(Array.prototype.values.call({length:2, 0:'p', 1:'q'}).next());
}
{
const m=new Map([[1,{a:1}],['k',[1,2]]]); const s=new Set(['x',2]);
console.log(m.keys(), m.values(), m.entries(), s.values(), s.entries(), new Map().keys());
const it=m.entries(); it.next(); console.log(it); it.next(); console.log(it);
console.log({a:{b:{c:m.keys()}}}); console.log([m[Symbol.iterator]()]);
console.log(new Map(Array.from({length:120},(_, i)=>[i,i])).entries());
}
