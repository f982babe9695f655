"""Results do not depend on how a scenario lists its entries (issue 23).

Every random stream of a faction, donor, ministry, patron or pair of them is keyed by identity, and
the loader puts every list in one canonical order, so: reversing every list of the reference
changes no result (after aligning by label), and adding an inert faction, donor and patron at the
start of their lists leaves every other entry's series exactly as they were.
"""
from __future__ import annotations

import copy

import numpy as np
import pytest
import xarray as xr
import yaml

from aidflow_analysis import events

from conftest import BASELINE, REPO_ROOT

GROUPS = (None, "ledger", "summary", "accounts")
# Sorts first in every list, so every other entry's position moves; or last, where a faction
# without pull must not take a household's remaining recruits.
INERT_IDS = ["aaa_inert", "zzz_inert"]


def reference() -> dict:
    """The reference, its tables named by absolute path (the copies are written elsewhere)."""
    scenario = yaml.safe_load(BASELINE.read_text())
    scenario["geography"]["data"] = str(REPO_ROOT / "data")
    return scenario


def with_levers(scenario: dict) -> dict:
    """The reference with conditions, sanctions and coalition members, so those lists have entries."""
    s = copy.deepcopy(scenario)
    s["policy"]["conditionality"] = [
        {"donors": ["usa", "uk", "germany"], "aid_types": ["budget_support", "national_ngo"],
         "trigger": "attacks_observed", "threshold": 5, "suspension_weeks": 13, "review_weeks": 13,
         "multilateral": True, "substitution": 0.5},
        {"donors": ["eu_others", "usa"], "aid_types": ["budget_support"],
         "trigger": "diversion_observed", "threshold": 0.01, "suspension_weeks": 13, "review_weeks": 13,
         "humanitarian_carve_out": False},
    ]
    s["sanctions"] = [
        {"target": "edge", "from": "haqqani", "to": "al_qaeda", "enforcement": 0.8, "evasion_per_year": 0.3},
        {"target": "edge", "from": "haqqani", "to": "isis_kabul", "enforcement": 0.6},
        {"target": "treasury", "faction": "haqqani", "freeze_per_week": 0.01},
    ]
    s["coalition"]["members"] = ["china", "russia"]
    return s


def reversed_mapping(mapping: dict) -> dict:
    return dict(reversed(list(mapping.items())))


def reverse_every_list(scenario: dict) -> dict:
    """Every list of entries reversed, and every mapping keyed by ids (a donor's channels and
    sectors) listed backwards. References between entries are by id, so they stay valid."""
    s = copy.deepcopy(scenario)
    for key in ("factions", "alliances", "hostilities", "channels", "ministries", "sectors", "donors",
                "patrons", "sanctions"):
        if key in s:
            s[key] = s[key][::-1]
    for donor in s["donors"]:
        donor["channels"] = reversed_mapping(donor["channels"])
        donor["sectors"] = reversed_mapping(donor["sectors"])
    for patron in s["patrons"]:
        if "support" in patron:
            patron["support"] = patron["support"][::-1]
        if "threat" in patron:
            patron["threat"]["feared"] = patron["threat"]["feared"][::-1]
    if s["coalition"].get("members"):
        s["coalition"]["members"] = s["coalition"]["members"][::-1]
    if "conditionality" in s["policy"]:
        rules = s["policy"]["conditionality"][::-1]
        s["policy"]["conditionality"] = [{**r, "donors": r["donors"][::-1]} for r in rules]
    return s


def with_inert_entries(scenario: dict, inert: str) -> dict:
    """An inert faction, donor and patron first in their lists: no fighters, money, influence or pull."""
    s = copy.deepcopy(scenario)
    s["factions"].insert(0, {"id": inert})
    s["donors"].insert(0, {"id": inert, "budget_usd_per_year": 0, "channels": {"un_agency": 1.0},
                           "sectors": {"food": 1.0}})
    s["patrons"].insert(0, {"id": inert, "kind": "non_state"})
    return s


def run_of(run_aidflow, tmp_path, name: str, scenario: dict):
    path = tmp_path / f"{name}.yaml"
    # One line per value: a scenario's quoted text must close on its own line.
    path.write_text(yaml.safe_dump(scenario, sort_keys=False, width=1_000_000))
    return run_aidflow(name, "--seed", "11", scenario=str(path))


def label_dims(ds: xr.Dataset) -> list:
    """Dimensions labelled by a string coordinate of their own name (donor, faction, sink, ...)."""
    return [d for d in ds.dims if d in ds.coords and ds[d].dtype.kind in "OUS"]


def by_label(var: xr.DataArray, ds: xr.Dataset) -> xr.DataArray:
    """Index-valued variables as the labels they point to, so they compare across orders."""
    if var.name == "ministry_controller":
        return var.copy(data=ds["faction"].values[var.values])
    return var


def differences(a_path, b_path) -> list:
    """Variables of every group of run A that differ in run B, B aligned to A's labels."""
    found = []
    for group in GROUPS:
        a, b = (xr.open_dataset(p, engine="netcdf4", group=group).load() for p in (a_path, b_path))
        for name, var in a.data_vars.items():
            if name == "scenario":  # the file's own text, which differs by construction
                continue
            other = b[name].sel({d: var[d].values for d in var.dims if d in label_dims(a)})
            x, y = by_label(var, a).values, by_label(other, b).values
            if not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
                found.append(f"{group or '/'}:{name}")
    ev_a, ev_b = events(a_path), events(b_path)
    if not ev_a.astype(str).equals(ev_b.astype(str)):
        found.append("events")
    return found


@pytest.mark.parametrize("levers", [False, True], ids=["reference", "reference_with_levers"])
def test_reversing_every_list_changes_no_result(run_aidflow, tmp_path, levers):
    scenario = with_levers(reference()) if levers else reference()
    backwards = reverse_every_list(scenario)
    assert [f["id"] for f in backwards["factions"]] != [f["id"] for f in scenario["factions"]]
    a = run_of(run_aidflow, tmp_path, "forwards", scenario)
    b = run_of(run_aidflow, tmp_path, "backwards", backwards)
    with xr.open_dataset(a, engine="netcdf4") as ds:
        assert int(ds.attacks_executed.sum()) > 0 and int(ds.aid_diverted.sum()) > 0, "a run with draws"
        if levers:
            assert float(ds.sanction_effective.sum()) > 0, "the sanctions act"
    assert differences(a, b) == []


@pytest.mark.parametrize("inert", INERT_IDS)
def test_inert_entries_first_leave_every_other_series_unchanged(run_aidflow, tmp_path, inert):
    scenario = with_levers(reference())
    a = run_of(run_aidflow, tmp_path, "without", scenario)
    b = run_of(run_aidflow, tmp_path, "with_inert", with_inert_entries(scenario, inert))
    with xr.open_dataset(b, engine="netcdf4") as ds:
        place = 0 if inert == INERT_IDS[0] else -1
        for dim in ("faction", "donor", "patron"):
            assert ds[dim].values[place] == inert, f"the inert {dim} sorts to the end of the order"
        assert int(ds.aid_disbursed.sel(donor=inert).sum()) == 0
        assert int(ds.faction_treasury.sel(faction=inert).sum()) == 0
        assert int(ds.faction_recruits.sel(faction=inert).sum()) == 0
    assert differences(a, b) == []
