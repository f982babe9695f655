"""Benchmark (not part of the test suite): the status quo at coarse resolutions, where sweeps and
calibration run.

    /usr/bin/python3 tests/bench/coarse.py [--households 2000 20000 200000] [--threads 1 2]
                                           [--steps 52] [--repeats 5]

Prints, as medians of REPEATS runs (timings on a shared machine are noisy; the thread counts run
interleaved so a change in the machine's load touches them alike): household-steps per second of
the whole step (every phase and the recorders) and of the household phase alone, the household
phase's tasks and the largest one's share of its work, and peak memory. Household-steps count
every household agent, those hosted abroad included, as --timings does. Uses AIDFLOW_BIN, else
build/sim/aidflow. Asserts nothing: the targets of issue 22 are printed beside the figures.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from pathlib import Path

from timings import figures, medians

REPO = Path(__file__).resolve().parents[2]


def run(aidflow: str, out: Path, households: int, threads: int, steps: int) -> dict:
    result = subprocess.run(
        [aidflow, "run", str(REPO / "scenarios" / "status_quo.yaml"), "-o", str(out), "--force",
         "--timings", "--steps", str(steps), "--threads", str(threads),
         "--set", f"run.households={households}"], check=True, capture_output=True, text=True)
    return figures(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, nargs="+", default=[2000, 20000, 200000])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--steps", type=int, default=52)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    aidflow = os.environ.get("AIDFLOW_BIN") or str(REPO / "build" / "sim" / "aidflow")
    print(f"status quo, {args.steps} steps, medians of {args.repeats} runs each (household agents "
          "include those hosted abroad)")
    print(f"{'households':>10} {'agents':>8} {'threads':>7} {'stepping s':>10} "
          f"{'whole step/s':>13} {'hh phase/s':>11} {'tasks':>6} {'largest':>8} {'peak MiB':>9}")
    med = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.h5"
        for h in args.households:
            runs = {t: [] for t in args.threads}
            for _ in range(args.repeats):
                for t in args.threads:
                    runs[t].append(run(aidflow, out, h, t, args.steps))
            for t in args.threads:
                m = med[h, t] = medians(runs[t])
                # Builds from before the household tasks were timed print no task figures.
                tasks, share = m.get("household_tasks", float("nan")), m.get(
                    "largest_task_share", float("nan"))
                print(f"{h:>10} {m['households']:>8.0f} {t:>7} {m['stepping']:>10.3f} "
                      f"{m['all_phases'] / 1e6:>12.1f}M {m['household_phase'] / 1e6:>10.1f}M "
                      f"{tasks:>6.0f} {share:>8.1%} {m['peak_rss_mib']:>9.0f}")
            if len(args.threads) > 1:
                a, b = med[h, args.threads[0]], med[h, args.threads[-1]]
                print(f"{'':>10} {args.threads[0]} -> {args.threads[-1]} threads: whole step "
                      f"{a['stepping'] / b['stepping']:.2f}x")
    if (20000, 1) in med and (20000, 2) in med:
        one, two = med[20000, 1]["all_phases"], med[20000, 2]["all_phases"]
        print(f"targets (issue 22) at 20,000 households: whole step >= 65M/s on 1 thread: "
              f"{one / 1e6:.1f}M; >= 1.6x that on 2: {two / one:.2f}x")


if __name__ == "__main__":
    main()
