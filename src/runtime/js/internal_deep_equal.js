'use strict';
// Internal module 'internal/deep_equal': isDeepEqual (loose, assert.deepEqual)
// and isDeepStrictEqual (assert.deepStrictEqual, util.isDeepStrictEqual),
// following node v20's lib/internal/util/comparisons.js for the types minijs
// has: primitives, arrays (holes, extra keys), plain objects, class
// instances, errors, symbol keys, cycles. Map/Set/Date/RegExp/boxed
// primitives/typed arrays are not supported yet (minijs lacks them): such
// objects fall back to the plain-object comparison.

var hasOwn = Object.prototype.hasOwnProperty;
var objToString = Object.prototype.toString;

function isEnumerable(obj, key) {
  var d = Object.getOwnPropertyDescriptor(obj, key);
  return d !== undefined && d.enumerable;
}

function isNaNValue(v) {
  return typeof v === 'number' && v !== v;
}

function objectIs(a, b) {
  if (a === b) return a !== 0 || 1 / a === 1 / b;
  return a !== a && b !== b;
}

function isIndex(key) {
  if (key.length === 0 || key.length > 10) return false;
  if (key[0] === '0' && key.length > 1) return false;
  for (var i = 0; i < key.length; i++) {
    if (key[i] < '0' || key[i] > '9') return false;
  }
  return Number(key) < 4294967295;
}

// Own enumerable non-index keys (plus enumerable symbols when strict).
function nonIndexKeys(arr, strict) {
  var keys = Object.keys(arr);
  var out = [];
  for (var i = 0; i < keys.length; i++) if (!isIndex(keys[i])) out.push(keys[i]);
  if (strict) {
    var syms = Object.getOwnPropertySymbols(arr);
    for (var j = 0; j < syms.length; j++) if (isEnumerable(arr, syms[j])) out.push(syms[j]);
  }
  return out;
}

function countEnumerable(obj, keys) {
  var n = 0;
  for (var i = 0; i < keys.length; i++) if (isEnumerable(obj, keys[i])) n++;
  return n;
}

var kNoIterator = 0;
var kIsArray = 1;

function innerDeepEqual(val1, val2, strict, memos) {
  // All identical values are equivalent, as determined by ===.
  if (val1 === val2) {
    if (val1 !== 0) return true;
    return strict ? objectIs(val1, val2) : true;
  }

  // Check more closely if val1 and val2 are equal.
  if (strict) {
    if (typeof val1 !== 'object') {
      return isNaNValue(val1) && isNaNValue(val2);
    }
    if (typeof val2 !== 'object' || val1 === null || val2 === null) return false;
    if (Object.getPrototypeOf(val1) !== Object.getPrototypeOf(val2)) return false;
  } else {
    if (val1 === null || typeof val1 !== 'object') {
      if (val2 === null || typeof val2 !== 'object') {
        // eslint-disable-next-line eqeqeq
        return val1 == val2 || (isNaNValue(val1) && isNaNValue(val2));
      }
      return false;
    }
    if (val2 === null || typeof val2 !== 'object') return false;
  }
  var val1Tag = objToString.call(val1);
  var val2Tag = objToString.call(val2);
  if (val1Tag !== val2Tag) return false;

  if (Array.isArray(val1)) {
    // Check for sparse arrays and general fast path
    if (!Array.isArray(val2) || val1.length !== val2.length) return false;
    var keys1 = nonIndexKeys(val1, strict);
    var keys2 = nonIndexKeys(val2, strict);
    if (keys1.length !== keys2.length) return false;
    return keyCheck(val1, val2, strict, memos, kIsArray, keys1);
  } else if (val1Tag === '[object Object]') {
    return keyCheck(val1, val2, strict, memos, kNoIterator);
  } else if (val1 instanceof Error) {
    // Do not compare the stack as it might differ even though the error
    // itself is otherwise identical.
    if (!(val2 instanceof Error) || val1.message !== val2.message ||
        val1.name !== val2.name) {
      return false;
    }
  } else if (Array.isArray(val2) || val2 instanceof Error) {
    return false;
  }
  return keyCheck(val1, val2, strict, memos, kNoIterator);
}

