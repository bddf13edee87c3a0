#!/usr/bin/env bash
# 1,000,000 promise reactions (benches/js/promise_*.js) on minijs, node --jitless and QuickJS
# (/tmp/qjs-run/target/release/qjs-run, when present), with hyperfine when installed.
# Usage: scripts/bench-promise.sh [runs]
set -u
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo build --release -q
engines=("target/release/minijs" "node --jitless")
qjs=/tmp/qjs-run/target/release/qjs-run
[ -x "$qjs" ] && engines+=("$qjs")
for prog in benches/js/promise_chain.js benches/js/promise_fanout.js; do
  echo "== $prog"
  for e in "${engines[@]}"; do
    printf '%-40s %s\n' "$e" "$($e "$prog" 2>/dev/null | tail -1)"
  done
  if command -v hyperfine >/dev/null; then
    cmds=()
    for e in "${engines[@]}"; do cmds+=("$e $prog"); done
    hyperfine -N -w 1 -r "$runs" "${cmds[@]}" 2>/dev/null | grep -E "Benchmark|Time"
  else
    for e in "${engines[@]}"; do /usr/bin/time -f "$e: %e s wall, %U s user, %M KB" $e "$prog" >/dev/null; done
  fi
done
