"""Edits of whole parks: change a boundary, add a park, change a park's status."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from ..model.plan import Plan
from ..model.schema import PARK_STATUSES
from ..settings import AREA_TOLERANCE_M2
from . import _frames as F
from ._working import Table, WorkingPlan, as_working
from .model import Edit, Subdivision
from .params import (
    CHOICE,
    FLAG,
    GEOMETRY,
    NUMBER,
    PARK,
    PROVINCE,
    SUBDIVISION,
    TEXT,
    param,
)
from .subdivide import subdivide

BOUNDARY_MODES = ("expand", "shrink", "replace")
#: Park statuses without established land (the park exists only in the plan).
UNESTABLISHED = ("proposed", "approved")


def _overlapping_parks(work: WorkingPlan, outline: shapely.Geometry, park_code: str | None
                       ) -> list[str]:
    """Other parks whose land ``outline`` overlaps by more than the area tolerance."""
    parks = work.parks.frame()
    others = parks if park_code is None else parks.loc[parks["park_code"] != park_code]
    shared = shapely.area(shapely.intersection(others.geometry.values, outline))
    return others.loc[shared > AREA_TOLERANCE_M2, "park_code"].astype(str).tolist()


def _new_plot_status(park_status: str) -> str:
    """Plots cut in a park that exists only in the plan are land not yet acquired/cleared."""
    return "not_cleared" if park_status in UNESTABLISHED else "vacant"


def _set_park_area(parks: Table, park_code: str, outline: BaseGeometry,
                   leasable_delta_ha: float) -> None:
    """Give the park its new outline and move its planned (and established) area by the
    change of the outline's area."""
    row = parks.where("park_code", [park_code])
    park = parks.rows(row)
    old = float(shapely.area(park.geometry.iloc[0]))
    delta_ha = (float(outline.area) - old) / 10_000.0
    parks.set(row, "planned_area_ha", park["planned_area_ha"] + delta_ha)
    established = ~park["status"].isin(UNESTABLISHED).to_numpy()
    parks.set(row[established], "established_area_ha",
              park.loc[established, "established_area_ha"] + delta_ha)
    parks.set(row, park.geometry.name, [outline])
    F.adjust_parks(parks, park_code, leasable_delta_ha)


