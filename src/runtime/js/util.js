'use strict';
// node:util — inspect and format wrap the Rust implementations the loader
// provides to built-in modules (__minijs_inspect, __minijs_format); the rest
// follows node v20's lib/util.js.
// Not supported yet: TextEncoder/TextDecoder,
// parseArgs, styleText, MIMEType, debuglog (always disabled: returns a no-op logger).
// util.types checks use Object.prototype.toString tags, so they start
// answering true as soon as minijs grows Map/Set/Date/RegExp/Promise/...;
// until then they return false.

var errors = require('internal/errors');
var ERR_INVALID_ARG_TYPE = errors.ERR_INVALID_ARG_TYPE;
var validateString = errors.validateString;
var deepEqual = require('internal/deep_equal');

var objToString = Object.prototype.toString;

var customInspectSymbol = Symbol.for('nodejs.util.inspect.custom');

function inspect(value, opts) {
  // Legacy signature: inspect(value, showHidden, depth, colors)
  var ctx = opts;
  if (opts === null || typeof opts !== 'object') {
    ctx = {};
    if (arguments.length >= 2 && typeof opts === 'boolean') ctx.showHidden = opts;
    if (arguments.length >= 3) ctx.depth = arguments[2];
    if (arguments.length >= 4) ctx.colors = arguments[3];
  }
  return __minijs_inspect(value, ctx);
}
inspect.custom = customInspectSymbol;
inspect.defaultOptions = {
  showHidden: false,
  depth: 2,
  colors: false,
  customInspect: true,
  showProxy: false,
  maxArrayLength: 100,
  maxStringLength: 10000,
  breakLength: 128,
  compact: 3,
  sorted: false,
  getters: false,
  numericSeparator: false,
};

function format(...args) {
  return __minijs_format(...args);
}

function formatWithOptions(inspectOptions, ...args) {
  if (inspectOptions === null || typeof inspectOptions !== 'object') {
    throw ERR_INVALID_ARG_TYPE('inspectOptions', 'object', inspectOptions);
  }
  // The options are not forwarded yet: __minijs_format uses the defaults.
  return __minijs_format(...args);
}

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) {
    throw ERR_INVALID_ARG_TYPE('ctor', 'Function', ctor);
  }
  if (superCtor === undefined || superCtor === null) {
    throw ERR_INVALID_ARG_TYPE('superCtor', 'Function', superCtor);
  }
  if (superCtor.prototype === undefined) {
    throw ERR_INVALID_ARG_TYPE('superCtor.prototype', 'Object', superCtor.prototype);
  }
  Object.defineProperty(ctor, 'super_', {
    value: superCtor,
    writable: true,
    configurable: true,
  });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

var codesWarned = { __proto__: null };

function deprecate(fn, msg, code) {
  if (code !== undefined) validateString(code, 'code');

  var warned = false;
  function deprecated(...args) {
    if (!process.noDeprecation && !warned) {
      warned = true;
      if (code !== undefined) {
        if (!codesWarned[code]) {
          process.emitWarning(msg, 'DeprecationWarning', code, deprecated);
          codesWarned[code] = true;
        }
      } else {
        process.emitWarning(msg, 'DeprecationWarning', deprecated);
      }
    }
    if (new.target) {
      // node: Reflect.construct(fn, args, new.target)
      return new fn(...args);
    }
    return fn.apply(this, args);
  }

  // The wrapper will keep the same prototype as fn to maintain prototype chain
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) {
    // Setting this (rather than using Object.setPrototype, as above) ensures
    // that calling the unwrapped constructor gives an instanceof the wrapped
    // constructor.
    deprecated.prototype = fn.prototype;
  }

  return deprecated;
}

function isDeepStrictEqual(a, b) {
  return deepEqual.isDeepStrictEqual(a, b);
}

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');

