"""Edits of whole parks: change a boundary, add a park, change a park's status."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..layers.plan import Plan
from ..layers.schema import PARK_STATUSES
from ..settings import AREA_TOLERANCE_M2
from . import _frames as F
from .model import Edit, Subdivision
from .subdivide import subdivide

BOUNDARY_MODES = ("expand", "shrink", "replace")
#: Park statuses without established land (the park exists only in the plan).
UNESTABLISHED = ("proposed", "approved")


def _overlapping_parks(plan: Plan, outline: shapely.Geometry, park_code: str | None) -> list[str]:
    """Other parks whose land ``outline`` overlaps by more than the area tolerance."""
    others = plan.parks if park_code is None else plan.parks.loc[
        plan.parks["park_code"] != park_code]
    shared = shapely.area(shapely.intersection(others.geometry.values, outline))
    return others.loc[shared > AREA_TOLERANCE_M2, "park_code"].astype(str).tolist()


def _new_plot_status(park_status: str) -> str:
    """Plots cut in a park that exists only in the plan are land not yet acquired/cleared."""
    return "not_cleared" if park_status in UNESTABLISHED else "vacant"


def _set_park_area(parks: gpd.GeoDataFrame, park_code: str, outline: shapely.Geometry,
                   leasable_delta_ha: float) -> gpd.GeoDataFrame:
    """Move the park's planned (and established) area by the change of its outline's area."""
    out = parks.copy()
    row = out["park_code"] == park_code
    old = float(shapely.area(out.loc[row].geometry.iloc[0]))
    delta_ha = (float(outline.area) - old) / 10_000.0
    out.loc[row, "planned_area_ha"] = out.loc[row, "planned_area_ha"] + delta_ha
    established = row & ~out["status"].isin(UNESTABLISHED)
    out.loc[established, "established_area_ha"] = (
        out.loc[established, "established_area_ha"] + delta_ha)
    out.loc[row, out.geometry.name] = gpd.GeoSeries([outline], index=out.index[row], crs=out.crs)
    return F.adjust_parks(out, park_code, leasable_delta_ha)


@dataclass(frozen=True, kw_only=True)
class ChangeBoundary(Edit):
    """Expand, shrink or replace a park's outline with a drawn or imported polygon.

    Zones are clipped to the new outline. Plots left (partly) outside are flagged: the edit
    is refused and names them, unless ``release_outside`` is set, in which case vacant ones
    leave the park (leased ones are always refused). With ``subdivision``, land added to the
    park is cut into vacant plots along internal roads.
    """

    park_code: str
    polygon: shapely.Geometry
    mode: str = "expand"
    subdivision: Subdivision | None = None
    release_outside: bool = False
    operation = "change_boundary"
    label_vi = "Điều chỉnh ranh giới KCN"
    label_en = "Change a park's boundary"

    def new_outline(self, plan: Plan) -> shapely.Geometry:
        old = F.park_row(self, plan, self.park_code).geometry
        if self.mode == "expand":
            out = shapely.union(old, self.polygon)
        elif self.mode == "shrink":
            out = shapely.difference(old, self.polygon)
        else:
            out = self.polygon
        return F.polygonal(np.array([shapely.make_valid(out)]))[0]

    def plots_left_outside(self, plan: Plan) -> pd.DataFrame:
        """The park's plots with more than the area tolerance outside the new outline."""
        outline = self.new_outline(plan)
        plots = plan.plots.loc[plan.plots["park_code"] == self.park_code]
        outside = shapely.area(shapely.difference(plots.geometry.values, outline))
        return plots.loc[outside > AREA_TOLERANCE_M2]

    def validate(self, plan: Plan) -> None:
        if self.mode not in BOUNDARY_MODES:
            raise self.fail(f"mode {self.mode!r} is not one of {', '.join(BOUNDARY_MODES)}")
        F.park_row(self, plan, self.park_code)
        F.require_polygon(self, self.polygon, "the boundary polygon")
        outline = self.new_outline(plan)
        if outline.is_empty or outline.area <= AREA_TOLERANCE_M2:
            raise self.fail(f"park {self.park_code} would have no land left")
        clash = _overlapping_parks(plan, outline, self.park_code)
        if clash:
            raise self.fail(f"the new outline of {self.park_code} overlaps park(s) "
                            f"{', '.join(clash)}", [("parks", c) for c in clash])
        outside = self.plots_left_outside(plan)
        leased = outside.loc[outside["status"] == "leased", "plot_code"].tolist()
        if leased or (len(outside) and not self.release_outside):
            listed = ", ".join(f"{c} ({s})" for c, s in
                               zip(outside["plot_code"], outside["status"], strict=True))
            hint = ("leased land cannot leave the park; reclaim it first" if leased else
                    "set release_outside to let these vacant plots leave the park")
            raise self.fail(f"plots left outside the new boundary of {self.park_code}: "
                            f"{listed} ({hint})", [("plots", c) for c in outside["plot_code"]])

    def _apply(self, plan: Plan) -> Plan:
        old = F.park_row(self, plan, self.park_code).geometry
        outline = self.new_outline(plan)
        outside = self.plots_left_outside(plan)
        plots = plan.plots.loc[~plan.plots["plot_code"].isin(outside["plot_code"])]
        gone = outside["area_ha"].where(F.is_leasable(outside["land_use"]), 0.0).sum()
        zones = plan.zones.copy()
        geoms = zones.geometry.values.copy()
        # Zones wholly inside the new outline keep their exact vertices.
        mine = (zones["park_code"] == self.park_code).to_numpy() & ~shapely.covered_by(
            geoms, outline)
        geoms[mine] = F.polygonal(shapely.make_valid(shapely.intersection(geoms[mine], outline)))
        zones = zones.set_geometry(geoms, crs=plan.crs)
        zones = zones.loc[shapely.area(zones.geometry.values) > AREA_TOLERANCE_M2]
        added = 0.0
        if self.subdivision is not None:
            land = F.polygonal(np.array([shapely.make_valid(shapely.difference(outline, old))]))[0]
            if land.area > AREA_TOLERANCE_M2:
                status = _new_plot_status(str(F.park_row(self, plan, self.park_code)["status"]))
                new_plots, new_zones = subdivide(land, self.park_code,
                                                 f"{self.park_code}-{self.id}",
                                                 self.subdivision, plan.crs, status)
                plots = F.concat([plots, new_plots], plan.plots)
                zones = F.concat([zones, new_zones], plan.zones)
                added = float(new_plots["area_ha"].where(
                    F.is_leasable(new_plots["land_use"]), 0.0).sum())
        parks = _set_park_area(plan.parks, self.park_code, outline, added - float(gone))
        return F.rebuild(plan, parks=parks, zones=zones, plots=plots)

    def touches(self, plan: Plan) -> set[tuple[str, str]]:
        return {("parks", self.park_code)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        if self.mode != "replace":
            return {}  # two extensions of one park can both hold
        return {("parks", self.park_code, "geometry"): shapely.to_wkb(self.polygon, hex=True)}


@dataclass(frozen=True, kw_only=True)
class AddPark(Edit):
    """Add a new park from a drawn or imported outline, optionally subdivided into plots."""

    park_code: str
    name_vi: str
    name_en: str
    province: str
    legacy_province: str
    outline: shapely.Geometry
    status: str = "approved"
    developer: str | None = None
    subdivision: Subdivision | None = None
    operation = "add_park"
    label_vi = "Bổ sung KCN mới"
    label_en = "Add a new park"

    def validate(self, plan: Plan) -> None:
        F.require_new(self, plan.parks, "park_code", [self.park_code], "parks")
        F.require_polygon(self, self.outline, f"the outline of {self.park_code}")
        if self.status not in PARK_STATUSES:
            raise self.fail(f"status {self.status!r} is not one of {', '.join(PARK_STATUSES)}")
        clash = _overlapping_parks(plan, self.outline, None)
        if clash:
            raise self.fail(f"the outline of {self.park_code} overlaps park(s) "
                            f"{', '.join(clash)}", [("parks", c) for c in clash])

    def _apply(self, plan: Plan) -> Plan:
        area_ha = float(self.outline.area) / 10_000.0
        plots = plan.plots.iloc[:0]
        zones = plan.zones.iloc[:0]
        if self.subdivision is not None:
            plots, zones = subdivide(self.outline, self.park_code, self.park_code,
                                     self.subdivision, plan.crs, _new_plot_status(self.status))
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
        }, geometry=[self.outline], crs=plan.crs)
        return F.rebuild(
            plan,
            parks=F.concat([plan.parks, F.rebuild(plan, parks=park).parks], plan.parks),
            zones=F.concat([plan.zones, zones], plan.zones),
            plots=F.concat([plan.plots, plots], plan.plots),
        )

    def touches(self, plan: Plan) -> set[tuple[str, str]]:
        return {("parks", self.park_code)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("parks", self.park_code, "added"): self.id}


