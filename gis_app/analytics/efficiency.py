"""Land-use efficiency: capital, revenue, exports, budget and jobs per leased hectare.

A project's land is the measured area of the plots it occupies (``tenant_plots``). Only valid
(not revoked) secondary projects count: infrastructure developers own the whole park and
would swamp every per-hectare figure. A figure a project does not report (missing revenue,
say) is left out of the numerator *and* its area out of the denominator, so that a park
where half the tenants report is not made to look half as productive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model.plan import Plan
from ._common import (
    VALID_PROJECT_STATUSES,
    area_ha,
    park_index,
    positions,
    ratio_values,
    sum_at,
)

#: Money and jobs reported per project, and the per-hectare column each becomes.
FIGURES: dict[str, str] = {
    "registered_capital_usd": "registered_capital_usd_per_ha",
    "realised_capital_usd": "realised_capital_usd_per_ha",
    "revenue_usd": "revenue_usd_per_ha",
    "exports_usd": "exports_usd_per_ha",
    "budget_contribution_usd": "budget_usd_per_ha",
    "employees": "employees_per_ha",
}


@dataclass(frozen=True)
class EfficiencyThresholds:
    """Provincial minimums below which a tenant or a park is flagged (None: not checked).

    The defaults are board settings, not legal limits; each states where it comes from.
    """

    #: Bắc Ninh's average investment intensity was ~9.03 M USD/ha in 2018 while the early
    #: projects it now screens out brought 1-2 M USD/ha (facts.md, seeds 002/003). 3 M USD/ha
    #: flags what is clearly of that early kind; tighten it to the province's own target.
    min_registered_capital_usd_per_ha: float | None = 3_000_000.0
    #: Realised (disbursed) share of registered capital: below half is a stalled project.
    #: A common rule of thumb of investment monitoring, not a published provincial figure.
    min_realised_share: float | None = 0.5
    #: Budget contribution: Bắc Ninh's 2025 target of 12,000 bn VND from about 2,500 ha leased
    #: (facts.md) is ~200,000 USD/ha at 24,000 VND/USD; half of it is flagged by default.
    min_budget_usd_per_ha: float | None = 100_000.0
    #: Revenue per ha: no published provincial figure; off unless a board sets one.
    min_revenue_usd_per_ha: float | None = None


def tenant_metrics(plan: Plan) -> pd.DataFrame:
    """One row per project (index ``project_id``): its land, figures and figures per ha.

    Columns: ``park_code, project_type, project_status, investor, country, sector,
    lease_start, valid`` (not revoked), ``plots_count, area_ha`` (measured area of its
    plots), the reported figures of :data:`FIGURES` and their ``*_per_ha`` values (NaN when
    the figure is missing or the project has no plot), and ``realised_share``.
    """
    tenants = plan.tenants
    links = plan.tenant_plots
    plot_codes = pd.Index(plan.plots["plot_code"].astype("string"))
    plot_area = area_ha(plan.plots, what="layer 'plots'").to_numpy()
    at = positions(links["plot_code"].astype("string"), plot_codes)
    link_area = np.where(at >= 0, plot_area[at], np.nan)  # a link to no plot adds no land
    projects, of_link = pd.factorize(links["project_id"].astype("string"))
    n = len(of_link)
    per_project = pd.DataFrame(
        {"area_ha": sum_at(link_area, projects, n),
         "plots_count": np.bincount(projects[projects >= 0], minlength=n)},
        index=pd.Index(of_link, dtype="string"))

    ids = pd.Index(tenants["project_id"].astype("string"), name="project_id")
    # Built at once from the Arrow-backed columns: converting each to Python objects and
    # inferring its type back cost more than all the sums.
    # (and framed once: each column inserted into a frame costs a tenth of a millisecond,
    # paid again for every province of a national table).
    text = {column: tenants[column].astype("str")
            for column in ("park_code", "project_type", "project_status", "investor", "country",
                           "sector")}
    out: dict[str, object] = {column: values.array for column, values in text.items()}
    out["lease_start"] = tenants["lease_start"].to_numpy()
    out["valid"] = text["project_status"].isin(VALID_PROJECT_STATUSES).to_numpy(dtype=bool)
    out["plots_count"] = per_project["plots_count"].reindex(ids, fill_value=0).to_numpy(
        dtype="int64")
    out["area_ha"] = area = per_project["area_ha"].reindex(ids, fill_value=0.0).to_numpy(
        dtype="float64")
    for figure, per_ha in FIGURES.items():
        out[figure] = values = tenants[figure].astype("float64").to_numpy()
        out[per_ha] = ratio_values(values, area)
    realised, registered = (tenants[c].astype("float64").to_numpy()
                            for c in ("realised_capital_usd", "registered_capital_usd"))
    out["realised_share"] = ratio_values(realised, registered)
    return pd.DataFrame(out, index=ids)


def _efficiency_of(metrics: pd.DataFrame, group_of_park: pd.Series, index: pd.Index,
                   ) -> pd.DataFrame:
    """Per-group sums and per-hectare ratios of valid secondary projects.

    ``group_of_park`` maps park_code -> group (the identity for per-park figures).
    """
    m = metrics.loc[metrics["valid"] & metrics["project_type"].eq("secondary")]
    # Project -> its park's position -> that park's group's position in the output.
    park_at = positions(m["park_code"], group_of_park.index)
    group_at = positions(group_of_park, index)
    pos, n = np.where(park_at >= 0, group_at[park_at], -1), len(index)
    area = m["area_ha"].to_numpy(dtype="float64")
    # Columns gathered as arrays and framed once: inserting them one by one into a frame
    # costs more than the sums for the few groups of a province.
    out: dict[str, np.ndarray] = {}
    out["secondary_projects_valid_count"] = np.bincount(pos[pos >= 0], minlength=n).astype(
        "int64")
    out["projects_ha"] = sum_at(area, pos, n)
    for figure, per_ha in FIGURES.items():
        values = m[figure].to_numpy(dtype="float64", na_value=np.nan)
        # Only projects that report the figure and have land enter the per-ha denominator.
        with_land = ~np.isnan(values) & (area > 0)
        out[figure] = sum_at(values, pos, n, min_count=1)
        num = sum_at(np.where(with_land, values, np.nan), pos, n, min_count=1)
        den = sum_at(np.where(with_land, area, 0.0), pos, n)
        out[per_ha] = ratio_values(num, den)
    # Realised share only over projects that report both figures.
    realised = m["realised_capital_usd"].to_numpy(dtype="float64", na_value=np.nan)
    registered = m["registered_capital_usd"].to_numpy(dtype="float64", na_value=np.nan)
    both = ~np.isnan(realised) & ~np.isnan(registered)
    out["realised_share"] = ratio_values(
        sum_at(np.where(both, realised, np.nan), pos, n, min_count=1),
        sum_at(np.where(both, registered, np.nan), pos, n, min_count=1))
    out["registered_capital_usd_per_project"] = ratio_values(
        out["registered_capital_usd"], out["secondary_projects_valid_count"])
    return pd.DataFrame(out, index=index)


def park_efficiency(plan: Plan, *, metrics: pd.DataFrame | None = None) -> pd.DataFrame:
    """Efficiency of each park (index ``park_code``) over its valid secondary projects.

    Columns: ``secondary_projects_valid_count, projects_ha`` (land of those projects),
    the summed figures of :data:`FIGURES`, their ``*_per_ha`` ratios, ``realised_share``
    and ``registered_capital_usd_per_project``.

    Examples
    --------
    >>> from gis_app.testing import tiny_plan
    >>> e = park_efficiency(tiny_plan())
    >>> float(e.loc["P1", "registered_capital_usd_per_ha"])  # 12 M USD on 1.5 ha
    8000000.0
    >>> float(e.loc["P1", "revenue_usd_per_ha"])  # only T1 reports: 30 M USD on 1.0 ha
    30000000.0
    """
    metrics = tenant_metrics(plan) if metrics is None else metrics
    index = park_index(plan)
    keys = pd.Series(index.to_numpy(), index=index)
    return _efficiency_of(metrics, keys, index)


def group_efficiency(plan: Plan, groups: pd.Series,
                     *, metrics: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`park_efficiency` for groups of parks (``groups``: park_code -> group)."""
    metrics = tenant_metrics(plan) if metrics is None else metrics
    index = pd.Index(pd.unique(groups.dropna()), name=groups.name)
    return _efficiency_of(metrics, groups, index)


