"""The package's readers on real files written by the simulator, including refusals."""
import shutil

import h5py
import numpy as np
import pandas as pd
import pytest
import xarray as xr

import aidflow_analysis as aa


def test_open_run_gives_dates_names_and_title(run):
    assert run.indicators.indexes["time"].dtype.kind == "M"
    assert run.label.startswith("status_quo")
    assert run.title.endswith(f"(seed {run.seed})")
    assert "Haqqani network" in run.indicators["faction_name"].values


def test_ledger_reader(baseline_file):
    led = aa.ledger(baseline_file)
    assert set(led.data_vars) == {"disbursed", "settled", "diverted"}
    assert led["diverted"].dims == ("time", "donor", "channel", "faction", "mechanism")


def test_events_reader(baseline_file):
    ev = aa.events(baseline_file)
    assert isinstance(ev, pd.DataFrame) and len(ev) > 0
    assert ev["time"].dtype.kind == "M"


def test_open_runs_stacks_along_run_with_seed_label_overrides(replicates):
    base, _ = replicates
    ds = aa.open_runs(base)
    assert ds.dims["run"] == 3
    assert list(ds["seed"].values) == [1, 2, 3]
    assert all(label == ds["label"].values[0] for label in ds["label"].values), "replicates share a label"
    assert "--set run.households=2000" in ds["overrides"].values[0]
    assert ds["faction_treasury"].dims == ("run", "time", "faction")
    ledgers = aa.open_runs(base, group="ledger")
    assert ledgers["settled"].dims[0] == "run"


@pytest.fixture
def wrong_version(baseline_file, tmp_path):
    """A real run file whose format_version says 1: what a file of the old layout carries."""
    path = tmp_path / "old.h5"
    shutil.copy(baseline_file, path)
    with h5py.File(path, "r+") as f:
        f.attrs["format_version"] = np.int64(1)
    return path


@pytest.mark.parametrize("reader", [aa.open_run, aa.ledger, aa.events, lambda p: aa.open_runs([p])])
def test_a_file_of_another_format_version_is_refused_clearly(wrong_version, reader):
    with pytest.raises(aa.FormatVersionError, match=r"format version 1 .*reads version 3"):
        reader(wrong_version)


def test_compare_pairs_by_seed_with_intervals(replicates):
    base, other = replicates
    cmp = aa.compare(base, other, "aid_diverted", cumulative=True)
    assert cmp.attrs["pairs"] == 3
    assert set(cmp.data_vars) == {"a", "b", "difference", "low", "high"}
    last = cmp.isel(time=-1)
    assert float(last.low) <= float(last.difference) <= float(last.high)
    assert float(last.high) < 0, "humanitarian-only with monitoring diverts less than the baseline"
    table = aa.compare_table(base, other)
    assert isinstance(table, pd.DataFrame) and "Styler" not in type(table).__name__
    row = table.loc["share of aid diverted"]
    assert row.low <= row.difference <= row.high and row.pairs == 3
    with pytest.raises(ValueError, match="share no seed"):
        aa.compare(base[:1], other[1:], "aid_diverted")


def test_compare_of_identical_runs_is_zero(replicates):
    base, _ = replicates
    cmp = aa.compare(base, base, "people_reached")
    assert np.all(cmp["difference"].values == 0)
