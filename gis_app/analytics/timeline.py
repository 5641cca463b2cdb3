"""Occupancy over time: leased land year by year from the projects' lease start dates.

A project's land is the leasable plots it occupies (``tenant_plots``) that are leased
today; it counts from the year its lease starts until the year before its lease ends.
Revoked projects are left out (their land is no longer leased), as are projects without a
lease start date: their year is unknown, and their leased area is reported in the output's
``attrs["undated_leased_ha"]`` instead. The denominator is today's leasable land,
so the series shows how today's plan filled up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.plan import Plan
from ..settings import LEASABLE_LAND_USES
from ._common import VALID_PROJECT_STATUSES, area_ha, park_groups, park_index, ratio
from .areas import park_areas


def _dated_leases(plan: Plan) -> pd.DataFrame:
    """Leased leasable plot area per valid project with its start and end year."""
    plots = plan.plots
    area = pd.Series(area_ha(plots, what="layer 'plots'").to_numpy(),
                     index=plots["plot_code"].astype("string"))
    leasable = plots["land_use"].isin(LEASABLE_LAND_USES).fillna(False).to_numpy(dtype=bool) & \
        plots["status"].eq("leased").fillna(False).to_numpy(dtype=bool)
    area = area[leasable]
    links = plan.tenant_plots.astype({"plot_code": "string", "project_id": "string"})
    # A hash lookup: Series.isin walks a Python list of a large argument (seconds at 250k).
    links = links.loc[area.index.get_indexer(links["plot_code"]) >= 0]
    tenants = plan.tenants.set_index(plan.tenants["project_id"].astype("string"))
    leases = pd.DataFrame(
        {
            "park_code": tenants["park_code"].astype("string").reindex(links["project_id"])
            .to_numpy(),
            "status": tenants["project_status"].reindex(links["project_id"]).to_numpy(),
            "start": tenants["lease_start"].reindex(links["project_id"]).dt.year.to_numpy(),
            "end": tenants["lease_end"].reindex(links["project_id"]).dt.year.to_numpy(),
            "leased_ha": area.reindex(links["plot_code"]).to_numpy(),
        }
    )
    return leases.loc[leases["status"].isin(VALID_PROJECT_STATUSES)]


def occupancy_over_time(plan: Plan, *, by: str = "park_code",
                        years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Leased land and occupancy at the end of each year, per park or per province.

    Parameters
    ----------
    plan
        The province plan.
    by
        ``park_code`` (default), ``province`` or ``legacy_province``.
    years
        First and last year (inclusive); by default from the earliest lease start to the
        latest (an empty frame when no project has a date).

    Returns
    -------
    DataFrame
        Indexed by (``by``, ``year``) with ``leased_ha``, ``leasable_ha`` (today's) and
        ``occupancy_share``; ``attrs["undated_leased_ha"]`` is leased land of valid
        projects without a lease start, which the series cannot place.
    """
    areas = park_areas(plan)
    if by == "park_code":
        groups = pd.Series(park_index(plan).to_numpy(), index=park_index(plan), name=by)
    else:
        groups = park_groups(plan, by)
    leasable = areas["leasable_ha"].groupby(groups.to_numpy(), sort=False).sum()
    leases = _dated_leases(plan)
    undated = float(leases.loc[leases["start"].isna(), "leased_ha"].sum())
    leases = leases.loc[leases["start"].notna()]
    if years is None:
        if leases.empty:
            out = pd.DataFrame(
                {"leased_ha": pd.Series(dtype="float64"),
                 "leasable_ha": pd.Series(dtype="float64"),
                 "occupancy_share": pd.Series(dtype="float64")},
                index=pd.MultiIndex.from_arrays([pd.Index([], dtype="string"),
                                                 pd.Index([], dtype="int64")],
                                                names=[by, "year"]))
            out.attrs["undated_leased_ha"] = undated
            return out
        years = (int(leases["start"].min()), int(leases["start"].max()))
    year_range = np.arange(years[0], years[1] + 1, dtype="int64")
    # Cross join leases x years, keep a year when the lease is running at its end.
    start = leases["start"].to_numpy()[:, None]
    end = leases["end"].to_numpy(dtype="float64", na_value=np.inf)[:, None]
    running = (start <= year_range[None, :]) & (year_range[None, :] < end)
    rows, cols = np.nonzero(running)
    key = groups.reindex(leases["park_code"]).to_numpy()[rows]
    sums = pd.DataFrame({by: key, "year": year_range[cols],
                         "leased_ha": leases["leased_ha"].to_numpy()[rows]}).groupby(
        [by, "year"]).sum()["leased_ha"]
    grid = pd.MultiIndex.from_product([pd.Index(pd.unique(groups.dropna()), dtype="string"),
                                       year_range], names=[by, "year"])
    out = pd.DataFrame(index=grid)
    out["leased_ha"] = sums.reindex(grid, fill_value=0.0).astype("float64")
    out["leasable_ha"] = leasable.reindex(grid.get_level_values(by)).to_numpy()
    out["occupancy_share"] = ratio(out["leased_ha"], out["leasable_ha"])
    out.attrs["undated_leased_ha"] = undated
    return out
