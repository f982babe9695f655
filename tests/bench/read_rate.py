"""How fast aidflow_analysis reads run files, against simulating them and against the old reader.

    /usr/bin/python3 tests/bench/read_rate.py [--files 4] [--households 4000] [--steps 104] [--repeats 3]

Makes FILES baseline runs with `aidflow` (AIDFLOW_BIN, else the one on the PATH) and prints, as
files per second (best of REPEATS): simulating a run; the package's `open_run` with its
indicators, with every group; `open_runs` of all the files (every root variable, and two
selected variables); and, for comparison, what `open_run` and `open_runs` did before (xarray's
h5netcdf engine, groups loaded whole). Needs the installed aidflow_analysis. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, List

import xarray as xr

import aidflow_analysis as aa

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "scenarios" / "status_quo.yaml"  # the scenario every benchmark runs


def best(repeats: int, work: Callable[[], object]) -> float:
    """Fastest of `repeats` wall times of `work()`, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def simulate(aidflow: str, out: Path, count: int, households: int, steps: int) -> List[Path]:
    files = []
    for seed in range(1, count + 1):
        path = out / f"baseline-seed{seed}.h5"
        subprocess.run([aidflow, "run", str(REFERENCE), "-o", str(path),
                        "-q", "--force", "--seed", str(seed), "--steps", str(steps),
                        "--set", f"run.households={households}"], check=True)
        files.append(path)
    return files


def old_open_run(path: Path) -> None:
    """What open_run did before the netCDF4 reader: four groups through h5netcdf, loaded."""
    for group in (None, "ledger", "summary", "events"):
        with xr.open_dataset(path, engine="h5netcdf", group=group) as ds:
            ds.load()


def old_open_runs(paths: List[Path]) -> None:
    """What open_runs did before: per file, a check and the root group through h5netcdf."""
    datasets = []
    for path in paths:
        with xr.open_dataset(path, engine="h5netcdf", decode_times=False) as root:
            dict(root.attrs)
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            datasets.append(ds.load().drop_vars("scenario"))
    xr.concat(datasets, dim="run", join="outer", combine_attrs="drop_conflicts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--households", type=int, default=4000)
    parser.add_argument("--steps", type=int, default=104)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    aidflow = os.environ.get("AIDFLOW_BIN") or shutil.which("aidflow")
    if not aidflow:
        raise SystemExit("aidflow not found: install it (README) or set AIDFLOW_BIN")
    out = Path(tempfile.mkdtemp(prefix="aidflow-read-rate-"))
    try:
        n = args.files
        sim = best(1, lambda: simulate(aidflow, out, n, args.households, args.steps))
        files = sorted(out.glob("*.h5"))
        one = files[0]
        rows = [
            ("simulate (aidflow run)", n / sim),
            ("before: open_run, 4 groups (h5netcdf)", 1 / best(args.repeats, lambda: old_open_run(one))),
            ("open_run + indicators", 1 / best(args.repeats, lambda: aa.open_run(one).indicators)),
            ("open_run + every group (load)", 1 / best(args.repeats, lambda: aa.open_run(one).load())),
            (f"before: open_runs of {n} (h5netcdf)", n / best(1, lambda: old_open_runs(files))),
            (f"open_runs of {n}, every root variable",
             n / best(args.repeats, lambda: aa.open_runs(files))),
            (f"open_runs of {n}, 2 variables",
             n / best(args.repeats, lambda: aa.open_runs(files, variables=["aid_diverted",
                                                                           "faction_treasury"]))),
        ]
        print(f"{n} runs of {args.households} households x {args.steps} weeks, best of "
              f"{args.repeats}; files per second:")
        for name, rate in rows:
            print(f"  {name:<42} {rate:8.1f}")
        rate = dict(rows)
        print(f"open_run + indicators: {rate['open_run + indicators'] / rows[1][1]:.1f}x the old "
              f"open_run (every group: {rate['open_run + every group (load)'] / rows[1][1]:.1f}x); "
              f"open_runs: {rows[5][1] / rows[4][1]:.1f}x the old one; reading a run's indicators "
              f"is {rate['open_run + indicators'] / rows[0][1]:.1f}x as fast as simulating it")
    finally:
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
