"""One park's map sheet: paper size, text in the PDF, the drawn scale, grid and corners."""

from __future__ import annotations

import io
import re
from datetime import date

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.image import imread
from sheet_fixtures import page_text, pdf_pages

from gis_app.errors import ExportError
from gis_app.export import (
    SheetLayout,
    load_sheet_data,
    render_park_sheet,
    save_figure,
    sheet_bytes,
    sheet_data_from_plan,
)
from gis_app.export.mapframe import corner_points
from gis_app.export.style import sheet_style
from gis_app.model.crs import to_crs, transformer
from gis_app.settings import ILLUSTRATIVE_NOTICE_VI, PROVINCES, REFERENCE_ATTRIBUTION
from gis_app.testing import ORIGIN, tiny_plan

PT_PER_MM = 72 / 25.4
CRS_NOTE = "VN-2000, kinh tuyến trục 105°30′, múi 3°"


def _drawn(sheet):  # noqa: ANN001, ANN202
    """Lay the figure out (aspect, ticks) as saving it would."""
    with sheet_style():
        FigureCanvasAgg(sheet.figure).draw()
    return sheet


def _map_axes(sheet):  # noqa: ANN001, ANN202
    (ax,) = [a for a in sheet.figure.axes if a.get_label() == "map"]
    return ax


