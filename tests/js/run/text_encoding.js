const enc = new TextEncoder();
console.log(enc.encoding, enc.encode('héllo €😀'), enc.encode(), enc.encode('\uD800x'));
const u = new Uint8Array(5); console.log(enc.encodeInto('a€b', u), u, enc.encodeInto('😀😀', new Uint8Array(5)));
const dec = new TextDecoder(); console.log(dec.encoding, dec.fatal, dec.ignoreBOM, dec.decode(enc.encode('héllo €😀')));
console.log(JSON.stringify(dec.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x41, 0xff]))), dec.decode(new Uint8Array([104, 105]).buffer), dec.decode(Buffer.from('buf')));
console.log(new TextDecoder('utf-16le').decode(new Uint8Array([0x41, 0, 0x3d, 0xd8, 0, 0xde])), new TextDecoder('latin1').encoding, new TextDecoder('latin1').decode(new Uint8Array([0xe9])));
try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])) } catch (e) { console.log(e.name, e.code, e.message) }
try { new TextDecoder('nope') } catch (e) { console.log(e.name, e.code, e.message) }
try { TextEncoder() } catch (e) { console.log(e.name, e.message) }
console.log(Object.prototype.toString.call(enc), typeof TextEncoder, TextDecoder.name, TextEncoder.length, new TextDecoder(undefined, { ignoreBOM: true }).decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x41])).length);
