"""Assumptions as data: every value a shipped scenario labels an assumption declares its range
(tests/support/assumption_ranges.py check), `aidflow uncertainties` lists the declarations, and
a sweep's `uncertainties:` item samples them inside their ranges, the same for any --workers."""
import subprocess

import numpy as np
import pytest
import xarray as xr
import yaml

from conftest import BASELINE, REPO_ROOT

CHECKER = REPO_ROOT / "tests" / "support" / "assumption_ranges.py"
BASE = REPO_ROOT / "tests" / "bad_scenarios" / "_valid_base.yaml"


def checker(*args):
    return subprocess.run(["/usr/bin/python3", str(CHECKER), *map(str, args)],
                          capture_output=True, text=True, timeout=60)


def test_every_assumption_in_the_shipped_scenarios_declares_its_range():
    shipped = sorted((REPO_ROOT / "scenarios").glob("*.yaml"))
    assert len(shipped) >= 10
    done = checker("check", *shipped)
    assert done.returncode == 0, done.stdout


def test_the_checker_finds_a_label_without_a_range_and_the_converter_declares_it(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("geography:\n"
                        "  baseline_need: 0.55   # assumption, range 0.4-0.7 (why, [SRC-1])\n"
                        "  flows:\n"
                        "    - {from: 2022-01-01, people: 500}  # assumption, range 100-900\n")
    done = checker("check", scenario)
    assert done.returncode == 1 and done.stdout.count("without a range") == 2, done.stdout
    assert checker("convert", scenario).returncode == 0
    assert checker("check", scenario).returncode == 0
    tree = yaml.safe_load(scenario.read_text())["geography"]
    assert tree["baseline_need"] == {"value": 0.55, "range": [0.4, 0.7], "note": "why, [SRC-1]"}
    assert tree["flows"][0]["people"] == {"value": 500, "range": [100, 900]}


def uncertainties(aidflow_bin, scenario, *args):
    return subprocess.run([str(aidflow_bin), "uncertainties", str(scenario), *args],
                          capture_output=True, text=True, timeout=60, cwd=REPO_ROOT)


def test_uncertainties_lists_every_declaration_of_the_baseline(aidflow_bin):
    done = uncertainties(aidflow_bin, BASELINE)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "path\tvalue\tlow\thigh\tdistribution\tnote\tclaims\twhere"
    declared = sum("range: [" in line for line in BASELINE.read_text().splitlines()
                   if not line.lstrip().startswith("#"))
    assert len(lines) - 1 == declared > 300
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[1:]}
    need = rows["geography.baseline_need"]
    assert need[1:5] == ["0.55", "0.4", "0.7", "uniform"]
    assert need[6] == "OCHA-HRP-2022"
    line = int(need[7].split(":")[1])
    assert "value: 0.55" in BASELINE.read_text().splitlines()[line - 1]
    assert "factions[haqqani].influence" in rows  # entries by id, as --set takes them


def test_uncertainties_yaml_and_set(aidflow_bin):
    done = uncertainties(aidflow_bin, BASELINE, "--format", "yaml",
                         "--set", "geography.baseline_need=0.95")
    assert done.returncode == 0, done.stderr
    listed = {entry["path"]: entry for entry in yaml.safe_load(done.stdout)}
    need = listed["geography.baseline_need"]
    assert need["value"] == 0.95 and need["range"] == [0.4, 0.7]  # --set may leave the range
    assert need["claims"] == ["OCHA-HRP-2022"]


def test_uncertainties_refuses_a_bad_declaration_with_a_located_message(aidflow_bin):
    bad = REPO_ROOT / "tests" / "bad_scenarios" / "declared_range_excludes_value.yaml"
    done = uncertainties(aidflow_bin, bad.relative_to(REPO_ROOT))
    assert done.returncode == 2
    assert done.stderr.strip() == ("error: tests/bad_scenarios/declared_range_excludes_value.yaml:"
                                   "4:37: geography.population.range: the range [20000, 30000] "
                                   "excludes the value 10000")


