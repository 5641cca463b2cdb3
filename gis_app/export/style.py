"""Fonts, colours and bilingual labels of the map sheets.

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

from ..i18n import label as code_label
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

#: Every label printed on a sheet, in Vietnamese and English.
LABELS: dict[str, tuple[str, str]] = {
    "agency": ("Ban Quản lý các KCN tỉnh {province}",
               "Industrial Parks Management Board of {province} province"),
    "title_sheet": ("Bản đồ hiện trạng sử dụng đất khu công nghiệp",
                    "Industrial park land-use status map"),
    "title_scenario": ("Bản đồ phương án điều chỉnh quy hoạch", "Planning adjustment scenario map"),
    "title_fact": ("Thông tin lô đất cho nhà đầu tư", "Investor fact sheet: available land"),
    "title_atlas": ("Tập bản đồ các khu công nghiệp", "Atlas of industrial parks"),
    "title_index": ("Mục lục và sơ đồ vị trí", "Index and location map"),
    "park": ("Khu công nghiệp", "Industrial park"),
    "scenario": ("Phương án", "Scenario"),
    "baseline": ("Hiện trạng", "Baseline"),
    "plan_as_of": ("Quy hoạch tại ngày {day}", "Plan as of {day}"),
    "date": ("Ngày lập", "Date"),
    "scale": ("Tỷ lệ", "Scale"),
    "crs": ("Hệ tọa độ VN-2000, kinh tuyến trục {cm}, múi 3° ({epsg})",
            "VN-2000, central meridian {cm}, 3° zone ({epsg})"),
    "crs_note": ("VN-2000, kinh tuyến trục {cm}, múi 3°", "VN-2000, kinh tuyến trục {cm}, múi 3°"),
    "grid_note": ("Lưới tọa độ (m): X hướng Bắc, Y hướng Đông",
                  "Grid in metres: X northing, Y easting"),
    "graticule_note": ("Lưới kinh vĩ độ WGS 84 (tham số EPSG:6960)",
                       "WGS 84 graticule (EPSG:6960 parameters)"),
    "sources": ("Nguồn dữ liệu", "Data sources"),
    "prepared_by": ("Người lập", "Prepared by"),
    "approved_by": ("Người duyệt", "Approved by"),
    "legend": ("Chú giải", "Legend"),
    "inset": ("Vị trí trong tỉnh", "Location in the province"),
    "indicators": ("Chỉ tiêu chính", "Key indicators"),
    "corners": ("Tọa độ điểm góc ranh giới (VN-2000)", "Boundary corner coordinates (VN-2000)"),
    "corners_plot": ("Tọa độ điểm góc lô {plot} (VN-2000)",
                     "Corner coordinates of plot {plot} (VN-2000)"),
    "point": ("Điểm", "Point"),
    "more_points": ("... và {n} điểm khác", "... and {n} more points"),
    "north": ("B", "N"),
    "metres": ("m", "m"),
    "page": ("Trang", "Page"),
    "differences": ("Bảng so sánh", "Differences"),
    "park_boundary": ("Ranh giới KCN", "Park boundary"),
    "other_parks": ("KCN khác", "Other parks"),
    "province_boundary": ("Ranh giới tỉnh", "Province boundary"),
    "roads_rail": ("Quốc lộ, đường sắt", "National roads, rail"),
    "rivers": ("Sông", "Rivers"),
    "communes": ("Ranh giới xã, phường", "Commune boundaries"),
    "wastewater": ("Trạm XLNT tập trung", "Central wastewater plant"),
    "selected": ("Lô được chọn", "Selected plot"),
    "changed": ("Lô thay đổi so với hiện trạng", "Plot changed from the baseline"),
    "more_rows": ("... và {n} dòng khác", "... and {n} more rows"),
    "map_extent": ("Phạm vi tờ bản đồ", "Sheet extent"),
    # indicators
    "kpi_planned_ha": ("Diện tích quy hoạch (ha)", "Planned area (ha)"),
    "kpi_leasable_ha": ("Đất CN cho thuê theo QH (ha)", "Leasable industrial land (ha)"),
    "kpi_leased_ha": ("Đã cho thuê (ha)", "Leased (ha)"),
    "kpi_vacant_ha": ("Còn trống (ha)", "Vacant (ha)"),
    "kpi_occupancy_share": ("Tỷ lệ lấp đầy", "Occupancy (tỷ lệ lấp đầy)"),
    "kpi_n_tenants": ("Số dự án thứ cấp", "Secondary projects"),
    "kpi_status": ("Tình trạng KCN", "Park status"),
    # fact sheet
    "plot": ("Lô", "Plot"),
    "area_ha": ("DT (ha)", "Area (ha)"),
    "land_use": ("Loại đất", "Land use"),
    "ready_built": ("Xưởng sẵn", "Ready-built"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "score": ("Điểm", "Score"),
    # atlas
    "cover_sheets": ("{n} tờ bản đồ khu công nghiệp", "{n} industrial-park sheets"),
    "index_no": ("STT", "No."),
    "index_sheet": ("Tờ", "Sheet"),
}


def label(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang`` with ``{placeholders}`` filled in.

    Data codes (``leased``, ``industrial``, ``operating``) come from :mod:`gis_app.i18n`.
    """
    if key not in LABELS:
        return code_label(key, lang)
    vi, en = LABELS[key]
    text = vi if lang == "vi" else en
    return text.format(**values) if values else text


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
