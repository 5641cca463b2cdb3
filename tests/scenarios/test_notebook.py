"""notebooks/02_scenarios.ipynb runs from top to bottom on the shipped Ninh Bình file."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "02_scenarios.ipynb"


@pytest.mark.slow
def test_scenarios_notebook_runs(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # Run in tmp_path: nothing the notebook might write lands in the repository.
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for cell in notebook.cells if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    text = "".join(o.get("text", "") for cell in notebook.cells
                   for o in cell.get("outputs", []) if o.get("output_type") == "stream")
    assert "CRS 5897" in text  # the Ninh Bình plan was read in its VN-2000 zone
    assert "projects revoked by the scenario: 13" in text
    assert "leased to the prospective tenant" in text  # ... and it reached the last section