function keyCheck(val1, val2, strict, memos, iterationType, aKeys) {
  var fromKeys = aKeys === undefined;
  var i;
  if (fromKeys) {
    aKeys = Object.keys(val1);
    var bKeys = Object.keys(val2);
    // The pair must have the same number of owned properties.
    if (aKeys.length !== bKeys.length) return false;
  }

  // Cheap key test
  for (i = 0; i < aKeys.length; i++) {
    if (!isEnumerable(val2, aKeys[i])) return false;
  }

  if (strict && fromKeys) {
    var symbolKeysA = Object.getOwnPropertySymbols(val1);
    var symbolKeysB;
    if (symbolKeysA.length !== 0) {
      var count = 0;
      for (i = 0; i < symbolKeysA.length; i++) {
        var key = symbolKeysA[i];
        if (isEnumerable(val1, key)) {
          if (!isEnumerable(val2, key)) return false;
          aKeys.push(key);
          count++;
        } else if (isEnumerable(val2, key)) {
          return false;
        }
      }
      symbolKeysB = Object.getOwnPropertySymbols(val2);
      if (symbolKeysA.length !== symbolKeysB.length &&
          countEnumerable(val2, symbolKeysB) !== count) {
        return false;
      }
    } else {
      symbolKeysB = Object.getOwnPropertySymbols(val2);
      if (symbolKeysB.length !== 0 && countEnumerable(val2, symbolKeysB) !== 0) {
        return false;
      }
    }
  }

  if (aKeys.length === 0 &&
      (iterationType === kNoIterator || (iterationType === kIsArray && val1.length === 0))) {
    return true;
  }

  // Use memos to handle cycles.
  if (memos === undefined) {
    memos = { val1: [], pos1: [], val2: [], pos2: [], position: 0 };
  } else {
    var memoA = memoGet(memos.val1, memos.pos1, val1);
    if (memoA !== undefined) {
      var memoB = memoGet(memos.val2, memos.pos2, val2);
      if (memoB !== undefined) return memoA === memoB;
    }
    memos.position++;
  }

  memoSet(memos.val1, memos.pos1, val1, memos.position);
  memoSet(memos.val2, memos.pos2, val2, memos.position);

  var areEq = objEquiv(val1, val2, strict, aKeys, memos, iterationType);

  memoDelete(memos.val1, memos.pos1, val1);
  memoDelete(memos.val2, memos.pos2, val2);

  return areEq;
}

function memoGet(keys, vals, k) {
  for (var i = 0; i < keys.length; i++) if (keys[i] === k) return vals[i];
  return undefined;
}

function memoSet(keys, vals, k, v) {
  for (var i = 0; i < keys.length; i++) {
    if (keys[i] === k) { vals[i] = v; return; }
  }
  keys.push(k);
  vals.push(v);
}

function memoDelete(keys, vals, k) {
  for (var i = 0; i < keys.length; i++) {
    if (keys[i] === k) {
      for (var j = i; j < keys.length - 1; j++) {
        keys[j] = keys[j + 1];
        vals[j] = vals[j + 1];
      }
      keys.length = keys.length - 1;
      vals.length = vals.length - 1;
      return;
    }
  }
}

function objEquiv(a, b, strict, keys, memos, iterationType) {
  var i = 0;
  if (iterationType === kIsArray) {
    for (; i < a.length; i++) {
      if (hasOwn.call(a, i)) {
        if (!hasOwn.call(b, i) || !innerDeepEqual(a[i], b[i], strict, memos)) return false;
      } else if (hasOwn.call(b, i)) {
        return false;
      } else {
        // Array is sparse.
        var keysA = Object.keys(a);
        for (; i < keysA.length; i++) {
          var key = keysA[i];
          if (!hasOwn.call(b, key) || !innerDeepEqual(a[key], b[key], strict, memos)) {
            return false;
          }
        }
        if (keysA.length !== Object.keys(b).length) return false;
        return true;
      }
    }
  }

  // The pair must have equivalent values for all keys.
  for (i = 0; i < keys.length; i++) {
    var k = keys[i];
    if (!innerDeepEqual(a[k], b[k], strict, memos)) return false;
  }
  return true;
}

function isDeepEqual(val1, val2) {
  return innerDeepEqual(val1, val2, false);
}

function isDeepStrictEqual(val1, val2) {
  return innerDeepEqual(val1, val2, true);
}

module.exports = {
  isDeepEqual: isDeepEqual,
  isDeepStrictEqual: isDeepStrictEqual,
};
