"""The map frame: an axes placed in exact paper millimetres, its layers, grid and graticule.

The frame's axes occupy ``frame.w`` x ``frame.h`` mm of paper and show exactly
``frame.w * D / 1000`` x ``frame.h * D / 1000`` metres of the province's VN-2000 TM-3 plane, so
the printed scale is 1:D in both directions. Grid labels are the true coordinates of the grid
lines, written the Vietnamese way: X is the northing (left and right edges), Y the easting
(top and bottom edges).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..i18n import label, t
from ..model.crs import transformer
from ..settings import Province
from ..symbology import CONTEXT_COLOURS
from .data import DrawLayer, SheetData
from .draw import LegendEntry, fill, fill_path, points, stroke
from .layout import Box, SheetLayout, format_int, nice_step
from .panel import sheet_axes
from .style import (
    CONTEXT_GREY,
    PARK_EDGE,
    STATUS_COLORS,
    ZONE_COLORS,
    dms,
)

Window = tuple[float, float, float, float]

#: Graticule intervals to choose from, in arc-seconds.
_GRATICULE_STEPS_S = (5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)


def add_map_axes(fig: Figure, layout: SheetLayout, frame: Box, window: Window,
                 name: str = "") -> Axes:
    """An axes covering ``frame`` (mm) that shows ``window`` (metres) with equal aspect."""
    ax = sheet_axes(fig, frame.fraction(*layout.paper_mm), name)
    ax.set_xlim(window[0], window[2])
    ax.set_ylim(window[1], window[3])
    # The window has the frame's proportions, so 'equal' with an adjustable box changes
    # nothing; it only guards against a window of other proportions (the box then shrinks).
    ax.set_aspect("equal", adjustable="box", anchor="C")
    ax.set_autoscale_on(False)
    ax.set_facecolor("white")
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
    return ax


#: Map axes whose ticks and grid lines are styled, with the label size they were styled for
#: (the style stays with the axes and applies to ticks it adds later).
_GRID_STYLED: WeakKeyDictionary[Axes, float] = WeakKeyDictionary()


def grid_step(window: Window, frame: Box) -> float:
    """A grid interval (m) putting lines about 40-60 mm apart on paper."""
    return nice_step(window[2] - window[0], target=max(2, round(frame.w / 40.0)))


def draw_grid(ax: Axes, layout: SheetLayout, frame: Box, window: Window) -> float:
    """Grid lines and their labels in metres on all four edges; returns the interval."""
    step = grid_step(window, frame)
    xs = np.arange(math.ceil(window[0] / step) * step, window[2], step)
    ys = np.arange(math.ceil(window[1] / step) * step, window[3], step)
    # Labels at (or within 6 mm of) the frame's corners collide with the corner captions.
    margin = 6.0 * (window[2] - window[0]) / frame.w
    xs = xs[(xs > window[0] + margin) & (xs < window[2] - margin)]
    ys = ys[(ys > window[1] + margin) & (ys < window[3] - margin)]
    size = layout.font_pt * 0.85
    ax.set_xticks(xs, labels=[format_int(v) for v in xs])
    ax.set_yticks(ys, labels=[format_int(v) for v in ys])
    if _GRID_STYLED.get(ax) != size:  # a recycled map frame (atlas) keeps its tick style
        ax.tick_params(axis="both", which="both", direction="in", length=3, width=0.5,
                       labelsize=size, top=True, right=True, labeltop=True, labelright=True,
                       pad=2)
        ax.tick_params(axis="y", labelrotation=90)
        ax.grid(True, color="#5a7fa8", linewidth=0.25, linestyle="-", alpha=0.7, zorder=0.5)
        ax.set_axisbelow(False)
        _GRID_STYLED[ax] = size
    for tick in ax.get_yticklabels():
        tick.set_verticalalignment("center")
    # Axis names at the corners, outside the frame: "X" northing, "Y" easting.
    ax.annotate("X (m)", xy=(0, 1), xycoords="axes fraction", xytext=(-2, 2),
                textcoords="offset points", ha="right", va="bottom", fontsize=size)
    ax.annotate("Y (m)", xy=(1, 0), xycoords="axes fraction", xytext=(2, -2),
                textcoords="offset points", ha="left", va="top", fontsize=size)
    return float(step)


def draw_graticule(ax: Axes, layout: SheetLayout, province: Province, window: Window) -> float:
    """WGS 84 meridians and parallels (pinned EPSG:6960 transformation); returns the step (°)."""
    to_geo = transformer(province.crs, "EPSG:4326")
    to_map = transformer("EPSG:4326", province.crs)
    cx = np.array([window[0], window[2], window[0], window[2]])
    cy = np.array([window[1], window[1], window[3], window[3]])
    lon, lat = to_geo.transform(cx, cy)
    lon0, lon1, lat0, lat1 = lon.min(), lon.max(), lat.min(), lat.max()
    span_s = max(lon1 - lon0, lat1 - lat0) * 3600.0
    step_s = next((s for s in _GRATICULE_STEPS_S if span_s / s <= 5), _GRATICULE_STEPS_S[-1])
    step = step_s / 3600.0
    size = layout.font_pt * 0.75
    colour = "#1f5fa8"
    samples = np.linspace(0.0, 1.0, 60)
    for value in np.arange(math.ceil(lon0 / step) * step, lon1, step):
        x, y = to_map.transform(np.full_like(samples, value), lat0 + samples * (lat1 - lat0))
        ax.plot(x, y, color=colour, linewidth=0.4, linestyle=(0, (4, 3)), zorder=6)
        inside = (x > window[0]) & (x < window[2])
        if inside.any():
            ax.text(x[inside][0], window[1], " " + dms(value, seconds=step_s < 60) + " E",
                    rotation=90, fontsize=size, color=colour, ha="left", va="bottom", zorder=7)
    for value in np.arange(math.ceil(lat0 / step) * step, lat1, step):
        x, y = to_map.transform(lon0 + samples * (lon1 - lon0), np.full_like(samples, value))
        ax.plot(x, y, color=colour, linewidth=0.4, linestyle=(0, (4, 3)), zorder=6)
        inside = (y > window[1]) & (y < window[3])
        if inside.any():
            ax.text(window[0], y[inside][0], " " + dms(value, seconds=step_s < 60) + " N",
                    fontsize=size, color=colour, ha="left", va="bottom", zorder=7)
    return step


def draw_context(ax: Axes, data: SheetData, window: Window, lang: str) -> list[LegendEntry]:
    """Province and commune boundaries, rivers, roads and rail under the plan."""
    drawn: list[LegendEntry] = []
    c = CONTEXT_COLOURS
    styles = {
        "communes": LegendEntry(t("sheet.communes", lang), "line", edge=c["communes"],
                                linewidth=0.3, linestyle=(0, (2, 2))),
        "province_boundary": LegendEntry(t("sheet.province_boundary", lang), "line",
                                         edge=c["province_boundary"], linewidth=0.9,
                                         linestyle=(0, (6, 2, 1, 2))),
        "rivers": LegendEntry(t("sheet.rivers", lang), "line", edge=c["rivers"], linewidth=0.8),
    }
    for name, entry in styles.items():
        layer = data.layer(name)
        if layer is None:
            continue
        if stroke(ax, layer.geoms[layer.near(window)], entry, zorder=1.5):
            drawn.append(entry)
    roads = data.layer("roads_rail")
    if roads is not None:
        near = roads.near(window)
        kind = roads.column("kind", "road")[near]
        for code, width, style in (("road", 0.9, "-"), ("railway", 0.9, (0, (5, 2)))):
            entry = LegendEntry(label(code, lang), "line", edge=c[code], linewidth=width,
                                linestyle=style)
            if stroke(ax, roads.geoms[near[kind == code]], entry, zorder=1.6):
                drawn.append(entry)
    return drawn


def draw_plan(ax: Axes, data: SheetData, park_codes: Sequence[str] | None, window: Window,
              lang: str, *, denominator: int, font_pt: float,
              highlight: Sequence[str] | None = None, highlight_label: str = "selected"
              ) -> list[LegendEntry]:
    """Other parks, zones, plots by status, the parks' boundaries and wastewater plants.

    ``park_codes`` are the parks mapped in detail (``None``: every park). Features are
    selected on the prepared layers' arrays (:meth:`SheetData.layer`), and each class is one
    artist.
    """
    drawn: list[LegendEntry] = []
    wanted = None if park_codes is None else np.asarray(list(park_codes), dtype=object)

    def mine(layer: DrawLayer) -> np.ndarray:
        """Positions of the layer's features near the window in the mapped parks."""
        near = layer.near(window)
        if wanted is None:
            return near
        return near[np.isin(layer.column("park_code", "")[near], wanted)]

    parks, zones, plots = data.layer("parks"), data.layer("zones"), data.layer("plots")
    assert parks is not None and zones is not None and plots is not None  # a plan has them
    park = mine(parks)
    others = np.setdiff1d(parks.near(window), park)
    entry = LegendEntry(t("other_parks", lang), "fill", face="#f0f0f0", edge=CONTEXT_GREY)
    if fill_path(ax, parks.polygon_path(others), entry, zorder=1.0):
        drawn.append(entry)
    chosen = mine(zones)
    land_use = zones.column("land_use", "")[chosen]
    for use, colour in ZONE_COLORS.items():
        entry = LegendEntry(label(use, lang), "fill", face=colour, edge="none",
                            linewidth=0.0)
        if fill(ax, zones.geoms[chosen[land_use == use]], entry, zorder=2.0):
            drawn.append(entry)
    chosen = mine(plots)
    status = plots.column("status", "")[chosen]
    for code, colour in STATUS_COLORS.items():
        entry = LegendEntry(label(code, lang), "fill", face=colour, edge="#333333",
                            linewidth=0.3)
        if fill(ax, plots.geoms[chosen[status == code]], entry, zorder=3.0, alpha=0.85):
            drawn.append(entry)
    codes = plots.column("plot_code", "")[chosen]
    if highlight:
        picked = chosen[np.isin(codes, np.asarray(list(highlight), dtype=object))]
        entry = LegendEntry(t("sheet." + highlight_label, lang), "line", edge="#0033cc",
                            linewidth=1.6)
        if stroke(ax, plots.geoms[picked], entry, zorder=4.5):
            drawn.append(entry)
    _label_plots(ax, plots.geoms[chosen], codes, denominator, font_pt)
    entry = LegendEntry(t("sheet.park_boundary", lang), "line", edge=PARK_EDGE, linewidth=1.4,
                        linestyle=(0, (8, 2, 2, 2)))
    if stroke(ax, parks.geoms[park], entry, zorder=4.0):
        drawn.append(entry)
    plants = data.layer("wastewater_plants")
    entry = LegendEntry(t("sheet.wastewater", lang), "point", face="#2166ac", edge="white",
                        marker="s", linewidth=0.5)
    if plants is not None and points(ax, plants.geoms[plants.near(window)], entry,
                                     size=(font_pt * 1.4) ** 2, zorder=5.0):
        drawn.append(entry)
    return drawn


