const EventEmitter = require('events');
console.log(EventEmitter.EventEmitter === EventEmitter, typeof EventEmitter, EventEmitter.defaultMaxListeners);

const e = new EventEmitter();
console.log(e);
function a(x, y) { console.log('a', [x, y], this === e); }
function b() { console.log('b'); }
console.log('on returns emitter:', e.on('x', a) === e);
console.log(e._events, e._eventsCount);
e.on('x', b);
console.log(e._events);
console.log('emit returns', e.emit('x', 1, 2));
console.log('emit none returns', e.emit('nothing'));
function pre() { console.log('pre'); }
function onceL() { console.log('onceL', this === e); }
e.prependListener('x', pre);
e.once('x', onceL);
console.log('listeners', e.listeners('x'));
console.log('rawListeners', e.rawListeners('x').length, e.rawListeners('x')[3].listener === onceL,
  e.rawListeners('x')[3].name);
console.log('count', e.listenerCount('x'), e.listenerCount('x', a), e.listenerCount('nope'),
  e.listenerCount('x', onceL), EventEmitter.listenerCount(e, 'x'));
console.log('eventNames', e.eventNames());
e.emit('x', 'p', 'q');
console.log('after once', e.listenerCount('x'));
e.emit('x');
e.off('x', a);
console.log(e._events);
e.removeListener('x', b);
console.log(e._events, typeof e._events.x);
e.removeListener('x', function unknown() {});
e.removeListener('unknown', b);
e.removeAllListeners('x');
console.log(e._events, e._eventsCount, e.eventNames());

// the same fn twice; off removes the last one
const f2 = new EventEmitter();
let n = 0;
function inc() { n++; }
f2.on('i', inc); f2.on('i', inc); f2.emit('i');
console.log('twice', n);
f2.off('i', inc);
f2.emit('i');
console.log('once more', n, f2.listenerCount('i'));

// newListener / removeListener events
const g = new EventEmitter();
g.on('newListener', function (name, fn) { console.log('newListener', String(name), fn.name); });
g.on('removeListener', function (name, fn) { console.log('removeListener', String(name), fn.name); });
function zz() {}
function zonce() {}
g.on('z', zz);
g.once('z', zonce);
g.emit('z');
g.removeListener('z', zz);
g.on('w', zz); g.on('w', zonce);
g.removeAllListeners();
console.log(g._events, g._eventsCount);

// prependOnceListener
const p = new EventEmitter();
p.on('e', function () { console.log('e1'); });
p.prependOnceListener('e', function first() { console.log('first'); });
p.emit('e'); p.emit('e');

// emitting over a copy
const q = new EventEmitter();
q.on('q', function () { console.log('q1'); q.on('q', function () { console.log('q-added'); }); });
q.on('q', function () { console.log('q2'); });
q.emit('q');
console.log('--- second');
q.emit('q');
function g2() { console.log('g2'); }
const r = new EventEmitter();
r.on('g', function g1() { console.log('g1'); r.off('g', g2); });
r.on('g', g2);
r.emit('g');
console.log('--- second');
r.emit('g');

// exception in a listener propagates
const ex = new EventEmitter();
ex.on('t', function () { throw new Error('in listener'); });
ex.on('t', function () { console.log('not reached'); });
try { ex.emit('t'); } catch (err) { console.log('caught', err.message); }

// errors
const er = new EventEmitter();
try { er.emit('error', new Error('kaboom')); } catch (err) { console.log('thrown', err.message, err instanceof Error); }
try { er.emit('error', 'just a string'); } catch (err) {
  console.log(err.message, err.code, err.context, err.name, String(err));
  console.log(Object.keys(err));
}
try { er.emit('error'); } catch (err) { console.log(err.message, err.context); }
try { er.emit('error', 42); } catch (err) { console.log(err.message); }
try { er.emit('error', { a: 1 }); } catch (err) { console.log(err.message); }
er.on('error', function (x) { console.log('handled', x); });
console.log(er.emit('error', 'fine'));
const mon = new EventEmitter();
mon.on(EventEmitter.errorMonitor, function (x) { console.log('monitor', x.message); });
try { mon.emit('error', new Error('seen')); } catch (err) { console.log('still thrown', err.message); }
console.log(typeof EventEmitter.errorMonitor);

try { e.on('x', 'notfn'); } catch (err) { console.log(err.name, err.code, err.message); }
try { e.on('x', null); } catch (err) { console.log(err.message); }
try { e.on('x', {}); } catch (err) { console.log(err.message); }
try { e.once('x', 1); } catch (err) { console.log(err.message); }
try { e.off('x', undefined); } catch (err) { console.log(err.message); }

// max listeners
console.log(e.getMaxListeners());
console.log(e.setMaxListeners(3) === e, e.getMaxListeners(), e._maxListeners);
try { e.setMaxListeners(-1); } catch (err) { console.log(err.name, err.code, err.message); }
try { e.setMaxListeners('a'); } catch (err) { console.log(err.name, err.code, err.message); }
try { e.setMaxListeners(NaN); } catch (err) { console.log(err.message); }
try { EventEmitter.defaultMaxListeners = -1; } catch (err) { console.log(err.message); }
try { EventEmitter.defaultMaxListeners = 'a'; } catch (err) { console.log(err.message); }
EventEmitter.defaultMaxListeners = 5;
console.log(new EventEmitter().getMaxListeners());
EventEmitter.defaultMaxListeners = 10;

// symbols
const s = Symbol('sym');
const se = new EventEmitter();
se.on('r', function () {});
se.on(s, function () { console.log('sym fired'); });
se.on('1', function () {});
console.log(se.eventNames());
se.emit(s);

// subclasses
class Thing extends EventEmitter {
  constructor() { super(); this.name = 'thing'; }
  ping() { this.emit('ping', this.name); }
}
const t = new Thing();
t.on('ping', function (nm) { console.log('ping', nm, this instanceof Thing, this instanceof EventEmitter); });
t.ping();
console.log(t);
function Old() { EventEmitter.call(this); this.old = true; }
Object.setPrototypeOf(Old.prototype, EventEmitter.prototype);
const o = new Old();
o.on('hi', function () { console.log('old-style hi'); });
o.emit('hi');
console.log(o);

// warnings (stderr, on the next tick)
const w = new EventEmitter();
for (let i = 0; i < 11; i++) w.on('data', function () {});
console.log('after adding 11', w._events.data.warned, w._events.data.length);
for (let i = 0; i < 15; i++) w.on('other', function () {});
w.removeAllListeners('data');
for (let i = 0; i < 11; i++) w.on('data', function () {});
class Custom extends EventEmitter {}
const c = new Custom();
for (let i = 0; i < 11; i++) c.on(s, function () {});
const m2 = new EventEmitter();
m2.setMaxListeners(2);
for (let i = 0; i < 3; i++) m2.on('a', function () {});
const un = new EventEmitter();
un.setMaxListeners(0);
for (let i = 0; i < 20; i++) un.on('a', function () {});
console.log('end of script');
