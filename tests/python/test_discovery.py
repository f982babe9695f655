"""Scenario discovery finds a failure region it was built to find: PRIM's box and CART's rule on
synthetic points where the conclusion fails exactly where x1 > 0.7 and x3 < 0.2, with three
inputs that do not matter. The tolerance on a bound is 0.02 (with 1,000 uniform points, the gap
between neighbouring values of one input near a bound is about 0.001, and a peel moves 5% of
the box's points)."""
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from aidflow_analysis import discovery
from aidflow_analysis.errors import AidflowError

TOLERANCE = 0.02


def points(seed: int, n: int = 1000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.uniform(size=(n, 5)), columns=[f"x{i}" for i in range(1, 6)])


def known_failure(x: pd.DataFrame) -> np.ndarray:
    return ((x.x1 > 0.7) & (x.x3 < 0.2)).to_numpy()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prim_finds_the_failing_box_and_leaves_the_noise_inputs_free(seed):
    x = points(seed)
    found = discovery.discover(x, known_failure(x))
    box = found.box
    assert box.restricted == ("x1", "x3"), found.describe()
    assert abs(box.limits["x1"][0] - 0.7) < TOLERANCE
    assert box.limits["x1"][1] == x.x1.max()          # x1 is free above
    assert abs(box.limits["x3"][1] - 0.2) < TOLERANCE
    assert box.limits["x3"][0] == x.x3.min()          # x3 is free below
    # Every failure is inside, and only failures: coverage and density 1 (within a bound's gap).
    assert box.density == 1.0
    assert box.coverage >= 0.95
    assert box.mass == pytest.approx(0.3 * 0.2, abs=0.015)
    assert all(p < 1e-6 for p in box.p_values.values())
    words = found.prim_words()
    assert re.fullmatch(r"x1 >= 0\.[67]\d* and x3 <= 0\.[12]\d* \(coverage (1\.00|0\.9\d), density 1\.00, "
                        r"mass 0\.0\d\)", words), words


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cart_gives_the_same_rule(seed):
    x = points(seed)
    found = discovery.discover(x, known_failure(x))
    assert len(found.rules) == 1, found.cart_words()
    rule = found.rules[0]
    assert rule.failures == rule.points == known_failure(x).sum()
    conditions = sorted(rule.conditions)
    assert conditions[0].startswith("x1 > ") and conditions[1].startswith("x3 <= ")
    assert abs(float(conditions[0].split()[-1]) - 0.7) < TOLERANCE
    assert abs(float(conditions[1].split()[-1]) - 0.2) < TOLERANCE


def test_prim_with_one_percent_of_the_flags_flipped_still_finds_the_box():
    """Noise: a few failures outside the box (and successes inside) lower coverage and density;
    the box is the same within the tolerance, on the same two inputs."""
    x = points(3)
    flags = known_failure(x) ^ (np.random.default_rng(30).uniform(size=len(x)) < 0.01)
    found = discovery.discover(x, flags, min_coverage=0.6)
    assert found.box.restricted == ("x1", "x3")
    assert abs(found.box.limits["x1"][0] - 0.7) < TOLERANCE
    assert abs(found.box.limits["x3"][1] - 0.2) < TOLERANCE
    assert found.box.density >= 0.95 and found.box.coverage >= 0.7


def test_a_categorical_input_is_peeled_level_by_level():
    rng = np.random.default_rng(4)
    x = points(4).assign(holder=rng.choice(["haqqani", "kandahari", "doha"], 1000))
    flags = ((x.holder == "kandahari") & (x.x2 > 0.5)).to_numpy()
    found = discovery.discover(x, flags)
    assert found.box.restricted == ("x2", "holder")
    assert found.box.limits["holder"] == frozenset({"kandahari"})
    assert abs(found.box.limits["x2"][0] - 0.5) < TOLERANCE
    assert "holder is kandahari" in found.prim_words()
    assert found.box.density == 1.0
    assert any("holder is kandahari" in c for c in found.rules[0].conditions), found.cart_words()
    assert isinstance(found.plot(), Figure)  # a categorical input's levels are drawn as text


def test_the_trajectory_trades_coverage_for_density():
    x = points(5)
    found = discovery.discover(x, known_failure(x))
    table = found.peeling
    assert table.mass.is_monotonic_decreasing and table.coverage.iloc[0] == 1.0
    assert table.density.iloc[-1] > table.density.iloc[0]
    assert table.density.iloc[0] == pytest.approx(known_failure(x).mean())
    assert isinstance(found.plot(), Figure)


