#!/usr/bin/env bash
# The household kernels are compiled for baseline x86-64, AVX2 and AVX-512 (sim/engine/isa.hpp)
# and must give the same bytes: the baseline scenario run under each instruction set this machine
# has (AIDFLOW_ISA) must match the run under the widest, dataset for dataset. An instruction set
# the machine lacks must be refused as bad input (exit 2), never run.
set -euo pipefail
aidflow=$1
scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
best=$("$aidflow" run "$scenario" -o "$dir/best.h5" --seed 5 --steps 78 --timings -q |
  awk '$1 == "isa" {print $3}')
echo "widest instruction set here: $best"
compared=0
for isa in baseline avx2 avx512; do
  status=0
  AIDFLOW_ISA=$isa "$aidflow" run "$scenario" -o "$dir/$isa.h5" --seed 5 --steps 78 -q \
    2>"$dir/$isa.err" || status=$?
  if [[ $status == 2 ]] && grep -q "this machine supports at most" "$dir/$isa.err"; then
    echo "$isa: refused, as it should be on this machine ($(cat "$dir/$isa.err"))"
    continue
  fi
  if [[ $status != 0 ]]; then
    echo "$isa: the run failed (exit $status): $(cat "$dir/$isa.err")" >&2
    exit 1
  fi
  h5diff -q --exclude-attribute / "$dir/best.h5" "$dir/$isa.h5"
  echo "$isa: identical to $best"
  compared=$((compared + 1))
done
[[ $compared -ge 1 ]] || { echo "no instruction set compared" >&2; exit 1; }

# The comparison must be able to fail: another seed under the same instruction set differs.
"$aidflow" run "$scenario" -o "$dir/other.h5" --seed 6 --steps 78 -q
status=0
h5diff -q --exclude-attribute / --exclude-path /scenario "$dir/best.h5" "$dir/other.h5" || status=$?
[[ $status == 1 ]] || { echo "h5diff blind to another seed (exit $status)" >&2; exit 1; }
echo "control: another seed differs"

status=0
AIDFLOW_ISA=sse9 "$aidflow" run "$scenario" -o "$dir/bad.h5" -q 2>"$dir/bad.err" || status=$?
[[ $status == 2 ]] || { echo "AIDFLOW_ISA=sse9 gave exit $status, not 2" >&2; exit 1; }
grep -q "expected baseline, avx2 or avx512" "$dir/bad.err"
echo "an unknown AIDFLOW_ISA is refused: $(cat "$dir/bad.err")"
