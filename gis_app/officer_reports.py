"""The officer's reports as they are read: screening, efficiency ranking and the action list.

The analytics return codes and raw numbers (:func:`~gis_app.analytics.tenant_screening`,
:func:`~gis_app.analytics.efficiency_ranking`, :func:`~gis_app.analytics.needs_action`).
Here each row gets the words an officer reads: the park's name, the kind of action, and for
every score the criteria it meets and those it misses with the value and the thresholds,
in Vietnamese or English. The viewer's officer page and ``kcn-gis report --kind`` both show
these frames, so the two say the same thing. Column names are keys of :mod:`gis_app.i18n`.
"""

from __future__ import annotations

import math
from typing import SupportsFloat

import pandas as pd

from . import formatting
from .analytics.efficiency import EfficiencyThresholds
from .analytics.screening import Criterion, ScreeningCriteria, criterion_label
from .formatting import number
from .i18n import label, ngettext, t

#: How each screening input is shown: (divisor, decimals, unit message); "%": a share;
#: None: yes/no.
_UNITS: dict[str, tuple[float, int, str] | None] = {
    "employees_per_ha": (1.0, 0, "unit.employees_per_ha"),
    "area_ha_per_musd": (1.0, 2, "unit.area_ha_per_musd"),
    "registered_capital_usd_per_ha": (1e6, 1, "unit.million_usd_per_ha"),
    "revenue_usd_per_ha": (1e6, 1, "unit.million_usd_per_ha"),
    "budget_usd_per_ha": (1e6, 2, "unit.million_usd_per_ha"),
    "realised_share": (1.0, 0, "%"),
    "high_tech": None,
    "non_polluting": None,
}

#: Verdicts of one criterion.
VERDICTS = ("met", "partial", "missed", "missing")


def percent(value: SupportsFloat | None, lang: str, decimals: int = 0) -> str:
    """A share as a whole percentage (``0.856`` -> ``86%``), by :mod:`gis_app.formatting`."""
    return formatting.percent(value, lang, decimals)


def measure(column: str, value: SupportsFloat | None, lang: str) -> str:
    """A criterion's input with its unit (``113 lao động/ha``, ``12,0 triệu USD/ha``, ``Có``)."""
    unit = _UNITS.get(column)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("no_data", lang)
    if unit is None:
        return label("yes" if float(value) >= 0.5 else "no", lang)
    divisor, decimals, unit_key = unit
    if unit_key == "%":
        return percent(value, lang, decimals)
    return f"{number(float(value) / divisor, lang, decimals)} {t(unit_key, lang)}"


def _park_names(parks: pd.DataFrame, lang: str) -> pd.Series:
    column = "name_vi" if lang == "vi" else "name_en"
    names = parks[column].astype("string").fillna(parks["name_vi"].astype("string"))
    return pd.Series(names.to_numpy(), index=parks["park_code"].astype("string"))


# --- screening --------------------------------------------------------------------------

