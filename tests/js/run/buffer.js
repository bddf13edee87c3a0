// node's Buffer: encodings, statics, methods, read/write, errors, inspect.
function t(f){try{console.log(f())}catch(e){console.log(e.name+': '+e.message)}}
const b = Buffer.from('héllo wörld');
console.log(b, b.length, b.toString(), b.toString('hex'), b.toString('base64'), b.toString('latin1'), b.toString('ascii'));
console.log(Buffer.from('aGk=', 'base64'), Buffer.from('6869', 'hex'), Buffer.from('hi', 'utf16le'), Buffer.from('hi', 'latin1'));
console.log(Buffer.from([1,2,300]), Buffer.from(new Uint8Array([5,6]).buffer), Buffer.alloc(3, 1), Buffer.alloc(4, 'ab'), Buffer.allocUnsafe(2).fill(0));
console.log(Buffer.byteLength('héllo'), Buffer.byteLength('aGk=', 'base64'), Buffer.concat([Buffer.from('a'), Buffer.from('bc')]));
console.log(Buffer.isBuffer(b), Buffer.isBuffer(new Uint8Array(1)), Buffer.isEncoding('utf8'), Buffer.isEncoding('nope'));
console.log(Buffer.compare(Buffer.from('a'), Buffer.from('b')), b.equals(Buffer.from('héllo wörld')), b.indexOf('l'), b.indexOf(Buffer.from('wö')), b.includes('zz'), b.indexOf(0x6c, 5));
const s = b.slice(1, 3); s[0] = 65; console.log(s, b.subarray(0,2), b[1]);
console.log(JSON.stringify(Buffer.from('hi')), Buffer.from('hi').toJSON());
const w = Buffer.alloc(8); w.writeUInt32LE(0xdeadbeef, 0); w.writeUInt16BE(0x1234, 4); w.writeInt8(-2, 6); console.log(w, w.readUInt32LE(0), w.readUInt16BE(4), w.readInt8(6), w.readUInt32BE(0), w.readInt32LE(0), w.readInt16LE(4), w.readUInt8(7));
const c = Buffer.alloc(4); Buffer.from('xyz').copy(c, 1); console.log(c, c.write('ab', 2), c);
console.log(Buffer.from('hi').toString('base64url'), Buffer.from('~~~', 'utf8').toString('base64url'), Buffer.from('fn-_', 'base64url'));
console.log(Object.getPrototypeOf(Buffer.prototype) === Uint8Array.prototype, require('buffer').Buffer === Buffer, b instanceof Uint8Array);
console.log(Buffer.from('hello').toString('utf8', 1, 3), Buffer.from('€').toString('hex'), Buffer.from([0xff, 0xfe]).toString());
t(()=>Buffer.from(5)); t(()=>Buffer.alloc(-1)); t(()=>Buffer.from('x','nope')); t(()=>w.readUInt32LE(6));
console.log(Buffer.alloc(0), Buffer.from('abc').map(x=>x+1), Buffer.from('ab').toString('ucs2'), Buffer.from('a\u00ffb', 'ascii'));
console.log([Buffer.from('x')], { b: Buffer.alloc(2) }, String(Buffer.from('yo')), Buffer.from('hi') + '');
console.log(Buffer.from(Buffer.from('copy')), Buffer.from('zz').compare(Buffer.from('za')), Buffer.poolSize);
const big = Buffer.alloc(51); console.log(big);
console.log(Buffer.from('abc').fill('x'), Buffer.from('abcdef').fill(0, 2, 4));
const w2=Buffer.alloc(4);
t(()=>w2.writeUInt8(256)); t(()=>w2.writeUInt32LE(-1)); t(()=>w2.writeInt16LE(40000)); t(()=>w2.writeInt32BE(2**31)); t(()=>w2.readUInt8('1')); t(()=>w2.readUInt8(1.5)); t(()=>w2.writeUInt8(1, 9));
t(()=>Buffer.alloc('5')); t(()=>Buffer.from()); t(()=>Buffer.from(null)); t(()=>Buffer.from({})); t(()=>Buffer.from(()=>1)); t(()=>Buffer.from(true));
t(()=>Buffer.concat('x')); t(()=>Buffer.concat([1])); t(()=>w2.equals('x')); t(()=>Buffer.compare(1, w));
t(()=>w2.writeUInt8(1.7, 0)); t(()=>w2.writeFloatLE(1.5)); t(()=>w2.readFloatLE()); t(()=>Buffer.from('ab').indexOf('b', -1)); t(()=>Buffer.from('abc').indexOf('')); t(()=>Buffer.from('abc').indexOf('', 10));
t(()=>Buffer.from('abc').lastIndexOf('b')); t(()=>Buffer.from('abc').toString('nope')); t(()=>Buffer.from('abcd').write('xyz', 2)); t(()=>Buffer.from('abcd').write('é', 3));
t(()=>Buffer.from('a b\nc=d', 'base64')); t(()=>Buffer.from('abc', 'hex')); t(()=>Buffer.from('zz12', 'hex'));t(()=>Buffer.from('12zz', 'hex'));
t(()=>Buffer.byteLength(5)); t(()=>Buffer.byteLength(new Uint16Array(3))); t(()=>Buffer.from('ab').toString(undefined, 5));
t(()=>typeof Buffer.prototype.readUint8);
t(()=>w.readUInt16LE(3))
t(()=>Buffer.from('\ud800x'));
t(()=>Buffer.from('ab').slice(-1));
const util = require('util');
console.log(util.inspect(Buffer.from('abc'), { showHidden: true }), util.format('%j %s', Buffer.from('a'), Buffer.from('b')));
const e = (() => { try { Buffer.alloc(-5); } catch (err) { return err; } })();
console.log(e.code, e.name, e instanceof RangeError, Object.keys(e));
console.log(Buffer.from('€uro', 'utf8').toString('latin1'), Buffer.from('ÿ', 'latin1'), Buffer.from('a', 'UTF-8'), Buffer.from('Zm9v\nYmFy', 'base64').toString());
const shared = Buffer.from('hello'); const view = shared.subarray(1, 3); view.fill('z'); console.log(shared.toString(), view.toString('hex'), view.length);
const ab = new ArrayBuffer(4); const fromAb = Buffer.from(ab, 1, 2); fromAb[0] = 7; console.log(new Uint8Array(ab), fromAb.length);
console.log(Buffer.concat([Buffer.from('ab'), new Uint8Array([99])], 5), Buffer.concat([]), Buffer.byteLength('😀'), Buffer.from('😀').toString('utf16le').length);
console.log(Buffer.from('abc').equals(new Uint8Array([97, 98, 99])), [Buffer.from('b'), Buffer.from('a'), Buffer.from('ab')].sort(Buffer.compare));
const all = Buffer.alloc(256); for (let i = 0; i < 256; i++) all[i] = i;
for (const enc of ['utf8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'utf16le', 'ucs2']) {
  const s = all.toString(enc); console.log(enc, s.length, Buffer.byteLength(s, enc), Buffer.from(s, enc).equals(all));
}
// variable-width reads and writes
const vb = Buffer.alloc(8);
t(()=>vb.writeUIntLE(0x123456, 0, 3)); t(()=>vb.readUIntLE(0, 3)); t(()=>vb.readUIntBE(0, 3)); t(()=>vb.readIntLE(0, 3)); t(()=>vb.writeIntBE(-5, 2, 6)); t(()=>vb.readIntBE(2, 6)); t(()=>vb.readUIntBE(2, 6));
t(()=>vb.writeUIntLE(2**24, 0, 3)); t(()=>vb.writeUIntLE(2**48, 0, 6)); t(()=>vb.writeIntLE(2**47, 0, 6)); t(()=>vb.writeIntLE(-129, 0, 1)); t(()=>vb.writeUIntLE(1, 0, 7)); t(()=>vb.readUIntLE(0)); t(()=>vb.readUIntLE(4, 6)); t(()=>vb.writeIntLE(2**31, 0, 4)); t(()=>vb.writeUIntBE(2**40, 0, 5));
console.log(vb);
t(()=>w2.writeUInt32LE(2**32)); t(()=>typeof Buffer.prototype.readUintBE);