@pytest.mark.parametrize(
    ("paper", "orientation", "points"),
    [("A3", "landscape", (1190.55, 841.89)), ("A4", "portrait", (595.28, 841.89)),
     ("A1", "landscape", (2383.94, 1683.78))],
)
def test_pdf_page_has_the_paper_size(tiny_data, paper, orientation, points):
    sheet = render_park_sheet(tiny_data, "P1", SheetLayout(paper=paper, orientation=orientation))
    (page,) = pdf_pages(sheet_bytes(sheet))
    assert float(page.mediabox.width) == pytest.approx(points[0], abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(points[1], abs=0.01)


def test_pdf_text_has_title_scale_crs_note_attribution_and_notice(tiny_data):
    layout = SheetLayout(scale=5_000)
    sheet = render_park_sheet(tiny_data, "P1", layout, when=date(2026, 11, 24))
    text = page_text(pdf_pages(sheet_bytes(sheet))[0])
    assert "BẢN ĐỒ HIỆN TRẠNG SỬ DỤNG ĐẤT KHU CÔNG NGHIỆP" in text
    assert "BAN QUẢN LÝ CÁC KCN TỈNH BẮC NINH" in text
    assert "KCN Thử nghiệm (P1)" in text
    assert "Tỷ lệ 1:5 000" in text
    assert CRS_NOTE in text and "EPSG:9209" in text
    assert "Ngày lập: 24/11/2026" in text
    assert " ".join(REFERENCE_ATTRIBUTION.split()) in text
    assert " ".join(ILLUSTRATIVE_NOTICE_VI.split()) in text
    assert "NGƯỜI LẬP" in text and "NGƯỜI DUYỆT" in text
    # The indicator table of tiny_plan: 2 ha leasable, 1.5 ha leased, 75 % occupancy.
    assert "Đất CN cho thuê theo QH (ha) 2,00" in text
    assert "Đã cho thuê (ha) 1,50" in text
    assert "Tỷ lệ lấp đầy 75,00%" in text


def test_notice_only_for_the_illustrative_sample():
    data = sheet_data_from_plan(tiny_plan(), illustrative=False)
    text = page_text(pdf_pages(sheet_bytes(render_park_sheet(data, "P1")))[0])
    assert "Dữ liệu minh họa" not in text
    assert " ".join(REFERENCE_ATTRIBUTION.split()) in text


def test_vietnamese_diacritics_survive_text_extraction():
    plan = tiny_plan()
    parks = plan.parks.copy()
    parks["name_vi"] = "Khu công nghiệp Quế Võ"
    data = sheet_data_from_plan(plan.replace(parks=parks))
    layout = SheetLayout(prepared_by="Đặng Thị Ơn", approved_by="Trương Văn Ưng")
    text = page_text(pdf_pages(sheet_bytes(render_park_sheet(data, "P1", layout)))[0])
    for expected in ("Khu công nghiệp Quế Võ", "Tỷ lệ lấp đầy", "Đặng Thị Ơn",
                     "Trương Văn Ưng", "Đ", "ơ", "ư", "kinh tuyến trục 105°30′"):
        assert expected in text


def test_english_sheet(tiny_data):
    layout = SheetLayout(lang="en", scale=2_000)
    text = page_text(pdf_pages(sheet_bytes(render_park_sheet(tiny_data, "P1", layout)))[0])
    assert "INDUSTRIAL PARKS MANAGEMENT BOARD OF BẮC NINH PROVINCE" in text
    assert "Scale 1:2 000" in text
    assert "Occupancy (tỷ lệ lấp đầy) 75.00%" in text
    assert "Test Park (KCN Thử nghiệm) (P1)" in text
    # The datum note keeps its official Vietnamese wording in the CRS line's English form.
    assert "VN-2000, central meridian 105°30′, 3° zone (EPSG:9209)" in text


@pytest.mark.parametrize(
    ("paper", "orientation", "scale"),
    [("A3", "landscape", 1_000), ("A3", "landscape", 5_000), ("A4", "portrait", 2_000),
     ("A1", "landscape", 25_000), ("A4", "landscape", 10_000)],
)
def test_drawn_scale_is_exact(tiny_data, paper, orientation, scale):
    layout = SheetLayout(paper=paper, orientation=orientation, scale=scale)
    sheet = _drawn(render_park_sheet(tiny_data, "P1", layout))
    ax = _map_axes(sheet)
    box = ax.get_position()
    width_mm, height_mm = layout.paper_mm
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    # ground metres / paper metres on both axes: the printed scale, and equal aspect.
    assert (x1 - x0) / (box.width * width_mm / 1000) == pytest.approx(scale, rel=0.005)
    assert (y1 - y0) / (box.height * height_mm / 1000) == pytest.approx(scale, rel=0.005)
    assert sheet.denominator == scale


def test_drawn_scale_in_the_saved_pdf(tiny_data):
    """The frame's size in the PDF itself (its clip rectangle) matches the scale."""
    layout = SheetLayout(scale=1_000)
    sheet = _drawn(render_park_sheet(tiny_data, "P1", layout))
    ax = _map_axes(sheet)
    box = ax.get_position()
    content = pdf_pages(sheet_bytes(sheet))[0].get_contents().get_data().decode("latin-1")
    frame_w_pt = box.width * layout.paper_mm[0] * PT_PER_MM
    rects = [tuple(map(float, m)) for m in
             re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re", content)]
    matching = [r for r in rects if abs(r[2] - frame_w_pt) < 0.01]
    assert matching, "the map frame's clip rectangle is not in the PDF"
    ground_w = ax.get_xlim()[1] - ax.get_xlim()[0]
    assert ground_w / (matching[0][2] / PT_PER_MM / 1000) == pytest.approx(1_000, rel=0.005)


def test_fit_to_extent_picks_the_next_standard_scale(tiny_data):
    # A3 landscape: the map frame is 420 - 15 - 10 - 108 (panel) - 4 (gap) - 2 * 9.40 (grid
    # labels) = 264.2 mm wide and 297 - 20 - 18.8 = 258.2 mm high. The 200 m x 100 m park
    # with 12 % padding needs 1:(200 / 264.2 * 1000 * 1.12) = 1:848 -> 1:1 000.
    assert render_park_sheet(tiny_data, "P1", SheetLayout()).denominator == 1_000
    # A4 portrait: 210 - 25 - 2 * 7.71 = 169.6 mm wide: 1:1 321 -> 1:2 000.
    a4 = SheetLayout(paper="A4", orientation="portrait")
    assert render_park_sheet(tiny_data, "P1", a4).denominator == 2_000


def test_a_refused_scale_is_explained_in_both_languages_with_the_same_facts():
    """The refusal is English then Vietnamese, both from the catalogue (sheet.fit_*): the
    Vietnamese half states the frame's and the features' extent too, and no English word."""
    import shapely

    from gis_app.export.layout import Box
    from gis_app.export.sheet import ScaleFitError, fit_scale

    with pytest.raises(ScaleFitError) as refused:
        fit_scale(SheetLayout(scale=1_000), np.array([shapely.box(0, 0, 3_000, 1_000)]),
                  Box(0, 0, 264.2, 258.2))
    en, vi = str(refused.value).split(" / ")
    assert en == ("at 1:1,000 the A3 map frame shows 264 m x 258 m of ground, but the features "
                  "to map span 3,000 m x 1,000 m: choose 1:25,000 or a smaller scale, or let "
                  "the scale fit")
    assert vi.startswith("ở tỷ lệ 1:1,000 khung bản đồ A3")
    for fact in ("264 m x 258 m", "3,000 m x 1,000 m", "chọn tỷ lệ 1:25,000 hoặc nhỏ hơn",
                 "hoặc để tự chọn tỷ lệ"):
        assert fact in vi, fact
    assert not re.search(r"\b(paper|choose|scale|map)\b", vi)


def test_grid_labels_are_true_vn2000_coordinates(tiny_data):
    sheet = _drawn(render_park_sheet(tiny_data, "P1", SheetLayout(scale=1_000)))
    ax = _map_axes(sheet)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for axis, low, high in ((ax.xaxis, x0, x1), (ax.yaxis, y0, y1)):
        ticks = axis.get_major_ticks()
        values = [float(t.label1.get_text().replace(" ", "")) for t in ticks]
        # The labels on the opposite edge (top, right) say the same.
        assert [t.label2.get_text() for t in ticks] == [t.label1.get_text() for t in ticks]
        assert all(t.label1.get_visible() and t.label2.get_visible() for t in ticks)
        assert len(values) >= 2
        assert values == pytest.approx(list(axis.get_majorticklocs()), abs=1e-6)
        assert all(low < v < high for v in values)
    # Y (easting) along the top and bottom edges, X (northing) up the sides: tiny_plan lies
    # at easting 550 000-550 200 and northing 2 335 000-2 335 100.
    eastings = [float(t.label1.get_text().replace(" ", "")) for t in ax.xaxis.get_major_ticks()]
    northings = [float(t.label1.get_text().replace(" ", "")) for t in ax.yaxis.get_major_ticks()]
    assert 550_000.0 in eastings and 550_100.0 in eastings
    assert 2_335_000.0 in northings and 2_335_100.0 in northings
    text = page_text(pdf_pages(sheet_bytes(sheet))[0])
    assert "2 335 100" in text and "550 100" in text and "X (m)" in text


def test_grid_lines_sit_on_the_plan_coordinates(tiny_data):
    """A grid line labelled 550 100 passes through the plot corners at easting 550 100."""
    sheet = _drawn(render_park_sheet(tiny_data, "P1", SheetLayout(scale=1_000)))
    ax = _map_axes(sheet)
    plots = tiny_data.plan.plots.geometry.bounds
    assert 550_100.0 in list(plots["minx"]) and 550_100.0 in list(ax.get_xticks())


def test_graticule_lines_are_constant_longitude_and_latitude(tiny_data):
    layout = SheetLayout(scale=1_000, graticule=True)
    sheet = render_park_sheet(tiny_data, "P1", layout)
    ax = _map_axes(sheet)
    to_geo = transformer("EPSG:9209", "EPSG:4326")
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) == 60]
    assert len(lines) >= 2
    constants = []
    for line in lines:
        lon, lat = to_geo.transform(np.asarray(line.get_xdata()), np.asarray(line.get_ydata()))
        spread = min(np.ptp(lon), np.ptp(lat))
        assert spread < 1e-9
        constants.append(lon[0] if np.ptp(lon) < 1e-9 else lat[0])
    # Each is a whole number of graticule steps (all steps are multiples of 5"), up to the
    # round trip through the 7-parameter transformation (< 0.001" = 3 cm).
    assert all(abs(c * 3600 - 5 * round(c * 3600 / 5)) < 1e-3 for c in constants)
    text = page_text(pdf_pages(sheet_bytes(sheet))[0])
    assert "N" in text and "°" in text and "″" in text


