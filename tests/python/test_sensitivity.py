"""Sensitivity estimators against functions whose indices are known exactly, on the designs the
sweep engine lays out (the store's parameter values and design coordinates): the estimators read
the layout the sweep wrote, so no second implementation of it exists to drift (issue 16).

Each design is a real sweep of a tiny scenario (tests/bad_scenarios/_valid_base.yaml, one week);
the output is a known function of the parameter values the store records, not the model."""
import subprocess

import numpy as np
import pandas as pd
import pytest

from aidflow_analysis import open_sweep
from aidflow_analysis import sensitivity as sa

from conftest import REPO_ROOT

PI = np.pi
BASE = REPO_ROOT / "tests" / "bad_scenarios" / "_valid_base.yaml"
# Three keys of the tiny scenario with room to move, standing for x1, x2, x3.
INPUTS = {"relief_usd_per_person_week": ("households.relief_usd_per_person_week", 1.0, 10.0),
          "local_tax_rate": ("factions[haqqani].local_tax_rate", 0.0, 0.1),
          "influence": ("factions[kandahari].influence", 0.1, 0.4)}


def design(aidflow_bin, tmp_path_factory, kind: str, points: int, extra: str = "",
           inputs=INPUTS) -> pd.DataFrame:
    """The store's index of a sweep of `kind` over `inputs` (their ranges as given)."""
    params = "".join(f"  - path: {path}\n    range: [{lo}, {hi}]\n{extra if name == 'x1log' else ''}"
                     for name, (path, lo, hi) in inputs.items())
    out = tmp_path_factory.mktemp("design")
    text = (f"name: {kind}_design\nscenario: {BASE}\nset: [run.steps=1]\nparameters:\n{params}"
            f"design: {{kind: {kind}, points: {points}, seed: 5}}\nreplicates: 1\nseed: 1\n")
    (out / "sweep.yaml").write_text(text)
    done = subprocess.run([str(aidflow_bin), "sweep", str(out / "sweep.yaml"), "-o",
                           str(out / "dir"), "-q"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return open_sweep(out / "dir").index


def on_cube(frame: pd.DataFrame, inputs=INPUTS) -> np.ndarray:
    """The parameter values mapped linearly onto [-pi, pi], Ishigami's domain."""
    return np.column_stack([-PI + 2 * PI * (frame[name] - lo) / (hi - lo)
                            for name, (_, lo, hi) in inputs.items()])


@pytest.fixture(scope="module")
def sobol(aidflow_bin, tmp_path_factory):
    frame = design(aidflow_bin, tmp_path_factory, "sobol", 1024)
    return frame.assign(y=sa.ishigami(on_cube(frame)))


def test_sobol_indices_of_ishigami_and_a_warning_for_the_input_without_first_order(sobol):
    assert len(sobol) == 1024 * 5 and set(sobol.sobol_block) == set(range(5))
    # x3 acts only with x1: its S1 is 0, so its interval must span zero, and only its.
    with pytest.warns(sa.SensitivityWarning, match=r"^Sobol indices: influence: S1 interval spans zero$"):
        got = sa.sobol_indices(sobol, list(INPUTS), "y")
    want = sa.ishigami_indices().set_axis(list(INPUTS))
    np.testing.assert_allclose(got["S1"], want["S1"], atol=0.02)
    np.testing.assert_allclose(got["ST"], want["ST"], atol=0.02)
    assert list(got["warning"]) == ["", "", "S1 interval spans zero"]


def test_sobol_bootstrap_interval_covers_the_truth_and_replicates_are_averaged(sobol):
    twice = pd.concat([sobol, sobol.assign(y=sobol.y + 0.0)])  # two "replicates" of each point
    with pytest.warns(sa.SensitivityWarning, match=r"influence: S1 interval spans zero$"):
        got = sa.sobol_indices(twice, list(INPUTS), "y", bootstrap=200, seed=3)
    want = sa.ishigami_indices().set_axis(list(INPUTS))
    assert ((got.S1_low - 0.01 <= want.S1) & (want.S1 <= got.S1_high + 0.01)).all()
    assert ((got.ST_low - 0.01 <= want.ST) & (want.ST <= got.ST_high + 0.01)).all()


def test_sobol_warns_when_a_first_order_index_is_above_its_total_beyond_noise(sobol):
    """An output that differs between blocks as no function of the inputs does (noise between
    runs): f(A) = 0, f(AB_1) = f(B), the other blocks 0. Then S1 of x1 is about 2 and its ST
    about 1, which no model can give; x2 and x3 are not flagged as above."""
    f_b = np.random.default_rng(7).normal(size=sobol.sobol_sample.max() + 1)[sobol.sobol_sample]
    noisy = sobol.assign(y=np.where(sobol.sobol_block.isin([1, 4]), f_b, 0.0))
    with pytest.warns(sa.SensitivityWarning, match="relief_usd_per_person_week: S1 above ST"):
        got = sa.sobol_indices(noisy, list(INPUTS), "y")
    assert got["S1"].iloc[0] == pytest.approx(2, abs=0.3)
    assert got["ST"].iloc[0] == pytest.approx(1, abs=0.2)
    assert not got["warning"].iloc[1:].str.contains("above").any()


@pytest.fixture(scope="module")
def morris(aidflow_bin, tmp_path_factory):
    return design(aidflow_bin, tmp_path_factory, "morris", 30)


def test_morris_on_a_linear_function_gives_its_coefficients(morris):
    coefficients = np.array([4.0, -2.0, 0.0])  # per share of each input's range
    x = on_cube(morris) / (2 * PI) + 0.5  # each input as a share of its range
    frame = morris.assign(y=x @ coefficients)
    bounds = [(lo, hi) for _, lo, hi in INPUTS.values()]
    with pytest.warns(sa.SensitivityWarning, match=r"influence: mu interval spans zero"):
        got = sa.morris_indices(frame, list(INPUTS), "y", bounds=bounds)
    assert list(got["warning"] != "") == [False, False, True], "x3 has no effect"
    np.testing.assert_allclose(got["mu"].astype(float), coefficients, atol=1e-9)
    np.testing.assert_allclose(got["mu_star"].astype(float), np.abs(coefficients), atol=1e-9)
    np.testing.assert_allclose(got["sigma"].astype(float), 0, atol=1e-9)
    np.testing.assert_allclose(got.loc["relief_usd_per_person_week", ["mu_low", "mu_high"]]
                               .astype(float), [4.0, 4.0], atol=1e-9)
    assert (got["effects"] == 30).all()


def test_morris_ranks_ishigami_inputs(morris):
    frame = morris.assign(y=sa.ishigami(on_cube(morris)))
    # x2 (sin squared) and x3 (through x1, of either sign) have effects of both signs.
    with pytest.warns(sa.SensitivityWarning, match=r"influence: mu interval spans zero"):
        got = sa.morris_indices(frame, list(INPUTS), "y")
    # x3 acts only through its interaction with x1: a small mean effect but a large spread.
    x3 = got.loc["influence"]
    assert abs(x3.mu) < 0.5 * x3.mu_star and x3.sigma > 0.5 * x3.mu_star
    assert (got["mu_star"] > 0).all()


def test_morris_steps_a_log_scale_parameter_on_its_logarithm(aidflow_bin, tmp_path_factory):
    """A sweep parameter with `scale: log` over [1e5, 1e7] and y = ln(x1) + x2: every elementary
    effect of x1 is ln(100) per unit of its log range (on the linear range they would vary)."""
    inputs = {"x1log": ("donors[usa].budget_usd_per_year", 1e5, 1e7),
              "x2": ("factions[haqqani].local_tax_rate", 0.0, 0.1)}
    frame = design(aidflow_bin, tmp_path_factory, "morris", 20, "    scale: log\n", inputs)
    frame = frame.rename(columns={"budget_usd_per_year": "x1log", "local_tax_rate": "x2"})
    frame["y"] = np.log(frame.x1log) + frame.x2
    bounds = [(1e5, 1e7), (0.0, 0.1)]
    got = sa.morris_indices(frame, ["x1log", "x2"], "y", bounds=bounds, log=["x1log"])
    np.testing.assert_allclose(got.loc["x1log", ["mu", "mu_star"]].astype(float),
                               [np.log(100)] * 2, rtol=1e-6)
    assert got.loc["x1log", "sigma"] == pytest.approx(0, abs=1e-6)
    linear = sa.morris_indices(frame, ["x1log", "x2"], "y", bounds=bounds)
    assert linear.loc["x1log", "sigma"] > 1, "without log the effects differ along the range"
    with pytest.raises(ValueError, match="log-scale input needs values and bounds above 0"):
        sa.morris_indices(frame, ["x1log", "x2"], "y", bounds=[(0.0, 1e7), (0.0, 0.1)], log=["x1log"])
