'use strict';
// node:assert — following node v20's lib/assert.js and
// lib/internal/assert/assertion_error.js (message formats, including the
// line diff of createErrDiff).
// Differences from node, for now:
// * assert.ok(falsy) cannot show the source expression (node reads the
//   calling file); it reports `<inspect(value)> == true` as node does when
//   the source is unavailable.
// * inspectValue asks __minijs_inspect for {compact: 0} (equivalent to
//   node's compact: false) and sorted: true, which the Rust inspect may not
//   honour yet: diffs of objects whose keys are not in sorted order can differ.
// * RegExp arguments (throws(fn, /re/), match, doesNotMatch), rejects and
//   doesNotReject (Promise) and CallTracker are not supported yet.

var errors = require('internal/errors');
var deepEqual = require('internal/deep_equal');
var isDeepEqual = deepEqual.isDeepEqual;
var isDeepStrictEqual = deepEqual.isDeepStrictEqual;
var makeNodeError = errors.makeNodeError;
var setStackPrefix = errors.setStackPrefix;
var ERR_INVALID_ARG_TYPE = errors.ERR_INVALID_ARG_TYPE;
var ERR_INVALID_ARG_VALUE = errors.ERR_INVALID_ARG_VALUE;
var validateObject = errors.validateObject;
var validateFunction = errors.validateFunction;
var slice = errors.strSlice;

function inspect(value, opts) {
  return __minijs_inspect(value, opts);
}

function objectIs(a, b) {
  if (a === b) return a !== 0 || 1 / a === 1 / b;
  return a !== a && b !== b;
}

function splitLines(s) {
  var out = [];
  var cur = '';
  for (var i = 0; i < s.length; i++) {
    if (s[i] === '\n') { out.push(cur); cur = ''; } else cur += s[i];
  }
  out.push(cur);
  return out;
}

function joinLines(arr) {
  var out = '';
  for (var i = 0; i < arr.length; i++) out += (i ? '\n' : '') + arr[i];
  return out;
}

function endsWithComma(s) {
  return s.length > 0 && s[s.length - 1] === ',';
}

function repeat(s, n) {
  var out = '';
  for (var i = 0; i < n; i++) out += s;
  return out;
}

function ERR_MISSING_ARGS() {
  return makeNodeError(TypeError, 'ERR_MISSING_ARGS',
    'The "actual" and "expected" arguments must be specified');
}

function ERR_AMBIGUOUS_ARGUMENT(name, reason) {
  return makeNodeError(TypeError, 'ERR_AMBIGUOUS_ARGUMENT',
    'The "' + name + '" argument is ambiguous. ' + reason);
}

var kReadableOperator = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: 'Values have same structure but are not reference-equal:',
  notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
};

// Comparing short primitives should just show === / !== instead of using the
// diff.
var kMaxShortLength = 12;

function copyError(source) {
  var target = Object.assign({ __proto__: Object.getPrototypeOf(source) }, source);
  Object.defineProperty(target, 'message', { value: source.message });
  return target;
}

function inspectValue(val) {
  return inspect(val, {
    compact: 0,
    customInspect: false,
    depth: 1000,
    maxArrayLength: Infinity,
    showHidden: false,
    showProxy: false,
    sorted: true,
    getters: true,
  });
}

function getErrorMessage(operator, message) {
  return message || kReadableOperator[operator];
}