def test_corner_points_are_the_vertices_in_order():
    corners = corner_points(tiny_plan().parks.geometry.iloc[0])
    ox, oy = ORIGIN
    assert corners["point"].tolist() == [1, 2, 3, 4]
    got = set(zip(corners["y_easting"], corners["x_northing"], strict=True))
    assert got == {(ox, oy), (ox + 200, oy), (ox + 200, oy + 100), (ox, oy + 100)}


def test_corner_table_lists_vn2000_coordinates_and_numbers_the_map(tiny_data):
    layout = SheetLayout(scale=1_000, corner_table=True)
    sheet = render_park_sheet(tiny_data, "P1", layout)
    text = page_text(pdf_pages(sheet_bytes(sheet))[0])
    assert "Tọa độ điểm góc ranh giới (VN-2000)" in text
    for x, y in ((2_335_000, 550_000), (2_335_000, 550_200), (2_335_100, 550_200),
                 (2_335_100, 550_000)):
        assert re.search(rf"\d {x // 1000:,} 000\.00 {y // 1000} {y % 1000:03d}\.00"
                         .replace(",", " "), text), (x, y)
    numbers = {t.get_text() for t in _map_axes(sheet).texts}
    assert {"1", "2", "3", "4"} <= numbers


def test_corner_table_of_one_plot(tiny_data):
    layout = SheetLayout(scale=1_000, corner_table=True, corner_plot="A3")
    text = page_text(pdf_pages(sheet_bytes(render_park_sheet(tiny_data, "P1", layout)))[0])
    assert "Tọa độ điểm góc lô A3 (VN-2000)" in text
    assert "550 100.00" in text and "550 150.00" in text


