"""The investor fact sheet of a shortlist: a document for an investor, not a planning sheet.

Page one opens with a header, a locator map (the province with its parks, the shortlisted
ones marked) and a site map (the shortlisted plots, numbered); then one card per site: the
park's name (never its code alone), why the site fits, its land use and area, the
ready-built factory, the distances to the national road, the railway and the destinations,
the wastewater plant's spare capacity and the park's developer. Cards that do not fit a
page flow onto the next ones, so no site is ever cut off. Everything is laid out in paper
millimetres on A4 portrait, with the shipped font embedded (:func:`.style.sheet_style`).

The layout is computed before anything is drawn (:func:`paginate`), so the page count is
known for the "page k of n" footers and every text line has its own reserved height: the
header and the cards cannot overlap (the tests check the drawn boxes).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, SupportsFloat

import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from .. import formatting
from ..errors import ExportError
from ..i18n import label, t
from ..search import DESTINATIONS
from ..settings import REFERENCE_ATTRIBUTION
from .data import SheetData
from .draw import LegendEntry, fill, stroke
from .layout import Box, Lang, SheetLayout, format_scale, is_lang
from .panel import line_mm, panel_axes, wrap
from .pdfcanvas import save_page
from .sheet import draw_map, fit_scale, frame_in
from .style import CONTEXT_GREY, PARK_EDGE, sheet_style

#: A4 portrait in millimetres, and the blank paper around the content.
PAGE_MM = (210.0, 297.0)
MARGIN_MM = 12.0
#: Height of the two maps on page one, and of the footer on every page.
MAPS_MM = 78.0
FOOTER_MM = 14.0
#: Text sizes (points) of the document.
PT_TITLE, PT_HEAD, PT_BODY, PT_SMALL = 14.0, 9.0, 7.5, 6.0
SITE_COLOUR = "#0b5394"
#: Extra leading of the header: Vietnamese capitals carry stacked diacritics (Ệ, Ở).
HEADER_LEAD = 1.2

def number(value: SupportsFloat | None, lang: str, decimals: int = 1) -> str | None:
    """``1.234,5`` (vi) or ``1,234.5`` (en) by :func:`gis_app.formatting.number`; ``None``
    for a missing value (the fact sheet then says "no data")."""
    if formatting.is_empty(value):
        return None
    return formatting.number(value, lang, decimals)


@dataclass(frozen=True)
class Site:
    """One shortlisted site as printed: its heading, sentence and fact pairs."""

    heading: str
    park_name: str
    why: str
    facts: tuple[tuple[str, str], ...]
    plot_codes: tuple[str, ...]


def _park_value(parks: pd.DataFrame, code: str, column: str) -> str | None:
    if column not in parks.columns or code not in parks.index:
        return None
    value = parks.loc[code, column]
    return None if pd.isna(value) or not str(value).strip() else str(value).strip()


def sites_from(data: SheetData, shortlist: pd.DataFrame, lang: str) -> list[Site]:
    """The printed content of each row of a vacant-land search result (best first).

    Park names come from the park layer (or the result's ``park_name_*``); the developer
    from the park layer's ``developer`` (and ``contact`` when a layer has one): nothing
    the data does not hold is printed.
    """
    need = {"plot_codes", "park_code"}
    if not need <= set(shortlist.columns):
        raise ExportError(f"the shortlist has no {', '.join(sorted(need - set(shortlist.columns)))}"
                          " column (give a vacant-land search result)")
    parks = data.plan.parks.set_index(data.plan.parks["park_code"].astype(str))
    name_col = "name_vi" if lang == "vi" else "name_en"
    missing = t("no_data", lang)
    out = []
    for i, row in enumerate(shortlist.itertuples(index=False), 1):
        r = row._asdict()
        code = str(r["park_code"])
        name = (_park_value(parks, code, name_col) or r.get(f"park_name_{lang}")
                or _park_value(parks, code, "name_vi") or code)
        facts: list[tuple[str, str]] = [
            (t("investor.area", lang), t("investor.ha", lang, v=number(r.get("area_ha"), lang, 2))
             if number(r.get("area_ha"), lang) else missing),
            (t("investor.land_use", lang), label(str(r.get("land_use")), lang)),
            (t("investor.ready_built", lang),
             t("yes" if bool(r.get("ready_built_factory")) else "no", lang)),
        ]
        head = number(r.get("headroom_m3_day"), lang, 0)
        facts.append((t("investor.headroom", lang),
                      t("investor.m3", lang, v=head) if head else missing))
        for key, column in (("investor.road", "road_km"), ("investor.rail", "rail_km")):
            km = number(r.get(column), lang)
            facts.append((t(key, lang), t("investor.km", lang, v=km) if km else missing))
        for dest in DESTINATIONS:
            km = number(r.get(f"dest_{dest.key}_km"), lang)
            place = dest.name_vi if lang == "vi" else dest.name_en
            facts.append((t("investor.to", lang, place=place), t("investor.km", lang, v=km) if km
                          else missing))
        developer = [v for v in (_park_value(parks, code, "developer"),
                                 _park_value(parks, code, "contact")) if v]
        facts.append((t("investor.developer", lang), " · ".join(developer) if developer
                      else t("investor.not_recorded", lang)))
        plots = tuple(p.strip() for p in str(r["plot_codes"]).split(",") if p.strip())
        why = r.get(f"why_{lang}") or ""
        out.append(Site(heading=t("investor.site", lang, i=i, plots=", ".join(plots)),
                        park_name=str(name), why=str(why), facts=tuple(facts),
                        plot_codes=plots))
    return out


# -- layout (millimetres, before drawing) -------------------------------------------------

_INNER_W = PAGE_MM[0] - 2 * MARGIN_MM
_LABEL_W = 40.0
_COL_W = _INNER_W / 2


@dataclass
class _Page:
    sites: list[tuple[int, Site]] = field(default_factory=list)


def _fact_rows(site: Site) -> list[tuple[tuple[list[str], list[str]], ...]]:
    """Fact pairs in two columns, each label and value wrapped to its cell."""
    cells = [(wrap(k, _LABEL_W - 2, PT_BODY), wrap(v, _COL_W - _LABEL_W - 4, PT_BODY, bold=True))
             for k, v in site.facts]
    return [tuple(cells[i:i + 2]) for i in range(0, len(cells), 2)]


def _row_lines(row: tuple[tuple[list[str], list[str]], ...]) -> int:
    return max(max(len(k), len(v)) for k, v in row)


def card_height(site: Site) -> float:
    """The millimetres a site's card takes (heading, sentence, facts, spacing)."""
    h = line_mm(PT_HEAD) * 1.2 + line_mm(PT_BODY)  # heading and park name
    h += line_mm(PT_BODY) * len(wrap(site.why, _INNER_W - 4, PT_BODY))
    h += 1.5
    for row in _fact_rows(site):
        h += line_mm(PT_BODY) * _row_lines(row)
    return h + 5.0


def _header_lines(data: SheetData, n: int, lang: str, when: date) -> list[tuple[str, float, str]]:
    agency = t("sheet.agency", lang, province=data.province.name_vi).upper()
    lines = [(p, PT_SMALL * 1.2, "bold") for p in wrap(agency, _INNER_W, PT_SMALL * 1.2,
                                                         bold=True)]
    lines += [(p, PT_TITLE, "bold") for p in wrap(t("investor.title", lang), _INNER_W, PT_TITLE,
                                                  bold=True)]
    lines.append((t("investor.subtitle", lang, n=n, day=f"{when:%d/%m/%Y}"), PT_BODY, "normal"))
    return lines


def _header_height(lines: Sequence[tuple[str, float, str]]) -> float:
    return sum(line_mm(pt) * HEADER_LEAD for _, pt, _ in lines) + 3.0


def paginate(sites: Sequence[Site], first_top: float, other_top: float,
             bottom: float) -> list[_Page]:
    """Share the cards among pages: each page takes the cards that fit whole."""
    pages = [_Page()]
    room = first_top - bottom
    for i, site in enumerate(sites, 1):
        need = card_height(site)
        if need > room and pages[-1].sites:
            pages.append(_Page())
            room = other_top - bottom
        pages[-1].sites.append((i, site))
        room -= need
    return pages


# -- drawing ------------------------------------------------------------------------------

def _page_axes(fig: Figure) -> Axes:
    """One borderless axes over the whole page, in millimetres from the lower-left corner."""
    layout = SheetLayout(paper="A4", orientation="portrait")
    return panel_axes(fig, layout, Box(0, 0, *PAGE_MM), name="page", border=False)


def _write(ax: Axes, x: float, y: float, s: str, pt: float, weight: str = "normal",
           **kw: Any) -> None:
    ax.text(x, y, s, fontsize=pt, fontweight=weight, va="baseline", **kw)


def _draw_header(ax: Axes, lines: Sequence[tuple[str, float, str]], top: float) -> float:
    y = top
    for s, pt, weight in lines:
        y -= line_mm(pt) * HEADER_LEAD
        _write(ax, MARGIN_MM, y, s, pt, weight,
               color=SITE_COLOUR if pt == PT_TITLE else "black")
    y -= 1.5
    ax.plot([MARGIN_MM, PAGE_MM[0] - MARGIN_MM], [y, y], color=SITE_COLOUR, linewidth=1.2)
    return y - 1.5


def _draw_card(ax: Axes, i: int, site: Site, top: float) -> float:
    x = MARGIN_MM
    y = top - line_mm(PT_HEAD) * 1.2
    ax.add_patch(_badge(x, y, i))
    _write(ax, x + 6, y, site.heading, PT_HEAD, "bold", color=SITE_COLOUR)
    y -= line_mm(PT_BODY)
    _write(ax, x + 6, y, site.park_name, PT_BODY, "bold")
    for piece in wrap(site.why, _INNER_W - 4, PT_BODY):
        y -= line_mm(PT_BODY)
        _write(ax, x + 2, y, piece, PT_BODY, style="italic")
    y -= 1.5
    for row in _fact_rows(site):
        height = _row_lines(row)
        for col, (keys, lines) in enumerate(row):
            left = x + 2 + col * _COL_W
            for k, piece in enumerate(keys):
                _write(ax, left, y - line_mm(PT_BODY) * (k + 1), piece, PT_BODY,
                       color="#555555")
            for k, piece in enumerate(lines):
                _write(ax, left + _LABEL_W, y - line_mm(PT_BODY) * (k + 1), piece, PT_BODY,
                       "bold")
        y -= line_mm(PT_BODY) * height
    y -= 2.0
    ax.plot([x, PAGE_MM[0] - MARGIN_MM], [y, y], color="#bbbbbb", linewidth=0.4)
    return y - 3.0


def _badge(x: float, baseline: float, i: int):  # noqa: ANN202
    from matplotlib.patches import Rectangle

    return Rectangle((x, baseline - 0.8), 4.5, line_mm(PT_HEAD), facecolor=SITE_COLOUR,
                     edgecolor="none")


def _draw_badge_number(ax: Axes, x: float, baseline: float, i: int) -> None:
    ax.text(x + 2.25, baseline, str(i), fontsize=PT_BODY, color="white", ha="center",
            va="baseline", fontweight="bold")


def _draw_footer(ax: Axes, data: SheetData, lang: str, k: int, n: int) -> None:
    y = MARGIN_MM + FOOTER_MM - 2.0
    ax.plot([MARGIN_MM, PAGE_MM[0] - MARGIN_MM], [y, y], color="#bbbbbb", linewidth=0.4)
    notes = [f"{t('sheet.sources', lang)}: {data.source}" if data.source else "",
             REFERENCE_ATTRIBUTION]
    if data.illustrative:
        notes.append(t("notice.illustrative", lang))
    lines = [p for note in notes if note for p in wrap(note, _INNER_W - 30, PT_SMALL)]
    for piece in lines[:4]:
        y -= line_mm(PT_SMALL)
        _write(ax, MARGIN_MM, y, piece, PT_SMALL, color="#555555")
    _write(ax, PAGE_MM[0] - MARGIN_MM, MARGIN_MM + FOOTER_MM - 2.0 - line_mm(PT_SMALL),
           t("investor.page", lang, k=k, n=n), PT_SMALL, ha="right")


def _locator(fig: Figure, page: Axes, box: Box, data: SheetData,
             site_parks: Sequence[str], lang: str) -> None:
    """The province with every park; the shortlisted parks in red, lettered, with a key
    below the map naming each park and its sites (names are too long to sit on the map)."""
    codes = list(dict.fromkeys(site_parks))
    parks = data.plan.parks.set_index(data.plan.parks["park_code"].astype(str), drop=False)
    name_col = "name_vi" if lang == "vi" else "name_en"
    key: list[str] = []
    for n, code in enumerate(codes):
        sites = [i for i, p in enumerate(site_parks, 1) if p == code]
        name = _park_value(parks, code, name_col) or _park_value(parks, code, "name_vi") or code
        key += wrap(f"{_letter(n)}  {name}: {t('investor.sites', lang)} {number_runs(sites)}",
                    box.w, PT_SMALL)
    key_h = line_mm(PT_SMALL) * len(key) + 1.5
    y = box.y + key_h
    for line in key:
        y -= line_mm(PT_SMALL)
        _write(page, box.x, y, line, PT_SMALL)
    ax = fig.add_axes(Box(box.x, box.y + key_h, box.w, box.h - key_h).fraction(*PAGE_MM),
                      label="locator")
    ax.set_axis_off()
    mine = parks.index.isin(codes)
    fill(ax, parks.geometry.values[~mine],
         LegendEntry("", "fill", face="#d9d9d9", edge=CONTEXT_GREY, linewidth=0.2))
    fill(ax, parks.geometry.values[mine],
         LegendEntry("", "fill", face=PARK_EDGE, edge=PARK_EDGE, linewidth=0.4))
    province = data.context.get("province_boundary")
    if province is not None and len(province):
        stroke(ax, province.geometry.values, LegendEntry("", "line", edge="#444444",
                                                         linewidth=0.6))
        bounds = province.total_bounds
    else:
        bounds = np.asarray(shapely.bounds(shapely.union_all(parks.geometry.values)))
        pad = 0.15 * max(bounds[2] - bounds[0], bounds[3] - bounds[1], 2_000.0)
        bounds = bounds + np.array([-pad, -pad, pad, pad])
    shown = [c for c in codes if c in parks.index]
    anchor = shapely.get_coordinates(shapely.point_on_surface(parks.loc[shown].geometry.values))
    if len(anchor):
        ax.scatter(anchor[:, 0], anchor[:, 1], s=14, marker="o", facecolor="none",
                   edgecolor=PARK_EDGE, linewidths=0.8, zorder=5)
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect("equal", adjustable="box", anchor="C")
    for (x, y), code in zip(anchor, shown, strict=True):
        ax.annotate(_letter(codes.index(code)), (x, y), xytext=(0, 0),
                    textcoords="offset points", fontsize=PT_SMALL, fontweight="bold",
                    ha="center", va="center", zorder=6, annotation_clip=False,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                          "edgecolor": PARK_EDGE, "linewidth": 0.4},
                    arrowprops={"arrowstyle": "-", "color": PARK_EDGE, "linewidth": 0.5})
    place_labels(fig, ax, ax.texts[-len(shown):] if shown else [])


