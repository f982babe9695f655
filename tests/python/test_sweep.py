"""Sweeps from Python: the outcome store opens in one call (xarray, or open_sweep as a DataFrame,
EMA Workbench's (experiments, outcomes) and a tidy table), with the sweep file's names and real
booleans; its declared outcomes are what the run files say; a large sweep keeps only its store; a
run that fails is recorded with its message and the sweep goes on; the single-run batch options
(label, summary JSON, quiet, progress lines in logs)."""
import json
import subprocess

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from conftest import BASELINE, REPO_ROOT
from aidflow_analysis import AidflowFileError, open_sweep
from aidflow_analysis.report import read_robustness

SWEEPS = REPO_ROOT / "tests" / "sweep"


def sweep(aidflow_bin, sweep_file, out, *args):
    cmd = [str(aidflow_bin), "sweep", str(sweep_file), "-o", str(out), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def small_grid(aidflow_bin, tmp_path_factory):
    """tests/sweep/small_grid.yaml swept once (its 20 runs kept, as for any small sweep)."""
    out = tmp_path_factory.mktemp("sweeps") / "small_grid"
    done = sweep(aidflow_bin, SWEEPS / "small_grid.yaml", out, "-q")
    assert done.returncode == 0, done.stderr
    return out


def test_the_store_opens_in_one_call_with_names_booleans_and_series(small_grid):
    store = xr.open_dataset(small_grid / "sweep.h5")  # xarray's default engine, nothing else
    assert store.sizes == {"run": 20, "time": 26, "time_monthly_reached": 7}
    assert store["humanitarian_only"].dtype == bool  # not the strings 'false' and 'true'
    assert store["humanitarian_only"].attrs["paths"] == "policy.humanitarian_only"
    assert set(store.coords) >= {"point", "replicate", "seed", "humanitarian_only",
                                 "third_party", "status", "label", "path"}
    assert store["weekly_diverted"].dims == ("run", "time")
    assert str(store["time"].values[0])[:10] == "2022-01-03"
    assert store["diverted_share"].attrs["units"] == "1"
    assert store["haqqani_to_al_qaeda"].attrs["units"] == "USD cents"
    assert store["reached"].attrs["long_name"] == "mean(people_reached)"
    # Replicate r has the same seed at every point: comparisons are paired.
    index = open_sweep(small_grid).index
    assert isinstance(index, pd.DataFrame) and list(index.index) == list(range(20))
    assert (index.groupby("replicate").seed.nunique() == 1).all()
    assert index.groupby("point").size().tolist() == [5] * 4
    assert (index.status == "complete").all()


def in_step_order_mean(values) -> float:
    """A mean as the outcomes define it: summed in step order, then divided (numpy's pairwise
    summation can differ in the last bit)."""
    total = 0.0
    for v in values:
        total += float(v)
    return total / len(values)


def test_declared_outcomes_are_what_the_run_files_say(small_grid):
    s = open_sweep(small_grid)
    for number in (0, 13):
        ind = s.run(number).indicators
        out = s.store.sel(run=number)
        usa = ind.aid_diverted.sel(donor="usa").values
        np.testing.assert_array_equal(out.weekly_diverted.values, usa)
        assert int(out.haqqani_to_al_qaeda) == int(
            ind.transfers.sel(from_faction="haqqani", to_faction="al_qaeda").sum())
        assert float(out.reached) == in_step_order_mean(ind.people_reached.values)
        assert float(out.diverted_share) == pytest.approx(
            float(ind.aid_diverted.sum()) / float(ind.aid_disbursed.sum()), rel=1e-15)
        reached = ind.people_reached.values  # blocks of 4 steps, the last of 2 (26 steps)
        expected = [in_step_order_mean(reached[i:i + 4]) for i in range(0, 26, 4)]
        assert out.monthly_reached.values.tolist() == expected
        april = ind.faction_treasury.sel(faction="haqqani", time="2022-03-28").item()
        assert int(out.haqqani_treasury_april) == int(april)  # the week holding 1 April
        assert int(out.disbursed) == int(ind.aid_disbursed.sum())  # the defaults, as before
        assert int(out.treasury_haqqani) == int(ind.faction_treasury.sel(faction="haqqani")[-1])


def test_ema_and_tidy_forms(small_grid):
    s = open_sweep(small_grid)
    experiments, outcomes = s.ema()
    assert list(experiments.columns) == ["humanitarian_only", "third_party", "point",
                                         "replicate", "seed"]
    assert len(experiments) == 20 and experiments.humanitarian_only.dtype == bool
    assert outcomes["reached"].shape == (20,)
    assert outcomes["weekly_diverted"].shape == (20, 26)
    assert list(outcomes) == s.outcomes
    tidy = s.tidy(["reached", "weekly_diverted"])
    assert len(tidy) == 20 + 20 * 26
    assert list(tidy.columns[:3]) == ["run", "humanitarian_only", "third_party"]
    weekly = tidy[tidy.outcome == "weekly_diverted"]
    assert weekly.time.notna().all() and tidy[tidy.outcome == "reached"].time.isna().all()
    row = weekly[(weekly.run == 7) & (weekly.time == s.store.time.values[3])]
    assert row.value.item() == s.store.weekly_diverted.sel(run=7).values[3]
    with pytest.raises(AidflowFileError, match="no outcome nope"):
        s.tidy(["nope"])


def test_a_large_sweep_keeps_only_its_store(aidflow_bin, tmp_path):
    done = sweep(aidflow_bin, SWEEPS / "tiny.yaml", tmp_path / "t", "--no-keep-runs", "-q")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "t" / "runs").exists()
    s = open_sweep(tmp_path / "t")
    assert (s.index.path == "").all() and (s.index.status == "complete").all()
    with pytest.raises(AidflowFileError, match="run 1 kept no file"):
        s.run(1)


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(aidflow_bin, tmp_path):
    done = sweep(aidflow_bin, SWEEPS / "failing.yaml", tmp_path / "f")
    assert done.returncode == 0, done.stderr
    index = open_sweep(tmp_path / "f").index
    failed = index[index.status == "failed"]
    assert len(failed) == 2 and len(index) == 8
    assert ((failed.channels == "budget_only") & failed.humanitarian_only).all()
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
    # The report reads what the script prints (make_report.sh's AIDFLOW_REPORT_ROBUSTNESS).
    printed = tmp_path / "robustness.md"
    printed.write_text(report.stdout)
    read = read_robustness(printed)
    assert len(read.facts) == 10 and (read.facts.points == 2).all()
    assert read.facts.share.tolist() == [float(line.split("|")[3]) for line in lines]
    assert len(read.failures) == len(weak)
