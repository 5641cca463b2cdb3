"""Scenario edits in words, in both languages: park names, hectares and counts, not the
operation's code and parameters (``change_boundary(park_code=NB01; ...)``)."""

from __future__ import annotations

import pytest
import shapely

from gis_app.scenarios import LeasePlots, MergePlots, RezonePlots
from gis_app.scenarios.describe import describe
from gis_app.scenarios.examples import ninh_binh_2024
from gis_app.settings import PROVINCES
from gis_app.storage import read_plan
from gis_app.testing import tiny_plan


@pytest.fixture(scope="module")
def ninh_binh():  # noqa: ANN201
    return read_plan(PROVINCES["ninh_binh"].default_path)


def test_the_worked_example_reads_as_the_board_writes_it(ninh_binh) -> None:  # noqa: ANN001
    scenario = ninh_binh_2024(ninh_binh)
    vi = [describe(e, "vi", ninh_binh) for e in scenario.edits]
    en = [describe(e, "en", ninh_binh) for e in scenario.edits]
    assert vi[0].startswith("Mở rộng KCN Gián Khẩu thêm 35 ha")
    assert en[0].startswith("Extend Gian Khau Industrial Park by 35 ha")
    assert vi[1].startswith("Thu hồi đất của 13 dự án chậm tiến độ (")
    assert en[1].startswith("Reclaim the land of 13 slow projects (")
    for text in vi + en:
        assert "park_code" not in text and "=" not in text and "NB0" not in text
    assert all(text.isascii() is False for text in vi)  # Vietnamese words, not codes


def test_plot_edits_name_counts_areas_and_uses_with_local_separators() -> None:
    plan = tiny_plan()
    codes = tuple(plan.plots["plot_code"].iloc[:2])
    area = float(shapely.area(plan.plots.geometry.values[:2]).sum()) / 10_000
    rezone = RezonePlots(id="e1", plot_codes=codes, land_use="green")
    vi, en = describe(rezone, "vi", plan), describe(rezone, "en", plan)
    assert vi.startswith("Chuyển 2 lô (") and vi.endswith("sang Đất cây xanh")
    assert en.startswith("Re-zone 2 plots (") and en.endswith("to green space")
    shown = f"{area:.1f}".rstrip("0").rstrip(".")
    assert f"{shown.replace('.', ',')} ha" in vi and f"{shown} ha" in en
    merge = MergePlots(id="e2", plot_codes=codes, new_code="A12")
    assert describe(merge, "en", plan).endswith("into plot A12")
    lease = LeasePlots(id="e3", plot_codes=codes[:1], project_id="X", investor="Beta Co",
                       sector="electronics")
    assert describe(lease, "vi", plan).startswith("Cho Beta Co thuê 1 lô (")
