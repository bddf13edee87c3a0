#!/usr/bin/env bash
# Regenerate NAME.stderr for every NAME.js in this directory using node.
# Usage: ./regen.sh [NAME.js ...]   (default: all *.js here)
# Keeps stderr from the first line up to and including the first line that
# starts with "SyntaxError:", replaces the absolute path in the first line
# with FILE, and checks that node exits with status 1.
set -u
cd "$(dirname "$0")" || exit 2
dir=$(pwd -P)
status=0
[ $# -eq 0 ] && set -- *.js
for js in "$@"; do
  name=${js%.js}
  abs="$dir/$name.js"
  raw=$(mktemp)
  node "$abs" 2>"$raw" >/dev/null
  rc=$?
  if [ "$rc" -ne 1 ]; then
    echo "regen: $js: node exit status $rc (expected 1)" >&2
    status=1
  fi
  # awk -v would interpret backslashes, so pass the path via ENVIRON.
  if ! ABS="$abs" awk '
      NR == 1 {
        p = ENVIRON["ABS"] ":"
        if (substr($0, 1, length(p)) != p) { bad = 1; exit }
        print "FILE:" substr($0, length(p) + 1); next
      }
      { print }
      /^SyntaxError: / { found = 1; exit }
      END { if (bad || !found) exit 1 }
    ' "$raw" > "$name.stderr.tmp"; then
    echo "regen: $js: output is not a SyntaxError report for this file:" >&2
    head -n 5 "$raw" >&2
    rm -f "$name.stderr.tmp"
    status=1
  else
    mv "$name.stderr.tmp" "$name.stderr"
  fi
  rm -f "$raw"
done
exit $status
