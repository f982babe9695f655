"""Sweeps from Python: the index opens in pandas as one DataFrame and any run as an xarray
Dataset, each in one call; a run that fails is recorded with its message and the sweep goes on;
the single-run batch options (label, summary JSON, quiet, progress lines in logs)."""
import json
import subprocess

import pandas as pd
import xarray as xr

from conftest import BASELINE, REPO_ROOT
from aidflow_analysis import open_sweep

SWEEPS = REPO_ROOT / "tests" / "sweep"


def sweep(aidflow_bin, sweep_file, out, *args):
    cmd = [str(aidflow_bin), "sweep", str(sweep_file), "-o", str(out), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def test_index_is_one_dataframe_and_a_run_one_dataset(aidflow_bin, tmp_path):
    done = sweep(aidflow_bin, SWEEPS / "small_grid.yaml", tmp_path / "s")
    assert done.returncode == 0, done.stderr
    index = xr.open_dataset(tmp_path / "s" / "sweep.h5", engine="h5netcdf").to_dataframe()
    assert isinstance(index, pd.DataFrame) and len(index) == 20
    assert list(index.index) == list(range(20))
    assert (index.status == "complete").all()
    # Replicate r has the same seed at every point: comparisons are paired.
    assert (index.groupby("replicate").seed.nunique() == 1).all()
    assert index.groupby("point").size().tolist() == [5] * 4
    run = xr.open_dataset(tmp_path / "s" / index.path[7], engine="h5netcdf")
    assert run.attrs["status"] == "complete" and int(run.attrs["seed"]) == index.seed[7]
    s = open_sweep(tmp_path / "s")
    assert s.index.equals(index) and s.attrs["runs_complete"] == 20
    assert int(s.run(3).indicators.aid_disbursed.sum()) == s.index.disbursed[3]


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(aidflow_bin, tmp_path):
    done = sweep(aidflow_bin, SWEEPS / "failing.yaml", tmp_path / "f")
    assert done.returncode == 0, done.stderr
    index = open_sweep(tmp_path / "f").index
    failed = index[index.status == "failed"]
    assert len(failed) == 2 and len(index) == 8
    assert ((failed.channels == "budget_only") & (failed["policy.humanitarian_only"] == "true")).all()
    assert failed.message.str.contains("humanitarian_only needs at least one channel").all()
    assert failed.message.str.contains("failing.yaml:").all()  # located: the sweep file's line
    assert failed.disbursed.isna().all()
    assert (index[index.status == "complete"].disbursed > 0).all()


def test_bad_sweep_file_is_refused_with_a_located_message(aidflow_bin, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        f"name: bad\nscenario: {BASELINE}\nparameters:\n"
        "  - path: policy.monitoring.third_party\n    values: [0, 1.5]\n"
    )
    done = sweep(aidflow_bin, bad, tmp_path / "b")
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {bad}:5:")
    assert "policy.monitoring.third_party" in done.stderr and "1.5" in done.stderr
    assert not (tmp_path / "b").exists()


def test_single_run_label_summary_json_quiet_and_log_progress(aidflow_bin, tmp_path):
    out, summary = tmp_path / "r.h5", tmp_path / "r.json"
    cmd = [str(aidflow_bin), "run", str(BASELINE), "-o", str(out), "--steps", "20",
           "--set", "run.households=500", "--summary-json", str(summary), "--progress-every", "0"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "progress: step 20/20" in done.stderr  # stderr is a pipe here: plain lines
    record = json.loads(summary.read_text())
    assert record["label"] == "status_quo --set run.households=500 --steps 20"
    assert record["status"] == "complete" and record["disbursed_cents"] > 0
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert ds.attrs["label"] == record["label"]
        assert ds.attrs["overrides"] == "--set run.households=500\n--steps 20\n"
    quiet = subprocess.run(cmd[:4] + [str(tmp_path / "q.h5"), "--steps", "5", "-q", "--label", "x"],
                           capture_output=True, text=True, timeout=600)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    with xr.open_dataset(tmp_path / "q.h5", engine="h5netcdf") as ds:
        assert ds.attrs["label"] == "x"


def bad_sweeps():
    rows = (REPO_ROOT / "tests" / "bad_sweeps" / "expected.tsv").read_text().splitlines()
    return [tuple(row.split("\t")) for row in rows]


import pytest  # noqa: E402


@pytest.mark.parametrize("name,code,message", bad_sweeps())
def test_bad_sweep_corpus(aidflow_bin, tmp_path, name, code, message):
    """Each bad sweep file gives exactly its expected one-line, located message and exit 2."""
    cmd = [str(aidflow_bin), "sweep", f"tests/bad_sweeps/{name}", "-o", str(tmp_path / "never")]
    done = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == int(code)
    assert done.stderr.strip() == message
    assert not (tmp_path / "never").exists()


def test_robustness_table_on_a_tiny_version_of_the_shipped_sweep(aidflow_bin, tmp_path):
    """The shipped robustness sweep, cut to 2 points x 11 arms x 1 replicate, runs and the script
    reports a share for every fact (fact 2 at each of its three aid sizes), and where each fact
    holding at fewer than 80% of the points fails."""
    text = (REPO_ROOT / "scenarios" / "sweeps" / "robustness.yaml").read_text()
    base = REPO_ROOT / "scenarios" / "sanctions_us_only.yaml"
    assert "scenario: ../sanctions_us_only.yaml" in text
    text = text.replace("scenario: ../sanctions_us_only.yaml", f"scenario: {base}")
    text = text.replace("points: 24", "points: 2").replace("replicates: 3", "replicates: 1")
    text = text.replace("run.households=3000, run.steps=104", "run.households=1000, run.steps=30")
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text(text)
    done = sweep(aidflow_bin, tiny, tmp_path / "rob", "-q")
    assert done.returncode == 0, done.stderr
    report = subprocess.run(["/usr/bin/python3", str(REPO_ROOT / "analysis" / "robustness.py"),
                             str(tmp_path / "rob")], capture_output=True, text=True, timeout=600)
    assert report.returncode == 0, report.stderr
    lines = [line for line in report.stdout.splitlines() if line.startswith("| ") and "/2 |" in line]
    assert len(lines) == 10, report.stdout
    weak = [line for line in lines if float(line.split("|")[3]) < 0.8]
    regions = [line for line in report.stdout.splitlines() if line.startswith("- ")]
    assert len(regions) == len(weak), report.stdout
    assert all(" fails at " in line or "fails at every point" in line for line in regions)
