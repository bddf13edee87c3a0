'use strict';
// Internal module 'internal/warning': a reference implementation of
// process.emitWarning and of node's default 'warning' handler
// (lib/internal/process/warning.js in node v20).
//
// Install on the process object as:
//   var w = require('internal/warning');
//   process.emitWarning = w.emitWarning;
//   process.on('warning', w.onWarning);   // once process is an EventEmitter
//
// Loader-provided globals: __minijs_next_tick(fn) (falls back to
// process.nextTick) and __minijs_pid (falls back to process.pid).
// Honours process.noDeprecation, process.throwDeprecation,
// process.traceDeprecation and process.traceProcessWarnings when set.

var errors = require('internal/errors');
var ERR_INVALID_ARG_TYPE = errors.ERR_INVALID_ARG_TYPE;
var validateString = errors.validateString;

var traceWarningHelperShown = false;

function nextTick(fn, arg) {
  if (typeof __minijs_next_tick === 'function') {
    __minijs_next_tick(function () { fn(arg); });
  } else {
    process.nextTick(fn, arg);
  }
}

function pid() {
  if (typeof __minijs_pid !== 'undefined') return __minijs_pid;
  return process.pid;
}

function releaseName() {
  if (process.release && typeof process.release.name === 'string') return process.release.name;
  return 'minijs';
}

function argv0Name() {
  var argv0 = process.argv0 || 'minijs';
  // basename(argv0, '.exe') without depending on the path module
  var end = argv0.length;
  if (end > 4 && argv0[end - 4] === '.' && argv0[end - 3] === 'e' &&
      argv0[end - 2] === 'x' && argv0[end - 1] === 'e') end -= 4;
  var start = 0;
  for (var i = 0; i < end; i++) if (argv0[i] === '/') start = i + 1;
  return errors.strSlice(argv0, start, end);
}

function writeOut(message) {
  console.error(message);
}

// The default process.on('warning') handler.
function onWarning(warning) {
  if (!(warning instanceof Error)) return;
  var isDeprecation = warning.name === 'DeprecationWarning';
  if (isDeprecation && process.noDeprecation) return;
  var trace = process.traceProcessWarnings ||
    (isDeprecation && process.traceDeprecation);
  var msg = '(' + releaseName() + ':' + pid() + ') ';
  if (warning.code) msg += '[' + warning.code + '] ';
  if (trace && warning.stack) {
    msg += warning.stack;
  } else {
    msg += typeof warning.toString === 'function' ?
      '' + warning.toString() : Error.prototype.toString.call(warning);
  }
  if (typeof warning.detail === 'string') msg += '\n' + warning.detail;
  if (!trace && !traceWarningHelperShown) {
    var flag = isDeprecation ? '--trace-deprecation' : '--trace-warnings';
    msg += '\n(Use `' + argv0Name() + ' ' + flag + ' ...` to show where the warning was created)';
    traceWarningHelperShown = true;
  }
  writeOut(msg);
}

function doEmitWarning(warning) {
  if (typeof process.emit === 'function') {
    process.emit('warning', warning);
  } else {
    onWarning(warning);
  }
}

function createWarningObject(warning, type, code, ctor, detail) {
  warning = new Error(warning);
  warning.name = String(type || 'Warning');
  if (code !== undefined) warning.code = code;
  if (detail !== undefined) warning.detail = detail;
  if (typeof Error.captureStackTrace === 'function') {
    Error.captureStackTrace(warning, ctor || process.emitWarning);
  }
  return warning;
}

// process.emitWarning(warning[, type[, code]][, ctor])
// process.emitWarning(warning[, options])
function emitWarning(warning, type, code, ctor) {
  var detail;
  if (type !== null && typeof type === 'object' && !Array.isArray(type)) {
    ctor = type.ctor;
    code = type.code;
    if (typeof type.detail === 'string') detail = type.detail;
    type = type.type || 'Warning';
  } else if (typeof type === 'function') {
    ctor = type;
    code = undefined;
    type = 'Warning';
  }
  if (type !== undefined) validateString(type, 'type');
  if (typeof code === 'function') {
    ctor = code;
    code = undefined;
  } else if (code !== undefined) {
    validateString(code, 'code');
  }

  if (typeof warning === 'string') {
    warning = createWarningObject(warning, type, code, ctor, detail);
  } else if (!(warning instanceof Error)) {
    throw ERR_INVALID_ARG_TYPE('warning', ['Error', 'string'], warning);
  }
  if (warning.name === 'DeprecationWarning') {
    if (process.noDeprecation) return;
    if (process.throwDeprecation) {
      throw warning;
    }
  }
  nextTick(doEmitWarning, warning);
}

module.exports = {
  emitWarning: emitWarning,
  onWarning: onWarning,
};
