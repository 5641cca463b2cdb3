"""The province-wide "needs action" list: what an officer should look at first, in one table.

Before this list, the behind-schedule projects of a province could only be found by opening
each park's page. One row is one thing to act on, with the park (and, for land, the plot)
it concerns so that the viewer can link to it:

- a revoked project still holding leased plots, or a behind-schedule project (one row per
  project, its plots listed);
- leased land that is idle: a valid project's plot whose built-up share is still low after
  the grace years (from :func:`~gis_app.analytics.reclamation_candidates`, which needs a
  built-up raster; without one there are no such rows). Plots of revoked or
  behind-schedule projects are not repeated: their project's row covers them;
- a park whose wastewater load is over the utilisation threshold of its operating plants,
  and an operating park without an operating plant.

:func:`needs_action` is pure (frames in, frame out); :func:`province_actions` feeds it a plan.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..model.plan import Plan
from .efficiency import tenant_metrics
from .reclamation import ReclamationRules, reclamation_candidates
from .wastewater import WastewaterThresholds, wastewater_status

#: Kinds of action, most serious first; their wording is the catalogue's ``action.<kind>``.
ACTION_KINDS: tuple[str, ...] = ("revoked", "behind_schedule", "idle_land",
                                 "wastewater_over_capacity", "wastewater_missing")

#: Columns of :func:`needs_action`, in order.
COLUMNS: tuple[str, ...] = (
    "kind", "park_code", "plot_code", "plot_codes", "project_id", "investor",
    "project_status", "lease_start", "area_ha", "years_since_lease", "builtup_share",
    "design_capacity_m3_day", "current_load_m3_day", "utilisation_share",
)


def _plots_of(tenant_plots: pd.DataFrame) -> pd.Series:
    """project_id -> its plot codes, sorted (a project may lease several plots)."""
    links = tenant_plots.astype({"plot_code": "string", "project_id": "string"})
    return links.sort_values("plot_code").groupby("project_id")["plot_code"].agg(list)


def needs_action(projects: pd.DataFrame, tenant_plots: pd.DataFrame,
                 wastewater: pd.DataFrame, idle: pd.DataFrame | None = None) -> pd.DataFrame:
    """Everything in the province that needs an officer's action, most serious first.

    Parameters
    ----------
    projects
        :func:`~gis_app.analytics.tenant_metrics` (index ``project_id``; uses ``park_code,
        project_status, investor, lease_start, area_ha``).
    tenant_plots
        The ``tenant_plots`` links (``project_id``, ``plot_code``).
    wastewater
        :func:`~gis_app.analytics.wastewater_status` (index ``park_code``): its
        ``flag_high_utilisation`` (over the threshold it was computed with) and
        ``flag_operating_without_plant`` make the wastewater rows.
    idle
        :func:`~gis_app.analytics.reclamation_candidates` (index ``plot_code``), or None.

    Returns
    -------
    DataFrame
        One row per action, a fresh ``RangeIndex``, the columns of :data:`COLUMNS`:
        ``kind`` (a key of :data:`ACTION_KINDS`), the ``park_code``, ``plot_code`` (the
        first plot concerned, for a link; empty for a park-wide row), ``plot_codes`` (all
        of them, comma-separated), the project's ``project_id, investor, project_status,
        lease_start`` and land ``area_ha``; ``years_since_lease`` and ``builtup_share``
        of idle plots; ``design_capacity_m3_day, current_load_m3_day, utilisation_share``
        of wastewater rows. Ordered by kind, then park, then project or plot.
    """
    rows: list[pd.DataFrame] = []
    plots_of = _plots_of(tenant_plots)

    status = projects["project_status"].astype("string")
    for kind in ("revoked", "behind_schedule"):
        chosen = projects.loc[status.eq(kind).fillna(False).to_numpy(dtype=bool)]
        plot_lists = plots_of.reindex(chosen.index.astype("string"))
        plot_lists = [v if isinstance(v, list) else [] for v in plot_lists]
        if kind == "revoked":  # a revoked project without land has nothing left to act on
            keep = np.array([bool(v) for v in plot_lists], dtype=bool)
            chosen = chosen.loc[keep]
            plot_lists = [v for v, k in zip(plot_lists, keep, strict=True) if k]
        rows.append(pd.DataFrame({
            "kind": kind,
            "park_code": chosen["park_code"].astype("string").to_numpy(),
            "plot_code": [v[0] if v else "" for v in plot_lists],
            "plot_codes": [", ".join(v) for v in plot_lists],
            "project_id": chosen.index.astype("string"),
            "investor": chosen["investor"].astype("string").to_numpy(),
            "project_status": kind,
            "lease_start": pd.to_datetime(chosen["lease_start"]).to_numpy(),
            "area_ha": chosen["area_ha"].astype("float64").to_numpy(),
        }))

    if idle is not None and not idle.empty:
        low = idle["reasons"].astype("string").str.split(", ").map(
            lambda codes: "low_builtup" in codes)
        covered = idle["project_status"].astype("string").isin(["revoked", "behind_schedule"])
        plots = idle.loc[low.to_numpy(dtype=bool) & ~covered.fillna(False).to_numpy(dtype=bool)]
        codes = plots.index.astype("string")
        rows.append(pd.DataFrame({
            "kind": "idle_land",
            "park_code": plots["park_code"].astype("string").to_numpy(),
            "plot_code": codes,
            "plot_codes": codes,
            "project_id": plots["project_id"].astype("string").to_numpy(),
            "investor": plots["investor"].astype("string").to_numpy(),
            "project_status": plots["project_status"].astype("string").to_numpy(),
            "lease_start": pd.to_datetime(plots["lease_start"]).to_numpy(),
            "area_ha": plots["area_ha"].astype("float64").to_numpy(),
            "years_since_lease": plots["years_since_lease"].astype("float64").to_numpy(),
            "builtup_share": plots["builtup_share"].astype("float64").to_numpy(),
        }))

    for kind, flag in (("wastewater_over_capacity", "flag_high_utilisation"),
                       ("wastewater_missing", "flag_operating_without_plant")):
        parks = wastewater.loc[wastewater[flag].astype(bool).to_numpy()]
        rows.append(pd.DataFrame({
            "kind": kind,
            "park_code": parks.index.astype("string"),
            "plot_code": "",
            "plot_codes": "",
            "design_capacity_m3_day": parks["design_capacity_m3_day"].astype("float64")
            .to_numpy(),
            "current_load_m3_day": parks["current_load_m3_day"].astype("float64").to_numpy(),
            "utilisation_share": parks["utilisation_share"].astype("float64").to_numpy(),
        }))

    out = pd.concat([r for r in rows if not r.empty] or [pd.DataFrame(columns=list(COLUMNS))],
                    ignore_index=True)
    out = out.reindex(columns=list(COLUMNS))
    for column in ("kind", "park_code", "plot_code", "plot_codes", "project_id", "investor",
                   "project_status"):
        out[column] = out[column].astype("string")
    out["lease_start"] = pd.to_datetime(out["lease_start"])
    for column in COLUMNS[8:]:
        out[column] = out[column].astype("float64")
    order = out["kind"].map({k: i for i, k in enumerate(ACTION_KINDS)}).astype("int64")
    key = out["project_id"].fillna(out["plot_code"])
    out = out.assign(_order=order, _key=key).sort_values(
        ["_order", "park_code", "_key", "plot_code"], kind="stable")
    return out.drop(columns=["_order", "_key"]).reset_index(drop=True)


def province_actions(plan: Plan, builtup_raster: str | Path | None = None,
                     as_of: date | None = None, *,
                     rules: ReclamationRules | None = None,
                     thresholds: WastewaterThresholds | None = None) -> pd.DataFrame:
    """:func:`needs_action` of a whole plan (idle land only with a built-up raster)."""
    idle = reclamation_candidates(plan, builtup_raster, as_of, rules) \
        if builtup_raster is not None else None
    return needs_action(tenant_metrics(plan), plan.tenant_plots,
                        wastewater_status(plan, thresholds), idle)
