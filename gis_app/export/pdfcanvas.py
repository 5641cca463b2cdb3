"""Writing sheets as PDF: matplotlib's PDF backend, with text laid out once per process.

Profiling an atlas (30 national-scale parks, one process) showed about half of the CPU time
of writing a page in text: the sheets print some 85 strings a page, and for each one
matplotlib's PDF renderer measures the string (``get_text_width_height_descent``) and lays
it out again with libraqm (``_text_helpers.layout``) to place its glyphs, each about 0.2 to
0.6 ms. Its measurement cache lives as long as one renderer, i.e. one page, and the layout is
not cached at all, yet most strings (legend, indicator labels, sources, signatures, tick
labels) come back on every page. :class:`SheetCanvas` keeps both results per process, keyed
by the string and the font, and the operators of a string's text object once per PDF file
(only its position changes from one use to the next); the bytes written are those of
matplotlib's own renderer (``tests/export/test_pdfcanvas.py`` compares them), only computed
once.

Where this matplotlib lacks a private piece the cached text path relies on, the canvas falls
back to matplotlib's own ``draw_text`` (the measurements stay cached: that part uses only
the public renderer API).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import matplotlib as mpl
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_pdf import FigureCanvasPdf, PdfFile, PdfPages, RendererPdf
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager, get_font

try:  # private pieces of matplotlib's PDF text output (3.11), see _draw_cached
    from matplotlib import _text_helpers
    from matplotlib.backends.backend_pdf import FontPath, Op, _fill, pdfRepr

    _CACHED_DRAW = all(hasattr(RendererPdf, name) for name in
                       ("_get_font_height_metrics", "_encode_glyphs", "_get_font_ttf",
                        "check_gc"))
except ImportError:  # another matplotlib: its own draw_text, measurements still cached
    _CACHED_DRAW = False

#: rcParams that decide which font file a FontProperties resolves to.
_FONT_RC = ("font.family", "font.sans-serif", "font.serif", "font.monospace", "font.cursive",
            "font.fantasy", "font.style", "font.variant", "font.weight", "font.stretch",
            "pdf.fonttype", "pdf.use14corefonts")

#: Entries kept per cache before it is emptied (a sheet has some 100 distinct strings, plot
#: codes aside; an entry is about 1 kB).
_CACHE_LIMIT = 20_000

_METRICS: dict[tuple, tuple[float, float, float]] = {}
_LAYOUTS: dict[tuple, list[tuple]] = {}
_HEIGHTS: dict[tuple, tuple[float, float, float]] = {}


def _font_key(prop: Any) -> tuple:
    """The parts of a FontProperties that decide the font and its size (it is mutable, so it
    is not itself a key)."""
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_file(), prop.get_size_in_points(),
            prop.get_math_fontfamily())


def _remember(cache: dict, key: tuple, value: Any) -> Any:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


class SheetRenderer(RendererPdf):
    """matplotlib's PDF renderer whose text measurements and glyph layouts are kept across
    pages and figures (plain text only; mathtext, links and font features go the stock way)."""

    def __init__(self, file: PdfFile, image_dpi: float, height: float, width: float) -> None:
        super().__init__(file, image_dpi, height, width)
        rc: Any = mpl.rcParams
        self._rc_key = tuple(tuple(v) if isinstance(v := rc[k], list) else v for k in _FONT_RC)

    def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any
                                      ) -> tuple[float, float, float]:
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, self._rc_key, _font_key(prop))
        found = _METRICS.get(key)
        if found is None:
            found = _remember(_METRICS, key,
                              super().get_text_width_height_descent(s, prop, ismath))
        return found

    def _get_font_height_metrics(self, prop: Any) -> tuple:
        """Ascent, descent and line gap of the font at ``prop``'s size, as
        ``Text._get_layout`` computes them from the font's tables when the renderer returns
        None (matplotlib's PDF renderer does for TrueType): the same arithmetic, once."""
        if not _CACHED_DRAW:  # this matplotlib measures "lp" instead
            return None, None, None
        found = super()._get_font_height_metrics(prop)
        if found[0] is not None:
            return found
        key = (self._rc_key, _font_key(prop))
        cached = _HEIGHTS.get(key)
        if cached is not None:
            return cached
        font = get_font(fontManager._find_fonts_by_props(prop))
        head: Any = font.get_sfnt_table("head")
        tables: tuple[tuple[Any, str, str, str], ...] = (
            (font.get_sfnt_table("OS/2"), "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
            (font.get_sfnt_table("hhea"), "lineGap", "ascent", "descent"))
        for table, gap_key, ascent_key, descent_key in tables:
            if table is None or head is None:
                continue
            # As Text._get_layout with the figure at 72 dpi, as print_pdf draws it.
            scale = 1 / head["unitsPerEm"] * prop.get_size_in_points() * 72 / 72
            return _remember(_HEIGHTS, key, (table[ascent_key] * scale,
                                             -table[descent_key] * scale,
                                             table[gap_key] * scale))
        return found

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
                  ismath: Any = False, mtext: Any = None) -> None:
        plain = (_CACHED_DRAW and not ismath and gc.get_url() is None
                 and not mpl.rcParams["pdf.use14corefonts"]
                 and (mtext is None or (mtext.get_fontfeatures() is None
                                        and mtext.get_language() is None)))
        if not plain:
            super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
            return
        key = (s, self._rc_key, _font_key(prop))
        # The text object's operators depend only on the string and the font (and on this
        # file's font names and subsets): written once per file and string, then copied.
        segments = self.file.__dict__.setdefault("_kcn_text_segments", {})
        segment = segments.get(key)
        if segment is None:
            items = _LAYOUTS.get(key)
            if items is None:
                font = self._get_font_ttf(prop)
                items = _remember(_LAYOUTS, key, [
                    (it.ft_object, it.char, it.glyph_index, it.x, it.y, it.prev_kern)
                    for it in _text_helpers.layout(s, font)])
            segment = segments[key] = self._text_segment(items, prop.get_size_in_points())
        self.check_gc(gc, gc._rgb)
        a = math.radians(angle)
        self.file.write(b"q\n" + _line(math.cos(a), math.sin(a), -math.sin(a), math.cos(a),
                                        x, y, Op.concat_matrix) + segment)

    def _text_segment(self, items: list[tuple], fontsize: float) -> bytes:
        """The bytes matplotlib 3.11's ``RendererPdf.draw_text`` writes for TrueType text
        after its position (``BT`` ... ``ET Q``), from a layout computed before; the glyphs
        are tracked for this file's font subsets as they would be."""
        file = self.file
        fonttype = mpl.rcParams["pdf.fonttype"]
        out: list[bytes] = []
        chunk: list = []  # [kern, char, char, ...] without zero kerns

        def flush() -> None:
            if not chunk:
                return
            out.append(_line([(-1000 * next(group) / fontsize) if kind is float
                              else self._encode_glyphs(group, fonttype)
                              for kind, group in itertools.groupby(chunk, type)],
                             Op.showkern))
            chunk.clear()

        prev_font = None
        prev_start_x = 0
        out.append(_line(Op.begin_text))
        for ft_object, char, glyph_index, ix, iy, prev_kern in items:
            subset, charcode = file._character_tracker.track_glyph(ft_object, char,
                                                                    glyph_index)
            if (ft_object, subset) != prev_font:
                flush()
                name = file.fontName(FontPath(ft_object.fname, ft_object.face_index), subset)
                out.append(_line(name, fontsize, Op.selectfont))
                out.append(_line(ix - prev_start_x, 0, Op.textpos))  # _setup_textpos
                prev_font = (ft_object, subset)
                prev_start_x = ix
            if iy:
                flush()
                out.append(_line(iy, Op.textrise))
            if prev_kern:
                chunk.append(prev_kern)
            chunk.append(charcode)
            if iy:
                flush()
                out.append(_line(0, Op.textrise))
        flush()
        out.append(_line(Op.end_text))
        out.append(_line(Op.grestore))
        return b"".join(out)


def _line(*data: Any) -> bytes:
    """What ``PdfFile.output(*data)`` writes."""
    return _fill([pdfRepr(x) for x in data]) + b"\n"


class SheetCanvas(FigureCanvasPdf):
    """A PDF canvas drawing with :class:`SheetRenderer`; other formats (PNG) go to
    matplotlib's canvas for them as usual."""

    def print_pdf(self, filename: Any, *, bbox_inches_restore: Any = None,
                  metadata: dict | None = None, **_: Any) -> None:
        # matplotlib's FigureCanvasPdf.print_pdf with the renderer swapped.
        dpi = self.figure.dpi
        self.figure.dpi = 72  # there are 72 pdf points to an inch
        width, height = self.figure.get_size_inches()
        if isinstance(filename, PdfPages):
            file = filename._ensure_file()
        else:
            file = PdfFile(filename, metadata=metadata)
        try:
            file.newPage(width, height)
            renderer: Any = MixedModeRenderer(self.figure, width, height, dpi,
                                         SheetRenderer(file, dpi, height, width),
                                         bbox_inches_restore=bbox_inches_restore)
            self.figure.draw(renderer)
            renderer.finalize()
            if not isinstance(filename, PdfPages):
                file.finalize()
        finally:
            if isinstance(filename, PdfPages):  # finish off this page
                file.endStream()
            else:
                file.close()


def sheet_canvas(fig: Figure) -> Figure:
    """Give ``fig`` a :class:`SheetCanvas` (once) and return it."""
    if not isinstance(fig.canvas, SheetCanvas):
        SheetCanvas(fig)
    return fig


def save_page(pdf: PdfPages, fig: Figure) -> None:
    """Add ``fig`` as the next page of ``pdf`` (``PdfPages.savefig`` would force matplotlib's
    own canvas)."""
    target: Any = pdf  # print_pdf takes a PdfPages, as matplotlib's own canvas does
    sheet_canvas(fig).savefig(target, format="pdf")


__all__ = ["SheetCanvas", "SheetRenderer", "save_page", "sheet_canvas"]
