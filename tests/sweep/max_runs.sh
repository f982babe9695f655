#!/usr/bin/env bash
# The documented maximum of 10,000,000 runs (tests/sweep/max_runs.yaml) is validated, planned and
# sliced within a 1 GiB address space: a slice of two runs (--shard 1/5000000) runs exactly its
# two, runs 0 and 5,000,000, with the right settings (read from their files, kept for the
# check). The whole plan once took 1.2 KB a run (12 GB, std::bad_alloc under 8 GB) in every shard
# and rank.
# Usage: max_runs.sh AIDFLOW SWEEP_FILE
set -euo pipefail
aidflow=$1
sweep=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export MALLOC_ARENA_MAX=2  # glibc reserves 64 MiB of address space per arena
prlimit --as=$((1 << 30)) "$aidflow" sweep "$sweep" -o "$dir/s" --shard 1/5000000 --workers 1 \
  --threads 1 --keep-runs -q
listed=$(cd "$dir/s/runs" && ls | tr '\n' ' ')
expected="run-000000.h5 run-5000000.h5 "
[[ $listed == "$expected" ]] || { echo "runs made: $listed (expected $expected)" >&2; exit 1; }
label=$(h5dump -a /label "$dir/s/runs/run-5000000.h5")
grep -q '"max_runs third_party=0.5 overhead_0=0 ' <<<"$label" ||
  { echo "run 5000000 has the wrong settings: $label" >&2; exit 1; }
h5dump -a /status "$dir/s/runs/run-5000000.h5" | grep -q '"complete"'
echo "10,000,000 runs planned under a 1 GiB limit; the slice ran its 2"
