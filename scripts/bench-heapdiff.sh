#!/usr/bin/env bash
# memwatch.HeapDiff timings (issue 7): new HeapDiff() and end() on a 1,000,000-object heap and
# across the tutorial scenario (50,000 listeners), best of 5 runs each. Each script prints its
# own timings (process.hrtime around the two calls), so start-up is not counted.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
for script in benches/js/heapdiff_1m.js benches/js/heapdiff_tutorial.js; do
  echo "== $script"
  for _ in 1 2 3 4 5; do target/release/minijs "$script"; done |
    sort -t' ' -k6 -n | head -1
done
