"""Comparisons over an ensemble: pairs matched by draw and seed, the mean effect's interval a
bootstrap over the draws, a predictive interval over draws x seeds, and the probability that the
policy does better. First on synthetic runs whose answer is known, then on a real small sweep."""
import subprocess

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import aidflow_analysis as aa
from aidflow_analysis.comparison import lower_is_better
from conftest import BASELINE

DRAWS, SEEDS, WEEKS = 10, 4, 3


def synthetic(effect_by_draw, seed_noise=0.0, draws=DRAWS, label="reference", policy=False):
    """Runs of `draws` x SEEDS: each run's weekly `x` is 10 + its seed's noise, plus, for the
    policy, the draw's effect spread evenly over the weeks (so the run's total moves by it)."""
    rng = np.random.default_rng(7)
    noise = rng.normal(0, seed_noise, (draws, SEEDS))  # the same seed noise on both sides (CRN)
    rows = []
    for d in range(draws):
        for s in range(SEEDS):
            total = 10 * WEEKS + noise[d, s] + (effect_by_draw[d] if policy else 0.0)
            rows.append(np.full(WEEKS, total / WEEKS))
    runs = draws * SEEDS
    time = pd.date_range("2022-01-03", periods=WEEKS, freq="7D")
    return xr.Dataset(
        {"x": (("run", "time"), np.array(rows), {"units": "people", "long_name": "x"})},
        coords={"time": time, "seed": ("run", np.tile(np.arange(1, SEEDS + 1), draws)),
                "draw": ("run", np.repeat(np.arange(draws), SEEDS)),
                "label": ("run", [label] * runs)})


X = lower_is_better(aa.flow("x"))


def test_the_paired_effect_over_draws_and_seeds_has_the_known_mean_spread_and_chance():
    effect = np.arange(DRAWS, dtype=float)  # 0, 1, ..., 9: a policy effect that depends on the draw
    table = aa.compare_table(synthetic(effect), synthetic(effect, policy=True), [X])
    row = table.iloc[0]
    assert row.difference == pytest.approx(4.5)
    assert (row.draws, row.seeds, row.pairs) == (DRAWS, SEEDS, DRAWS * SEEDS)
    # The mean's interval: the bootstrap over 10 draws of a mean whose sd is 2.87 / sqrt(10),
    # so about 4.5 -+ 1.96 x 0.91 (the percentile bootstrap of a discrete set is a little narrower).
    assert 2.5 < row.low < 3.2 and 5.8 < row.high < 6.5, row
    # Predictive: the 2.5% and 97.5% percentiles of 0..9, each four times.
    pairs = np.repeat(effect, SEEDS)
    assert row.predictive_low == pytest.approx(np.quantile(pairs, 0.025))
    assert row.predictive_high == pytest.approx(np.quantile(pairs, 0.975))
    # b is above a in 9 draws of 10 and equal in one (counted half); lower is better for x.
    assert row.p_higher == pytest.approx(0.95)
    assert row.p_beats == pytest.approx(0.05)
    text = repr(table)
    assert text.startswith("paired by draw (draw) and seed: 10 draws x 4 seeds")
    assert "bootstrap over the draws" in table.attrs["method"]


def test_the_interval_includes_the_parameters_uncertainty_not_only_the_seeds():
    """A policy whose effect is +3 in half the draws and -1 in the others, without seed noise:
    any one draw's seeds agree exactly (a seed-only interval of zero width), but over the
    ensemble the mean's interval is wide and the predictive interval spans both effects."""
    effect = np.where(np.arange(DRAWS) % 2 == 0, 3.0, -1.0)
    a, b = synthetic(effect), synthetic(effect, policy=True)
    one_draw = aa.compare_table(a.where(a.draw == 0, drop=True), b.where(b.draw == 0, drop=True),
                                [X], draw=())
    assert one_draw.iloc[0].low == one_draw.iloc[0].high == 3.0
    row = aa.compare_table(a, b, [X]).iloc[0]
    assert row.difference == pytest.approx(1.0)
    assert row.low < 0.5 and row.high > 1.5
    assert row.predictive_low == pytest.approx(-1.0) and row.predictive_high == pytest.approx(3.0)
    assert row.p_beats == pytest.approx(0.5)


def test_common_random_numbers_cancel_the_seed_noise_in_every_pair():
    effect = np.full(DRAWS, 2.0)
    row = aa.compare_table(synthetic(effect, seed_noise=5.0),
                           synthetic(effect, seed_noise=5.0, policy=True), [X]).iloc[0]
    # Common random numbers: the same noise on both sides, so every pair differs by exactly 2.
    assert row.difference == pytest.approx(2.0)
    assert row.low == pytest.approx(2.0) and row.high == pytest.approx(2.0)
    assert row.p_beats == 0.0


