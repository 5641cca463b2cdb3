"""What a park sheet shows, feature by feature, so that making it faster cannot drop any.

Each plot near the map frame is drawn exactly once in its status colour, the legend names
exactly the classes drawn, plot codes are printed, and a panel kept from the atlas's
previous page (gis_app/export/panel.py, kept_panel) is redrawn as soon as what it shows
changes. The first tests hold on the code before the atlas was sped up as well as after.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import shapely
from matplotlib.colors import to_rgba
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from sheet_fixtures import page_text, pdf_pages

from gis_app.export import SheetLayout, render_park_sheet, sheet_bytes
from gis_app.export.style import STATUS_COLORS, ZONE_COLORS
from gis_app.i18n import label, t

WHEN = date(2026, 12, 1)


def _axes(sheet, name: str):  # noqa: ANN001, ANN202
    (ax,) = [a for a in sheet.figure.axes if a.get_label() == name]
    return ax


def _rings(geoms: np.ndarray) -> int:
    """Rings (exteriors and holes) of the polygons in ``geoms``."""
    parts = shapely.get_parts(geoms)
    parts = parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON]
    return int(len(parts) + shapely.get_num_interior_rings(parts).sum())


def _fills(ax, colour: str, alpha: float) -> list[PathPatch]:  # noqa: ANN001
    rgba = to_rgba(colour, alpha)
    return [p for p in ax.patches + ax.artists
            if isinstance(p, PathPatch) and p.get_fill()
            and np.allclose(p.get_facecolor(), rgba)]


def _in_frame(frame, park: str, window) -> np.ndarray:  # noqa: ANN001
    """Positions of the park's features that meet the map window (an independent query)."""
    geoms = np.asarray(frame.geometry.values, dtype=object)
    mine = frame["park_code"].astype(str).to_numpy() == park
    return np.flatnonzero(mine & shapely.intersects(geoms, shapely.box(*window)))


def _sheets(data, park: str, before: str):  # noqa: ANN001, ANN202
    """The park's sheet on a new figure and on the figure of another park's sheet (an atlas)."""
    fresh = render_park_sheet(data, park, SheetLayout(), when=WHEN)
    other = render_park_sheet(data, before, SheetLayout(), when=WHEN)
    reused = render_park_sheet(data, park, SheetLayout(), when=WHEN, figure=other.figure)
    return fresh, reused


@pytest.mark.parametrize(("park", "before"), [("BG01", "BG02"), ("BG02", "BG01")])
def test_each_plot_in_the_frame_is_drawn_once_in_its_status_colour(bac_ninh, park, before):
    plots = bac_ninh.plan.plots
    for sheet in _sheets(bac_ninh, park, before):
        ax = _axes(sheet, "map")
        near = _in_frame(plots, park, sheet.windows[0])
        status = plots["status"].astype(str).to_numpy()[near]
        geoms = np.asarray(plots.geometry.values, dtype=object)[near]
        assert len(near) > 0
        drawn_rings = 0
        for code, colour in STATUS_COLORS.items():
            patches = _fills(ax, colour, 0.85)
            expected = _rings(geoms[status == code])
            rings = sum(int((p.get_path().codes == Path.MOVETO).sum()) for p in patches)
            assert rings == expected, code
            drawn_rings += rings
        # Every plot near the frame has a status drawn: none is left out.
        assert drawn_rings == _rings(geoms)


@pytest.mark.parametrize(("park", "before"), [("BG01", "BG02"), ("BG02", "BG01")])
def test_legend_names_exactly_the_classes_drawn(bac_ninh, park, before):
    plan = bac_ninh.plan
    for sheet in _sheets(bac_ninh, park, before):
        window = sheet.windows[0]
        statuses = set(plan.plots["status"].astype(str).to_numpy()[
            _in_frame(plan.plots, park, window)])
        uses = set(plan.zones["land_use"].astype(str).to_numpy()[
            _in_frame(plan.zones, park, window)])
        legend = {x.get_text() for x in _axes(sheet, "legend").texts} - {t("legend", "vi")}
        plot_labels = {label(code, "vi") for code in STATUS_COLORS}
        zone_labels = {label(use, "vi") for use in ZONE_COLORS}
        assert legend & plot_labels == {label(code, "vi") for code in statuses}
        assert legend & zone_labels == {label(use, "vi") for use in uses if use in ZONE_COLORS}
        assert t("sheet.park_boundary", "vi") in legend
        # The sample has every context layer, and the park lies inside the province.
        for key in ("sheet.province_boundary", "sheet.communes"):
            assert t(key, "vi") in legend


