"""One map sheet of a park: compose the frame and the furniture, and save it as PDF or PNG."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..errors import ExportError
from ..i18n import t
from .data import SheetData
from .furniture import (
    inset_block,
    legend_block,
    scale_block,
    signature_block,
    sources_block,
    title_block,
)
from .indicators import kpi_rows
from .layout import (
    FIT_SCALES,
    PANEL_MM,
    PAPER_MM,
    STANDARD_SCALES,
    Box,
    Orientation,
    Paper,
    SheetLayout,
    choose_scale,
    ground_window,
)
from .mapframe import (
    Window,
    add_map_axes,
    corner_points,
    draw_context,
    draw_corner_numbers,
    draw_graticule,
    draw_grid,
    draw_plan,
)
from .panel import draw_table, drop_spare, panel_axes, recycle
from .pdfcanvas import sheet_canvas
from .style import sheet_style

#: Panel boxes of a park sheet with their relative heights (landscape: one column).
_PARK_ITEMS: tuple[tuple[str, float], ...] = (
    ("title", 20), ("inset", 16), ("legend", 17), ("kpi", 14), ("corners", 26), ("scale", 9),
    ("sources", 14), ("sign", 8),
)
#: The same boxes in the three columns of a portrait sheet's bottom panel.
_PARK_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("title", "sources", "sign"), ("inset", "scale", "legend"), ("kpi", "corners"),
)


@dataclass(frozen=True)
class Sheet:
    """A drawn sheet: its figure, the map axes and the scale they were drawn at."""

    figure: Figure
    map_axes: tuple[Axes, ...]
    denominator: int
    windows: tuple[Window, ...]
    layout: SheetLayout


def regions(layout: SheetLayout, items: Sequence[tuple[str, float]],
            columns: Sequence[Sequence[str]]) -> tuple[Box, dict[str, Box]]:
    """The map area (before grid-label room) and the panel boxes of a sheet, in mm."""
    width, height = layout.paper_mm
    top, right, bottom, left = layout.margins_mm
    inner = Box(left, bottom, width - left - right, height - top - bottom)
    gap = 4.0
    weights = dict(items)
    if layout.orientation == "landscape":
        pw = PANEL_MM["landscape"][layout.paper]
        panel = Box(inner.x + inner.w - pw, inner.y, pw, inner.h)
        area = Box(inner.x, inner.y, inner.w - pw - gap, inner.h)
        order = [n for n, _ in items]
        boxes = dict(zip(order, panel.split_h([weights[n] for n in order], 2.0), strict=True))
    else:
        ph = PANEL_MM["portrait"][layout.paper]
        panel = Box(inner.x, inner.y, inner.w, ph)
        area = Box(inner.x, inner.y + ph + gap, inner.w, inner.h - ph - gap)
        boxes = {}
        for col_box, names in zip(panel.split_w([1.15, 1.0, 1.0], 2.0), columns, strict=True):
            present = [n for n in names if n in weights]
            boxes.update(zip(present, col_box.split_h([weights[n] for n in present], 2.0),
                             strict=True))
    return area, boxes


def frame_in(area: Box, layout: SheetLayout) -> Box:
    """The map frame inside ``area``, leaving room for the grid labels on every side."""
    room = layout.label_room_mm
    if area.w <= 2 * room or area.h <= 2 * room:
        raise ExportError(f"{layout.paper} {layout.orientation}: no room left for the map")
    return Box(area.x + room, area.y + room, area.w - 2 * room, area.h - 2 * room)


class ScaleFitError(ExportError):
    """A stated scale at which the features do not fit the map frame of the chosen paper."""


def _fits(frame: Box, width: float, height: float, denominator: int) -> bool:
    return width <= frame.w * denominator / 1000.0 and height <= frame.h * denominator / 1000.0


def _papers_that_fit(layout: SheetLayout, width: float, height: float, denominator: int,
                     frame_for: Callable[[SheetLayout], Box]
                     ) -> list[tuple[Paper, Orientation]]:
    """(paper, orientation) pairs at least as large as the layout's paper that hold the
    features at ``denominator``, smallest first (the other orientation of the same paper too)."""
    sizes = list(PAPER_MM)
    found: list[tuple[Paper, Orientation]] = []
    for paper in sizes[sizes.index(layout.paper):]:
        for orientation in (layout.orientation, "portrait" if layout.orientation ==
                            "landscape" else "landscape"):
            if (paper, orientation) == (layout.paper, layout.orientation):
                continue
            candidate = replace(layout, paper=paper, orientation=orientation)
            try:
                frame = frame_for(candidate)
            except ExportError:
                continue
            if _fits(frame, width, height, denominator):
                found.append((paper, orientation))
    return found


def _fit_refused(layout: SheetLayout, denominator: int, scales: list[int],
                 papers: list[tuple[Paper, Orientation]], shown: tuple[float, float],
                 span: tuple[float, float]) -> str:
    """The refusal of a stated scale, English then Vietnamese (an error has no reader's
    language), with what would make it fit: a smaller scale, or a paper that holds it."""

    def one(lang: str) -> str:
        hints = []
        if scales:
            hints.append(t("sheet.fit_smaller_scale", lang, scale=f"{scales[0]:,}"))
        if papers:
            paper, orientation = papers[0]
            hints.append(t("sheet.fit_paper", lang, paper=paper,
                           orientation=t(f"sheet.orientation_{orientation}", lang)))
        if not scales and not papers:
            hints.append(t("sheet.fit_none", lang))
        return t("sheet.fit_refused", lang, scale=f"{denominator:,}", paper=layout.paper,
                 shown_w=f"{shown[0]:,.0f}", shown_h=f"{shown[1]:,.0f}",
                 width=f"{span[0]:,.0f}", height=f"{span[1]:,.0f}", hints=", ".join(hints))

    return f"{one('en')} / {one('vi')}"


def fit_scale(layout: SheetLayout, geoms: np.ndarray, frame: Box, *,
              frame_for: Callable[[SheetLayout], Box] | None = None) -> tuple[int, Window]:
    """The sheet's scale (stated or fitted) and the ground window centred on ``geoms``.

    ``frame_for`` gives the map frame of this kind of sheet on another paper; with it, a
    stated scale that does not fit names the papers on which it would.
    """
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    if not np.isfinite([xmin, ymin, xmax, ymax]).all():
        raise ExportError("nothing to map: the selected features have no geometry")
    # FIT_SCALES starts with the standard dossier scales: larger denominators are used only
    # when the extent (a whole province) does not fit 1:25 000.
    width, height = max(xmax - xmin, 1.0), max(ymax - ymin, 1.0)
    denominator = layout.scale or choose_scale(width, height, frame.w, frame.h,
                                               scales=FIT_SCALES)
    center = ((xmin + xmax) / 2.0, (ymin + ymax) / 2.0)
    window = ground_window(center, frame, denominator)
    shown_w, shown_h = window[2] - window[0], window[3] - window[1]
    if width > shown_w or height > shown_h:
        # Only a stated scale can get here. A sheet that silently cuts the park off would go
        # into a dossier looking complete, so it is refused with what would make it fit:
        # a smaller scale on this paper, or a paper that holds it at this scale.
        scales = [d for d in STANDARD_SCALES if d > denominator
                  and _fits(frame, width, height, d)]
        papers = (_papers_that_fit(layout, width, height, denominator, frame_for)
                  if frame_for is not None else [])
        raise ScaleFitError(_fit_refused(layout, denominator, scales, papers,
                                         (shown_w, shown_h), (width, height)))
    return denominator, window


def draw_map(fig: Figure, layout: SheetLayout, data: SheetData,
             park_codes: Sequence[str] | None, frame: Box, window: Window, denominator: int, *,
             highlight: Sequence[str] | None = None, highlight_label: str = "selected"
             ) -> tuple[Axes, list]:
    """A map frame: context, the plan of ``park_codes`` (None: all), grid, graticule."""
    ax = add_map_axes(fig, layout, frame, window, "map")
    entries = draw_context(ax, data, window, layout.lang)
    entries += draw_plan(ax, data, park_codes, window, layout.lang, denominator=denominator,
                         font_pt=layout.font_pt, highlight=highlight,
                         highlight_label=highlight_label)
    draw_grid(ax, layout, frame, window)
    if layout.graticule:
        draw_graticule(ax, layout, data.province, window)
    return ax, entries


def corner_frame(data: SheetData, park_code: str, layout: SheetLayout):  # noqa: ANN201
    """The numbered corners of the park boundary, or of ``layout.corner_plot``."""
    if layout.corner_plot:
        plots = data.plan.plots
        hit = plots[(plots["plot_code"] == layout.corner_plot)]
        if hit.empty:
            raise ExportError(f"layer 'plots' has no plot {layout.corner_plot!r}")
        return corner_points(hit.geometry.values[0])
    return corner_points(data.park(park_code).geometry.values[0])


def corner_table(fig: Figure, layout: SheetLayout, box: Box, corners) -> None:  # noqa: ANN001
    ax = panel_axes(fig, layout, box, name="corners")
    lang = layout.lang
    title = (t("sheet.corners_plot", lang, plot=layout.corner_plot) if layout.corner_plot
             else t("sheet.corners", lang))
    rows = [(str(p), f"{x:,.2f}".replace(",", " "), f"{y:,.2f}".replace(",", " "))
            for p, x, y in corners[["point", "x_northing", "y_easting"]].itertuples(index=False)]
    draw_table(ax, box, title=title, header=(t("sheet.point", lang), "X (m)", "Y (m)"), rows=rows,
               widths=(0.8, 2, 2), pt=layout.font_pt * 0.8,
               more_note=t("sheet.more_points", lang, n="{n}"))


def park_title_lines(data: SheetData, park_code: str, lang: str,
                     scenario: str | None) -> list[str]:
    park = data.park(park_code).iloc[0]
    name = park["name_vi"] if lang == "vi" else f"{park['name_en']} ({park['name_vi']})"
    lines = [f"{name} ({park_code})"]
    if scenario:
        lines.append(f"{t('sheet.scenario', lang)}: {scenario}")
    if data.as_of is not None:
        lines.append(t("sheet.plan_as_of", lang, day=f"{data.as_of:%d/%m/%Y}"))
    return lines


def render_park_sheet(data: SheetData, park_code: str, layout: SheetLayout | None = None, *,
                      scenario: str | None = None, when: date | None = None,
                      highlight: list[str] | None = None, extent: np.ndarray | None = None,
                      page_label: str | None = None, figure: Figure | None = None) -> Sheet:
    """Draw the map sheet of one park.

    Parameters
    ----------
    data
        Plan, province and context layers (see :func:`load_sheet_data`).
    park_code
        The park to map; its indicators fill the table.
    layout
        Paper, scale and options; the default is A3 landscape fitted to the park.
    scenario
        Name of the scenario the plan comes from, printed in the title block.
    when
        The date printed on the sheet (today by default).
    highlight
        Plot codes outlined as selected.
    extent
        Geometries the map is centred on and fitted to (default: the park outline), e.g. a
        zone or the highlighted plots.
    page_label
        Printed in the bottom margin (an atlas page number).
    figure
        The figure of a sheet drawn before with the same layout, to draw this one on
        instead of a new figure (an atlas's next page): its panels are reused, see
        :func:`~gis_app.export.panel.recycle`. Its previous contents are gone.
    """
    layout = layout or SheetLayout()
    when = when or date.today()
    lang = layout.lang
    park = data.park(park_code)
    with sheet_style():
        if figure is None:
            fig = Figure(figsize=layout.figsize_in)
        else:
            fig = recycle(figure)
            fig.set_size_inches(layout.figsize_in)
        items = [it for it in _PARK_ITEMS if it[0] != "corners" or layout.corner_table]
        area, boxes = regions(layout, items, _PARK_COLUMNS)
        frame = frame_in(area, layout)
        focus = park.geometry.values if extent is None else np.asarray(extent, dtype=object)
        denominator, window = fit_scale(
            layout, focus, frame,
            frame_for=lambda other: frame_in(regions(other, items, _PARK_COLUMNS)[0], other))
        ax, entries = draw_map(fig, layout, data, [park_code], frame, window, denominator,
                               highlight=highlight)
        if layout.corner_table:
            corners = corner_frame(data, park_code, layout)
            draw_corner_numbers(ax, corners, layout.font_pt)
            corner_table(fig, layout, boxes["corners"], corners)
        title = layout.title or t("sheet.title_sheet", lang)
        title_block(fig, layout, boxes["title"], data, title=title,
                    subtitle=park_title_lines(data, park_code, lang, scenario),
                    denominator=denominator, when=when)
        inset_block(fig, layout, boxes["inset"], data, [park_code], window)
        legend_block(fig, layout, boxes["legend"], entries)
        kpi_ax = panel_axes(fig, layout, boxes["kpi"], name="indicators")
        draw_table(kpi_ax, boxes["kpi"], title=t("sheet.indicators", lang), header=None,
                   rows=kpi_rows(data.plan, park_code, lang, table=data.kpi_table),
                   widths=(3, 1.3),
                   pt=layout.font_pt * 0.85)
        scale_block(fig, layout, boxes["scale"], data, denominator,
                    ((window[0] + window[2]) / 2, (window[1] + window[3]) / 2))
        sources_block(fig, layout, boxes["sources"], data)
        signature_block(fig, layout, boxes["sign"])
        if page_label:
            page_number(fig, layout, page_label)
        drop_spare(fig)
    return Sheet(fig, (ax,), denominator, (window,), layout)


def page_number(fig: Figure, layout: SheetLayout, text: str) -> None:
    """A page label in the bottom-right margin."""
    width, _ = layout.paper_mm
    right, bottom = layout.margins_mm[1], layout.margins_mm[2]
    fig.text(1 - right / width, bottom / 2 / layout.paper_mm[1], text, ha="right",
             va="center", fontsize=layout.font_pt * 0.9)


def save_figure(figure: Figure, target: str | Path | BinaryIO, *, fmt: str = "pdf",
                dpi: int = 200, title: str = "") -> None:
    """Write a figure as vector PDF or as PNG (Agg) with the sheets' font settings."""
    if fmt not in ("pdf", "png"):
        raise ExportError(f"format {fmt!r} is not 'pdf' or 'png'")
    metadata = ({"Title": title, "Creator": "KCN-GIS", "Subject": "hồ sơ quy hoạch"}
                if fmt == "pdf" else {"Title": title, "Software": "KCN-GIS"})
    if fmt == "pdf":
        sheet_canvas(figure)  # text laid out once per process, see pdfcanvas
    with sheet_style():
        figure.savefig(target, format=fmt, dpi=dpi, metadata=metadata)


def sheet_bytes(sheet: Sheet, fmt: str = "pdf") -> bytes:
    """The sheet as PDF or PNG bytes (for a download button)."""
    buffer = io.BytesIO()
    save_figure(sheet.figure, buffer, fmt=fmt, dpi=sheet.layout.dpi)
    return buffer.getvalue()
