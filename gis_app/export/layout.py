"""The geometry of a map sheet on paper: paper sizes, the map frame in millimetres and the scale.

Everything here is pure arithmetic on millimetres and metres, so that the printed scale can be
checked without drawing anything: a map frame ``w`` mm wide at scale 1:``D`` shows exactly
``w * D / 1000`` metres of ground.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, TypeGuard, get_args

from ..errors import ExportError

Paper = Literal["A4", "A3", "A1"]
Orientation = Literal["landscape", "portrait"]
Lang = Literal["vi", "en"]


def is_lang(lang: str) -> TypeGuard[Lang]:
    """Whether ``lang`` is a language a sheet is printed in (a caller's ``str`` is then a
    :data:`Lang`)."""
    return lang in get_args(Lang)


#: ISO 216 paper sizes in millimetres, portrait (short side, long side).
PAPER_MM: dict[Paper, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "A3": (297.0, 420.0),
    "A1": (594.0, 841.0),
}

#: The scales a planning dossier may state (denominators).
STANDARD_SCALES: tuple[int, ...] = (1_000, 2_000, 5_000, 10_000, 25_000)

#: Further rounded scales, used only when fitting a large extent (a whole province).
FIT_SCALES: tuple[int, ...] = STANDARD_SCALES + (
    50_000, 100_000, 200_000, 250_000, 500_000, 1_000_000,
)

#: Base font size (points) per paper: larger sheets are read from further away.
FONT_PT: dict[str, float] = {"A4": 5.5, "A3": 7.0, "A1": 11.0}

#: Width of the side panel (landscape) or height of the bottom panel (portrait), in mm.
PANEL_MM: dict[str, dict[str, float]] = {
    "landscape": {"A4": 78.0, "A3": 108.0, "A1": 200.0},
    "portrait": {"A4": 92.0, "A3": 130.0, "A1": 250.0},
}

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0

#: Share of the frame left free around the features when fitting the scale.
FIT_PADDING = 0.06


@dataclass(frozen=True)
class Box:
    """A rectangle on paper in millimetres from the sheet's lower-left corner."""

    x: float
    y: float
    w: float
    h: float

    def fraction(self, paper_w: float, paper_h: float) -> tuple[float, float, float, float]:
        """The rectangle as figure fractions ``(left, bottom, width, height)``."""
        return (self.x / paper_w, self.y / paper_h, self.w / paper_w, self.h / paper_h)

    def split_h(self, weights: list[float], gap: float) -> list[Box]:
        """Stack boxes top-down with heights proportional to ``weights``."""
        usable = self.h - gap * (len(weights) - 1)
        total = sum(weights)
        out, top = [], self.y + self.h
        for weight in weights:
            h = usable * weight / total
            out.append(Box(self.x, top - h, self.w, h))
            top -= h + gap
        return out

    def split_w(self, weights: list[float], gap: float) -> list[Box]:
        """Side-by-side boxes with widths proportional to ``weights``."""
        usable = self.w - gap * (len(weights) - 1)
        total = sum(weights)
        out, left = [], self.x
        for weight in weights:
            w = usable * weight / total
            out.append(Box(left, self.y, w, self.h))
            left += w + gap
        return out


