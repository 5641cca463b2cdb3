"""Lease start dates consistent with the plan history, and calibrated to the July 2018 report.

:func:`gis_app.sample.tenants.make_tenants` draws each project's lease start from a window of
years by project status. The history needs three more things of those dates, which this
module enforces after the fact, without touching anything the 2023 calibration fixed (which
plots are leased, by whom, with which status, capital, jobs ...):

* a lease starts after its park was established (the first of the month after the decision)
  and, for land a later decision added to a park, after that decision;
* no lease starts after the reporting date the sample stands for (17 Nov 2023), so that the
  plan as of that date is the shipped baseline;
* in old Bắc Ninh, the land leased in the parks established by the end of July 2018 adds up
  to what the board reported then: 63.61 % of 2,609.4 ha = 1,659.84 ha (facts.md, seeds
  002/003). A few projects' lease starts are moved across that date to reach it, each within
  the window its status allows.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import shapely

from ..settings import LEASABLE_LAND_USES

#: The board's July 2018 report (figures to the end of the month).
REPORT_2018 = pd.Timestamp("2018-07-31")
#: Leased industrial land it reports: 63.61 % of 2,609.4 ha leasable (facts.md).
LEASED_2018_HA = 0.6361 * 2609.4
#: Lease starts are the first of a month; the last allowed before the 2023 reporting date.
LATEST_LEASE = pd.Timestamp("2023-11-01")
#: Tolerance of the 2018 calibration (keeps 63.61 % and 1,659.8 ha when rounded).
TOLERANCE_HA = 0.05
#: Statuses whose lease year window (tenants._STATUS_YEARS) spans July 2018 both ways.
_MOVABLE = ("operating", "behind_schedule", "revoked")


def _first_of_next_month(dates: pd.Series) -> pd.Series:
    return (dates.dt.to_period("M") + 1).dt.to_timestamp()


def project_leased_ha(tenants: pd.DataFrame, links: pd.DataFrame, plots: pd.DataFrame
                      ) -> pd.Series:
    """Leased leasable land of each project (measured, ha), indexed like ``tenants``."""
    leased = plots["land_use"].isin(LEASABLE_LAND_USES) & plots["status"].eq("leased")
    area = pd.Series(shapely.area(np.asarray(plots.geometry.values)) / 1e4,
                     index=plots["plot_code"]).where(leased.to_numpy(), 0.0)
    per_project = area.reindex(links["plot_code"]).groupby(links["project_id"].to_numpy()).sum()
    return per_project.reindex(tenants["project_id"]).fillna(0.0).set_axis(tenants.index)


def _choose(delta: float, gain: pd.Series, loss: pd.Series) -> tuple[list, list]:
    """Projects to move before (``gain``, areas) and after (``loss``) the report date so that
    the net change is ``delta``: largest first, then the best single swap for the rest."""
    take_in: list = []
    take_out: list = []
    rest = delta
    pool = gain if rest > 0 else loss
    for idx, a in pool.sort_values(ascending=False, kind="stable").items():
        if a <= abs(rest) + TOLERANCE_HA / 2 and a > 0:
            (take_in if rest > 0 else take_out).append(idx)
            rest -= a if rest > 0 else -a
        if abs(rest) <= TOLERANCE_HA / 2:
            return take_in, take_out
    g = gain.drop(take_in).loc[lambda s: s > 0].sort_values()
    o = loss.drop(take_out).loc[lambda s: s > 0].sort_values()
    if len(g) and len(o):
        # Swap one project in for one out: gain - loss closest to the rest.
        wanted = o.to_numpy() + rest
        pos = np.clip(np.searchsorted(g.to_numpy(), wanted), 1, len(g) - 1)
        left, right = g.to_numpy()[pos - 1], g.to_numpy()[pos]
        pick = np.where(np.abs(left - wanted) <= np.abs(right - wanted), pos - 1, pos)
        error = np.abs(g.to_numpy()[pick] - wanted)
        best = int(np.argmin(error))
        take_in.append(g.index[pick[best]])
        take_out.append(o.index[best])
    return take_in, take_out


def calibrate_lease_dates(key: str, tenants: pd.DataFrame, links: pd.DataFrame,
                          plots: pd.DataFrame, parks: pd.DataFrame,
                          late_plots: Iterable[str] = (),
                          late_from: pd.Timestamp | None = None) -> pd.DataFrame:
    """``tenants`` with lease starts (and ends, 50 years later) made consistent and calibrated.

    ``late_plots`` are plots on land a later decision added to their park (effective
    ``late_from``): their projects' leases start after it.
    """
    out = tenants.copy()
    start = pd.to_datetime(out["lease_start"])
    decided = pd.Series(pd.to_datetime(parks["decision_date"]).to_numpy(),
                        index=parks["park_code"])
    lower = _first_of_next_month(pd.Series(decided.reindex(out["park_code"]).to_numpy(),
                                           index=out.index))
    late = set(late_plots)
    if late and late_from is not None:
        on_late = links.loc[links["plot_code"].isin(late), "project_id"]
        bump = out["project_id"].isin(on_late)
        floor = _first_of_next_month(pd.Series([late_from]))[0]
        lower = lower.where(~bump | (lower > floor), floor)
    start = start.where(start.isna() | lower.isna() | (start >= lower), lower)
    start = start.where(start.isna() | (start <= LATEST_LEASE), LATEST_LEASE)

    if key == "bac_ninh":
        legacy = pd.Series(parks["legacy_province"].to_numpy(), index=parks["park_code"])
        eligible = (out["park_code"].map(legacy).eq("Bắc Ninh")
                    & out["park_code"].map(decided).le(REPORT_2018)).to_numpy(dtype=bool)
        area = project_leased_ha(out, links, plots)
        before = (start <= REPORT_2018).to_numpy(dtype=bool)
        movable = out["project_status"].isin(_MOVABLE).to_numpy(dtype=bool) & eligible
        delta = LEASED_2018_HA - float(area[eligible & before].sum())
        gain = area[movable & ~before & (lower <= pd.Timestamp("2018-07-01")).to_numpy()]
        loss = area[movable & before]
        move_in, move_out = _choose(delta, gain, loss)
        start.loc[move_in] = pd.Timestamp("2018-07-01")
        start.loc[move_out] = pd.Timestamp("2018-08-01")
    out["lease_start"] = start.astype(out["lease_start"].dtype) if hasattr(
        out["lease_start"], "dt") else start
    moved = out["lease_start"].notna()
    out.loc[moved, "lease_end"] = out.loc[moved, "lease_start"] + pd.DateOffset(years=50)
    return out
