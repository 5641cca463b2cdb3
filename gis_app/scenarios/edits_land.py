"""Edits of land inside parks: re-zone, reclaim, lease (plots and zones; splits are in
:mod:`.edits_plots`)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..layers.plan import Plan
from ..layers.schema import PLOT_LAND_USES, ZONE_LAND_USES
from . import _frames as F
from .model import Edit

#: Project statuses whose land may be reclaimed (dự án chậm tiến độ / đã thu hồi).
RECLAIMABLE_STATUSES = ("behind_schedule", "revoked")


def _leased_away(edit: Edit, plots: pd.DataFrame, land_use: str) -> None:
    """Refuse to take leased plots out of leasable use: a tenant holds that land."""
    if F.is_leasable(land_use):
        return
    leased = plots.loc[plots["status"] == "leased", "plot_code"].astype(str).tolist()
    if leased:
        raise edit.fail(
            f"leased land re-zoned away from industry: plot(s) {', '.join(leased)} are leased; "
            f"reclaim them before re-zoning to {land_use}", [("plots", c) for c in leased])


def _rezone_plots(plan: Plan, chosen: pd.DataFrame, land_use: str, zone_prefix: str) -> Plan:
    """Give plots a new land use; their outline is carved out of the zones and becomes a zone
    of that use, so the park's land-use structure follows. Non-plot uses remove the plots."""
    plots = plan.plots
    hit = plots["plot_code"].isin(chosen["plot_code"])
    was = F.is_leasable(plots.loc[hit, "land_use"])
    now = bool(F.is_leasable(land_use))
    delta = plots.loc[hit, "area_ha"].where(was != now, 0.0) * (1.0 if now else -1.0)
    parks = F.adjust_parks(plan.parks, plots.loc[hit, "park_code"], delta)
    zones = plan.zones
    new_zones = []
    for park_code, group in chosen.groupby("park_code", sort=True):  # one step per park
        shape = shapely.union_all(group.geometry.values)
        zones = F.carve_zones(zones, str(park_code), shape)
        new_zones.append(gpd.GeoDataFrame(
            {"zone_id": [f"{zone_prefix}-{park_code}"], "park_code": [park_code],
             "land_use": [land_use]}, geometry=[shape], crs=plan.crs))
    zones = F.concat([zones, *new_zones], plan.zones)
    if land_use in PLOT_LAND_USES:
        plots = plots.copy()
        plots.loc[hit, "land_use"] = land_use
    else:
        plots = plots.loc[~hit]
    return F.rebuild(plan, parks=parks, zones=zones, plots=plots)


@dataclass(frozen=True, kw_only=True)
class RezonePlots(Edit):
    """Give plots another land use (e.g. industrial -> warehouse_logistics, or -> green).

    A plot use keeps the plots; a zone-only use (green, roads, water) turns them into a zone
    of that use and removes them from the plots layer. Leased plots keep a leasable use.
    """

    plot_codes: tuple[str, ...]
    land_use: str
    operation = "rezone_plots"
    label_vi = "Điều chỉnh chức năng lô đất"
    label_en = "Re-zone plots"

    def validate(self, plan: Plan) -> None:
        if self.land_use not in ZONE_LAND_USES:
            raise self.fail(f"land use {self.land_use!r} is not one of {', '.join(ZONE_LAND_USES)}")
        chosen = F.require_codes(self, plan.plots, "plot_code", self.plot_codes, "plots")
        _leased_away(self, chosen, self.land_use)

    def _apply(self, plan: Plan) -> Plan:
        chosen = F.require_codes(self, plan.plots, "plot_code", self.plot_codes, "plots")
        return _rezone_plots(plan, chosen, self.land_use, f"{self.id}")

    def touches(self, plan: Plan) -> set[tuple[str, str]]:
        return {("plots", c) for c in self.plot_codes}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("plots", c, "land_use"): self.land_use for c in self.plot_codes}


