"""A province fresh from ``kcn-gis init`` keeps its plan history from the start (issue 17).

Users complained that "an import leaves no trace in the history": a file made by ``init`` kept
no history, so a board's first imports were written without a change. Now ``init`` starts the
history with the empty baseline, and each first import (a layer, a CAD drawing, an Excel
register) is a change of its own in ``kcn-gis history FILE``.
"""

from __future__ import annotations

import csv
import datetime as dt
from datetime import date
from pathlib import Path

import pyogrio
import pytest
from test_cad import HERE, PLOT_DEFAULTS, plots_drawing
from test_registers import park_list

from gis_app.cli import main
from gis_app.i18n import t
from gis_app.imports import import_cad, import_register
from gis_app.imports.importer import import_layer
from gis_app.model.crs import to_crs
from gis_app.storage import read_plan, validate_file
from gis_app.testing import tiny_plan


def _history(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> list[dict[str, str]]:
    """The rows ``kcn-gis history FILE`` gives (as CSV, in English)."""
    out = tmp_path / f"history-{len(list(tmp_path.glob('history-*')))}.csv"
    assert main(["history", str(path), "--format", "csv", "--lang", "en",
                 "--output", str(out)]) == 0, capsys.readouterr().err
    with open(out, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def fresh(tmp_path: Path, capsys: pytest.CaptureFixture) -> Path:
    """Bắc Ninh fresh from ``kcn-gis init``, then its first import: the parks surveyed (the
    tiny park, in WGS 84), as a board starts."""
    path = tmp_path / "bac_ninh.gpkg"
    assert main(["init", "bac_ninh", "-o", str(path)]) == 0
    source = tmp_path / "parks.geojson"
    pyogrio.write_dataframe(to_crs(tiny_plan().parks, "EPSG:4326"), source, driver="GeoJSON")
    assert import_layer(source, path, "parks", recorded_by="Lê Văn A").written
    capsys.readouterr()
    return path


def _column(rows: list[dict[str, str]], key: str) -> list[str]:
    return [r[t(key, "en")] for r in rows]


def test_init_starts_the_history_with_the_empty_baseline(tmp_path, capsys):
    path = tmp_path / "hue.gpkg"
    assert main(["init", "hue", "-o", str(path), "--date", "2026-01-15"]) == 0
    capsys.readouterr()
    rows = _history(path, tmp_path, capsys)
    assert len(rows) == 1
    (row,) = rows
    assert row[t("effective_date", "en")] == "2026-01-15"
    assert row[t("basis_type", "en")] == t("import", "en")
    assert row[t("source_file", "en")] == "data/reference/national"
    assert row[t("description", "en")] == (
        f"{t('init.history_baseline', 'vi', province='Huế')} / "
        f"{t('init.history_baseline', 'en', province='Hue')}")
    assert "kcn-gis init" in row[t("description", "en")]
    # Still an empty, valid province file.
    assert validate_file(path).ok and read_plan(path).parks.empty


def test_init_dates_the_baseline_today_by_default(tmp_path, capsys):
    path = tmp_path / "hue.gpkg"
    assert main(["init", "hue", "-o", str(path)]) == 0
    (row,) = _history(path, tmp_path, capsys)
    assert row[t("effective_date", "en")] == date.today().isoformat()


def test_the_first_layer_import_and_a_register_leave_their_changes(fresh, tmp_path, capsys):
    register = park_list(tmp_path / "kcn.xlsx", [
        ["P1", "KCN Thử nghiệm", "2,5", "20.000", "Công ty CP Hạ tầng Thử", "12/QĐ-UBND",
         dt.datetime(2010, 5, 4)]])
    result = import_register(register, fresh, "parks", recorded_by="Phạm Thị D")
    assert result.written and result.change_id == "C0003"
    rows = _history(fresh, tmp_path, capsys)
    assert _column(rows, "change_id") == ["C0001", "C0002", "C0003"]
    assert "parks.geojson" in rows[1][t("description", "en")]  # the layer import
    assert "kcn.xlsx" in rows[2][t("description", "en")]  # the register
    assert read_plan(fresh).parks.iloc[0]["developer"] == "Công ty CP Hạ tầng Thử"
    assert validate_file(fresh).ok


def test_a_cad_drawing_imported_into_a_fresh_province_leaves_its_change(fresh, tmp_path,
                                                                        capsys):
    drawing = plots_drawing(tmp_path, "qhct_1-500.dxf")
    result = import_cad(drawing, fresh, defaults=PLOT_DEFAULTS, recorded_by="Nguyễn Văn C",
                        **HERE)
    assert result.written
    rows = _history(fresh, tmp_path, capsys)
    assert _column(rows, "change_id") == ["C0001", "C0002", "C0003"]
    assert int(rows[2][t("features_count", "en")]) == 4  # the four plots drawn
    assert sorted(read_plan(fresh).plots["plot_code"]) == ["A1", "A2", "A3", "A4"]
    assert validate_file(fresh).ok
