'use strict';
// Internal module 'internal/errors': node-style errors with a `code`
// (`TypeError [ERR_X]: message` in the stack and toString, `code` as an own
// enumerable property) and the message builders of the few codes the
// built-in modules need. Uses the loader-provided global __minijs_inspect.

function inspect(value, opts) {
  return __minijs_inspect(value, opts);
}

// s.slice(start, end) without relying on String.prototype methods.
function strSlice(s, start, end) {
  if (end === undefined || end > s.length) end = s.length;
  var out = '';
  for (var i = start; i < end; i++) out += s[i];
  return out;
}

// Rewrites the first line of err.stack from `Name: msg` to `prefix: msg`.
function setStackPrefix(err, prefix) {
  var stack = err.stack;
  if (typeof stack !== 'string') return;
  var msg = err.message;
  var oldHead = String(err.name) + (msg === '' ? '' : ': ' + msg);
  var i = 0;
  while (i < oldHead.length && i < stack.length && stack[i] === oldHead[i]) i++;
  if (i !== oldHead.length) return;
  err.stack = prefix + (msg === '' ? '' : ': ' + msg) + strSlice(stack, i);
}

function nodeErrorToString() {
  return this.name + ' [' + this.code + ']: ' + this.message;
}

function makeNodeError(Base, code, message) {
  var err = new Base(message);
  setStackPrefix(err, err.name + ' [' + code + ']');
  err.code = code;
  Object.defineProperty(err, 'toString', {
    value: nodeErrorToString, writable: true, enumerable: false, configurable: true,
  });
  return err;
}

var kTypes = ['string', 'function', 'number', 'object', 'Function', 'Object',
  'boolean', 'bigint', 'symbol'];

function contains(arr, v) {
  for (var i = 0; i < arr.length; i++) if (arr[i] === v) return true;
  return false;
}

function lower(s) {
  var out = '';
  for (var i = 0; i < s.length; i++) {
    var c = s[i];
    if (c >= 'A' && c <= 'Z') c = lowerChar(c);
    out += c;
  }
  return out;
}
var UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
var LOWER = 'abcdefghijklmnopqrstuvwxyz';
function lowerChar(c) {
  for (var i = 0; i < 26; i++) if (UPPER[i] === c) return LOWER[i];
  return c;
}

function joinList(arr, sep) {
  var out = '';
  for (var i = 0; i < arr.length; i++) out += (i ? sep : '') + arr[i];
  return out;
}

function hasChar(s, ch) {
  for (var i = 0; i < s.length; i++) if (s[i] === ch) return true;
  return false;
}

function endsWith(s, suffix) {
  if (suffix.length > s.length) return false;
  var off = s.length - suffix.length;
  for (var i = 0; i < suffix.length; i++) if (s[off + i] !== suffix[i]) return false;
  return true;
}

function determineSpecificType(value) {
  if (value == null) return '' + value;
  if (typeof value === 'function' && value.name) return 'function ' + value.name;
  if (typeof value === 'object') {
    if (value.constructor && value.constructor.name) {
      return 'an instance of ' + value.constructor.name;
    }
    return inspect(value, { depth: -1 });
  }
  var inspected = inspect(value, { colors: false });
  if (inspected.length > 28) inspected = strSlice(inspected, 0, 25) + '...';
  return 'type ' + typeof value + ' (' + inspected + ')';
}

