"""The ``summary`` and ``report`` commands on a real GeoPackage in tmp_path."""

from __future__ import annotations

import pandas as pd
import pytest

from gis_app.cli import main
from gis_app.storage.gpkg import write_plan
from gis_app.testing import tiny_plan


@pytest.fixture
def gpkg(tmp_path):
    path = tmp_path / "tiny.gpkg"
    write_plan(path, tiny_plan())
    return path


def test_summary_table_in_vietnamese(gpkg, capsys):
    assert main(["summary", str(gpkg), "--by", "legacy_province"]) == 0
    out = capsys.readouterr().out
    assert "Tỷ lệ lấp đầy" in out and "75,00%" in out
    assert "Tỉnh (trước sáp nhập 2025)" in out


def test_summary_csv_in_english(gpkg, tmp_path):
    target = tmp_path / "summary.csv"
    assert main(["summary", str(gpkg), "--format", "csv", "--lang", "en",
                 "--output", str(target)]) == 0
    table = pd.read_csv(target, encoding="utf-8-sig", index_col=0)
    assert table.index.name == "Province"
    assert table.loc["Bắc Ninh", "Leased (ha)"] == pytest.approx(1.5)
    assert table.loc["Bắc Ninh", "Occupancy"] == pytest.approx(0.75)


def test_report_table_translates_codes(gpkg, capsys):
    assert main(["report", str(gpkg), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Test Park" not in out  # the short table shows the Vietnamese name only
    assert "KCN Thử nghiệm" in out and "Operating" in out and "8,000,000" in out
    assert "Yes" in out and "True" not in out  # booleans in words


def test_report_xlsx(gpkg, tmp_path):
    target = tmp_path / "parks.xlsx"
    assert main(["report", str(gpkg), "--format", "xlsx", "--output", str(target)]) == 0
    sheet = pd.read_excel(target, sheet_name="parks", index_col=0)
    assert sheet.loc["P1", "Đã cho thuê (ha)"] == pytest.approx(1.5)
    assert sheet.loc["P1", "Tình trạng"] == "Đang hoạt động"


def test_xlsx_needs_an_output(gpkg, capsys):
    assert main(["report", str(gpkg), "--format", "xlsx"]) == 2
    assert "--output" in capsys.readouterr().err


def test_missing_file_is_a_one_line_error(tmp_path, capsys):
    assert main(["summary", str(tmp_path / "nope.gpkg")]) == 2
    err = capsys.readouterr().err
    assert "nope.gpkg: no such file" in err and len(err.strip().splitlines()) == 1


def test_people_are_counted_in_whole_numbers_when_some_are_unknown(capsys):
    """A project register with a blank "Số lao động" makes the employee sum a float column;
    the summary still writes people as a whole number (2.050, not 2.050,00)."""
    from gis_app._tables import write_frame

    frame = pd.DataFrame({"employees": [2050.0], "employees_per_ha": [253.11]},
                         index=pd.Index(["Gia Lai"], name="province"))
    write_frame(frame, fmt="table", lang="vi", output=None, sheet="summary", transpose=True)
    out = capsys.readouterr().out
    assert "2.050\n" in out and "2.050,00" not in out
    assert "253,11" in out