@dataclass(frozen=True, kw_only=True)
class ChangeParkStatus(Edit):
    """Move a park to another status (proposed -> approved -> established -> operating)."""

    park_code: str
    status: str
    established_year: int | None = None
    operation = "change_park_status"
    label_vi = "Thay đổi trạng thái KCN"
    label_en = "Change a park's status"

    def validate(self, plan: Plan) -> None:
        F.park_row(self, plan, self.park_code)
        if self.status not in PARK_STATUSES:
            raise self.fail(f"status {self.status!r} is not one of {', '.join(PARK_STATUSES)}")

    def _apply(self, plan: Plan) -> Plan:
        parks = plan.parks.copy()
        row = parks["park_code"] == self.park_code
        was_unestablished = bool(parks.loc[row, "status"].isin(UNESTABLISHED).iloc[0])
        parks.loc[row, "status"] = self.status
        # Establishing a park establishes its planned area; going back to the plan undoes it.
        if self.status in UNESTABLISHED:
            parks.loc[row, "established_area_ha"] = 0.0
        elif was_unestablished:
            parks.loc[row, "established_area_ha"] = parks.loc[row, "planned_area_ha"]
        if self.established_year is not None:
            parks.loc[row, "established_year"] = self.established_year
        return F.rebuild(plan, parks=parks)

    def touches(self, plan: Plan) -> set[tuple[str, str]]:
        return {("parks", self.park_code)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("parks", self.park_code, "status"): self.status}