def _label_plots(ax: Axes, geoms: np.ndarray, codes: np.ndarray, denominator: int,
                 font_pt: float) -> None:
    """Plot codes where the plot is large enough on paper to hold its code."""
    if len(geoms) == 0:
        return
    size = font_pt * 0.7
    codes = np.asarray(codes, dtype=str)
    # The code's printed width and height (mm) against the plot's extent on paper; the
    # bounding box overstates a rotated plot, hence the 1.6 margin.
    text_w = np.char.str_len(codes) * 0.56 * size * 25.4 / 72.0
    text_h = size * 25.4 / 72.0
    bounds = shapely.bounds(geoms)
    width_mm = (bounds[:, 2] - bounds[:, 0]) * 1000.0 / denominator
    height_mm = (bounds[:, 3] - bounds[:, 1]) * 1000.0 / denominator
    fits = np.flatnonzero((width_mm >= 1.6 * text_w) & (height_mm >= 3.0 * text_h))
    xy = shapely.get_coordinates(shapely.point_on_surface(geoms[fits]))
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    inside = (xy[:, 0] > x0) & (xy[:, 0] < x1) & (xy[:, 1] > y0) & (xy[:, 1] < y1)
    if inside.sum() > 800:  # a whole province at small scale: codes would be unreadable
        return
    for (x, y), code in zip(xy[inside], codes[fits[inside]], strict=True):
        ax.text(x, y, code, fontsize=size, ha="center", va="center", zorder=4.2,
                color="#111111", clip_on=True)


