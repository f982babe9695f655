"""Robust policy search: NSGA-II approaches a known Pareto front (ZDT1, evaluated by a Python
function through the same search loop the sweep engine feeds), is deterministic for its seed,
and a small real search on the status quo completes, writes its front and reruns from it."""
import subprocess

import numpy as np
import pandas as pd
import pytest

from aidflow_analysis import search
from aidflow_analysis.errors import AidflowInputError
from conftest import REPO_ROOT

GENES = 6
LEVERS = [search.Lever(f"x{i}", {}) for i in range(GENES)]
OBJECTIVES = [search.Objective("f1"), search.Objective("f2")]
# ZDT1's front: f2 = 1 - sqrt(f1), f1 in [0, 1] (Zitzler, Deb and Thiele 2000), densely sampled.
F1 = np.linspace(0, 1, 4001)
TRUE_FRONT = np.column_stack([F1, 1 - np.sqrt(F1)])
GD_BOUND = 0.01  # generational distance after 80 generations of 40 (it starts near 2)


def zdt1(settings):
    x = np.array([[s[f"x{i}"] for i in range(GENES)] for s in settings])
    g = 1 + 9 * x[:, 1:].sum(1) / (GENES - 1)
    return np.column_stack([x[:, 0], g * (1 - np.sqrt(x[:, 0] / g))])


def test_nsga2_approaches_the_zdt1_front_and_spans_it():
    found = search.nsga2(LEVERS, OBJECTIVES, zdt1, population=40, generations=80, seed=3)
    start = found.evaluations[found.evaluations.generation == 0][["f1", "f2"]].to_numpy()
    front = found.front[["f1", "f2"]].to_numpy()
    assert search.generational_distance(start, TRUE_FRONT) > 1.0
    assert search.generational_distance(front, TRUE_FRONT) < GD_BOUND
    assert front[:, 0].min() < 0.02 and front[:, 0].max() > 0.95  # the whole front, not a corner
    assert len(found.front) >= 30


def test_a_maximized_objective_is_approached_from_below():
    """The same problem with f2 negated and maximized gives the same front."""
    def negated(settings):
        values = zdt1(settings)
        return np.column_stack([values[:, 0], -values[:, 1]])

    objectives = [search.Objective("f1"), search.Objective("f2", maximize=True)]
    found = search.nsga2(LEVERS, objectives, negated, population=40, generations=60, seed=3)
    front = found.front[["f1", "f2"]].to_numpy() * [1, -1]
    assert search.generational_distance(front, TRUE_FRONT) < 2 * GD_BOUND


def test_the_search_is_deterministic_for_its_seed_and_leaves_random_alone():
    import random

    random.seed(99)
    before = random.random()
    random.seed(99)
    one = search.nsga2(LEVERS, OBJECTIVES, zdt1, population=12, generations=5, seed=7)
    assert random.random() == before  # the caller's random state is restored
    two = search.nsga2(LEVERS, OBJECTIVES, zdt1, population=12, generations=5, seed=7)
    other = search.nsga2(LEVERS, OBJECTIVES, zdt1, population=12, generations=5, seed=8)
    pd.testing.assert_frame_equal(one.evaluations, two.evaluations)
    assert not one.evaluations.equals(other.evaluations)


def test_levers_decode_ranges_log_ranges_values_and_paths():
    linear = search.Lever("a", {"path": "x.a"}, 0.0, 0.8)
    log = search.Lever("b", {"path": "x.b"}, 1.0, 100.0, log=True)
    values = search.Lever("c", {"path": "x.c"}, choices=(False, True))
    paired = search.Lever("d", {"paths": ["x.d", {"path": "x.e", "scale": -1, "offset": 0.37}]},
                          0.0, 0.17)
    assert linear.decode(0.5) == pytest.approx(0.4)
    assert log.decode(0.5) == pytest.approx(10.0)
    assert values.decode(0.2) is False and values.decode(1.0) is True
    assert values.settings(True) == ["x.c=true"]
    assert paired.settings(0.07) == ["x.d=0.07", f"x.e={-0.07 + 0.37!r}"]


