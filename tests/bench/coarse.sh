#!/usr/bin/env bash
# Benchmark (not part of the test suite): the status quo at coarse resolutions, where sweeps and
# calibration run: household-steps per second of the whole step (every phase and the recorders)
# and of the household phase alone, the household phase's tasks (how many, the largest one's
# share of the work), and peak memory, at 2,000, 20,000 and 200,000 households on 1 and 2
# threads. Each figure is the median of REPEATS runs (timings on a shared machine are noisy).
# Household-steps count every household agent, those hosted abroad included, as --timings does.
# Asserts nothing: the targets of issue 22 are printed beside the figures.
# Usage: bash tests/bench/coarse.sh [build dir]   (env: HOUSEHOLDS, STEPS, REPEATS, THREADS)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
households_list=${HOUSEHOLDS:-2000 20000 200000}
steps=${STEPS:-52}
repeats=${REPEATS:-5}
threads_list=${THREADS:-1 2}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Interleaved (1 thread, 2 threads, 1, 2, ...) so that a change in the machine's load touches
# both alike.
for households in $households_list; do
  for r in $(seq "$repeats"); do
    for threads in $threads_list; do
      "$build/sim/aidflow" run "$root/scenarios/status_quo.yaml" -o "$dir/run.h5" --force \
        --timings --steps "$steps" --threads "$threads" --set "run.households=$households" \
        >"$dir/h$households.t$threads.r$r.txt"
    done
  done
done

/usr/bin/python3 - "$dir" "$households_list" "$threads_list" "$steps" <<'PY'
import statistics, sys
from pathlib import Path
d, households_list = Path(sys.argv[1]), [int(h) for h in sys.argv[2].split()]
threads_list, steps = [int(t) for t in sys.argv[3].split()], int(sys.argv[4])

def figures(path):
    out = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in ("timing", "rate", "memory", "tasks"):
            out[parts[1]] = float(parts[2])
    return out

med = {}
for h in households_list:
    for t in threads_list:
        runs = [figures(p) for p in sorted(d.glob(f"h{h}.t{t}.r*.txt"))]
        med[h, t] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        # Builds from before the household tasks were timed print no task figures.
        med[h, t].setdefault("household_tasks", float("nan"))
        med[h, t].setdefault("largest_task_share", float("nan"))
print(f"status quo, {steps} steps, medians of {len(runs)} runs each (household agents include "
      "those hosted abroad)")
print(f"{'households':>10} {'agents':>8} {'threads':>7} {'stepping s':>10} {'whole step/s':>13} "
      f"{'hh phase/s':>11} {'tasks':>6} {'largest':>8} {'peak MiB':>9}")
for h in households_list:
    for t in threads_list:
        m = med[h, t]
        print(f"{h:>10} {m['households']:>8.0f} {t:>7} {m['stepping']:>10.3f} "
              f"{m['all_phases'] / 1e6:>12.1f}M {m['household_phase'] / 1e6:>10.1f}M "
              f"{m['household_tasks']:>6.0f} {m['largest_task_share']:>8.1%} "
              f"{m['peak_rss_mib']:>9.0f}")
    if len(threads_list) > 1:
        a, b = med[h, threads_list[0]], med[h, threads_list[-1]]
        print(f"{'':>10} {threads_list[0]} -> {threads_list[-1]} threads: whole step "
              f"{a['stepping'] / b['stepping']:.2f}x")
if (20000, 1) in med and (20000, 2) in med:
    one, two = med[20000, 1]["all_phases"], med[20000, 2]["all_phases"]
    print(f"targets (issue 22) at 20,000 households: whole step >= 65M/s on 1 thread: "
          f"{one / 1e6:.1f}M; >= 1.6x that on 2: {two / one:.2f}x")
PY
