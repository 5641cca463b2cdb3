"""Atlases: a cover, an index sheet and one sheet per park (or zone, or plot selection).

Pages are independent, so an atlas can be rendered on every core: each worker process draws
its pages into single-page PDFs which are then concatenated with pypdf. On one core (or for a
handful of pages) :class:`~matplotlib.backends.backend_pdf.PdfPages` writes them in one go.
"""

from __future__ import annotations

import contextlib
import gc
import io
import itertools
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from pypdf import PdfReader, PdfWriter

from ..errors import ExportError
from ..i18n import label, ngettext, t
from ..progress import Progress, notify
from ..settings import REFERENCE_ATTRIBUTION
from .data import CONTEXT_NAMES, SheetData
from .draw import LegendEntry, fill
from .furniture import crs_note, title_block
from .indicators import format_kpi
from .layout import Box, SheetLayout
from .mapframe import add_map_axes, draw_context, draw_grid
from .panel import draw_table, panel_axes, write_lines
from .pdfcanvas import save_page
from .sheet import fit_scale, frame_in, page_number, render_park_sheet
from .style import CONTEXT_GREY, PARK_EDGE, sheet_style


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
                page_label: str, figure: Figure | None = None):  # noqa: ANN202 - a Sheet
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
    try:
        return render_park_sheet(data, page.park_code, layout, when=when,
                                 highlight=list(page.plots) or None, extent=extent,
                                 page_label=page_label, figure=figure)
    except ExportError as exc:  # say which page of the atlas could not be drawn
        where = page.park_code + (f", zone {page.zone_id}" if page.zone_id else "")
        raise ExportError(f"atlas page for park {where}: {exc}") from None


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
            (t("sheet.agency", lang, province=province).upper(), pt, "bold"),
            ("", pt, "normal"),
            (t("sheet.title_atlas", lang).upper(), pt * 1.6, "bold"),
            (province if lang == "vi" else f"{data.province.name_en} ({province})", pt * 1.3,
             "normal"),
            ("", pt, "normal"),
            (ngettext("sheet.cover_sheets", n_sheets, lang), pt, "normal"),
            (f"{t('sheet.date', lang)}: {when:%d/%m/%Y}", pt, "normal"),
            (crs_note(data, lang), pt * 0.8, "normal"),
            ("", pt, "normal"),
            (REFERENCE_ATTRIBUTION, pt * 0.55, "normal"),
        ]
        if data.illustrative:
            lines.append((t("notice.illustrative", lang), pt * 0.6, "bold"))
        write_lines(ax, lines, x=box.w / 2, top=box.h - 8, ha="center", width_mm=box.w - 16)
        page_number(fig, layout, f"{t('sheet.page', lang)} 1")
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
        # The parks' extent, not the province's: parks cluster (in Bắc Ninh, in the west), and
        # the inset of every sheet already shows the whole province.
        selected = plan.parks[plan.parks["park_code"].isin([p.park_code for p in pages])]
        # The index map is always fitted: a scale stated for the sheets is one for single parks.
        denominator, window = fit_scale(replace(layout, scale=None), selected.geometry.values,
                                        frame)
        ax = add_map_axes(fig, layout, frame, window, "index_map")
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
        title_block(fig, layout, head, data, title=t("sheet.title_index", lang), subtitle=[],
                    denominator=denominator, when=when)
        tax = panel_axes(fig, layout, table, name="index_table")
        occupancies = data.kpi_table["occupancy_share"]
        rows = []
        for i, page in enumerate(pages):
            park = parks.loc[page.park_code]
            name = park["name_vi"] if lang == "vi" else park["name_en"]
            if page.zone_id:
                name = f"{name} – {page.zone_id}"
            occupancy = float(occupancies.loc[page.park_code])
            rows.append((str(i + 1), page.park_code, str(name),
                         label(str(park['status']), lang),
                         format_kpi("occupancy_share", occupancy, lang), str(i + 3)))
        header = (t("sheet.index_no", lang), "", t("sheet.park", lang), "",
                  t("sheet.kpi_occupancy_share", lang).split(" (")[0], t("sheet.page", lang))
        draw_table(tax, table, title=t("sheet.title_index", lang), header=header, rows=rows,
                   widths=(0.5, 0.9, 3.2, 1.8, 1.1, 0.6),
                   aligns=("right", "left", "left", "left", "right", "right"),
                   pt=layout.font_pt * 0.85, more_note=t("sheet.more_points", lang, n="{n}"))
        page_number(fig, layout, f"{t('sheet.page', lang)} 2")
    return fig


