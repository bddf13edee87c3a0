// ArrayBuffer, typed arrays and DataView: construction, element access, methods, inspect.
const util = require("util");
console.log(new Float64Array([1.5, -0, NaN]), new Uint8Array(0), new Int16Array(200));
const b = new Uint8Array(3); b.foo = 1; console.log(b);
console.log(util.inspect(new Uint8Array(3), {showHidden:true}));
class Foo extends Uint8Array {}; console.log(new Foo(2));
console.log(Object.getPrototypeOf(Int8Array).name, Object.getPrototypeOf(Int8Array.prototype)[Symbol.toStringTag]);
console.log(util.inspect(new Uint8Array(3), {depth:-1}), util.inspect({a:{b:new Uint8Array(3)}}, {depth:0}));
const assert = require('assert');
assert.deepStrictEqual(new Uint8Array([1,2]), new Uint8Array([1,2]));
try { assert.deepStrictEqual(new Uint8Array([1,2]), new Uint8Array([1,3])); console.log('no throw'); } catch (e) { console.log('throws'); }
console.log(Object.entries(new Uint8Array([7,8])), Object.getOwnPropertyNames(new Uint8Array(2)), Object.getOwnPropertyDescriptor(new Uint8Array([5]), 0));
for (const [i, v] of new Float32Array([0.5, 2]).entries()) console.log(i, v);
console.log(new Uint8Array([1,2,3]).toString(), `${new Float64Array([0.1])}`, new Int32Array([5,1,4]).sort((a,b)=>b-a));
const u = new Uint8Array(4); u.set([1,2], 2); console.log(u, u.subarray(1,3), u.slice(-2), u.at(-1), u.includes(2), u.indexOf(2), u.lastIndexOf(0));
console.log(u.copyWithin(0, 2), u.reverse(), u.fill(9, 1, 2), u.map(x => x * 2), u.filter(x => x > 1), u.find(x => x > 1), u.findIndex(x => x > 100), u.every(x => x >= 0), u.some(x => x > 100));
console.log(Uint8Array.from([1,2], x => x * 10), Int16Array.of(-1, 70000), Float32Array.BYTES_PER_ELEMENT, new Float32Array(2).BYTES_PER_ELEMENT);
const dv = new DataView(new ArrayBuffer(20), 2);
dv.setInt16(0, -2); dv.setUint32(2, 0xdeadbeef, true); dv.setFloat64(6, Math.PI); dv.setFloat32(14-2, 1.5, true);
console.log(dv.getInt16(0), dv.getUint16(0), dv.getUint32(2, true).toString(16), dv.getUint32(2).toString(16), dv.getFloat64(6), dv.getInt8(0), dv.getUint8(1), dv.byteLength, dv.byteOffset, dv.getFloat32(12, true));
console.log(dv);
console.log(new Uint8Array(dv.buffer));
const sub = new Uint16Array(new ArrayBuffer(8), 2, 2); sub[0] = 0xffff; console.log(sub, sub.buffer, sub.byteOffset, sub.byteLength);
console.log(new Float64Array([1e21, 1e-7, -1.5, Infinity]), new Uint8ClampedArray([300, -5, 1.5]));
console.log(new Uint8Array(27).fill(255));
console.log(util.inspect(new Uint8Array(150)).split('\n').length);
class Sub extends Uint8Array { hello() { return 'hi'; } }
const sb = new Sub([1,2]); console.log(sb, sb.hello(), sb.map(x => x) instanceof Sub, sb.length);
// element conversions and integer-indexed semantics
const conv = [new Int8Array(1), new Uint8Array(1), new Uint8ClampedArray(1), new Int16Array(1), new Uint16Array(1), new Int32Array(1), new Uint32Array(1), new Float32Array(1), new Float64Array(1)];
for (const v of [-1.5, 2.5, 255.5, 65537, -2147483649, 4294967296.7, NaN, Infinity, -Infinity, '12', {}, [7], true]) {
  console.log(String(v), conv.map(a => { a[0] = v; return a[0]; }).join(' '));
}
const ta = new Uint8Array(3);
ta[10] = 5; ta[-1] = 5; ta['1.5'] = 5; ta.foo = 'bar';
console.log(ta, ta[10], ta[-1], ta['1.5'], ta.foo, 10 in ta, 2 in ta, '-0' in ta, Object.keys(ta), JSON.stringify(ta));
let n = 0; for (const k in ta) n++; console.log('for-in', n);
console.log(Object.getOwnPropertyDescriptor(ta, 1), Object.getOwnPropertyDescriptor(ta, 3));
Object.defineProperty(ta, 0, { value: 300 }); console.log(ta[0]);
Object.assign(ta, [9, 8]); console.log(ta);
const counter = { valueOf() { n++; return 42; } }; n = 0;
ta[1] = counter; ta[99] = counter; console.log(ta[1], n);
console.log(Object.getPrototypeOf(Int8Array) === Object.getPrototypeOf(Float64Array), Object.getPrototypeOf(Int8Array.prototype) === Object.getPrototypeOf(Uint8Array.prototype));
console.log(Int8Array.BYTES_PER_ELEMENT, Int16Array.BYTES_PER_ELEMENT, Float64Array.BYTES_PER_ELEMENT, Uint8Array.name, Uint8Array.length);
const ab = new ArrayBuffer(8);
const f64 = new Float64Array(ab); const u8 = new Uint8Array(ab);
f64[0] = 1; console.log(u8, ab, ab.byteLength, ab.slice(6), ArrayBuffer.isView(u8), ArrayBuffer.isView(ab));
console.log(new Int16Array([1, -2, 3]).sort(), new Float64Array([3, -0, 0, NaN, -Infinity]).sort(), new Uint8Array([5, 1, 4]).sort((a, b) => b - a));
console.log(new Uint8Array([1, 2, 3, 4, 5]).copyWithin(0, 3), new Uint8Array([1, 2, 3]).reduceRight((a, b) => a + '-' + b));
console.log(new Uint8Array([1, 2, 3]).join('-'), new Float32Array([0.1, 0.5]).join(), [...new Uint8Array([4, 5]).keys()], [...new Uint8Array([4, 5]).entries()]);
console.log(new Uint8Array(new Set([1, 2, 3])), new Int8Array({ length: 2, 0: 1, 1: -1 }), new Float64Array(new Int8Array([-1, 2])));
console.log([new Uint8Array(2), new Float32Array(0)], new Array(3).fill(new Int8Array(2)));
console.log(require('util').inspect(new Uint8Array(200), { maxArrayLength: 5 }), require('util').inspect(new ArrayBuffer(200), { maxArrayLength: 3 }));
console.log(new Float64Array(30).map((_, i) => i * 1.5));
console.log(new Int32Array(30).map((_, i) => (i % 3 ? 1 : -1) * i * 1000));
