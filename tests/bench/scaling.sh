#!/usr/bin/env bash
# Benchmark (not part of the test suite): wall time and peak memory of the baseline against
# households (10^4 ... 10^7 at a fixed horizon) and against steps (at a fixed resolution), to show
# the cost is linear in each. Prints a table; asserts nothing about speed.
# Usage: bash tests/bench/scaling.sh [build/sim/aidflow]
#   env: HOUSEHOLDS (list), STEPS (the fixed horizon), STEP_LIST (list), AT (the fixed
#   resolution for the steps rows), THREADS (list)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
aidflow=${1:-$root/build/sim/aidflow}
households_list=${HOUSEHOLDS:-10000 100000 1000000 10000000}
steps=${STEPS:-52}
step_list=${STEP_LIST:-26 52 104 208}
at=${AT:-1000000}
threads_list=${THREADS:-2}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%12s %6s %8s %9s %14s %10s\n' households steps threads seconds hh-steps/s peak_MiB
run() {  # households steps threads
  /usr/bin/time -f '%e %M' -o "$dir/time" "$aidflow" run "$root/scenarios/status_quo.yaml" \
    -o "$dir/run.h5" --force --steps "$2" --threads "$3" --set "run.households=$1" >/dev/null
  read -r seconds kib <"$dir/time"
  awk -v h="$1" -v n="$2" -v t="$3" -v s="$seconds" -v k="$kib" \
    'BEGIN { printf "%12d %6d %8d %9.2f %13.1fM %10.0f\n", h, n, t, s, h * n / s / 1e6, k / 1024 }'
}
for threads in $threads_list; do
  for households in $households_list; do run "$households" "$steps" "$threads"; done
  for s in $step_list; do run "$at" "$s" "$threads"; done
done
