"""Idle and behind-schedule land: leased plots that are candidates for reclamation (thu hồi).

A leased plot is a candidate when its project is revoked (the land is leased on paper only),
behind schedule, or when the built-up share measured from a raster is still low some years
after the lease began. The raster may be in any CRS (see :mod:`gis_app.analytics.zonal`):
the shipped illustrative ``layers/<province>_builtup.tif`` (0-100 % built-up) or a real
built-up or land-cover product.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..i18n import t
from ..model.plan import Plan
from ._common import area_ha
from .zonal import zonal_mean

#: Reasons, most serious first; their wording is the catalogue's ``reason.<code>``.
REASONS: tuple[str, ...] = ("revoked", "behind_schedule", "low_builtup")



def _detail(lang: str, share_pct: pd.Series, years: pd.Series) -> pd.Series:
    """``<share> % after <years> years of lease`` for every row, in ``lang``."""
    template = t("reason.low_builtup_detail", lang)
    return pd.Series([template.format(share=s, years=y) for s, y in zip(share_pct, years,
                                                                         strict=True)],
                     index=share_pct.index, dtype="string")

@dataclass(frozen=True)
class ReclamationRules:
    """When a leased plot counts as idle."""

    #: Built-up share below which a plot counts as idle. Board setting: factory plots may be
    #: built up to 70 % (QCVN 01:2021/BXD's maximum net building density for factory plots, as
    #: widely quoted); a plot under 20 % years after its lease began is essentially unbuilt.
    min_builtup_share: float = 0.20
    #: Years after the lease start before a low built-up share counts. Two years follows the
    #: Land Law's 24-month delay after which leased land may be recovered (Luật Đất đai 2013,
    #: Điều 64 khoản 1 điểm i; carried into Luật Đất đai 2024, Điều 81) as we read it.
    grace_years: float = 2.0
    #: Raster values are divided by this (100: a 0-100 % built-up raster).
    value_scale: float = 100.0
    #: For a land-cover raster: the class values that are built-up (e.g. ESA WorldCover 50).
    builtup_classes: tuple[int, ...] | None = None


def _leased_plots(plan: Plan) -> pd.DataFrame:
    plots = plan.plots
    leased = plots.loc[plots["status"].eq("leased").fillna(False).to_numpy(dtype=bool)]
    links = plan.tenant_plots.astype("string").drop_duplicates("plot_code").set_index(
        "plot_code")["project_id"]
    tenants = plan.tenants.set_index(plan.tenants["project_id"].astype("string"))
    code = leased["plot_code"].astype("string")
    project = links.reindex(code).to_numpy()
    out = pd.DataFrame(
        {
            "park_code": leased["park_code"].astype("string").to_numpy(),
            "project_id": pd.array(project, dtype="string"),
            "investor": tenants["investor"].astype("string").reindex(project).to_numpy(),
            "project_status": tenants["project_status"].astype("string").reindex(project)
            .to_numpy(),
            "lease_start": tenants["lease_start"].reindex(project).to_numpy(),
            "area_ha": area_ha(leased, what="layer 'plots'").to_numpy(),
        },
        index=pd.Index(code, name="plot_code"),
    )
    return out


def reclamation_candidates(
    plan: Plan,
    builtup_raster: str | Path | None = None,
    as_of: date | None = None,
    rules: ReclamationRules | None = None,
) -> pd.DataFrame:
    """Leased plots that are candidates for reclamation, most urgent first.

    Parameters
    ----------
    plan
        The province plan.
    builtup_raster
        A built-up raster (any CRS), or None to use the project statuses only.
    as_of
        The date the lease ages are measured to (default: today).
    rules
        Thresholds; :class:`ReclamationRules` defaults.

    Returns
    -------
    DataFrame
        Indexed by ``plot_code``: ``rank`` (1 = most urgent), ``park_code, project_id,
        investor, project_status, lease_start, years_since_lease, builtup_share`` (NaN
        without a raster), ``pixel_count, area_ha, reasons`` (codes of :data:`REASONS`,
        comma-separated), ``reason_vi, reason_en``. Ordered by the most serious reason,
        then by built-up share (lowest first), then by area (largest first).
    """
    rules = rules or ReclamationRules()
    as_of = as_of or date.today()
    out = _leased_plots(plan)
    start = pd.to_datetime(out["lease_start"])
    out["years_since_lease"] = (pd.Timestamp(as_of) - start).dt.days / 365.25
    if builtup_raster is not None:
        plots = plan.plots.set_index(plan.plots["plot_code"].astype("string")).loc[out.index]
        zonal = zonal_mean(plots, builtup_raster, value_scale=rules.value_scale,
                           classes=rules.builtup_classes)
        out["builtup_share"] = zonal["mean"].to_numpy()
        out["pixel_count"] = zonal["pixel_count"].to_numpy()
    else:
        out["builtup_share"] = np.nan
        out["pixel_count"] = 0
    status = out["project_status"]
    flags = {
        "revoked": status.eq("revoked").fillna(False),
        "behind_schedule": status.eq("behind_schedule").fillna(False),
        "low_builtup": (out["builtup_share"].lt(rules.min_builtup_share)
                        & out["years_since_lease"].ge(rules.grace_years)).fillna(False),
    }
    severity = pd.Series(0, index=out.index, dtype="int64")
    codes = pd.Series("", index=out.index, dtype="string")
    vi = pd.Series("", index=out.index, dtype="string")
    en = pd.Series("", index=out.index, dtype="string")
    share_pct = (out["builtup_share"] * 100).round().astype("Int64").astype("string")
    years = out["years_since_lease"].round(1).astype("string")
    for weight, (code, flag) in zip((3, 2, 1), flags.items(), strict=True):
        flag = flag.astype(bool)
        severity = severity.where(~flag | (severity > weight), weight)
        text_vi, text_en = t(f"reason.{code}", "vi"), t(f"reason.{code}", "en")
        if code == "low_builtup":
            text_vi = text_vi + " (" + _detail("vi", share_pct, years) + ")"
            text_en = text_en + " (" + _detail("en", share_pct, years) + ")"
        codes = codes.where(~flag, codes + ", " + code)
        vi = vi.where(~flag, vi + "; " + text_vi)
        en = en.where(~flag, en + "; " + text_en)
    out["reasons"] = codes.str.removeprefix(", ")
    out["reason_vi"] = vi.str.removeprefix("; ")
    out["reason_en"] = en.str.removeprefix("; ")
    out["_severity"] = severity
    out = out.loc[severity.gt(0)].sort_values(
        ["_severity", "builtup_share", "area_ha"], ascending=[False, True, False],
        na_position="last", kind="stable")
    out = out.drop(columns="_severity")
    out.insert(0, "rank", np.arange(1, len(out) + 1, dtype="int64"))
    return out
