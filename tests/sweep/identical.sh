#!/usr/bin/env bash
# A 2 x 2 x 5-replicate sweep with declared outcomes of every kind gives the same outcome store
# (and, with its runs kept, the same run files) swept with 2 workers, with 1, as --shard 1/2 +
# 2/2 + sweep-merge, and (when built with MPI) under `mpirun -np 3 ... --mpi`; and the same store
# without run files (--no-keep-runs) but for the `path` coordinate. h5diff compares every dataset.
# Root attributes are excluded, as in tests/app/threads_identical.sh (they record times, threads
# and command lines), and so is wall_seconds.
# Usage: identical.sh AIDFLOW SWEEP_FILE [mpi]
set -euo pipefail
aidflow=$1
sweep=$2
mpi=${3:-}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$aidflow" sweep "$sweep" -o "$dir/alone" --workers 2 -q
"$aidflow" sweep "$sweep" -o "$dir/one" --workers 1 -q
"$aidflow" sweep "$sweep" -o "$dir/shards" --shard 1/2 --workers 1 -q
"$aidflow" sweep "$sweep" -o "$dir/shards" --shard 2/2 --workers 1 -q
"$aidflow" sweep-merge "$dir/shards" >/dev/null
"$aidflow" sweep "$sweep" -o "$dir/store_only" --workers 2 --no-keep-runs -q
layouts=(one shards)
if [[ "$mpi" == mpi ]]; then
  # CI runs as root; Open MPI refuses root without these.
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    mpirun -np 3 --oversubscribe "$aidflow" sweep "$sweep" -o "$dir/mpi" --mpi -q
  layouts+=(mpi)
fi

# /run's attributes are the dimension scale's references to its variables (file addresses).
same_store() {
  h5diff --exclude-attribute / --exclude-attribute /run --exclude-path /wall_seconds "$@"
}

runs=$(ls "$dir/alone/runs" | grep -c '\.h5$')
[[ $runs == 20 ]] || { echo "expected 20 run files, found $runs" >&2; exit 1; }
for layout in "${layouts[@]}"; do
  [[ $(ls "$dir/$layout/runs" | grep -c '\.h5$') == "$runs" ]] || {
    echo "$layout: not $runs run files" >&2
    exit 1
  }
  for file in "$dir"/alone/runs/*.h5; do
    h5diff --exclude-attribute / "$file" "$dir/$layout/runs/$(basename "$file")"
  done
  same_store "$dir/alone/sweep.h5" "$dir/$layout/sweep.h5"
  echo "identical: alone (2 workers) and $layout, $runs runs and the store"
done
[[ ! -e "$dir/store_only/runs" ]] || { echo "--no-keep-runs wrote run files" >&2; exit 1; }
same_store --exclude-path /path "$dir/alone/sweep.h5" "$dir/store_only/sweep.h5"
echo "identical: the store without run files"

# The comparison must be able to fail: two replicates (different seeds) differ.
status=0
h5diff -q --exclude-attribute / --exclude-path /scenario "$dir/alone/runs/run-000000.h5" \
  "$dir/alone/runs/run-000001.h5" || status=$?
[[ $status == 1 ]] || { echo "h5diff saw no difference between replicates (exit $status)" >&2; exit 1; }
status=0
h5diff -q "$dir/alone/sweep.h5" "$dir/alone/sweep.h5" /reached /diverted_share || status=$?
[[ $status == 1 ]] || { echo "h5diff saw no difference between two outcomes (exit $status)" >&2; exit 1; }
echo "control: different replicates and different outcomes give different numbers"