function invalidArgTypeMessage(name, expected, actual) {
  if (!Array.isArray(expected)) expected = [expected];
  var msg = 'The ';
  if (endsWith(name, ' argument')) {
    msg += name + ' ';
  } else {
    msg += '"' + name + '" ' + (hasChar(name, '.') ? 'property' : 'argument') + ' ';
  }
  msg += 'must be ';
  var types = [];
  var instances = [];
  var other = [];
  for (var i = 0; i < expected.length; i++) {
    var value = expected[i];
    if (contains(kTypes, value)) types.push(lower(value));
    else if (value[0] >= 'A' && value[0] <= 'Z') instances.push(value);
    else other.push(value);
  }
  if (instances.length > 0) {
    var rest = [];
    var hadObject = false;
    for (var j = 0; j < types.length; j++) {
      if (types[j] === 'object' && !hadObject) hadObject = true;
      else rest.push(types[j]);
    }
    if (hadObject) { types = rest; instances.push('Object'); }
  }
  if (types.length > 0) {
    if (types.length > 2) {
      var last = types[types.length - 1];
      types.length = types.length - 1;
      msg += 'one of type ' + joinList(types, ', ') + ', or ' + last;
    } else if (types.length === 2) {
      msg += 'one of type ' + types[0] + ' or ' + types[1];
    } else {
      msg += 'of type ' + types[0];
    }
    if (instances.length > 0 || other.length > 0) msg += ' or ';
  }
  if (instances.length > 0) {
    if (instances.length > 2) {
      var lastI = instances[instances.length - 1];
      instances.length = instances.length - 1;
      msg += 'an instance of ' + joinList(instances, ', ') + ', or ' + lastI;
    } else {
      msg += 'an instance of ' + instances[0];
      if (instances.length === 2) msg += ' or ' + instances[1];
    }
    if (other.length > 0) msg += ' or ';
  }
  if (other.length > 0) {
    if (other.length > 2) {
      var lastO = other[other.length - 1];
      other.length = other.length - 1;
      msg += 'one of ' + joinList(other, ', ') + ', or ' + lastO;
    } else if (other.length === 2) {
      msg += 'one of ' + other[0] + ' or ' + other[1];
    } else {
      if (lower(other[0]) !== other[0]) msg += 'an ';
      msg += other[0];
    }
  }
  return msg + '. Received ' + determineSpecificType(actual);
}

// node inserts `_` separators into integers above 2**32 in this message.
function addNumericalSeparator(val) {
  var res = '';
  var i = val.length;
  var start = val[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) res = '_' + strSlice(val, i - 3, i) + res;
  return strSlice(val, 0, i) + res;
}

function outOfRangeMessage(str, range, input) {
  var received;
  if (typeof input === 'number' && input === Math.floor(input) &&
      Math.abs(input) > 4294967296 && isFinite(input)) {
    received = addNumericalSeparator(String(input));
  } else {
    received = inspect(input);
  }
  return 'The value of "' + str + '" is out of range. It must be ' + range +
    '. Received ' + received;
}

function ERR_INVALID_ARG_TYPE(name, expected, actual) {
  return makeNodeError(TypeError, 'ERR_INVALID_ARG_TYPE',
    invalidArgTypeMessage(name, expected, actual));
}

function ERR_OUT_OF_RANGE(str, range, input) {
  return makeNodeError(RangeError, 'ERR_OUT_OF_RANGE', outOfRangeMessage(str, range, input));
}

function ERR_INVALID_ARG_VALUE(name, value, reason) {
  if (reason === undefined) reason = 'is invalid';
  var inspected = inspect(value);
  if (inspected.length > 128) inspected = strSlice(inspected, 0, 128) + '...';
  var type = hasChar(name, '.') ? 'property' : 'argument';
  return makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
    'The ' + type + " '" + name + "' " + reason + '. Received ' + inspected);
}

function validateNumber(value, name, min, max) {
  if (typeof value !== 'number') throw ERR_INVALID_ARG_TYPE(name, 'number', value);
  if ((min != null && value < min) || (max != null && value > max) ||
      ((min != null || max != null) && value !== value)) {
    throw ERR_OUT_OF_RANGE(name,
      (min != null ? '>= ' + min : '') + (min != null && max != null ? ' && ' : '') +
      (max != null ? '<= ' + max : ''), value);
  }
}

function validateString(value, name) {
  if (typeof value !== 'string') throw ERR_INVALID_ARG_TYPE(name, 'string', value);
}

function validateFunction(value, name) {
  if (typeof value !== 'function') throw ERR_INVALID_ARG_TYPE(name, 'Function', value);
}

function validateObject(value, name) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw ERR_INVALID_ARG_TYPE(name, 'Object', value);
  }
}

module.exports = {
  makeNodeError: makeNodeError,
  setStackPrefix: setStackPrefix,
  ERR_INVALID_ARG_TYPE: ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE: ERR_INVALID_ARG_VALUE,
  ERR_OUT_OF_RANGE: ERR_OUT_OF_RANGE,
  validateNumber: validateNumber,
  validateString: validateString,
  validateFunction: validateFunction,
  validateObject: validateObject,
  strSlice: strSlice,
};
