"""The notebooks run headless, top to bottom, on small runs (the baseline one on a shared file)."""
import nbclient
import nbformat
import pytest

from conftest import REPO_ROOT

NOTEBOOKS = REPO_ROOT / "analysis" / "notebooks"


@pytest.mark.parametrize("name", ["baseline", "proposals", "sensitivity", "maps", "uncertainty"])
def test_notebook_is_saved_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


def execute(name, monkeypatch, aidflow_bin, **env):
    """Runs notebook `name` headless with the aidflow binary (and any other environment), and
    returns its outputs, their text and how many figures it drew. Tables printed outside
    Jupyter must be text, not a Styler's repr."""
    monkeypatch.setenv("AIDFLOW_BIN", str(aidflow_bin))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    for key, value in env.items():
        monkeypatch.setenv(key, str(value))
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=600,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError on any failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    text = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "Styler" not in text, "tables must print as text outside Jupyter"
    figures = len([o for o in outputs if "image/png" in o.get("data", {})])
    return text, figures


def test_baseline_notebook_executes(baseline_file, aidflow_bin, monkeypatch):
    text, figures = execute("baseline", monkeypatch, aidflow_bin, AIDFLOW_RUN=baseline_file)
    assert str(baseline_file) in text, "the notebook must analyse the file named by AIDFLOW_RUN"
    assert figures >= 6


def test_proposals_notebook_executes(aidflow_bin, monkeypatch):
    text, figures = execute("proposals", monkeypatch, aidflow_bin)
    assert "humanitarian_monitoring against the baseline (3 pairs)" in text
    assert figures >= 2


def test_sensitivity_notebook_executes(aidflow_bin, monkeypatch):
    text, figures = execute("sensitivity", monkeypatch, aidflow_bin)
    assert "160 runs; 160 complete" in text, "32 base samples x (3 + 2) blocks, all complete"
    assert "mu_star" in text and "ST_high" in text
    assert figures >= 1


def test_maps_notebook_executes(aidflow_bin, monkeypatch):
    text, figures = execute("maps", monkeypatch, aidflow_bin)
    assert "3 status-quo runs and 3 with monitoring" in text
    assert "Influence of ISIS-Khorasan:" in text and "Nangarhar" in text, "the table of top provinces"
    assert "aid diverted to armed groups" in text, "the national comparison beside the maps"
    assert figures >= 8, "six maps of the status quo and two of the policy's change"


def test_uncertainty_notebook_executes_in_under_two_minutes(aidflow_bin, monkeypatch):
    import time

    start = time.monotonic()
    text, figures = execute("uncertainty", monkeypatch, aidflow_bin)
    assert time.monotonic() - start < 120
    assert "targets fitted" in text and "held out (2024)" in text
    assert "5-95% over draws and seeds" in text and "P(policy better)" in text
    assert figures >= 3, "posterior against prior, predictive band, the paired effect by draw"
