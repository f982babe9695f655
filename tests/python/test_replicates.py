"""Summaries over replicates: every single-run table, the event table and every figure also take
several runs, giving the mean over them and a Student's t interval (aidflow_analysis.replicates)."""
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from matplotlib.collections import PolyCollection
from matplotlib.container import ErrorbarContainer

import aidflow_analysis as aa
from aidflow_analysis import plots
from aidflow_analysis.errors import AidflowError
from aidflow_analysis.replicates import mean_interval

# Student's t quantile 0.975 with 2 degrees of freedom (three replicates), from printed tables.
T_975_2DF = 4.302653


def test_the_interval_of_a_known_sample():
    # 1, 2, 3, 4: mean 2.5, s = sqrt(5/3), t(0.975, 3 df) = 3.182446, half-width t * s / 2 = 2.054260.
    # A normal quantile (1.96) or the population deviation (ddof=0) gives other bounds.
    mean, low, high = mean_interval(xr.DataArray([1.0, 2.0, 3.0, 4.0], dims="run"), "run")
    assert float(mean) == 2.5
    assert float(low) == pytest.approx(2.5 - 2.054260, abs=1e-5)
    assert float(high) == pytest.approx(2.5 + 2.054260, abs=1e-5)
    _, low90, high90 = mean_interval(xr.DataArray([1.0, 2.0, 3.0, 4.0], dims="run"), "run", 0.90)
    assert float(high90) - 2.5 == pytest.approx(2.353363 * np.sqrt(5 / 3) / 2, abs=1e-5)


def test_one_run_has_no_interval():
    mean, low, high = mean_interval(xr.DataArray([7.0], dims="run"), "run")
    assert float(mean) == 7.0 and np.isnan(float(low)) and np.isnan(float(high))


@pytest.fixture(scope="module")
def base(replicates):
    return [aa.open_run(path) for path in replicates[0]]


TABLES = {
    "aid_outcomes": aa.aid_outcomes,
    "diversion_table": aa.diversion_table,
    "donor_faction_shares": aa.donor_faction_shares,
    "settled_by_donor": aa.settled_by_donor,
    "diverted_by_ministry": aa.diverted_by_ministry,
    "attribution_gap": aa.attribution_gap,
}


@pytest.mark.parametrize("name", TABLES)
def test_a_table_of_replicates_is_the_mean_and_t_interval_of_the_runs_tables(base, name):
    table = TABLES[name]
    singles = [table(run).astype(float) for run in base]
    summary = table(base)
    assert summary.attrs == {"runs": 3, "confidence": 0.95}
    assert list(summary.columns.get_level_values("stat").unique()) == ["mean", "low", "high"]
    values = np.stack([s.to_numpy() for s in singles])  # run x row x column
    mean = values.mean(axis=0)
    half = T_975_2DF * values.std(axis=0, ddof=1) / np.sqrt(3)
    for j, column in enumerate(singles[0].columns):
        np.testing.assert_allclose(summary[(column, "mean")], mean[:, j], rtol=1e-12)
        np.testing.assert_allclose(summary[(column, "low")], mean[:, j] - half[:, j], rtol=1e-6)
        np.testing.assert_allclose(summary[(column, "high")], mean[:, j] + half[:, j], rtol=1e-6)
    assert summary.index.equals(singles[0].index)
    varies = np.nanmax(half) > 0
    assert varies, f"{name}: three seeds should not agree in every cell"


def test_paths_and_runs_summarise_alike(replicates, base):
    pd.testing.assert_frame_equal(aa.diversion_table(list(replicates[0])), aa.diversion_table(base))


def test_the_confidence_level_is_the_callers(base):
    wide, narrow = aa.aid_outcomes(base, 0.99), aa.aid_outcomes(base, 0.80)
    assert (wide[("diverted", "high")] > narrow[("diverted", "high")]).all()
    assert wide.attrs["confidence"] == 0.99


def test_replicates_of_other_shapes_are_refused(base, run):
    with pytest.raises(AidflowError, match="differ in shape"):
        aa.diverted_by_ministry([base[0], run.replace(summary=run.summary.isel(donor=[0]))])


