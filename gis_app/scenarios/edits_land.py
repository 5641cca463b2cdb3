"""Edits of land inside parks: re-zone, reclaim, lease (plots and zones; splits are in
:mod:`.edits_plots`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from ..model.schema import PLOT_LAND_USES, ZONE_LAND_USES
from . import _frames as F
from ._working import WorkingPlan
from .model import Edit
from .params import CHOICE, DATE, NUMBER, PLOTS, PROJECTS, TEXT, ZONES, param

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


def _change_plot_use(work: WorkingPlan, hit: np.ndarray, land_use: str) -> None:
    """Give the plots at positions ``hit`` a new land use, moving their park's leasable area;
    a zone-only use removes them from the plots layer."""
    was = F.is_leasable(work.plots.column(hit, "land_use"))
    now = bool(F.is_leasable(land_use))
    delta = work.plots.column(hit, "area_ha").where(was != now, 0.0) * (1.0 if now else -1.0)
    F.adjust_parks(work.parks, work.plots.column(hit, "park_code"), delta)
    if land_use in PLOT_LAND_USES:
        work.plots.set(hit, "land_use", land_use)
    else:
        work.plots.drop(hit)


def _rezone_plots(work: WorkingPlan, chosen: pd.DataFrame, land_use: str,
                  zone_prefix: str) -> None:
    """Give plots a new land use; their outline is carved out of the zones and becomes a zone
    of that use, so the park's land-use structure follows. Non-plot uses remove the plots."""
    hit = work.plots.where("plot_code", chosen["plot_code"])
    parks = chosen["park_code"]
    geoms = np.asarray(chosen.geometry.values)
    new_zones = []
    # One step per park, in park order (a groupby costs more than the carving here).
    for park_code in sorted(parks.dropna().unique()):
        shape = shapely.union_all(geoms[(parks == park_code).to_numpy(dtype=bool, na_value=False)])
        F.carve_zones(work.zones, str(park_code), shape)
        new_zones.append(pd.DataFrame(
            {"zone_id": [f"{zone_prefix}-{park_code}"], "park_code": [park_code],
             "land_use": [land_use], "geometry": [shape]}))
    _change_plot_use(work, hit, land_use)
    for zone in new_zones:
        work.zones.append(zone)


@dataclass(frozen=True, kw_only=True)
class RezonePlots(Edit):
    """Give plots another land use (e.g. industrial -> warehouse_logistics, or -> green).

    A plot use keeps the plots; a zone-only use (green, roads, water) turns them into a zone
    of that use and removes them from the plots layer. Leased plots keep a leasable use.
    """

    plot_codes: tuple[str, ...] = param(PLOTS, "plots")
    land_use: str = param(CHOICE, "land_use", options=ZONE_LAND_USES)
    operation = "rezone_plots"

    def check(self, work: WorkingPlan) -> None:
        if self.land_use not in ZONE_LAND_USES:
            raise self.fail(f"land use {self.land_use!r} is not one of {', '.join(ZONE_LAND_USES)}")
        chosen = F.require_codes(self, work.plots, "plot_code", self.plot_codes, "plots")
        _leased_away(self, chosen, self.land_use)

    def change(self, work: WorkingPlan) -> None:
        chosen = F.require_codes(self, work.plots, "plot_code", self.plot_codes, "plots")
        _rezone_plots(work, chosen, self.land_use, f"{self.id}")

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("plots", c) for c in self.plot_codes}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("plots", c, "land_use"): self.land_use for c in self.plot_codes}


@dataclass(frozen=True, kw_only=True)
class RezoneZones(Edit):
    """Give functional zones another land use; the plots inside follow.

    Plots whose interior point lies in a re-zoned zone take the new use when it is a plot use;
    otherwise they are removed (vacant land) or refused (leased land).
    """

    zone_ids: tuple[str, ...] = param(ZONES, "zones")
    land_use: str = param(CHOICE, "land_use", options=ZONE_LAND_USES)
    operation = "rezone_zones"

    def _plots_inside(self, work: WorkingPlan, zones: pd.DataFrame) -> pd.DataFrame:
        """Plots whose interior point lies in one of ``zones``, in layer order."""
        live = work.plots.live()
        geoms = work.plots.geometries(live)
        # A plot's interior point lies in its bounding box: only plots whose box meets a
        # zone's box are candidates (the interior point is the costly part, nationally).
        box = shapely.bounds(geoms)
        near = np.zeros(len(live), dtype=bool)
        for x0, y0, x1, y1 in shapely.bounds(np.asarray(zones.geometry.values)):
            near |= (box[:, 0] <= x1) & (box[:, 2] >= x0) & (box[:, 1] <= y1) & (box[:, 3] >= y0)
        near = np.flatnonzero(near)
        points = shapely.point_on_surface(geoms[near])
        tree = shapely.STRtree(zones.geometry.values)
        hit, _ = tree.query(points, predicate="within")
        return work.plots.rows(live[near[np.unique(hit)]])

    def check(self, work: WorkingPlan) -> None:
        if self.land_use not in ZONE_LAND_USES:
            raise self.fail(f"land use {self.land_use!r} is not one of {', '.join(ZONE_LAND_USES)}")
        zones = F.require_codes(self, work.zones, "zone_id", self.zone_ids, "zones")
        _leased_away(self, self._plots_inside(work, zones), self.land_use)

    def change(self, work: WorkingPlan) -> None:
        zones = F.require_codes(self, work.zones, "zone_id", self.zone_ids, "zones")
        inside = self._plots_inside(work, zones)
        _change_plot_use(work, work.plots.where("plot_code", inside["plot_code"]), self.land_use)
        work.zones.set(work.zones.where("zone_id", self.zone_ids), "land_use", self.land_use)

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("zones", z) for z in self.zone_ids}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("zones", z, "land_use"): self.land_use for z in self.zone_ids}


