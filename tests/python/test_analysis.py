"""The aidflow_analysis package: tables agree with the file, and incomplete runs are refused."""
import shutil

import h5py
import numpy as np
import pytest

import aidflow_analysis as aa


def test_run_exposes_groups_and_attrs(run):
    assert run.attrs["status"] == "complete"
    assert "settled" in run.ledger and "total_settled" in run.summary
    assert "aid_disbursed" in run.indicators
    assert run.scenario.startswith("name: status_quo")


def test_to_usd_converts_only_cents(run):
    usd = run.indicators_usd
    np.testing.assert_allclose(usd["aid_disbursed"].values * 100, run.indicators["aid_disbursed"].values)
    assert usd["aid_disbursed"].attrs["units"] == "USD"
    np.testing.assert_array_equal(usd["need_mean"].values, run.indicators["need_mean"].values)
    assert run.indicators["aid_disbursed"].attrs["units"] == "USD cents", "to_usd must not modify its input"


def test_ledger_balances_true_at_every_step(run):
    balanced = aa.ledger_balances(run)
    assert list(balanced.index) == list(run.ledger["step"].values)
    assert balanced.dtype == bool and balanced.all()


def test_ledger_balances_detects_one_cent(run):
    settled = run.ledger["settled"].copy()
    settled[7, 0, 0, 0] += 1
    tampered = run.replace(ledger=run.ledger.assign(settled=settled))
    balanced = aa.ledger_balances(tampered)
    assert not balanced[7]
    assert balanced.drop(7).all()


def test_sink_parts():
    parts = aa.sink_parts(["delivered", "diverted:haqqani:local_tax"])
    assert parts.loc["delivered", "outcome"] == "delivered"
    assert parts.loc["diverted:haqqani:local_tax"].tolist() == ["diverted", "haqqani", "local_tax", "haqqani"]


def test_diversion_table_matches_indicators(run):
    table = aa.diversion_table(run)
    ind = run.indicators
    mechanisms = list(ind["mechanism"].values)
    assert list(table.index) == list(ind["faction"].values)
    expected = ind["diverted"].sum("time").to_pandas().loc[table.index, mechanisms]
    np.testing.assert_array_equal(np.rint(table[mechanisms].values * 100).astype(np.int64), expected.values)
    np.testing.assert_allclose(table["total"], table[mechanisms].sum(axis=1), rtol=1e-12)
    diverted_share = int(ind["aid_diverted"].sum()) / int(ind["aid_disbursed"].sum())
    assert table["share_of_disbursed"].sum() == pytest.approx(diverted_share, rel=1e-12)


def test_donor_faction_shares(run):
    shares = aa.donor_faction_shares(run)
    assert list(shares.columns) == list(run.indicators["faction"].values)
    assert list(shares.index) == list(run.summary["donor"].values)
    assert shares.notna().all().all()
    assert ((shares >= 0) & (shares <= 1)).all().all()
    outcomes = aa.aid_outcomes(run)
    np.testing.assert_allclose(shares.sum(axis=1), outcomes.loc[shares.index, "diverted"], rtol=1e-12)


def test_aid_outcomes_shares_sum_to_one(run):
    outcomes = aa.aid_outcomes(run)
    assert list(outcomes.columns) == ["disbursed_usd", "delivered", "overhead", "counter_terrorism", "diverted"]
    np.testing.assert_allclose(
        outcomes[["delivered", "overhead", "counter_terrorism", "diverted"]].sum(axis=1), 1.0, rtol=1e-12
    )
    total_usd = int(run.indicators["aid_disbursed"].sum()) / 100
    assert outcomes.loc["all", "disbursed_usd"] == pytest.approx(total_usd, rel=1e-12)
    assert 0 < outcomes.loc["all", "diverted"] < 1


def test_open_run_refuses_incomplete_file(baseline_file, tmp_path):
    partial = tmp_path / "running.h5"
    shutil.copyfile(baseline_file, partial)
    with h5py.File(partial, "r+") as f:
        f.attrs["status"] = "running"
    with pytest.raises(ValueError, match="running"):
        aa.open_run(partial)
