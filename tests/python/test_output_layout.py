"""The file layout users rely on: named dimensions, label coordinates, units, attributes."""
import re
from datetime import date, timedelta

import numpy as np
import pytest
import xarray as xr

from conftest import STEPS

MONEY_ROOT = {
    "aid_disbursed": ("time", "donor"),
    "aid_delivered": ("time", "donor"),
    "aid_overhead": ("time", "donor"),
    "aid_counter_terrorism": ("time", "donor"),
    "aid_diverted": ("time", "donor"),
    "diverted": ("time", "faction", "mechanism"),
    "ministry_captured": ("time", "ministry"),
    "faction_treasury": ("time", "faction"),
    "faction_income": ("time", "faction", "income"),
    "faction_spending": ("time", "faction", "spending"),
    "transfers": ("time", "from_faction", "to_faction"),
    "counter_terrorism_effort": ("time", "faction"),
}
OTHER_ROOT = {
    "ministry_capture_rate": ("time", "ministry"),
    "need_mean": ("time",),
    "people_in_need": ("time",),
    "people_reached": ("time",),
    "people_reached_by_need": ("time",),
    "aid_per_person": ("time",),
    "displaced": ("time", "displacement"),
    "faction_fighters": ("time", "faction"),
    "faction_recruits": ("time", "faction"),
    "faction_losses": ("time", "faction"),
    "faction_influence": ("time", "faction"),
    "faction_preparation": ("time", "faction"),
    "faction_prestige": ("time", "faction"),
    "external_operations": ("time", "faction"),
    "attacks_executed": ("time", "faction"),
    "attacks_claimed": ("time", "faction"),
    "ministry_controller": ("time", "ministry"),
}
LABELS = ("donor", "faction", "mechanism", "ministry", "displacement")
ROOT_ATTRS = (
    "Conventions", "title", "history", "format_version", "aidflow_version", "git_commit", "scenario_name", "scenario_file", "seed",
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
    assert ds.sizes["time"] == STEPS
    np.testing.assert_array_equal(ds["step"].values, np.arange(STEPS))
    assert ds["step"].dims == ("time",) and "step" in ds.coords
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
    assert ledger["disbursed"].dims == ("time", "donor", "channel")
    assert ledger["settled"].dims == ("time", "donor", "channel", "sink")
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
    assert summary["total_disbursed_by_sector"].dims == ("donor", "channel", "sector")
    assert summary["total_settled_by_sector"].dims == ("donor", "channel", "sector", "sink")
    root = open_group(baseline_file)
    ministry_of = dict(zip(summary["sector"].values, summary["sector_ministry"].values))
    assert ministry_of["security"] == "interior" and ministry_of["food"] == "agriculture"
    assert set(ministry_of.values()) <= set(root["ministry"].values)
    assert set(summary["sector_purpose"].values) == {"humanitarian", "security"}


def test_labelled_dimensions_are_sorted_by_id(baseline_file):
    root, ledger = open_group(baseline_file), open_group(baseline_file, "ledger")
    for group, dim in ((root, "donor"), (ledger, "channel"), (root, "faction"), (root, "ministry"),
                       (root, "patron")):
        labels = list(group[dim].values)
        assert labels == sorted(labels) and len(labels) > 1, dim


def test_root_attributes(baseline_file):
    attrs = open_group(baseline_file).attrs
    missing = [a for a in ROOT_ATTRS if a not in attrs]
    assert not missing, f"missing root attributes: {missing}"
    assert attrs["status"] == "complete"
    assert attrs["format_version"] == 3
    assert attrs["Conventions"].startswith("CF-")
    assert "status_quo" in attrs["title"] and str(attrs["seed"]) in attrs["title"]
    assert attrs["command_line"] in attrs["history"]
    assert attrs["scenario_name"] == "status_quo"
    assert attrs["steps"] == STEPS
    assert attrs["step_days"] == 7
    assert f"--steps {STEPS}" in attrs["command_line"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", attrs["created"])
    assert attrs["created"] <= attrs["finished"]


def test_scenario_text_is_the_effective_scenario(run):
    text = run.scenario
    assert re.search(r"^name: status_quo\s*$", text, re.M)
    for section in ("factions:", "channels:", "ministries:", "donors:"):
        assert re.search(rf"^{section}", text, re.M), section
    # --steps overrides the file's 209 weeks; the stored scenario must say what actually ran.
    assert re.search(rf"^\s+steps: {STEPS}\s*$", text, re.M)


@pytest.mark.parametrize("group", [None, "ledger", "summary"])
def test_every_axis_has_a_named_dimension(baseline_file, group):
    ds = open_group(baseline_file, group)
    assert not [d for d in ds.dims if str(d).startswith("phony_dim")]
    assert len(ds.data_vars) >= 2


def test_time_is_a_date_coordinate_that_plots_as_dates(baseline_file):
    """`.plot()` on any series puts dates on the x axis with `open_dataset` alone."""
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure

    ds = open_group(baseline_file)
    assert ds.indexes["time"].dtype.kind == "M"
    assert "time" not in ds.data_vars
    ax = Figure().subplots()
    ds["people_reached"].plot(ax=ax)
    assert isinstance(ax.xaxis.get_major_formatter(), (mdates.AutoDateFormatter, mdates.ConciseDateFormatter))


@pytest.mark.parametrize("group", [None, "ledger", "summary"])
def test_every_coordinate_has_units_and_long_name(baseline_file, group):
    ds = xr.open_dataset(baseline_file, engine="h5netcdf", group=group, decode_times=False)
    for name, var in {**ds.coords, **ds.data_vars}.items():
        assert "long_name" in var.attrs, name
        assert "units" in var.attrs, name


def test_display_names_are_label_coordinates(baseline_file):
    ds = open_group(baseline_file)
    names = dict(zip(ds["faction"].values, ds["faction_name"].values))
    assert names["haqqani"] == "Haqqani network"
    assert ds["donor_name"].sel(donor="usa").item() == "United States"
    assert ds["ministry_name"].sel(ministry="interior").item() == "Ministry of Interior"
    ledger = open_group(baseline_file, "ledger")
    assert ledger["channel_name"].sel(channel="un_agency").item() == "UN agencies"
    assert "faction_name" in ds["faction_treasury"].coords


def test_diversion_along_faction_and_mechanism_matches_the_packed_sinks(baseline_file):
    ledger, summary = open_group(baseline_file, "ledger"), open_group(baseline_file, "summary")
    root = open_group(baseline_file)
    assert ledger["diverted"].dims == ("time", "donor", "channel", "faction", "mechanism")
    diverted_sinks = ledger["settled"].where(ledger["sink_kind"] == "diverted", 0)
    np.testing.assert_array_equal(ledger["diverted"].sum(("faction", "mechanism")), diverted_sinks.sum("sink"))
    np.testing.assert_array_equal(ledger["diverted"].sum(("donor", "channel")), root["diverted"])
    haqqani_tax = ledger["settled"].sel(sink="diverted:haqqani:local_tax")
    np.testing.assert_array_equal(ledger["diverted"].sel(faction="haqqani", mechanism="local_tax"), haqqani_tax)
    assert list(ledger["sink_faction"].sel(sink="diverted:haqqani:local_tax").values.ravel()) == ["haqqani"]
    np.testing.assert_array_equal(summary["total_diverted"], ledger["diverted"].sum("time"))