def test_every_plot_code_is_printed_once_where_plots_are_large(tiny_data):
    """At 1:1 000 every plot of tiny_plan holds its code: all are on the map and in the PDF."""
    sheet = render_park_sheet(tiny_data, "P1", SheetLayout(scale=1_000), when=WHEN)
    codes = sorted(tiny_data.plan.plots["plot_code"].astype(str))
    texts = sorted(x.get_text() for x in _axes(sheet, "map").texts
                   if x.get_text() not in ("X (m)", "Y (m)"))
    assert texts == codes
    words = page_text(pdf_pages(sheet_bytes(sheet))[0]).split(" ")
    assert all(words.count(code) == 1 for code in codes)


def test_a_kept_panel_is_redrawn_when_what_it_shows_changes(three_parks, tiny_data):
    """The sources panel of the next page is kept while it would say the same, and redrawn
    for other data (another source, the illustrative notice) or another language."""
    first = render_park_sheet(three_parks, "P1", SheetLayout(), when=WHEN)
    sources = _axes(first, "sources")
    before = list(sources.texts)
    again = render_park_sheet(three_parks, "P1b", SheetLayout(), when=WHEN, figure=first.figure)
    assert _axes(again, "sources") is sources and list(sources.texts) == before  # kept
    other = render_park_sheet(tiny_data, "P1", SheetLayout(), when=WHEN, figure=first.figure)
    shown = " ".join(x.get_text() for x in _axes(other, "sources").texts)
    fresh = render_park_sheet(tiny_data, "P1", SheetLayout(), when=WHEN)
    assert shown == " ".join(x.get_text() for x in _axes(fresh, "sources").texts)
    assert "tiny_plan()" in shown and "three_park_plan()" not in shown
    english = render_park_sheet(tiny_data, "P1", SheetLayout(lang="en"), when=WHEN,
                                figure=first.figure)
    legend = [x.get_text() for x in _axes(english, "legend").texts]
    assert legend == [x.get_text() for x in _axes(render_park_sheet(
        tiny_data, "P1", SheetLayout(lang="en"), when=WHEN), "legend").texts]
    assert t("legend", "en") in legend


def _old_polygon_path(geoms: np.ndarray) -> Path | None:
    """polygon_path as it was before layers prepared their rings once (the reference)."""
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]
    parts = shapely.get_parts(geoms)
    parts = parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON]
    if parts.size == 0:
        return None
    parts = shapely.orient_polygons(parts, exterior_cw=False)
    coords, ring_index = shapely.get_coordinates(shapely.get_rings(parts), return_index=True)
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    starts = np.r_[0, np.flatnonzero(np.diff(ring_index)) + 1]
    codes[starts] = Path.MOVETO
    codes[np.r_[starts[1:] - 1, len(coords) - 1]] = Path.CLOSEPOLY
    return Path(coords, codes)


@pytest.mark.parametrize("name", ["parks", "zones", "communes", "plots"])
def test_a_layers_prepared_rings_give_the_path_of_any_selection(bac_ninh, name):
    """DrawLayer.polygon_path(positions), selected from rings prepared once, is exactly the
    path converted from the selected features (multipolygons, holes and all)."""
    from gis_app.export.draw import polygon_path

    layer = bac_ninh.layer(name)
    assert layer is not None and len(layer.geoms) > 1
    rng = np.random.default_rng(7)
    n = len(layer.geoms)
    selections = [np.arange(n), np.array([0]), np.array([n - 1]),
                  np.sort(rng.choice(n, size=max(1, n // 3), replace=False)),
                  np.flatnonzero(np.arange(n) != n // 2)]
    for positions in selections:
        expected = _old_polygon_path(layer.geoms[positions])
        for path in (layer.polygon_path(positions), polygon_path(layer.geoms[positions])):
            assert path is not None and expected is not None
            assert np.array_equal(path.vertices, expected.vertices)
            assert np.array_equal(path.codes, expected.codes)
    assert layer.polygon_path(np.zeros(0, dtype=np.intp)) is None
