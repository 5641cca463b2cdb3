"""Every notebook in notebooks/ runs from top to bottom (so that none can rot)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

#: The analytics walk-through; the scenarios notebook has its own test in tests/scenarios/.
NOTEBOOKS = [Path(__file__).resolve().parents[1] / "notebooks" / "01_analytics_walkthrough.ipynb"]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    # Run in tmp_path so that nothing the notebook might write lands in the repository.
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for cell in notebook.cells if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    text = "".join(o.get("text", "") for cell in notebook.cells
                   for o in cell.get("outputs", []) if o.get("output_type") == "stream")
    assert "Bắc Ninh 9209" in text  # the plan was read, in its VN-2000 CRS
    assert "candidate plots" in text  # ... and the walk-through reached its last section


def test_there_is_a_notebook():
    assert any(p.name == "01_analytics_walkthrough.ipynb" for p in NOTEBOOKS)
