"""Edits of central wastewater treatment plants (hệ thống XLNT tập trung): add, upgrade."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import shapely

from ..model.schema import PLANT_STATUSES
from . import _frames as F
from ._working import WorkingPlan
from .model import Edit
from .params import CHOICE, FLAG, GEOMETRY, NUMBER, PARK, PLANT, TEXT, param

#: A plant may stand just outside its park's fence (metres).
PLANT_SITE_TOLERANCE_M = 500.0


@dataclass(frozen=True, kw_only=True)
class AddWastewaterPlant(Edit):
    """Add a central wastewater plant to a park (planned, under construction or operating)."""

    plant_id: str = param(TEXT, "plant_id", suggested="{park}-XLNT-{edit_id}")
    park_code: str = param(PARK, "park")
    name_vi: str = param(TEXT, "name_vi", suggested="Trạm XLNT {park}")
    design_capacity_m3_day: float = param(NUMBER, "capacity", unit="m3/day", minimum=1.0,
                                          suggested=1000.0)
    location: shapely.Geometry = param(GEOMETRY, "kind_Point", geometry="Point")
    status: str = param(CHOICE, "status", options=PLANT_STATUSES, default="planned")
    current_load_m3_day: float | None = param(NUMBER, "current_load", unit="m3/day",
                                              minimum=0.0, default=None)
    auto_monitoring: bool = param(FLAG, "monitoring", default=False)
    operation = "add_wastewater_plant"

    def check(self, work: WorkingPlan) -> None:
        park = F.park_row(self, work, self.park_code)
        F.require_new(self, work.wastewater_plants, "plant_id", [self.plant_id],
                      "wastewater_plants")
        if not isinstance(self.location, shapely.Point) or self.location.is_empty:
            raise self.fail("the plant's location must be a point")
        if self.status not in PLANT_STATUSES:
            raise self.fail(f"status {self.status!r} is not one of {', '.join(PLANT_STATUSES)}")
        if self.design_capacity_m3_day <= 0:
            raise self.fail(f"design capacity must be positive ({self.design_capacity_m3_day})")
        distance = float(shapely.distance(park.geometry, self.location))
        if distance > PLANT_SITE_TOLERANCE_M:
            raise self.fail(f"the plant lies {distance:,.0f} m from park {self.park_code} "
                            f"(at most {PLANT_SITE_TOLERANCE_M:,.0f} m allowed)")

    def change(self, work: WorkingPlan) -> None:
        work.wastewater_plants.append(gpd.GeoDataFrame({
            "plant_id": [self.plant_id], "park_code": [self.park_code],
            "name_vi": [self.name_vi], "design_capacity_m3_day": [self.design_capacity_m3_day],
            "current_load_m3_day": [self.current_load_m3_day], "status": [self.status],
            "auto_monitoring": [self.auto_monitoring],
        }, geometry=[self.location], crs=work.crs))

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("wastewater_plants", self.plant_id), ("parks", self.park_code)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("wastewater_plants", self.plant_id, "added"): self.id}


@dataclass(frozen=True, kw_only=True)
class UpgradeWastewaterPlant(Edit):
    """Raise a plant's design capacity, change its status or add automatic monitoring.

    Fields left as None keep their current value. Capacity may not drop below the current load.
    """

    plant_id: str = param(PLANT, "plant")
    design_capacity_m3_day: float | None = param(NUMBER, "capacity", unit="m3/day",
                                                 minimum=1.0, default=None, suggested=2000.0)
    status: str | None = param(CHOICE, "status", options=PLANT_STATUSES, default=None,
                               suggested="operating")
    auto_monitoring: bool | None = param(FLAG, "monitoring", default=None, suggested=True)
    operation = "upgrade_wastewater_plant"

    def check(self, work: WorkingPlan) -> None:
        plant = F.require_codes(self, work.wastewater_plants, "plant_id", [self.plant_id],
                                "wastewater_plants").iloc[0]
        if self.status is not None and self.status not in PLANT_STATUSES:
            raise self.fail(f"status {self.status!r} is not one of {', '.join(PLANT_STATUSES)}")
        if self.design_capacity_m3_day is not None:
            load = plant["current_load_m3_day"]
            if self.design_capacity_m3_day <= 0:
                raise self.fail(f"design capacity must be positive "
                                f"({self.design_capacity_m3_day})")
            if load is not None and load == load and self.design_capacity_m3_day < load:
                raise self.fail(f"capacity {self.design_capacity_m3_day:,.0f} m³/day is below "
                                f"the current load of {load:,.0f} m³/day",
                                [("wastewater_plants", self.plant_id)])
        if (self.design_capacity_m3_day, self.status, self.auto_monitoring) == (None,) * 3:
            raise self.fail("nothing to change: give a capacity, a status or monitoring")

    def change(self, work: WorkingPlan) -> None:
        plants = work.wastewater_plants
        row = plants.where("plant_id", [self.plant_id])
        for column in ("design_capacity_m3_day", "status", "auto_monitoring"):
            value = getattr(self, column)
            if value is not None:
                plants.set(row, column, value)

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("wastewater_plants", self.plant_id)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("wastewater_plants", self.plant_id, column): getattr(self, column)
                for column in ("design_capacity_m3_day", "status", "auto_monitoring")
                if getattr(self, column) is not None}