@dataclass(frozen=True, kw_only=True)
class ReclaimProjects(Edit):
    """Take back the land of behind-schedule or revoked projects (thu hồi đất dự án chậm tiến độ).

    The projects become ``revoked``, their plots ``vacant`` and their plot links are removed.
    """

    project_ids: tuple[str, ...] = param(PROJECTS, "projects",
                                         where=("project_status", RECLAIMABLE_STATUSES))
    operation = "reclaim_projects"

    def check(self, work: WorkingPlan) -> None:
        chosen = F.require_codes(self, work.tenants, "project_id", self.project_ids, "tenants")
        bad = chosen.loc[~chosen["project_status"].isin(RECLAIMABLE_STATUSES)]
        if len(bad):
            listed = ", ".join(f"{p} ({s})" for p, s in
                               zip(bad["project_id"], bad["project_status"], strict=True))
            raise self.fail(f"only behind-schedule or revoked projects can be reclaimed: {listed}",
                            [("tenants", p) for p in bad["project_id"]])

    def change(self, work: WorkingPlan) -> None:
        links = work.tenant_plots.where("project_id", self.project_ids)
        freed = work.tenant_plots.rows(links)["plot_code"]
        work.plots.set(work.plots.where("plot_code", freed), "status", "vacant")
        work.tenants.set(work.tenants.where("project_id", self.project_ids), "project_status",
                         "revoked")
        work.tenant_plots.drop(links)

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        links = work.tenant_plots
        plots = links.rows(links.where("project_id", self.project_ids))["plot_code"]
        return {("tenants", p) for p in self.project_ids} | {("plots", str(c)) for c in plots}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("tenants", p, "project_status"): "revoked" for p in self.project_ids}


@dataclass(frozen=True, kw_only=True)
class LeasePlots(Edit):
    """Lease vacant leasable plots of one park to a prospective tenant (dự án thứ cấp mới).

    The project is added as ``under_construction`` with its registered capital, jobs and
    sector; the plots become ``leased``.
    """

    plot_codes: tuple[str, ...] = param(PLOTS, "plots", where=("status", ("vacant",)))
    project_id: str = param(TEXT, "project_id", suggested="{park}-{EDIT_ID}")
    investor: str = param(TEXT, "investor")
    sector: str = param(TEXT, "sector")
    country: str = param(TEXT, "country", default="Việt Nam")
    registered_capital_usd: float | None = param(NUMBER, "capital", unit="USD", minimum=0.0,
                                                 step=1e6, default=None)
    employees: int | None = param(NUMBER, "jobs", unit="people", minimum=0, step=10,
                                  whole=True, default=None)
    lease_start: str | None = param(DATE, "lease_start", default=None)  #: ISO date
    lease_end: str | None = param(DATE, "lease_end", default=None)
    operation = "lease_plots"

    def check(self, work: WorkingPlan) -> None:
        chosen = F.require_codes(self, work.plots, "plot_code", self.plot_codes, "plots")
        F.require_new(self, work.tenants, "project_id", [self.project_id], "tenants")
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

    def change(self, work: WorkingPlan) -> None:
        chosen = F.require_codes(self, work.plots, "plot_code", self.plot_codes, "plots")
        work.plots.set(np.sort(chosen.index.to_numpy()), "status", "leased")
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
        work.tenants.append(tenant)
        work.tenant_plots.append(pd.DataFrame({
            "plot_code": list(self.plot_codes),
            "project_id": [self.project_id] * len(self.plot_codes)}))

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("plots", c) for c in self.plot_codes} | {("tenants", self.project_id)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("plots", c, "tenant"): self.project_id for c in self.plot_codes}