def test_the_same_runs_give_the_same_interval_and_the_band_over_time_matches_the_table():
    effect = np.arange(DRAWS, dtype=float)
    a, b = synthetic(effect), synthetic(effect, policy=True)
    first, second = (aa.compare_table(a, b, [X]) for _ in range(2))
    pd.testing.assert_frame_equal(first, second)
    band = aa.compare(a, b, X, cumulative=True)
    assert band.attrs["draws"] == DRAWS and band.attrs["seeds"] == SEEDS
    last = band.isel(time=-1)
    assert float(last.difference) == pytest.approx(first.iloc[0].difference)
    assert float(last.low) == pytest.approx(first.iloc[0].low)
    assert float(last.predictive_high) == pytest.approx(first.iloc[0].predictive_high)


def test_pairs_need_the_same_draws_and_without_draws_a_repeated_seed_is_refused():
    effect = np.zeros(DRAWS)
    a = synthetic(effect)
    other_draws = synthetic(effect, policy=True).assign_coords(draw=("run", np.repeat(np.arange(
        100, 100 + DRAWS), SEEDS)))
    with pytest.raises(aa.ComparisonError, match="share no draw .* on the same draws"):
        aa.compare_table(a, other_draws, [X])
    with pytest.raises(aa.ComparisonError, match="runs_a repeat a seed"):
        aa.compare_table(a, a, [X], draw=())
    with pytest.raises(aa.ComparisonError, match="no coordinate wing along run"):
        aa.compare_table(a, a, [X], draw="wing")


def test_without_a_draw_the_table_is_todays_seed_only_one(replicates):
    base, other = replicates
    table = aa.compare_table(base, other, ["aid_diverted"])
    assert list(table.columns) == ["a", "b", "difference", "low", "high", "percent_change",
                                   "pairs", "units"]
    assert "method" not in table.attrs


@pytest.fixture(scope="module")
def small_ensemble(aidflow_bin, tmp_path_factory):
    """A real sweep, its runs kept: 4 sampled points of two assumptions (the draws) x 2 arms
    (crossed: the status quo, and third-party monitoring at 0.8) x 2 seeds, at 500 households
    over 20 weeks."""
    out = tmp_path_factory.mktemp("ensemble")
    sweep = out / "ensemble.yaml"
    sweep.write_text(f"""
name: ensemble_compare
scenario: {BASELINE}
set: [run.households=500, run.steps=20]
parameters:
  - path: policy.monitoring.effect
    range: [0.1, 0.9]
  - path: geography.baseline_need
    range: [0.4, 0.7]
  - name: arm
    crossed: true
    levels:
      status_quo: []
      monitored: [policy.monitoring.third_party=0.8]
design: {{kind: latin_hypercube, points: 4, seed: 3}}
replicates: 2
seed: 1
""")
    subprocess.run([str(aidflow_bin), "sweep", str(sweep), "-o", str(out / "sweep"), "-q",
                    "--keep-runs"], check=True, timeout=600)
    return aa.open_sweep(out / "sweep")


def test_a_real_crossed_sweep_compares_its_arms_over_draws_and_seeds(small_ensemble):
    """The arms of one crossed sweep share their draws (the sampled values) and seeds."""
    runs = small_ensemble.runs()
    arm = {name: runs.isel(run=np.flatnonzero(runs.arm.values == name))
           for name in ("status_quo", "monitored")}
    table = aa.compare_table(arm["status_quo"], arm["monitored"], ["aid_diverted", "people_reached"],
                             draw=["effect", "baseline_need"])
    diverted = table.loc["aid diverted to armed groups"]
    assert (diverted.draws, diverted.seeds, diverted.pairs) == (4, 2, 8)
    index = small_ensemble.index
    by_key = {name: index[index.arm == name].set_index(["effect", "baseline_need", "seed"]).diverted
              for name in arm}
    expected = (by_key["monitored"] - by_key["status_quo"]) / 100  # the store's cents, as USD
    assert diverted.difference == pytest.approx(expected.mean())
    assert diverted.predictive_low <= diverted.low <= diverted.difference <= diverted.high
    assert diverted.high <= diverted.predictive_high
    # Monitoring at 0.8 lowers diversion at every draw and seed (its effect is at least 0.1).
    assert (expected < 0).all() and diverted.high < 0 and diverted.p_beats == 1.0
    text = repr(table)
    assert "4 draws x 2 seeds" in text
    assert "e+0" not in text and " million" in text and "100.0%" in text, text  # dollars, percent


def test_one_draw_is_compared_over_its_seeds_as_without_draws():
    """A single draw (the one point of a sweep, say) gives today's Student's t over the seeds,
    not a bootstrap of one value."""
    effect = np.full(1, 2.0)
    a = synthetic(effect, seed_noise=1.0, draws=1)
    b = synthetic(effect, seed_noise=1.0, draws=1, policy=True).assign(x=lambda d: d.x * 1.1)
    table = aa.compare_table(a, b, [X])
    assert "draws" not in table.columns and "method" not in table.attrs
    assert table.iloc[0].low < table.iloc[0].difference < table.iloc[0].high
