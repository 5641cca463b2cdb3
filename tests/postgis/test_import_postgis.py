"""``kcn-gis import`` into a PostGIS province: the same checked import as into a GeoPackage,
written in one transaction, and nothing written when the plan it makes is refused."""

from __future__ import annotations

from pathlib import Path

import pyogrio
import pytest

from gis_app.cli import main
from gis_app.layers import source
from gis_app.layers.crs import to_crs
from gis_app.layers.postgis import init_database, layer_versions
from gis_app.testing import tiny_plan

pytestmark = pytest.mark.postgis

MAPS = ["--map", "MA_LO=plot_code", "--map", "NXXS=ready_built_factory"]


@pytest.fixture
def db(pg_url: str) -> str:
    init_database(pg_url)
    source.write_plan(pg_url, tiny_plan())
    return pg_url


def _survey(folder: Path, plots) -> Path:  # noqa: ANN001
    """Plots in VN-2000 UTM 48N as a shapefile with survey field names."""
    plots = to_crs(plots, "EPSG:3405")
    plots = plots.assign(ready_built_factory=plots["ready_built_factory"].astype(bool))
    path = folder / "survey.shp"
    pyogrio.write_dataframe(plots.rename(columns={"plot_code": "MA_LO",
                                                  "ready_built_factory": "NXXS"}), path)
    return path


def test_replacing_plots_in_the_database(db, tmp_path, capsys):
    plots = tiny_plan().plots.copy()
    plots.loc[plots["plot_code"] == "A3", "status"] = "reserved"
    survey = _survey(tmp_path, plots)
    before = layer_versions(db)["plots"]
    assert main(["import", str(survey), db, "--layer", "plots", "--replace", *MAPS]) == 0
    assert "imported 4 of 4 feature(s)" in capsys.readouterr().out
    stored = source.read_plan(db).plots.set_index("plot_code")
    assert stored.loc["A3", "status"] == "reserved"
    assert stored.loc["A1", "area_ha"] == pytest.approx(0.5, rel=1e-3)
    assert layer_versions(db)["plots"] == before + 1


def test_a_refused_import_leaves_the_database_as_it_was(db, tmp_path, capsys):
    survey = _survey(tmp_path, tiny_plan().plots)
    before = layer_versions(db)
    # Appending the same plots again: every plot code is a duplicate.
    assert main(["import", str(survey), db, "--layer", "plots", *MAPS]) == 2
    err = capsys.readouterr().err
    assert "duplicate_id" in err or "duplicate" in err
    assert layer_versions(db) == before
    assert len(source.read_plan(db).plots) == 4


def test_a_dry_run_reports_without_writing(db, tmp_path, capsys):
    survey = _survey(tmp_path, tiny_plan().plots)
    before = layer_versions(db)
    assert main(["import", str(survey), db, "--layer", "plots", "--dry-run", *MAPS]) == 1
    out = capsys.readouterr().out
    assert "would import 4 of 4" in out and "duplicate_id" in out
    assert layer_versions(db) == before
