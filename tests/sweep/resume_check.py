"""A sweep killed with SIGKILL midway and resumed ends with every run present exactly once; runs
that had completed before the kill are byte-identical afterwards (file and record), a run file
cut short is detected and redone, and no temporary file is left.

Usage: resume_check.py AIDFLOW SWEEP_FILE
"""
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import xarray as xr

aidflow, sweep = sys.argv[1], sys.argv[2]
RUNS = 20


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def records(runs: Path) -> list:
    return sorted(runs.glob("run-*.json"))


def fail(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(1)


with tempfile.TemporaryDirectory() as tmp:
    out = Path(tmp) / "sweep"
    runs = out / "runs"
    cmd = [aidflow, "sweep", sweep, "-o", str(out), "--workers", "2", "-q"]
    job = subprocess.Popen(cmd)
    deadline = time.monotonic() + 300
    while len(records(runs)) < 5 if runs.exists() else True:
        if job.poll() is not None or time.monotonic() > deadline:
            fail(f"the sweep ended (exit {job.returncode}) before it could be killed midway")
        time.sleep(0.05)
    job.send_signal(signal.SIGKILL)
    job.wait()
    done = records(runs)
    if not 5 <= len(done) < RUNS:
        fail(f"{len(done)} records at the kill: not midway")
    before = {}
    for record in done:
        h5 = record.with_suffix(".h5")
        before[record.name] = digest(record)
        before[h5.name] = digest(h5)
    print(f"killed with {len(done)} of {RUNS} runs recorded")

    # A run file cut short after its record was written must not be trusted.
    cut = done[0].with_suffix(".h5")
    with open(cut, "r+b") as f:
        f.truncate(cut.stat().st_size // 2)
    del before[cut.name], before[done[0].name]

    again = subprocess.run(cmd, capture_output=True, text=True)
    if again.returncode == 0:
        fail("a second sweep into the same directory without --resume succeeded")
    if "--resume" not in again.stderr:
        fail(f"the refusal does not mention --resume: {again.stderr}")
    resumed = subprocess.run(cmd + ["--resume"], capture_output=True, text=True)
    if resumed.returncode != 0:
        fail(f"--resume exited {resumed.returncode}: {resumed.stderr}")

    for name, value in before.items():
        if digest(runs / name) != value:
            fail(f"{name} completed before the kill but changed after --resume")
    names = sorted(p.name for p in runs.iterdir())
    expected = sorted([f"run-{i:06d}.h5" for i in range(RUNS)] + [f"run-{i:06d}.json" for i in range(RUNS)])
    if names != expected:
        fail(f"run directory after --resume: {names}")
    leftovers = [p.name for p in out.rglob(".*partial*")]
    if leftovers:
        fail(f"temporary files left: {leftovers}")
    index = xr.open_dataset(out / "sweep.h5", engine="h5netcdf").to_dataframe()
    if len(index) != RUNS or (index.status != "complete").any() or index.path.duplicated().any():
        fail(f"index after --resume:\n{index[['path', 'status']]}")
    with xr.open_dataset(cut, engine="h5netcdf") as redone:
        if redone.attrs["status"] != "complete":
            fail("the run cut short was not redone")
    print(f"resumed: {RUNS} runs once each, {len(before) // 2} byte-identical, the cut file redone")
