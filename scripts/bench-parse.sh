#!/usr/bin/env bash
# Front-end throughput beside node: the criterion corpus (>= 1 MB) written to a file, then
# `node --check` and `minijs --check` timed on it in the same run (hyperfine when installed).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
corpus=$(mktemp --suffix=.js)
target/release/minijs --write-bench-corpus > "$corpus"
bytes=$(wc -c < "$corpus")
echo "corpus: $bytes bytes"
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 2 --runs 10 "node --check $corpus" "target/release/minijs --check $corpus" \
    "target/release/minijs --check /dev/null" --export-json /tmp/bench-parse.json >/dev/null
  python3 - "$bytes" <<'PY'
import json, sys
b = int(sys.argv[1]); r = json.load(open('/tmp/bench-parse.json'))['results']
empty = r[2]['median']
for x in r[:2]:
    print(f"{x['command'].split()[0]:>22}: median {x['median']*1000:7.1f} ms  -> {b/1e6/x['median']:6.1f} MB/s (whole process)")
print(f"minijs parse only (minus empty-file start-up {empty*1000:.1f} ms): {b/1e6/(r[1]['median']-empty):.1f} MB/s")
PY
else
  echo "hyperfine not installed (apt-get install hyperfine); using bash time"
  time node --check "$corpus"
  time target/release/minijs --check "$corpus"
fi
rm -f "$corpus"
