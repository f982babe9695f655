"""Sweeps over an ensemble (`ensemble:`, docs/SWEEPS.md): each draw of a posterior_draws.csv is
a design point, crossed with the arms, every point on the same seeds; each run is the run of the
scenario with its draw's values and its arm's overrides; shards and sweep-merge give the same
store; a changed ensemble stops a resume. Bad ensembles are in tests/bad_sweeps (expected.tsv)."""
import subprocess

import numpy as np
import pandas as pd
import pytest

from aidflow_analysis import open_sweep, posterior, run

from conftest import BASELINE, REPO_ROOT

DRAWS = "draw,policy.monitoring.third_party,factions[haqqani].list_manipulation\n" \
        "0,0.1,0.2\n1,0.6,0.05\n2,0.3,0.4\n"
COARSE = ["run.households=500", "run.steps=8"]
ARMS = {"status_quo": [], "humanitarian": ["policy.humanitarian_only=true"]}


def sweep_file(directory, draws="draws.csv"):
    (directory / "draws.csv").write_text(DRAWS)
    path = directory / "ensemble.yaml"
    path.write_text(f"name: over_draws\nscenario: {BASELINE}\nset: [{', '.join(COARSE)}]\n"
                    f"ensemble: {draws}\nparameters:\n  - name: arm\n    crossed: true\n"
                    "    levels:\n      status_quo: []\n"
                    "      humanitarian: [policy.humanitarian_only=true]\n"
                    "replicates: 2\nseed: 5\n")
    return path


def sweep(aidflow_bin, path, out, *extra):
    done = subprocess.run([str(aidflow_bin), "sweep", str(path), "-o", str(out), "-q", *extra],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def store(aidflow_bin, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ensemble")
    return tmp, open_sweep(sweep(aidflow_bin, sweep_file(tmp), tmp / "out"))


def test_every_arm_runs_on_every_draw_with_the_same_seeds(store):
    _, s = store
    index = s.index
    assert s.attrs["design"] == "ensemble" and len(index) == 3 * 2 * 2
    assert (index.status == "complete").all()
    for (draw, arm), runs in index.groupby(["draw", "arm"]):
        assert list(runs.seed) == [5, 6], (draw, arm)
    # The arms vary fastest: a draw's arms sit together, as any crossed parameter's levels do.
    assert list(index.draw[:4]) == [0, 0, 0, 0] and list(index.arm[:4]) == [
        "status_quo", "status_quo", "humanitarian", "humanitarian"]


def test_each_run_is_the_scenario_with_its_draws_values_and_its_arm(store):
    _, s = store
    index = s.index
    header, *rows = DRAWS.strip().splitlines()
    paths = header.split(",")[1:]
    for row in rows:
        draw, *values = row.split(",")
        for arm, overrides in ARMS.items():
            for seed in (5, 6):
                want = run(BASELINE, seed=seed,
                           set=COARSE + [f"{p}={v}" for p, v in zip(paths, values)] + overrides,
                           outcomes={"diverted": "sum(aid_diverted)"})["diverted"].item()
                got = index[(index.draw == int(draw)) & (index.arm == arm) & (index.seed == seed)]
                assert got.diverted.item() == want, (draw, arm, seed)
    # The draws differ, so their runs do: the values reached the model.
    by_draw = index[index.arm == "status_quo"].groupby("draw").diverted.mean()
    assert by_draw.nunique() == 3


def test_shards_and_merge_give_the_same_store(aidflow_bin, store, tmp_path):
    tmp, s = store
    path = sweep_file(tmp_path)
    for k in (1, 2):
        sweep(aidflow_bin, path, tmp_path / "sharded", "--shard", f"{k}/2")
    (tmp_path / "draws.csv").unlink()  # sweep-merge plans from the directory's own copy
    merged = subprocess.run([str(aidflow_bin), "sweep-merge", str(tmp_path / "sharded")],
                            capture_output=True, text=True, timeout=600)
    assert merged.returncode == 0, merged.stderr
    assert (tmp_path / "sharded" / "ensemble.csv").read_text() == DRAWS
    other = open_sweep(tmp_path / "sharded").index.drop(columns="wall_seconds")
    mine = s.index.drop(columns="wall_seconds")
    assert other.equals(mine)
    np.testing.assert_array_equal(other.diverted.values, mine.diverted.values)


def test_a_resume_with_a_changed_ensemble_is_refused(aidflow_bin, tmp_path):
    path = sweep_file(tmp_path)
    sweep(aidflow_bin, path, tmp_path / "out")
    (tmp_path / "draws.csv").write_text(DRAWS + "3,0.5,0.1\n")
    done = subprocess.run([str(aidflow_bin), "sweep", str(path), "-o", str(tmp_path / "out"),
                           "--resume", "-q"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"error: {tmp_path / 'draws.csv'}: changed since the sweep")


SHIPPED = REPO_ROOT / "scenarios" / "calibration" / "isis_khorasan.posterior_draws.csv"


def test_a_subset_of_the_draws_is_spread_over_the_ensemble_and_keeps_every_bit(tmp_path):
    """posterior.select_draws (what analysis/make_report.sh runs over): the first and the last
    draw among evenly spread ones, their numbers kept, the left-out path gone, and each value
    the shipped file's to the last bit after writing and reading it back."""
    out = tmp_path / "draws.csv"
    left_out = "factions[isis_khorasan].preparation_usd"
    assert posterior.main(["draws", str(SHIPPED), "--count", "4", "--leave-out", left_out,
                           "-o", str(out)]) == 0
    shipped = pd.read_csv(SHIPPED, float_precision="round_trip")
    chosen = pd.read_csv(out, float_precision="round_trip")
    last = len(shipped) - 1
    assert list(chosen.draw) == [0, round(last / 3), round(2 * last / 3), last]
    assert left_out not in chosen.columns and len(chosen.columns) == len(shipped.columns) - 1
    for column in chosen.columns[1:]:
        expected = shipped.set_index("draw").loc[chosen.draw, column].to_numpy()
        assert np.array_equal(chosen[column].to_numpy(), expected), column
    # More draws asked for than the ensemble has: all of them, once each.
    assert len(posterior.select_draws(SHIPPED, 10_000)) == len(shipped)


def test_a_bad_request_for_draws_is_one_line_naming_the_file(tmp_path, capsys):
    assert posterior.main(["draws", str(SHIPPED), "--count", "0", "-o", str(tmp_path / "x")]) == 2
    assert "must be at least 1" in capsys.readouterr().err
    assert posterior.main(["draws", str(SHIPPED), "--count", "2", "--leave-out", "no.such",
                           "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {SHIPPED}: no column no.such") and err.count("\n") == 1
    missing = tmp_path / "missing.csv"
    assert posterior.main(["draws", str(missing), "--count", "2", "-o", str(tmp_path / "x")]) == 2
    assert f"{missing}: cannot read" in capsys.readouterr().err
    assert not (tmp_path / "x").exists(), "nothing written"
