#!/usr/bin/env bash
# Runs every check and test: formatting, lints, the engine's unit and property tests, and the
# integration and end-to-end tests against real redis-server processes with the module loaded.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all --check
cargo build --workspace --all-targets
cargo clippy --workspace --all-targets -- -D warnings
export ACD_MODULE="$PWD/target/debug/libacd.so"
cargo test --workspace
scripts/validate-deploy.sh