@dataclass(frozen=True, kw_only=True)
class ChangeBoundary(Edit):
    """Expand, shrink or replace a park's outline with a drawn or imported polygon.

    Zones are clipped to the new outline. Plots left (partly) outside are flagged: the edit
    is refused and names them, unless ``release_outside`` is set, in which case vacant ones
    leave the park (leased ones are always refused). With ``subdivision``, land added to the
    park is cut into vacant plots along internal roads.
    """

    park_code: str = param(PARK, "park")
    polygon: BaseGeometry = param(GEOMETRY, "kind_Polygon", geometry="Polygon")
    mode: str = param(CHOICE, "mode", options=BOUNDARY_MODES, option_labels="mode_",
                      default="expand")
    subdivision: Subdivision | None = param(SUBDIVISION, "subdivide", default=None,
                                            suggested=Subdivision())
    release_outside: bool = param(FLAG, "release", default=False)
    operation = "change_boundary"

    def new_outline(self, plan: Plan | WorkingPlan) -> BaseGeometry:
        old = F.park_row(self, as_working(plan), self.park_code).geometry
        if self.mode == "expand":
            out = shapely.union(old, self.polygon)
        elif self.mode == "shrink":
            out = shapely.difference(old, self.polygon)
        else:
            out = self.polygon
        return F.polygonal(np.array([shapely.make_valid(out)]))[0]

    def plots_left_outside(self, plan: Plan | WorkingPlan) -> pd.DataFrame:
        """The park's plots with more than the area tolerance outside the new outline."""
        work = as_working(plan)
        outline = self.new_outline(work)
        plots = F.in_park(work.plots, self.park_code)
        outside = shapely.area(shapely.difference(plots.geometry.values, outline))
        return plots.loc[outside > AREA_TOLERANCE_M2]

    def check(self, work: WorkingPlan) -> None:
        if self.mode not in BOUNDARY_MODES:
            raise self.fail(f"mode {self.mode!r} is not one of {', '.join(BOUNDARY_MODES)}")
        F.park_row(self, work, self.park_code)
        F.require_polygon(self, self.polygon, "the boundary polygon")
        outline = self.new_outline(work)
        if outline.is_empty or outline.area <= AREA_TOLERANCE_M2:
            raise self.fail(f"park {self.park_code} would have no land left")
        clash = _overlapping_parks(work, outline, self.park_code)
        if clash:
            raise self.fail(f"the new outline of {self.park_code} overlaps park(s) "
                            f"{', '.join(clash)}", [("parks", c) for c in clash])
        outside = self.plots_left_outside(work)
        leased = outside.loc[outside["status"] == "leased", "plot_code"].tolist()
        if leased or (len(outside) and not self.release_outside):
            listed = ", ".join(f"{c} ({s})" for c, s in
                               zip(outside["plot_code"], outside["status"], strict=True))
            hint = ("leased land cannot leave the park; reclaim it first" if leased else
                    "set release_outside to let these vacant plots leave the park")
            raise self.fail(f"plots left outside the new boundary of {self.park_code}: "
                            f"{listed} ({hint})", [("plots", c) for c in outside["plot_code"]])

    def change(self, work: WorkingPlan) -> None:
        park = F.park_row(self, work, self.park_code)
        old = park.geometry
        outline = self.new_outline(work)
        outside = self.plots_left_outside(work)
        work.plots.drop(work.plots.where("plot_code", outside["plot_code"]))
        gone = outside["area_ha"].where(F.is_leasable(outside["land_use"]), 0.0).sum()
        zones = work.zones.frame()
        geoms = zones.geometry.values.copy()
        # Zones wholly inside the new outline keep their exact vertices.
        mine = (zones["park_code"] == self.park_code).to_numpy() & ~shapely.covered_by(
            geoms, outline)
        geoms[mine] = F.polygonal(shapely.make_valid(shapely.intersection(geoms[mine], outline)))
        zones = zones.set_geometry(geoms, crs=work.crs)
        work.zones.replace(zones.loc[shapely.area(zones.geometry.values) > AREA_TOLERANCE_M2])
        added = 0.0
        if self.subdivision is not None:
            land = F.polygonal(np.array([shapely.make_valid(shapely.difference(outline, old))]))[0]
            if land.area > AREA_TOLERANCE_M2:
                status = _new_plot_status(str(park["status"]))
                new_plots, new_zones = subdivide(land, self.park_code,
                                                 f"{self.park_code}-{self.id}",
                                                 self.subdivision, work.crs, status)
                work.plots.append(new_plots)
                work.zones.append(new_zones)
                added = float(new_plots["area_ha"].where(
                    F.is_leasable(new_plots["land_use"]), 0.0).sum())
        _set_park_area(work.parks, self.park_code, outline, added - float(gone))

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("parks", self.park_code)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        if self.mode != "replace":
            return {}  # two extensions of one park can both hold
        return {("parks", self.park_code, "geometry"): shapely.to_wkb(self.polygon, hex=True)}


@dataclass(frozen=True, kw_only=True)
class AddPark(Edit):
    """Add a new park from a drawn or imported outline, optionally subdivided into plots."""

    park_code: str = param(TEXT, "park_code")
    name_vi: str = param(TEXT, "name_vi", suggested="KCN ")
    # An English name left empty is the Vietnamese one (a park's name is a proper noun).
    name_en: str = param(TEXT, "name_en", fallback="name_vi")
    province: str = param(PROVINCE, "province", column="province")
    legacy_province: str = param(PROVINCE, "legacy_province", column="legacy_province")
    outline: BaseGeometry = param(GEOMETRY, "kind_Polygon", geometry="Polygon")
    status: str = param(CHOICE, "status", options=PARK_STATUSES, default="approved")
    developer: str | None = param(TEXT, "developer", default=None)
    subdivision: Subdivision | None = param(SUBDIVISION, "subdivide", default=None,
                                            suggested=Subdivision())
    operation = "add_park"

    def check(self, work: WorkingPlan) -> None:
        F.require_new(self, work.parks, "park_code", [self.park_code], "parks")
        F.require_polygon(self, self.outline, f"the outline of {self.park_code}")
        for name in ("name_vi", "name_en"):
            if not str(getattr(self, name)).strip():
                raise self.fail(f"park {self.park_code}: {name} is empty")
        if self.status not in PARK_STATUSES:
            raise self.fail(f"status {self.status!r} is not one of {', '.join(PARK_STATUSES)}")
        clash = _overlapping_parks(work, self.outline, None)
        if clash:
            raise self.fail(f"the outline of {self.park_code} overlaps park(s) "
                            f"{', '.join(clash)}", [("parks", c) for c in clash])

    def change(self, work: WorkingPlan) -> None:
        area_ha = float(self.outline.area) / 10_000.0
        plots = work.plots.rows([])  # no rows, the layer's columns
        zones = work.zones.rows([])
        if self.subdivision is not None:
            plots, zones = subdivide(self.outline, self.park_code, self.park_code,
                                     self.subdivision, work.crs, _new_plot_status(self.status))
        leasable = float(plots["area_ha"].where(F.is_leasable(plots["land_use"]), 0.0).sum())
        park = gpd.GeoDataFrame({
            "park_code": [self.park_code], "name_vi": [self.name_vi],
            "name_en": [self.name_en], "province": [self.province],
            "legacy_province": [self.legacy_province], "status": [self.status],
            "planned_area_ha": [area_ha],
            "established_area_ha": [0.0 if self.status in UNESTABLISHED else area_ha],
            "leasable_area_ha": [leasable], "cleared_area_ha": [None],
            "developer": [self.developer], "decision_no": [None], "decision_date": [None],
            "established_year": [None], "area_source": [f"scenario edit {self.id}"],
        }, geometry=[self.outline], crs=work.crs)
        work.parks.append(park)
        work.zones.append(zones)
        work.plots.append(plots)

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("parks", self.park_code)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("parks", self.park_code, "added"): self.id}


