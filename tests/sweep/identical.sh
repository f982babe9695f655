#!/usr/bin/env bash
# A 2 x 2 x 5-replicate sweep gives the same per-run results run alone, as --shard 1/2 + 2/2 +
# sweep-merge, and (when built with MPI) under `mpirun -np 2 ... --mpi`: h5diff finds no
# difference in any dataset of any run file, nor in the index (wall times aside). Root attributes
# are excluded, as in tests/app/threads_identical.sh: they record times, threads and command lines.
# Usage: identical.sh AIDFLOW SWEEP_FILE [mpi]
set -euo pipefail
aidflow=$1
sweep=$2
mpi=${3:-}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$aidflow" sweep "$sweep" -o "$dir/alone" --workers 2 -q
"$aidflow" sweep "$sweep" -o "$dir/shards" --shard 1/2 --workers 1 -q
"$aidflow" sweep "$sweep" -o "$dir/shards" --shard 2/2 --workers 1 -q
"$aidflow" sweep-merge "$dir/shards"
layouts=(shards)
if [[ "$mpi" == mpi ]]; then
  # CI runs as root; Open MPI refuses root without these.
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    mpirun -np 2 --oversubscribe "$aidflow" sweep "$sweep" -o "$dir/mpi" --mpi -q
  layouts+=(mpi)
fi

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
  # /run's attributes are the dimension scale's references to its variables (file addresses).
  h5diff --exclude-attribute / --exclude-attribute /run --exclude-path /wall_seconds "$dir/alone/sweep.h5" \
    "$dir/$layout/sweep.h5"
  echo "identical: alone and $layout, $runs runs and the index"
done

# The comparison must be able to fail: two replicates (different seeds) differ.
status=0
h5diff -q --exclude-attribute / --exclude-path /scenario "$dir/alone/runs/run-000000.h5" \
  "$dir/alone/runs/run-000001.h5" || status=$?
[[ $status == 1 ]] || { echo "h5diff saw no difference between replicates (exit $status)" >&2; exit 1; }
echo "control: different replicates give different numbers"