function createErrDiff(actual, expected, operator, message) {
  if (message === undefined) message = '';
  var other = '';
  var res = '';
  var end = '';
  var skipped = false;
  var actualInspected = inspectValue(actual);
  var actualLines = splitLines(actualInspected);
  var expectedLines = splitLines(inspectValue(expected));

  var i = 0;
  var indicator = '';

  // In case both values are objects or functions explicitly mark them as not
  // reference equal for the `strictEqual` operator.
  if (operator === 'strictEqual' &&
      ((typeof actual === 'object' && actual !== null &&
        typeof expected === 'object' && expected !== null) ||
       (typeof actual === 'function' && typeof expected === 'function'))) {
    operator = 'strictEqualObject';
  }

  // If "actual" and "expected" fit on a single line and they are not strictly
  // equal, check further special handling.
  if (actualLines.length === 1 && expectedLines.length === 1 &&
      actualLines[0] !== expectedLines[0]) {
    var actualRaw = actualLines[0];
    var expectedRaw = expectedLines[0];
    var inputLength = actualRaw.length + expectedRaw.length;
    if (inputLength <= kMaxShortLength) {
      if ((typeof actual !== 'object' || actual === null) &&
          (typeof expected !== 'object' || expected === null) &&
          (actual !== 0 || expected !== 0)) { // -0 === +0
        return getErrorMessage(operator, message) + '\n\n' +
          actualLines[0] + ' !== ' + expectedLines[0] + '\n';
      }
    } else if (operator !== 'strictEqualObject') {
      var stderr = typeof process !== 'undefined' ? process.stderr : undefined;
      var maxLength = stderr && stderr.isTTY ? stderr.columns : 80;
      if (inputLength < maxLength) {
        while (actualRaw[i] === expectedRaw[i]) i++;
        // Ignore the first characters.
        if (i > 2) {
          // Add position indicator for the first mismatch in case it is a
          // single line and the input length is less than the column length.
          indicator = '\n  ' + repeat(' ', i) + '^';
          i = 0;
        }
      }
    }
  }

  // Remove all ending lines that match (this optimizes the output for
  // readability by reducing the number of total changed lines).
  var a = actualLines[actualLines.length - 1];
  var b = expectedLines[expectedLines.length - 1];
  while (a === b) {
    if (i++ < 3) {
      end = '\n  ' + a + end;
    } else {
      other = a;
    }
    actualLines.length--;
    expectedLines.length--;
    if (actualLines.length === 0 || expectedLines.length === 0) break;
    a = actualLines[actualLines.length - 1];
    b = expectedLines[expectedLines.length - 1];
  }

  var maxLines = Math.max(actualLines.length, expectedLines.length);
  // Strict equal with identical objects that are not identical by reference.
  // E.g., assert.deepStrictEqual({ a: Symbol() }, { a: Symbol() })
  if (maxLines === 0) {
    // We have to get the result again. The lines were all removed before.
    var allLines = splitLines(actualInspected);

    // Only remove lines in case it makes sense to collapse those.
    if (allLines.length > 50) {
      allLines[46] = '...';
      allLines.length = 47;
    }

    return kReadableOperator.notIdentical + '\n\n' + joinLines(allLines) + '\n';
  }

  // There were at least five identical lines at the end. Mark a couple of
  // skipped.
  if (i >= 5) {
    end = '\n...' + end;
    skipped = true;
  }
  if (other !== '') {
    end = '\n  ' + other + end;
    other = '';
  }

  var printedLines = 0;
  var identical = 0;
  var msg = getErrorMessage(operator, message) + '\n+ actual - expected';
  var skippedMsg = ' ... Lines skipped';

  var lines = actualLines;
  var plusMinus = '+';
  var maxLength2 = expectedLines.length;
  if (actualLines.length < maxLines) {
    lines = expectedLines;
    plusMinus = '-';
    maxLength2 = actualLines.length;
  }

  for (i = 0; i < maxLines; i++) {
    if (maxLength2 < i + 1) {
      // If more than two former lines are identical, print them. Collapse them
      // in case more than five lines were identical.
      if (identical > 2) {
        if (identical > 3) {
          if (identical > 4) {
            if (identical === 5) {
              res += '\n  ' + lines[i - 3];
              printedLines++;
            } else {
              res += '\n...';
              skipped = true;
            }
          }
          res += '\n  ' + lines[i - 2];
          printedLines++;
        }
        res += '\n  ' + lines[i - 1];
        printedLines++;
      }
      // No identical lines before.
      identical = 0;
      // Add the expected line to the cache.
      if (lines === actualLines) {
        res += '\n' + plusMinus + ' ' + lines[i];
      } else {
        other += '\n' + plusMinus + ' ' + lines[i];
      }
      printedLines++;
    // Only extra actual lines exist
    // Lines diverge
    } else {
      var expectedLine = expectedLines[i];
      var actualLine = actualLines[i];
      // If the lines diverge, specifically check for lines that only diverge by
      // a trailing comma. In that case it is actually identical and we should
      // mark it as such.
      var divergingLines = actualLine !== expectedLine &&
        (!endsWithComma(actualLine) ||
         slice(actualLine, 0, actualLine.length - 1) !== expectedLine);
      // If the expected line has a trailing comma but is otherwise identical,
      // add a comma at the end of the actual line.
      if (divergingLines && endsWithComma(expectedLine) &&
          slice(expectedLine, 0, expectedLine.length - 1) === actualLine) {
        divergingLines = false;
        actualLine += ',';
      }
      if (divergingLines) {
        // If more than two former lines are identical, print them. Collapse
        // them in case more than five lines were identical.
        if (identical > 2) {
          if (identical > 3) {
            if (identical > 4) {
              if (identical === 5) {
                res += '\n  ' + actualLines[i - 3];
                printedLines++;
              } else {
                res += '\n...';
                skipped = true;
              }
            }
            res += '\n  ' + actualLines[i - 2];
            printedLines++;
          }
          res += '\n  ' + actualLines[i - 1];
          printedLines++;
        }
        // No identical lines before.
        identical = 0;
        // Add the actual line to the result and cache the expected diverging
        // line so consecutive diverging lines show up as +++--- and not +-+-+-.
        res += '\n+ ' + actualLine;
        other += '\n- ' + expectedLine;
        printedLines += 2;
      // Lines are identical
      } else {
        // Add all cached information to the result before adding other things
        // and reset the cache.
        res += other;
        other = '';
        identical++;
        // The very first identical line since the last diverging line is be
        // added to the result.
        if (identical <= 2) {
          res += '\n  ' + actualLine;
          printedLines++;
        }
      }
    }
    // Inspected object to big (Show ~50 rows max)
    if (printedLines > 50 && i < maxLines - 2) {
      return msg + skippedMsg + '\n' + res + '\n...' + other + '\n...';
    }
  }

  return msg + (skipped ? skippedMsg : '') + '\n' + res + other + end + indicator;
}

