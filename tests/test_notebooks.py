"""Every notebook in notebooks/ runs from top to bottom (so that none can rot)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1] / "notebooks"
#: Each notebook with lines its printed output must contain: proof it ran to its last section.
NOTEBOOKS = {
    "01_analytics_walkthrough": (
        "Bắc Ninh 9209",  # the plan was read, in its VN-2000 CRS
        "candidate plots",  # ... and the walk-through reached its last section
    ),
    "02_scenarios": (
        "CRS 5897",  # the Ninh Bình plan was read in its VN-2000 zone
        "projects revoked by the scenario: 13",
        "leased to the prospective tenant",  # ... and it reached the last section
    ),
    "03_new_province": (
        "imported 9 outline(s) into Plots of gia_lai.gpkg",  # the drawing's plots, read by ezdxf
        "GL01: leased 10.44 ha of 18.53 ha leasable, occupancy 56.3%",  # the register's plots
        "registered capital 75.0 million USD",  # 1,905 tỷ đồng at the stated 25,400 VND/USD
        "qhct_kcn_binh_an.dxf: 3 change(s) in the plan history",  # ... and the last section
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_runs(name, tmp_path):
    notebook = nbformat.read(ROOT / f"{name}.ipynb", as_version=4)
    # Run in tmp_path so that nothing the notebook might write lands in the repository.
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for cell in notebook.cells if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    text = "".join(o.get("text", "") for cell in notebook.cells
                   for o in cell.get("outputs", []) if o.get("output_type") == "stream")
    for expected in NOTEBOOKS[name]:
        assert expected in text


def test_every_notebook_is_run():
    assert sorted(p.stem for p in ROOT.glob("*.ipynb")) == sorted(NOTEBOOKS)