@dataclass(frozen=True)
class SheetLayout:
    """How one map sheet is laid out and what it shows.

    Parameters
    ----------
    paper, orientation
        ISO paper (A4, A3, A1) and its orientation.
    scale
        The denominator of the printed scale (1:``scale``), one of :data:`STANDARD_SCALES`;
        ``None`` fits the extent and rounds up to the next standard scale.
    margins_mm
        Blank paper around everything, ``(top, right, bottom, left)``.
    lang
        ``"vi"`` or ``"en"`` for every label on the sheet.
    graticule
        Draw a latitude/longitude graticule (WGS 84, through the pinned EPSG:6960 operation).
    corner_table
        Number the boundary vertices on the map and list their VN-2000 X/Y in a table.
    corner_plot
        With ``corner_table``, the plot whose corners are listed (default: the park boundary).
    title
        Sheet title; ``None`` uses the default title of the sheet kind.
    prepared_by, approved_by
        Names printed in the signature boxes (left blank for a wet signature).

    Examples
    --------
    >>> SheetLayout(paper="A3", scale=5000).paper_mm
    (420.0, 297.0)
    """

    paper: Paper = "A3"
    orientation: Orientation = "landscape"
    scale: int | None = None
    margins_mm: tuple[float, float, float, float] = (10.0, 10.0, 10.0, 15.0)
    lang: Lang = "vi"
    graticule: bool = False
    corner_table: bool = False
    corner_plot: str | None = None
    title: str | None = None
    prepared_by: str = ""
    approved_by: str = ""
    dpi: int = 200

    def __post_init__(self) -> None:
        if self.paper not in PAPER_MM:
            raise ExportError(f"paper {self.paper!r} is not one of {', '.join(PAPER_MM)}")
        if self.orientation not in ("landscape", "portrait"):
            raise ExportError(f"orientation {self.orientation!r} is not landscape or portrait")
        if self.scale is not None and self.scale not in STANDARD_SCALES:
            allowed = ", ".join(f"1:{s:,}" for s in STANDARD_SCALES)
            raise ExportError(f"scale 1:{self.scale} is not a standard scale ({allowed})")
        if self.lang not in ("vi", "en"):
            raise ExportError(f"language {self.lang!r} is not 'vi' or 'en'")
        if len(self.margins_mm) != 4 or min(self.margins_mm) < 0:
            raise ExportError(f"margins {self.margins_mm!r} must be four non-negative mm values")

    @property
    def paper_mm(self) -> tuple[float, float]:
        """(width, height) of the sheet in millimetres."""
        short, long = PAPER_MM[self.paper]
        return (long, short) if self.orientation == "landscape" else (short, long)

    @property
    def figsize_in(self) -> tuple[float, float]:
        w, h = self.paper_mm
        return (w / MM_PER_INCH, h / MM_PER_INCH)

    @property
    def font_pt(self) -> float:
        return FONT_PT[self.paper]

    @property
    def label_room_mm(self) -> float:
        """Space outside the map frame for the grid labels."""
        return 3.2 * self.font_pt * MM_PER_INCH / PT_PER_INCH + 1.5


def choose_scale(extent_w_m: float, extent_h_m: float, frame_w_mm: float, frame_h_mm: float,
                 *, scales: tuple[int, ...] = FIT_SCALES) -> int:
    """The smallest rounded scale at which an extent (plus padding) fits the frame.

    >>> choose_scale(800.0, 400.0, 250.0, 200.0)
    5000
    """
    need = max(extent_w_m / frame_w_mm, extent_h_m / frame_h_mm) * 1000.0 * (1 + 2 * FIT_PADDING)
    for denominator in scales:
        if denominator >= need:
            return denominator
    raise ExportError(
        f"the extent {extent_w_m:,.0f} m x {extent_h_m:,.0f} m does not fit a "
        f"{frame_w_mm:.0f} x {frame_h_mm:.0f} mm frame even at 1:{scales[-1]:,}"
    )


def ground_window(center: tuple[float, float], frame: Box, denominator: int
                  ) -> tuple[float, float, float, float]:
    """The ground rectangle ``(xmin, ymin, xmax, ymax)`` shown by ``frame`` at 1:denominator."""
    half_w = frame.w * denominator / 1000.0 / 2.0
    half_h = frame.h * denominator / 1000.0 / 2.0
    cx, cy = center
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def nice_step(span: float, *, target: int = 5) -> float:
    """A 1-2-2.5-5 x 10^n step giving about ``target`` intervals over ``span``.

    >>> nice_step(1000.0)
    200.0
    """
    if span <= 0:
        raise ExportError("cannot choose a step for an empty span")
    raw = span / target
    power = 10 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * power >= raw:
            return m * power
    return 10.0 * power


def format_int(value: float) -> str:
    """Thousands separated by a space, as Vietnamese surveying tables print them.

    >>> format_int(2335000)
    '2 335 000'
    """
    return f"{value:,.0f}".replace(",", " ")


def format_scale(denominator: int) -> str:
    """``1:5 000``: the numeric scale as printed on the sheet."""
    return f"1:{format_int(denominator)}"
