"""Every way an MPI sweep is stopped ends the whole job: SIGINT to rank 0 alone (it used to enter
MPI_Finalize while the other ranks waited at a barrier forever), or to another rank alone, ends
every rank within a minute with exit 130, keeps the finished runs and leaves no temporary file;
SIGINT to mpirun itself (Ctrl-C on it) does the same, but mpirun then exits 1, as Open MPI does;
`--resume` under mpirun then finishes the sweep with every run once.

Usage: mpi_stop.py AIDFLOW SWEEP_FILE
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import xarray as xr

aidflow, sweep = sys.argv[1], sys.argv[2]
RANKS, RUNS = 3, 6
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", str(RANKS)]


def fail(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(1)


def rank_pids(out: Path) -> dict:
    """{rank: pid} of the aidflow processes sweeping into `out`, from OMPI_COMM_WORLD_RANK."""
    ranks = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if argv[0] != aidflow.encode() or str(out).encode() not in argv:
                continue
            environ = (entry / "environ").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        env = dict(line.split("=", 1) for line in environ if "=" in line)
        if "OMPI_COMM_WORLD_RANK" in env:
            ranks[int(env["OMPI_COMM_WORLD_RANK"])] = int(entry.name)
    return ranks


def interrupt(out: Path, whom) -> None:
    """SIGINT to one rank (`whom` its number) or to mpirun itself (`whom` "mpirun", as Ctrl-C on
    it), once every rank is inside a run; the job must end within a minute."""
    job = subprocess.Popen(MPIRUN + [aidflow, "sweep", sweep, "-o", str(out), "--mpi", "-q"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(pids := rank_pids(out)) < RANKS or not (out / "runs").is_dir():
        if job.poll() is not None or time.monotonic() > deadline:
            fail(f"the MPI job did not start its {RANKS} ranks: {job.communicate()}")
        time.sleep(0.1)
    time.sleep(1.0)  # every rank is inside a run
    os.kill(job.pid if whom == "mpirun" else pids[whom], signal.SIGINT)
    what = "mpirun" if whom == "mpirun" else f"rank {whom} alone"
    try:
        _, stderr = job.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        job.kill()
        for pid in rank_pids(out).values():
            os.kill(pid, signal.SIGKILL)
        fail(f"SIGINT to {what}: the job hangs")
    if rank_pids(out):
        fail(f"SIGINT to {what}: ranks still running after mpirun ended: {rank_pids(out)}")
    if whom == "mpirun":
        # Open MPI's mpirun, interrupted itself, sends its ranks SIGTERM (then SIGKILL) and exits
        # 1 whatever they return (its documented behaviour; docs/SWEEPS.md says so).
        if job.returncode != 1:
            fail(f"SIGINT to mpirun: it exited {job.returncode}, not Open MPI's 1:\n{stderr}")
    else:
        if job.returncode != 130:
            fail(f"SIGINT to {what}: mpirun exited {job.returncode}, not 130:\n{stderr}")
        if "interrupted: finished runs are kept" not in stderr:
            fail(f"SIGINT to {what}: no message saying what was kept:\n{stderr}")
    leftovers = [p.name for p in out.rglob(".*partial*")]
    if leftovers:
        fail(f"SIGINT to {what}: temporary files left: {leftovers}")
    print(f"SIGINT to {what}: the job ended, exit {job.returncode}, "
          f"{len(list((out / 'runs').glob('*.h5')))} run files kept")


with tempfile.TemporaryDirectory() as tmp:
    for whom in (0, RANKS - 1, "mpirun"):
        out = Path(tmp) / f"stopped_{whom}"
        interrupt(out, whom)
        resumed = subprocess.run(MPIRUN + [aidflow, "sweep", sweep, "-o", str(out), "--mpi", "-q",
                                           "--resume"], capture_output=True, text=True, timeout=600)
        if resumed.returncode != 0:
            fail(f"--resume under mpirun exited {resumed.returncode}: {resumed.stderr}")
        index = xr.open_dataset(out / "sweep.h5").to_dataframe()
        if len(index) != RUNS or (index.status != "complete").any():
            fail(f"store after --resume:\n{index[['path', 'status']]}")
        print(f"resumed under mpirun: {RUNS} runs complete")