def _verdict(points: float, weight: float, value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "missing"
    if points >= weight - 1e-9:
        return "met"
    return "missed" if points <= 1e-9 else "partial"


def _bounds(c: Criterion, lang: str) -> tuple[str, str]:
    """The thresholds of a criterion in words: when it gives full points and when none."""
    less_is_better = c.good < c.poor
    if _UNITS.get(c.column) is None:
        return (t("report.full_at", lang, op="=", value=label("yes", lang)),
                t("report.zero_at", lang, op="=", value=label("no", lang)))
    good, poor = measure(c.column, c.good, lang), measure(c.column, c.poor, lang)
    return (t("report.full_at", lang, op="≤" if less_is_better else "≥", value=good),
            t("report.zero_at", lang, op="≥" if less_is_better else "≤", value=poor))


def screening_thresholds(criteria: ScreeningCriteria | None = None,
                         lang: str = "vi") -> pd.DataFrame:
    """The criteria in force: what each measures, its weight and its two thresholds."""
    criteria = criteria or ScreeningCriteria()
    rows = []
    for name, c in criteria.criteria.items():
        full, zero = _bounds(c, lang)
        rows.append({"criterion": criterion_label(name, lang),
                     "input": label(c.column, lang), "weight": float(c.weight),
                     "full_points_at": full, "zero_points_at": zero})
    return pd.DataFrame(rows)


def screening_explanation(scored: pd.Series, criteria: ScreeningCriteria | None = None,
                          lang: str = "vi") -> pd.DataFrame:
    """One project's score criterion by criterion: its value, the thresholds, the points
    and whether it meets the criterion (full points), partly, misses it (none) or lacks data."""
    criteria = criteria or ScreeningCriteria()
    rows = []
    for name, c in criteria.criteria.items():
        value = scored.get(c.column)
        points = float(scored[f"{name}_points"])
        full, zero = _bounds(c, lang)
        rows.append({"criterion": criterion_label(name, lang),
                     "value": measure(c.column, value, lang),
                     "full_points_at": full, "zero_points_at": zero,
                     "points": round(points, 1), "weight": float(c.weight),
                     "verdict": label(f"verdict_{_verdict(points, c.weight, value)}", lang)})
    return pd.DataFrame(rows)


def screening_report(scored: pd.DataFrame, parks: pd.DataFrame, lang: str = "vi",
                     criteria: ScreeningCriteria | None = None) -> pd.DataFrame:
    """:func:`~gis_app.analytics.tenant_screening` as a report (index ``project_id``).

    Columns: ``rank, park_code, park_name, investor, sector`` (in words), ``score`` (out of
    the criteria's total, one decimal), each criterion's points (``<name>_points``),
    ``criteria_met`` (full points) and ``criteria_short`` (each criterion short of full
    points, with its value, its thresholds and the points it got).
    """
    criteria = criteria or ScreeningCriteria()
    names = _park_names(parks, lang)
    out = pd.DataFrame(index=scored.index)
    out["rank"] = scored["rank"].astype("int64")
    out["park_code"] = scored["park_code"].astype("string")
    out["park_name"] = names.reindex(out["park_code"]).fillna("").to_numpy()
    out["investor"] = scored["investor"].astype("string").fillna("")
    out["sector"] = [label(str(v), lang) if pd.notna(v) else "" for v in scored["sector"]]
    out["score"] = scored["score"].astype("float64").round(1)
    met, short = [], []
    for _, row in scored.iterrows():
        ok, gaps = [], []
        for name, c in criteria.criteria.items():
            title = criterion_label(name, lang)
            value, points = row.get(c.column), float(row[f"{name}_points"])
            if _verdict(points, c.weight, value) == "met":
                ok.append(title)
                continue
            full, zero = _bounds(c, lang)
            gaps.append(f"{title}: {measure(c.column, value, lang)} ({full}; {zero}) → "
                        + t("report.points_of", lang, points=number(points, lang, 1),
                                weight=number(c.weight, lang, 0)))
        met.append(", ".join(ok) or t("report.none", lang))
        short.append("; ".join(gaps) or t("report.none", lang))
    for name in criteria.criteria:
        out[f"{name}_points"] = scored[f"{name}_points"].astype("float64").round(1)
    out["criteria_met"] = met
    out["criteria_short"] = short
    return out


# --- efficiency -------------------------------------------------------------------------

#: The efficiency checks: flag column -> (figure, threshold attribute).
EFFICIENCY_CHECKS: dict[str, tuple[str, str]] = {
    "below_registered_capital_per_ha": ("registered_capital_usd_per_ha",
                                        "min_registered_capital_usd_per_ha"),
    "below_realised_share": ("realised_share", "min_realised_share"),
    "below_budget_per_ha": ("budget_usd_per_ha", "min_budget_usd_per_ha"),
    "below_revenue_per_ha": ("revenue_usd_per_ha", "min_revenue_usd_per_ha"),
}


def efficiency_thresholds(thresholds: EfficiencyThresholds | None = None,
                          lang: str = "vi") -> pd.DataFrame:
    """The provincial minimums of the efficiency ranking, in words (unset ones: not checked)."""
    thresholds = thresholds or EfficiencyThresholds()
    rows = []
    for figure, attribute in EFFICIENCY_CHECKS.values():
        minimum = getattr(thresholds, attribute)
        rows.append({"criterion": label(figure, lang),
                     "threshold": t("report.not_checked", lang) if minimum is None
                     else t("report.minimum", lang, value=measure(figure, minimum, lang))})
    return pd.DataFrame(rows)


def efficiency_report(ranking: pd.DataFrame, parks: pd.DataFrame, lang: str = "vi",
                      thresholds: EfficiencyThresholds | None = None) -> pd.DataFrame:
    """:func:`~gis_app.analytics.efficiency_ranking` as a report (index ``park_code``).

    Only parks with a figure to rank (valid secondary projects with land); columns ``rank,
    park_name, secondary_projects_valid_count, projects_ha``, the per-hectare figures and
    realised share, ``flag_count``, ``criteria_met`` and ``criteria_short`` (each minimum
    the park is below, with its value and the minimum).
    """
    thresholds = thresholds or EfficiencyThresholds()
    ranked = ranking.loc[ranking["rank"].notna()]
    names = _park_names(parks, lang)
    out = pd.DataFrame(index=ranked.index)
    out["rank"] = ranked["rank"].astype("int64")
    out["park_name"] = names.reindex(ranked.index.astype("string")).fillna("").to_numpy()
    out["secondary_projects_valid_count"] = ranked["secondary_projects_valid_count"].astype(
        "int64")
    out["projects_ha"] = ranked["projects_ha"].astype("float64").round(2)
    for column in ("registered_capital_usd_per_ha", "realised_share", "budget_usd_per_ha",
                   "revenue_usd_per_ha"):
        out[column] = ranked[column].astype("float64")
    out["flag_count"] = ranked["flag_count"].astype("int64")
    met, short = [], []
    for _, row in ranked.iterrows():
        ok, gaps = [], []
        for flag, (figure, attribute) in EFFICIENCY_CHECKS.items():
            minimum = getattr(thresholds, attribute)
            if minimum is None or flag not in ranked.columns:
                continue
            title = label(figure, lang)
            if bool(row[flag]):
                gaps.append(f"{title}: {measure(figure, row[figure], lang)} < "
                            f"{measure(figure, minimum, lang)}")
            elif pd.notna(row[figure]):
                ok.append(title)
            else:
                gaps.append(f"{title}: {t('no_data', lang)}")
        met.append(", ".join(ok) or t("report.none", lang))
        short.append("; ".join(gaps) or t("report.none", lang))
    out["criteria_met"] = met
    out["criteria_short"] = short
    return out


# --- needs action -----------------------------------------------------------------------

def actions_report(actions: pd.DataFrame, parks: pd.DataFrame, lang: str = "vi", *,
                   min_builtup_share: float = 0.20, grace_years: float = 2.0,
                   max_utilisation_share: float = 0.85) -> pd.DataFrame:
    """:func:`~gis_app.analytics.needs_action` as a report: the kind of action in words, the
    park's name, plots, project, investor, lease start (a date), area and what is wrong.

    Keeps ``park_code`` and ``plot_code`` (the link's target) as columns.
    """
    names = _park_names(parks, lang)
    out = pd.DataFrame(index=actions.index)
    out["action_kind"] = [t(f"action.{k}", lang) for k in actions["kind"]]
    out["park_code"] = actions["park_code"].astype("string")
    out["park_name"] = names.reindex(out["park_code"]).fillna("").to_numpy()
    out["plot_code"] = actions["plot_code"].astype("string").fillna("")
    out["plot_codes"] = actions["plot_codes"].astype("string").fillna("")
    out["project_id"] = actions["project_id"].astype("string").fillna("")
    out["investor"] = actions["investor"].astype("string").fillna("")
    out["lease_start"] = pd.to_datetime(actions["lease_start"]).dt.date
    out["area_ha"] = actions["area_ha"].astype("float64").round(2)
    details = []
    for _, row in actions.iterrows():
        kind = row["kind"]
        if kind in ("revoked", "behind_schedule"):
            n = len([p for p in str(row["plot_codes"]).split(", ") if p])
            details.append(ngettext("report.project", n, lang,
                                    start=formatting.date(row["lease_start"], lang)))
        elif kind == "idle_land":
            details.append(t("report.idle", lang, share=percent(row["builtup_share"], lang),
                             years=number(row["years_since_lease"], lang, 1),
                             limit=percent(min_builtup_share, lang),
                             grace=number(grace_years, lang, 0)))
        elif kind == "wastewater_over_capacity":
            details.append(t("report.load", lang,
                             load=number(row["current_load_m3_day"], lang, 0),
                             capacity=number(row["design_capacity_m3_day"], lang, 0),
                             share=percent(row["utilisation_share"], lang),
                             limit=percent(max_utilisation_share, lang)))
        else:
            details.append(t("report.no_plant", lang))
    out["detail"] = details
    return out


def text_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its numbers and dates as text in the reader's style, for a text table:
    shares as percentages, money per ha without decimals, other decimals to 0.1 or 0.01,
    dates as ``dd/mm/yyyy`` (:mod:`gis_app.formatting`), blanks for missing."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_bool_dtype(series) or pd.api.types.is_integer_dtype(series):
            continue
        if pd.api.types.is_float_dtype(series):
            if column.endswith("_share"):
                out[column] = [percent(v, lang, 1) if pd.notna(v) else "" for v in series]
            else:
                decimals = 0 if "_usd" in column or column.endswith("_m3_day") else (
                    1 if column in ("score",) or column.endswith("_points") else 2)
                out[column] = [number(v, lang, decimals) if pd.notna(v) else ""
                               for v in series]
        elif series.map(lambda v: hasattr(v, "strftime")).any():
            out[column] = [formatting.date(v, lang) if hasattr(v, "strftime") and pd.notna(v)
                           else "" for v in series]
        else:
            out[column] = series.astype("string").fillna("")
    return out