function addEllipsis(string) {
  var lines = splitLines(string);
  if (lines.length > 10) {
    lines.length = 10;
    return joinLines(lines) + '\n...';
  } else if (string.length > 512) {
    return slice(string, 512) + '...';
  }
  return string;
}

function buildMessage(options) {
  var message = options.message;
  var operator = options.operator;
  var actual = options.actual;
  var expected = options.expected;

  if (message != null) {
    if (operator === 'deepStrictEqual' || operator === 'strictEqual') {
      return createErrDiff(actual, expected, operator, message);
    }
    return String(message);
  }
  // Prevent the error stack from being visible by duplicating the error
  // in a very close way to the original in case both sides are actually
  // instances of Error.
  if (typeof actual === 'object' && actual !== null &&
      typeof expected === 'object' && expected !== null &&
      'stack' in actual && actual instanceof Error &&
      'stack' in expected && expected instanceof Error) {
    actual = copyError(actual);
    expected = copyError(expected);
  }

  if (operator === 'deepStrictEqual' || operator === 'strictEqual') {
    return createErrDiff(actual, expected, operator);
  }
  if (operator === 'notDeepStrictEqual' || operator === 'notStrictEqual') {
    // In case the objects are equal but the operator requires unequal, show
    // the first object and say A equals B
    var base = kReadableOperator[operator];
    var lines = splitLines(inspectValue(actual));

    // In case "actual" is an object or a function, it should not be
    // reference equal.
    if (operator === 'notStrictEqual' &&
        ((typeof actual === 'object' && actual !== null) || typeof actual === 'function')) {
      base = kReadableOperator.notStrictEqualObject;
    }

    // Only remove lines in case it makes sense to collapse those.
    if (lines.length > 50) {
      lines[46] = '...';
      lines.length = 47;
    }

    // Only print a single input.
    if (lines.length === 1) {
      return base + (lines[0].length > 5 ? '\n\n' : ' ') + lines[0];
    }
    return base + '\n\n' + joinLines(lines) + '\n';
  }
  var res = inspectValue(actual);
  var other = inspectValue(expected);
  var knownOperator = kReadableOperator[operator];
  if (operator === 'notDeepEqual' && res === other) {
    res = knownOperator + '\n\n' + res;
    if (res.length > 1024) res = slice(res, 0, 1021) + '...';
    return res;
  }
  if (res.length > 512) res = slice(res, 0, 509) + '...';
  if (other.length > 512) other = slice(other, 0, 509) + '...';
  if (operator === 'deepEqual') {
    res = knownOperator + '\n\n' + res + '\n\nshould loosely deep-equal\n\n';
  } else {
    var newOp = kReadableOperator[operator + 'Unequal'];
    if (newOp) {
      res = newOp + '\n\n' + res + '\n\nshould not loosely deep-equal\n\n';
    } else {
      other = ' ' + operator + ' ' + other;
    }
  }
  return res + other;
}

