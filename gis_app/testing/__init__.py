"""Small hand-computable plans for tests, notebooks and doctests.

``tiny_plan()`` is one 200 m x 100 m park (2 ha) in Bắc Ninh's VN-2000 zone, cut into four
50 m x 100 m plots of 0.5 ha each:

=====  ==============  ===========  =======================
plot   land use        status       project
=====  ==============  ===========  =======================
A1     industrial      leased       T1 (operating)
A2     industrial      leased       T1 (the project spans A1 and A2)
A3     industrial      vacant       (ready-built factory)
A4     warehouse_...   leased       T2 (behind schedule)
=====  ==============  ===========  =======================

So leasable land is 2.0 ha, leased 1.5 ha and occupancy 75 %. The park has one operating
wastewater plant of 1,000 m³/day carrying 600 m³/day.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from ..model.plan import Plan
from ..settings import PROVINCES

#: Origin of the fixture in EPSG:9209 (a point near Bắc Ninh city).
ORIGIN = (550_000.0, 2_335_000.0)


def _box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    ox, oy = ORIGIN
    return shapely.box(ox + x0, oy + y0, ox + x1, oy + y1)


def tiny_plan() -> Plan:
    crs = PROVINCES["bac_ninh"].crs
    parks = gpd.GeoDataFrame(
        {
            "park_code": ["P1"],
            "name_vi": ["KCN Thử nghiệm"],
            "name_en": ["Test Park"],
            "province": ["Bắc Ninh"],
            "legacy_province": ["Bắc Ninh"],
            "status": ["operating"],
            "planned_area_ha": [2.0],
            "established_area_ha": [2.0],
            "leasable_area_ha": [2.0],
            "cleared_area_ha": [2.0],
            "developer": ["Công ty Hạ tầng Thử"],
            "decision_no": ["1/QĐ-TTg"],
            "decision_date": pd.to_datetime(["2010-01-01"]),
            "established_year": pd.array([2010], dtype="Int64"),
            "area_source": ["test fixture"],
        },
        geometry=[_box(0, 0, 200, 100)],
        crs=crs,
    )
    zones = gpd.GeoDataFrame(
        {"zone_id": ["Z1", "Z2"], "park_code": ["P1", "P1"],
         "land_use": ["industrial", "warehouse_logistics"]},
        geometry=[_box(0, 0, 150, 100), _box(150, 0, 200, 100)],
        crs=crs,
    )
    plots = gpd.GeoDataFrame(
        {
            "plot_code": ["A1", "A2", "A3", "A4"],
            "park_code": ["P1"] * 4,
            "land_use": ["industrial", "industrial", "industrial", "warehouse_logistics"],
            "status": ["leased", "leased", "vacant", "leased"],
            "ready_built_factory": [False, False, True, False],
            "area_ha": [0.5, 0.5, 0.5, 0.5],
        },
        geometry=[_box(50 * i, 0, 50 * (i + 1), 100) for i in range(4)],
        crs=crs,
    )
    tenants = pd.DataFrame(
        {
            "project_id": ["T1", "T2"],
            "park_code": ["P1", "P1"],
            "project_type": ["secondary", "secondary"],
            "investor": ["Alpha Electronics", "Beta Logistics"],
            "country": ["KR", "VN"],
            "sector": ["electronics", "logistics"],
            "registered_capital_usd": [10_000_000.0, 2_000_000.0],
            "realised_capital_usd": [8_000_000.0, 500_000.0],
            "lease_start": pd.to_datetime(["2012-03-01", "2020-06-01"]),
            "lease_end": pd.to_datetime(["2058-01-01", "2058-01-01"]),
            "project_status": ["operating", "behind_schedule"],
            "employees": pd.array([400, 10], dtype="Int64"),
            "revenue_usd": [30_000_000.0, None],
            "exports_usd": [25_000_000.0, None],
            "budget_contribution_usd": [1_000_000.0, None],
            "reporting_year": pd.array([2023, 2023], dtype="Int64"),
        }
    )
    tenant_plots = pd.DataFrame({"plot_code": ["A1", "A2", "A4"], "project_id": ["T1", "T1", "T2"]})
    plants = gpd.GeoDataFrame(
        {
            "plant_id": ["W1"],
            "park_code": ["P1"],
            "name_vi": ["Trạm XLNT KCN Thử nghiệm"],
            "design_capacity_m3_day": [1000.0],
            "current_load_m3_day": [600.0],
            "status": ["operating"],
            "auto_monitoring": [True],
        },
        geometry=[shapely.Point(ORIGIN[0] + 190, ORIGIN[1] + 5)],
        crs=crs,
    )
    return Plan.from_layers(
        {"parks": parks, "zones": zones, "plots": plots, "tenants": tenants,
         "tenant_plots": tenant_plots, "wastewater_plants": plants}
    )
