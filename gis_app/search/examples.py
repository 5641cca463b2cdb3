"""A hand-computable search example: two parks, six plots, one road and one rail line.

Coordinates are metres from :data:`gis_app.testing.ORIGIN` in Bắc Ninh's VN-2000 zone
(EPSG:9209). Every plot of park P1 is 100 m x 100 m (1 ha):

====  ===================  ==========  ==================================================
plot  box (x0, y0, x1, y1)  status      note
====  ===================  ==========  ==================================================
B1    0, 0, 100, 100       vacant      shares an edge with B2 (and with B5 above it)
B2    100, 0, 200, 100     vacant      shares edges with B1 and B3
B3    200, 0, 300, 100     vacant      touches B4 only at the corner (300, 100)
B4    300, 100, 400, 200   vacant      no edge neighbour
B5    0, 100, 100, 200     leased      T1's plot, so never offered
D1    2000, 0, 2200, 100   vacant      park P2, 2 ha, ready-built factory
====  ===================  ==========  ==================================================

P1's plant has 1,000 m³/day and carries 900 (headroom 100); P2's has 2,000 and carries 500
(headroom 1,500). The road runs along y = 1,100 (1.0 km north of every plot's southern row,
whose top edge is y = 100); the railway runs along x = -500, so B1 is 0.5 km from it, B2
0.6 km and D1 2.5 km.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ..model.plan import Plan
from ..settings import PROVINCES
from ..storage.gpkg import write_layers
from ..testing import ORIGIN, tiny_plan

CRS = PROVINCES["bac_ninh"].crs


def _box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    ox, oy = ORIGIN
    return shapely.box(ox + x0, oy + y0, ox + x1, oy + y1)


def _line(*points: tuple[float, float]) -> shapely.LineString:
    ox, oy = ORIGIN
    return shapely.LineString([(ox + x, oy + y) for x, y in points])


def example_plan() -> Plan:
    """The plan of the table above (valid: passes :func:`gis_app.rules.check_plan`)."""
    base = tiny_plan()
    parks = pd.concat([base.parks, base.parks], ignore_index=True)
    parks["park_code"] = ["P1", "P2"]
    parks["name_vi"] = ["KCN Một", "KCN Hai"]
    parks["name_en"] = ["Park One", "Park Two"]
    parks["legacy_province"] = ["Bắc Ninh", "Bắc Giang"]
    parks["planned_area_ha"] = [8.0, 2.0]
    parks["established_area_ha"] = [8.0, 2.0]
    parks["leasable_area_ha"] = [5.0, 2.0]
    parks["cleared_area_ha"] = [5.0, 2.0]
    parks = gpd.GeoDataFrame(parks, geometry=[_box(0, 0, 400, 200), _box(2000, 0, 2200, 100)],
                             crs=CRS)
    zones = gpd.GeoDataFrame(
        {"zone_id": ["Z1", "Z2"], "park_code": ["P1", "P2"], "land_use": ["industrial"] * 2},
        geometry=[_box(0, 0, 400, 200), _box(2000, 0, 2200, 100)], crs=CRS,
    )
    boxes = {"B1": (0, 0, 100, 100), "B2": (100, 0, 200, 100), "B3": (200, 0, 300, 100),
             "B4": (300, 100, 400, 200), "B5": (0, 100, 100, 200), "D1": (2000, 0, 2200, 100)}
    plots = gpd.GeoDataFrame(
        {
            "plot_code": list(boxes),
            "park_code": ["P1"] * 5 + ["P2"],
            "land_use": ["industrial"] * 6,
            "status": ["vacant"] * 4 + ["leased", "vacant"],
            "ready_built_factory": [False] * 5 + [True],
            "area_ha": [1.0] * 5 + [2.0],
        },
        geometry=[_box(*b) for b in boxes.values()], crs=CRS,
    )
    tenants = base.tenants.iloc[[0]].reset_index(drop=True)
    tenant_plots = pd.DataFrame({"plot_code": ["B5"], "project_id": ["T1"]})
    plants = gpd.GeoDataFrame(
        {
            "plant_id": ["W1", "W2"],
            "park_code": ["P1", "P2"],
            "name_vi": ["Trạm XLNT KCN Một", "Trạm XLNT KCN Hai"],
            "design_capacity_m3_day": [1000.0, 2000.0],
            "current_load_m3_day": [900.0, 500.0],
            "status": ["operating", "operating"],
            "auto_monitoring": [True, True],
        },
        geometry=[shapely.Point(ORIGIN[0] + 390, ORIGIN[1] + 10),
                  shapely.Point(ORIGIN[0] + 2190, ORIGIN[1] + 10)],
        crs=CRS,
    )
    return Plan.from_layers({"parks": parks, "zones": zones, "plots": plots, "tenants": tenants,
                             "tenant_plots": tenant_plots, "wastewater_plants": plants})


def example_roads_rail() -> gpd.GeoDataFrame:
    """One national road along y = 1,100 and one railway along x = -500."""
    return gpd.GeoDataFrame(
        {"kind": ["road", "railway"], "name": ["QL Thử", "Đường sắt Thử"]},
        geometry=[_line((-1000, 1100), (3000, 1100)), _line((-500, -3000), (-500, 3000))],
        crs=CRS,
    )


def write_example(path: str | Path) -> Path:
    """The example as a province GeoPackage with context layers and bookkeeping tables."""
    path = Path(path)
    plan = example_plan()
    boundary = gpd.GeoDataFrame({"name": ["Tỉnh Thử"]}, geometry=[_box(-3000, -3000, 5000, 3000)],
                                crs=CRS)
    communes = gpd.GeoDataFrame({"name": ["Xã Một", "Xã Hai"]},
                                geometry=[_box(-3000, -3000, 1000, 3000),
                                          _box(1000, -3000, 5000, 3000)], crs=CRS)
    layers = {
        **plan.layers(),
        "province_boundary": boundary,
        "communes": communes,
        "roads_rail": example_roads_rail(),
        "dataset_info": pd.DataFrame({"key": ["province", "title"],
                                      "value": ["bac_ninh", "search example"]}),
        "layer_sources": pd.DataFrame({
            "layer": ["plots"], "source": ["gis_app.search.examples"], "licence": ["MIT"],
            "attribution": ["KCN-GIS"], "date": ["2025-01-01"], "note": ["hand-made example"],
        }),
    }
    write_layers(path, layers, fresh=True)
    return path
