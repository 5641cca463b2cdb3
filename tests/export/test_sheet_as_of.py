"""Map sheets drawn for a past date: the plan of that date, named in the title block."""

from __future__ import annotations

import pytest
from sheet_fixtures import page_text, pdf_pages

from gis_app.cli import main
from gis_app.export import load_sheet_data
from gis_app.settings import PROVINCES


def test_sheet_data_as_of_holds_that_dates_plan():
    # Nam Sơn – Hạp Lĩnh (BN09): 432 ha until 1402/TTg-CN of 15 Oct 2020, 300 ha after.
    before = load_sheet_data(PROVINCES["bac_ninh"].default_path, as_of="2020-10-14")
    now = load_sheet_data(PROVINCES["bac_ninh"].default_path)
    assert before.park("BN09")["planned_area_ha"].iloc[0] == 432.0
    assert now.park("BN09")["planned_area_ha"].iloc[0] == 300.0
    assert before.park("BN09").geometry.area.iloc[0] / 1e4 == pytest.approx(432.0, abs=0.01)
    assert str(before.as_of) == "2020-10-14" and now.as_of is None


def test_export_sheet_as_of_names_the_date(tmp_path, capsys):
    target = tmp_path / "bn09_2019.pdf"
    assert main(["export", "sheet", "bac_ninh", "--park", "BN09", "--as-of", "2019-06-30",
                 "--paper", "A3", "-o", str(target)]) == 0
    (page,) = pdf_pages(target.read_bytes())
    assert "Quy hoạch tại ngày 30/06/2019" in page_text(page)
    current = tmp_path / "bn09.pdf"
    assert main(["export", "sheet", "bac_ninh", "--park", "BN09", "-o", str(current)]) == 0
    assert "Quy hoạch tại ngày" not in page_text(pdf_pages(current.read_bytes())[0])


def test_a_park_not_yet_in_the_plan_is_a_one_line_error(tmp_path, capsys):
    # Yên Phong II-C (BN16) entered the plan with 1511/TTg-KTN on 20 Aug 2014.
    assert main(["export", "sheet", "bac_ninh", "--park", "BN16", "--as-of", "2014-08-19",
                 "-o", str(tmp_path / "x.pdf")]) == 2
    assert "no park 'BN16'" in capsys.readouterr().err


def test_sheet_data_around_a_plan_the_caller_holds_reads_no_plan(monkeypatch):
    from gis_app.export import data as sheet_data
    from gis_app.history import as_of
    from gis_app.storage import read_plan

    path = PROVINCES["bac_ninh"].default_path
    held, past = read_plan(path), as_of(path, "2020-10-14")
    full = load_sheet_data(path)
    reads: list[object] = []
    monkeypatch.setattr(sheet_data, "read_plan",
                        lambda source: reads.append(source) or read_plan(source))
    now = load_sheet_data(path, plan=held)
    before = load_sheet_data(path, as_of="2020-10-14", plan=past)
    assert reads == []
    # The caller's plan, drawn with the file's province, context and notice as before.
    assert now.plan is held and before.plan is past and str(before.as_of) == "2020-10-14"
    assert (now.province, now.illustrative, now.source) == (
        full.province, full.illustrative, full.source)
    assert set(now.context) == set(full.context) and now.context
    load_sheet_data(path)
    assert reads == [path]  # without a plan the file is read (through the counted function)
