"""Fixtures that run the real `aidflow` binary once per session and share its output.

The binary comes from AIDFLOW_BIN or build/sim/aidflow under the repository root. Test helpers
built with it (write_event_fixture) come from AIDFLOW_BUILD_DIR, else the build directory holding
AIDFLOW_BIN, else build/. A missing binary fails every test that needs it: skipping would let a
broken build pass CI.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BASELINE = REPO_ROOT / "scenarios" / "status_quo.yaml"
STEPS = 60

sys.path.insert(0, str(REPO_ROOT / "analysis"))


@pytest.fixture(scope="session")
def aidflow_bin() -> Path:
    path = Path(os.environ.get("AIDFLOW_BIN", REPO_ROOT / "build" / "sim" / "aidflow"))
    return _executable(path, "build it or set AIDFLOW_BIN")


def _executable(path: Path, hint: str) -> Path:
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{path.name} not found or not executable: {path} ({hint})")
    return path


@pytest.fixture(scope="session")
def build_dir() -> Path:
    if "AIDFLOW_BUILD_DIR" in os.environ:
        return Path(os.environ["AIDFLOW_BUILD_DIR"])
    if "AIDFLOW_BIN" in os.environ:
        return Path(os.environ["AIDFLOW_BIN"]).parents[1]  # <build>/sim/aidflow
    return REPO_ROOT / "build"


@pytest.fixture(scope="session")
def write_event_file(build_dir, tmp_path_factory):
    """Write a complete result file with `events` fixture events ("none": no event table)."""
    exe = _executable(build_dir / "tests" / "write_event_fixture", "build it or set AIDFLOW_BUILD_DIR")

    def write(events: str) -> Path:
        out = tmp_path_factory.mktemp("events") / f"events-{events}.h5"
        done = subprocess.run([str(exe), str(out), events], capture_output=True, text=True, timeout=120)
        if done.returncode != 0 or not out.is_file():
            pytest.fail(f"{exe} {out} {events} exited {done.returncode}:\n{done.stderr}")
        return out

    return write


@pytest.fixture(scope="session")
def run_aidflow(aidflow_bin, tmp_path_factory):
    """Run the baseline (or `scenario`) with extra arguments; return the result file's path."""

    def run(name: str, *args: str, scenario: str = str(BASELINE)) -> Path:
        out = tmp_path_factory.mktemp("runs") / f"{name}.h5"
        cmd = [str(aidflow_bin), "run", scenario, "-o", str(out), "--steps", str(STEPS), *args]
        done = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or not out.is_file():
            pytest.fail(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return out

    return run


@pytest.fixture(scope="session")
def baseline_file(run_aidflow) -> Path:
    return run_aidflow("baseline")


@pytest.fixture(scope="session")
def run(baseline_file):
    from aidflow_analysis import open_run

    return open_run(baseline_file)


@pytest.fixture(scope="session")
def replicates(run_aidflow):
    """Three seeds of the baseline and of humanitarian-only with monitoring, shared by tests."""
    policy = str(REPO_ROOT / "scenarios" / "humanitarian_monitoring.yaml")
    small = ("--set", "run.households=2000")
    base = [run_aidflow(f"base{s}", "--seed", str(s), *small) for s in (1, 2, 3)]
    other = [run_aidflow(f"hum{s}", "--seed", str(s), *small, scenario=policy) for s in (1, 2, 3)]
    return base, other