// util.promisify: a function taking a node-style callback becomes one returning a Promise of
// the callback's first value (its error rejects it).
function promisify(original) {
  if (typeof original !== 'function') {
    throw ERR_INVALID_ARG_TYPE('original', 'Function', original);
  }
  if (original[kCustomPromisify]) {
    const custom = original[kCustomPromisify];
    if (typeof custom !== 'function') {
      throw ERR_INVALID_ARG_TYPE('util.promisify.custom', 'Function', custom);
    }
    return Object.defineProperty(custom, kCustomPromisify, {
      value: custom, enumerable: false, writable: false, configurable: true,
    });
  }
  function fn(...args) {
    return new Promise((resolve, reject) => {
      args.push((err, ...values) => {
        if (err) {
          return reject(err);
        }
        resolve(values[0]);
      });
      Reflect.apply(original, this, args);
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, kCustomPromisify, {
    value: fn, enumerable: false, writable: false, configurable: true,
  });
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = kCustomPromisify;

// A falsy rejection reason reaches the callback wrapped in an Error, as node's does.
function callbackifyOnRejected(reason, cb) {
  if (!reason) {
    const wrapped = new Error('Promise was rejected with falsy value');
    wrapped.code = 'ERR_FALSY_VALUE_REJECTION';
    wrapped.reason = reason;
    reason = wrapped;
  }
  return cb(reason);
}

// util.callbackify: the reverse; the callback runs on a later tick.
function callbackify(original) {
  if (typeof original !== 'function') {
    throw ERR_INVALID_ARG_TYPE('original', 'Function', original);
  }
  function callbackified(...args) {
    const maybeCb = args.pop();
    if (typeof maybeCb !== 'function') {
      throw ERR_INVALID_ARG_TYPE('last argument', 'Function', maybeCb);
    }
    const cb = maybeCb.bind(this);
    Reflect.apply(original, this, args).then(
      (ret) => process.nextTick(cb, null, ret),
      (rej) => process.nextTick(callbackifyOnRejected, rej, cb),
    );
  }
  const descriptors = Object.getOwnPropertyDescriptors(original);
  if (typeof descriptors.length.value === 'number') {
    descriptors.length.value++;
  }
  if (typeof descriptors.name.value === 'string') {
    descriptors.name.value += 'Callbackified';
  }
  Object.setPrototypeOf(callbackified, Object.getPrototypeOf(original));
  return Object.defineProperties(callbackified, descriptors);
}

function debuglog(set, cb) {
  function debug() {}
  debug.enabled = false;
  return debug;
}

function tagIs(tag) {
  return function (value) {
    return value !== null && (typeof value === 'object' || typeof value === 'function') &&
      objToString.call(value) === tag;
  };
}

function always(result) {
  return function () { return result; };
}

// %TypedArray%.prototype[Symbol.toStringTag]'s getter: the kind's name for a typed array,
// undefined for anything else (it cannot be faked by an own toStringTag).
var typedArrayTag = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;

function typedArrayIs(name) {
  return function (v) { return typedArrayTag.call(v) === name; };
}

var types = {
  isExternal: always(false),
  isDate: tagIs('[object Date]'),
  isArgumentsObject: tagIs('[object Arguments]'),
  isBigIntObject: always(false),
  isBooleanObject: always(false),
  isNumberObject: always(false),
  isStringObject: always(false),
  isSymbolObject: always(false),
  isNativeError: function isNativeError(value) { return value instanceof Error; },
  isRegExp: tagIs('[object RegExp]'),
  isAsyncFunction: tagIs('[object AsyncFunction]'),
  isGeneratorFunction: function (v) {
    return tagIs('[object GeneratorFunction]')(v) || tagIs('[object AsyncGeneratorFunction]')(v);
  },
  isGeneratorObject: tagIs('[object Generator]'),
  isPromise: tagIs('[object Promise]'),
  isMap: tagIs('[object Map]'),
  isSet: tagIs('[object Set]'),
  isMapIterator: tagIs('[object Map Iterator]'),
  isSetIterator: tagIs('[object Set Iterator]'),
  isWeakMap: tagIs('[object WeakMap]'),
  isWeakSet: tagIs('[object WeakSet]'),
  isArrayBuffer: tagIs('[object ArrayBuffer]'),
  isDataView: tagIs('[object DataView]'),
  isSharedArrayBuffer: tagIs('[object SharedArrayBuffer]'),
  isProxy: always(false),
  isModuleNamespaceObject: always(false),
  isAnyArrayBuffer: function (v) {
    return tagIs('[object ArrayBuffer]')(v) || tagIs('[object SharedArrayBuffer]')(v);
  },
  isBoxedPrimitive: always(false),
  isArrayBufferView: function isArrayBufferView(v) { return ArrayBuffer.isView(v); },
  isTypedArray: function isTypedArray(v) { return typedArrayTag.call(v) !== undefined; },
  isUint8Array: typedArrayIs('Uint8Array'),
  isUint8ClampedArray: typedArrayIs('Uint8ClampedArray'),
  isUint16Array: typedArrayIs('Uint16Array'),
  isUint32Array: typedArrayIs('Uint32Array'),
  isInt8Array: typedArrayIs('Int8Array'),
  isInt16Array: typedArrayIs('Int16Array'),
  isInt32Array: typedArrayIs('Int32Array'),
  isFloat32Array: typedArrayIs('Float32Array'),
  isFloat64Array: typedArrayIs('Float64Array'),
  isBigInt64Array: tagIs('[object BigInt64Array]'),
  isBigUint64Array: tagIs('[object BigUint64Array]'),
  isKeyObject: always(false),
  isCryptoKey: always(false),
};

function isError(e) {
  return objToString.call(e) === '[object Error]' || e instanceof Error;
}

function isPrimitive(arg) {
  return arg === null || (typeof arg !== 'object' && typeof arg !== 'function');
}

function _extend(target, source) {
  // Don't do anything if source isn't an object
  if (source === null || typeof source !== 'object') return target;
  var keys = Object.keys(source);
  var i = keys.length;
  while (i--) target[keys[i]] = source[keys[i]];
  return target;
}

module.exports = {
  _extend: _extend,
  callbackify: callbackify,
  debug: debuglog,
  debuglog: debuglog,
  deprecate: deprecate,
  format: format,
  formatWithOptions: formatWithOptions,
  inherits: inherits,
  inspect: inspect,
  isArray: Array.isArray,
  isBoolean: function isBoolean(arg) { return typeof arg === 'boolean'; },
  isBuffer: function isBuffer(arg) { return Buffer.isBuffer(arg); },
  isDeepStrictEqual: isDeepStrictEqual,
  isNull: function isNull(arg) { return arg === null; },
  isNullOrUndefined: function isNullOrUndefined(arg) { return arg === null || arg === undefined; },
  isNumber: function isNumber(arg) { return typeof arg === 'number'; },
  isString: function isString(arg) { return typeof arg === 'string'; },
  isSymbol: function isSymbol(arg) { return typeof arg === 'symbol'; },
  isUndefined: function isUndefined(arg) { return arg === undefined; },
  isRegExp: types.isRegExp,
  isObject: function isObject(arg) { return arg !== null && typeof arg === 'object'; },
  isDate: types.isDate,
  isError: isError,
  isFunction: function isFunction(arg) { return typeof arg === 'function'; },
  isPrimitive: isPrimitive,
  promisify: promisify,
  types: types,
};
