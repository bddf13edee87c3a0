'use strict';
// node:events — EventEmitter, following node v20's lib/events.js (storage
// shape, ordering, 'newListener'/'removeListener', once-wrappers, the
// 'error' event and the MaxListenersExceededWarning).
// Not supported yet: the Promise-based helpers events.once()/events.on()
// (they throw until Promise exists), captureRejections of async listeners,
// EventTarget support in the static helpers.

var errors = require('internal/errors');
var ERR_INVALID_ARG_TYPE = errors.ERR_INVALID_ARG_TYPE;
var validateNumber = errors.validateNumber;
var makeNodeError = errors.makeNodeError;

var kCapture = Symbol('kCapture');
var kErrorMonitor = Symbol('events.errorMonitor');
var kShapeMode = Symbol('shapeMode');
var kMaxEventTargetListeners = Symbol('events.maxEventTargetListeners');
var kMaxEventTargetListenersWarned = Symbol('events.maxEventTargetListenersWarned');
var kRejection = Symbol.for('nodejs.rejection');
// Attached (non-enumerable) to an Error thrown by emit('error') so that the
// uncaught-exception reporter can print node's "Emitted 'error' event at:".
var kEmittedErrorInfo = Symbol.for('minijs.emittedErrorInfo');

var defaultMaxListeners = 10;

function inspect(value, opts) {
  return __minijs_inspect(value, opts);
}

function EventEmitter(opts) {
  EventEmitter.init.call(this, opts);
}

module.exports = EventEmitter;

EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;

Object.defineProperty(EventEmitter.prototype, kCapture, {
  value: false, writable: true, enumerable: false,
});

Object.defineProperty(EventEmitter, 'captureRejections', {
  get: function () { return EventEmitter.prototype[kCapture]; },
  set: function (value) {
    if (typeof value !== 'boolean') {
      throw ERR_INVALID_ARG_TYPE('EventEmitter.captureRejections', 'boolean', value);
    }
    EventEmitter.prototype[kCapture] = value;
  },
  enumerable: true,
});

Object.defineProperty(EventEmitter, 'defaultMaxListeners', {
  enumerable: true,
  get: function () { return defaultMaxListeners; },
  set: function (arg) {
    validateNumber(arg, 'defaultMaxListeners', 0);
    defaultMaxListeners = arg;
  },
});

EventEmitter.EventEmitter = EventEmitter;
EventEmitter.usingDomains = false;
EventEmitter.captureRejectionSymbol = kRejection;
EventEmitter.errorMonitor = kErrorMonitor;
Object.defineProperty(EventEmitter, 'kMaxEventTargetListeners', {
  value: kMaxEventTargetListeners, enumerable: false, configurable: false, writable: false,
});
Object.defineProperty(EventEmitter, 'kMaxEventTargetListenersWarned', {
  value: kMaxEventTargetListenersWarned, enumerable: false, configurable: false, writable: false,
});

EventEmitter.init = function (opts) {
  if (this._events === undefined ||
      this._events === Object.getPrototypeOf(this)._events) {
    this._events = { __proto__: null };
    this._eventsCount = 0;
    this[kShapeMode] = false;
  } else {
    this[kShapeMode] = true;
  }

  this._maxListeners = this._maxListeners || undefined;

  if (opts != null && opts.captureRejections) {
    if (typeof opts.captureRejections !== 'boolean') {
      throw ERR_INVALID_ARG_TYPE('options.captureRejections', 'boolean',
        opts.captureRejections);
    }
    this[kCapture] = Boolean(opts.captureRejections);
  } else {
    this[kCapture] = EventEmitter.prototype[kCapture];
  }
};

function checkListener(listener) {
  if (typeof listener !== 'function') {
    throw ERR_INVALID_ARG_TYPE('listener', 'Function', listener);
  }
}

EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) {
  validateNumber(n, 'setMaxListeners', 0);
  this._maxListeners = n;
  return this;
};

function _getMaxListeners(that) {
  if (that._maxListeners === undefined) return EventEmitter.defaultMaxListeners;
  return that._maxListeners;
}

EventEmitter.prototype.getMaxListeners = function getMaxListeners() {
  return _getMaxListeners(this);
};

function arrayClone(arr) {
  var copy = new Array(arr.length);
  for (var i = 0; i < arr.length; i++) copy[i] = arr[i];
  return copy;
}

