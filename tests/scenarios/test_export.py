"""export_scenario(): a standalone GeoPackage of the evaluated scenario and the report."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from scenario_helpers import simple_park_indicators, simple_province_indicators

from gis_app.errors import ExportError
from gis_app.scenarios import MergePlots, ReclaimProjects, Scenario
from gis_app.scenarios.export import REPORT_HEADERS, SHEETS, export_scenario
from gis_app.scenarios.store import ScenarioStore
from gis_app.storage import list_layers, read_layer, read_plan

FUNCS = {"park_indicators": simple_park_indicators,
         "province_indicators": simple_province_indicators}


@pytest.fixture
def stored(gpkg: Path) -> Path:
    ScenarioStore(gpkg).save(Scenario.new("Thu hồi và hợp nhất", scenario_id="s1").with_edit(
        ReclaimProjects(id="e1", project_ids=("T2",))).with_edit(
        MergePlots(id="e2", plot_codes=("A1", "A2"), new_code="A12")))
    return gpkg


def test_export_writes_the_scenario_plan_changes_and_report(stored: Path, tmp_path: Path) -> None:
    out, report = tmp_path / "out" / "s1.gpkg", tmp_path / "out" / "s1.xlsx"
    done = export_scenario(stored, "s1", out, report, **FUNCS)
    plan = read_plan(out)  # a valid province file on its own
    assert sorted(plan.plots["plot_code"]) == ["A12", "A3", "A4"]
    assert plan.plots.set_index("plot_code").loc["A4", "status"] == "vacant"
    layers = list_layers(out)
    assert {"scenario_changes", "scenario_info", "dataset_info"} <= set(layers)
    assert "scenarios" not in layers  # the export is the evaluated plan, not the store
    changes = read_layer(out, "scenario_changes")
    assert len(changes) == len(done.changes) > 0
    info = dict(read_layer(out, "dataset_info")[["key", "value"]].values)
    assert info["scenario_id"] == "s1" and info["scenario_version"] == "1"
    book = openpyxl.load_workbook(report)
    assert book.sheetnames == list(SHEETS.values())
    province = pd.read_excel(report, sheet_name=SHEETS["province"])
    assert list(province.columns) == [REPORT_HEADERS[c] for c in
                                      ("level", "key", "indicator", "label", "a", "b",
                                       "difference", "changed")]
    leased = province.set_index(REPORT_HEADERS["indicator"]).loc["leased_ha"]
    assert (leased[REPORT_HEADERS["a"]], leased[REPORT_HEADERS["b"]]) == (1.5, 1.0)
    edits = pd.read_excel(report, sheet_name=SHEETS["edits"])
    assert edits["edit_id"].tolist() == ["e1", "e2"]


def test_csv_report_keeps_the_diacritics(stored: Path, tmp_path: Path) -> None:
    report = tmp_path / "s1.csv"
    export_scenario(stored, "s1", tmp_path / "s1.gpkg", report, **FUNCS)
    table = pd.read_csv(report, encoding="utf-8-sig")
    assert "Hiện trạng / Baseline" in table.columns
    assert set(table["Cấp / Level"]) == {"KCN / Park", "Tỉnh / Province"}


def test_export_refuses_to_overwrite_the_province_file(stored: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="refusing to overwrite"):
        export_scenario(stored, "s1", stored, tmp_path / "r.csv", **FUNCS)
    with pytest.raises(ExportError, match=r"\.csv or \.xlsx"):
        export_scenario(stored, "s1", tmp_path / "x.gpkg", tmp_path / "r.pdf", **FUNCS)


def test_each_edit_type_is_named_from_the_catalogue() -> None:
    """An edit type's label is the catalogue's ``edit.op_<operation>`` in each language (no
    text on the class), and the scenario's edits table states both, as before."""
    from gis_app.i18n import t
    from gis_app.scenarios import OPERATIONS
    from gis_app.scenarios.export import edits_table

    # The product's own edit types (tests elsewhere register edit types of their own).
    builtin = {c: op for c, op in OPERATIONS.items() if op.__module__.startswith("gis_app.")}
    assert len(builtin) >= 12
    for code, op in builtin.items():
        assert op.label("vi") == t(f"edit.op_{code}", "vi") != op.label("en"), code
        assert not hasattr(op, "label_vi") and not hasattr(op, "label_en"), code
    scenario = Scenario(id="s1", name="s", edits=(
        MergePlots(id="e1", plot_codes=("A", "B"), new_code="AB"),
        ReclaimProjects(id="e2", project_ids=("P1",))))
    assert list(edits_table(scenario)["label"]) == [
        "Hợp nhất lô đất / Merge plots",
        "Thu hồi đất dự án chậm tiến độ / Reclaim land of slow projects"]
