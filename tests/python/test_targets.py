"""The model against data/targets.csv (aidflow_analysis.targets): the command prints the table and
saves the figure the README shows; each target is read off the run over its own period; inputs
(returns) come back as the scenario's schedule; targets outside the run are left out."""
import subprocess

import numpy as np
import pandas as pd
import pytest

import aidflow_analysis as aa
from aidflow_analysis import targets as tg
from conftest import REPO_ROOT

DATED = REPO_ROOT / "scenarios" / "dated_2021_2025.yaml"


@pytest.fixture(scope="module")
def dated_runs(aidflow_bin, tmp_path_factory):
    """The dated run at coarse resolution, two seeds, the whole period."""
    out = tmp_path_factory.mktemp("dated")
    paths = []
    for seed in (1, 2):
        path = out / f"dated{seed}.h5"
        subprocess.run([str(aidflow_bin), "run", str(DATED), "-o", str(path), "--seed", str(seed),
                        "--set", "run.households=4000"], check=True, capture_output=True, timeout=300)
        paths.append(path)
    return paths


def test_the_command_prints_the_table_and_saves_the_figure(dated_runs, tmp_path):
    figure = tmp_path / "targets.png"
    done = subprocess.run(["/usr/bin/python3", "-m", "aidflow_analysis.targets", *map(str, dated_runs),
                           "--figure", str(figure)], cwd=REPO_ROOT / "analysis", capture_output=True,
                          text=True, timeout=300, env={"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("| series | period | model (range over 2 runs) | target |")
    produced = {line.split(" | ")[0].strip("| ") for line in lines[2:] if line.startswith("|")}
    assert {"people_in_need", "people_reached", "civilian_casualties", "isisk_attacks_claimed",
            "isisk_strength", "returns_since_2023_10", "returns_iran", "returns_pakistan",
            "population_total_nsia"} <= produced
    assert figure.stat().st_size > 20000


def test_returns_are_the_schedule_and_outcomes_are_the_models(dated_runs):
    runs = [aa.open_run(p) for p in dated_runs]
    table = tg.compare_targets(runs, tg.load_targets())
    yearly = table[(table.series.isin(["returns_iran", "returns_pakistan"]))
                   & table.period.str.endswith("2025-12-31")]
    assert len(yearly) == 2 and (yearly.kind == "input").all()
    assert np.allclose(yearly.ratio, 1.0, atol=0.02), yearly[["series", "model", "target"]]
    pin = table[table.series == "people_in_need"]
    assert (pin.kind == "outcome").all() and len(pin) >= 3
    # The model's people in need: the mean over the plan year of the indicator (the weeks at the
    # year's ends counted in part, hence the tolerance against the plain mean of its weeks).
    first = pin.iloc[0]
    assert first.period.startswith("2022-01-01")
    plain = [float(r.indicators.people_in_need.sel(time=slice("2022-01-01", "2022-12-31")).mean())
             for r in runs]
    assert first.model_low == pytest.approx(min(plain), rel=0.005)
    assert first.model_high == pytest.approx(max(plain), rel=0.005)
    strength = table[table.series == "isisk_strength"].iloc[-1]
    assert strength.target_low == 2000 and strength.target_high == 6000, "a range is one row"


def test_weeks_are_cut_at_the_period_ends(dated_runs):
    run = aa.open_run(dated_runs[0])
    start = pd.Timestamp(run.indicators.time.values[3])
    weights = tg._week_weights(run, start + pd.Timedelta(days=2), start + pd.Timedelta(days=4))
    assert weights.iloc[3] == pytest.approx(3 / 7) and weights.drop(weights.index[3]).sum() == 0


def test_targets_outside_the_run_are_left_out(run_aidflow):
    status_quo = aa.open_run(run_aidflow("sq_targets", "--set", "run.households=2000"))
    table = tg.compare_targets([status_quo], tg.load_targets())
    first = pd.Timestamp(status_quo.indicators.time.values[0])
    assert not table.empty
    assert all(pd.Timestamp(p.split(" to ")[0]) >= first - pd.Timedelta(days=6) for p in table.period)
    assert "civilian_casualties" not in set(table.series), "its periods start in Aug 2021"
