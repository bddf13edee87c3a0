// Typed array, ArrayBuffer and DataView errors and edge cases, with V8's messages.
function t(f){try{console.log(f())}catch(e){console.log(e.name+': '+e.message)}}
const ab=new ArrayBuffer(4);
t(()=>Uint8Array(2)); t(()=>new Uint8Array(-1)); t(()=>new Int16Array(ab,1)); t(()=>new Int16Array(new ArrayBuffer(3)));
t(()=>new Uint8Array(ab,5)); t(()=>new Uint8Array(ab,1,10)); t(()=>new ArrayBuffer(-1)); t(()=>ArrayBuffer(1));
t(()=>new Uint8Array(ab, -1)); t(()=>new Int32Array(ab, 0, 1.5).length);
t(()=>Object.getPrototypeOf(Int8Array)()); t(()=>new (Object.getPrototypeOf(Int8Array))());
t(()=>Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype),'length').get.call([]));
t(()=>new Uint8Array(2).set([1,2,3])); t(()=>new Uint8Array(2).set([1],-1));
t(()=>new DataView(ab).getInt32(2)); t(()=>new DataView(ab, 5)); t(()=>new DataView({})); t(()=>DataView(ab)); t(()=>new DataView(ab,1,10));
t(()=>new DataView(ab).getInt8(-1)); 
t(()=>new Uint8Array(1e10));
t(()=>Uint8Array.prototype.map.call([], x=>x));
t(()=>new Uint8Array(2).fill(3).join());
t(()=>{ 'use strict'; const a=new Uint8Array(2); a[5]=1; return a[5]; });
t(()=>{ const a=new Uint8Array(2); a['-0']=1; a[1.5]=2; a.x=3; return [a['-0'], a[1.5], Object.keys(a)].join('|'); });
t(()=>{ const a=new Uint8ClampedArray([1.5,2.5,-1,300,NaN, 254.5, 0.5]); return a.join(); });
t(()=>{ const a=new Int8Array([128, 255, -129, 1e10, Infinity, 3.9, -3.9]); return a.join(); });
t(()=>{ const a=new Float32Array([1.1, 1e40]); return a.join(); });
t(()=>{ const a=new Uint32Array([-1]); return a[0]; });
t(()=>new Uint8Array(2).toString());
t(()=>Object.prototype.toString.call(new Uint8Array(2)));
t(()=>new Uint8Array([3,1,2,10]).sort().join());
t(()=>new Float64Array([3,-0,0,NaN,1]).sort().join());
t(()=>Uint8Array.from({length:2, 0:5}).join());
t(()=>Uint8Array.of(1,2,300).join());
t(()=>new Uint8Array([1,2,3]).subarray(1).byteOffset);
t(()=>JSON.stringify(new Float64Array([1.5,2])));
t(()=>[...new Int8Array([1,-1])].join());
t(()=>{let s=[];for (const k in new Uint8Array(2)) s.push(k); return s.join()});
t(()=>1 in new Uint8Array(2));
t(()=>new Uint8Array(new Uint16Array([257, 2])).join());
t(()=>new Uint8Array(ab).buffer === ab);
t(()=>new Uint8Array(3).reduce((a,b)=>a+b));
t(()=>new Uint8Array(0).reduce((a,b)=>a+b));
t(()=>ArrayBuffer.isView(new DataView(ab)));
t(()=>new ArrayBuffer(8).slice(2,-1).byteLength);
t(()=>Uint8Array.name+Uint8Array.length+Object.getPrototypeOf(Int8Array).name);
t(()=>new Uint8Array({}).length);
t(()=>new Uint8Array('3').length);
t(()=>new Uint8Array(null).length);
t(()=>new Uint8Array(2.5));
// receivers V8 rejects, per method
const g = (o, k) => Object.getOwnPropertyDescriptor(o, k).get;
const TP = Object.getPrototypeOf(Int8Array.prototype);
for (const k of ['buffer','byteLength','byteOffset','length']) { t(()=>g(TP,k).call(1)); t(()=>g(TP,k).call({})); t(()=>g(TP,k).call(new DataView(new ArrayBuffer(1)))); }
for (const k of ['buffer','byteLength','byteOffset']) { t(()=>g(DataView.prototype,k).call(1)); t(()=>g(DataView.prototype,k).call({})); t(()=>g(DataView.prototype,k).call(new Uint8Array(1))); }
t(()=>g(ArrayBuffer.prototype,'byteLength').call({})); t(()=>g(ArrayBuffer.prototype,'byteLength').call(1));
t(()=>ArrayBuffer.prototype.slice.call({})); 
t(()=>DataView.prototype.getInt8.call(1, 0)); t(()=>DataView.prototype.setFloat64.call(new Uint8Array(1), 0)); t(()=>DataView.prototype.getUint16.call(null));
t(()=>Uint8Array.prototype.map.call(1)); t(()=>Uint8Array.prototype.join.call({}));
const TP2 = Object.getPrototypeOf(Int8Array.prototype);
for (const k of Object.getOwnPropertyNames(TP2)) { const d = Object.getOwnPropertyDescriptor(TP2, k); if (typeof d.value !== 'function' || k === 'constructor') continue;
  try { d.value.call({}, x => x); console.log(k, 'no throw'); } catch (e) { console.log(k, e.message); } }
const base = new Int16Array([3, -1, 2]);
console.log(base.toReversed(), base.toSorted(), base.toSorted((a, b) => b - a), base.with(-1, 9), base, Buffer.from('ab').toReversed());
t(()=>base.with(3, 1)); t(()=>base.toSorted(1));
t(()=>Object.freeze(new Uint8Array(0)).length);
t(()=>Int8Array[Symbol.species] === Int8Array);
t(()=>new Uint8Array([1, 2, 3]).subarray(-2).join());
t(()=>Array.prototype.join.call(new Uint8Array([1, 2]), '+'));
t(()=>Array.prototype.indexOf.call(new Uint8Array([1, 2]), 2));
t(()=>Array.prototype.map.call(new Uint8Array([1, 2]), x => x * 2));
t(()=>Object.freeze(new Uint8Array(1)));
t(()=>Object.isFrozen(Object.freeze(new Float32Array(0))));
