#!/usr/bin/env bash
# Same scenario and seed on 1 and 2 threads: h5diff must find no difference in any dataset or
# dataset attribute. Root attributes are excluded: they record the thread count, command line
# and wall-clock times, which differ by design. (More workers than this machine has cores are
# tested in tests/model/determinism_test.cpp, in explicit TBB arenas.)
set -euo pipefail
aidflow=$1
scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$aidflow" run "$scenario" -o "$dir/one.h5" --threads 1 --seed 11 --steps 104 >/dev/null
"$aidflow" run "$scenario" -o "$dir/two.h5" --threads 2 --seed 11 --steps 104 >/dev/null
h5diff --exclude-attribute / "$dir/one.h5" "$dir/two.h5"
echo "identical: $(h5ls -r "$dir/one.h5" | grep -c Dataset) datasets compared"

# The check must be able to fail: a different seed gives different numbers. /scenario is left out
# (its text holds the seed, so it alone would differ), and only h5diff's "differences found" (1)
# counts: an error (2) must not pass for a difference.
"$aidflow" run "$scenario" -o "$dir/other.h5" --threads 2 --seed 12 --steps 104 >/dev/null
status=0
h5diff -q --exclude-attribute / --exclude-path /scenario "$dir/one.h5" "$dir/other.h5" || status=$?
case $status in
  1) echo "control: a different seed gives different numeric datasets" ;;
  0)
    echo "h5diff saw no difference in the numbers of different seeds: the comparison is blind" >&2
    exit 1
    ;;
  *)
    echo "h5diff failed (exit $status) on the control comparison" >&2
    exit 1
    ;;
esac
