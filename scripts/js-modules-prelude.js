// Prelude of scripts/test-js-modules.sh (not shipped): stand-ins for what the
// loader will provide to the built-in modules. __minijs_inspect and
// __minijs_format are rough JS approximations of the Rust util.inspect (one
// line only, no grouping); keep tests within what they can print.
var __minijs_pid = 4242;
var __minijs_ticks = [];
function __minijs_next_tick(fn) { __minijs_ticks.push(fn); }
function __minijs_drain_ticks() {
  for (var i = 0; i < __minijs_ticks.length; i++) __minijs_ticks[i]();
  __minijs_ticks.length = 0;
}
function __minijs_quote(s) {
  var hasS = false, hasD = false, hasB = false;
  for (var i = 0; i < s.length; i++) {
    if (s[i] === "'") hasS = true; else if (s[i] === '"') hasD = true; else if (s[i] === '`') hasB = true;
  }
  var q = "'";
  if (hasS) { if (!hasD) q = '"'; else if (!hasB) q = '`'; }
  var out = q;
  for (var j = 0; j < s.length; j++) {
    var c = s[j];
    if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\\') out += '\\\\';
    else if (c === q) out += '\\' + q;
    else out += c;
  }
  return out + q;
}
function __minijs_is_ident(k) {
  if (k.length === 0) return false;
  for (var i = 0; i < k.length; i++) {
    var c = k[i];
    var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$' ||
      (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}
function __minijs_inspect_rec(v, depth, cur, expand, ind) {
  if (v === null) return 'null';
  var t = typeof v;
  if (t === 'string') return __minijs_quote(v);
  if (t === 'number') return (v === 0 && 1 / v < 0) ? '-0' : String(v);
  if (t === 'undefined' || t === 'boolean') return String(v);
  if (t === 'symbol') return String(v);
  if (t === 'function') return v.name ? '[Function: ' + v.name + ']' : '[Function (anonymous)]';
  if (v instanceof Error) return v.stack;
  var proto = Object.getPrototypeOf(v);
  var ctor = proto === null ? null : (proto.constructor && proto.constructor.name);
  var isArr = Array.isArray(v);
  if (cur > depth) return isArr ? '[Array]' : '[' + (ctor || 'Object') + ']';
  var parts = [];
  var keys = Object.keys(v);
  var syms = Object.getOwnPropertySymbols(v);
  for (var s = 0; s < syms.length; s++) keys.push(syms[s]);
  var inner = ind + '  ';
  var holes = 0;
  var next = 0;
  function flushHoles() {
    if (holes) parts.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
    holes = 0;
  }
  if (isArr) {
    for (var h = 0; h < v.length; h++) {
      if (!Object.prototype.hasOwnProperty.call(v, h)) { holes++; continue; }
      flushHoles();
      parts.push(__minijs_inspect_rec(v[h], depth, cur + 1, expand, inner));
    }
    flushHoles();
  }
  for (var i = 0; i < keys.length; i++) {
    var k = keys[i];
    if (isArr && typeof k === 'string' && String(Number(k)) === k) continue;
    var val = __minijs_inspect_rec(v[k], depth, cur + 1, expand, inner);
    var kk = typeof k === 'symbol' ? '[' + String(k) + ']' : (__minijs_is_ident(k) ? k : __minijs_quote(k));
    parts.push(kk + ': ' + val);
  }
  var sep = expand ? ',\n' + inner : ', ';
  var body = '';
  for (var j = 0; j < parts.length; j++) body += (j ? sep : '') + parts[j];
  var open = expand ? '\n' + inner : ' ';
  var close = expand ? '\n' + ind : ' ';
  if (isArr) return parts.length ? '[' + open + body + close + ']' : '[]';
  var prefix = proto === null ? '[Object: null prototype] ' : (ctor && ctor !== 'Object' ? ctor + ' ' : '');
  return prefix + (parts.length ? '{' + open + body + close + '}' : '{}');
}
function __minijs_inspect(v, opts) {
  var depth = opts && opts.depth !== undefined ? opts.depth : 2;
  if (depth === null) depth = Infinity;
  return __minijs_inspect_rec(v, depth, 0, !!(opts && opts.compact === 0), '');
}
function __minijs_format() {
  var args = arguments;
  var first = args[0];
  var out = '';
  var a = 1;
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    for (var i = 0; i < first.length; i++) {
      var c = first[i];
      if (c === '%' && i + 1 < first.length) {
        var n = first[i + 1];
        if (n === '%') { out += '%'; i++; continue; }
        if (a < args.length && (n === 's' || n === 'd' || n === 'i' || n === 'f' || n === 'j' || n === 'o' || n === 'O' || n === 'c')) {
          var x = args[a++];
          if (n === 's') out += typeof x === 'string' ? x : (typeof x === 'object' && x !== null ? __minijs_inspect(x, { depth: 0 }) : __minijs_inspect(x));
          else if (n === 'd' || n === 'i') out += typeof x === 'object' ? 'NaN' : __minijs_inspect(n === 'i' ? Math.trunc(Number(x)) : Number(x));
          else if (n === 'f') out += String(Number(x));
          else if (n === 'c') {}
          else if (n === 'j') out += typeof x === 'string' ? '"' + x + '"' : String(x);
          else out += __minijs_inspect(x, { depth: 4 });
          i++;
          continue;
        }
      }
      out += c;
    }
  } else {
    a = 0;
  }
  for (; a < args.length; a++) {
    var y = args[a];
    out += (out.length || a > 0 ? ' ' : '') + (typeof y === 'string' ? y : __minijs_inspect(y));
  }
  return out;
}
var process = {
  pid: __minijs_pid,
  argv0: 'minijs',
  release: { name: 'minijs' },
  cwd: function () { return __CWD__; },
  nextTick: function (fn) {
    var args = [];
    for (var i = 1; i < arguments.length; i++) args.push(arguments[i]);
    __minijs_next_tick(function () { fn.apply(undefined, args); });
  },
};
