// Subclassing and species: NewPromiseCapability(C) for constructors other than %Promise%.
const log = [];
const L = (s) => log.push(s);

let made = 0;
class P extends Promise {
  constructor(executor) {
    made++;
    super((res, rej) => executor(res, rej));
    this.tag = 'P' + made;
  }
}
const p = new P((r) => r(1));
L([p instanceof P, p instanceof Promise, p.tag, made, Object.prototype.toString.call(p)].join(' '));
const t = p.then((v) => v + 1);
L([t instanceof P, t.tag, made].join(' '));
t.then((v) => L('P chain ' + v));
L('P.resolve ' + (P.resolve(1) instanceof P) + ' ' + (P.resolve(p) === p) + ' ' + (Promise.resolve(p) === p));
L('P.reject ' + (P.reject(1).catch(() => {}) instanceof P));
L('P.all ' + (P.all([1]) instanceof P) + ' P.race ' + (P.race([]) instanceof P));
L('finally keeps species ' + (p.finally(() => {}) instanceof P) + ' made ' + made);

// Species: the derived promise's constructor comes from constructor[Symbol.species].
class Plain extends Promise {
  static get [Symbol.species]() { return Promise; }
}
const plain = new Plain((r) => r('plain'));
const d = plain.then((v) => L('species then ' + v));
L('species gives Promise ' + (d instanceof Plain) + ' ' + (d.constructor === Promise));
L('Promise[Symbol.species] === Promise ' + (Promise[Symbol.species] === Promise));

// A constructor that is not a promise at all: a capability from any "new C(executor)".
function Custom(executor) {
  L('Custom constructed');
  this.calls = [];
  executor((v) => L('custom resolve ' + v), (e) => L('custom reject ' + e));
}
const c = Promise.resolve.call(Custom, 'v');
L('custom result ' + (c instanceof Custom));
Promise.reject.call(Custom, 'e');
Promise.all.call(Custom, [1, 2]);

// constructor overridden on an instance.
const q = Promise.resolve('q');
q.constructor = Custom;
q.then((v) => L('then through Custom ' + v));
const r = Promise.resolve('r');
r.constructor = undefined;
r.then((v) => L('undefined constructor falls back ' + v));

// Errors.
const errs = [
  () => { const x = Promise.resolve(); x.constructor = 1; x.then(); },
  () => { const x = Promise.resolve(); x.constructor = { [Symbol.species]: 1 }; x.then(); },
  () => Promise.resolve.call(function () {}, 1),
  () => Promise.resolve.call(function (ex) { ex(1, 2); ex(3, 4); }, 1),
  () => Promise.resolve.call(function (ex) { ex(undefined, undefined); ex(() => {}, () => {}); }, 1),
  () => Promise.resolve.call({}, 1),
  () => Promise.all.call({}, []),
  () => P(() => {}),
  () => Promise.prototype.then.call(Object.create(Promise.prototype), () => {}),
];
for (const f of errs) {
  try { f(); L('no error'); } catch (e) { L(e.constructor.name + ': ' + e.message); }
}

// The executor passed to C by NewPromiseCapability.
Promise.resolve.call(function (ex) {
  L('executor ' + ex.length + ' ' + JSON.stringify(ex.name) + ' ' + typeof ex + ' ' + ('prototype' in ex));
  ex(() => {}, () => {});
}, 1);

// Thenables on subclass instances and Promise.resolve(subclass instance).
const sub = P.resolve('sub');
Promise.resolve(sub).then((v) => L('Promise.resolve(sub) ' + v + ' ' + (Promise.resolve(sub) !== sub)));

process.on('exit', () => console.log(log.join('\n')));
