"""Paper geometry, scale choice and number formats of the map sheets."""

from __future__ import annotations

import pytest

from gis_app.errors import ExportError
from gis_app.export.layout import (
    Box,
    SheetLayout,
    choose_scale,
    format_int,
    format_scale,
    ground_window,
    nice_step,
)


@pytest.mark.parametrize(
    ("paper", "orientation", "size"),
    [("A4", "portrait", (210.0, 297.0)), ("A4", "landscape", (297.0, 210.0)),
     ("A3", "landscape", (420.0, 297.0)), ("A1", "portrait", (594.0, 841.0))],
)
def test_paper_size_follows_orientation(paper, orientation, size):
    layout = SheetLayout(paper=paper, orientation=orientation)
    assert layout.paper_mm == size
    assert layout.figsize_in == pytest.approx((size[0] / 25.4, size[1] / 25.4))


@pytest.mark.parametrize(
    "kwargs",
    [{"paper": "A5"}, {"orientation": "diagonal"}, {"scale": 3000}, {"lang": "fr"},
     {"margins_mm": (10.0, 10.0, -1.0, 10.0)}],
)
def test_invalid_layouts_are_refused(kwargs):
    with pytest.raises(ExportError):
        SheetLayout(**kwargs)


def test_layout_is_frozen():
    layout = SheetLayout()
    with pytest.raises(AttributeError):
        layout.scale = 5000  # type: ignore[misc]


def test_choose_scale_rounds_up_to_the_next_standard_scale():
    # 800 m over 250 mm needs 1:3 200, plus 12 % padding 1:3 584 -> 1:5 000.
    assert choose_scale(800.0, 400.0, 250.0, 200.0) == 5_000
    # Height decides: 1 000 m over 100 mm is 1:10 000, padded 1:11 200 -> 1:25 000.
    assert choose_scale(100.0, 1_000.0, 250.0, 100.0) == 25_000
    # A province (60 km) does not fit 1:25 000 in 250 mm: 60 000 / 250 * 1.12 = 268 800.
    assert choose_scale(60_000.0, 30_000.0, 250.0, 250.0) == 500_000


def test_choose_scale_refuses_an_extent_too_large_for_any_scale():
    with pytest.raises(ExportError, match="does not fit"):
        choose_scale(1e7, 1e7, 100.0, 100.0)


def test_ground_window_is_the_frame_times_the_scale():
    window = ground_window((1000.0, 2000.0), Box(0, 0, 200.0, 100.0), 5_000)
    # 200 mm at 1:5 000 is 1 000 m; 100 mm is 500 m.
    assert window == pytest.approx((500.0, 1750.0, 1500.0, 2250.0))


def test_box_splits_keep_gaps_and_proportions():
    top, bottom = Box(0, 0, 100, 50).split_h([3, 1], 2.0)
    assert (top.h, bottom.h) == pytest.approx((36.0, 12.0))
    assert top.y == pytest.approx(14.0) and bottom.y == pytest.approx(0.0)
    left, right = Box(10, 0, 100, 50).split_w([1, 1], 4.0)
    assert (left.x, left.w, right.x) == pytest.approx((10.0, 48.0, 62.0))


def test_number_formats():
    assert format_int(2_335_000) == "2 335 000"
    assert format_scale(5_000) == "1:5 000"
    assert format_scale(25_000) == "1:25 000"
    assert nice_step(1_000.0) == 200.0
    assert nice_step(12.0, target=5) == 2.5
