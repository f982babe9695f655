#!/usr/bin/env bash
# Benchmark (not part of the test suite): steps per second and peak memory of the baseline at
# several resolutions and thread counts. Prints a table; asserts nothing about speed.
# Usage: bash tests/bench/scaling.sh [build/sim/aidflow] [steps]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
aidflow=${1:-$root/build/sim/aidflow}
steps=${2:-52}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%12s %8s %10s %10s %10s\n' households threads seconds steps/s peak_MiB
for households in 20000 200000 2000000; do
  for threads in 1 2; do
    /usr/bin/time -f '%e %M' -o "$dir/time" "$aidflow" run "$root/scenarios/baseline.yaml" \
      -o "$dir/run.h5" --force --steps "$steps" --threads "$threads" \
      --set "run.households=$households" >/dev/null
    read -r seconds kib <"$dir/time"
    awk -v h="$households" -v t="$threads" -v s="$seconds" -v n="$steps" -v k="$kib" \
      'BEGIN { printf "%12d %8d %10.2f %10.1f %10.0f\n", h, t, s, n / s, k / 1024 }'
  done
done
