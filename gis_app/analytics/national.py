"""The ministry's view: the indicators of several provinces in one table, with national totals.

Each province is measured on its own (its areas in its own VN-2000 TM-3 zone, by
:func:`~gis_app.analytics.indicators.province_indicators`), so a row of the national table is
exactly that province's own summary. Totals, and a group that several files share, are never
averages of ratios: counts, areas and money are summed, and every ratio is computed again from
the sums (occupancy = summed leased / summed leasable land of established parks; the
per-hectare efficiency over the summed projects' figures and land).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..model.crs import require_projected
from ..model.plan import Plan
from ._common import park_groups, ratio
from .efficiency import _efficiency_of, tenant_metrics
from .indicators import park_indicators, province_indicators

#: Index label of the totals row (a catalogue key: ``national.total``).
TOTAL = "national.total"

#: Ratios recomputed from summed columns: ratio column -> (numerator, denominator).
_SUMMARY_RATIOS: dict[str, tuple[str, str]] = {
    "occupancy_share": ("leased_established_ha", "leasable_established_ha"),
    "occupancy_cleared_share": ("leased_ha", "cleared_ha"),
    "wastewater_coverage_share": ("parks_operating_with_plant_count", "parks_operating_count"),
}
_PARK_RATIOS: dict[str, tuple[str, str]] = {
    "occupancy_share": ("leased_ha", "leasable_ha"),
    "occupancy_cleared_share": ("leased_ha", "cleared_ha"),
    "utilisation_share": ("current_load_m3_day", "design_capacity_m3_day"),
}


@dataclass(frozen=True)
class ProvinceFigures:
    """What the national table needs of one plan, kept instead of the plan: its own table by
    group, a row per project and each park's group (kilobytes, whatever the plots). The
    viewer keeps one per loaded file and adds them up with :func:`national_summary_of`."""

    by: str  #: ``"province"`` or ``"legacy_province"``
    table: pd.DataFrame  #: :func:`~gis_app.analytics.province_indicators` of the plan
    metrics: pd.DataFrame  #: :func:`~gis_app.analytics.efficiency.tenant_metrics` of the plan
    groups: pd.Series  #: park_code -> group


def province_figures(plan: Plan, by: str = "province", *, also: Sequence[str] = ()
                     ) -> ProvinceFigures:
    """One plan's share of the national table (``also``: see :func:`national_summary`)."""
    if _is_empty(plan):
        return _empty_figures(plan, by, also)
    return _figures(plan, by, also)


def _figures(plan: Plan, by: str, also: Sequence[str]) -> ProvinceFigures:
    metrics = tenant_metrics(plan)
    table = province_indicators(plan, by, also=also, metrics=metrics)
    return ProvinceFigures(by, table, metrics, park_groups(plan, by))


#: Per ``by`` and whether groups are asked for: the figures of a plan without parks, plots
#: or projects, for one group ``""`` or for none.
_EMPTY: dict[tuple[str, bool], ProvinceFigures] = {}


def _is_empty(plan: Plan) -> bool:
    return all(len(frame) == 0 for frame in (plan.parks, plan.plots, plan.tenants,
                                             plan.tenant_plots, plan.wastewater_plants))


def _empty_figures(plan: Plan, by: str, also: Sequence[str]) -> ProvinceFigures:
    """The figures of a plan with no park, plot or project (a fresh ``kcn-gis init`` file,
    most files of a national roll-up at first): every group of ``also`` reads the same row
    of zeros and NaN, so that row is computed once per ``by`` the general way and repeated.
    Computing it for each file cost some 40 ms of pandas calls, whatever the file."""
    require_projected(plan.plots, what="layer 'plots'")  # refused in degrees, as any plan
    key = (by, bool(also))
    if key not in _EMPTY:
        _EMPTY[key] = _figures(plan, by, ("",) if also else ())
    empty = _EMPTY[key]
    table = empty.table.iloc[[0] * len(also)].set_axis(pd.Index(list(also), name=by))
    return ProvinceFigures(by, table, empty.metrics.copy(), empty.groups.copy())


def _keyed(figures: Sequence[ProvinceFigures], by: str) -> tuple[pd.DataFrame, pd.Series]:
    """Every plan's tenant metrics in one frame, and park -> group, with each park code
    prefixed by its plan's position (two provinces may use the same park codes)."""
    keyed, groups = [], []
    for i, f in enumerate(figures):
        m, g = f.metrics, f.groups
        keyed.append(m.assign(park_code=f"{i}\x1f" + m["park_code"].astype("string")))
        groups.append(pd.Series(g.to_numpy(), index=f"{i}\x1f" + g.index.astype("string"),
                                name=by, dtype="string"))
    return pd.concat(keyed), pd.concat(groups)


def _sum_rows(table: pd.DataFrame, keys: pd.Index | np.ndarray, ratios: dict[str, tuple[str, str]]
              ) -> pd.DataFrame:
    """Rows of ``table`` summed by ``keys`` (first-seen order): numbers summed (a column that
    no row reports stays NaN), text and flags dropped, ``ratios`` computed from the sums."""
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c].dtype)
               and not pd.api.types.is_bool_dtype(table[c].dtype) and c not in ratios]
    grouped = table[numeric].groupby(np.asarray(keys), sort=False)
    counts = [c for c in numeric if c.endswith("_count")]
    out = grouped.sum(min_count=1)
    out[counts] = out[counts].fillna(0).astype("int64")
    for column, (num, den) in ratios.items():
        if column in table.columns:
            out[column] = ratio(out[num], out[den])
    return out