def _sheet_figures(data: SheetData, pages: Sequence[AtlasPage], page_labels: Sequence[str],
                   layout: SheetLayout, when: date) -> Iterator[Figure]:
    """The pages' sheets, each drawn on the figure of the one before (written in between):
    one figure and one set of panels per atlas, not per page."""
    figure = None
    for page, page_label in zip(pages, page_labels, strict=True):
        figure = _page_sheet(data, page, layout, when, page_label, figure).figure
        yield figure


def _write_pages(target: str | Path | BinaryIO, figures: Iterable[Figure],
                 metadata: dict[str, str], done: Callable[[], None] | None = None) -> None:
    """Write figures as the pages of one PDF (fonts are embedded once for all pages);
    ``done`` is called after each page is written."""
    with sheet_style(), PdfPages(target, metadata=metadata) as pdf:
        for fig in figures:
            save_page(pdf, fig)
            if done is not None:
                done()


# Worker state: the sheet data is sent once per process, not once per page.
_WORKER: dict[str, object] = {}


def _init_worker(data: SheetData, layout: SheetLayout, when: date, pages_done: object) -> None:
    _WORKER.update(data=data, layout=layout, when=when, pages_done=pages_done)


def _worker_pages(job: tuple[int, list[AtlasPage], list[str]]) -> tuple[int, bytes]:
    """Draw a contiguous run of pages into one PDF (one font subset per run, not per page)."""
    number, pages, page_labels = job
    data, layout, when = _WORKER["data"], _WORKER["layout"], _WORKER["when"]
    queue = _WORKER["pages_done"]
    buffer = io.BytesIO()
    _write_pages(buffer, _sheet_figures(data, pages, page_labels, layout, when),  # type: ignore[arg-type]
                 {}, done=lambda: queue.put(1))  # type: ignore[attr-defined]
    return number, buffer.getvalue()


def _fork_safe() -> bool:
    # Forking a process that runs other threads (a Streamlit server) can deadlock the child.
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def default_start_method() -> str:
    """``fork`` when this process has a single thread (cheapest), else ``forkserver``."""
    if _fork_safe():
        return "fork"
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def default_workers() -> int:
    """Every core when the pool can fork, else one process.

    With two cores this process draws the cover, the index and about half the sheets while one
    forked worker draws the rest. Bắc Ninh sample atlas (24 pages), CPU seconds summed over
    both processes, from benchmarks/run.py on the shared 2-core machine: 13.1 s before the
    figure was reused and the indicators computed once, 8.0 s after (one process alone: about
    5 s; the second process costs its own first page and copy-on-write, and halves the wall
    time only when a core is free). Starting a forkserver and re-importing geopandas and
    matplotlib costs more than it saves, so a threaded process (a Streamlit server, where
    forking is unsafe) draws the atlas itself.
    """
    return (os.cpu_count() or 1) if _fork_safe() else 1


#: Freeze the garbage collector's view of the heap while forked workers run (see write_atlas).
_FREEZE_BEFORE_FORK = True


def _shares(n_pages: int, workers: int) -> list[int]:
    """Sheets per process: this process draws the cover and the index besides its share,
    so it takes two sheets fewer than the others (as far as it has any)."""
    units = n_pages + 2
    bounds = [round(i * units / workers) for i in range(workers + 1)]
    sizes = [hi - lo for lo, hi in itertools.pairwise(bounds)]
    sizes[0] = max(0, sizes[0] - 2)
    sizes[-1] += n_pages - sum(sizes)
    return sizes


