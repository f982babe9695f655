"""Patrons, the coalition, sanctions and hostages in real runs: the indicators and events are in the
file with their labels, patron money is followed by its own source, and a sanctions run freezes
money that the books account for to the cent."""
import numpy as np
import xarray as xr

import aidflow_analysis as aa

POLICY_INDICATORS = [
    "patron_support", "patron_support_level", "threat_perception", "coalition_willingness",
    "coalition_member", "envoy_effect", "sanction_coverage", "coalition_credibility",
    "sanction_effective", "sanction_frozen", "hostages_held", "enforcement_damping",
]
NEW_EVENT_COLUMNS = ["state", "sanction", "faction", "hostages", "amount", "prisoners"]

SANCTIONS = ("sanctions=[{target: edge, from: haqqani, to: al_qaeda, enforcement: 0.8}, "
             "{target: treasury, faction: isis_kabul, freeze_per_week: 0.05}]")


def test_policy_indicators_are_in_the_status_quo_file(baseline_file):
    ind = xr.open_dataset(baseline_file, engine="h5netcdf")
    for name in POLICY_INDICATORS:
        assert name in ind, name
        assert ind[name].attrs["long_name"] and ind[name].attrs["units"]
    assert ind["patron_support"].dims == ("time", "patron", "faction")
    assert "pakistan_isi" in ind["patron"].values and "isis_core" in ind["patron"].values
    # in the canonical order of entries (by identity), whatever the scenario's order
    assert list(ind["sanction"].values) == ["treasury:doha_moderate", "treasury:haqqani",
                                            "treasury:kandahari"], "the UN 1988 asset freeze"
    assert int(ind["coalition_member"].sum()) == 0, "the coalition starts empty and stays so"


def test_patron_money_is_followed_by_its_own_source(baseline_file):
    ind = xr.open_dataset(baseline_file, engine="h5netcdf")
    summary = xr.open_dataset(baseline_file, engine="h5netcdf", group="summary")
    paid = ind["patron_support"].sum("time")
    isi = int(paid.sel(patron="pakistan_isi", faction="haqqani"))
    assert isi > 0
    assert int(summary["total_credited"].sel(faction="haqqani", source="patron:pakistan_isi")) == isi
    assert int(ind["faction_income"].sel(income="patron_support").sum()) == int(paid.sum())
    # ISI money reaches ISIS-Kabul through the Haqqanis' covert support (al Qaeda, which starts
    # with twice the reserve its protection pays up to, is paid nothing in these 60 weeks).
    assert int(summary["total_transferred"].sel(
        from_faction="haqqani", to_faction="isis_kabul", source="patron:pakistan_isi")) > 0


def test_new_event_kinds_and_columns_are_declared(baseline_file):
    ev = xr.open_dataset(baseline_file, engine="h5netcdf", group="events")
    kinds = ev["kind"].attrs["flag_meanings"].split()
    for kind in ["coalition_joined", "coalition_left", "sanction_started", "hostage_taken",
                 "hostage_released", "hostage_lost"]:
        assert kind in kinds
    columns = [c for c in ev.data_vars if c != "time"]  # the writer adds time
    assert columns[-len(NEW_EVENT_COLUMNS):] == NEW_EVENT_COLUMNS, "appended after the old ones"
    assert columns.index("to_faction") < columns.index("state")


def test_a_sanctions_run_freezes_money_the_books_account_for(run_aidflow):
    # al Qaeda at its reserve, so that the Haqqanis pay it (and the sanction has payments to seize)
    path = run_aidflow("sanctions", "--set", SANCTIONS,
                       "--set", "factions[al_qaeda].treasury_usd=1200000")
    ind = xr.open_dataset(path, engine="h5netcdf")
    assert list(ind["sanction"].values) == ["haqqani->al_qaeda", "treasury:isis_kabul"]
    frozen = ind["sanction_frozen"].sum("time")
    assert int(frozen.sel(sanction="haqqani->al_qaeda")) > 0
    assert int(frozen.sel(sanction="treasury:isis_kabul")) > 0
    spent = ind["faction_spending"].sel(spending="frozen_by_sanctions").sum("time")
    assert int(spent.sel(faction="haqqani")) == int(frozen.sel(sanction="haqqani->al_qaeda"))
    assert int(spent.sel(faction="isis_kabul")) == int(frozen.sel(sanction="treasury:isis_kabul"))
    assert (ind["sanction_effective"].values <= 1).all()
    assert aa.ledger_balances(aa.open_run(path)).all()
    events = aa.events(path)
    started = events[events["kind"] == "sanction_started"]
    assert list(started["sanction"]) == ["haqqani->al_qaeda", "treasury:isis_kabul"]
    assert list(started["faction"]) == ["haqqani", "isis_kabul"]
    # Frozen money leaves the accounts like spending: the books still close, per source.
    summary = xr.open_dataset(path, engine="h5netcdf", group="summary")
    held = xr.open_dataset(path, engine="h5netcdf", group="accounts")["treasury_by_source"]
    moved = summary["total_transferred"]
    expected = (summary["total_credited"] - summary["total_spent"].sum("spending")
                - moved.sum("to_faction").rename(from_faction="faction")
                + moved.sum("from_faction").rename(to_faction="faction"))
    np.testing.assert_array_equal(held.isel(time=-1).values, expected.values)