class AssertionError extends Error {
  constructor(options) {
    validateObject(options, 'options');
    super(buildMessage(options));
    var message = options.message;
    var stackStartFn = options.stackStartFn || options.stackStartFunction;

    this.generatedMessage = !message;
    this.code = 'ERR_ASSERTION';
    var details = options.details;
    if (details) {
      this.actual = undefined;
      this.expected = undefined;
      this.operator = undefined;
      for (var i = 0; i < details.length; i++) {
        this['message ' + i] = details[i].message;
        this['actual ' + i] = details[i].actual;
        this['expected ' + i] = details[i].expected;
        this['operator ' + i] = details[i].operator;
        this['stack trace ' + i] = details[i].stack;
      }
    } else {
      this.actual = options.actual;
      this.expected = options.expected;
      this.operator = options.operator;
    }
    if (typeof stackStartFn === 'function' && typeof Error.captureStackTrace === 'function') {
      Error.captureStackTrace(this, stackStartFn);
    }
    // Create the stack header including the error code in the name.
    setStackPrefix(this, 'AssertionError [ERR_ASSERTION]');
    Object.defineProperty(this, 'name', {
      value: 'AssertionError', enumerable: false, writable: true, configurable: true,
    });
  }

  toString() {
    return this.name + ' [' + this.code + ']: ' + this.message;
  }
}

// Used by the inspect of AssertionError in node (inspect.custom); kept for
// when minijs supports custom inspection.
AssertionError.addEllipsis = addEllipsis;

var NO_EXCEPTION_SENTINEL = {};

function innerFail(obj) {
  if (obj.message instanceof Error) throw obj.message;
  throw new AssertionError(obj);
}

function innerOk(fn, argLen, value, message) {
  if (!value) {
    var generatedMessage = false;

    if (argLen === 0) {
      generatedMessage = true;
      message = 'No value argument passed to `assert.ok()`';
    } else if (message == null) {
      // node prints the source of the failing expression here when it can
      // read the calling file; minijs cannot (yet), so it falls back to node's
      // message for unavailable sources: `<value> == true`.
      generatedMessage = true;
      message = undefined;
    } else if (message instanceof Error) {
      throw message;
    }

    var err = new AssertionError({
      actual: value,
      expected: true,
      message: message,
      operator: '==',
      stackStartFn: fn,
    });
    err.generatedMessage = generatedMessage;
    throw err;
  }
}

function ok(...args) {
  innerOk(ok, args.length, ...args);
}

// As in node, the module itself is `ok`.
var assert = ok;
module.exports = assert;

var warned = false;

function fail(actual, expected, message, operator, stackStartFn) {
  var argsLen = arguments.length;

  var internalMessage = false;
  if (actual == null && argsLen <= 1) {
    internalMessage = true;
    message = 'Failed';
  } else if (argsLen === 1) {
    message = actual;
    actual = undefined;
  } else {
    if (warned === false) {
      warned = true;
      process.emitWarning(
        'assert.fail() with more than one argument is deprecated. ' +
          'Please use assert.strictEqual() instead or only pass a message.',
        'DeprecationWarning',
        'DEP0094');
    }
    if (argsLen === 2) operator = '!=';
  }

  if (message instanceof Error) throw message;

  var errArgs = {
    actual: actual,
    expected: expected,
    operator: operator === undefined ? 'fail' : operator,
    stackStartFn: stackStartFn || fail,
    message: message,
  };
  var err = new AssertionError(errArgs);
  if (internalMessage) err.generatedMessage = true;
  throw err;
}

assert.fail = fail;
assert.AssertionError = AssertionError;
assert.ok = ok;

assert.equal = function equal(actual, expected, message) {
  if (arguments.length < 2) throw ERR_MISSING_ARGS();
  // eslint-disable-next-line eqeqeq
  if (actual != expected && (!(actual !== actual) || !(expected !== expected))) {
    innerFail({ actual: actual, expected: expected, message: message, operator: '==', stackStartFn: equal });
  }
};

assert.notEqual = function notEqual(actual, expected, message) {
  if (arguments.length < 2) throw ERR_MISSING_ARGS();
  // eslint-disable-next-line eqeqeq
  if (actual == expected || (actual !== actual && expected !== expected)) {
    innerFail({ actual: actual, expected: expected, message: message, operator: '!=', stackStartFn: notEqual });
  }
};

assert.deepEqual = function deepEqual(actual, expected, message) {
  if (arguments.length < 2) throw ERR_MISSING_ARGS();
  if (!isDeepEqual(actual, expected)) {
    innerFail({ actual: actual, expected: expected, message: message, operator: 'deepEqual', stackStartFn: deepEqual });
  }
};

