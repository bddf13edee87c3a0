// fs reads and writes bytes: readFileSync without an encoding is a Buffer, with one it decodes.
const fs = require('fs'), os = require('os'), path = require('path');
const f = path.join(os.tmpdir(), 'minijs-typed-fs-' + process.pid + '.bin');
fs.writeFileSync(f, Buffer.from([0, 255, 104, 105]));
console.log(fs.readFileSync(f), fs.readFileSync(f, 'hex'), fs.readFileSync(f, { encoding: 'base64' }), fs.readFileSync(f, 'latin1').length);
fs.appendFileSync(f, new Uint8Array([33]));
fs.appendFileSync(f, 'é');
console.log(fs.readFileSync(f), fs.readFileSync(f).toString('utf8', 2));
try { fs.readFileSync(f, 'nope'); } catch (e) { console.log(e.code, e.message); }
fs.unlinkSync(f);
