#!/usr/bin/env bash
# Counts the engine's work per route at 1k, 10k and 100k agents, repeatably: the counted loop
# of core/examples/route_counts.rs (the `enqueue` bench's center, warmed to its steady state)
# runs under callgrind once per agent count, two at a time, with the cache simulation's last
# level set to LL_MIB (default 1 MiB, the L2 of one core here, so that its misses are the
# reads that leave the core's caches; 32 for the L3, whose misses go to memory). Prints per
# route (an ACD.ENQUEUE assigned at once, with the ACD.COMPLETE that frees its agent, counted
# apart): instructions, L1 data misses and last-level misses. Instructions tell the work;
# misses tell what the memory hierarchy adds to its time. About 12 minutes (the 100k-agent
# center is warmed by a million routes).
#
# usage: [LL_MIB=N] scripts/callgrind-engine.sh [SKILLS] [ROUTES]   (defaults 20 and 20000)
set -euo pipefail
cd "$(dirname "$0")/.."

skills=${1:-20}
routes=${2:-20000}
ll_mib=${LL_MIB:-1}
cargo build --release --quiet -p acd-core --example route_counts
bin=target/release/examples/route_counts
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

pids=()
for agents in 1000 10000 100000; do
  valgrind --tool=callgrind --cache-sim=yes --LL=$((ll_mib * 1048576)),16,64 \
    --toggle-collect='route_counts::counted' --callgrind-out-file="$dir/$agents.out" \
    "$bin" "$agents" "$skills" "$routes" >"$dir/$agents.log" 2>&1 &
  pids+=($!)
  if ((${#pids[@]} == 2)); then
    wait "${pids[0]}" || { cat "$dir"/*.log >&2; exit 1; }
    pids=("${pids[1]}")
  fi
done
for pid in "${pids[@]}"; do
  wait "$pid" || { cat "$dir"/*.log >&2; exit 1; }
done

# Inclusive counts of `route` and `free` (event order: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw).
printf '%s skills, %s routes; per route:\n' "$skills" "$routes"
printf '%8s  %-8s %12s %10s %12s\n' agents command instructions 'D1 misses' "past $ll_mib MiB"
for agents in 1000 10000 100000; do
  callgrind_annotate --inclusive=yes --auto=no "$dir/$agents.out" 2>/dev/null | tr -d ',' |
    sed 's/([^)]*)//g' |
    awk -v a="$agents" -v n="$routes" '
      {
        for (i = 10; i <= NF; i++) {
          if ($i !~ /route_counts::(route|free)$/) continue
          # The first listing is the whole function (rows come largest first); inlined
          # pieces may be listed again under another source file.
          cmd = $i ~ /route$/ ? "ENQUEUE" : "COMPLETE"
          if (seen[cmd]++) continue
          printf "%8d  %-8s %12.0f %10.1f %12.1f\n", a, cmd, $1 / n, ($5 + $6) / n, ($8 + $9) / n
        }
      }' | sort -k2,2r
done
