"""The indicator tables a board reports: one wide row per park, and sums per province.

:func:`park_indicators` is what the viewer table and the map-sheet indicator table show;
:func:`province_indicators` reproduces the figures the boards publish (parks approved,
established and operating, planned and established area, leased land, occupancy, wastewater
coverage, projects by status), per 2025 province or per legacy (pre-merger) province.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..model.plan import Plan
from ..model.schema import PROJECT_STATUSES
from ._common import (
    ESTABLISHED_STATUSES,
    VALID_PROJECT_STATUSES,
    park_groups,
    park_index,
    positions,
    ratio_values,
)
from .areas import ADDITIVE_AREA_COLUMNS, park_areas
from .efficiency import group_efficiency, park_efficiency, tenant_metrics
from .wastewater import wastewater_coverage, wastewater_status

#: Wastewater columns carried into the park table.
_WASTEWATER_COLUMNS = (
    "plant_operating", "design_capacity_m3_day", "current_load_m3_day", "utilisation_share",
    "headroom_m3_day", "auto_monitoring", "flag_operating_without_plant",
    "flag_high_utilisation",
)


def project_counts(plan: Plan, group_of_park: pd.Series, index: pd.Index) -> pd.DataFrame:
    """Projects (both types) per group: ``projects_valid_count`` and one count per status.

    ``group_of_park`` maps park_code -> group (the identity for per-park counts); ``index``
    lists the groups of the output.
    """
    tenants = plan.tenants
    # Project -> its park's position -> that park's group's position in the output.
    park_at = positions(tenants["park_code"], group_of_park.index)
    group_at = positions(group_of_park, index)
    pos = np.where(park_at >= 0, group_at[park_at], -1)
    status = tenants["project_status"].astype("string")
    columns = {f"projects_{s}_count": status.eq(s).to_numpy(dtype=bool, na_value=False)
               for s in PROJECT_STATUSES}
    columns["projects_valid_count"] = status.isin(VALID_PROJECT_STATUSES).to_numpy(
        dtype=bool, na_value=False)
    out = pd.DataFrame({name: np.bincount(pos[(pos >= 0) & hit], minlength=len(index))
                        for name, hit in columns.items()}, index=index).astype("int64")
    order = ["projects_valid_count"] + [f"projects_{s}_count" for s in PROJECT_STATUSES]
    return out[order]


def park_indicators(plan: Plan) -> pd.DataFrame:
    """Everything about each park in one wide row, indexed by ``park_code``.

    Columns: ``name_vi, name_en, province, legacy_province, status``; the areas and
    occupancy of :func:`~gis_app.analytics.areas.park_areas`; the project counts; the
    efficiency of :func:`~gis_app.analytics.efficiency.park_efficiency`; and the wastewater
    fields ``plant_operating, design_capacity_m3_day, current_load_m3_day,
    utilisation_share, headroom_m3_day, auto_monitoring`` with the two wastewater flags.
    """
    index = park_index(plan)
    parks = plan.parks.set_axis(index)
    out = parks[["name_vi", "name_en", "province", "legacy_province", "status"]].astype("string")
    keys = pd.Series(index.to_numpy(), index=index)
    out = out.join(park_areas(plan))
    out = out.join(project_counts(plan, keys, index))
    out = out.join(park_efficiency(plan))
    out = out.join(wastewater_status(plan)[list(_WASTEWATER_COLUMNS)])
    return out


def province_indicators(plan: Plan, by: str = "province", *, also: Sequence[str] = (),
                        metrics: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sums and ratios per province (``by="province"``) or legacy province, or of every park
    of the plan in one row (``by="all"``, index ``"all"``: the viewer's overview of a file).

    Counts of parks: ``parks_count`` (every park in the file), ``parks_approved_count``
    (every park in the plan, i.e. all but those merely ``proposed``),
    ``parks_established_count`` (status established or operating),
    ``parks_operating_count``. Areas: the sums over parks of every ``*_ha`` column of
    :func:`~gis_app.analytics.areas.park_areas`, except ``established_ha`` which sums the
    established area of established parks only. Occupancy (``occupancy_share``) is the
    leased over the leasable land *of established parks* (``leased_established_ha`` /
    ``leasable_established_ha``), the way the boards publish it; ``occupancy_cleared_share``
    is leased over cleared land.
    Wastewater coverage and the project counts follow, then the efficiency of the group's
    valid secondary projects.

    Examples
    --------
    >>> from gis_app.testing import tiny_plan
    >>> t = province_indicators(tiny_plan(), by="legacy_province")
    >>> row = t.loc["Bắc Ninh"]
    >>> int(row["parks_operating_count"]), float(row["leased_ha"]), float(row["occupancy_share"])
    (1, 1.5, 0.75)

    ``also``: groups reported even when no park is in them (an empty province file made by
    ``kcn-gis init`` reads as zeros, not as an empty table). ``metrics``: the plan's
    :func:`~gis_app.analytics.efficiency.tenant_metrics` when the caller has them already
    (the national roll-up reuses them for its totals).
    """
    groups = park_groups(plan, by)
    present = list(pd.unique(groups.dropna()))
    index = pd.Index(present + [g for g in also if g not in present], name=by)
    areas = park_areas(plan)
    status = plan.parks["status"].astype("string")
    established = status.isin(ESTABLISHED_STATUSES).to_numpy(dtype=bool)
    key = groups.to_numpy()
    pos, n = positions(groups, index), len(index)

    # Columns gathered as arrays and framed once: inserting each into a frame, or joining
    # frames, costs more than the sums for a province's few parks.
    def count(hit: np.ndarray) -> np.ndarray:
        return np.bincount(pos[(pos >= 0) & hit], minlength=n).astype("int64")

    out: dict[str, np.ndarray] = {
        "parks_count": count(np.ones(len(pos), dtype=bool)),
        # A park merely proposed for the plan is not yet approved (schema status 'proposed').
        "parks_approved_count": count(status.ne("proposed").to_numpy(dtype=bool)),
        "parks_established_count": count(established),
        "parks_operating_count": count(status.eq("operating").to_numpy(dtype=bool)),
    }
    # Built as it always was: pandas sums a frame of one block in another order (compensated)
    # than this one, which would change the last digit of the published areas.
    additive = areas[list(ADDITIVE_AREA_COLUMNS)].copy()
    additive["established_ha"] = additive["established_ha"].where(established, 0.0)
    additive["leasable_established_ha"] = areas["leasable_ha"].where(established, 0.0)
    additive["leased_established_ha"] = areas["leased_ha"].where(established, 0.0)
    sums = additive.groupby(key, sort=False).sum(min_count=0).reindex(index, fill_value=0.0)
    out |= {column: sums[column].to_numpy() for column in sums.columns}
    # Published occupancy: leased over leasable land, both of the established parks.
    out["occupancy_share"] = ratio_values(out["leased_established_ha"],
                                          out["leasable_established_ha"])
    out["occupancy_cleared_share"] = ratio_values(out["leased_ha"], out["cleared_ha"])
    coverage = wastewater_coverage(plan, by=by).reindex(index)
    out["parks_operating_with_plant_count"] = coverage[
        "parks_operating_with_plant_count"].fillna(0).to_numpy(dtype="int64")
    out["wastewater_coverage_share"] = coverage["coverage_share"].to_numpy(dtype="float64")
    out["parks_operating_monitored_count"] = coverage[
        "parks_operating_monitored_count"].fillna(0).to_numpy(dtype="int64")
    keys = pd.Series(key, index=groups.index, name=by)
    projects = project_counts(plan, keys, index)
    metrics = tenant_metrics(plan) if metrics is None else metrics
    # Groups without parks have no efficiency row: NaN there, as a join gives.
    efficiency = group_efficiency(plan, keys, metrics=metrics).reindex(index)
    return pd.concat([pd.DataFrame(out, index=index), projects, efficiency], axis=1)
