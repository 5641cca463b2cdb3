"""The scenario sheet and the investor fact sheet."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from sheet_fixtures import page_text, pdf_pages

from gis_app.export import SheetLayout, sheet_bytes
from gis_app.export.style import sheet_style
from gis_app.export.variants import changed_plots, render_scenario_sheet


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