@pytest.mark.parametrize("text, message", [
    ("levers: []", "levers: expected a list of at least one entry"),
    ("levers: [{path: a.b, range: [1, 0]}]", r"levers\[0\].range: expected \[low, high\] with low < high"),
    ("levers: [{path: a.b, range: [0, 1], values: [1, 2]}]", r"levers\[0\]: expected exactly one of"),
    ("objectives: [{name: d, outcome: sum(aid_diverted), direction: down}]",
     r"objectives\[0\].direction: expected minimize or maximize"),
    ("population: 10", "population: expected a multiple of 4"),
    ("colour: red", "colour: unknown key"),
])
def test_a_bad_search_file_is_a_located_error(tmp_path, text, message):
    good = {"levers": "levers: [{path: policy.monitoring.third_party, range: [0, 0.8]}]",
            "objectives": "objectives: [{name: d, outcome: sum(aid_diverted), direction: minimize}]"}
    key = text.split(":")[0]
    body = {**good, key: text} if key in good else {**good, "extra": text}
    path = tmp_path / "bad.yaml"
    path.write_text(f"scenario: {REPO_ROOT / 'scenarios' / 'status_quo.yaml'}\n"
                    + "\n".join(body.values()) + "\n")
    with pytest.raises(AidflowInputError, match=f"^{path}: {message}"):
        search.load_search(path)
    done = subprocess.run(["/usr/bin/python3", "-m", "aidflow_analysis.search", str(path), "-o",
                           str(tmp_path / "never")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith(f"error: {path}: ")
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "never").exists()


SMALL = """
name: small_search
scenario: {scenario}
set: [run.households=500, run.steps=26]
levers:
  - path: policy.monitoring.third_party
    range: [0, 0.8]
  - name: usa_national_ngo
    paths:
      - donors[usa].channels.national_ngo
      - path: donors[usa].channels.international_ngo
        scale: -1
        offset: 0.37
    range: [0, 0.17]
objectives:
  - {{name: diverted, outcome: sum(aid_diverted), direction: minimize}}
  - {{name: reached, outcome: mean(people_reached), direction: maximize, quantile: 0.25}}
uncertainties:
  - path: policy.monitoring.effect
    range: [0.2, 0.8]
design: {{kind: latin_hypercube, points: 2, seed: 5}}
replicates: 2
seed: 1
population: 8
generations: 2
"""


def test_a_small_real_search_writes_a_front_that_reruns_to_the_same_numbers(tmp_path):
    path = tmp_path / "search.yaml"
    path.write_text(SMALL.format(scenario=REPO_ROOT / "scenarios" / "status_quo.yaml"))
    out = tmp_path / "out"
    done = subprocess.run(["/usr/bin/python3", "-m", "aidflow_analysis.search", str(path), "-o",
                           str(out), "--workers", "2"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    front = pd.read_csv(out / "front.csv")
    assert list(front.columns) == ["third_party", "usa_national_ngo", "diverted", "reached",
                                   "settings"]
    assert len(front) >= 1 and front.diverted.gt(0).all() and front.reached.gt(0).all()
    assert front.third_party.between(0, 0.8).all()
    assert all(s.startswith("policy.monitoring.third_party=") for s in front.settings)
    evaluations = pd.read_csv(out / "evaluations.csv")
    assert set(evaluations.generation) <= {0, 1, 2} and len(evaluations) >= 8
    assert (out / "front.png").stat().st_size > 0 and (out / "search.yaml").exists()
    # No point of the front is dominated by another setting evaluated.
    for _, p in front.iterrows():
        dominated = ((evaluations.diverted <= p.diverted) & (evaluations.reached >= p.reached)
                     & ((evaluations.diverted < p.diverted) | (evaluations.reached > p.reached)))
        assert not dominated.any()
    again = tmp_path / "again"
    done = subprocess.run(["/usr/bin/python3", "-m", "aidflow_analysis.search", str(path), "-o",
                           str(again), "--rerun", str(out / "front.csv"), "--workers", "1"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    rerun = pd.read_csv(again / "front.csv")
    pd.testing.assert_frame_equal(rerun, front)  # same seeds and draws: the same numbers


def test_a_search_file_that_is_not_yaml_is_located_on_one_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("scenario: x.yaml\nlevers: [{path: donors[usa].channels.national_ngo, range: [0, 1]}]\n")
    with pytest.raises(AidflowInputError, match=rf"^{path}:2:\d+: not YAML: expected ',' or '}}'") as raised:
        search.load_search(path)
    assert "\n" not in str(raised.value)


def test_each_generation_is_one_sweep_of_a_levels_factor_crossed_with_the_draws(tmp_path):
    path = tmp_path / "search.yaml"
    path.write_text(SMALL.format(scenario=REPO_ROOT / "scenarios" / "status_quo.yaml"))
    loaded = search.load_search(path)
    settings = [{"third_party": 0.5, "usa_national_ngo": 0.1}, {"third_party": 0.0, "usa_national_ngo": 0.0}]
    sweep = search.sweep_file(loaded, settings, "g1")
    factor = sweep["parameters"][-1]
    assert factor["name"] == "setting" and factor["crossed"] is True
    assert factor["levels"]["s0"] == ["policy.monitoring.third_party=0.5",
                                      "donors[usa].channels.national_ngo=0.1",
                                      f"donors[usa].channels.international_ngo={-0.1 + 0.37!r}"]
    assert sweep["parameters"][0] == {"path": "policy.monitoring.effect", "range": [0.2, 0.8]}
    assert sweep["design"] == {"kind": "latin_hypercube", "points": 2, "seed": 5}
    assert (sweep["replicates"], sweep["seed"], sweep["default_outcomes"]) == (2, 1, False)
    assert sweep["outcomes"] == {"diverted": "sum(aid_diverted)", "reached": "mean(people_reached)"}
    without = search.sweep_file(search.Search(**{**loaded.__dict__, "uncertainties": [], "design": None}),
                                settings, "g1")
    assert "design" not in without and "crossed" not in without["parameters"][-1]