assert.notDeepEqual = function notDeepEqual(actual, expected, message) {
  if (arguments.length < 2) throw ERR_MISSING_ARGS();
  if (isDeepEqual(actual, expected)) {
    innerFail({ actual: actual, expected: expected, message: message, operator: 'notDeepEqual', stackStartFn: notDeepEqual });
  }
};

assert.deepStrictEqual = function deepStrictEqual(actual, expected, message) {
  if (arguments.length < 2) throw ERR_MISSING_ARGS();
  if (!isDeepStrictEqual(actual, expected)) {
    innerFail({ actual: actual, expected: expected, message: message, operator: 'deepStrictEqual', stackStartFn: deepStrictEqual });
  }
};

function notDeepStrictEqual(actual, expected, message) {
  if (arguments.length < 2) throw ERR_MISSING_ARGS();
  if (isDeepStrictEqual(actual, expected)) {
    innerFail({ actual: actual, expected: expected, message: message, operator: 'notDeepStrictEqual', stackStartFn: notDeepStrictEqual });
  }
}
assert.notDeepStrictEqual = notDeepStrictEqual;

assert.strictEqual = function strictEqual(actual, expected, message) {
  if (arguments.length < 2) throw ERR_MISSING_ARGS();
  if (!objectIs(actual, expected)) {
    innerFail({ actual: actual, expected: expected, message: message, operator: 'strictEqual', stackStartFn: strictEqual });
  }
};

assert.notStrictEqual = function notStrictEqual(actual, expected, message) {
  if (arguments.length < 2) throw ERR_MISSING_ARGS();
  if (objectIs(actual, expected)) {
    innerFail({ actual: actual, expected: expected, message: message, operator: 'notStrictEqual', stackStartFn: notStrictEqual });
  }
};

class Comparison {
  constructor(obj, keys) {
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i];
      if (key in obj) this[key] = obj[key];
    }
  }
}

function compareExceptionKey(actual, expected, key, message, keys, fn) {
  if (!(key in actual) || !isDeepStrictEqual(actual[key], expected[key])) {
    if (!message) {
      // Create placeholder objects to create a nice output.
      var a = new Comparison(actual, keys);
      var b = new Comparison(expected, keys, actual);

      var err = new AssertionError({
        actual: a,
        expected: b,
        operator: 'deepStrictEqual',
        stackStartFn: fn,
      });
      err.actual = actual;
      err.expected = expected;
      err.operator = fn.name;
      throw err;
    }
    innerFail({ actual: actual, expected: expected, message: message, operator: fn.name, stackStartFn: fn });
  }
}

function isPrototypeOf(proto, obj) {
  var p = Object.getPrototypeOf(obj);
  while (p !== null) {
    if (p === proto) return true;
    p = Object.getPrototypeOf(p);
  }
  return false;
}

function expectedException(actual, expected, message, fn) {
  var generatedMessage = false;
  var throwError = false;

  if (typeof expected !== 'function') {
    if (typeof actual !== 'object' || actual === null) {
      // Handle primitives properly.
      var err = new AssertionError({
        actual: actual,
        expected: expected,
        message: message,
        operator: 'deepStrictEqual',
        stackStartFn: fn,
      });
      err.operator = fn.name;
      throw err;
    }
    // Handle validation objects.
    var keys = Object.keys(expected);
    // Special handle errors to make sure the name and the message are
    // compared as well.
    if (expected instanceof Error) {
      keys.push('name', 'message');
    } else if (keys.length === 0) {
      throw ERR_INVALID_ARG_VALUE('error', expected, 'may not be an empty object');
    }
    for (var i = 0; i < keys.length; i++) {
      compareExceptionKey(actual, expected, keys[i], message, keys, fn);
    }
    return;
  // Guard instanceof against arrow functions as they don't have a prototype.
  // Check for matching Error classes.
  } else if (expected.prototype !== undefined && actual instanceof expected) {
    return;
  } else if (expected === Error || isPrototypeOf(Error, expected)) {
    if (!message) {
      generatedMessage = true;
      message = 'The error is expected to be an instance of "' + expected.name + '". Received ';
      if (actual instanceof Error) {
        var name = (actual.constructor && actual.constructor.name) || actual.name;
        if (expected.name === name) {
          message += 'an error with identical name but a different prototype.';
        } else {
          message += '"' + name + '"';
        }
        if (actual.message) {
          message += '\n\nError message:\n\n' + actual.message;
        }
      } else {
        message += '"' + inspect(actual, { depth: -1 }) + '"';
      }
    }
    throwError = true;
  } else {
    // Check validation functions return value.
    var res = expected.call({}, actual);
    if (res !== true) {
      if (!message) {
        generatedMessage = true;
        var fname = expected.name ? '"' + expected.name + '" ' : '';
        message = 'The ' + fname + 'validation function is expected to return' +
          ' "true". Received ' + inspect(res);

        if (actual instanceof Error) {
          message += '\n\nCaught error:\n\n' + actual;
        }
      }
      throwError = true;
    }
  }

  if (throwError) {
    var err2 = new AssertionError({
      actual: actual,
      expected: expected,
      message: message,
      operator: fn.name,
      stackStartFn: fn,
    });
    err2.generatedMessage = generatedMessage;
    throw err2;
  }
}