DECLARED = f"""extends: {BASE}
name: declared
factions:
  - id: haqqani
    local_tax_rate: {{value: 0.02, range: [0.01, 0.1], distribution: log_uniform}}
ministries:
  - id: interior
    capture_rate: {{value: 0.1, range: [0.05, 0.3], note: "a guess"}}
  - id: agriculture
    capture_rate: {{value: 0.2, range: [0.1, 0.4]}}
signals:
  lag_weeks: {{value: 4, range: [1, 12]}}
"""

SWEEP = """name: declared_all
scenario: declared.yaml
parameters:
  - path: ministries[agriculture].capture_rate
    values: [0.15, 0.25]
    crossed: true
  - uncertainties: all
design: {kind: latin_hypercube, points: 7, seed: 3}
seed: 5
"""


@pytest.fixture(scope="module")
def declared_sweeps(aidflow_bin, tmp_path_factory):
    root = tmp_path_factory.mktemp("declared")
    (root / "declared.yaml").write_text(DECLARED)
    (root / "sweep.yaml").write_text(SWEEP)
    outs = []
    for workers in ("1", "2"):
        out = root / f"out{workers}"
        done = subprocess.run([str(aidflow_bin), "sweep", str(root / "sweep.yaml"), "-o", str(out),
                               "-q", "--workers", workers],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        outs.append(out)
    return outs


EXPANDED = {"factions_haqqani_local_tax_rate": (0.01, 0.1),
            "ministries_interior_capture_rate": (0.05, 0.3),
            "signals_lag_weeks": (1, 12)}


def test_a_latin_hypercube_over_all_declared_uncertainties_stays_inside_every_range(
        declared_sweeps):
    store = xr.open_dataset(declared_sweeps[0] / "sweep.h5")
    assert store.sizes["run"] == 14  # 7 points x 2 crossed values
    assert "ministries_agriculture_capture_rate" not in store  # varied by its own parameter
    for name, (low, high) in EXPANDED.items():
        values = store[name].values.astype(float)
        assert ((values >= low) & (values <= high)).all(), (name, values)
        assert len(np.unique(values)) == 7, (name, values)  # one stratum per point
    assert (store["signals_lag_weeks"].values == np.round(store["signals_lag_weeks"].values)).all()
    # log_uniform: sampled on a log scale, so as many points below the geometric middle as above.
    tax = np.unique(store["factions_haqqani_local_tax_rate"].values)
    assert abs(int((tax < np.sqrt(0.01 * 0.1)).sum()) - int((tax > np.sqrt(0.01 * 0.1)).sum())) <= 1


def test_the_expansion_is_the_same_for_any_worker_count_and_visible_in_the_sweep_dir(
        declared_sweeps):
    one, two = (xr.open_dataset(out / "sweep.h5") for out in declared_sweeps)
    for name in EXPANDED:
        assert (one[name].values == two[name].values).all()
    assert (one["diverted"].values == two["diverted"].values).all()
    kept = (declared_sweeps[0] / "sweep.yaml").read_text()
    assert kept.startswith("# ") and "uncertainties expanded into 3 parameters" in kept
    parameters = yaml.safe_load(kept)["parameters"]
    assert {p.get("name") for p in parameters} >= set(EXPANDED)
    assert not any("uncertainties" in p for p in parameters)
    by_name = {p.get("name"): p for p in parameters}
    assert by_name["factions_haqqani_local_tax_rate"]["scale"] == "log"
    assert by_name["signals_lag_weeks"]["integer"] is True
    assert by_name["ministries_interior_capture_rate"]["range"] == [0.05, 0.3]


def test_an_uncertainties_item_that_selects_nothing_is_refused(aidflow_bin, tmp_path):
    (tmp_path / "declared.yaml").write_text(DECLARED)
    sweep_file = tmp_path / "sweep.yaml"
    sweep_file.write_text(SWEEP.replace("uncertainties: all", 'uncertainties: "patrons.*"'))
    done = subprocess.run([str(aidflow_bin), "sweep", str(sweep_file), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {sweep_file}:7:20: parameters[1].uncertainties: selects "
                                  "no declared uncertainty"), done.stderr
    assert not (tmp_path / "o").exists()
