"""Many runs, end to end: how fast sweeps run, their outcomes read, run files open, and runs go
from Python in-process, on this machine. Prints figures against the targets of the README's
"Many runs" section; asserts nothing (a benchmark, not a timed test).

    /usr/bin/python3 tests/bench/many_runs.py [--quick] [--perf]

Uses `aidflow` (AIDFLOW_BIN, else the one on the PATH) and the installed aidflow_analysis.
Sweeps write the outcome store only (what a sweep of more than 100 runs does), one thread per
worker; the policy-grid size is also timed with every run file kept. `--perf` records the
2-worker sweeps with `perf record` (linux-perf) and prints the share of samples by thread and
library; `--quick` makes every count small (a check that the benchmark still runs).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List

sys.path.insert(0, str(Path(__file__).resolve().parent))
from read_rate import REFERENCE, best, simulate  # noqa: E402  (this directory's helpers)

import aidflow_analysis as aa  # noqa: E402

GRID = """name: {name}
scenario: {scenario}
set: [run.households={households}, run.steps={steps}]
parameters:
  - path: policy.humanitarian_only
    values: [false, true]
  - path: policy.monitoring.third_party
    values: [0, 0.8]
design: {{kind: factorial}}
replicates: {replicates}
seed: 1
"""


@dataclass
class Size:
    households: int
    steps: int
    runs: int  # a multiple of 4 (the 2 x 2 grid)
    target: int  # runs/hour on 2 workers the README promises; 0: none

    @property
    def name(self) -> str:
        return f"{self.households:,} x {self.steps} weeks"


def sweep_file(directory: Path, size: Size) -> Path:
    path = directory / f"grid-{size.households}-{size.steps}-{size.runs}.yaml"
    path.write_text(GRID.format(name="bench", scenario=REFERENCE, households=size.households,
                                steps=size.steps, replicates=size.runs // 4), encoding="utf-8")
    return path


def sweep(aidflow: str, file: Path, out: Path, workers: int, *extra: str,
          perf: Path | None = None) -> float:
    """Seconds of `aidflow sweep` with `workers` workers of one thread each."""
    shutil.rmtree(out, ignore_errors=True)
    command = [aidflow, "sweep", str(file), "-o", str(out), "--workers", str(workers),
               "--threads", "1", "-q", *extra]
    if perf:
        command = ["perf", "record", "-q", "-F", "999", "-o", str(perf), "--", *command]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def timings(aidflow: str, file: Path, out: Path) -> List[str]:
    """The sweep's own account of its runs' time (--timings), 2 workers."""
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run([aidflow, "sweep", str(file), "-o", str(out), "--workers", "2",
                           "--threads", "1", "--timings", "--no-keep-runs"],
                          check=True, capture_output=True, text=True)
    lines = done.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("timings"))
    return [line for line in lines[start + 1:] if line.startswith("  ")]


def perf_shares(data: Path) -> List[str]:
    """Share of perf samples by thread name and library, the largest first."""
    done = subprocess.run(["perf", "report", "-i", str(data), "--stdio", "--no-children",
                           "--sort", "comm,dso", "-g", "none", "--percent-limit", "2"],
                          check=True, capture_output=True, text=True)
    return [line.rstrip() for line in done.stdout.splitlines()
            if line.strip() and not line.startswith("#")]


def rate(runs: int, seconds: float) -> float:
    return runs * 3600 / seconds


def sweeps(aidflow: str, work: Path, sizes: List[Size], use_perf: bool) -> None:
    print("Sweeps, runs/hour (outcome store only, 1 thread per worker):")
    print(f"  {'size':<34}{'runs':>6}{'1 worker':>12}{'2 workers':>12}{'speed-up':>10}"
          f"{'target':>10}")
    for size, keep in [(s, False) for s in sizes] + [(sizes[0], True)]:
        file = sweep_file(work, size)
        extra = ("--keep-runs",) if keep else ("--no-keep-runs",)
        one = sweep(aidflow, file, work / "one", 1, *extra)
        two = sweep(aidflow, file, work / "two", 2, *extra)
        name = size.name + (", run files kept" if keep else "")
        target = f"{size.target:,}" if size.target and not keep else ""
        print(f"  {name:<34}{size.runs:>6}{rate(size.runs, one):>12,.0f}"
              f"{rate(size.runs, two):>12,.0f}{one / two:>9.2f}x{target:>10}")
    print("  (targets on 2 workers; the speed-up's target is 1.8x)")
    print("Where the runs' time goes (aidflow sweep --timings, 2 workers, seconds of the workers):")
    for size in sizes:
        print(f"  {size.name}:")
        for line in timings(aidflow, sweep_file(work, size), work / "timed"):
            print(f"  {line}")
    if use_perf:
        for keep in (False, True):
            data = work / "perf.data"
            sweep(aidflow, sweep_file(work, sizes[0]), work / "perf", 2,
                  "--keep-runs" if keep else "--no-keep-runs", perf=data)
            kept = "run files kept" if keep else "outcome store only"
            print(f"perf samples by thread and library, {sizes[0].name}, 2 workers, {kept}:")
            for line in perf_shares(data):
                print(f"  {line}")


def reading(aidflow: str, work: Path, store_runs: List[int], files: int) -> None:
    print("Reading a sweep's declared outcomes (open_sweep, best of 3):")
    for runs in store_runs:
        # The store's size is what counts, not the runs': the smallest runs the country allows.
        size = Size(households=421, steps=1, runs=runs, target=0)  # one agent per district
        made = sweep(aidflow, sweep_file(work, size), work / f"store{runs}", 2, "--no-keep-runs")
        directory = work / f"store{runs}"
        ema = best(3, lambda: aa.open_sweep(directory).ema())
        tidy = best(3, lambda: aa.open_sweep(directory).tidy())
        outcomes = len(aa.open_sweep(directory).outcomes)
        print(f"  {runs:>6,} runs x {outcomes} outcomes: (experiments, outcomes) {ema:.3f} s, "
              f"tidy table {tidy:.3f} s (target < 2 s for 10,000; the store took {made:.1f} s)")
    print(f"Run files of 4,000 households x 104 weeks ({files} files, best of 3):")
    out = work / "files"
    out.mkdir()
    simulated = best(1, lambda: simulate(aidflow, out, files, 4000, 104))
    paths = sorted(out.glob("*.h5"))
    indicators = best(3, lambda: [aa.open_run(p).indicators for p in paths])
    stacked = best(3, lambda: aa.open_runs(paths))
    selected = best(3, lambda: aa.open_runs(paths, variables=["aid_diverted"]))
    print(f"  simulating (aidflow run)             {files / simulated:8.1f} files/s")
    print(f"  open_run + indicators                {files / indicators:8.1f} files/s "
          f"({simulated / indicators:.1f}x as fast as simulating; target >= 1x)")
    print(f"  open_runs, every root variable       {files / stacked:8.1f} files/s")
    print(f"  open_runs, one variable              {files / selected:8.1f} files/s")


def in_process(size: Size, runs: int) -> None:
    def one_by_one() -> None:
        for seed in range(1, runs + 1):
            aa.run(REFERENCE, seed=seed, threads=1, outcomes={"diverted": "sum(aid_diverted)"},
                   set={"run.households": size.households, "run.steps": size.steps})

    seconds = best(1, one_by_one)
    print(f"In-process (aidflow_analysis.run, {size.name}, 1 thread, one outcome): "
          f"{rate(runs, seconds):,.0f} runs/hour ({seconds / runs * 1000:.1f} ms a run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts: a check it runs")
    parser.add_argument("--perf", action="store_true", help="perf record the 2-worker sweeps")
    args = parser.parse_args()
    aidflow = os.environ.get("AIDFLOW_BIN") or shutil.which("aidflow")
    if not aidflow:
        raise SystemExit("aidflow not found: install it (README) or set AIDFLOW_BIN")
    if args.perf and not shutil.which("perf"):
        raise SystemExit("--perf needs perf (Debian: apt-get install linux-perf)")
    quick = args.quick
    sizes = [Size(1000, 26, 8 if quick else 400, 250_000),
             Size(3000, 104, 4 if quick else 60, 120_000)]
    version = subprocess.run([aidflow, "--version"], capture_output=True, text=True).stdout
    print(f"{version.strip()}, {os.cpu_count()} cores")
    work = Path(tempfile.mkdtemp(prefix="aidflow-many-runs-"))
    try:
        sweeps(aidflow, work, sizes, args.perf)
        reading(aidflow, work, [8] if quick else [1000, 10000], 2 if quick else 8)
        in_process(sizes[0], 2 if quick else 40)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
