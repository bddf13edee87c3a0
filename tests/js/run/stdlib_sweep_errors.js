// An error's stack header follows a later name/message (V8 formats it lazily), unless the
// program set the stack itself; captureStackTrace's second argument; own-property order.
const p = (...a) => console.log(...a);
const t = (f) => { try { p(f()); } catch (e) { p(e.constructor.name + ': ' + e.message); } };
const e1 = new Error('a'); e1.name = 'Custom'; p(e1.stack.split('\n')[0], String(e1));
const e2 = new Error('msg'); e2.message = 'changed'; p(e2.stack.split('\n')[0]);
class ValidationError extends Error { constructor(m) { super(m); this.name = 'ValidationError'; } }
const e3 = new ValidationError('bad'); p(e3.stack.split('\n')[0], String(e3), e3 instanceof ValidationError);
const e4 = new Error('m'); e4.stack = 'Error: m\n    at q (x.js:1:1)'; e4.name = 'Other'; p(e4.stack);
const e5 = new TypeError('t'); e5.name = ''; p(JSON.stringify(e5.stack.split('\n')[0]));
function outer() { inner(); }
function inner() { const o = {}; Error.captureStackTrace(o, inner); p(o.stack.split('\n')[0], o.stack.split('\n')[1].trim().split(' (')[0]); }
outer();
t(() => { const o = { message: 'mm', name: 'NN' }; Error.captureStackTrace(o); return o.stack.split('\n')[0]; });
t(() => { const o = {}; Error.captureStackTrace(o, function notRunning() {}); return JSON.stringify(o.stack); });
t(() => Error.captureStackTrace(1));
t(() => [Object.getOwnPropertyNames(new Error('m', { cause: 1 })), Object.getOwnPropertyNames(new AggregateError([], 'x'))]);
t(() => { try { null.x; } catch (e) { return Object.getOwnPropertyNames(e); } });
