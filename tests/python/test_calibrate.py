"""History matching (aidflow_analysis.calibrate): a twin experiment, where the record is the
model's own output at a known value and the calibration must keep that value and rule out values
far from it; the implausibility against its formula by hand; the best point as settings; every
point ruled out; bad calibration files."""
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aidflow_analysis import calibrate as cal
from aidflow_analysis import run
from aidflow_analysis.errors import AidflowInputError

from conftest import BASELINE

# The weeks of 2022, coarse, with an ISIS-K that has money to attack with, so that its tempo
# decides how many attacks it claims (whatever the shipped scenario's calibrated values are).
COARSE = ["run.households=500", "run.steps=52", "factions[isis_khorasan].treasury_usd=20000000",
          "factions[isis_khorasan].economy.revenue_take=0.3",
          "patrons[isis_core].support[0].usd_per_year=5000000"]
RATE = "factions[isis_khorasan].attacks.rate_per_1000_fighters_year"
TRUE_RATE = 150.0
CLAIMED = "count(events[kind=attack, claimant=isis_khorasan, time=2022-02-01..2022-12-26])"
FIGHTERS = "at(faction_fighters[faction=isis_khorasan], 2022-12-26)"


def record(path: Path, rows) -> Path:
    """A targets.csv of `rows` (series, first day, last day, value)."""
    frame = pd.DataFrame([{"series": s, "period_start": a, "period_end": b, "value": v,
                           "unit": "attacks", "source": "the model itself (twin experiment)",
                           "note": ""} for s, a, b, v in rows])
    frame.to_csv(path, index=False)
    return path


def calibration_file(path: Path, targets, extra: str = "") -> Path:
    settings = "".join(f"  - {setting}\n" for setting in COARSE)
    lines = [f"name: twin\nscenario: {BASELINE}\nset:\n{settings}"
             "points: 16\nwaves: 2\nreplicates: 3\nseed: 3\ndiscrepancy: 0.05\n" + extra,
             f"parameters:\n  - path: {RATE}\n    name: rate\n    range: [20, 300]\n",
             "targets:\n"]
    for name, series, expression, error in targets:
        lines.append(f"  - name: {name}\n    series: {series}\n"
                     f"    period: [2022-02-01, 2022-12-26]\n    outcome: \"{expression}\"\n"
                     f"    error: {error}\n")
    path.write_text("".join(lines))
    return path


@pytest.fixture(scope="module")
def truth():
    """The record of the twin experiment: the model's mean over four seeds at the true rate."""
    values = [run(BASELINE, seed=seed, set=COARSE + [f"{RATE}={TRUE_RATE}"],
                  outcomes={"claimed": CLAIMED, "fighters": FIGHTERS}) for seed in range(11, 15)]
    return {name: float(np.mean([v[name].item() for v in values]))
            for name in ("claimed", "fighters")}


@pytest.fixture(scope="module")
def runner(aidflow_bin):
    return cal.SweepRunner(str(aidflow_bin), workers=2)


def twin_files(tmp: Path, truth) -> tuple:
    """The twin experiment's record (the model's own values) and calibration file in `tmp`."""
    targets = record(tmp / "targets.csv", [
        ("isisk_attacks_claimed", "2022-02-01", "2022-12-26", truth["claimed"]),
        ("isisk_strength", "2022-02-01", "2022-12-26", truth["fighters"])])
    path = calibration_file(tmp / "twin.yaml", [
        ("claimed", "isisk_attacks_claimed", CLAIMED, 0.1),
        ("fighters", "isisk_strength", FIGHTERS, 0.1)])
    return path, targets


