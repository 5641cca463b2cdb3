"""Fonts and colours of the map sheets (their words are in the gettext catalogue, keys `sheet.*`).

The sheets embed "KCN Sheet Sans", a subset of DejaVu Sans shipped in ``gis_app/assets/fonts``
with its licence (``subset_fonts.py`` there rebuilds it), as TrueType (``pdf.fonttype`` 42) so
that every Vietnamese diacritic is drawn and a PDF reader can extract the real text;
matplotlib's default Type 3 fonts would lose it. The pre-cut subset keeps the per-PDF font
subsetting cheap, and its own family name guarantees that the shipped file is the one used.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

from ..symbology import LAND_USE_COLOURS, PLOT_STATUS_COLOURS

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT_FILES = ("KCNSheetSans.ttf", "KCNSheetSans-Bold.ttf")
FONT_FAMILY = "KCN Sheet Sans"


@cache
def register_fonts() -> str:
    """Add the shipped fonts to matplotlib's font manager (once) and return their family."""
    for name in FONT_FILES:
        font_manager.fontManager.addfont(str(FONT_DIR / name))
    return FONT_FAMILY


@contextlib.contextmanager
def sheet_style() -> Iterator[None]:
    """rcParams for building and saving a sheet: the shipped font, embedded as TrueType.

    Wrap both the drawing and the saving: tick labels take their font when they are drawn.
    Text is never parsed as mathtext: a park or tenant named ``$x$`` or ``$\\frac{`` is
    printed as typed, not typeset or refused.
    """
    family = register_fonts()
    with mpl.rc_context({
        "font.family": "sans-serif",
        "font.sans-serif": [family],
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "none",
        "axes.unicode_minus": False,
        "hatch.linewidth": 0.4,
        "text.parse_math": False,
    }):
        yield


#: One palette with the viewer and the QGIS styles (see :mod:`gis_app.symbology`).
STATUS_COLORS: dict[str, str] = dict(PLOT_STATUS_COLOURS)
ZONE_COLORS: dict[str, str] = dict(LAND_USE_COLOURS)

PARK_EDGE = "#b2182b"
CONTEXT_GREY = "#9a9a9a"

def dms(degrees: float, *, seconds: bool = False) -> str:
    """An angle as ``105°30′`` (or ``105°30′00″``), the way the CRS note writes it.

    >>> dms(105.5)
    '105°30′'
    """
    sign = "-" if degrees < 0 else ""
    total = round(abs(degrees) * (3600 if seconds else 60))
    if seconds:
        d, rest = divmod(total, 3600)
        m, s = divmod(rest, 60)
        return f"{sign}{d}°{m:02d}′{s:02d}″"
    d, m = divmod(total, 60)
    return f"{sign}{d}°{m:02d}′"