def test_attribution_gap_counts_the_indicators_and_the_events(run):
    gap = aa.attribution_gap(run)
    ind = run.indicators
    np.testing.assert_array_equal(gap["executed"], ind["attacks_executed"].sum("time").values)
    np.testing.assert_array_equal(gap["claimed"], ind["attacks_claimed"].sum("time").values)
    assert (gap["gap"] == gap["claimed"] - gap["executed"]).all()
    assert list(gap.index) == list(ind["faction"].values)
    # The complex attacks in the capital, as docs/OUTPUT.md counts them from the event table.
    capital = aa.attribution_gap(run, complex_in_capital=True)
    ev = aa.events(run)
    k = ev.query("kind == 'attack' and complex == 1 and in_capital == 1")
    for faction in capital.index:
        assert capital.loc[faction, "claimed"] == (k.claimant == faction).sum()
        assert capital.loc[faction, "executed"] == (k.executor == faction).sum()
    assert (capital["executed"] <= gap["executed"]).all()


def test_events_of_several_runs_are_one_table(base):
    singles = [aa.events(run) for run in base]
    table = aa.events(base)
    assert table.index.names == ["run", "event"]
    assert len(table) == sum(len(s) for s in singles)
    for i, (run, single) in enumerate(zip(base, singles)):
        part = table.xs(i, level="run")
        assert (part["seed"] == run.seed).all()
        pd.testing.assert_frame_equal(part.drop(columns=["seed", "label"]), single)


LINE_PLOTS = [plots.aid_flows, plots.need, plots.people, plots.treasuries, plots.fighters,
              plots.recruits]


@pytest.mark.parametrize("plot", LINE_PLOTS[1:])
def test_a_line_figure_of_replicates_shades_the_interval_of_each_line(base, plot):
    def bands(fig):
        return sum(isinstance(c, PolyCollection) for ax in fig.axes for c in ax.collections)

    assert bands(plot(base[0])) == 0
    fig = plot(base)
    assert bands(fig) == sum(len(ax.lines) for ax in fig.axes) > 0
    assert "mean of 3 runs" in " ".join(fig.axes[0].get_title().split())  # titles wrap


def test_the_aid_flows_of_replicates_shade_the_interval_of_disbursed(base):
    labels = [c.get_label() for c in plots.aid_flows(base).axes[0].collections]
    assert "disbursed: interval" in labels


def test_the_band_is_the_interval_of_the_runs(base):
    fig = plots.fighters(base)
    ax = fig.axes[0]
    first = ax.lines[0]
    fighters = xr.concat([r.indicators["faction_fighters"].isel(faction=0) for r in base], "run")
    divisor = fighters.mean("run").max().item() / np.nanmax(first.get_ydata())
    np.testing.assert_allclose(first.get_ydata() * divisor, fighters.mean("run").values, rtol=1e-9)
    band = ax.collections[0].get_paths()[0].vertices[:, 1] * divisor
    half = T_975_2DF * fighters.std("run", ddof=1).values / np.sqrt(3)
    assert np.nanmax(band) == pytest.approx(np.max(fighters.mean("run").values + half), rel=1e-6)


@pytest.mark.parametrize("plot", [plots.diverted_by_faction, plots.attribution_gap])
def test_a_bar_figure_of_replicates_has_error_bars(base, plot):
    fig = plot(base)
    assert any(isinstance(c, ErrorbarContainer) for ax in fig.axes for c in ax.containers)


@pytest.mark.parametrize("plot", [plots.money_flow, plots.diversion_flow, plots.factions])
def test_flow_figures_of_replicates_draw(base, plot):
    fig = plot(base)
    titles = [ax.get_title() for ax in fig.axes] + [fig._suptitle.get_text() if fig._suptitle else ""]
    assert any("mean of 3 runs" in " ".join(t.split()) for t in titles)  # titles wrap


def test_a_figure_of_runs_of_other_weeks_is_refused(base, run):
    short = run.replace(indicators=run.indicators.isel(time=slice(0, 10)))
    with pytest.raises(AidflowError, match="same weeks"):
        plots.fighters([base[0], short])
