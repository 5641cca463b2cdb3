"""Atlases: a cover, an index sheet and one sheet per park (or zone, or plot selection).

Pages are independent, so an atlas can be rendered on every core: each worker process draws
its pages into single-page PDFs which are then concatenated with pypdf. On one core (or for a
handful of pages) :class:`~matplotlib.backends.backend_pdf.PdfPages` writes them in one go.
"""

from __future__ import annotations

import io
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from pypdf import PdfReader, PdfWriter

from ..errors import ExportError
from ..settings import ILLUSTRATIVE_NOTICE_EN, ILLUSTRATIVE_NOTICE_VI, REFERENCE_ATTRIBUTION
from .data import SheetData
from .furniture import crs_note, sources_block, title_block
from .indicators import format_kpi, park_kpis
from .layout import Box, SheetLayout
from .mapframe import add_map_axes, draw_context, draw_grid
from .draw import LegendEntry, fill
from .panel import draw_table, panel_axes, write_lines
from .sheet import fit_scale, frame_in, page_number, render_park_sheet
from .style import CONTEXT_GREY, PARK_EDGE, label, sheet_style


@dataclass(frozen=True)
class AtlasPage:
    """One sheet of an atlas: a park, optionally focused on a zone or on selected plots."""

    park_code: str
    plots: tuple[str, ...] = ()
    zone_id: str | None = None
    title: str | None = None


def park_pages(data: SheetData, park_codes: Sequence[str] | None = None) -> list[AtlasPage]:
    """One page per park (all parks in code order, or the given codes in their order)."""
    codes = (sorted(data.plan.parks["park_code"].astype(str)) if park_codes is None
             else list(park_codes))
    for code in codes:
        data.park(code)  # an unknown code fails here, before any drawing
    return [AtlasPage(code) for code in codes]


def zone_pages(data: SheetData, park_code: str) -> list[AtlasPage]:
    """One page per zone of a park."""
    zones = data.plan.zones[data.plan.zones["park_code"] == park_code]
    return [AtlasPage(park_code, zone_id=z) for z in sorted(zones["zone_id"].astype(str))]


def _page_sheet(data: SheetData, page: AtlasPage, layout: SheetLayout, when: date,
                page_label: str):  # noqa: ANN202 - a Sheet
    extent = None
    if page.zone_id is not None:
        zones = data.plan.zones
        extent = zones.geometry.values[(zones["zone_id"] == page.zone_id).to_numpy(bool)]
        if extent.size == 0:
            raise ExportError(f"layer 'zones' has no zone {page.zone_id!r}")
    elif page.plots:
        plots = data.plan.plots
        extent = plots.geometry.values[plots["plot_code"].isin(page.plots).to_numpy(bool)]
        if extent.size == 0:
            raise ExportError(f"layer 'plots' has none of the plots {', '.join(page.plots)}")
    if page.title:
        layout = replace(layout, title=page.title)
    return render_park_sheet(data, page.park_code, layout, when=when,
                             highlight=list(page.plots) or None, extent=extent,
                             page_label=page_label)


def cover_figure(data: SheetData, layout: SheetLayout, n_sheets: int, when: date) -> Figure:
    """The atlas cover: agency, title, province, number of sheets, date, CRS and sources."""
    lang = layout.lang
    with sheet_style():
        fig = Figure(figsize=layout.figsize_in)
        width, height = layout.paper_mm
        box = Box(width * 0.15, height * 0.2, width * 0.7, height * 0.6)
        ax = panel_axes(fig, layout, box, name="cover")
        pt = layout.font_pt * 2.0
        province = data.province.name_vi
        lines = [
            (label("agency", lang, province=province).upper(), pt, "bold"),
            ("", pt, "normal"),
            (label("title_atlas", lang).upper(), pt * 1.6, "bold"),
            (province if lang == "vi" else f"{data.province.name_en} ({province})", pt * 1.3,
             "normal"),
            ("", pt, "normal"),
            (label("cover_sheets", lang, n=n_sheets), pt, "normal"),
            (f"{label('date', lang)}: {when:%d/%m/%Y}", pt, "normal"),
            (crs_note(data, lang), pt * 0.8, "normal"),
            ("", pt, "normal"),
            (REFERENCE_ATTRIBUTION, pt * 0.55, "normal"),
        ]
        if data.illustrative:
            notice = ILLUSTRATIVE_NOTICE_VI if lang == "vi" else ILLUSTRATIVE_NOTICE_EN
            lines.append((notice, pt * 0.6, "bold"))
        write_lines(ax, lines, x=box.w / 2, top=box.h - 8, ha="center", width_mm=box.w - 16)
        page_number(fig, layout, f"{label('page', lang)} 1")
    return fig