def test_fails_as_an_expression_or_a_function_over_the_outcomes():
    x = points(6).assign(outcome=lambda d: d.x1 - d.x3)
    by_expression = discovery.discover(x, "x1 > 0.7 and x3 < 0.2", inputs=[f"x{i}" for i in range(1, 6)])
    by_function = discovery.discover(x, lambda d: (d.x1 > 0.7) & (d.x3 < 0.2),
                                     inputs=[f"x{i}" for i in range(1, 6)])
    assert by_expression.box.limits == by_function.box.limits
    assert by_expression.box.restricted == ("x1", "x3")
    with pytest.raises(AidflowError, match="must give booleans"):
        discovery.discover(x, "x1 + x3")
    with pytest.raises(AidflowError, match="cannot evaluate"):
        discovery.discover(x, "no_such_column > 1")


def test_a_conclusion_that_never_fails_gives_the_whole_space():
    x = points(7)
    found = discovery.discover(x, np.zeros(len(x), dtype=bool))
    assert found.box.restricted == () and found.rules == []
    assert "fails at 0 of 1000" in found.describe()


def test_robustness_says_where_a_fact_fails_by_prim_and_cart():
    """analysis/robustness.py's failure region for a fact that fails exactly where Agriculture
    is held by the Kandahari wing (the issue's flip), over 40 points of two assumptions."""
    import importlib.util

    from conftest import REPO_ROOT

    spec = importlib.util.spec_from_file_location("robustness", REPO_ROOT / "analysis" / "robustness.py")
    robustness = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(robustness)
    rng = np.random.default_rng(8)
    points = pd.DataFrame({"baseline_need": rng.uniform(0.4, 0.7, 40),
                           "agriculture_held_by": rng.choice(["haqqani", "kandahari"], 40)})
    holds = pd.Series(points.agriculture_held_by == "haqqani")
    text = robustness.failure_region(points, holds)
    failing = int((~holds).sum())
    assert text.startswith(f"fails at {failing} of 40 points. PRIM: where agriculture_held_by is "
                           "kandahari (coverage 1.00, density 1.00"), text
    assert f"CART: fails at {failing} of {failing} points where agriculture_held_by is kandahari" in text


def test_discovery_over_a_sweep_store_takes_its_parameters_and_outcomes(tmp_path):
    """Over a sweep (here the store of an in-process sweep): the inputs are its parameters, and
    `fails` an expression over its index; a conclusion that fails exactly where monitoring's
    effect is above 0.5 gives that box, with the other parameter free."""
    import aidflow_analysis as aa
    from conftest import BASELINE

    sweep_file = tmp_path / "sweep.yaml"
    sweep_file.write_text(f"""
name: discovery_over_a_store
scenario: {BASELINE}
set: [run.households=500, run.steps=4]
parameters:
  - path: policy.monitoring.effect
    range: [0, 0.9]
  - path: geography.baseline_need
    range: [0.4, 0.7]
design: {{kind: latin_hypercube, points: 40, seed: 2}}
replicates: 1
seed: 1
""")
    store = aa.sweep(sweep_file, workers=2, threads=1)
    found = discovery.discover(store, "effect > 0.5 and diverted >= 0")
    assert list(found.inputs.columns) == ["effect", "baseline_need"]
    assert found.box.restricted == ("effect",)
    effect = found.inputs.effect
    assert found.box.limits["effect"][0] == effect[effect > 0.5].min()
    assert found.box.density == 1.0 and found.box.coverage == 1.0
    with pytest.raises(AidflowError, match="no input wing"):
        discovery.discover(store, "effect > 0.5", inputs=["wing"])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prim_on_few_points_in_many_inputs_keeps_the_one_that_matters(seed):
    """24 points in 30 inputs (the robustness sweep's shape), failing where x29 < 0.25 (the last input: ties between peels go to the first): peeling a
    point at a time restricts many inputs by chance; breaking ties by the run of successes at a
    peel's edge keeps peeling x29, and pruning keeps x29 alone: every failure, within 0.1 of the
    bound (a point beyond it may stay in: its peel tied with one of a noise input)."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(size=(24, 30)), columns=[f"x{i}" for i in range(30)])
    flags = (x.x29 < 0.25).to_numpy()
    found = discovery.discover(x, flags)
    assert found.box.restricted == ("x29",), found.describe()
    assert x.x29[flags].max() <= found.box.limits["x29"][1] < 0.25 + 0.1
    assert found.box.coverage == 1.0 and found.box.density >= 0.75
    assert found.box.p_values["x29"] < 0.01


def test_a_box_no_restriction_of_which_is_significant_says_so():
    """Failures at random among 24 points: peeling still ends in a box of failures only, but no
    restriction of it passes the test alone, and the words say so with the quasi-p-values."""
    rng = np.random.default_rng(11)
    x = pd.DataFrame(rng.uniform(size=(24, 30)), columns=[f"x{i}" for i in range(30)])
    flags = np.zeros(24, dtype=bool)
    flags[rng.choice(24, 5, replace=False)] = True
    found = discovery.discover(x, flags)
    assert not found.significant and found.box.restricted
    assert all(p > 0.05 for p in found.box.p_values.values())
    assert "no restriction significant alone at 0.05, quasi-p-values: " in found.prim_words()
    assert discovery.discover(points(0), known_failure(points(0))).significant
