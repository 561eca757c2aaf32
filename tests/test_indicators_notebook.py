"""The steering notebook runs from top to bottom on a generated month of calls."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "indicators.ipynb"


def test_indicators_notebook_draws_the_month(monkeypatch) -> None:
    monkeypatch.delenv("ACOTEL_RECORDS", raising=False)
    monkeypatch.setenv("ACOTEL_NB_CALLS", "1500")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    errors = [o.get("evalue") for o in outputs if o.output_type == "error"]
    assert not errors
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "1500 appels du 01/12/2026 au 31/12/2026" in text
    assert "Appels requêtés / traités" in text and "Durée d'un appel abouti" in text
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 4
