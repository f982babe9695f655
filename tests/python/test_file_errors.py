"""Readers refuse every file they cannot use with one exception type of the package,
AidflowFileError, whose message names the file and says what is wrong: no raw h5py, netCDF4 or
xarray traceback. The bad files are made here from real ones (truncated, overwritten, foreign,
renamed like a killed run's temporary file, deleted from a real sweep)."""
import shutil
import subprocess

import h5py
import numpy as np
import pytest

import aidflow_analysis as aa
from conftest import REPO_ROOT

READERS = {
    "open_run": aa.open_run,
    "open_runs": lambda path: aa.open_runs([path]),
    "open_runs(variables)": lambda path: aa.open_runs([path], variables=["aid_disbursed"]),
    "events": aa.events,
    "ledger": aa.ledger,
}


def refused(reader, path, *phrases, named=None):
    """Calls `reader(path)`; checks it raises AidflowFileError naming the file (`named`, else
    `path`) and saying each phrase, and returns the message."""
    with pytest.raises(aa.AidflowFileError) as raised:
        reader(path)
    message = str(raised.value)
    assert isinstance(raised.value, aa.AidflowError) and isinstance(raised.value, ValueError)
    assert str(named or path) in message, message
    for phrase in phrases:
        assert phrase in message, message
    return message


@pytest.fixture(scope="module")
def truncated(baseline_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("bad") / "truncated.h5"
    data = baseline_file.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_a_truncated_run_file(truncated, reader):
    refused(reader, truncated, "damaged or truncated")


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_random_bytes(tmp_path, reader):
    path = tmp_path / "noise.h5"
    path.write_bytes(np.random.default_rng(1).integers(0, 256, 65536, dtype=np.uint8).tobytes())
    refused(reader, path, "not an aidflow run", "not an HDF5")


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_an_hdf5_file_that_is_not_an_aidflow_run(tmp_path, reader):
    path = tmp_path / "foreign.h5"
    with h5py.File(path, "w") as f:
        f.attrs["title"] = "some other program's output"
        f["temperature"] = np.arange(10.0)
    refused(reader, path, "not an aidflow run", "format_version")


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_a_killed_runs_temporary_file(truncated, tmp_path, reader):
    """A run killed outright leaves `.NAME.h5.partial-PID`, whose HDF5 metadata was never
    flushed (unreadable, like the truncated copy used here)."""
    partial = tmp_path / ".baseline.h5.partial-4242"
    shutil.copy(truncated, partial)
    refused(reader, partial, "not complete", "still running or was killed")


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_a_readable_run_that_is_not_complete(baseline_file, tmp_path, reader):
    path = tmp_path / "running.h5"
    shutil.copy(baseline_file, path)
    with h5py.File(path, "r+") as f:
        f.attrs["status"] = "running"
    refused(reader, path, "not complete", "'running'")


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_a_missing_file(tmp_path, reader):
    refused(reader, tmp_path / "never-written.h5", "no such file")


def test_a_sweep_index_given_as_a_run(sweep_dir):
    refused(aa.open_run, sweep_dir / "sweep.h5", "not a run but a sweep's index", "open_sweep")


def test_a_variable_the_file_lacks_is_named(baseline_file):
    refused(lambda p: aa.open_runs([p], variables=["no_such_indicator"]), baseline_file,
            "no variable no_such_indicator")


def test_a_file_replaced_after_open_run_is_not_read_as_the_old_one(baseline_file, tmp_path):
    path = tmp_path / "replaced.h5"
    shutil.copy(baseline_file, path)
    run = aa.open_run(path)
    path.write_bytes(b"\0" * 100)
    refused(lambda _: run.ledger, path, "changed or removed since open_run")
    loaded = aa.open_run(baseline_file).load()  # every group read: the file is no longer needed
    assert loaded.ledger is not None and loaded.events is not None


# --- sweeps ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sweep_source(aidflow_bin, tmp_path_factory):
    """tests/sweep/failing.yaml (8 runs, 2 of them failing) run in full once."""
    out = tmp_path_factory.mktemp("sweep") / "failing"
    done = subprocess.run([str(aidflow_bin), "sweep", str(REPO_ROOT / "tests/sweep/failing.yaml"),
                           "-o", str(out), "-q"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture
def sweep_dir(sweep_source, tmp_path):
    """A copy of the sweep each test may damage."""
    copy = tmp_path / "sweep"
    shutil.copytree(sweep_source, copy)
    return copy


def test_a_failed_run_of_a_sweep_says_why(sweep_dir):
    sweep = aa.open_sweep(sweep_dir)
    failed = sweep.index.index[sweep.index.status == "failed"]
    assert len(failed) == 2
    message = refused(sweep.run, failed[0], f"run {failed[0]} failed: ",
                      "humanitarian_only needs at least one channel")
    assert str(sweep_dir / "sweep.h5") in message
    refused(sweep.dataset, failed[0], "failed")


def test_a_deleted_run_of_a_sweep(sweep_dir):
    sweep = aa.open_sweep(sweep_dir)
    complete = int(sweep.complete.index[0])
    run_file = sweep_dir / sweep.index.loc[complete, "path"]
    run_file.unlink()
    message = refused(sweep.run, complete, f"run {complete}, complete in the store",
                      "no such file")
    assert str(run_file) in message


def test_a_run_file_of_another_sweep(sweep_dir):
    sweep = aa.open_sweep(sweep_dir)
    first, other = (int(i) for i in sweep.complete.index[:2])
    assert sweep.index.loc[first, "seed"] != sweep.index.loc[other, "seed"]
    shutil.copy(sweep_dir / sweep.index.loc[other, "path"], sweep_dir / sweep.index.loc[first, "path"])
    refused(sweep.run, first, f"not run {first} of this sweep", "seed")


def test_runs_of_a_sweep_whose_shard_has_not_finished(aidflow_bin, tmp_path):
    out = tmp_path / "half"
    for args in (["sweep", str(REPO_ROOT / "tests/sweep/failing.yaml"), "-o", str(out), "-q",
                  "--shard", "1/2"], ["sweep-merge", str(out)]):
        done = subprocess.run([str(aidflow_bin), *args], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
    sweep = aa.open_sweep(out)
    missing = sweep.index.index[sweep.index.status == "missing"]
    assert len(missing) == 4
    refused(sweep.run, missing[0], f"run {missing[0]} is missing", "shard has not finished")
    refused(sweep.run, 99, "no run 99 (runs 0 to 7)")
    stacked = sweep.runs(variables=["aid_disbursed"])  # the complete ones only
    assert list(stacked["run"].values) == list(sweep.complete.index)
    assert set(stacked.data_vars) == {"aid_disbursed"}


def test_a_missing_sweep_index(sweep_dir, tmp_path):
    index = sweep_dir / "sweep.h5"
    index.unlink()
    refused(aa.open_sweep, sweep_dir, "no such file", "sweep-merge", named=index)
    refused(aa.open_sweep, tmp_path / "nowhere", "no such directory")


def test_a_truncated_sweep_index(sweep_dir):
    index = sweep_dir / "sweep.h5"
    data = index.read_bytes()
    index.write_bytes(data[: len(data) // 3])
    refused(aa.open_sweep, sweep_dir, "damaged or truncated", named=index)


def test_a_run_file_in_place_of_the_sweep_index(sweep_dir, baseline_file):
    shutil.copy(baseline_file, sweep_dir / "sweep.h5")
    refused(aa.open_sweep, sweep_dir, "not a sweep's store", named=sweep_dir / "sweep.h5")