def _flags(frame: pd.DataFrame, thresholds: EfficiencyThresholds) -> pd.DataFrame:
    checks = {
        "below_registered_capital_per_ha": ("registered_capital_usd_per_ha",
                                            thresholds.min_registered_capital_usd_per_ha),
        "below_realised_share": ("realised_share", thresholds.min_realised_share),
        "below_budget_per_ha": ("budget_usd_per_ha", thresholds.min_budget_usd_per_ha),
        "below_revenue_per_ha": ("revenue_usd_per_ha", thresholds.min_revenue_usd_per_ha),
    }
    out = pd.DataFrame(index=frame.index)
    for flag, (column, minimum) in checks.items():
        if minimum is None:
            continue
        # A missing figure is not "below": it is flagged as missing by the data checks.
        out[flag] = frame[column].lt(minimum).fillna(False).astype(bool)
    out["flag_count"] = out.sum(axis=1).astype("int64")
    return out


def efficiency_ranking(plan: Plan, thresholds: EfficiencyThresholds | None = None,
                       ) -> pd.DataFrame:
    """Parks ranked by registered capital per leased ha, with threshold flags.

    Index ``park_code``; columns of :func:`park_efficiency` plus ``rank`` (1 = most
    capital per ha; parks without the figure last, rank NA) and one boolean ``below_*``
    column per threshold that is set, and ``flag_count``.
    """
    thresholds = thresholds or EfficiencyThresholds()
    eff = park_efficiency(plan)
    out = eff.join(_flags(eff, thresholds))
    out.insert(0, "rank", out["registered_capital_usd_per_ha"].rank(
        ascending=False, method="min").astype("Int64"))
    return out.sort_values(["rank", "projects_ha"], ascending=[True, False], na_position="last")


def tenant_flags(plan: Plan, thresholds: EfficiencyThresholds | None = None) -> pd.DataFrame:
    """Valid secondary projects with their per-ha figures and threshold flags.

    Index ``project_id``; the columns of :func:`tenant_metrics` plus the ``below_*`` flags
    and ``flag_count``, most-flagged first.
    """
    thresholds = thresholds or EfficiencyThresholds()
    m = tenant_metrics(plan)
    m = m.loc[m["valid"] & m["project_type"].eq("secondary")]
    out = m.join(_flags(m, thresholds))
    return out.sort_values(["flag_count", "registered_capital_usd_per_ha"],
                           ascending=[False, True], na_position="last")