@dataclass(frozen=True, kw_only=True)
class RezoneZones(Edit):
    """Give functional zones another land use; the plots inside follow.

    Plots whose interior point lies in a re-zoned zone take the new use when it is a plot use;
    otherwise they are removed (vacant land) or refused (leased land).
    """

    zone_ids: tuple[str, ...]
    land_use: str
    operation = "rezone_zones"
    label_vi = "Điều chỉnh chức năng phân khu"
    label_en = "Re-zone zones"

    def _plots_inside(self, plan: Plan, zones: pd.DataFrame) -> pd.DataFrame:
        points = shapely.point_on_surface(plan.plots.geometry.values)
        tree = shapely.STRtree(zones.geometry.values)
        hit, _ = tree.query(points, predicate="within")
        return plan.plots.iloc[np.unique(hit)]

    def validate(self, plan: Plan) -> None:
        if self.land_use not in ZONE_LAND_USES:
            raise self.fail(f"land use {self.land_use!r} is not one of {', '.join(ZONE_LAND_USES)}")
        zones = F.require_codes(self, plan.zones, "zone_id", self.zone_ids, "zones")
        _leased_away(self, self._plots_inside(plan, zones), self.land_use)

    def _apply(self, plan: Plan) -> Plan:
        zones = F.require_codes(self, plan.zones, "zone_id", self.zone_ids, "zones")
        inside = self._plots_inside(plan, zones)
        plots = plan.plots
        hit = plots["plot_code"].isin(inside["plot_code"])
        was = F.is_leasable(plots.loc[hit, "land_use"])
        now = bool(F.is_leasable(self.land_use))
        delta = plots.loc[hit, "area_ha"].where(was != now, 0.0) * (1.0 if now else -1.0)
        parks = F.adjust_parks(plan.parks, plots.loc[hit, "park_code"], delta)
        if self.land_use in PLOT_LAND_USES:
            plots = plots.copy()
            plots.loc[hit, "land_use"] = self.land_use
        else:
            plots = plots.loc[~hit]
        new_zones = plan.zones.copy()
        new_zones.loc[new_zones["zone_id"].isin(self.zone_ids), "land_use"] = self.land_use
        return F.rebuild(plan, parks=parks, zones=new_zones, plots=plots)

    def touches(self, plan: Plan) -> set[tuple[str, str]]:
        return {("zones", z) for z in self.zone_ids}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("zones", z, "land_use"): self.land_use for z in self.zone_ids}


@dataclass(frozen=True, kw_only=True)
class ReclaimProjects(Edit):
    """Take back the land of behind-schedule or revoked projects (thu hồi đất dự án chậm tiến độ).

    The projects become ``revoked``, their plots ``vacant`` and their plot links are removed.
    """

    project_ids: tuple[str, ...]
    operation = "reclaim_projects"
    label_vi = "Thu hồi đất dự án chậm tiến độ"
    label_en = "Reclaim land of slow projects"

    def validate(self, plan: Plan) -> None:
        chosen = F.require_codes(self, plan.tenants, "project_id", self.project_ids, "tenants")
        bad = chosen.loc[~chosen["project_status"].isin(RECLAIMABLE_STATUSES)]
        if len(bad):
            listed = ", ".join(f"{p} ({s})" for p, s in
                               zip(bad["project_id"], bad["project_status"], strict=True))
            raise self.fail(f"only behind-schedule or revoked projects can be reclaimed: {listed}",
                            [("tenants", p) for p in bad["project_id"]])

    def _apply(self, plan: Plan) -> Plan:
        ids = list(self.project_ids)
        links = plan.tenant_plots
        freed = links.loc[links["project_id"].isin(ids), "plot_code"]
        plots = plan.plots.copy()
        plots.loc[plots["plot_code"].isin(freed), "status"] = "vacant"
        tenants = plan.tenants.copy()
        tenants.loc[tenants["project_id"].isin(ids), "project_status"] = "revoked"
        return F.rebuild(plan, plots=plots, tenants=tenants,
                         tenant_plots=links.loc[~links["project_id"].isin(ids)])

    def touches(self, plan: Plan) -> set[tuple[str, str]]:
        links = plan.tenant_plots
        plots = links.loc[links["project_id"].isin(self.project_ids), "plot_code"]
        return {("tenants", p) for p in self.project_ids} | {("plots", str(c)) for c in plots}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("tenants", p, "project_status"): "revoked" for p in self.project_ids}