def _rank(table: pd.DataFrame) -> pd.DataFrame:
    """Highest occupancy first (no occupancy last; ties keep their order), with ``rank``."""
    order = np.argsort(-table["occupancy_share"].to_numpy(dtype="float64", na_value=np.nan),
                       kind="stable")  # NaN sorts last
    ranked = table.iloc[order].copy()
    ranked.insert(0, "rank", pd.array(
        ranked["occupancy_share"].rank(ascending=False, method="min"), dtype="Int64"))
    return ranked


def national_summary(plans: Sequence[Plan], by: str = "province", *,
                     also: Sequence[Sequence[str]] = ()) -> pd.DataFrame:
    """The national table: one row per province (``by="province"``) or legacy province
    (``by="legacy_province"``) of all ``plans``, ranked by occupancy, and a totals row.

    Columns: ``rank`` (1 = highest occupancy; NA for a group with nothing leasable and for
    the totals) and the columns of :func:`~gis_app.analytics.province_indicators`. The last
    row, index :data:`TOTAL`, sums every count, area and amount and computes every ratio
    again from those sums. ``also[i]``: groups of ``plans[i]`` reported even without parks
    (an empty province file made by ``kcn-gis init`` reads as a row of zeros).

    The one definition, for ``kcn-gis summary`` and the viewer's national overview alike: a
    row is a group of the parks' own ``province`` (or ``legacy_province``) column, whichever
    files its parks come from; counts and areas (``parks_count``, ``planned_ha``...) cover
    every park, occupancy only established parks (summed ``leased_established_ha`` over
    summed ``leasable_established_ha``, as the boards publish it); ranks tie on equal
    occupancy, and a group with nothing leasable has no rank and comes last.

    Examples
    --------
    >>> from gis_app.testing import tiny_plan
    >>> t = national_summary([tiny_plan(), tiny_plan()], by="legacy_province")
    >>> float(t.loc[TOTAL, "leased_ha"]), float(t.loc[TOTAL, "occupancy_share"])
    (3.0, 0.75)
    """
    if not plans:
        raise UsageError("national_summary: no plan given")
    return national_summary_of([province_figures(plan, by, also=also[i] if i < len(also)
                                                 else ()) for i, plan in enumerate(plans)])


def national_summary_of(figures: Sequence[ProvinceFigures]) -> pd.DataFrame:
    """:func:`national_summary` of plans already reduced by :func:`province_figures` (the
    viewer keeps the figures of each loaded file, not its plan), all grouped by one ``by``."""
    if not figures:
        raise UsageError("national_summary: no plan given")
    by = figures[0].by
    if any(f.by != by for f in figures):
        raise UsageError("national_summary: figures grouped differently "
                         f"({', '.join(sorted({f.by for f in figures}))})")
    metrics, group_of_park = _keyed(figures, by)
    table = pd.concat([f.table for f in figures])
    # A group several files share (a province split across files) is summed like the totals.
    groups = _sum_rows(table, table.index, _SUMMARY_RATIOS)
    total = _sum_rows(table, np.full(len(table), TOTAL, dtype=object), _SUMMARY_RATIOS)
    efficiency_columns = _efficiency_of(metrics.iloc[:0], group_of_park.iloc[:0],
                                        pd.Index([], name=by)).columns
    groups[list(efficiency_columns)] = _efficiency_of(
        metrics, group_of_park, groups.index.rename(by))[list(efficiency_columns)]
    all_parks = pd.Series(TOTAL, index=group_of_park.index, name=by, dtype="string")
    total[list(efficiency_columns)] = _efficiency_of(
        metrics, all_parks, pd.Index([TOTAL], name=by))[list(efficiency_columns)]
    columns = list(table.columns)
    ranked = _rank(groups[columns])
    out = pd.concat([ranked, total.reindex(columns=ranked.columns)]).astype({"rank": "Int64"})
    out.index.name = by
    return out


def national_parks(plans: Sequence[Plan]) -> pd.DataFrame:
    """Every park of every plan (the per-park table of
    :func:`~gis_app.analytics.park_indicators`), ranked by occupancy, with a totals row
    (index :data:`TOTAL`) summed and its ratios computed again from the sums.

    The index is ``park_code``; the ``province`` column names each park's province.
    """
    if not plans:
        raise UsageError("national_parks: no plan given")
    metrics, _ = _keyed([ProvinceFigures("province", pd.DataFrame(), tenant_metrics(plan),
                                         park_groups(plan, "province")) for plan in plans],
                        "province")
    table = pd.concat([park_indicators(plan) for plan in plans])
    flags = [c for c in table.columns if pd.api.types.is_bool_dtype(table[c].dtype)]
    table = table.astype({c: "boolean" for c in flags})  # the totals row has no flag: NA
    total = _sum_rows(table, np.full(len(table), TOTAL, dtype=object), _PARK_RATIOS)
    efficiency = _efficiency_of(
        metrics, pd.Series(TOTAL, index=pd.Index(metrics["park_code"].unique()), dtype="string"),
        pd.Index([TOTAL]))
    shared = [c for c in efficiency.columns if c in table.columns]
    total[shared] = efficiency[shared]
    total["headroom_m3_day"] = total["design_capacity_m3_day"] - total["current_load_m3_day"]
    ranked = _rank(table)
    out = pd.concat([ranked, total.reindex(columns=ranked.columns)])
    text = [c for c in table.columns if pd.api.types.is_string_dtype(table[c].dtype)]
    out = out.astype({"rank": "Int64"} | {c: "boolean" for c in flags}
                     | {c: "string" for c in text})
    out.index.name = "park_code"
    return out
