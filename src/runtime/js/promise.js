'use strict';
// Promise, per ECMA-262 §27.2, on the runtime's microtask queue (queueMicrotask). Loaded on
// the first use of the global `Promise`. An unhandled rejection ends the process as node
// v20's default mode does: the reason is thrown as an uncaught exception once the
// microtasks of the turn have run.

const PENDING = 0, FULFILLED = 1, REJECTED = 2;
const kState = Symbol('state');
const kValue = Symbol('value');
const kReactions = Symbol('reactions');
const kHandled = Symbol('handled');

function isObject(x) { return (typeof x === 'object' && x !== null) || typeof x === 'function'; }

let unhandled = [];
let checkScheduled = false;
function scheduleCheck() {
  if (checkScheduled) return;
  checkScheduled = true;
  setImmediate(() => {
    checkScheduled = false;
    const list = unhandled;
    unhandled = [];
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      if (!p[kHandled]) __minijs_throw_unhandled(p[kValue]);
    }
  });
}

function settle(p, state, value) {
  if (p[kState] !== PENDING) return;
  p[kState] = state;
  p[kValue] = value;
  const reactions = p[kReactions];
  p[kReactions] = undefined;
  for (let i = 0; i < reactions.length; i++) schedule(p, reactions[i]);
  if (state === REJECTED && !p[kHandled]) {
    unhandled.push(p);
    scheduleCheck();
  }
}

function schedule(p, reaction) {
  const state = p[kState];
  const value = p[kValue];
  queueMicrotask(() => {
    const handler = state === FULFILLED ? reaction.onFulfilled : reaction.onRejected;
    if (typeof handler !== 'function') {
      if (state === FULFILLED) reaction.resolve(value); else reaction.reject(value);
      return;
    }
    let result;
    try {
      result = handler(value);
    } catch (e) {
      reaction.reject(e);
      return;
    }
    reaction.resolve(result);
  });
}

function resolvingFunctions(p) {
  let done = false;
  const resolve = (x) => {
    if (done) return;
    done = true;
    resolveWith(p, x);
  };
  const reject = (r) => {
    if (done) return;
    done = true;
    settle(p, REJECTED, r);
  };
  return { resolve, reject };
}

function resolveWith(p, x) {
  if (x === p) {
    settle(p, REJECTED, new TypeError('Chaining cycle detected for promise #<Promise>'));
    return;
  }
  if (!isObject(x)) {
    settle(p, FULFILLED, x);
    return;
  }
  let then;
  try {
    then = x.then;
  } catch (e) {
    settle(p, REJECTED, e);
    return;
  }
  if (typeof then !== 'function') {
    settle(p, FULFILLED, x);
    return;
  }
  queueMicrotask(() => {
    const { resolve, reject } = resolvingFunctions(p);
    try {
      then.call(x, resolve, reject);
    } catch (e) {
      reject(e);
    }
  });
}

class Promise {
  constructor(executor) {
    if (typeof executor !== 'function') {
      throw new TypeError('Promise resolver ' + (executor === undefined ? 'undefined' : String(executor)) + ' is not a function');
    }
    this[kState] = PENDING;
    this[kValue] = undefined;
    this[kReactions] = [];
    this[kHandled] = false;
    const { resolve, reject } = resolvingFunctions(this);
    try {
      executor(resolve, reject);
    } catch (e) {
      reject(e);
    }
  }

  then(onFulfilled, onRejected) {
    const C = this.constructor === undefined || this.constructor === Promise ? Promise : this.constructor;
    let resolve, reject;
    const derived = new C((res, rej) => { resolve = res; reject = rej; });
    const reaction = { onFulfilled, onRejected, resolve, reject };
    this[kHandled] = true;
    if (this[kState] === PENDING) this[kReactions].push(reaction);
    else schedule(this, reaction);
    return derived;
  }

  catch(onRejected) {
    return this.then(undefined, onRejected);
  }

  finally(onFinally) {
    if (typeof onFinally !== 'function') return this.then(onFinally, onFinally);
    return this.then(
      (v) => Promise.resolve(onFinally()).then(() => v),
      (e) => Promise.resolve(onFinally()).then(() => { throw e; })
    );
  }

  static resolve(x) {
    if (x instanceof Promise && x.constructor === this) return x;
    return new this((res) => res(x));
  }

  static reject(r) {
    return new this((_, rej) => rej(r));
  }

  static withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  }

  static all(iterable) {
    return new this((resolve, reject) => {
      const values = [];
      let remaining = 1;
      let i = 0;
      for (const item of iterable) {
        const index = i++;
        values.push(undefined);
        remaining++;
        this.resolve(item).then((v) => {
          values[index] = v;
          if (--remaining === 0) resolve(values);
        }, reject);
      }
      if (--remaining === 0) resolve(values);
    });
  }

  static allSettled(iterable) {
    return new this((resolve) => {
      const values = [];
      let remaining = 1;
      let i = 0;
      for (const item of iterable) {
        const index = i++;
        values.push(undefined);
        remaining++;
        this.resolve(item).then((value) => {
          values[index] = { status: 'fulfilled', value };
          if (--remaining === 0) resolve(values);
        }, (reason) => {
          values[index] = { status: 'rejected', reason };
          if (--remaining === 0) resolve(values);
        });
      }
      if (--remaining === 0) resolve(values);
    });
  }

  static race(iterable) {
    return new this((resolve, reject) => {
      for (const item of iterable) this.resolve(item).then(resolve, reject);
    });
  }

  static any(iterable) {
    return new this((resolve, reject) => {
      const errors = [];
      let remaining = 1;
      let i = 0;
      for (const item of iterable) {
        const index = i++;
        errors.push(undefined);
        remaining++;
        this.resolve(item).then(resolve, (e) => {
          errors[index] = e;
          if (--remaining === 0) {
            const err = new Error('All promises were rejected');
            err.name = 'AggregateError';
            err.errors = errors;
            reject(err);
          }
        });
      }
      if (--remaining === 0) {
        const err = new Error('All promises were rejected');
        err.name = 'AggregateError';
        err.errors = errors;
        reject(err);
      }
    });
  }
}

Object.defineProperty(Promise.prototype, Symbol.toStringTag, { value: 'Promise', configurable: true });

module.exports = Promise;
