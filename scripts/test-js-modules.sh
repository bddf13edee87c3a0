#!/usr/bin/env bash
# Tests the built-in JS modules in src/runtime/js/ before the CommonJS loader
# exists: each tests/js/modules/NAME.test.js is run as a classic script
# (`minijs --script`) after a prelude that defines require() over the module
# sources (wrapped exactly as the loader will wrap them), a `process` shim and
# JS mocks of the loader-provided natives (__minijs_inspect/__minijs_format
# are only approximated here; __minijs_next_tick is a queue drained at the end).
#
# stdout must equal NAME.test.stdout; if NAME.test.stderr exists, stderr
# must equal it after normalising `(node:PID)`/`(minijs:PID)` and the
# `node --trace-...` / `minijs --trace-...` hint to PROC.
#
#   scripts/test-js-modules.sh [NAME...]            run (default: all)
#   scripts/test-js-modules.sh --record [NAME...]   re-record expectations with node
set -u
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MINIJS="${MINIJS:-$ROOT/target/release/minijs}"
DIR="$ROOT/tests/js/modules"
JS="$ROOT/src/runtime/js"
RECORD=0
if [ "${1:-}" = "--record" ]; then RECORD=1; shift; fi
NAMES=("$@")
if [ ${#NAMES[@]} -eq 0 ]; then
  for f in "$DIR"/*.test.js; do b="$(basename "$f")"; NAMES+=("${b%.test.js}"); done
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

normalize() {
  sed -E -e 's/\((node|minijs):[0-9]+\)/(PROC:PID)/g' -e 's/`(node|minijs) --trace-/`PROC --trace-/g'
}

# Maps require() ids to files in src/runtime/js.
build_script() { # $1 = test file, $2 = output
  python3 - "$JS" "$1" "$2" <<'PY'
import sys, os
js, test, out = sys.argv[1:4]
mods = {
    'events': 'events.js', 'path': 'path.js', 'assert': 'assert.js', 'util': 'util.js',
    'internal/errors': 'internal_errors.js', 'internal/deep_equal': 'internal_deep_equal.js',
    'internal/warning': 'warning.js',
}
import json
parts = [open(os.path.join(js, '..', '..', '..', 'scripts', 'js-modules-prelude.js')).read().replace('__CWD__', json.dumps(os.path.dirname(os.path.abspath(test))))]
parts.append('var __mods = { __proto__: null };\n')
for name, f in mods.items():
    p = os.path.join(js, f)
    if not os.path.exists(p):
        continue
    parts.append("__mods['%s'] = function (exports, require, module, __filename, __dirname) {\n%s\n};\n"
                 % (name, open(p).read()))
parts.append(open(os.path.join(js, '..', '..', '..', 'scripts', 'js-modules-require.js')).read())
# The test body: a function so that its own `var`s stay local like in a module.
parts.append('(function (exports, require, module) {\n' + open(test).read() +
             '\n})({}, require, { exports: {} });\n__minijs_drain_ticks();\n')
open(out, 'w').write(''.join(parts))
PY
}

pass=0; fail=0
for name in "${NAMES[@]}"; do
  test="$DIR/$name.test.js"
  if [ $RECORD -eq 1 ]; then
    (cd "$DIR" && node "$name.test.js" > "$DIR/$name.test.stdout" 2> "$TMP/err")
    if [ -s "$TMP/err" ]; then normalize < "$TMP/err" > "$DIR/$name.test.stderr"; else rm -f "$DIR/$name.test.stderr"; fi
    echo "recorded $name"
    continue
  fi
  build_script "$test" "$TMP/$name.js"
  (cd "$DIR" && "$MINIJS" --script "$TMP/$name.js" > "$TMP/$name.out" 2> "$TMP/$name.err")
  ok=1
  if ! diff -u "$DIR/$name.test.stdout" "$TMP/$name.out" > "$TMP/$name.diff"; then ok=0; fi
  if [ -f "$DIR/$name.test.stderr" ]; then
    normalize < "$TMP/$name.err" > "$TMP/$name.nerr"
    if ! diff -u "$DIR/$name.test.stderr" "$TMP/$name.nerr" >> "$TMP/$name.diff"; then ok=0; fi
  elif [ -s "$TMP/$name.err" ]; then
    ok=0; { echo "unexpected stderr:"; cat "$TMP/$name.err"; } >> "$TMP/$name.diff"
  fi
  if [ $ok -eq 1 ]; then pass=$((pass+1)); echo "PASS $name"
  else fail=$((fail+1)); echo "FAIL $name"; cat "$TMP/$name.diff"; fi
done
[ $RECORD -eq 1 ] && exit 0
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
