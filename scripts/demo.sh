#!/usr/bin/env bash
# The leak demo, end to end: builds minijs, runs the self-driving leaking server
# (scripts/app-selfdrive.js: five requests to itself with http.get, then it closes), then the
# tutorial's server (scripts/app.js, verbatim from ../shared/seed) sent five requests, then the
# same for the HeapDiff version (scripts/app-heapdiff.js) and the heapdump version
# (scripts/app-heapdump.js, run from a temporary directory because it writes its snapshots
# beside itself), whose two snapshots `minijs --heap-diff` then compares. Requests are sent
# with bash's /dev/tcp, so no other tool is needed (with ApacheBench installed, `ab -c 1 -n 5
# http://localhost:3000/` does the same).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet

request() {
  exec 3<>/dev/tcp/127.0.0.1/3000
  printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  cat <&3 >/dev/null
  exec 3<&-
}

run() {
  local script=$1
  echo "=== minijs $script --expose-gc   (then 5 requests)"
  target/release/minijs "$script" --expose-gc &
  local pid=$!
  for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/3000) 2>/dev/null && break
    sleep 0.1
  done
  for _ in 1 2 3 4 5; do request; done
  sleep 0.5
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

echo "=== minijs scripts/app-selfdrive.js --expose-gc   (the leaking server makes its five requests with http.get)"
target/release/minijs scripts/app-selfdrive.js --expose-gc

run scripts/app.js
run scripts/app-heapdiff.js

tmp=$(mktemp -d)
cp scripts/app-heapdump.js "$tmp/"
run "$tmp/app-heapdump.js"
echo "=== minijs --heap-diff (the two snapshots app-heapdump.js wrote)"
snaps=( "$tmp"/heapdump-*.heapsnapshot )
if [ "${#snaps[@]}" -ge 2 ]; then
  target/release/minijs --heap-diff "${snaps[0]}" "${snaps[1]}" | head -30
fi
rm -rf "$tmp"
