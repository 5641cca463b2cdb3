"""Sheet furniture: title block, legend, scale bar and north arrow, inset, sources, signatures."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import numpy as np
import shapely
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon as PolygonPatch
from matplotlib.patches import Rectangle

from ..i18n import t
from ..model.crs import transformer
from ..settings import REFERENCE_ATTRIBUTION
from .data import SheetData
from .draw import LegendEntry, fill_path, markers, stroke
from .layout import Box, SheetLayout, format_int, format_scale
from .panel import fit_lines, kept_panel, line_mm, panel_axes, sheet_axes, write_lines
from .style import CONTEXT_GREY, PARK_EDGE, dms


def crs_note(data: SheetData, lang: str) -> str:
    """``Hệ tọa độ VN-2000, kinh tuyến trục 105°30′, múi 3° (EPSG:9209)``."""
    p = data.province
    return t("sheet.crs", lang, cm=dms(p.central_meridian), epsg=f"EPSG:{p.epsg}")


def title_block(fig: Figure, layout: SheetLayout, box: Box, data: SheetData, *, title: str,
                subtitle: Sequence[str], denominator: int | None, when: date) -> None:
    """Agency, title, park/scenario lines, scale, date and the CRS and datum note."""
    ax = panel_axes(fig, layout, box, name="title_block")
    pt, lang = layout.font_pt, layout.lang
    agency = t("sheet.agency", lang, province=data.province.name_vi)
    lines: list[tuple[str, float, str]] = [(agency.upper(), pt, "bold"), ("", pt * 0.4, "normal"),
                                           (title.upper(), pt * 1.45, "bold")]
    lines += [(s, pt * 1.1, "normal") for s in subtitle]
    if denominator is not None:
        lines.append((f"{t('scale', lang)} {format_scale(denominator)}", pt * 1.2, "bold"))
    lines.append((f"{t('sheet.date', lang)}: {when:%d/%m/%Y}", pt, "normal"))
    lines.append((crs_note(data, lang), pt * 0.95, "normal"))
    lines.append((t("sheet.grid_note", lang), pt * 0.9, "normal"))
    lines = fit_lines(lines, box.w - 4, box.h - 2.5)
    write_lines(ax, lines, x=box.w / 2, top=box.h - 1.0, ha="center", width_mm=box.w - 4)


def sources_block(fig: Figure, layout: SheetLayout, box: Box, data: SheetData,
                  extra: Sequence[str] = ()) -> None:
    """Data sources, the reference attribution and, for the sample, the illustrative notice."""
    pt, lang = layout.font_pt * 0.82, layout.lang
    lines: list[tuple[str, float, str]] = [(t("sheet.sources", lang) + ":", pt, "bold")]
    if data.source:
        lines.append((data.source, pt, "normal"))
    lines += [(e, pt, "normal") for e in extra]
    lines.append((REFERENCE_ATTRIBUTION, pt, "normal"))
    if data.illustrative:
        lines.append((t("notice.illustrative", lang), pt, "bold"))
    ax, kept = kept_panel(fig, layout, box, name="sources", content=(box, tuple(lines)))
    if kept:
        return
    lines = fit_lines(lines, box.w - 3, box.h - 1.5)
    write_lines(ax, lines, x=1.5, top=box.h - 0.5, width_mm=box.w - 3)


def signature_block(fig: Figure, layout: SheetLayout, box: Box) -> None:
    """Prepared-by and approved-by boxes with room for a signature."""
    pt, lang = layout.font_pt, layout.lang
    for part, key, name in zip(box.split_w([1, 1], 2.0), ("prepared_by", "approved_by"),
                               (layout.prepared_by, layout.approved_by), strict=True):
        ax, kept = kept_panel(fig, layout, part, name=key,
                              content=(part, pt, t(key, lang), name))
        if kept:
            continue
        ax.text(part.w / 2, part.h - line_mm(pt), t(key, lang).upper(), fontsize=pt,
                fontweight="bold", ha="center", va="baseline")
        if name:
            ax.text(part.w / 2, 1.5, name, fontsize=pt, ha="center", va="bottom")


def scale_block(fig: Figure, layout: SheetLayout, box: Box, data: SheetData,
                denominator: int, center: tuple[float, float]) -> None:
    """A scale bar in metres, the numeric scale and a north arrow to true north."""
    ax = panel_axes(fig, layout, box, name="scale_block")
    pt, lang = layout.font_pt, layout.lang
    bar_box_w = box.w * 0.72
    # Four equal segments of a 1-2-2.5-5 ground length, the longest fitting 80 % of the box.
    limit_m = 0.8 * (bar_box_w - 8) * denominator / 1000.0 / 4
    power = 10 ** math.floor(math.log10(limit_m))
    seg_m = max(m * power for m in (1, 2, 2.5, 5, 10) if m * power <= limit_m)
    length_m, seg_mm = 4 * seg_m, seg_m * 1000.0 / denominator
    x0, y0, h = 4.0, box.h * 0.42, 1.6
    for i in range(4):
        ax.add_artist(Rectangle((x0 + i * seg_mm, y0), seg_mm, h, linewidth=0.5,
                                edgecolor="black", facecolor="black" if i % 2 == 0 else "white",
                                label="scalebar_segment"))
    unit, factor = ("km", 1000.0) if length_m >= 2000 else ("m", 1.0)
    for i in range(5):
        value = i * seg_m / factor
        text = format_int(value) if float(value).is_integer() else f"{value:g}"
        ax.text(x0 + i * seg_mm, y0 + h + 0.8, text, fontsize=pt * 0.8, ha="center",
                va="bottom")
    ax.text(x0 + 4 * seg_mm + 1.5, y0, unit, fontsize=pt * 0.8, ha="left", va="bottom")
    ax.text(x0, y0 - 1.2, f"{t('scale', lang)} {format_scale(denominator)}",
            fontsize=pt * 1.1, fontweight="bold", ha="left", va="top")
    _north_arrow(ax, box, data, center, pt, lang)


def grid_convergence(data: SheetData, center: tuple[float, float]) -> float:
    """Angle (degrees, clockwise) from grid north to true north at ``center``."""
    to_geo = transformer(data.province.crs, "EPSG:4326")
    to_map = transformer("EPSG:4326", data.province.crs)
    lon, lat = to_geo.transform(*center)
    x2, y2 = to_map.transform(lon, lat + 0.01)
    return math.degrees(math.atan2(x2 - center[0], y2 - center[1]))


def _north_arrow(ax, box: Box, data: SheetData, center: tuple[float, float], pt: float,
                 lang: str) -> None:
    gamma = grid_convergence(data, center)
    cx, cy, size = box.w * 0.87, box.h * 0.45, min(box.h * 0.55, 14.0)
    shape = np.array([[0, 0.5], [0.22, -0.5], [0, -0.28], [-0.22, -0.5]]) * size
    theta = math.radians(-gamma)  # rotate clockwise by gamma
    rot = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    pts = shape @ rot.T + [cx, cy]
    ax.add_artist(PolygonPatch(pts, closed=True, facecolor="black", edgecolor="black",
                               linewidth=0.5, label="north_arrow"))
    tip = np.array([0, 0.5 * size + 1.0]) @ rot.T + [cx, cy]
    ax.text(tip[0], tip[1], t("sheet.north", lang), fontsize=pt * 1.2, fontweight="bold",
            ha="center", va="bottom")
    ax.text(cx, cy - 0.5 * size - 1.0, f"γ = {dms(gamma, seconds=True)}", fontsize=pt * 0.7,
            ha="center", va="top")


def legend_block(fig: Figure, layout: SheetLayout, box: Box,
                 entries: Sequence[LegendEntry]) -> None:
    """The legend of exactly the layers drawn, in drawing order, in one or two columns."""
    seen: dict[str, LegendEntry] = {}
    for e in entries:
        seen.setdefault(e.label, e)
    items = list(seen.values())
    ax, kept = kept_panel(fig, layout, box, name="legend",
                          content=(box, layout.font_pt, layout.lang, tuple(items)))
    if kept:
        return
    pt = layout.font_pt * 0.9
    top = box.h - 1.0 - line_mm(pt * 1.1)
    ax.text(1.5, top, t("legend", layout.lang), fontsize=pt * 1.1, fontweight="bold",
            va="baseline")
    # Two columns; every entry must be shown, so the rows (and text) shrink when needed.
    columns = 1 if len(items) * line_mm(pt) * 1.25 <= top - 1.0 else 2
    per_col = max(1, math.ceil(len(items) / columns))
    row = min(line_mm(pt) * 1.25, (top - 1.0) / per_col)
    pt = min(pt, row / 1.25 / line_mm(1.0))
    col_w = (box.w - 3.0) / columns
    sw, sh = 6.0, row * 0.6
    for i, e in enumerate(items):
        col, r = divmod(i, per_col)
        x, y = 1.5 + col * col_w, top - (r + 1) * row
        # add_artist, not add_patch / add_line: the panel's limits are fixed in mm.
        if e.kind == "fill":
            ax.add_artist(Rectangle((x, y), sw, sh, facecolor=e.face,
                                    edgecolor=e.edge if e.edge != "none" else "#999999",
                                    linewidth=max(e.linewidth, 0.3)))
        elif e.kind == "line":
            ax.add_artist(Line2D([x, x + sw], [y + sh / 2] * 2, color=e.edge,
                                 linewidth=e.linewidth, linestyle=e.linestyle))  # type: ignore[arg-type]
        else:
            markers(ax, np.array([[x + sw / 2, y + sh / 2]]), size=(pt * 1.2) ** 2,
                    marker=e.marker, face=e.face, edge=e.edge, linewidth=0.5, zorder=2)
        ax.text(x + sw + 1.5, y + sh / 2, e.label, fontsize=pt, va="center")


def inset_block(fig: Figure, layout: SheetLayout, box: Box, data: SheetData,
                park_codes: Sequence[str], window: tuple[float, float, float, float]) -> None:
    """A small map locating the park(s) and the sheet's extent in the province."""
    frame = panel_axes(fig, layout, box, name="inset_frame")
    pt = layout.font_pt
    frame.text(1.5, box.h - 1.0 - line_mm(pt), t("sheet.inset", layout.lang), fontsize=pt,
               fontweight="bold", va="baseline")
    inner = Box(box.x + 1.5, box.y + 1.5, box.w - 3.0, box.h - 3.5 - line_mm(pt))
    ax = sheet_axes(fig, inner.fraction(*layout.paper_mm), "inset")
    ax.set_axis_off()
    parks = data.layer("parks")
    assert parks is not None  # a plan has parks
    province = data.layer("province_boundary")
    mine = np.isin(parks.column("park_code", ""), np.asarray(list(park_codes), dtype=object))
    # The parks' rings are prepared once per data, not once per atlas page.
    fill_path(ax, parks.polygon_path(np.flatnonzero(~mine)),
              LegendEntry("", "fill", face="#d9d9d9", edge=CONTEXT_GREY, linewidth=0.2))
    fill_path(ax, parks.polygon_path(np.flatnonzero(mine)),
              LegendEntry("", "fill", face=PARK_EDGE, edge=PARK_EDGE, linewidth=0.4))
    if province is not None:
        stroke(ax, province.geoms, LegendEntry("", "line", edge="#444444", linewidth=0.6))
        bounds = shapely.total_bounds(province.geoms)
    else:  # no boundary layer: show the parks' extent with some room around it
        bounds = np.asarray(shapely.total_bounds(parks.geoms))
        pad = 0.15 * max(bounds[2] - bounds[0], bounds[3] - bounds[1], 2_000.0)
        bounds = bounds + np.array([-pad, -pad, pad, pad])
    stroke(ax, np.array([shapely.box(*window)]),
           LegendEntry("", "line", edge="#0033cc", linewidth=0.7))
    # A park can be a speck at province scale: mark it too.
    anchor = shapely.get_coordinates(shapely.point_on_surface(parks.geoms[mine]))
    if len(anchor):
        markers(ax, anchor, size=12, marker="o", face="none", edge=PARK_EDGE, linewidth=0.8,
                zorder=5)
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect("equal", adjustable="box", anchor="C")
