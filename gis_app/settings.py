"""Typed defaults shared by every part of KCN-GIS.

Everything a board may want to tune (thresholds, destinations, colours) lives here as plain,
documented module constants, so that the analytics, the viewer and the map sheets agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .registry import LegacyZone

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
    #: each legacy province with the TM-3 zone its drawings use (the file's zone's first)
    legacy_zones: tuple[LegacyZone, ...] = ()
    #: why the file is kept in ``epsg`` (no published decision gives merged provinces one zone)
    zone_reason_vi: str = ""
    zone_reason_en: str = ""

    @property
    def crs(self) -> str:
        return f"EPSG:{self.epsg}"

    @property
    def default_path(self) -> Path:
        return LAYERS_DIR / f"{self.key}.gpkg"


#: The provinces with a shipped illustrative sample file (``layers/<key>.gpkg``).
SAMPLE_PROVINCES: tuple[str, ...] = ("bac_ninh", "ninh_binh")

#: The sample provinces, from the national registry (data/reference/national/): Bắc Ninh kept
#: in 105°30' (EPSG:9209), Ninh Bình in 105°00' (EPSG:5897). Every one of the 34 provinces is in
#: :func:`gis_app.registry.registry`; a key of it names a file made with ``kcn-gis init``.
from .registry import registry as _registry  # noqa: E402  (needs Province, defined above)

PROVINCES: dict[str, Province] = {key: _registry()[key] for key in SAMPLE_PROVINCES}

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

#: The notice of a file a board made with ``kcn-gis init`` and fills with its own records.
REAL_DATA_NOTICE_VI = "Dữ liệu thật, do Ban quản lý các KCN nhập."
REAL_DATA_NOTICE_EN = "Real data, entered by the industrial-park management board."

#: Attribution of the national reference (data/reference/national/README.md), carried into
#: every file made with ``kcn-gis init``.
NATIONAL_ATTRIBUTION = (
    "Administrative boundaries: sapnhap.bando.com.vn via thanglequoc/vietnamese-provinces-database "
    "(MIT); roads: CTU-SematX/LegoCity (CC BY-SA 4.0); VN-2000 central meridians: Thông tư "
    "973/2001/TT-TCĐC as transcribed by rtk.com.vn / viet-thanh.vn, and the EPSG Geodetic "
    "Parameter Dataset."
)

#: Attribution line for the reference layers (from shared/data/reference/README.md).
#: (source, licence, attribution) of the 2025 boundaries and of the national roads and rail,
#: as the ``layer_sources`` tables of the sample and of ``kcn-gis init`` state them.
ADMIN_BOUNDARY_SOURCE = (
    "sapnhap.bando.com.vn via thanglequoc/vietnamese-provinces-database (commit cd580632)",
    "MIT; upstream terms of bando.com.vn unverified",
    "sapnhap.bando.com.vn; thanglequoc/vietnamese-provinces-database (MIT)")
ROADS_RAIL_SOURCE = ("CTU-SematX/LegoCity opendata/giaothong (commit a1aabc7)", "CC BY-SA 4.0",
                     "CTU-SematX/LegoCity (CC BY-SA 4.0)")

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