def index_figure(data: SheetData, layout: SheetLayout, pages: Sequence[AtlasPage],
                 when: date) -> Figure:
    """The index sheet: a province map with the parks numbered, and the list of sheets."""
    lang = layout.lang
    plan = data.plan
    with sheet_style():
        fig = Figure(figsize=layout.figsize_in)
        width, height = layout.paper_mm
        top, right, bottom, left = layout.margins_mm
        inner = Box(left, bottom, width - left - right, height - top - bottom)
        area, side = inner.split_w([1.25, 1.0], 6.0)
        head, table = side.split_h([1, 3.2], 3.0)
        frame = frame_in(area, layout)
        extent = data.context.get("province_boundary")
        geoms = extent.geometry.values if extent is not None else plan.parks.geometry.values
        denominator, window = fit_scale(layout, geoms, frame)
        ax = add_map_axes(fig, layout, frame, window)
        ax.set_label("index_map")
        draw_context(ax, data, window, lang)
        fill(ax, plan.parks.geometry.values,
             LegendEntry("", "fill", face="#f4a582", edge=PARK_EDGE, linewidth=0.4), zorder=3)
        draw_grid(ax, layout, frame, window)
        codes = [p.park_code for p in pages]
        parks = plan.parks.set_index(plan.parks["park_code"].astype(str))
        anchors = parks.geometry.representative_point()
        for number, code in enumerate(dict.fromkeys(codes), start=1):
            point = anchors.loc[code]
            ax.annotate(str(number), xy=(point.x, point.y), xytext=(3, 3),
                        textcoords="offset points", fontsize=layout.font_pt, color="black",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": CONTEXT_GREY,
                              "lw": 0.4}, zorder=9)
        title_block(fig, layout, head, data, title=label("title_index", lang), subtitle=[],
                    denominator=denominator, when=when)
        tax = panel_axes(fig, layout, table, name="index_table")
        rows = []
        for i, page in enumerate(pages):
            park = parks.loc[page.park_code]
            name = park["name_vi"] if lang == "vi" else park["name_en"]
            if page.zone_id:
                name = f"{name} – {page.zone_id}"
            occupancy = park_kpis(plan, page.park_code)["occupancy_share"]
            rows.append((str(i + 1), page.park_code, str(name),
                         label(str(park['status']), lang),
                         format_kpi("occupancy_share", occupancy, lang), str(i + 3)))
        header = (label("index_no", lang), "", label("park", lang), "",
                  label("kpi_occupancy_share", lang).split(" (")[0], label("page", lang))
        draw_table(tax, table, title=label("title_index", lang), header=header, rows=rows,
                   widths=(0.5, 0.9, 3.2, 1.8, 1.1, 0.6),
                   aligns=("right", "left", "left", "left", "right", "right"),
                   pt=layout.font_pt * 0.85, more_note=label("more_points", lang, n="{n}"))
        page_number(fig, layout, f"{label('page', lang)} 2")
    return fig


def _figure_pdf(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    with sheet_style():
        fig.savefig(buffer, format="pdf")
    return buffer.getvalue()


# Worker state: the sheet data is sent once per process, not once per page.
_WORKER: dict[str, object] = {}


def _init_worker(data: SheetData, layout: SheetLayout, when: date) -> None:
    _WORKER.update(data=data, layout=layout, when=when)


def _worker_page(job: tuple[int, AtlasPage, str]) -> tuple[int, bytes]:
    number, page, page_label = job
    sheet = _page_sheet(_WORKER["data"], page, _WORKER["layout"], _WORKER["when"],  # type: ignore[arg-type]
                        page_label)
    return number, _figure_pdf(sheet.figure)


def write_atlas(data: SheetData, target: str | Path | BinaryIO, *,
                pages: Sequence[AtlasPage] | None = None, layout: SheetLayout | None = None,
                when: date | None = None, workers: int | None = None,
                start_method: str | None = None) -> int:
    """Write a multi-page PDF atlas (cover, index, one sheet per page); returns the page count.

    Parameters
    ----------
    pages
        The sheets (default: one per park, see :func:`park_pages`).
    workers
        Processes drawing the sheets; ``None`` uses every core, ``1`` draws in this process
        with :class:`~matplotlib.backends.backend_pdf.PdfPages`.
    start_method
        ``multiprocessing`` start method for the workers (default ``forkserver`` where
        available: forking a threaded server such as Streamlit is unsafe).
    """
    layout = layout or SheetLayout()
    when = when or date.today()
    pages = list(pages) if pages is not None else park_pages(data)
    if not pages:
        raise ExportError("an atlas needs at least one sheet; no pages were selected")
    workers = min(workers or os.cpu_count() or 1, len(pages))
    total = len(pages) + 2
    labels = [f"{label('page', layout.lang)} {i + 3}/{total}" for i in range(len(pages))]
    cover = cover_figure(data, layout, len(pages), when)
    index = index_figure(data, layout, pages, when)
    pdf_meta = {"Title": label("title_atlas", layout.lang) + " – " + data.province.name_vi,
                "Creator": "KCN-GIS"}
    if workers <= 1:
        with sheet_style(), PdfPages(target, metadata=pdf_meta) as pdf:
            pdf.savefig(cover)
            pdf.savefig(index)
            for page, page_label in zip(pages, labels, strict=True):
                pdf.savefig(_page_sheet(data, page, layout, when, page_label).figure)
        return total
    methods = multiprocessing.get_all_start_methods()
    method = start_method or ("forkserver" if "forkserver" in methods else "spawn")
    jobs = [(i, page, page_label) for i, (page, page_label) in enumerate(zip(pages, labels,
                                                                              strict=True))]
    chunks: list[bytes] = [b""] * len(pages)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                             initializer=_init_worker, initargs=(data, layout, when)) as pool:
        chunk = max(1, len(jobs) // (4 * workers))
        for number, blob in pool.map(_worker_page, jobs, chunksize=chunk):
            chunks[number] = blob
    writer = PdfWriter()
    for blob in [_figure_pdf(cover), _figure_pdf(index), *chunks]:
        writer.append(PdfReader(io.BytesIO(blob)))
    writer.add_metadata({f"/{k}": v for k, v in pdf_meta.items()})
    if isinstance(target, (str, Path)):
        with open(target, "wb") as handle:
            writer.write(handle)
    else:
        writer.write(target)
    return total


def atlas_bytes(data: SheetData, **kwargs: object) -> bytes:
    """The atlas as PDF bytes (for a download button)."""
    buffer = io.BytesIO()
    write_atlas(data, buffer, **kwargs)  # type: ignore[arg-type]
    return buffer.getvalue()

