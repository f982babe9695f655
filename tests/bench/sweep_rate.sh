#!/usr/bin/env bash
# Runs per hour of a sweep of a small scenario (tests/bench/bench_grid.yaml: the baseline at 3,000
# households for 104 weeks, 8 runs) with 1 and 2 workers of one thread each.
# Usage: bash tests/bench/sweep_rate.sh [AIDFLOW]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
aidflow=${1:-$root/build/sim/aidflow}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for workers in 1 2; do
  start=$(date +%s.%N)
  "$aidflow" sweep "$root/tests/bench/bench_grid.yaml" -o "$dir/w$workers" \
    --workers "$workers" --threads 1 -q
  end=$(date +%s.%N)
  awk -v w="$workers" -v s="$start" -v e="$end" \
    'BEGIN { printf "workers %d: 8 runs in %.2f s, %.0f runs/hour\n", w, e - s, 8 * 3600 / (e - s) }'
done
