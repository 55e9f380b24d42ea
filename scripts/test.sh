#!/usr/bin/env bash
# Runs every check and test: formatting, lints, the engine's unit and property tests, and the
# integration and end-to-end tests against real redis-server processes with the module loaded.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all --check
cargo build --workspace --all-targets
cargo clippy --workspace --all-targets -- -D warnings
export ACD_MODULE="$PWD/target/debug/libacd.so"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace 2>&1 | tee "$log"
# Throughput harness smoke run (issue 4): a few seconds on the small workload, against the
# debug module; exits non-zero if a command, a reply or the end-state audit fails.
target/debug/acd-bench --module "$ACD_MODULE" --workload small --mode steady --seconds 1 \
  --repeat 1 --latency-samples 200 --json >/dev/null
scripts/validate-deploy.sh

# One closing line with the totals over every test binary.
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "tests: %d passed, %d failed\n", passed, failed }' "$log"
