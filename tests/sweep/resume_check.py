"""A sweep killed with SIGKILL midway and resumed loses nothing: its outcome store is the one an
uninterrupted sweep writes (h5diff on every dataset), every run is there exactly once, and no
temporary file is left. With run files kept, the files of runs that had completed before the kill
are byte-identical afterwards and a run file cut short is detected and redone; without them (the
store only), the journal alone carries the runs across the kill.

Usage: resume_check.py AIDFLOW SWEEP_FILE
"""
import hashlib
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import xarray as xr

aidflow, sweep = sys.argv[1], sys.argv[2]
RUNS = 20


def fail(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(1)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def journaled(out: Path) -> set:
    """Run numbers of the whole entries in the sweep's journal files (each: b"AFJ1", payload
    length, checksum, then the payload, which starts with the run number)."""
    runs = set()
    for part in (out / "journal").glob("*.bin"):
        data, at = part.read_bytes(), 0
        while at + 24 <= len(data) and data[at:at + 4] == b"AFJ1":
            length = struct.unpack_from("<I", data, at + 4)[0]
            if at + 16 + length > len(data):
                break
            runs.add(struct.unpack_from("<q", data, at + 16)[0])
            at += 16 + length
    return runs


def journal_entries(out: Path) -> int:
    return len(journaled(out))


def same_store(a: Path, b: Path, *exclude: str) -> None:
    cmd = ["h5diff", "--exclude-attribute", "/", "--exclude-attribute", "/run",
           "--exclude-path", "/wall_seconds"]
    for path in exclude:
        cmd += ["--exclude-path", path]
    done = subprocess.run(cmd + [str(a), str(b)], capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"the store after --resume differs from an uninterrupted sweep's:\n{done.stdout}")


def kill_midway(cmd: list, out: Path) -> int:
    """Start the sweep, SIGKILL it once 5 runs are journaled, return how many were."""
    job = subprocess.Popen(cmd)
    deadline = time.monotonic() + 300
    while journal_entries(out) < 5:
        if job.poll() is not None or time.monotonic() > deadline:
            fail(f"the sweep ended (exit {job.returncode}) before it could be killed midway")
        time.sleep(0.02)
    job.send_signal(signal.SIGKILL)
    job.wait()
    done = journal_entries(out)
    if not 5 <= done < RUNS:
        fail(f"{done} runs journaled at the kill: not midway")
    return done


def resume(cmd: list, out: Path) -> None:
    again = subprocess.run(cmd, capture_output=True, text=True)
    if again.returncode == 0:
        fail("a second sweep into the same directory without --resume succeeded")
    if "--resume" not in again.stderr:
        fail(f"the refusal does not mention --resume: {again.stderr}")
    resumed = subprocess.run(cmd + ["--resume"], capture_output=True, text=True)
    if resumed.returncode != 0:
        fail(f"--resume exited {resumed.returncode}: {resumed.stderr}")
    leftovers = [p.name for p in out.rglob(".*partial*")]
    if leftovers:
        fail(f"temporary files left: {leftovers}")
    with xr.open_dataset(out / "sweep.h5") as store:
        status = store["status"].to_series()
    if len(status) != RUNS or (status != "complete").any():
        fail(f"store after --resume:\n{status}")


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    base = [aidflow, "sweep", sweep, "--workers", "2", "-q"]
    reference = tmp / "reference"
    subprocess.run(base + ["-o", str(reference)], check=True)

    # Run files kept (a sweep this small keeps them by default).
    out = tmp / "kept"
    cmd = base + ["-o", str(out)]
    done = kill_midway(cmd, out)
    runs = out / "runs"
    # A file renamed just before the kill, its entry not yet written, is redone: not compared.
    before = {f"run-{r:06d}.h5": digest(runs / f"run-{r:06d}.h5") for r in journaled(out)}
    print(f"killed with {done} of {RUNS} runs journaled")
    cut = runs / sorted(before)[0]  # a run file cut short after its entry was written
    with open(cut, "r+b") as f:
        f.truncate(cut.stat().st_size // 2)
    del before[cut.name]
    resume(cmd, out)
    for name, value in before.items():
        if digest(runs / name) != value:
            fail(f"{name} completed before the kill but changed after --resume")
    names = sorted(p.name for p in runs.iterdir())
    if names != [f"run-{i:06d}.h5" for i in range(RUNS)]:
        fail(f"run directory after --resume: {names}")
    with xr.open_dataset(cut) as redone:
        if redone.attrs["status"] != "complete":
            fail("the run cut short was not redone")
    same_store(reference / "sweep.h5", out / "sweep.h5")
    print(f"resumed: {RUNS} runs once each, {len(before)} byte-identical, the cut file redone, "
          "the store as an uninterrupted sweep's")

    # The store only: nothing but the journal survives the kill.
    out = tmp / "store_only"
    cmd = base + ["-o", str(out), "--no-keep-runs"]
    done = kill_midway(cmd, out)
    resume(cmd, out)
    if (out / "runs").exists():
        fail("--no-keep-runs wrote run files")
    same_store(reference / "sweep.h5", out / "sweep.h5", "/path")
    print(f"store only: killed with {done} journaled, resumed to the store of an uninterrupted sweep")