function unwrapListeners(arr) {
  var ret = arrayClone(arr);
  for (var i = 0; i < ret.length; ++i) {
    var orig = ret[i].listener;
    if (typeof orig === 'function') ret[i] = orig;
  }
  return ret;
}

EventEmitter.prototype.emit = function emit(type, ...args) {
  var doError = (type === 'error');

  var events = this._events;
  if (events !== undefined) {
    if (doError && events[kErrorMonitor] !== undefined) {
      this.emit(kErrorMonitor, ...args);
    }
    doError = (doError && events.error === undefined);
  } else if (!doError) {
    return false;
  }

  // If there is no 'error' event listener then throw.
  if (doError) {
    var er;
    if (args.length > 0) er = args[0];
    if (er instanceof Error) {
      try {
        var capture = new Error('');
        Object.defineProperty(er, kEmittedErrorInfo, {
          value: { emitter: this, stack: capture.stack },
          configurable: true, writable: true, enumerable: false,
        });
      } catch (e) {
        // Continue regardless of error.
      }
      throw er; // Unhandled 'error' event
    }

    var stringifiedEr;
    try {
      stringifiedEr = inspect(er);
    } catch (e) {
      stringifiedEr = er;
    }

    // At least give some kind of context to the user
    var err = makeNodeError(Error, 'ERR_UNHANDLED_ERROR',
      'Unhandled error. (' + stringifiedEr + ')');
    err.context = er;
    throw err; // Unhandled 'error' event
  }

  var handler = events[type];

  if (handler === undefined) return false;

  if (typeof handler === 'function') {
    handler.apply(this, args);
  } else {
    var len = handler.length;
    var listeners = arrayClone(handler);
    for (var i = 0; i < len; ++i) {
      listeners[i].apply(this, args);
    }
  }

  return true;
};

function _addListener(target, type, listener, prepend) {
  var m;
  var events;
  var existing;

  checkListener(listener);

  events = target._events;
  if (events === undefined) {
    events = target._events = { __proto__: null };
    target._eventsCount = 0;
  } else {
    // To avoid recursion in the case that type === "newListener"! Before
    // adding it to the listeners, first emit "newListener".
    if (events.newListener !== undefined) {
      target.emit('newListener', type,
        listener.listener != null ? listener.listener : listener);
      // Re-assign `events` because a newListener handler could have caused
      // this._events to be assigned to a new object
      events = target._events;
    }
    existing = events[type];
  }

  if (existing === undefined) {
    // Optimize the case of one listener. Don't need the extra array object.
    events[type] = listener;
    ++target._eventsCount;
  } else {
    if (typeof existing === 'function') {
      // Adding the second element, need to change to array.
      existing = events[type] = prepend ? [listener, existing] : [existing, listener];
    } else if (prepend) {
      for (var i = existing.length; i > 0; i--) existing[i] = existing[i - 1];
      existing[0] = listener;
    } else {
      existing.push(listener);
    }

    // Check for listener leak
    m = _getMaxListeners(target);
    if (m > 0 && existing.length > m && !existing.warned) {
      existing.warned = true;
      // No error code for this since it is a Warning
      var w = new Error('Possible EventEmitter memory leak detected. ' +
        existing.length + ' ' + String(type) + ' listeners ' +
        'added to ' + inspect(target, { depth: -1 }) + '. MaxListeners is ' + m +
        '. Use emitter.setMaxListeners() to increase limit');
      w.name = 'MaxListenersExceededWarning';
      w.emitter = target;
      w.type = type;
      w.count = existing.length;
      process.emitWarning(w);
    }
  }

  return target;
}

EventEmitter.prototype.addListener = function addListener(type, listener) {
  return _addListener(this, type, listener, false);
};

EventEmitter.prototype.on = EventEmitter.prototype.addListener;

EventEmitter.prototype.prependListener = function prependListener(type, listener) {
  return _addListener(this, type, listener, true);
};

function onceWrapper() {
  if (!this.fired) {
    this.target.removeListener(this.type, this.wrapFn);
    this.fired = true;
    if (arguments.length === 0) return this.listener.call(this.target);
    return this.listener.apply(this.target, arguments);
  }
}

