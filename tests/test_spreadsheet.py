"""No export carries a live formula: CSV and Excel files written from a province full of hostile
names are read back with ``csv`` and openpyxl, as a spreadsheet would open them.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return must start
with ``'`` instead (OWASP), every Excel text cell must be a string cell, and numbers must stay
numeric cells.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from gis_app import cli
from gis_app._tables import write_frame
from gis_app.scenarios import LeasePlots, Scenario
from gis_app.scenarios.export import export_scenario
from gis_app.scenarios.store import ScenarioStore
from gis_app.search import SearchQuery, search, to_csv
from gis_app.settings import PROVINCES
from gis_app.spreadsheet import FORMULA_STARTS, neutralise, neutralised
from gis_app.storage.source import read_plan
from gis_app.testing.hostile import FORMULA, FORMULAS, write_hostile_province


def _live(value: object) -> bool:
    """Text a spreadsheet would take for a formula (a plain number such as -5 is harmless)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) \
        and neutralise(value) != value


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = PROVINCES["ninh_binh"].default_path
    if not source.exists():
        pytest.skip(f"{source} is not built (kcn-gis sample)")
    return write_hostile_province(source, tmp_path_factory.mktemp("sheets") / "hostile.gpkg")


def _csv_cells(text: str) -> list[str]:
    # newline="": a carriage return inside a quoted field stays in its cell, as in Excel.
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _xlsx_cells(path: Path) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def _assert_no_formula_cells(cells: list[openpyxl.cell.Cell]) -> None:
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [c.value for c in cells if _live(c.value)] == []
    assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))


@pytest.mark.parametrize("value", [*FORMULAS, "=1+1", "+A1", "-A1", "@x", "\tx", "\rx"])
def test_formula_text_gets_a_quote(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["KCN Gián Khẩu", "", "-5", "+1.5e3", "0.25", "a=b", 3, -2.5,
                                   None, True])
def test_other_values_are_kept(value: object) -> None:
    assert neutralise(value) == value


def test_neutralised_keeps_numbers_numeric_and_covers_index_and_headers() -> None:
    frame = pd.DataFrame({"=name": ["=cmd", "ok"], "area": [-1.5, 2.0]},
                         index=pd.Index(["@a", "b"], name="code"))
    out = neutralised(frame)
    assert list(out.columns) == ["'=name", "area"]
    assert list(out.index) == ["'@a", "b"] and out["area"].dtype == "float64"
    assert list(out["'=name"]) == ["'=cmd", "ok"]
    assert list(frame["=name"]) == ["=cmd", "ok"]  # the caller's frame is left alone


def test_neutralised_covers_a_two_level_index() -> None:
    """``kcn-gis diff`` writes (layer, feature id) as the index: both levels are user text."""
    index = pd.MultiIndex.from_tuples([("plots", "=A1"), ("plots", "'=A1"), ("parks", "P1")],
                                      names=["layer", "feature_id"])
    out = neutralised(pd.DataFrame({"n": [1, 2, 3]}, index=index))
    assert list(out.index) == [("plots", "'=A1"), ("plots", "'=A1"), ("parks", "P1")]
    assert list(out.index.names) == ["layer", "feature_id"]


def test_report_csv_and_xlsx_carry_no_formula(hostile: Path, tmp_path: Path) -> None:
    csv_path, xlsx_path = tmp_path / "report.csv", tmp_path / "report.xlsx"
    assert cli.main(["report", str(hostile), "--format", "csv", "--output", str(csv_path)]) == 0
    assert cli.main(["report", str(hostile), "--format", "xlsx", "--output",
                     str(xlsx_path)]) == 0
    cells = _csv_cells(csv_path.read_bytes().decode("utf-8-sig"))
    assert [c for c in cells if _live(c)] == []
    assert "'\r=1+1 IP 5" in cells  # a carriage return does not start a new row
    assert f"'{FORMULA} IP 0" in cells  # the English name, kept as text
    xlsx = _xlsx_cells(xlsx_path)
    _assert_no_formula_cells(xlsx)
    assert f"'{FORMULA} IP 0" in {c.value for c in xlsx}
    header = next(c for c in xlsx if c.value == "Diện tích quy hoạch (ha)")
    below = [c for c in xlsx if c.column == header.column and c.row > header.row]
    assert below and all(c.data_type == "n" for c in below)  # numbers stay numbers


def test_summary_frames_neutralise_their_index(tmp_path: Path) -> None:
    """``summary``/``report``/``as-of`` share write_frame; a grouping key is an index label."""
    frame = pd.DataFrame({"planned_ha": [10.0, 20.0]},
                         index=pd.Index(["=HYPERLINK(\"x\")", "Bắc Ninh"], name="legacy_province"))
    write_frame(frame, fmt="xlsx", lang="vi", output=tmp_path / "s.xlsx", sheet="provinces")
    cells = _xlsx_cells(tmp_path / "s.xlsx")
    _assert_no_formula_cells(cells)
    assert "'=HYPERLINK(\"x\")" in {c.value for c in cells}
    assert {c.value for c in cells if c.data_type == "n"} == {10.0, 20.0}
    write_frame(frame, fmt="csv", lang="vi", output=tmp_path / "s.csv", sheet="provinces")
    cells_csv = _csv_cells((tmp_path / "s.csv").read_bytes().decode("utf-8-sig"))
    assert "'=HYPERLINK(\"x\")" in cells_csv and "10.0" in cells_csv


def test_shortlist_csv_carries_no_formula(hostile: Path) -> None:
    plan = read_plan(hostile)
    sites = search(plan, SearchQuery())
    codes = set(sites["plot_codes"].astype(str))
    assert any(_live(c) for c in codes)  # the search did return formula-like plot codes
    cells = _csv_cells(to_csv(sites).decode("utf-8-sig"))
    assert [c for c in cells if _live(c)] == []
    assert {"'" + c for c in codes if _live(c)} <= set(cells)


def test_scenario_report_carries_no_formula(hostile: Path, tmp_path: Path) -> None:
    plan = read_plan(hostile)
    vacant = plan.plots.loc[plan.plots["status"] == "vacant", "plot_code"]
    code = next(c for c in vacant if c.startswith("="))
    store = ScenarioStore(hostile)
    scenario = Scenario.new(f"{FORMULA} plan", scenario_id="formula").with_edit(
        LeasePlots(id="e1", plot_codes=(code,), project_id="=P1", investor=FORMULA,
                   sector="@SUM(1)", country="-1+cmd"))
    store.save(scenario)
    for suffix in ("xlsx", "csv"):
        report = tmp_path / f"report.{suffix}"
        export_scenario(hostile, "formula", tmp_path / f"out_{suffix}.gpkg", report)
        if suffix == "csv":
            cells = _csv_cells(report.read_bytes().decode("utf-8-sig"))
            assert [c for c in cells if _live(c)] == []
        else:
            xlsx = _xlsx_cells(report)
            _assert_no_formula_cells(xlsx)
            values = {c.value for c in xlsx}
            assert "'" + code in values  # the changes sheet names the leased plot
            assert any(c.data_type == "n" for c in xlsx)
