"""The recognition-rate notebook runs from top to bottom (on a sample of the forms)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "location_recognition.ipynb"


def test_notebook_executes_on_a_sample(monkeypatch) -> None:
    monkeypatch.setenv("ACOTEL_NB_SAMPLE", "150")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "150 forms" in text and "overall:" in text
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2
    assert os.environ["ACOTEL_NB_SAMPLE"] == "150"
