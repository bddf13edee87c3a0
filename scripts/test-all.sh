#!/usr/bin/env bash
# The project's test command (the README's second command; .ci/run calls it).
# Runs the whole suite (unit, fixture, snapshot and integration tests, and each criterion
# benchmark once as a test). The script fixtures also run under MINIJS_GC_STRESS=1 (a full
# collection at every allocation) inside tests/run.rs. Ends with one summary line:
# "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
# tests/heapsnapshot.rs validates the snapshots it writes with ../shared/tools (memlab): install
# it once when node and npm are here (--ignore-scripts: no browser download). Without it those
# checks print why they are skipped.
tools=../shared/tools
if [ -f "$tools/package-lock.json" ] && [ ! -d "$tools/node_modules" ] && command -v npm >/dev/null; then
  (cd "$tools" && npm ci --ignore-scripts --no-audit --no-fund) ||
    echo "npm ci in $tools failed: the memlab checks of tests/heapsnapshot.rs will be skipped"
fi
log=$(mktemp)
cargo test --release --all-targets 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The JavaScript built-in modules against node-recorded output ("PASS name" lines).
bash scripts/test-js-modules.sh 2>&1 | tee -a "$log" | grep -E "^(PASS|FAIL)" || true
js_pass=$(grep -c "^PASS " "$log" || true)
js_fail=$(grep -c "^FAIL " "$log" || true)
echo "test result: js modules. ${js_pass} passed; ${js_fail} failed" >> "$log"
if [ "$js_fail" != "0" ]; then status=1; fi
summary=$(awk '/^test result:/ { for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  END { printf "tests: %d passed, %d failed", p, f }' "$log")
rm -f "$log"
echo "$summary"
exit "$status"
