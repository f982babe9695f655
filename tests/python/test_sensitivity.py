"""Sensitivity estimators against functions whose indices are known exactly."""
import numpy as np
import pandas as pd

from aidflow_analysis import sensitivity as sa

PI = np.pi


def test_sobol_indices_of_ishigami():
    frame = sa.saltelli_sample([(-PI, PI)] * 3, n=20000, seed=1)
    frame["y"] = sa.ishigami(frame[["x1", "x2", "x3"]].to_numpy())
    got = sa.sobol_indices(frame, ["x1", "x2", "x3"], "y")
    want = sa.ishigami_indices()
    np.testing.assert_allclose(got["S1"], want["S1"], atol=0.03)
    np.testing.assert_allclose(got["ST"], want["ST"], atol=0.03)


def test_sobol_bootstrap_interval_covers_the_truth_and_replicates_are_averaged():
    frame = sa.saltelli_sample([(-PI, PI)] * 3, n=4000, seed=2)
    frame["y"] = sa.ishigami(frame[["x1", "x2", "x3"]].to_numpy())
    twice = pd.concat([frame, frame.assign(y=frame.y + 0.0)])  # two "replicates" of each point
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
    got = sa.morris_indices(frame, ["x1", "x2", "x3"], "y", bounds=bounds)
    np.testing.assert_allclose(got["mu"], coefficients, atol=1e-9)
    np.testing.assert_allclose(got["mu_star"], np.abs(coefficients), atol=1e-9)
    np.testing.assert_allclose(got["sigma"], 0, atol=1e-9)
    assert (got["effects"] == 30).all()


def test_morris_ranks_ishigami_inputs():
    frame = sa.morris_sample([(-PI, PI)] * 3, trajectories=200, levels=4, seed=5)
    frame["y"] = sa.ishigami(frame[["x1", "x2", "x3"]].to_numpy())
    got = sa.morris_indices(frame, ["x1", "x2", "x3"], "y")
    # x3 acts only through its interaction with x1: a small mean effect but a large spread.
    assert abs(got.loc["x3", "mu"]) < 0.5 * got.loc["x3", "mu_star"]
    assert got.loc["x3", "sigma"] > got.loc["x3", "mu_star"] * 0.5
    assert got.loc["x1", "mu_star"] > 0 and got.loc["x2", "mu_star"] > 0
