"""Benchmark (not part of the test suite): the shipped calibration at its shipped size
(scenarios/calibration/isis_khorasan.yaml: 13 parameters, 10 fitted targets and 5 held out,
2 waves of 400 points x 3 replicates), on two workers.

    /usr/bin/python3 tests/bench/calibration.py [--workers 2] [--out DIR]

Prints the machine's load before and after (the machine may be shared), the runs and the share
kept in each wave, the wall time, and the fit per target (the posterior predictive band of every
run of every NROY point against each target, fitted and held out). Uses AIDFLOW_BIN, else
build/sim/aidflow, and the installed aidflow_analysis. Asserts nothing; the issue's budget (under
an hour on two idle cores) is printed beside the time.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import xarray as xr

from aidflow_analysis import calibrate, posterior

REPO = Path(__file__).resolve().parents[2]
CALIBRATION = REPO / "scenarios" / "calibration" / "isis_khorasan.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="keep the calibration here")
    args = parser.parse_args()
    aidflow = os.environ.get("AIDFLOW_BIN", str(REPO / "build" / "sim" / "aidflow"))
    out = args.out or Path(tempfile.mkdtemp(prefix="aidflow-bench-calibration-"))
    cal = calibrate.load_calibration(CALIBRATION, REPO / "data" / "targets.csv")
    fitted = sum(not t.held_out for t in cal.targets)
    print(f"{cal.name}: {len(cal.parameters)} parameters, {fitted} targets fitted, "
          f"{len(cal.targets) - fitted} held out; {cal.waves} waves of {cal.points} points x "
          f"{cal.replicates} replicates; {args.workers} workers")
    print("load average before: %.2f %.2f %.2f" % os.getloadavg())
    start = time.monotonic()
    result = calibrate.calibrate(cal, out, calibrate.SweepRunner(aidflow, args.workers))
    calibrate.write(cal, result, out)
    wall = time.monotonic() - start
    print("load average after:  %.2f %.2f %.2f" % os.getloadavg())
    runs = len(result.points) * cal.replicates
    print(f"{runs} runs in {wall:.0f} s ({wall / 60:.1f} min; budget 60 min), "
          f"{runs / wall:.1f} runs/s")
    for wave in sorted(set(result.points.wave)):
        of = result.points[result.points.wave == wave]
        kept = int((~of.ruled_out).sum())
        print(f"wave {wave}: {len(of)} points, {kept} kept ({kept / len(of):.0%})")
    print(f"stop: {result.stop}")
    if result.best is not None:
        with xr.open_dataset(out / posterior.POSTERIOR) as ds:
            print(calibrate.predictive_summary(posterior.predictive_band(ds.load())))
    print(f"output: {out}")


if __name__ == "__main__":
    main()