def corner_points(geometry: shapely.Geometry) -> pd.DataFrame:
    """Numbered boundary vertices: columns ``point``, ``x_northing``, ``y_easting`` (metres).

    Every ring is listed (exteriors, then holes), without its closing repeat.

    >>> corner_points(shapely.box(0, 0, 10, 5)).shape
    (4, 3)
    """
    parts = shapely.get_parts(np.asarray([geometry], dtype=object))
    parts = parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON]
    rings = shapely.get_rings(shapely.orient_polygons(parts, exterior_cw=True))
    coords, index = shapely.get_coordinates(rings, return_index=True)
    last = np.r_[np.flatnonzero(np.diff(index)), len(index) - 1]
    keep = np.ones(len(coords), dtype=bool)
    keep[last] = False
    coords = coords[keep]
    return pd.DataFrame({
        "point": np.arange(1, len(coords) + 1),
        "x_northing": coords[:, 1],
        "y_easting": coords[:, 0],
    })


def draw_corner_numbers(ax: Axes, corners: pd.DataFrame, font_pt: float) -> None:
    """Mark and number the listed vertices on the map."""
    ax.scatter(corners["y_easting"], corners["x_northing"], s=(font_pt * 0.5) ** 2,
               color="black", zorder=8)
    for number, x, y in corners[["point", "y_easting", "x_northing"]].itertuples(index=False):
        ax.annotate(str(number), xy=(x, y), xytext=(2, 2), textcoords="offset points",
                    fontsize=font_pt * 0.75, zorder=8, color="black", annotation_clip=True,
                    clip_on=True,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})
