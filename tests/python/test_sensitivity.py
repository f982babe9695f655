"""Sensitivity estimators against functions whose indices are known exactly."""
import numpy as np
import pandas as pd
import pytest

from aidflow_analysis import sensitivity as sa

PI = np.pi


def test_sobol_indices_of_ishigami_and_a_warning_for_the_input_without_first_order():
    frame = sa.saltelli_sample([(-PI, PI)] * 3, n=20000, seed=1)
    frame["y"] = sa.ishigami(frame[["x1", "x2", "x3"]].to_numpy())
    # x3 acts only with x1: its S1 is 0, so its interval must span zero, and only its.
    with pytest.warns(sa.SensitivityWarning, match=r"x3: S1 interval spans zero$"):
        got = sa.sobol_indices(frame, ["x1", "x2", "x3"], "y")
    want = sa.ishigami_indices()
    np.testing.assert_allclose(got["S1"], want["S1"], atol=0.03)
    np.testing.assert_allclose(got["ST"], want["ST"], atol=0.03)
    assert list(got["warning"]) == ["", "", "S1 interval spans zero"]


def test_sobol_warns_when_a_first_order_index_is_above_its_total_beyond_noise():
    """An output that differs between blocks as no function of the inputs does (noise between
    runs): f(A) = 0, f(AB_1) = f(B), the other blocks 0. Then S1 of x1 is about 2 and its ST
    about 1, which no model can give; x2 and x3 are flagged only as indistinguishable from 0."""
    frame = sa.saltelli_sample([(0, 1)] * 3, n=400, seed=7)
    f_b = np.random.default_rng(7).normal(size=400)[frame.sobol_sample]
    frame["y"] = np.where(frame.sobol_block.isin([1, 4]), f_b, 0.0)
    with pytest.warns(sa.SensitivityWarning, match="x1: S1 above ST"):
        got = sa.sobol_indices(frame, ["x1", "x2", "x3"], "y")
    assert got.loc["x1", "S1"] == pytest.approx(2, abs=0.3)
    assert got.loc["x1", "ST"] == pytest.approx(1, abs=0.2)
    assert not got.loc[["x2", "x3"], "warning"].str.contains("above").any()


def test_sobol_bootstrap_interval_covers_the_truth_and_replicates_are_averaged():
    frame = sa.saltelli_sample([(-PI, PI)] * 3, n=4000, seed=2)
    frame["y"] = sa.ishigami(frame[["x1", "x2", "x3"]].to_numpy())
    twice = pd.concat([frame, frame.assign(y=frame.y + 0.0)])  # two "replicates" of each point
    with pytest.warns(sa.SensitivityWarning, match=r"^Sobol indices: x3: S1 interval spans zero$"):
        got = sa.sobol_indices(twice, ["x1", "x2", "x3"], "y", bootstrap=200, seed=3)
    want = sa.ishigami_indices()
    assert ((got.S1_low - 0.02 <= want.S1) & (want.S1 <= got.S1_high + 0.02)).all()
    assert ((got.ST_low - 0.02 <= want.ST) & (want.ST <= got.ST_high + 0.02)).all()


def test_morris_on_a_linear_function_gives_its_coefficients():
    coefficients = np.array([4.0, -2.0, 0.0])
    bounds = [(0, 1), (10, 20), (-5, 5)]  # effects are per share of each range
    frame = sa.morris_sample(bounds, trajectories=30, levels=4, seed=4)
    x = frame[["x1", "x2", "x3"]].to_numpy()
    frame["y"] = x[:, 0] * 4.0 + (x[:, 1] - 10) / 10 * -2.0 + 0 * x[:, 2]
    with pytest.warns(sa.SensitivityWarning, match=r"x3: mu interval spans zero"):
        got = sa.morris_indices(frame, ["x1", "x2", "x3"], "y", bounds=bounds)
    assert list(got["warning"] != "") == [False, False, True], "x3 has no effect"
    np.testing.assert_allclose(got.loc["x1", ["mu_low", "mu_high"]].astype(float), [4.0, 4.0],
                               atol=1e-9)
    np.testing.assert_allclose(got["mu"], coefficients, atol=1e-9)
    np.testing.assert_allclose(got["mu_star"], np.abs(coefficients), atol=1e-9)
    np.testing.assert_allclose(got["sigma"], 0, atol=1e-9)
    assert (got["effects"] == 30).all()


def test_morris_ranks_ishigami_inputs():
    frame = sa.morris_sample([(-PI, PI)] * 3, trajectories=200, levels=4, seed=5)
    frame["y"] = sa.ishigami(frame[["x1", "x2", "x3"]].to_numpy())
    # x2 (sin squared) and x3 (through x1, of either sign) have effects of both signs; x1 not.
    with pytest.warns(sa.SensitivityWarning, match=r"^Morris indices: x2: .*; x3: mu interval"):
        got = sa.morris_indices(frame, ["x1", "x2", "x3"], "y")
    # x3 acts only through its interaction with x1: a small mean effect but a large spread.
    assert abs(got.loc["x3", "mu"]) < 0.5 * got.loc["x3", "mu_star"]
    assert got.loc["x3", "sigma"] > got.loc["x3", "mu_star"] * 0.5
    assert got.loc["x1", "mu_star"] > 0 and got.loc["x2", "mu_star"] > 0


def test_morris_steps_a_log_scale_input_on_its_logarithm():
    """y = ln(x1) + x2 with x1 on a log scale over [1, 100]: every elementary effect of x1 is
    ln(100) per unit of its log range (on the linear range they would vary with x1)."""
    bounds = [(1.0, 100.0), (0.0, 1.0)]
    frame = sa.morris_sample(bounds, trajectories=20, levels=4, seed=8, log=["x1"])
    frame["y"] = np.log(frame.x1) + frame.x2
    got = sa.morris_indices(frame, ["x1", "x2"], "y", bounds=bounds, log=["x1"])
    np.testing.assert_allclose(got.loc["x1", ["mu", "mu_star"]].astype(float), [np.log(100)] * 2,
                               rtol=1e-9)
    assert got.loc["x1", "sigma"] == pytest.approx(0, abs=1e-9)
    linear = sa.morris_indices(frame, ["x1", "x2"], "y", bounds=bounds)
    assert linear.loc["x1", "sigma"] > 1, "without log the effects differ along the range"
    with pytest.raises(ValueError, match="log-scale input needs values and bounds above 0"):
        sa.morris_indices(frame, ["x1", "x2"], "y", bounds=[(0.0, 100.0), (0.0, 1.0)], log=["x1"])
