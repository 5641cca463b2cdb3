"""``kcn-gis import`` into a PostGIS province: the same checked import as into a GeoPackage,
written in one transaction, and nothing written when the plan it makes is refused."""

from __future__ import annotations

from pathlib import Path

import pyogrio
import pytest

from gis_app.cli import main
from gis_app.errors import ValidationError
from gis_app.model.crs import to_crs
from gis_app.storage import source
from gis_app.storage.postgis.store import init_database, layer_versions
from gis_app.testing import tiny_plan

pytestmark = pytest.mark.postgis

MAPS = ["--map", "MA_LO=plot_code", "--map", "NXXS=ready_built_factory"]


@pytest.fixture
def db(pg_url: str) -> str:
    init_database(pg_url)
    source.write_plan(pg_url, tiny_plan())
    return pg_url


@pytest.fixture
def province_gpkg(tmp_path: Path) -> Path:
    """The same tiny province as ``db``, as a GeoPackage."""
    import pandas as pd

    path = tmp_path / "bac_ninh.gpkg"
    info = pd.DataFrame({"key": ["province"], "value": ["bac_ninh"]})
    from gis_app.storage.gpkg import write_layers

    write_layers(path, {**tiny_plan().layers(), "dataset_info": info}, fresh=True)
    return path


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


def _impossible_survey(folder: Path) -> Path:
    """The tiny plots with impossible values, in the province's own CRS: an empty plot code, a
    plot reaching x = 1e308 m (its area overflows), an infinite area, a status of spaces."""
    import shapely

    plots = tiny_plan().plots.copy()
    plots["plot_code"] = ["", "A2", "A3", "A4"]
    x0, y0, _, y1 = plots.geometry[1].bounds
    plots.loc[1, "geometry"] = shapely.Polygon([(x0, y0), (1e308, y0), (1e308, y1), (x0, y1)])
    plots["area_ha"] = [0.5, 0.5, float("inf"), 0.5]
    plots["status"] = ["leased", "leased", "vacant", "  "]
    path = folder / "impossible.gpkg"
    pyogrio.write_dataframe(plots, path, layer="plots")
    return path


def test_both_backends_refuse_the_same_impossible_rows_alike(db, tmp_path, province_gpkg):
    from gis_app.imports.importer import import_layer

    survey = _impossible_survey(tmp_path)
    found = {}
    for name, target in (("gpkg", province_gpkg), ("postgis", db)):
        before = (layer_versions(db) if name == "postgis" else province_gpkg.read_bytes())
        with pytest.raises(ValidationError) as caught:
            import_layer(survey, target, "plots", mode="replace")
        after = (layer_versions(db) if name == "postgis" else province_gpkg.read_bytes())
        assert after == before, name  # nothing written
        problems = caught.value.report.problems
        found[name] = problems[["layer", "feature_id", "rule", "message"]].values.tolist()
    assert found["gpkg"] == found["postgis"]
    assert {(f, r) for _, f, r, _ in found["gpkg"]} == {
        ("fid 1", "missing_value"), ("A2", "non_finite"), ("A3", "non_finite"),
        ("A4", "missing_value"),
        # The leased plot whose code is empty has lost its tenant link.
        ("A1", "unknown_plot")}
    assert len(source.read_plan(db).plots) == 4


def test_an_import_into_a_database_with_history_is_recorded(pg_url, tmp_path, capsys):
    """A copy of the shipped file in PostGIS: the import is a recorded change with its file
    name, SHA-256, date and importer, and ``as-of`` today equals ``summary``."""
    import hashlib
    from datetime import date, timedelta

    from gis_app.history import changes, diff
    from gis_app.settings import PROVINCES

    shipped = PROVINCES["bac_ninh"].default_path
    assert main(["db", "push", str(shipped), pg_url]) == 0
    plots = pyogrio.read_dataframe(shipped, layer="plots")
    vacant = plots.index[(plots["status"] == "vacant") & ~plots["ready_built_factory"]
                         .astype(bool)][:2]
    plots.loc[vacant, "ready_built_factory"] = True
    survey = tmp_path / "khao_sat_lo_dat.gpkg"
    pyogrio.write_dataframe(plots, survey, layer="plots")
    sha = hashlib.sha256(survey.read_bytes()).hexdigest()
    before = changes(pg_url)
    capsys.readouterr()
    assert main(["import", str(survey), pg_url, "--layer", "plots", "--replace",
                 "--by", "Trần Thị B"]) == 0

    log = changes(pg_url)
    assert len(log) == len(before) + 1
    row = log.iloc[-1]
    assert (row["basis_type"], row["source_file"], row["recorded_by"]) == (
        "import", "khao_sat_lo_dat.gpkg", "Trần Thị B")
    assert sha in row["document_ref"] and row["effective_date"].date() == date.today()
    capsys.readouterr()
    assert main(["history", pg_url]) == 0
    line = next(t for t in capsys.readouterr().out.splitlines()
                if t.startswith(row["change_id"]))
    assert "khao_sat_lo_dat.gpkg" in line and sha in line

    today = date.today().isoformat()
    assert main(["summary", pg_url]) == 0
    summary = capsys.readouterr().out
    assert main(["as-of", pg_url, today]) == 0
    assert capsys.readouterr().out.split("\n", 1)[1] == summary

    found = diff(pg_url, (date.today() - timedelta(days=1)).isoformat(), today)
    assert sorted(found["feature_id"]) == sorted(plots.loc[vacant, "plot_code"])
    assert set(found["decision_nos"]) == {"khao_sat_lo_dat.gpkg"}
