#!/usr/bin/env bash
# Benchmark (not part of the test suite): the national-resolution scenario on 1 and 2 threads.
# Prints household-steps per second (whole stepping and the household phase), the wall time split
# into start-up, stepping by phase and output, peak memory, bytes of household state per
# household, this machine's memory bandwidth (a STREAM-style triad, measured in the same
# invocation), the household phase's ratio to the bandwidth bound, and its tasks: how many, the
# largest one's share of the work (and the serial steps' between the rounds of split districts)
# and the work-span speed-up bound for 16 and 32 workers. Each
# figure is the median of REPEATS runs (timings on a shared machine are noisy). Asserts nothing:
# the targets of issues 10 and 22 are printed beside the figures.
# Usage: bash tests/bench/national.sh [build dir]   (env: HOUSEHOLDS, STEPS, REPEATS, THREADS)
# A smoke run: HOUSEHOLDS=20000 STEPS=10 REPEATS=1 bash tests/bench/national.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
households=${HOUSEHOLDS:-national}  # one agent per household (scenarios/national.yaml)
steps=${STEPS:-209}  # the status quo's horizon: Jan 2022 to Dec 2025
repeats=${REPEATS:-3}
threads_list=${THREADS:-1 2}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

for threads in $threads_list; do
  for r in $(seq "$repeats"); do
    "$build/sim/aidflow" run "$root/scenarios/national.yaml" -o "$dir/run.h5" --force --timings \
      --steps "$steps" --threads "$threads" --set "run.households=$households" \
      >"$dir/t$threads.r$r.txt"
  done
done
"$build/tests/kernels_bench" --benchmark_filter='BM_Triad' --benchmark_repetitions="$repeats" \
  --benchmark_report_aggregates_only=true --benchmark_format=json >"$dir/triad.json" 2>/dev/null

PYTHONPATH="$root/tests/bench" /usr/bin/python3 - "$dir" "$threads_list" "$steps" <<'PY'
import json, sys
from pathlib import Path
from timings import medians, read_figures
d, threads_list, steps = Path(sys.argv[1]), [int(t) for t in sys.argv[2].split()], int(sys.argv[3])

runs = {t: [read_figures(p) for p in sorted(d.glob(f"t{t}.r*.txt"))] for t in threads_list}
med = {t: medians(rs) for t, rs in runs.items()}
triad = {}
for b in json.loads((d / "triad.json").read_text())["benchmarks"]:
    if b.get("aggregate_name", "median") == "median":
        triad[int(b["run_name"].split("/")[1].split("/")[0])] = b["bytes_per_second"]

first = med[threads_list[0]]
isa = next((" ".join(line.split()[2:]) for line in
            (d / f"t{threads_list[0]}.r1.txt").read_text().splitlines()
            if line.startswith("isa ")), "unknown")
households = int(first["households"])
state_bytes = first["household_bytes"]
# The household phase streams every column in and need, aid received and displacement out.
moved = state_bytes + 8 + 8 + 1
print(f"national scenario: {households:,} households x {steps} steps "
      f"(medians of {len(runs[threads_list[0]])} runs each); household kernels: {isa} "
      "(AIDFLOW_ISA=baseline|avx2|avx512 to compare)")
print(f"{'threads':>8} {'total s':>8} {'startup':>8} {'stepping':>9} {'output':>7} "
      f"{'hh-steps/s':>11} {'hh phase/s':>11} {'peak MiB':>9}")
for t in threads_list:
    m = med[t]
    print(f"{t:>8} {m['total']:>8.2f} {m['startup']:>8.2f} {m['stepping']:>9.2f} "
          f"{m['output']:>7.2f} {households * steps / m['stepping'] / 1e6:>10.1f}M "
          f"{m['household_phase'] / 1e6:>10.1f}M {m['peak_rss_mib']:>9.0f}")
last = med[threads_list[-1]]
print("stepping by phase, seconds (threads " + ", ".join(map(str, threads_list)) + "):")
for k in [k for k in last if k.startswith("phase:")] + ["recorders"]:
    print(f"  {k.removeprefix('phase:'):<14}" + "".join(f"{med[t][k]:>9.3f}" for t in threads_list))
if len(threads_list) > 1:
    a, b = med[threads_list[0]], med[threads_list[-1]]
    print(f"speed-up {threads_list[0]} -> {threads_list[-1]} threads: stepping "
          f"{a['stepping'] / b['stepping']:.2f}x, household phase "
          f"{b['household_phase'] / a['household_phase']:.2f}x")
print(f"household state: {state_bytes:.0f} bytes a household; the household phase moves about "
      f"{moved:.0f} bytes a household-step")
for t in threads_list:
    if t not in triad:
        continue
    bound = triad[t] / moved
    ratio = med[t]["household_phase"] / bound
    kind = "memory" if ratio > 0.5 else "arithmetic (random draws, divisions, rations)"
    print(f"memory bandwidth (triad, {t} thread{'s' if t > 1 else ''}): {triad[t] / 1e9:.1f} GB/s"
          f" -> bound {bound / 1e6:.0f}M household-steps/s; household phase at {ratio:.0%} of it:"
          f" bound by {kind}")
# How the household phase would spread over a larger arena: its tasks' measured times on one
# thread (on more, tasks wait for memory and for each other) give the work-span bound.
tm = med[threads_list[0]]
# Builds from before large districts were split print no block figures.
print(f"household tasks: {tm['household_tasks']:.0f} ({tm.get('household_blocks', 0):.0f} blocks of "
      f"split districts); the largest {tm['largest_task_share']:.1%} of the phase's work, the serial "
      f"steps between rounds {tm.get('serial_share', 0):.1%}; work-span speed-up bound on 16 "
      f"workers {tm['speedup_bound_16']:.1f}x, on 32 {tm['speedup_bound_32']:.1f}x "
      f"(threads {threads_list[0]})")
if 2 in med and 1 in med:
    m1, m2 = med[1], med[2]
    print("targets (issue 22): "
          f"national run < 8 s on 2 threads: {m2['total']:.1f} s; "
          f"household phase >= 220M/s: {m2['household_phase'] / 1e6:.0f}M; "
          f"1 -> 2 threads >= 1.8x: {m1['total'] / m2['total']:.2f}x (whole run); "
          f"no task above 3% of the phase: {m1['largest_task_share']:.1%}; "
          f"peak < 320 MiB on 2 threads: {m2['peak_rss_mib']:.0f} MiB")
    print("targets (issue 10): "
          f"national run < 15 s: {m2['total']:.1f} s; "
          f"household phase >= 120M/s on 2 threads: {m2['household_phase'] / 1e6:.0f}M; "
          f"2 threads >= 1.7x: {m1['total'] / m2['total']:.2f}x (whole run); "
          f"peak < 1 GB: {m2['peak_rss_mib']:.0f} MiB")
PY
