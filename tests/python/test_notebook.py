"""The baseline notebook runs headless on a fresh result file and draws its plots."""
from pathlib import Path

import nbclient
import nbformat

from conftest import REPO_ROOT

NOTEBOOK = REPO_ROOT / "analysis" / "notebooks" / "baseline.ipynb"


def test_notebook_is_saved_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_notebook_executes(baseline_file, monkeypatch):
    monkeypatch.setenv("AIDFLOW_RUN", str(baseline_file))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError on any failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert str(baseline_file) in text, "the notebook must analyse the file named by AIDFLOW_RUN"
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 1