function getActual(fn) {
  validateFunction(fn, 'fn');
  try {
    fn();
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION_SENTINEL;
}

function expectsError(stackStartFn, actual, error, message) {
  if (typeof error === 'string') {
    if (arguments.length === 4) {
      throw ERR_INVALID_ARG_TYPE('error', ['Object', 'Error', 'Function', 'RegExp'], error);
    }
    if (typeof actual === 'object' && actual !== null) {
      if (actual.message === error) {
        throw ERR_AMBIGUOUS_ARGUMENT('error/message',
          'The error message "' + actual.message + '" is identical to the message.');
      }
    } else if (actual === error) {
      throw ERR_AMBIGUOUS_ARGUMENT('error/message',
        'The error "' + actual + '" is identical to the message.');
    }
    message = error;
    error = undefined;
  } else if (error != null && typeof error !== 'object' && typeof error !== 'function') {
    throw ERR_INVALID_ARG_TYPE('error', ['Object', 'Error', 'Function', 'RegExp'], error);
  }

  if (actual === NO_EXCEPTION_SENTINEL) {
    var details = '';
    if (error && error.name) details += ' (' + error.name + ')';
    details += message ? ': ' + message : '.';
    innerFail({
      actual: undefined,
      expected: error,
      operator: stackStartFn.name,
      message: 'Missing expected exception' + details,
      stackStartFn: stackStartFn,
    });
  }

  if (!error) return;

  expectedException(actual, error, message, stackStartFn);
}

function hasMatchingError(actual, expected) {
  if (typeof expected !== 'function') {
    throw ERR_INVALID_ARG_TYPE('expected', ['Function', 'RegExp'], expected);
  }
  // Guard instanceof against arrow functions as they don't have a prototype.
  if (expected.prototype !== undefined && actual instanceof expected) return true;
  if (expected === Error || isPrototypeOf(Error, expected)) return false;
  return expected.call({}, actual) === true;
}

function expectsNoError(stackStartFn, actual, error, message) {
  if (actual === NO_EXCEPTION_SENTINEL) return;

  if (typeof error === 'string') {
    message = error;
    error = undefined;
  }

  if (!error || hasMatchingError(actual, error)) {
    var details = message ? ': ' + message : '.';
    innerFail({
      actual: actual,
      expected: error,
      operator: stackStartFn.name,
      message: 'Got unwanted exception' + details + '\n' +
        'Actual message: "' + (actual && actual.message) + '"',
      stackStartFn: stackStartFn,
    });
  }
  throw actual;
}

assert.throws = function throws(promiseFn, ...args) {
  expectsError(throws, getActual(promiseFn), ...args);
};

assert.doesNotThrow = function doesNotThrow(fn, ...args) {
  expectsNoError(doesNotThrow, getActual(fn), ...args);
};

assert.ifError = function ifError(err) {
  if (err !== null && err !== undefined) {
    var message = 'ifError got unwanted exception: ';
    if (typeof err === 'object' && typeof err.message === 'string') {
      if (err.message.length === 0 && err.constructor) {
        message += err.constructor.name;
      } else {
        message += err.message;
      }
    } else {
      message += inspect(err);
    }

    throw new AssertionError({
      actual: err,
      expected: null,
      operator: 'ifError',
      message: message,
      stackStartFn: ifError,
    });
  }
};

function strict(...args) {
  innerOk(strict, args.length, ...args);
}

assert.strict = Object.assign(strict, assert, {
  equal: assert.strictEqual,
  deepEqual: assert.deepStrictEqual,
  notEqual: assert.notStrictEqual,
  notDeepEqual: assert.notDeepStrictEqual,
});

assert.strict.strict = assert.strict;
