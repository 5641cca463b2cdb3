"""The sheets' PDF canvas writes exactly what matplotlib's own PDF canvas writes.

gis_app/export/pdfcanvas.py keeps text measurements and glyph layouts across pages instead of
recomputing them for every string of every page; the bytes of the PDF must not change.
"""

from __future__ import annotations

import io
from datetime import date

from matplotlib.backends.backend_pdf import PdfPages

from gis_app.export import SheetLayout, render_park_sheet
from gis_app.export.atlas import cover_figure, index_figure, park_pages
from gis_app.export.pdfcanvas import SheetCanvas, SheetRenderer, save_page
from gis_app.export.style import sheet_style

WHEN = date(2026, 12, 1)
#: No creation date: two saves of one figure are then byte for byte comparable.
META = {"CreationDate": None, "Creator": "KCN-GIS"}


def _stock(figures) -> bytes:  # noqa: ANN001 - matplotlib Figures
    """The figures as one PDF by matplotlib's own canvas (PdfPages forces it)."""
    buffer = io.BytesIO()
    with sheet_style(), PdfPages(buffer, metadata=META) as pdf:
        for fig in figures:
            pdf.savefig(fig)
    return buffer.getvalue()


def _ours(figures) -> bytes:  # noqa: ANN001
    buffer = io.BytesIO()
    with sheet_style(), PdfPages(buffer, metadata=META) as pdf:
        for fig in figures:
            save_page(pdf, fig)
    return buffer.getvalue()


def test_sheet_pdf_is_byte_identical_to_matplotlibs_twice_over(bac_ninh):
    """Once with the caches cold (filled while writing) and once warm (read back): the same
    bytes as matplotlib's canvas, fonts subset included, and the canvas really drew it."""
    figures = [render_park_sheet(bac_ninh, code, SheetLayout(lang=lang), when=WHEN,
                                 page_label="Trang 3").figure
               for code, lang in (("BG01", "vi"), ("BG02", "en"))]
    expected = _stock(figures)
    drawn: list[SheetRenderer] = []
    original = SheetRenderer.draw_text

    def spy(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        drawn.append(self)
        return original(self, *args, **kwargs)

    SheetRenderer.draw_text = spy  # type: ignore[method-assign]
    try:
        first, second = _ours(figures), _ours(figures)
    finally:
        SheetRenderer.draw_text = original  # type: ignore[method-assign]
    assert drawn, "the sheet canvas was not used"
    assert all(isinstance(fig.canvas, SheetCanvas) for fig in figures)
    assert first == expected
    assert second == expected


def test_atlas_cover_and_index_are_byte_identical(three_parks):
    layout = SheetLayout()
    pages = park_pages(three_parks)
    figures = [cover_figure(three_parks, layout, len(pages), WHEN),
               index_figure(three_parks, layout, pages, WHEN)]
    assert _ours(figures) == _stock(figures)


def test_a_single_sheet_pdf_file_is_byte_identical(tiny_data):
    sheet = render_park_sheet(tiny_data, "P1", SheetLayout(paper="A4"), when=WHEN)
    stock, ours = io.BytesIO(), io.BytesIO()
    with sheet_style():
        sheet.figure.savefig(stock, format="pdf", backend="pdf", metadata=META)
        SheetCanvas(sheet.figure)
        sheet.figure.savefig(ours, format="pdf", metadata=META)
    assert ours.getvalue() == stock.getvalue()


def test_panels_hidden_axis_lines_drew_nothing(bac_ninh):
    """Panels hide their (tickless) x and y axis objects so that saving skips laying them
    out: shown again, they add not one byte to the page."""
    sheet = render_park_sheet(bac_ninh, "BG01", SheetLayout(), when=WHEN, page_label="Trang 3")
    panels = [ax for ax in sheet.figure.axes if ax.get_label() not in ("map", "inset")]
    assert len(panels) >= 8
    assert not any(ax.xaxis.get_visible() or ax.yaxis.get_visible() for ax in panels)
    hidden = _ours([sheet.figure])
    for ax in panels:
        ax.xaxis.set_visible(True)
        ax.yaxis.set_visible(True)
    assert _ours([sheet.figure]) == hidden
