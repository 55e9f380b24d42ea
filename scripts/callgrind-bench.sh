#!/usr/bin/env bash
# Counts what one assignment costs the server, repeatably: redis-server runs under
# callgrind (cache simulation: 32 KiB L1s, 4 MiB last level) with MODULE loaded, acd-bench
# drives the `large` workload in steady mode, counters are zeroed once the run is warm and
# dumped SECONDS/2 later. Prints per assignment: instructions (Ir), L1 instruction and data
# misses, last-level misses, and an estimate of cycles (Ir + 10 x L1 misses + 100 x LL misses).
# Wall-clock figures on a shared machine spread by 10-15 %; these by up to 4 % (batching and
# purges vary with timing), the module commands' share less.
#
# usage: scripts/callgrind-bench.sh MODULE.so [SECONDS]   (needs valgrind and a release acd-bench)
set -euo pipefail
cd "$(dirname "$0")/.."

module=$(realpath "$1")
seconds=${2:-16}
bench=target/release/acd-bench
key='acd-bench:{module}:center'
port=$((20000 + RANDOM % 10000))
dir=$(mktemp -d)
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT

valgrind --tool=callgrind --cache-sim=yes --LL=4194304,16,64 \
  --callgrind-out-file="$dir/cg.out" \
  redis-server --port "$port" --save "" --appendonly no --loadmodule "$module" \
  >"$dir/server.log" 2>&1 &
server=$!
until redis-cli -p "$port" ping >/dev/null 2>&1; do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "callgrind-bench: redis-server did not start:" >&2
    cat "$dir/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
"$bench" --redis "redis://127.0.0.1:$port" --workload large --mode steady \
  --seconds "$seconds" --repeat 1 --variants module --latency-samples 0 >"$dir/bench.log" 2>&1 &
bench_pid=$!

assigned() {
  redis-cli -p "$port" ACD.STATS "$key" 2>/dev/null |
    awk 'previous == "assigned_total" { print; exit } { previous = $0 }'
}
until [[ "$(assigned)" =~ ^[0-9]+$ ]] && (($(assigned) > 2000)); do
  if ! kill -0 "$bench_pid" 2>/dev/null; then
    echo "callgrind-bench: acd-bench ended before the run was warm:" >&2
    cat "$dir/bench.log" "$dir/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
callgrind_control -z "$server" >/dev/null 2>&1
start=$(assigned)
sleep $((seconds / 2))
callgrind_control -d "$server" >/dev/null 2>&1
count=$(($(assigned) - start))
dumps=("$dir"/cg.out.*)
# The module's share: the command handler Redis calls, with everything it calls (the largest
# inclusive entry: inlined copies are listed per source file); `handler::on_command` since the
# module registers its commands itself, the `redis-module` wrapper `__do_command` before.
module_ir=$(callgrind_annotate --inclusive=yes "${dumps[0]}" 2>/dev/null | tr -d ',' |
  awk '/(__do_command|handler::on_command)$/ && $1 > max { max = $1 } END { print max + 0 }')
callgrind_annotate "${dumps[0]}" 2>/dev/null | grep -m1 'PROGRAM TOTALS' | tr -d ',' |
  sed 's/([^)]*)//g' | awk -v n="$count" -v m="$(basename "$module")" -v mod="$module_ir" '{
    ir = $1; i1 = $4; d1 = $5 + $6; ll = $7 + $8 + $9
    printf "%s: %d assignments; per assignment: Ir %.0f (module commands %.0f), I1 misses %.0f, D1 misses %.0f, LL misses %.1f, est. cycles %.0f\n",
      m, n, ir / n, mod / n, i1 / n, d1 / n, ll / n, (ir + 10 * (i1 + d1) + 100 * ll) / n
  }'