@dataclass(frozen=True, kw_only=True)
class ChangeParkStatus(Edit):
    """Move a park to another status (proposed -> approved -> established -> operating)."""

    park_code: str = param(PARK, "park")
    status: str = param(CHOICE, "status", options=PARK_STATUSES)
    established_year: int | None = param(NUMBER, "established_year", unit="year", whole=True,
                                         minimum=1900, default=None)
    operation = "change_park_status"

    def check(self, work: WorkingPlan) -> None:
        F.park_row(self, work, self.park_code)
        if self.status not in PARK_STATUSES:
            raise self.fail(f"status {self.status!r} is not one of {', '.join(PARK_STATUSES)}")

    def change(self, work: WorkingPlan) -> None:
        row = work.parks.where("park_code", [self.park_code])
        parks = work.parks.rows(row)
        was_unestablished = bool(parks["status"].isin(UNESTABLISHED).iloc[0])
        work.parks.set(row, "status", self.status)
        # Establishing a park establishes its planned area; going back to the plan undoes it.
        if self.status in UNESTABLISHED:
            work.parks.set(row, "established_area_ha", 0.0)
        elif was_unestablished:
            work.parks.set(row, "established_area_ha", parks["planned_area_ha"])
        if self.established_year is not None:
            work.parks.set(row, "established_year", self.established_year)

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("parks", self.park_code)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("parks", self.park_code, "status"): self.status}



@dataclass(frozen=True, kw_only=True)
class SubdividePark(Edit):
    """Cut a park's land not yet covered by zones into vacant plots along internal roads
    (the detailed plan of a park approved without one)."""

    park_code: str = param(PARK, "park")
    subdivision: Subdivision = param(SUBDIVISION, "subdivide", default=Subdivision())
    operation = "subdivide_park"

    def free_land(self, plan: Plan | WorkingPlan) -> BaseGeometry:
        work = as_working(plan)
        outline = F.park_row(self, work, self.park_code).geometry
        zoned = F.in_park(work.zones, self.park_code).geometry.values
        plotted = F.in_park(work.plots, self.park_code).geometry.values
        taken = shapely.union_all(np.concatenate([zoned, plotted]))
        return F.polygonal(np.array([shapely.make_valid(shapely.difference(outline, taken))]))[0]

    def check(self, work: WorkingPlan) -> None:
        F.park_row(self, work, self.park_code)
        if self.free_land(work).area < self.subdivision.min_plot_ha * 10_000.0:
            raise self.fail(f"park {self.park_code} has no unzoned land to subdivide",
                            [("parks", self.park_code)])

    def change(self, work: WorkingPlan) -> None:
        status = _new_plot_status(str(F.park_row(self, work, self.park_code)["status"]))
        plots, zones = subdivide(self.free_land(work), self.park_code,
                                 f"{self.park_code}-{self.id}", self.subdivision, work.crs, status)
        leasable = float(plots["area_ha"].where(F.is_leasable(plots["land_use"]), 0.0).sum())
        row = work.parks.where("park_code", [self.park_code])
        # The detailed plan replaces the attribute estimate of a park that had no plots.
        had_plots = bool(len(work.plots.find("park_code", [self.park_code])))
        base = work.parks.rows(row)["leasable_area_ha"].fillna(0.0) if had_plots else 0.0
        work.parks.set(row, "leasable_area_ha", base + leasable)
        work.plots.append(plots)
        work.zones.append(zones)

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("parks", self.park_code)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("parks", self.park_code, "subdivided"): self.id}
