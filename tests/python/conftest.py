"""Fixtures that run the real `aidflow` binary once per session and share its output.

The binary comes from AIDFLOW_BIN or build/sim/aidflow under the repository root. Test helpers
built with it (write_event_fixture) come from AIDFLOW_BUILD_DIR, else the build directory holding
AIDFLOW_BIN when that is <build>/sim/aidflow, else build/. A missing binary fails every test that needs it: skipping would let a
broken build pass CI.

The package under test is the INSTALLED aidflow_analysis (tests/run_all.sh installs it into a
private stage, `cmake --install build --prefix build/stage`, and puts that on PYTHONPATH): the
session stops at once, saying what to do, if the package imported is the source tree itself or
differs in any file from it, so a forgotten reinstall cannot pass silently.
"""
from __future__ import annotations

import filecmp
import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BASELINE = REPO_ROOT / "scenarios" / "status_quo.yaml"
PACKAGE_SOURCE = REPO_ROOT / "analysis" / "aidflow_analysis"
STEPS = 60
INSTALL_HINT = ("install it first: cmake --install build --prefix build/stage, then run pytest "
                "with PYTHONPATH=build/stage/lib/python3.X/site-packages (bash tests/run_all.sh "
                "does both)")


def _package_files(directory: Path) -> set:
    """The package's files as the source has them: the compiled module (_engine*.so, built and
    installed by cmake) is no source file."""
    return {p.relative_to(directory) for p in directory.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".so")}


def installed_package_problem() -> str | None:
    """Why the importable aidflow_analysis is not an up-to-date installed copy (None if it is)."""
    try:
        import aidflow_analysis
    except ImportError as error:
        return f"aidflow_analysis cannot be imported ({error}): {INSTALL_HINT}"
    installed = Path(aidflow_analysis.__file__).resolve().parent
    if installed == PACKAGE_SOURCE.resolve():
        return (f"aidflow_analysis was imported from the source tree ({installed}), not from an "
                f"installed copy: {INSTALL_HINT}")
    source_files, installed_files = _package_files(PACKAGE_SOURCE), _package_files(installed)
    missing = sorted(map(str, source_files - installed_files))
    extra = sorted(map(str, installed_files - source_files))
    differ = sorted(str(f) for f in source_files & installed_files
                    if not filecmp.cmp(PACKAGE_SOURCE / f, installed / f, shallow=False))
    if not list(installed.glob("_engine*.so")):
        return (f"the installed aidflow_analysis ({installed}) has no compiled module _engine "
                f"(aidflow_analysis.run and .sweep): {INSTALL_HINT}")
    if missing or extra or differ:
        what = "; ".join(f"{label}: {', '.join(names)}" for label, names in
                         (("differ", differ), ("missing", missing), ("not in the source", extra))
                         if names)
        return (f"the installed aidflow_analysis ({installed}) is stale against "
                f"{PACKAGE_SOURCE} ({what}): {INSTALL_HINT}")
    return None


# Examples of the README and docs that are not run, and why (test_doc_examples.py), for the
# summary at the end of the session.
NOT_RUN = pytest.StashKey[list]()


def pytest_configure(config: pytest.Config) -> None:
    problem = installed_package_problem()
    if problem:
        raise pytest.UsageError(problem)
    config.stash[NOT_RUN] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Under pytest-xdist (tests/run_all.sh runs two processes) a worker hands its notes to the
    process that prints the summary."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["not_run"] = session.config.stash.get(NOT_RUN, [])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    node.config.stash[NOT_RUN].extend(node.workeroutput.get("not_run", []))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    notes = config.stash.get(NOT_RUN, [])
    if notes:
        terminalreporter.section(f"{len(notes)} documentation examples not run, and why")
        for note in notes:
            terminalreporter.write_line(note)


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
    binary = Path(os.environ.get("AIDFLOW_BIN", "")).absolute()
    if binary.parent.name == "sim":  # <build>/sim/aidflow; an installed one is in <prefix>/bin
        return binary.parents[1]
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
