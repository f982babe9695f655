"""Sweeps through the real binary, as a hostile user drives them (issue 15): a sweep directory is
never the current directory by accident, a sweep file with `extends` can be merged, an interrupt
during validation is obeyed, a resume or shard with other inputs is refused naming the file, runs
and journals of another sweep or damaged files are not trusted, two sweeps into one directory do
not both do the work, and a full disk stops the sweep without recording a failure.

The sweep files are in tests/sweep/ (tiny.yaml: 4 runs of the minimal valid scenario, well under
a second). AIDFLOW_BIN names the binary; the default is build/sim/aidflow.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import h5py

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("AIDFLOW_BIN") or REPO_ROOT / "build" / "sim" / "aidflow").resolve()
SWEEPS = REPO_ROOT / "tests" / "sweep"
TINY = SWEEPS / "tiny.yaml"
VALID_BASE = REPO_ROOT / "tests" / "bad_scenarios" / "_valid_base.yaml"


def aidflow(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    assert BIN.exists(), f"aidflow binary not found at {BIN}: build it first"
    kwargs.setdefault("capture_output", True)
    return subprocess.run([str(BIN), *map(str, args)], text=True, timeout=300, cwd=cwd, **kwargs)


def index_of(directory: Path) -> dict:
    """The store's status and label coordinates, and its parameter's if it has tiny.yaml's."""
    with h5py.File(directory / "sweep.h5", "r") as f:
        names = [n for n in ("status", "label", "third_party") if n in f]
        return {name: [v.decode() if isinstance(v, bytes) else v for v in f[name][()]]
                for name in names}


def test_an_empty_output_directory_is_refused_and_nothing_is_written(tmp_path):
    # `-o ''` wrote runs/, sweep.yaml and sweep.h5 into the current directory.
    result = aidflow("sweep", TINY, "-o", "", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr == 'error: -o: expected a directory name, got ""\n'
    assert list(tmp_path.iterdir()) == []


def test_an_output_directory_that_cannot_be_created_is_one_line_and_exit_2(tmp_path):
    # It was exit 1 and the file system library's raw "filesystem error: ..." text.
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    result = aidflow("sweep", TINY, "-o", blocker / "sub")
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"error: -o {blocker / 'sub'}: cannot create the sweep directory: "
                             "Not a directory\n")
    result = aidflow("sweep", TINY, "-o", blocker)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"error: -o {blocker} is a file, not a directory; give the directory "
                             "to sweep into\n")
    assert blocker.read_text() == "in the way"


def test_a_summary_that_cannot_be_printed_is_an_error(tmp_path):
    # With stdout on /dev/full the sweep exited 0.
    with open("/dev/full", "w") as full:
        result = aidflow("sweep", TINY, "-o", tmp_path / "s", stdout=full, stderr=subprocess.PIPE,
                         capture_output=False)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ("error: cannot write the summary to standard output (No space left "
                             f"on device); the result {tmp_path / 's' / 'sweep.h5'} is complete\n")


def test_an_empty_shard_is_refused(tmp_path):
    # `--shard ''` (an unset array variable) ran the whole sweep in every job.
    result = aidflow("sweep", TINY, "-o", tmp_path / "s", "--shard", "")
    assert result.returncode == 2, result.stderr
    assert result.stderr == ('error: --shard: expected K/N with 1 <= K <= N (this job\'s slice: K '
                             'of N), got ""\n')
    assert not (tmp_path / "s").exists()


def test_a_sweep_file_that_extends_another_is_stored_resolved_and_merges(tmp_path):
    # Only the file's own text was kept in DIR/sweep.yaml: sweep-merge failed, "extends: no such
    # file".
    out = tmp_path / "s"
    for shard in ("1/2", "2/2"):
        result = aidflow("sweep", SWEEPS / "tiny_extended.yaml", "-o", out, "--shard", shard, "-q")
        assert result.returncode == 0, result.stderr
    stored = (out / "sweep.yaml").read_text()
    assert "extends" not in stored.split("\n", 1)[1] and "third_party" in stored
    merged = aidflow("sweep-merge", out)
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout == f"store      {out / 'sweep.h5'} (6 complete, 0 failed, 0 missing)\n"


