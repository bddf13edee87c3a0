// Part of scripts/test-js-modules.sh (not shipped): require() over __mods.
var __cache = { __proto__: null };
function require(name) {
  if (name.length > 5 && name[0] === 'n' && name[1] === 'o' && name[2] === 'd' &&
      name[3] === 'e' && name[4] === ':') {
    var bare = '';
    for (var i = 5; i < name.length; i++) bare += name[i];
    name = bare;
  }
  var cached = __cache[name];
  if (cached) return cached.exports;
  var f = __mods[name];
  if (!f) throw new Error("Cannot find module '" + name + "'");
  var module = { exports: {} };
  __cache[name] = module;
  f.call(module.exports, module.exports, require, module, '/minijs/lib/' + name + '.js', '/minijs/lib');
  return module.exports;
}
process.emitWarning = require('internal/warning').emitWarning;
