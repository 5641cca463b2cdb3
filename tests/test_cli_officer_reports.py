"""The officer reports (gis_app.officer_reports) and ``kcn-gis report --kind
screening|efficiency|actions`` on real GeoPackages: scores explained criterion by criterion,
thresholds stated, the 13 behind-schedule projects of Ninh Bình, both languages, CSV/XLSX
through the formula-neutralising writers."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from gis_app import officer_reports as reports
from gis_app.analytics import (
    ScreeningCriteria,
    criterion_label,
    province_indicators,
    tenant_screening,
)
from gis_app.cli import main
from gis_app.storage.source import read_plan
from gis_app.testing.hostile import FORMULA, write_hostile_province

LAYERS = Path(__file__).resolve().parents[1] / "layers"


@pytest.fixture(scope="module")
def ninh_binh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped file with its built-up raster (so idle land is checked)."""
    folder = tmp_path_factory.mktemp("officer-cli")
    for name in ("ninh_binh.gpkg", "ninh_binh_builtup.tif"):
        shutil.copyfile(LAYERS / name, folder / name)
    return folder / "ninh_binh.gpkg"


def test_screening_explained_criterion_by_criterion(ninh_binh: Path) -> None:
    plan = read_plan(ninh_binh)
    scored = tenant_screening(plan)
    criteria = ScreeningCriteria()
    for lang in ("vi", "en"):
        report = reports.screening_report(scored, plan.parks, lang)
        for project, row in report.iterrows():
            titles = [criterion_label(name, lang) for name in criteria.criteria]
            met = [t for t in titles if t in row["criteria_met"].split(", ")]
            short = [t for t in titles if row["criteria_short"].startswith(t + ":")
                     or f"; {t}:" in row["criteria_short"]]
            # Every criterion is either met or explained as short of full points.
            assert sorted(met + short) == sorted(titles), project
            full = [t for (name, c), t in zip(criteria.criteria.items(), titles, strict=True)
                    if scored.loc[project, f"{name}_points"] >= c.weight - 1e-9]
            assert sorted(met) == sorted(full), project
        explained = reports.screening_explanation(scored.iloc[-1], criteria, lang)
        assert explained["points"].sum() == pytest.approx(scored.iloc[-1]["score"], abs=0.3)
        assert list(explained["weight"]) == [c.weight for c in criteria.criteria.values()]
    # The Vietnamese explanation states value and thresholds in Vietnamese numbers.
    vi = reports.screening_report(scored, plan.parks, "vi")
    assert "đủ điểm khi ≥ 10,0 triệu USD/ha" in " ".join(vi["criteria_short"])
    thresholds = reports.screening_thresholds(criteria, "en")
    assert list(thresholds["full_points_at"])[:2] == ["full points at ≤ 50 employees/ha",
                                                        "full points at ≤ 0.05 ha per "
                                                        "million USD"]


def test_report_actions_lists_the_13_behind_schedule_projects(ninh_binh: Path, capsys) -> None:
    assert main(["report", str(ninh_binh), "--kind", "actions", "--format", "csv",
                 "--lang", "en"]) == 0
    out = capsys.readouterr().out
    table = pd.read_csv(pd.io.common.StringIO(out))
    behind = table[table["Action needed"] == "Project behind schedule"]
    totals = province_indicators(read_plan(ninh_binh)).iloc[0]
    assert len(behind) == int(totals["projects_behind_schedule_count"]) == 13
    assert {"Park code", "Park", "Plots", "Project ID", "Lease start",
            "Details"} <= set(table.columns)
    assert "Leased land left unbuilt" in set(table["Action needed"])  # the raster beside it
    assert not table["Park"].isna().any()


def test_report_text_tables_read_like_a_report(ninh_binh: Path, capsys) -> None:
    assert main(["report", str(ninh_binh), "--kind", "actions"]) == 0
    out = capsys.readouterr().out
    assert "Dự án chậm tiến độ" in out and "KCN Gián Khẩu" in out
    assert "behind_schedule" not in out and "NaN" not in out and "None" not in out
    assert "01/07/2014" in out  # a date as a Vietnamese date
    assert main(["report", str(ninh_binh), "--kind", "efficiency"]) == 0
    out = capsys.readouterr().out
    assert "6.640.935" in out and "71,9%" in out  # Vietnamese separators, a percentage
    assert "2,1 triệu USD/ha < 3,0 triệu USD/ha" in out  # the park below the minimum
    assert main(["report", str(ninh_binh), "--kind", "screening", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Criteria met" in out and "full points at ≥ 10.0 million USD/ha" in out
    assert "nan" not in out.lower().replace("financ", "")


def test_report_kind_xlsx_is_neutralised(tmp_path: Path) -> None:
    hostile = write_hostile_province(LAYERS / "ninh_binh.gpkg", tmp_path / "hostile.gpkg")
    target = tmp_path / "screening.xlsx"
    assert main(["report", str(hostile), "--kind", "screening", "--format", "xlsx",
                 "--output", str(target)]) == 0
    sheet = openpyxl.load_workbook(target)["screening"]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.value == "'" + FORMULA + " Co 4" or c.value.startswith("'=HYPERLINK")
               for c in cells)
    assert all(c.data_type == "s" for c in cells)
    headers = [c.value for c in sheet[1]]
    assert "Tiêu chí chưa đạt (giá trị, ngưỡng, điểm)" in headers


def test_default_report_is_unchanged_and_bad_kind_refused(ninh_binh: Path, capsys) -> None:
    assert main(["report", str(ninh_binh)]) == 0
    assert "Tỷ lệ lấp đầy" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["report", str(ninh_binh), "--kind", "nope"])