@dataclass(frozen=True, kw_only=True)
class SubdividePark(Edit):
    """Cut a park's land not yet covered by zones into vacant plots along internal roads
    (the detailed plan of a park approved without one)."""

    park_code: str
    subdivision: Subdivision = Subdivision()
    operation = "subdivide_park"
    label_vi = "Chia lô KCN theo đường nội bộ"
    label_en = "Subdivide a park into plots"

    def free_land(self, plan: Plan) -> shapely.Geometry:
        outline = F.park_row(self, plan, self.park_code).geometry
        zoned = plan.zones.loc[plan.zones["park_code"] == self.park_code].geometry.values
        plotted = plan.plots.loc[plan.plots["park_code"] == self.park_code].geometry.values
        taken = shapely.union_all(np.concatenate([zoned, plotted]))
        return F.polygonal(np.array([shapely.make_valid(shapely.difference(outline, taken))]))[0]

    def validate(self, plan: Plan) -> None:
        F.park_row(self, plan, self.park_code)
        if self.free_land(plan).area < self.subdivision.min_plot_ha * 10_000.0:
            raise self.fail(f"park {self.park_code} has no unzoned land to subdivide",
                            [("parks", self.park_code)])

    def _apply(self, plan: Plan) -> Plan:
        status = _new_plot_status(str(F.park_row(self, plan, self.park_code)["status"]))
        plots, zones = subdivide(self.free_land(plan), self.park_code,
                                 f"{self.park_code}-{self.id}", self.subdivision, plan.crs, status)
        leasable = float(plots["area_ha"].where(F.is_leasable(plots["land_use"]), 0.0).sum())
        parks = plan.parks.copy()
        row = parks["park_code"] == self.park_code
        # The detailed plan replaces the attribute estimate of a park that had no plots.
        had_plots = bool(plan.plots["park_code"].eq(self.park_code).any())
        base = parks.loc[row, "leasable_area_ha"].fillna(0.0) if had_plots else 0.0
        parks.loc[row, "leasable_area_ha"] = base + leasable
        return F.rebuild(plan, parks=parks,
                         plots=F.concat([plan.plots, plots], plan.plots),
                         zones=F.concat([plan.zones, zones], plan.zones))

    def touches(self, plan: Plan) -> set[tuple[str, str]]:
        return {("parks", self.park_code)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("parks", self.park_code, "subdivided"): self.id}