@pytest.fixture(scope="module")
def twin(truth, runner, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("twin")
    path, targets = twin_files(tmp, truth)
    c = cal.load_calibration(path, targets)
    return c, cal.calibrate(c, tmp / "out", runner, progress=False)


def test_the_twin_keeps_the_true_value_and_rules_out_values_far_from_it(twin):
    c, result = twin
    assert not result.nroy.empty
    kept = result.nroy["rate"]
    assert kept.min() <= TRUE_RATE <= kept.max()
    wave1 = result.points[result.points.wave == 1]
    # Far below the truth there are too few attacks; above it, preparation money rather than
    # the tempo limits them, so the record rules out only the low side.
    far = wave1[wave1.rate < 60]
    assert len(far) and far.ruled_out.all(), far[["rate", "max_I"]]
    # The second wave searched the survivors' span widened by a tenth each side: without the
    # low values ruled out, and still holding the truth.
    survivors = wave1.rate[~wave1.ruled_out]
    span = survivors.max() - survivors.min()
    low, high = result.boxes[1]["rate"]
    assert low == pytest.approx(max(20, survivors.min() - 0.1 * span))
    assert high == pytest.approx(min(300, survivors.max() + 0.1 * span))
    assert 20 < low <= TRUE_RATE <= high
    assert set(result.points.wave) == {1, 2} and len(result.points) == 2 * 16


def test_the_best_point_is_the_survivor_with_the_smallest_largest_implausibility(twin):
    c, result = twin
    best = result.best
    assert best["max_I"] == result.nroy["max_I"].min() <= c.cutoff
    assert cal.best_settings(c, best) == [f"{RATE}={best['rate']:.6g}"]


def test_the_written_files(twin, tmp_path):
    c, result = twin
    cal.write(c, result, tmp_path)
    points = pd.read_csv(tmp_path / "points.csv")
    assert len(points) == len(result.points) and {"rate", "claimed_I", "max_I"} <= set(points)
    assert len(pd.read_csv(tmp_path / "nroy.csv")) == len(result.nroy)
    text = (tmp_path / "summary.md").read_text()
    assert "| isisk_attacks_claimed | 2022-02-01 to 2022-12-26 |" in text
    assert f"Not ruled out after the last wave: {len(result.nroy)} points." in text
    assert (tmp_path / "best.txt").read_text().startswith(f"{RATE}=")
    assert (tmp_path / "calibration.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_implausibility_by_its_formula():
    targets = [cal.Target("y", "s", pd.Timestamp("2022-01-01"), pd.Timestamp("2022-12-31"),
                          "sum(x)", value=100.0, sd=10.0, source="")]
    c = cal.Calibration(path=Path("c.yaml"), name="c", scenario=Path("s.yaml"), settings=[],
                        parameters=[cal.Parameter("a", {"path": "a"}, 0.0, 1.0, False)],
                        targets=targets, points=2, waves=1, replicates=2, seed=1, cutoff=3.0,
                        discrepancy=0.2)
    store = pd.DataFrame({"point": [0, 0, 1, 1], "a": [0.1, 0.1, 0.9, 0.9],
                          "status": ["complete"] * 3 + ["failed"], "y": [90.0, 110.0, 160.0, 170.0]})
    scored = cal.implausibility(store, c)
    # Point 0: mean 100, replicate variance 200: I = 0. Point 1: a failed run rules it out.
    assert scored.loc[0, "y_I"] == 0.0 and not scored.loc[0, "ruled_out"]
    want = abs(165.0 - 100.0) / np.sqrt(10.0 ** 2 + (0.2 * 100.0) ** 2 + 50.0 * 1.5)
    assert scored.loc[1, "y_I"] == pytest.approx(want)
    assert scored.loc[1, "max_I"] == np.inf and scored.loc[1, "ruled_out"]


def test_a_lower_bound_counts_only_a_shortfall():
    floor = cal.Target("y", "s", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"),
                       "count(x)", value=3.0, sd=0.3, source="", lower_bound=True)
    c = cal.Calibration(path=Path("c.yaml"), name="c", scenario=Path("s.yaml"), settings=[],
                        parameters=[cal.Parameter("a", {"path": "a"}, 0.0, 1.0, False)],
                        targets=[floor], points=2, waves=1, replicates=2, seed=1, cutoff=3.0,
                        discrepancy=0.0)
    store = pd.DataFrame({"point": [0, 0, 1, 1], "a": [0.1, 0.1, 0.9, 0.9],
                          "status": ["complete"] * 4, "y": [30.0, 30.0, 1.0, 1.0]})
    scored = cal.implausibility(store, c)
    assert scored.loc[0, "y_I"] == 0.0  # far above the floor: not against it
    assert scored.loc[1, "y_I"] == pytest.approx(2.0 / 0.3) and scored.loc[1, "ruled_out"]


def test_every_point_ruled_out_exits_3_and_says_so(aidflow_bin, tmp_path):
    targets = record(tmp_path / "targets.csv",
                     [("isisk_attacks_claimed", "2022-02-01", "2022-12-26", 1e7)])
    path = calibration_file(tmp_path / "c.yaml", [("claimed", "isisk_attacks_claimed", CLAIMED, 0.01)])
    path.write_text(path.read_text().replace("points: 16", "points: 4"))
    done = subprocess.run([sys.executable, "-m", "aidflow_analysis.calibrate", str(path), "-o",
                           str(tmp_path / "out"), "--targets", str(targets),
                           "--aidflow", str(aidflow_bin)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 3, done.stderr
    assert "Every point was ruled out" in (tmp_path / "out" / "summary.md").read_text()
    assert (tmp_path / "out" / "best.txt").read_text() == ""


@pytest.mark.parametrize("change, key, what", [
    (("waves: 2", "waves: 2\nwaevs: 3"), "waevs", "unknown key"),
    (("range: [20, 300]", "range: [300, 20]"), "parameters[0].range", "low < high"),
    (("period: [2022-02-01, 2022-12-26]", "period: [2022-02-01, 2022-12-25]"), "targets[0]",
     "data/targets.csv has no row isisk_attacks_claimed from 2022-02-01 to 2022-12-25"),
    (("replicates: 3", "replicates: 1"), "replicates", "from 2 to 1000"),
    (("error: 0.1", "error: -1"), "targets[0].error", "from 0 to 10"),
    (("error: 0.1", "error: 0.1\n    bund: lower"), "targets[0].bund", "unknown key"),
    (("error: 0.1", "error: 0.1\n    bound: upper"), "targets[0].bound", "none or lower"),
])
def test_a_bad_calibration_file_is_one_line_naming_the_file_and_key(tmp_path, change, key, what):
    targets = record(tmp_path / "targets.csv",
                     [("isisk_attacks_claimed", "2022-02-01", "2022-12-26", 50.0)])
    path = calibration_file(tmp_path / "bad.yaml", [("claimed", "isisk_attacks_claimed", CLAIMED, 0.1)])
    path.write_text(path.read_text().replace(*change, 1))
    with pytest.raises(AidflowInputError, match=f"^{re.escape(f'{path}: {key}: ')}.*{re.escape(what)}"):
        cal.load_calibration(path, targets)
    done = subprocess.run([sys.executable, "-m", "aidflow_analysis.calibrate", str(path), "-o",
                           str(tmp_path / "out"), "--targets", str(targets)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"error: {path}: {key}: ")
    assert not (tmp_path / "out").exists()


def test_the_shipped_calibration_file_runs_at_a_small_size(tmp_path, runner):
    """docs/CALIBRATION.md's command at 4 points, 1 wave, 2 replicates and 26 weeks of 500
    households: the file, its parameters' paths and its outcomes are valid against the dated
    scenario, and every target gets a model value (the full run is 1,800 runs, not run here)."""
    from dataclasses import replace

    from conftest import REPO_ROOT
    c = cal.load_calibration(REPO_ROOT / "scenarios" / "calibration" / "isis_khorasan.yaml",
                             REPO_ROOT / "data" / "targets.csv")
    assert len(c.parameters) >= 10 and {t.series for t in c.targets} >= {
        "isisk_attacks_claimed", "isisk_strength", "isisk_attacks_executed_known"}
    fitted = [t for t in c.targets if not t.held_out]
    held_out = [t for t in c.targets if t.held_out]
    assert len(fitted) >= 10
    # The most recent year of the record the model produces (2024) is held out, all of it.
    latest = max(t.end.year for t in c.targets)
    assert latest == 2024 and held_out and all(t.end.year == latest for t in held_out)
    assert all(t.end.year < latest for t in fitted)
    small = replace(c, points=4, waves=1, replicates=2,
                    settings=c.settings + ["run.households=500"])
    result = cal.calibrate(small, tmp_path, runner, progress=False)
    assert len(result.points) == 4
    for t in c.targets:
        assert result.points[f"{t.name}_model"].notna().all(), t.name


# ---- resumable, parallel, deterministic; the posterior file ---------------------------------

OUTPUTS = ["points.csv", "nroy.csv", "summary.md", "best.txt", "calibration.png", "posterior.nc",
           "posterior_draws.csv", "posterior.png", "predictive.png"]


@pytest.fixture(scope="module")
def small(truth, tmp_path_factory):
    """The twin with 30 points a wave (so a kill can land mid-wave) and a held-out target."""
    path, targets = twin_files(tmp_path_factory.mktemp("small"), truth)
    text = path.read_text().replace("points: 16", "points: 30")
    path.write_text(text.rstrip("\n") + "\n    held_out: true\n")  # the last target: fighters
    return path, targets


def calibrate_command(aidflow_bin, path, targets, out, *extra):
    return [sys.executable, "-m", "aidflow_analysis.calibrate", str(path), "-o", str(out),
            "--targets", str(targets), "--aidflow", str(aidflow_bin), *extra]


def outputs(out: Path):
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def uninterrupted(aidflow_bin, small, tmp_path_factory):
    out = tmp_path_factory.mktemp("whole") / "out"
    done = subprocess.run(calibrate_command(aidflow_bin, *small, out, "--workers", "1"),
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return out


def test_each_wave_is_a_sweep_directory(uninterrupted):
    for wave in (1, 2):
        directory = uninterrupted / f"wave_{wave}"
        assert (directory / "sweep.yaml").is_file() and (directory / "sweep" / "sweep.h5").is_file()


@pytest.mark.parametrize("extra", [("--workers", "2"),
                                   ("--launcher", "mpirun --allow-run-as-root --oversubscribe -np 3"),
                                   ("--shards", "3", "--workers", "1")],
                         ids=["workers2", "mpirun3", "shards3"])
def test_the_result_is_the_same_for_any_workers_or_ranks(aidflow_bin, small, uninterrupted,
                                                        tmp_path, extra):
    done = subprocess.run(calibrate_command(aidflow_bin, *small, tmp_path / "out", *extra),
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert outputs(tmp_path / "out") == outputs(uninterrupted)


def test_shards_with_a_launcher_are_refused(aidflow_bin, small, tmp_path):
    done = subprocess.run(calibrate_command(aidflow_bin, *small, tmp_path / "out", "--shards", "2",
                                            "--launcher", "mpirun -np 2"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "either --shards or --launcher" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_calibration_killed_mid_wave_resumes_to_the_same_bytes(aidflow_bin, small,
                                                                uninterrupted, tmp_path):
    import os
    import signal
    import time

    out = tmp_path / "out"
    line = calibrate_command(aidflow_bin, *small, out, "--workers", "1")
    job = subprocess.Popen(line, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           start_new_session=True)
    journal = out / "wave_2" / "sweep" / "journal"
    deadline = time.monotonic() + 600
    while not (journal.is_dir() and any(f.stat().st_size for f in journal.iterdir())):
        assert job.poll() is None, "the calibration ended before its second wave began"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.killpg(job.pid, signal.SIGKILL)  # the driver and its sweep, as kill -9 of the job
    assert job.wait() == -signal.SIGKILL
    assert not (out / "posterior.nc").exists()
    again = subprocess.run(line, capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "--resume" in again.stderr  # not over a calibration
    resumed = subprocess.run(line + ["--resume"], capture_output=True, text=True, timeout=900)
    assert resumed.returncode == 0, resumed.stderr
    assert outputs(out) == outputs(uninterrupted)


def test_a_resume_with_a_changed_calibration_is_refused(aidflow_bin, small, uninterrupted,
                                                       tmp_path):
    import shutil

    path, targets = small
    changed = tmp_path / "changed.yaml"
    changed.write_text(path.read_text().replace("seed: 3", "seed: 4"))
    out = tmp_path / "out"
    shutil.copytree(uninterrupted, out)
    done = subprocess.run(calibrate_command(aidflow_bin, changed, targets, out, "--resume"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "wave_1/sweep.yaml: this wave was begun with another sweep" in done.stderr


def test_the_posterior_file(uninterrupted):
    import xarray as xr

    nroy = pd.read_csv(uninterrupted / "nroy.csv", float_precision="round_trip")
    with xr.open_dataset(uninterrupted / "posterior.nc") as ds:
        assert ds.sizes["draw"] == len(nroy) > 0 and ds.sizes["replicate"] == 3
        np.testing.assert_array_equal(ds["rate"].values, nroy.sort_values("point").rate.values)
        assert ds["rate"].attrs["paths"] == RATE and list(ds["rate"].attrs["searched"]) == [20, 300]
        np.testing.assert_allclose(ds.weight.values, 1.0 / len(nroy))
        assert list(ds.seed.values) == [3, 4, 5]
        assert list(ds.target.values) == ["claimed", "fighters"]
        assert list(ds.held_out.values) == [0, 1]
        # Each draw's model mean is the mean of its runs; its largest implausibility is over the
        # fitted target only (the held-out one is scored, not cut on).
        np.testing.assert_allclose(ds.model.mean("replicate").values, ds.model_mean.values)
        np.testing.assert_allclose(ds.max_implausibility.values,
                                   ds.implausibility.sel(target="claimed").values)
        assert list(ds.points_run.values) == [30, 30] and ds.share_kept.values[0] < 1
        shrink = ds.shrinkage.sel(parameter="rate").values
        assert shrink[0] == 1.0 and 0 < shrink[1] < 1
        assert "stop_rule" in ds.attrs and "equal" in ds.attrs["weights"]
    draws = pd.read_csv(uninterrupted / "posterior_draws.csv")
    assert list(draws.columns) == ["draw", RATE] and list(draws.draw) == list(range(len(nroy)))
    summary = (uninterrupted / "summary.md").read_text()
    assert "## Posterior predictive" in summary and "| held out |" in summary


# ---- the shipped ensemble --------------------------------------------------------------------

SHIPPED = Path(__file__).resolve().parents[2] / "scenarios" / "calibration"


def test_the_shipped_ensemble_is_the_shipped_calibration_and_the_scenarios_carry_its_best_point():
    """isis_khorasan.posterior.nc came from isis_khorasan.yaml at its shipped size; its draws CSV
    holds the same draws; the dated run's effective values are its best draw (to the 3
    significant figures written there), each key the calibration moves, and each has one home:
    status_quo.yaml, or dated_2021_2025.yaml (which extends it) for the state at the takeover,
    never both."""
    import xarray as xr
    import yaml

    from conftest import REPO_ROOT
    c = cal.load_calibration(SHIPPED / "isis_khorasan.yaml", REPO_ROOT / "data" / "targets.csv")
    with xr.open_dataset(SHIPPED / "isis_khorasan.posterior.nc") as ds:
        assert (ds.attrs["points_per_wave"], ds.sizes["wave"], ds.sizes["replicate"]) == (
            c.points, c.waves, c.replicates)
        assert ds.attrs["settings"] == " ".join(c.settings) and ds.attrs["seed"] == c.seed
        assert list(ds.target.values) == [t.name for t in c.targets]
        assert list(ds.observed.values) == [t.value for t in c.targets]
        draws = pd.read_csv(SHIPPED / "isis_khorasan.posterior_draws.csv", float_precision="round_trip")
        assert len(draws) == ds.sizes["draw"] > 0
        best = ds.isel(draw=int(np.argmin(ds.max_implausibility.values)))
        settings = dict(line.split("=") for line in cal.best_settings(
            c, pd.Series({p.name: float(best[p.name]) for p in c.parameters})))
        for p in c.parameters:
            for path in ds[p.name].attrs["paths"].split():
                np.testing.assert_array_equal(draws[path].values, ds[p.name].values)
    files = {name: yaml.safe_load((REPO_ROOT / "scenarios" / f"{name}.yaml").read_text())
             for name in ("dated_2021_2025", "status_quo")}

    def value_at(node, path):
        """The value at a key path in one file, None where that file does not set it."""
        for key in re.findall(r"[^.\[\]]+(?:\[[^\]]+\])?", path):
            name, _, index = key.partition("[")
            node = node.get(name) if isinstance(node, dict) else None
            if node is not None and index:
                index = index.rstrip("]")
                node = (node[int(index)] if index.isdigit() and int(index) < len(node) else
                        next((item for item in node if item.get("id") == index), None))
            if node is None:
                return None
        return float(node["value"] if isinstance(node, dict) else node)

    homes = {"dated_2021_2025": [], "status_quo": []}
    for path, value in settings.items():
        found = {name: value_at(doc, path) for name, doc in files.items()}
        set_in = [name for name, v in found.items() if v is not None]
        assert len(set_in) == 1, f"{path} is set in {set_in or 'neither file'}: one home"
        assert found[set_in[0]] == pytest.approx(float(value), rel=5e-3), path
        homes[set_in[0]].append(path)
    assert homes["dated_2021_2025"] == ["factions[isis_khorasan].preparation_usd"], homes


def test_the_command_that_regenerates_the_shipped_ensemble_runs_at_a_small_size(aidflow_bin, tmp_path):
    """docs/CALIBRATION.md's command with --points/--waves/--replicates/--cutoff/--set: the same
    layout as the shipped file (variables, parameters, targets), from the same calibration file."""
    import xarray as xr

    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "aidflow_analysis.calibrate",
                           str(SHIPPED / "isis_khorasan.yaml"), "-o", str(out), "--aidflow",
                           str(aidflow_bin), "--points", "16", "--waves", "2", "--replicates", "2",
                           "--cutoff", "4", "--set", "run.households=500"],
                          capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr  # at this size and cutoff a few points survive
    points = pd.read_csv(out / "points.csv")
    assert len(points) == 32
    with xr.open_dataset(out / "posterior.nc") as small, \
            xr.open_dataset(SHIPPED / "isis_khorasan.posterior.nc") as shipped:
        assert set(small.data_vars) == set(shipped.data_vars)
        assert list(small.target.values) == list(shipped.target.values)
        assert small.attrs["points_per_wave"] == 16 and small.sizes["replicate"] == 2
        assert small.attrs["cutoff"] == 4.0
