"""Map sheets for planning dossiers: PDF/PNG sheets, atlases, scenario and investor sheets.

Everything is drawn with matplotlib's object API (:class:`matplotlib.figure.Figure`, never
pyplot) in the province's VN-2000 TM-3 CRS, at an exact printed scale, offline.
"""

from .data import SheetData, load_sheet_data, sheet_data_from_plan
from .layout import STANDARD_SCALES, SheetLayout, choose_scale, format_scale
from .sheet import Sheet, render_park_sheet, save_figure, sheet_bytes

__all__ = [
    "STANDARD_SCALES",
    "Sheet",
    "SheetData",
    "SheetLayout",
    "choose_scale",
    "format_scale",
    "load_sheet_data",
    "render_park_sheet",
    "save_figure",
    "sheet_bytes",
    "sheet_data_from_plan",
]
