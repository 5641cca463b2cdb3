"""Geometry helpers and two small, hand-checkable indicator functions for the scenario tests.

The indicator functions let compare() be tested independently of the analytics package.
"""

from __future__ import annotations

import pandas as pd
import shapely

from gis_app.model.plan import Plan
from gis_app.settings import LEASABLE_LAND_USES
from gis_app.testing import ORIGIN

OX, OY = ORIGIN


def box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    """A box in tiny-plan coordinates (metres from the fixture's origin)."""
    return shapely.box(OX + x0, OY + y0, OX + x1, OY + y1)


def line(*points: tuple[float, float]) -> shapely.LineString:
    return shapely.LineString([(OX + x, OY + y) for x, y in points])


def point(x: float, y: float) -> shapely.Point:
    return shapely.Point(OX + x, OY + y)


def simple_park_indicators(plan: Plan) -> pd.DataFrame:
    """leasable_ha, leased_ha, occupancy and wastewater headroom per park (from plot areas)."""
    plots = plan.plots
    leasable = plots["land_use"].isin(LEASABLE_LAND_USES)
    parts = pd.DataFrame({
        "park_code": plots["park_code"],
        "leasable_ha": plots["area_ha"].where(leasable, 0.0),
        "leased_ha": plots["area_ha"].where(leasable & plots["status"].eq("leased"), 0.0),
    }).groupby("park_code").sum()
    out = parts.reindex(plan.parks["park_code"], fill_value=0.0)
    out["occupancy"] = out["leased_ha"] / out["leasable_ha"]
    plants = plan.wastewater_plants
    headroom = (plants["design_capacity_m3_day"] - plants["current_load_m3_day"].fillna(0.0)
                ).groupby(plants["park_code"]).sum()
    out["headroom_m3_day"] = headroom.reindex(out.index).fillna(0.0)
    out["name"] = plan.parks.set_index("park_code")["name_vi"]  # text: not compared
    return out


def simple_province_indicators(plan: Plan) -> pd.DataFrame:
    parks = simple_park_indicators(plan)
    out = parks[["leasable_ha", "leased_ha", "headroom_m3_day"]].sum().to_frame().T
    out["parks_count"] = len(plan.parks)
    out.index = pd.Index(["Bắc Ninh"], name="province")
    return out