def write_atlas(data: SheetData, target: str | Path | BinaryIO, *,
                pages: Sequence[AtlasPage] | None = None, layout: SheetLayout | None = None,
                when: date | None = None, workers: int | None = None,
                start_method: str | None = None, progress: Progress | None = None) -> int:
    """Write a multi-page PDF atlas (cover, index, one sheet per page); returns the page count.

    Parameters
    ----------
    pages
        The sheets (default: one per park, see :func:`park_pages`).
    workers
        Processes drawing the sheets. ``1`` draws everything in this process with
        :class:`~matplotlib.backends.backend_pdf.PdfPages`; ``n > 1`` splits the sheets into
        ``n`` contiguous runs, this process drawing the first (after the cover and the
        index) and ``n - 1`` pool processes the others, concatenated with pypdf. ``None``
        uses :func:`default_workers`.
    start_method
        ``multiprocessing`` start method of the pool (default: :func:`default_start_method`).
    progress
        Called with ``(pages written, pages in the atlas)`` as the pages are written (by any
        process), e.g. a terminal progress bar (:class:`~gis_app.progress.Bar`).
    """
    layout = layout or SheetLayout()
    when = when or date.today()
    pages = list(pages) if pages is not None else park_pages(data)
    if not pages:
        raise ExportError("an atlas needs at least one sheet; no pages were selected")
    workers = max(1, min(default_workers() if workers is None else workers, len(pages)))
    total = len(pages) + 2
    written = 0

    def page_done(n: int = 1) -> None:
        nonlocal written
        written += n
        notify(progress, written, total)

    labels = [f"{t('sheet.page', layout.lang)} {i + 3}/{total}" for i in range(len(pages))]
    cover = cover_figure(data, layout, len(pages), when)
    index = index_figure(data, layout, pages, when)
    pdf_meta = {"Title": t("sheet.title_atlas", layout.lang) + " – " + data.province.name_vi,
                "Creator": "KCN-GIS"}
    if workers == 1:
        _write_pages(target, itertools.chain([cover, index], _sheet_figures(
            data, pages, labels, layout, when)), pdf_meta, done=page_done)
        return total
    for name in ("parks", "zones", "plots", "wastewater_plants", *CONTEXT_NAMES):
        data.layer(name)  # prepared once here, inherited by forked workers
    # A forked worker shares this process's memory until it writes to it, and the garbage
    # collector's first pass in the worker would touch (and so copy) every object: frozen
    # objects are left alone. Only an unfrozen heap is unfrozen again afterwards.
    freeze = _FREEZE_BEFORE_FORK and gc.get_freeze_count() == 0
    bounds = list(itertools.accumulate(_shares(len(pages), workers), initial=0))
    jobs = [(k, pages[lo:hi], labels[lo:hi])
            for k, (lo, hi) in enumerate(itertools.pairwise(bounds)) if hi > lo or k == 0]
    context = multiprocessing.get_context(start_method or default_start_method())
    queue = context.SimpleQueue()

    def drain() -> None:
        while not queue.empty():
            page_done(queue.get())

    with contextlib.ExitStack() as stack:
        if freeze:
            gc.freeze()
            stack.callback(gc.unfreeze)
        pool = stack.enter_context(ProcessPoolExecutor(
            workers - 1, mp_context=context, initializer=_init_worker,
            initargs=(data, layout, when, queue)))
        futures = [pool.submit(_worker_pages, job) for job in jobs[1:]]
        _, own, own_labels = jobs[0]
        head = io.BytesIO()  # this process's pages, drawn while the workers draw theirs

        def own_done() -> None:
            page_done()
            drain()

        _write_pages(head, itertools.chain([cover, index], _sheet_figures(
            data, own, own_labels, layout, when)), {}, done=own_done)
        while not_done := [f for f in futures if not f.done()]:
            wait(not_done, timeout=0.1, return_when=FIRST_COMPLETED)
            drain()
        runs = dict(f.result() for f in futures)
    drain()
    writer = PdfWriter()
    for blob in [head.getvalue(), *(runs[k] for k in sorted(runs))]:
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