def test_an_interrupt_during_validation_stops_it_within_a_second(tmp_path):
    # 100,000 values take minutes to try on the scenario; SIGINT used to be ignored until then.
    job = subprocess.Popen([str(BIN), "sweep", str(SWEEPS / "long_values.yaml"), "-o",
                            str(tmp_path / "s")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    time.sleep(1.5)
    assert job.poll() is None, f"validation ended early: {job.communicate()}"
    sent = time.monotonic()
    job.send_signal(signal.SIGINT)
    stdout, stderr = job.communicate(timeout=60)
    waited = time.monotonic() - sent
    assert waited < 1.0, f"{waited:.1f} s from SIGINT to exit"
    assert job.returncode == 130, stderr
    assert (stdout, stderr) == ("", "interrupted: no output written\n")
    assert not (tmp_path / "s").exists()


def copy_of_inputs(tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    shutil.copytree(SWEEPS / "inputs", inputs)
    shutil.copy(VALID_BASE, inputs / "base.yaml")
    return inputs


def test_inputs_changed_between_shards_are_refused_naming_the_file(tmp_path):
    # Editing a file the scenario extends between --shard 1/2 and 2/2 gave a "complete" index
    # mixing two scenarios.
    inputs = copy_of_inputs(tmp_path)
    out = tmp_path / "s"
    assert aidflow("sweep", inputs / "sweep.yaml", "-o", out, "--shard", "1/2", "-q").returncode == 0
    base = inputs / "base.yaml"
    original = base.read_text()
    base.write_text(original.replace("steps: 4", "steps: 5"))
    refused = {"--shard 2/2": ["--shard", "2/2"], "--resume": ["--shard", "1/2", "--resume"]}
    for what, options in refused.items():
        result = aidflow("sweep", inputs / "sweep.yaml", "-o", out, *options, "-q")
        assert result.returncode == 2, (what, result.stderr)
        assert result.stderr == (f"error: {base}: changed since the sweep in {out} began "
                                 f"({out / 'inputs.txt'} lists what it read); a resume or shard "
                                 "must read the same inputs: restore it, or sweep into another "
                                 "directory\n"), what
    base.write_text(original)
    assert aidflow("sweep", inputs / "sweep.yaml", "-o", out, "--shard", "2/2", "-q").returncode == 0
    assert index_of_merged(out)["status"] == ["complete"] * 4


def test_a_table_changed_before_a_resume_is_refused_naming_it(tmp_path):
    # The scenario's tables (data/) were not among the inputs a sweep fingerprints: editing
    # districts.csv between a shard and a resume mixed runs of two countries in one store.
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(f"extends: {REPO_ROOT / 'scenarios' / 'status_quo.yaml'}\n"
                        f"geography: {{data: {data}}}\n")
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(f"name: tables\nscenario: {scenario}\n"
                     "set: [run.households=500, run.steps=2]\n"
                     "parameters:\n  - path: policy.monitoring.third_party\n    values: [0, 0.5]\n"
                     "replicates: 1\nseed: 1\n")
    out = tmp_path / "s"
    first = aidflow("sweep", sweep, "-o", out, "--shard", "1/2", "-q")
    assert first.returncode == 0, first.stderr
    assert f"table: {data / 'districts.csv'}" in (out / "inputs.txt").read_text()
    districts = data / "districts.csv"
    districts.write_text(districts.read_text().replace("4273156,4273156", "4273157,4273157", 1))
    result = aidflow("sweep", sweep, "-o", out, "--shard", "2/2", "-q")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"error: {districts}: changed since the sweep in {out} began")


def index_of_merged(out: Path) -> dict:
    merged = aidflow("sweep-merge", out)
    assert merged.returncode == 0, merged.stderr
    return index_of(out)


def test_runs_and_journals_of_another_sweep_are_not_trusted(tmp_path):
    # Copied in, they were merged as "complete": this sweep's labels beside the other's numbers.
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    assert aidflow("sweep", TINY, "-o", ours, "--shard", "1/2", "-q").returncode == 0
    assert aidflow("sweep", SWEEPS / "tiny_other.yaml", "-o", theirs, "-q").returncode == 0
    for run in (1, 3):
        name = f"run-{run:06d}.h5"
        shutil.copy(theirs / "runs" / name, ours / "runs" / name)
    for journal in (theirs / "journal").iterdir():
        shutil.copy(journal, ours / "journal" / ("theirs-" + journal.name))
    assert index_of_merged(ours)["status"] == ["complete", "missing", "complete", "missing"]
    # The slice they claimed to be is run for real (no "already holds finished runs").
    result = aidflow("sweep", TINY, "-o", ours, "--shard", "2/2", "-q")
    assert result.returncode == 0, result.stderr
    index = index_of_merged(ours)
    assert index["status"] == ["complete"] * 4
    assert index["third_party"] == [0, 0, 0.5, 0.5]
    with h5py.File(ours / "runs" / "run-000003.h5", "r") as f:
        assert f.attrs["label"] == index["label"][3]


def test_a_run_file_replaced_by_garbage_of_the_same_size_is_redone(tmp_path):
    out = tmp_path / "s"
    assert aidflow("sweep", TINY, "-o", out, "-q").returncode == 0
    damaged = out / "runs" / "run-000002.h5"
    damaged.write_bytes(os.urandom(damaged.stat().st_size))
    before = {p.name: p.read_bytes() for p in (out / "runs").iterdir() if p != damaged}
    result = aidflow("sweep", TINY, "-o", out, "--resume")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("sweep      tiny: 1 runs in ")
    with h5py.File(damaged, "r") as f:
        assert f.attrs["status"] == "complete"
    after = {p.name: p.read_bytes() for p in (out / "runs").iterdir() if p.name in before}
    assert after == before


def test_a_second_sweep_into_a_directory_in_use_is_refused(tmp_path):
    # Two identical sweeps into one -o at once both did all the work.
    out = tmp_path / "s"
    first = subprocess.Popen([str(BIN), "sweep", str(SWEEPS / "slow_grid.yaml"), "-o", str(out),
                              "-q", "--workers", "1"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (out / "inputs.txt").exists():
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.05)
        for options in ([], ["--shard", "1/2"], ["--resume"]):
            second = aidflow("sweep", SWEEPS / "slow_grid.yaml", "-o", out, "-q", *options)
            assert second.returncode == 2, (options, second.stderr)
            assert second.stderr == (f"error: -o {out}: another aidflow sweep is running into this "
                                     "directory" + (" as shard 1/2" if options[:1] == ["--shard"]
                                                    else "") +
                                     "; wait for it to end, or sweep into another directory\n")
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=120)
    assert first.returncode == 130


def test_slices_of_one_sweep_run_side_by_side_but_not_twice(tmp_path):
    # A job array's slices share the directory; the same slice twice does not.
    out = tmp_path / "s"
    slow = str(SWEEPS / "slow_grid.yaml")
    first = subprocess.Popen([str(BIN), "sweep", slow, "-o", str(out), "-q", "--shard", "1/2",
                              "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 60
    while not (out / "inputs.txt").exists():
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.05)
    again = aidflow("sweep", slow, "-o", out, "-q", "--shard", "1/2")
    assert again.returncode == 2 and "as shard 1/2" in again.stderr, again.stderr
    assert first.poll() is None, "shard 1/2 ended before 2/2 started: the test proves nothing"
    beside = aidflow("sweep", slow, "-o", out, "-q", "--shard", "2/2", "--workers", "1")
    assert beside.returncode == 0, beside.stderr
    first.communicate(timeout=300)
    assert first.returncode == 0
    assert index_of_merged(out)["status"] == ["complete"] * 6


def limit_file_size_to_64k():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_full_disk_stops_the_sweep_unrecorded_and_resume_redoes_it(tmp_path):
    # The full disk (a 64 KiB file size limit, as in test_output_safety.py) was recorded as a
    # failure of each run, the sweep exited 0 and --resume did not redo them.
    out = tmp_path / "s"
    result = aidflow("sweep", TINY, "-o", out, "-q", preexec_fn=limit_file_size_to_64k)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: HDF5 error while writing"), lines
    assert "File too large" in lines[0]
    assert lines[0].endswith("; the sweep stopped: finished runs are kept, run it again with "
                             "--resume once the problem is fixed")
    assert list(out.rglob(".*partial*")) == []
    merged = aidflow("sweep-merge", out)  # what the journal holds: no run failed
    assert merged.returncode == 0, merged.stderr
    assert "failed" not in index_of(out)["status"]
    resumed = aidflow("sweep", TINY, "-o", out, "--resume", "-q")
    assert resumed.returncode == 0, resumed.stderr
    assert index_of(out)["status"] == ["complete"] * 4
