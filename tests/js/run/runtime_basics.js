const lib = require('./modules/lib');
console.log(lib.add(2, 3), lib.name, typeof __filename, typeof module, typeof exports, this === module.exports);
console.log(process.argv.length, typeof process.pid, process.platform);
setTimeout(() => console.log('timeout 2'), 220);
setTimeout((a, b) => console.log('timeout 1', a, b), 10, 'x', 'y');
setImmediate(() => console.log('immediate'));
process.nextTick(() => console.log('tick'));
queueMicrotask(() => console.log('micro'));
const iv = setInterval(() => { console.log('interval'); if (++n === 3) clearInterval(iv); }, 50);
let n = 0;
console.log('sync end');
try { require('./modules/nope'); } catch (e) { console.log(e.message.length > 0, e.code); }
console.log(require('./modules/lib') === lib);
