#!/usr/bin/env bash
# The project's test command (the README's second command; .ci/run calls it).
# Runs the whole suite; later issues add a second pass under MINIJS_GC_STRESS=1.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --all-targets
