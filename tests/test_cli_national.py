"""``kcn-gis summary`` and ``report`` over several provinces: the ministry's national table."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from gis_app.cli.commands import main
from gis_app.province_init import init_province
from gis_app.settings import PROVINCES

SHIPPED = ("bac_ninh", "ninh_binh")


@pytest.fixture(autouse=True)
def _shipped():
    if not all(PROVINCES[key].default_path.exists() for key in SHIPPED):
        pytest.skip("the shipped provinces are not built (kcn-gis sample)")


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def test_summary_of_several_provinces_is_the_national_table_in_english(tmp_path, capsys):
    empty = init_province("gia_lai", tmp_path / "gia_lai.gpkg")
    target = tmp_path / "national.csv"
    assert main(["summary", *SHIPPED, str(empty), "--format", "csv", "--lang", "en",
                 "--output", str(target)]) == 0
    rows = _rows(target.read_text(encoding="utf-8-sig"))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["Province", "Rank"]
    assert [r[0] for r in body] == ["Ninh Bình", "Bắc Ninh", "Gia Lai", "National total"]
    leased = header.index("Leased in established parks (ha)")
    assert float(body[-1][leased]) == pytest.approx(
        sum(float(r[leased]) for r in body[:-1]))
    assert float(body[2][leased]) == 0  # the empty province: zeros, not an error


def test_summary_by_legacy_province_in_vietnamese_text(capsys):
    assert main(["summary", *SHIPPED, "--by", "legacy_province"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "Tỷ lệ lấp đầy" in lines[0] and "Thứ hạng" in lines[0]
    order = [line.split()[0] for line in lines[2:]]
    assert order == ["Bắc", "Ninh", "Bắc", "Cả"]  # Bắc Giang, Ninh Bình, Bắc Ninh, totals
    assert lines[-1].startswith("Cả nước (tổng)") and "<NA>" not in out


def test_report_of_several_provinces_ranks_every_park_to_excel(tmp_path):
    target = tmp_path / "parks.xlsx"
    assert main(["report", *SHIPPED, "--format", "xlsx", "--lang", "en",
                 "--output", str(target)]) == 0
    sheet = openpyxl.load_workbook(target).active
    values = list(sheet.iter_rows(values_only=True))
    header, body = values[0], values[1:]
    occupancy = [r[header.index("Occupancy")] for r in body[:-1]]
    known = [v for v in occupancy if v is not None]
    assert known == sorted(known, reverse=True)
    assert body[-1][0] == "National total"
    assert {r[header.index("Province")] for r in body[:-1]} == {"Bắc Ninh", "Ninh Bình"}


def test_report_by_province_gives_the_national_table(capsys):
    assert main(["report", *SHIPPED, "--by", "province", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[2:]] == ["Ninh", "Bắc", "National"]


def test_officer_reports_take_one_province(capsys):
    assert main(["report", *SHIPPED, "--kind", "screening"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--kind screening reports on one province" in err


def test_one_province_keeps_its_own_summary(capsys):
    assert main(["summary", "ninh_binh", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["Province", "Ninh", "Bình"]