function _onceWrap(target, type, listener) {
  var state = { fired: false, wrapFn: undefined, target: target, type: type, listener: listener };
  var wrapped = onceWrapper.bind(state);
  wrapped.listener = listener;
  state.wrapFn = wrapped;
  return wrapped;
}

EventEmitter.prototype.once = function once(type, listener) {
  checkListener(listener);
  this.on(type, _onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.prependOnceListener = function prependOnceListener(type, listener) {
  checkListener(listener);
  this.prependListener(type, _onceWrap(this, type, listener));
  return this;
};

function hasEventListener(self, type) {
  if (type === undefined) return self._events !== undefined;
  return self._events !== undefined && self._events[type] !== undefined;
}

EventEmitter.prototype.removeListener = function removeListener(type, listener) {
  checkListener(listener);

  if (!hasEventListener(this, type)) return this;

  var events = this._events;
  var list = events[type];

  if (list === listener || list.listener === listener) {
    this._eventsCount -= 1;

    if (this[kShapeMode]) {
      events[type] = undefined;
    } else if (this._eventsCount === 0) {
      this._events = { __proto__: null };
    } else {
      delete events[type];
      if (events.removeListener) {
        this.emit('removeListener', type, list.listener || listener);
      }
    }
  } else if (typeof list !== 'function') {
    var position = -1;

    for (var i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) {
        position = i;
        break;
      }
    }

    if (position < 0) return this;

    for (var j = position; j < list.length - 1; j++) list[j] = list[j + 1];
    list.length = list.length - 1;

    if (list.length === 1) events[type] = list[0];

    if (events.removeListener !== undefined) {
      this.emit('removeListener', type, listener);
    }
  }

  return this;
};

EventEmitter.prototype.off = EventEmitter.prototype.removeListener;

function ownKeys(obj) {
  var keys = Object.getOwnPropertyNames(obj);
  var syms = Object.getOwnPropertySymbols(obj);
  for (var i = 0; i < syms.length; i++) keys.push(syms[i]);
  return keys;
}

EventEmitter.prototype.removeAllListeners = function removeAllListeners(type) {
  if (!hasEventListener(this)) return this;
  var events = this._events;

  // Not listening for removeListener, no need to emit
  if (events.removeListener === undefined) {
    if (arguments.length === 0) {
      this._events = { __proto__: null };
      this._eventsCount = 0;
    } else if (events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = { __proto__: null };
      else delete events[type];
    }
    this[kShapeMode] = false;
    return this;
  }

  // Emit removeListener for all listeners on all events
  if (arguments.length === 0) {
    var keys = ownKeys(events);
    for (var k = 0; k < keys.length; k++) {
      var key = keys[k];
      if (key === 'removeListener') continue;
      this.removeAllListeners(key);
    }
    this.removeAllListeners('removeListener');
    this._events = { __proto__: null };
    this._eventsCount = 0;
    this[kShapeMode] = false;
    return this;
  }

  var listeners = events[type];

  if (typeof listeners === 'function') {
    this.removeListener(type, listeners);
  } else if (listeners !== undefined) {
    // LIFO order
    for (var i = listeners.length - 1; i >= 0; i--) {
      this.removeListener(type, listeners[i]);
    }
  }

  return this;
};

function _listeners(target, type, unwrap) {
  var events = target._events;

  if (events === undefined) return [];

  var evlistener = events[type];
  if (evlistener === undefined) return [];

  if (typeof evlistener === 'function') {
    return unwrap ? [evlistener.listener || evlistener] : [evlistener];
  }

  return unwrap ? unwrapListeners(evlistener) : arrayClone(evlistener);
}

EventEmitter.prototype.listeners = function listeners(type) {
  return _listeners(this, type, true);
};

EventEmitter.prototype.rawListeners = function rawListeners(type) {
  return _listeners(this, type, false);
};

function listenerCount(type, listener) {
  var events = this._events;

  if (events !== undefined) {
    var evlistener = events[type];

    if (typeof evlistener === 'function') {
      if (listener != null) {
        return listener === evlistener || listener === evlistener.listener ? 1 : 0;
      }
      return 1;
    } else if (evlistener !== undefined) {
      if (listener != null) {
        var matching = 0;
        for (var i = 0, l = evlistener.length; i < l; i++) {
          if (evlistener[i] === listener || evlistener[i].listener === listener) {
            matching++;
          }
        }
        return matching;
      }
      return evlistener.length;
    }
  }

  return 0;
}

EventEmitter.prototype.listenerCount = listenerCount;

// Deprecated (DEP0033) but still working.
EventEmitter.listenerCount = function (emitter, type) {
  if (typeof emitter.listenerCount === 'function') {
    return emitter.listenerCount(type);
  }
  return listenerCount.call(emitter, type);
};

EventEmitter.prototype.eventNames = function eventNames() {
  return this._eventsCount > 0 ? ownKeys(this._events) : [];
};

// Static helpers.
EventEmitter.getEventListeners = function getEventListeners(emitterOrTarget, type) {
  if (emitterOrTarget != null && typeof emitterOrTarget.listeners === 'function') {
    return emitterOrTarget.listeners(type);
  }
  throw ERR_INVALID_ARG_TYPE('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
};

EventEmitter.getMaxListeners = function getMaxListeners(emitterOrTarget) {
  if (emitterOrTarget != null && typeof emitterOrTarget.getMaxListeners === 'function') {
    return _getMaxListeners(emitterOrTarget);
  }
  throw ERR_INVALID_ARG_TYPE('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
};

EventEmitter.setMaxListeners = function setMaxListeners(n, ...eventTargets) {
  if (n === undefined) n = defaultMaxListeners;
  validateNumber(n, 'setMaxListeners', 0);
  if (eventTargets.length === 0) {
    defaultMaxListeners = n;
  } else {
    for (var i = 0; i < eventTargets.length; i++) {
      var target = eventTargets[i];
      if (target != null && typeof target.setMaxListeners === 'function') {
        target.setMaxListeners(n);
      } else {
        throw ERR_INVALID_ARG_TYPE('eventTargets', ['EventEmitter', 'EventTarget'], target);
      }
    }
  }
};

// events.once(emitter, name): a Promise of the next event's arguments (an 'error' event
// first rejects it).
EventEmitter.once = function once(emitter, name) {
  return new Promise((resolve, reject) => {
    const errorListener = (err) => {
      emitter.removeListener(name, resolver);
      reject(err);
    };
    const resolver = (...args) => {
      if (name !== 'error') {
        emitter.removeListener('error', errorListener);
      }
      resolve(args);
    };
    emitter.once(name, resolver);
    if (name !== 'error') {
      emitter.once('error', errorListener);
    }
  });
};

const AsyncIteratorPrototype = Object.getPrototypeOf(
  Object.getPrototypeOf(async function* () {}).prototype);

// events.on(emitter, name): an async iterator of the events' argument arrays, until return()
// (a for await loop left early) or an 'error' event.
EventEmitter.on = function on(emitter, event) {
  const unconsumedEvents = [];
  const unconsumedPromises = [];
  let error = null;
  let finished = false;
  const iterator = Object.setPrototypeOf({
    next() {
      const value = unconsumedEvents.shift();
      if (value) {
        return Promise.resolve({ value, done: false });
      }
      if (error) {
        const p = Promise.reject(error);
        error = null;
        return p;
      }
      if (finished) {
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve, reject) => unconsumedPromises.push({ resolve, reject }));
    },
    return() {
      emitter.removeListener(event, eventHandler);
      emitter.removeListener('error', errorHandler);
      finished = true;
      for (const p of unconsumedPromises) {
        p.resolve({ value: undefined, done: true });
      }
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(err) {
      if (!err || !(err instanceof Error)) {
        throw ERR_INVALID_ARG_TYPE('EventEmitter.AsyncIterator', 'Error', err);
      }
      error = err;
      emitter.removeListener(event, eventHandler);
      emitter.removeListener('error', errorHandler);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  }, AsyncIteratorPrototype);
  emitter.on(event, eventHandler);
  if (event !== 'error') {
    emitter.on('error', errorHandler);
  }
  return iterator;

  function eventHandler(...args) {
    const p = unconsumedPromises.shift();
    if (p) {
      p.resolve({ value: args, done: false });
    } else {
      unconsumedEvents.push(args);
    }
  }

  function errorHandler(err) {
    finished = true;
    const p = unconsumedPromises.shift();
    if (p) {
      p.reject(err);
    } else {
      error = err;
    }
    iterator.return();
  }
};
