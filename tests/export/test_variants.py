"""The scenario sheet and the investor fact sheet."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from sheet_fixtures import page_text, pdf_pages

from gis_app.errors import ExportError
from gis_app.export import SheetLayout, sheet_bytes
from gis_app.export.style import sheet_style
from gis_app.export.variants import changed_plots, render_fact_sheet, render_scenario_sheet


def _lease_a3(plan):  # noqa: ANN001, ANN202
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == "A3", "status"] = "leased"
    return plan.replace(plots=plots)


def test_changed_plots_are_found(tiny_data):
    scenario = _lease_a3(tiny_data.plan)
    assert changed_plots(tiny_data.plan, scenario) == ["A3"]
    assert changed_plots(tiny_data.plan, tiny_data.plan) == []


def test_scenario_sheet_maps_both_plans_at_one_exact_scale(tiny_data):
    scenario = _lease_a3(tiny_data.plan)
    # Leasing A3 (0.5 ha) takes leased land from 1.5 to 2.0 ha: occupancy 75 % -> 100 %.
    differences = pd.DataFrame({"chỉ tiêu": ["Đã cho thuê (ha)", "Tỷ lệ lấp đầy (%)"],
                                "hiện trạng": [1.5, 75.0], "phương án": [2.0, 100.0],
                                "chênh lệch": [0.5, 25.0]})
    layout = SheetLayout(scale=2_000)
    sheet = render_scenario_sheet(tiny_data, scenario, differences, name="Cho thuê lô A3",
                                  park_code="P1", layout=layout)
    with sheet_style():
        FigureCanvasAgg(sheet.figure).draw()
    maps = [a for a in sheet.figure.axes if a.get_label().startswith("map_")]
    assert [a.get_label() for a in maps] == ["map_baseline", "map_scenario"]
    for ax in maps:
        box = ax.get_position()
        ground = ax.get_xlim()[1] - ax.get_xlim()[0]
        assert ground / (box.width * layout.paper_mm[0] / 1000) == pytest.approx(2_000, rel=0.005)
    text = page_text(pdf_pages(sheet_bytes(sheet))[0])
    assert "BẢN ĐỒ PHƯƠNG ÁN ĐIỀU CHỈNH QUY HOẠCH" in text
    assert "Hiện trạng" in text and "Phương án: Cho thuê lô A3" in text
    assert "Bảng so sánh" in text
    assert "Tỷ lệ lấp đầy (%) 75,00 100,00 25,00" in text
    assert "Lô thay đổi so với hiện trạng" in text


def test_scenario_sheet_prints_a_long_comparison_table(tiny_data):
    """The scenarios' comparison layout: level, key, indicator, a, b, difference, changed."""
    table = pd.DataFrame({"level": ["park"], "key": ["P1"], "indicator": ["leased_ha"],
                          "a": [1.5], "b": [2.0], "difference": [0.5], "changed": [True]})
    sheet = render_scenario_sheet(tiny_data.plan, _lease_a3(tiny_data.plan), table,
                                  name="A3", park_code="P1")
    text = page_text(pdf_pages(sheet_bytes(sheet))[0])
    assert "level key indicator a b difference" in text
    assert "park P1 leased_ha 1,50 2,00 0,50" in text
    assert "changed" not in text


def test_scenario_sheet_of_the_whole_province_from_plans(three_parks):
    base = three_parks.plan
    sheet = render_scenario_sheet(base, base, pd.DataFrame({"a": [1.0]}), name="Không đổi")
    assert sheet.denominator >= 10_000  # three parks 3 km apart
    assert len(sheet.map_axes) == 2


def test_fact_sheet_for_a_shortlist(tiny_data):
    shortlist = pd.DataFrame({"plot_code": ["A3"], "score": [0.87]})
    sheet = render_fact_sheet(tiny_data, shortlist, layout=SheetLayout(paper="A4",
                                                                        orientation="portrait"))
    text = page_text(pdf_pages(sheet_bytes(sheet))[0])
    assert "THÔNG TIN LÔ ĐẤT CHO NHÀ ĐẦU TƯ" in text
    # A3: 50 m x 100 m = 0.5 ha, industrial, with a ready-built factory.
    assert "A3 0,50 Đất nhà máy, xí nghiệp Có 0,87" in text
    assert "KCN Thử nghiệm (P1) – Tỷ lệ lấp đầy: 75,00 %" in text
    assert "Lô được chọn" in text


def test_fact_sheet_in_english_from_codes(tiny_data):
    sheet = render_fact_sheet(tiny_data, ["A3", "A1"], layout=SheetLayout(lang="en"))
    text = page_text(pdf_pages(sheet_bytes(sheet))[0])
    assert "INVESTOR FACT SHEET: AVAILABLE LAND" in text
    assert "A3 0.50 Industrial Yes" in text and "A1 0.50 Industrial No" in text


def test_fact_sheet_from_a_search_result_with_a_group(tiny_data):
    # A search row proposing the adjacent plots A3 and A4 together, scored 0.5.
    result = pd.DataFrame({"plot_codes": ["A3,A4"], "score": [0.5], "area_ha": [1.0]})
    text = page_text(pdf_pages(sheet_bytes(render_fact_sheet(tiny_data, result)))[0])
    assert "A3 0,50 Đất nhà máy, xí nghiệp Có 0,50" in text
    assert "A4 0,50 Đất kho bãi, logistics Không 0,50" in text


def test_fact_sheet_names_unknown_plots(tiny_data):
    with pytest.raises(ExportError, match="no plot Q9"):
        render_fact_sheet(tiny_data, ["A3", "Q9"])
