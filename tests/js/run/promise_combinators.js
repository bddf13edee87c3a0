// Promise.all, allSettled, race and any: mixed values, custom iterables, errors, ticks.
const log = [];
const L = (s) => log.push(s);
const show = (name, p) => p.then(
  (v) => L(name + ' fulfilled ' + JSON.stringify(v)),
  (e) => L(name + ' rejected ' + (e instanceof Error ? e.constructor.name + ': ' + e.message + (e.errors ? ' ' + JSON.stringify(e.errors) : '') : JSON.stringify(e))));
let turn = 0;
(function tick() {
  if (turn < 10) {
    L('-- turn ' + turn++);
    Promise.resolve().then(tick);
  }
})();

const thenable = { then(r) { r('thenable'); } };
const later = new Promise((r) => setTimeout(() => r('later'), 1));
const mixed = () => [1, Promise.resolve(2), thenable, 'four', later];

show('all', Promise.all(mixed()));
show('all empty', Promise.all([]));
show('all string', Promise.all('ab'));
show('all rejects', Promise.all([Promise.resolve(1), Promise.reject(new Error('no')), later]));
show('allSettled', Promise.allSettled([1, Promise.reject('bad'), thenable, later]));
show('allSettled empty', Promise.allSettled([]));
show('race', Promise.race([later, 'first', Promise.resolve('second')]));
show('race rejected', Promise.race([Promise.reject('r'), 1]));
show('race empty (pending forever)', Promise.race([]).then(() => 'never'));
show('any', Promise.any([Promise.reject(1), later, Promise.resolve('any ok')]));
show('any all rejected', Promise.any([Promise.reject(1), Promise.reject(2)]));
show('any empty', Promise.any([]));
show('all not iterable', Promise.all(5));
show('all undefined', Promise.all());
show('race object', Promise.race({}));

// A custom iterable: next() and then() interleave as the specification says.
function iterable(values, opts = {}) {
  return {
    [Symbol.iterator]() {
      let i = 0;
      L('iterator made');
      return {
        next() {
          L('next ' + i);
          if (opts.throwAt === i) throw new Error('next threw');
          return i < values.length ? { value: values[i++], done: false } : { value: undefined, done: true };
        },
        return() { L('return called'); return {}; },
      };
    },
  };
}
show('all iterable', Promise.all(iterable([1, 2])));
show('all next throws', Promise.all(iterable([1, 2], { throwAt: 1 })));

// Elements whose then throws close the iterator.
const badThen = { then() { throw new Error('then threw'); } };
class Eager extends Promise {
  static resolve(v) { L('Eager.resolve'); return v === 'boom' ? badThen : super.resolve(v); }
}
show('all then throws', Eager.all(iterable(['ok', 'boom', 'unreached'])));
// A resolve that is not a function.
class NoResolve extends Promise {}
NoResolve.resolve = 5;
show('all bad resolve', NoResolve.all([1]));

// An element function called twice counts once; after settling, nothing changes.
let twice;
const capture = { then(r) { twice = r; r('a'); } };
show('all twice', Promise.all([capture, new Promise((r) => setTimeout(() => r('b'), 2))]));
setTimeout(() => { twice('again'); }, 3);

// AggregateError itself.
const ae = new AggregateError([1, new Error('inner')], 'msg', { cause: 'why' });
L([ae instanceof AggregateError, ae instanceof Error, ae.name, ae.message, ae.cause, ae.errors.length, Object.getPrototypeOf(AggregateError) === Error].join(' '));
L(Object.keys(ae).length + ' ' + Object.getOwnPropertyDescriptor(ae, 'errors').enumerable);
L(String(new AggregateError(new Set(['s']))) + ' ' + new AggregateError('xy').errors.join('+'));
try { new AggregateError(); } catch (e) { L(e.constructor.name + ': ' + e.message); }
try { AggregateError(7); } catch (e) { L('without new: ' + e.message); }

process.on('exit', () => console.log(log.join('\n')));