def test_legend_lists_only_what_was_drawn(tiny_data):
    sheet = render_park_sheet(tiny_data, "P1", SheetLayout())
    (legend,) = [a for a in sheet.figure.axes if a.get_label() == "legend"]
    labels = {t.get_text() for t in legend.texts}
    assert {"Đã cho thuê", "Còn trống", "Ranh giới KCN", "Trạm XLNT tập trung"} <= labels
    # tiny_plan has no reserved or uncleared plots and no context layers.
    assert "Giữ chỗ" not in labels and "Chưa giải phóng mặt bằng" not in labels
    assert "Ranh giới tỉnh" not in labels


def test_png_has_the_paper_size_in_pixels(tiny_data, tmp_path):
    sheet = render_park_sheet(tiny_data, "P1", SheetLayout(paper="A4", orientation="portrait"))
    target = tmp_path / "sheet.png"
    save_figure(sheet.figure, target, fmt="png", dpi=100)
    image = imread(target)
    # matplotlib truncates inches x dpi to whole pixels: 826.77 -> 826, 1169.29 -> 1169.
    assert image.shape[:2] == (int(297 / 25.4 * 100), int(210 / 25.4 * 100))


def test_unknown_park_and_plot_are_named(tiny_data):
    with pytest.raises(ExportError, match="no park 'P9'"):
        render_park_sheet(tiny_data, "P9")
    with pytest.raises(ExportError, match="no plot 'Z9'"):
        render_park_sheet(tiny_data, "P1", SheetLayout(corner_table=True, corner_plot="Z9"))
    with pytest.raises(ExportError, match="format"):
        save_figure(render_park_sheet(tiny_data, "P1").figure, io.BytesIO(), fmt="svg")


def test_a_plan_in_another_crs_is_refused():
    plan = tiny_plan()
    moved = plan.replace(parks=to_crs(plan.parks, "EPSG:5897"))
    with pytest.raises(ExportError, match="EPSG:9209"):
        sheet_data_from_plan(moved, "bac_ninh")


def test_sample_sheet_draws_context_and_reports_the_sample(bac_ninh):
    sheet = render_park_sheet(bac_ninh, "BG03", SheetLayout(scale=10_000))
    text = page_text(pdf_pages(sheet_bytes(sheet))[0])
    assert "KCN Đình Trám (BG03)" in text and "Tỷ lệ 1:10 000" in text
    assert "Dữ liệu minh họa" in text
    (legend,) = [a for a in sheet.figure.axes if a.get_label() == "legend"]
    assert "Ranh giới xã, phường" in {t.get_text() for t in legend.texts}


def test_ninh_binh_sheet_uses_its_own_zone_and_handles_a_park_without_plots():
    data = load_sheet_data(PROVINCES["ninh_binh"].default_path)
    # NB08 (Phú Long) is only proposed: no detailed plan, so no leasable or vacant figures.
    sheet = render_park_sheet(data, "NB08", SheetLayout())
    text = page_text(pdf_pages(sheet_bytes(sheet))[0])
    assert "BAN QUẢN LÝ CÁC KCN TỈNH NINH BÌNH" in text
    assert "VN-2000, kinh tuyến trục 105°00′, múi 3° (EPSG:5897)" in text
    assert "Đất CN cho thuê theo QH (ha) –" in text and "Tỷ lệ lấp đầy –" in text
    assert "Đã cho thuê (ha) 0,00" in text
