"""Panel boxes drawn in millimetres: a framed axes whose data units are paper millimetres.

Every piece of sheet furniture (title block, legend, tables, scale bar) is laid out inside a
:class:`~gis_app.export.layout.Box`; working in millimetres keeps text sizes, rules and symbols
predictable on every paper size.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Hashable, Sequence
from weakref import WeakKeyDictionary

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .layout import MM_PER_INCH, PT_PER_INCH, Box, SheetLayout

#: Average glyph width of DejaVu Sans relative to its size (for wrapping).
_GLYPH_WIDTH = 0.56


def pt_to_mm(pt: float) -> float:
    return pt * MM_PER_INCH / PT_PER_INCH


def line_mm(pt: float) -> float:
    """Line spacing for text of ``pt`` points."""
    return 1.35 * pt_to_mm(pt)


def wrap(text: str, width_mm: float, pt: float, *, bold: bool = False) -> list[str]:
    """Break ``text`` into lines that fit ``width_mm`` at ``pt`` points (on spaces only)."""
    glyph = _GLYPH_WIDTH * (1.2 if bold else 1.0) * (1.2 if text.isupper() else 1.0)
    chars = max(8, int(width_mm / (glyph * pt_to_mm(pt))))
    return textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False) or [""]


#: Axes of a recycled figure, by label and position, for :func:`sheet_axes` to take back.
_SPARE: WeakKeyDictionary[Figure, dict[tuple[str, tuple[float, ...]], Axes]] = \
    WeakKeyDictionary()


def _key(name: str, rect: Sequence[float]) -> tuple[str, tuple[float, ...]]:
    return name, tuple(round(float(v), 9) for v in rect)


def recycle(fig: Figure) -> Figure:
    """Empty ``fig`` so that the next sheet of the same layout is drawn on it (an atlas page).

    Building an axes (its axis, ticks, spines) costs more than drawing most panels' contents,
    and every page of an atlas has the same panels: :func:`sheet_axes` hands each axes back,
    emptied, when the next page asks for the same label at the same place, and
    :func:`drop_spare` removes those it did not ask for.
    """
    _SPARE[fig] = {_key(str(ax.get_label()), ax.get_position(original=True).bounds): ax
                   for ax in fig.axes}
    for artist in [*fig.texts, *fig.patches, *fig.lines, *fig.images, *fig.artists]:
        artist.remove()
    return fig


def drop_spare(fig: Figure) -> None:
    """Remove the recycled axes the new page did not use."""
    for ax in _SPARE.pop(fig, {}).values():
        fig.delaxes(ax)


#: What a panel drawn by :func:`kept_panel` shows (its ``content`` key).
_CONTENT: WeakKeyDictionary[Axes, Hashable] = WeakKeyDictionary()


def _take_spare(fig: Figure, rect: tuple[float, float, float, float], name: str
                ) -> Axes | None:
    ax = _SPARE.get(fig, {}).pop(_key(name, rect), None)
    if ax is not None:
        _CONTENT.pop(ax, None)
        for artists in (ax.texts, ax.patches, ax.lines, ax.collections, ax.images,
                        ax.artists, ax.tables):
            for artist in list(artists):
                artist.remove()
    return ax


def sheet_axes(fig: Figure, rect: tuple[float, float, float, float], name: str) -> Axes:
    """An axes at ``rect`` (figure fractions) labelled ``name``: the recycled one, emptied,
    if the figure had it (see :func:`recycle`), else a new one."""
    ax = _take_spare(fig, rect, name)
    return fig.add_axes(rect, label=name) if ax is None else ax


def panel_axes(fig: Figure, layout: SheetLayout, box: Box, *, name: str,
               border: bool = True) -> Axes:
    """An axes over ``box`` with data coordinates in mm from the box's lower-left corner.

    A recycled panel (see :func:`recycle`) is already set up: it is returned emptied.
    """
    rect = box.fraction(*layout.paper_mm)
    ax = _take_spare(fig, rect, name)
    if ax is not None:
        return ax
    ax = fig.add_axes(rect, label=name)
    ax.set_xlim(0, box.w)
    ax.set_ylim(0, box.h)
    ax.set_xticks([])
    ax.set_yticks([])
    # Without ticks an axis draws nothing, yet laying out its (empty) ticks, label and
    # offset text on every save cost 13 ms of a sheet's 90: the frame is the spines.
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
    ax.set_autoscale_on(False)
    for spine in ax.spines.values():
        spine.set_visible(border)
        spine.set_linewidth(0.6)
    ax.patch.set_alpha(0.0 if not border else 1.0)
    return ax


def kept_panel(fig: Figure, layout: SheetLayout, box: Box, *, name: str,
               content: Hashable) -> tuple[Axes, bool]:
    """:func:`panel_axes` for a panel whose drawing depends only on ``content``: when the
    recycled figure's panel of that name and place last showed the same ``content``, it is
    handed back as it was drawn, ``(axes, True)``; otherwise ``(emptied or new axes, False)``
    and the caller draws it.

    The sources, signatures and (mostly) the legend of an atlas's sheets are the same on
    every page: their text is laid out once, not once per page.
    """
    rect = box.fraction(*layout.paper_mm)
    spare = _SPARE.get(fig, {})
    ax = spare.get(_key(name, rect))
    if ax is not None and _CONTENT.get(ax) == content:
        del spare[_key(name, rect)]
        return ax, True
    ax = panel_axes(fig, layout, box, name=name)
    _CONTENT[ax] = content
    return ax, False


def write_lines(ax: Axes, lines: Sequence[tuple[str, float, str]], *, x: float, top: float,
                ha: str = "left", width_mm: float | None = None) -> float:
    """Write ``(text, pt, weight)`` lines downwards from ``top``; wraps when ``width_mm`` given.

    Returns the y (mm) below the last line.
    """
    y = top
    for text, pt, weight in lines:
        pieces = wrap(text, width_mm, pt, bold=weight == "bold") if width_mm else [text]
        for piece in pieces:
            y -= line_mm(pt)
            ax.text(x, y, piece, fontsize=pt, fontweight=weight, ha=ha, va="baseline")
    return y


def fit_lines(lines: Sequence[tuple[str, float, str]], width_mm: float, height_mm: float
              ) -> list[tuple[str, float, str]]:
    """``lines`` with their sizes scaled down (never up) so that, wrapped, they fit the box."""
    def needed(scale: float) -> float:
        return sum(line_mm(pt * scale) * len(wrap(text, width_mm, pt * scale,
                                                  bold=weight == "bold"))
                   for text, pt, weight in lines)

    scale = 1.0
    while scale > 0.4 and needed(scale) > height_mm:
        scale *= 0.93
    return [(text, pt * scale, weight) for text, pt, weight in lines]


def draw_table(ax: Axes, box: Box, *, title: str, header: Sequence[str] | None,
               rows: Sequence[Sequence[str]], widths: Sequence[float], pt: float,
               aligns: Sequence[str] | None = None,
               more_note: str | Callable[[int], str] | None = None) -> int:
    """A ruled table inside ``ax`` (a panel axes over ``box``); returns the rows drawn.

    Rows that do not fit are left out and ``more_note`` (with ``{n}``, or a function of the
    count for a plural message) says how many.
    """
    pad = 1.5
    ncol = len(widths)
    aligns = list(aligns or ["left"] + ["right"] * (ncol - 1))
    total = sum(widths)
    usable = box.w - 2 * pad
    edges = [pad]
    for w in widths:
        edges.append(edges[-1] + usable * w / total)
    row_h = line_mm(pt) * 1.15
    y = box.h - pad - line_mm(pt * 1.1)
    ax.text(pad, y, title, fontsize=pt * 1.1, fontweight="bold", va="baseline")
    y -= pad

    def put(cells: Sequence[str], y_top: float, weight: str) -> None:
        base = y_top - row_h + 0.3 * row_h
        for cell, align, left, right in zip(cells, aligns, edges[:-1], edges[1:], strict=True):
            x = {"left": left + 0.6, "right": right - 0.6, "center": (left + right) / 2}[align]
            ax.text(x, base, cell, fontsize=pt, fontweight=weight, ha=align, va="baseline")

    ax.plot([pad, box.w - pad], [y, y], color="black", linewidth=0.6)
    if header:
        put(header, y, "bold")
        y -= row_h
    ax.plot([pad, box.w - pad], [y, y], color="black", linewidth=0.4)
    capacity = max(0, int((y - pad - (row_h if more_note else 0)) / row_h))
    shown = list(rows) if len(rows) <= capacity else list(rows)[: max(0, capacity - 1)]
    for cells in shown:
        put(cells, y, "normal")
        y -= row_h
        ax.plot([pad, box.w - pad], [y, y], color="#999999", linewidth=0.2)
    if len(shown) < len(rows) and more_note:
        hidden = len(rows) - len(shown)
        note = more_note(hidden) if callable(more_note) else more_note.format(n=hidden)
        ax.text(pad, y - row_h + 0.3 * row_h, note,
                fontsize=pt * 0.9, style="italic", va="baseline")
    return len(shown)
