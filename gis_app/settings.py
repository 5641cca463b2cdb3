"""Typed defaults shared by every part of KCN-GIS.

Everything a board may want to tune (thresholds, destinations, colours) lives here as plain,
documented module constants, so that the analytics, the viewer and the map sheets agree.
"""

from __future__ import annotations

from .model.crs import VN2000_GEOGRAPHIC_EPSG, VN2000_TO_WGS84_OPERATION
from .registry import LAYERS_DIR, Province
from .registry import registry as _registry

__all__ = ["LAYERS_DIR", "PROVINCES", "VN2000_GEOGRAPHIC_EPSG", "VN2000_TO_WGS84_OPERATION",
           "Province"]

#: The provinces with a shipped illustrative sample file (``layers/<key>.gpkg``).
SAMPLE_PROVINCES: tuple[str, ...] = ("bac_ninh", "ninh_binh")

#: The sample provinces, from the national registry (data/reference/national/): Bắc Ninh kept
#: in 105°30' (EPSG:9209), Ninh Bình in 105°00' (EPSG:5897). Every one of the 34 provinces is in
#: :func:`gis_app.registry.registry`; a key of it names a file made with ``kcn-gis init``.
PROVINCES: dict[str, Province] = {key: _registry()[key] for key in SAMPLE_PROVINCES}

#: Land uses whose plots are "đất công nghiệp cho thuê" (leasable industrial land).
LEASABLE_LAND_USES: tuple[str, ...] = ("industrial", "warehouse_logistics")

#: Geometry tolerance in m²: slivers smaller than this are rounding, not overlaps.
AREA_TOLERANCE_M2 = 1.0

#: Exchange rate used to express VND-published figures in USD (an assumption, stated in reports).
VND_PER_USD = 24_000.0

#: The notice shown wherever the shipped sample data appears. The pages, sheets and fact sheets
#: show the catalogue's ``notice.illustrative``; these two are the texts the sample generator
#: writes into each file's ``dataset_info`` (both languages at once, at build time), kept equal
#: to the catalogue's by tests/test_catalogue.py.
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

#: The credits as the sample's ``dataset_info`` and the sheets state them (English). The
#: viewer's footer shows the catalogue's ``notice.attribution`` in the reader's language; its
#: English text is kept equal to this one by tests/test_catalogue.py.
REFERENCE_ATTRIBUTION = (
    "Administrative boundaries: sapnhap.bando.com.vn via thanglequoc/vietnamese-provinces-database "
    "(MIT); roads: CTU-SematX/LegoCity (CC BY-SA 4.0); rivers: Natural Earth; KCN locations "
    "partly © OpenStreetMap contributors (ODbL)."
)
