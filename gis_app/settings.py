"""Typed defaults shared by every part of KCN-GIS.

Everything a board may want to tune (thresholds, destinations, colours) lives here as plain,
documented module constants, so that the analytics, the viewer and the map sheets agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Folder with the shipped GeoPackages (one file per province), next to the package.
LAYERS_DIR = Path(__file__).resolve().parent.parent / "layers"


@dataclass(frozen=True)
class Province:
    """A province as the product knows it (after the 1 July 2025 merger)."""

    key: str  #: file stem, ASCII: ``bac_ninh``
    code: str  #: GSO code of the 2025 province
    name_vi: str
    name_en: str
    epsg: int  #: VN-2000 TM-3 zone with the province's central meridian
    central_meridian: float
    legacy_provinces: tuple[str, ...]  #: provinces merged into it on 1 July 2025

    @property
    def crs(self) -> str:
        return f"EPSG:{self.epsg}"

    @property
    def default_path(self) -> Path:
        return LAYERS_DIR / f"{self.key}.gpkg"


#: VN-2000 TM-3 zones: Bắc Ninh 105°30' (EPSG:9209), Ninh Bình 105°00' (EPSG:5897).
PROVINCES: dict[str, Province] = {
    "bac_ninh": Province(
        "bac_ninh", "24", "Bắc Ninh", "Bac Ninh", 9209, 105.5, ("Bắc Ninh", "Bắc Giang")
    ),
    "ninh_binh": Province(
        "ninh_binh", "37", "Ninh Bình", "Ninh Binh", 5897, 105.0,
        ("Ninh Bình", "Hà Nam", "Nam Định"),
    ),
}

#: WGS 84 <-> VN-2000 must use the official 7-parameter set (EPSG:6960, "VN-2000 to WGS 84 (2)",
#: Circular 973/2001/TT-TCĐC); PROJ's default choice is not trusted.
VN2000_TO_WGS84_OPERATION = "VN-2000 to WGS 84 (2)"
VN2000_GEOGRAPHIC_EPSG = 4756

#: Land uses whose plots are "đất công nghiệp cho thuê" (leasable industrial land).
LEASABLE_LAND_USES: tuple[str, ...] = ("industrial", "warehouse_logistics")

#: Geometry tolerance in m²: slivers smaller than this are rounding, not overlaps.
AREA_TOLERANCE_M2 = 1.0

#: Exchange rate used to express VND-published figures in USD (an assumption, stated in reports).
VND_PER_USD = 24_000.0

#: The notice shown wherever the shipped sample data appears.
ILLUSTRATIVE_NOTICE_VI = (
    "Dữ liệu minh họa: tên KCN và số liệu tổng hợp đã công bố là thật; ranh giới KCN, phân khu, "
    "lô đất và doanh nghiệp do phần mềm sinh ra."
)
ILLUSTRATIVE_NOTICE_EN = (
    "Illustrative data: park names and published totals are real; park outlines, zoning, plots "
    "and tenants are generated."
)

#: Attribution line for the reference layers (from shared/data/reference/README.md).
REFERENCE_ATTRIBUTION = (
    "Administrative boundaries: sapnhap.bando.com.vn via thanglequoc/vietnamese-provinces-database "
    "(MIT); roads: CTU-SematX/LegoCity (CC BY-SA 4.0); rivers: Natural Earth; KCN locations "
    "partly © OpenStreetMap contributors (ODbL)."
)
#: The same credits in Vietnamese (the viewer's footer speaks the reader's language only).
REFERENCE_ATTRIBUTION_VI = (
    "Ranh giới hành chính: sapnhap.bando.com.vn qua thanglequoc/vietnamese-provinces-database "
    "(MIT); đường giao thông: CTU-SematX/LegoCity (CC BY-SA 4.0); sông ngòi: Natural Earth; "
    "vị trí KCN một phần © những người đóng góp OpenStreetMap (ODbL)."
)
