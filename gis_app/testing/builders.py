"""Build small plans from compact specs, for hand-computable tests and property tests.

Every park is a ``width_m`` x 100 m rectangle; parks sit side by side along the x axis with
1 km between them, in Bắc Ninh's VN-2000 zone. Plots and zones are full-height strips
``[x0, x1]`` inside their park, so a strip 50 m wide is exactly 0.5 ha and every expected
value can be worked out on paper. Complements :func:`gis_app.testing.tiny_plan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from ..model.plan import Plan
from ..model.schema import SCHEMAS
from ..settings import PROVINCES

ORIGIN = (560_000.0, 2_340_000.0)
PARK_HEIGHT_M = 100.0
GAP_M = 1_000.0


@dataclass(frozen=True)
class PlotSpec:
    code: str
    x0: float
    x1: float
    land_use: str = "industrial"
    status: str = "vacant"
    rbf: bool = False


@dataclass(frozen=True)
class TenantSpec:
    project_id: str
    plots: tuple[str, ...] = ()
    status: str = "operating"
    project_type: str = "secondary"
    sector: str = "electronics"
    registered: float | None = None
    realised: float | None = None
    revenue: float | None = None
    exports: float | None = None
    budget: float | None = None
    employees: int | None = None
    lease_start: str | None = None
    lease_end: str | None = None


@dataclass(frozen=True)
class PlantSpec:
    plant_id: str
    capacity: float
    load: float | None = None
    status: str = "operating"
    monitoring: bool = True


@dataclass(frozen=True)
class ParkSpec:
    code: str
    width_m: float
    status: str = "operating"
    legacy_province: str = "Bắc Ninh"
    province: str = "Bắc Ninh"
    planned_ha: float | None = None  #: default: the outline's area
    established_ha: float | None = None  #: default: planned if established, else 0
    leasable_attr_ha: float | None = None
    cleared_attr_ha: float | None = None
    plots: tuple[PlotSpec, ...] = ()
    zones: tuple[tuple[str, float, float], ...] = ()  #: (land_use, x0, x1)
    tenants: tuple[TenantSpec, ...] = ()
    plants: tuple[PlantSpec, ...] = ()


def _strip(x_offset: float, x0: float, x1: float) -> shapely.Polygon:
    ox, oy = ORIGIN
    return shapely.box(ox + x_offset + x0, oy, ox + x_offset + x1, oy + PARK_HEIGHT_M)


def build_plan(parks: Sequence[ParkSpec], crs: str | None = None) -> Plan:
    """A :class:`Plan` of ``parks`` laid out side by side (see the module docstring)."""
    crs = crs or PROVINCES["bac_ninh"].crs
    park_rows, zone_rows, plot_rows, tenant_rows, link_rows, plant_rows = [], [], [], [], [], []
    offset = 0.0
    for p in parks:
        outline = _strip(offset, 0.0, p.width_m)
        planned = p.planned_ha if p.planned_ha is not None else p.width_m * PARK_HEIGHT_M / 1e4
        established = p.established_ha if p.established_ha is not None else (
            planned if p.status in ("established", "operating") else 0.0)
        park_rows.append({
            "park_code": p.code, "name_vi": f"KCN {p.code}", "name_en": f"{p.code} Park",
            "province": p.province, "legacy_province": p.legacy_province, "status": p.status,
            "planned_area_ha": planned, "established_area_ha": established,
            "leasable_area_ha": p.leasable_attr_ha, "cleared_area_ha": p.cleared_attr_ha,
            "developer": None, "decision_no": None, "decision_date": None,
            "established_year": None, "area_source": "test builder", "geometry": outline,
        })
        for i, (use, x0, x1) in enumerate(p.zones):
            zone_rows.append({"zone_id": f"{p.code}-Z{i + 1}", "park_code": p.code,
                              "land_use": use, "geometry": _strip(offset, x0, x1)})
        for s in p.plots:
            plot_rows.append({
                "plot_code": s.code, "park_code": p.code, "land_use": s.land_use,
                "status": s.status, "ready_built_factory": s.rbf,
                "area_ha": (s.x1 - s.x0) * PARK_HEIGHT_M / 1e4,
                "geometry": _strip(offset, s.x0, s.x1),
            })
        for t in p.tenants:
            tenant_rows.append({
                "project_id": t.project_id, "park_code": p.code, "project_type": t.project_type,
                "investor": f"Investor {t.project_id}", "country": "Việt Nam",
                "sector": t.sector, "registered_capital_usd": t.registered,
                "realised_capital_usd": t.realised, "lease_start": t.lease_start,
                "lease_end": t.lease_end, "project_status": t.status,
                "employees": t.employees, "revenue_usd": t.revenue, "exports_usd": t.exports,
                "budget_contribution_usd": t.budget, "reporting_year": 2023,
            })
            link_rows += [{"plot_code": c, "project_id": t.project_id} for c in t.plots]
        for w in p.plants:
            ox, oy = ORIGIN
            plant_rows.append({
                "plant_id": w.plant_id, "park_code": p.code, "name_vi": f"Trạm {w.plant_id}",
                "design_capacity_m3_day": w.capacity, "current_load_m3_day": w.load,
                "status": w.status, "auto_monitoring": w.monitoring,
                "geometry": shapely.Point(ox + offset + 1.0, oy + 1.0),
            })
        offset += p.width_m + GAP_M

    def geo(rows: list[dict], columns: list[str]) -> gpd.GeoDataFrame:
        frame = pd.DataFrame(rows, columns=[*columns, "geometry"])
        return gpd.GeoDataFrame(frame, geometry="geometry", crs=crs)

    return Plan.from_layers({
        "parks": geo(park_rows, SCHEMAS["parks"].column_names),
        "zones": geo(zone_rows, SCHEMAS["zones"].column_names),
        "plots": geo(plot_rows, SCHEMAS["plots"].column_names),
        "tenants": pd.DataFrame(tenant_rows, columns=SCHEMAS["tenants"].column_names),
        "tenant_plots": pd.DataFrame(link_rows, columns=SCHEMAS["tenant_plots"].column_names),
        "wastewater_plants": geo(plant_rows, SCHEMAS["wastewater_plants"].column_names),
    })