@dataclass(frozen=True, kw_only=True)
class LeasePlots(Edit):
    """Lease vacant leasable plots of one park to a prospective tenant (dự án thứ cấp mới).

    The project is added as ``under_construction`` with its registered capital, jobs and
    sector; the plots become ``leased``.
    """

    plot_codes: tuple[str, ...]
    project_id: str
    investor: str
    sector: str
    country: str = "Việt Nam"
    registered_capital_usd: float | None = None
    employees: int | None = None
    lease_start: str | None = None  #: ISO date
    lease_end: str | None = None
    operation = "lease_plots"
    label_vi = "Cho thuê lô đất trống"
    label_en = "Lease vacant plots"

    def validate(self, plan: Plan) -> None:
        chosen = F.require_codes(self, plan.plots, "plot_code", self.plot_codes, "plots")
        F.require_new(self, plan.tenants, "project_id", [self.project_id], "tenants")
        taken = chosen.loc[chosen["status"] != "vacant"]
        if len(taken):
            listed = ", ".join(f"{c} ({s})" for c, s in
                               zip(taken["plot_code"], taken["status"], strict=True))
            raise self.fail(f"only vacant plots can be leased: {listed}",
                            [("plots", c) for c in taken["plot_code"]])
        wrong = chosen.loc[~F.is_leasable(chosen["land_use"])]
        if len(wrong):
            raise self.fail(f"plot(s) {', '.join(wrong['plot_code'])} are not industrial land",
                            [("plots", c) for c in wrong["plot_code"]])
        if chosen["park_code"].nunique() != 1:
            raise self.fail("the plots of one project must lie in one park: "
                            f"{', '.join(sorted(chosen['park_code'].unique()))}")
        for name in ("registered_capital_usd", "employees"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise self.fail(f"{name} must not be negative ({value})")

    def _apply(self, plan: Plan) -> Plan:
        chosen = F.require_codes(self, plan.plots, "plot_code", self.plot_codes, "plots")
        plots = plan.plots.copy()
        plots.loc[plots["plot_code"].isin(self.plot_codes), "status"] = "leased"
        tenant = pd.DataFrame({
            "project_id": [self.project_id], "park_code": [chosen["park_code"].iloc[0]],
            "project_type": ["secondary"], "investor": [self.investor],
            "country": [self.country], "sector": [self.sector],
            "registered_capital_usd": [self.registered_capital_usd],
            "realised_capital_usd": [None],
            "lease_start": [pd.Timestamp(self.lease_start) if self.lease_start else None],
            "lease_end": [pd.Timestamp(self.lease_end) if self.lease_end else None],
            "project_status": ["under_construction"], "employees": [self.employees],
            "revenue_usd": [None], "exports_usd": [None], "budget_contribution_usd": [None],
            "reporting_year": [None],
        })
        tenants = F.concat([plan.tenants, F.rebuild(plan, tenants=tenant).tenants], plan.tenants)
        links = pd.DataFrame({"plot_code": list(self.plot_codes),
                              "project_id": [self.project_id] * len(self.plot_codes)})
        return F.rebuild(plan, plots=plots, tenants=tenants,
                         tenant_plots=F.concat([plan.tenant_plots, links], plan.tenant_plots))

    def touches(self, plan: Plan) -> set[tuple[str, str]]:
        return {("plots", c) for c in self.plot_codes} | {("tenants", self.project_id)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("plots", c, "tenant"): self.project_id for c in self.plot_codes}