def _letter(n: int) -> str:
    """A, B, ... Z, AA, AB ...: the key letter of the n-th shortlisted park (from 0)."""
    return _letter(n // 26 - 1) + chr(65 + n % 26) if n >= 26 else chr(65 + n)


def number_runs(numbers: Sequence[int]) -> str:
    """Site numbers with consecutive runs shortened, as a map label.

    >>> number_runs([1, 2, 5, 7, 8, 9])
    '1, 2, 5, 7–9'
    """
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


#: Offsets (points) tried in turn for a site label on the site map.
_NUDGES = [(0, 0)] + [(r * dx, r * dy) for r in (12, 22, 34)
                      for dx, dy in ((1, 1), (1, -1), (-1, 1), (-1, -1), (1.4, 0), (-1.4, 0),
                                     (0, 1.2), (0, -1.2))]


def place_labels(fig: Figure, ax: Axes, notes: Sequence) -> None:
    """Nudge annotations (in turn) to the first offset where none covers another and the
    label stays inside the map's axes; a label with no free place keeps its last try."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    frame = ax.get_window_extent(renderer)
    placed: list = []
    for note in notes:
        for dx, dy in _NUDGES:
            note.set_position((dx, dy))
            box = note.get_window_extent(renderer)
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                      and box.y1 <= frame.y1)
            if inside and not any(box.overlaps(other) for other in placed):
                break
        placed.append(note.get_window_extent(renderer))


def _site_map(fig: Figure, box: Box, data: SheetData, sites: Sequence[Site],
              site_parks: Sequence[str], park_codes: Sequence[str], lang: Lang) -> int:
    """The shortlisted plots at a fitted scale, each site numbered as its card."""
    layout = SheetLayout(paper="A4", orientation="portrait", lang=lang)
    frame = frame_in(box, layout)
    plots = data.plan.plots
    codes = [c for s in sites for c in s.plot_codes]
    chosen = plots[plots["plot_code"].astype(str).isin(codes)]
    denominator, window = fit_scale(layout, chosen.geometry.values, frame)
    ax, _ = draw_map(fig, layout, data, park_codes, frame, window, denominator,
                     highlight=codes)
    ax.set_label("site_map")
    by_code = dict(zip(chosen["plot_code"].astype(str), chosen.geometry.values, strict=True))
    # One label per park ("1, 2, 7"): sites of one park sit too close to be told apart at
    # the scale that shows them all; labels are nudged until none covers another.
    groups: dict[str, list[int]] = {}
    geoms: dict[str, list] = {}
    for i, (site, park) in enumerate(zip(sites, site_parks, strict=True), 1):
        groups.setdefault(park, []).append(i)
        geoms.setdefault(park, []).extend(by_code[c] for c in site.plot_codes if c in by_code)
    for park, numbers in groups.items():
        point = shapely.point_on_surface(shapely.union_all(geoms[park]))
        ax.annotate(number_runs(numbers), (point.x, point.y),
                    xytext=(0, 0), textcoords="offset points", fontsize=PT_BODY,
                    fontweight="bold", color="white", ha="center", va="center",
                    zorder=20, annotation_clip=False,
                    bbox={"boxstyle": "round,pad=0.25", "facecolor": SITE_COLOUR,
                          "edgecolor": "white", "linewidth": 0.5},
                    arrowprops={"arrowstyle": "-", "color": SITE_COLOUR, "linewidth": 0.6})
    place_labels(fig, ax, ax.texts[-len(groups):])
    return denominator
    return denominator


def render_investor_pages(data: SheetData, shortlist: pd.DataFrame, *, lang: str = "en",
                          when: date | None = None) -> list[Figure]:
    """The pages (A4 portrait figures) of the investor fact sheet of a search result.

    ``shortlist`` is a vacant-land search result (:func:`gis_app.search.search`), best
    first; every row is printed, on as many pages as it takes.
    """
    if not is_lang(lang):
        raise ExportError(f"language {lang!r} is not 'vi' or 'en'")
    if shortlist.empty:
        raise ExportError("the shortlist is empty: nothing to print")
    when = when or date.today()
    sites = sites_from(data, shortlist, lang)
    known = set(data.plan.plots["plot_code"].astype(str))
    unknown = sorted({c for s in sites for c in s.plot_codes} - known)
    if unknown:
        raise ExportError(f"layer 'plots' has no plot {', '.join(unknown)}")
    park_codes = list(dict.fromkeys(shortlist["park_code"].astype(str)))
    header = _header_lines(data, len(sites), lang, when)
    top = PAGE_MM[1] - MARGIN_MM
    maps_title = line_mm(PT_HEAD) + 1.0
    first_top = top - _header_height(header) - maps_title - MAPS_MM - 4.0
    short = [(f"{t('investor.title', lang)} {t('investor.continued', lang)}", PT_HEAD, "bold")]
    other_top = top - _header_height(short)
    bottom = MARGIN_MM + FOOTER_MM
    pages = paginate(sites, first_top, other_top, bottom)
    figures = []
    with sheet_style():
        for k, page in enumerate(pages, 1):
            fig = Figure(figsize=(PAGE_MM[0] / 25.4, PAGE_MM[1] / 25.4))
            ax = _page_axes(fig)
            y = _draw_header(ax, header if k == 1 else short, top)
            if k == 1:
                maps_top = y
                left_w = 62.0
                _write(ax, MARGIN_MM, maps_top - line_mm(PT_HEAD), t("investor.locator", lang),
                       PT_HEAD * 0.85, "bold")
                box_y = maps_top - maps_title - MAPS_MM
                _locator(fig, ax, Box(MARGIN_MM, box_y, left_w, MAPS_MM), data,
                         list(shortlist["park_code"].astype(str)), lang)
                map_box = Box(MARGIN_MM + left_w + 4, box_y, _INNER_W - left_w - 4, MAPS_MM)
                denominator = _site_map(fig, map_box, data, sites,
                                        list(shortlist["park_code"].astype(str)), park_codes,
                                        lang)
                _write(ax, map_box.x, maps_top - line_mm(PT_HEAD),
                       t("investor.site_map", lang, scale=format_scale(denominator)),
                       PT_HEAD * 0.85, "bold")
                y = box_y - 4.0
            for i, site in page.sites:
                card_top = y
                y = _draw_card(ax, i, site, y)
                _draw_badge_number(ax, MARGIN_MM, card_top - line_mm(PT_HEAD) * 1.2, i)
            _draw_footer(ax, data, lang, k, len(pages))
            figures.append(fig)
    return figures


def write_investor_pdf(figures: Sequence[Figure], target: str | Path | BinaryIO, *,
                       lang: str = "en") -> None:
    """Write the pages as one PDF, the shipped font embedded once."""
    metadata = {"Title": t("investor.title", lang), "Creator": "KCN-GIS"}
    with sheet_style(), PdfPages(target, metadata=metadata) as pdf:
        for fig in figures:
            save_page(pdf, fig)  # text laid out once per process, see pdfcanvas


def investor_pdf(data: SheetData, shortlist: pd.DataFrame, *, lang: str = "en",
                 when: date | None = None) -> bytes:
    """The investor fact sheet of a search result as PDF bytes (for a download button)."""
    buffer = io.BytesIO()
    write_investor_pdf(render_investor_pages(data, shortlist, lang=lang, when=when), buffer,
                       lang=lang)
    return buffer.getvalue()
