"""The file layout users rely on: named dimensions, label coordinates, units, attributes."""
import re
from datetime import date, timedelta

import numpy as np
import pytest
import xarray as xr

from conftest import STEPS

MONEY_ROOT = {
    "aid_disbursed": ("step", "donor"),
    "aid_delivered": ("step", "donor"),
    "aid_overhead": ("step", "donor"),
    "aid_counter_terrorism": ("step", "donor"),
    "aid_diverted": ("step", "donor"),
    "diverted": ("step", "faction", "mechanism"),
    "ministry_captured": ("step", "ministry"),
    "faction_treasury": ("step", "faction"),
    "faction_income": ("step", "faction", "income"),
    "faction_spending": ("step", "faction", "spending"),
    "transfers": ("step", "from_faction", "to_faction"),
    "counter_terrorism_effort": ("step", "faction"),
}
OTHER_ROOT = {
    "ministry_capture_rate": ("step", "ministry"),
    "need_mean": ("step",),
    "people_in_need": ("step",),
    "people_reached": ("step",),
    "aid_per_person": ("step",),
    "displaced": ("step", "displacement"),
    "faction_fighters": ("step", "faction"),
    "faction_recruits": ("step", "faction"),
    "faction_losses": ("step", "faction"),
    "faction_influence": ("step", "faction"),
    "faction_preparation": ("step", "faction"),
    "faction_prestige": ("step", "faction"),
    "external_operations": ("step", "faction"),
    "attacks_executed": ("step", "faction"),
    "attacks_claimed": ("step", "faction"),
    "ministry_controller": ("step", "ministry"),
    "time": ("step",),
}
LABELS = ("donor", "faction", "mechanism", "ministry", "displacement")
ROOT_ATTRS = (
    "format_version", "aidflow_version", "git_commit", "scenario_name", "scenario_file", "seed",
    "steps", "step_days", "start_date", "threads", "command_line", "created", "finished", "status",
)


def open_group(path, group=None):
    return xr.load_dataset(path, engine="h5netcdf", group=group)


def assert_labels(ds, dim):
    labels = ds[dim].values
    assert labels.size > 0, dim
    assert all(isinstance(v, str) and v for v in labels), dim
    assert len(set(labels)) == labels.size, f"{dim} labels not unique"


def test_root_dims_and_variables(baseline_file):
    ds = open_group(baseline_file)
    assert ds.sizes["step"] == STEPS
    np.testing.assert_array_equal(ds["step"].values, np.arange(STEPS))
    for dim in LABELS:
        assert_labels(ds, dim)
    for name, dims in {**MONEY_ROOT, **OTHER_ROOT}.items():
        assert ds[name].dims == dims, name
    for name in MONEY_ROOT:
        assert ds[name].attrs["units"] == "USD cents", name
        assert ds[name].dtype == np.int64, name
    assert set(ds["mechanism"].values) == {"ministry_capture", "local_tax", "beneficiary_list"}


def test_time_follows_start_date_and_step_length(baseline_file):
    ds = open_group(baseline_file)
    start = date.fromisoformat(ds.attrs["start_date"])
    expected = [np.datetime64(start + timedelta(days=int(ds.attrs["step_days"]) * i), "ns") for i in range(STEPS)]
    np.testing.assert_array_equal(ds["time"].values, np.array(expected))


def test_ledger_group_layout(baseline_file):
    root, ledger = open_group(baseline_file), open_group(baseline_file, "ledger")
    assert ledger["disbursed"].dims == ("step", "donor", "channel")
    assert ledger["settled"].dims == ("step", "donor", "channel", "sink")
    for dim in ("donor", "channel", "sink"):
        assert_labels(ledger, dim)
    np.testing.assert_array_equal(ledger["donor"].values, root["donor"].values)
    expected_sinks = {"delivered", "overhead", "counter_terrorism"} | {
        f"diverted:{f}:{m}" for f in root["faction"].values for m in root["mechanism"].values
    }
    assert set(ledger["sink"].values) == expected_sinks


def test_summary_group_layout(baseline_file):
    summary, ledger = open_group(baseline_file, "summary"), open_group(baseline_file, "ledger")
    assert summary["total_disbursed"].dims == ("donor", "channel")
    assert summary["total_settled"].dims == ("donor", "channel", "sink")
    for dim in ("donor", "channel", "sink"):
        np.testing.assert_array_equal(summary[dim].values, ledger[dim].values)


def test_root_attributes(baseline_file):
    attrs = open_group(baseline_file).attrs
    missing = [a for a in ROOT_ATTRS if a not in attrs]
    assert not missing, f"missing root attributes: {missing}"
    assert attrs["status"] == "complete"
    assert attrs["scenario_name"] == "baseline"
    assert attrs["steps"] == STEPS
    assert attrs["step_days"] == 7
    assert f"--steps {STEPS}" in attrs["command_line"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", attrs["created"])
    assert attrs["created"] <= attrs["finished"]


def test_scenario_text_is_the_effective_scenario(run):
    text = run.scenario
    assert re.search(r"^name: baseline\s*$", text, re.M)
    for section in ("factions:", "channels:", "ministries:", "donors:"):
        assert re.search(rf"^{section}", text, re.M), section
    # --steps overrides the file's 260 weeks; the stored scenario must say what actually ran.
    assert re.search(rf"^\s+steps: {STEPS}\s*$", text, re.M)


@pytest.mark.parametrize("group", [None, "ledger", "summary"])
def test_every_axis_has_a_named_dimension(baseline_file, group):
    ds = open_group(baseline_file, group)
    assert not [d for d in ds.dims if str(d).startswith("phony_dim")]
    assert len(ds.data_vars) >= 2
