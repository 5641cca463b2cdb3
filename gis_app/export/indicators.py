"""The one place where map sheets take their numbers from the analytics.

Sheets print a handful of a park's indicators. They come from
:func:`gis_app.analytics.park_indicators`, one row per park; this adapter picks the row and
the columns a sheet shows, so that a change in the analytics touches only this module.
"""

from __future__ import annotations

import math

import pandas as pd

from ..errors import ExportError
from ..layers.plan import Plan
from .style import label

#: Indicator columns shown in a sheet's table, in order (``kpi_<column>`` labels them).
SHEET_INDICATORS: tuple[str, ...] = (
    "planned_ha",
    "leasable_ha",
    "leased_ha",
    "vacant_ha",
    "occupancy_share",
)


def _all_parks(plan: Plan) -> pd.DataFrame:
    """Indicators of every park, indexed by ``park_code``."""
    try:
        from ..analytics import park_indicators
    except ImportError:  # the analytics package lands on main during this session
        park_indicators = _fallback_indicators
    table = park_indicators(plan)
    if "park_code" in table.columns:
        table = table.set_index("park_code")
    return table


def _fallback_indicators(plan: Plan) -> pd.DataFrame:
    """Areas measured from the plot geometries (used only until the analytics package exists)."""
    from ..settings import LEASABLE_LAND_USES

    plots = plan.plots
    area = pd.Series(plots.geometry.area.to_numpy() / 10_000.0, index=plots.index)
    leasable = plots["land_use"].isin(LEASABLE_LAND_USES).to_numpy(dtype=bool)
    status = plots["status"].astype("string").fillna("")
    frame = pd.DataFrame({
        "park_code": plots["park_code"].astype("string"),
        "leasable_ha": area.where(leasable, 0.0),
        "leased_ha": area.where(leasable & status.eq("leased").to_numpy(dtype=bool), 0.0),
        "vacant_ha": area.where(leasable & status.eq("vacant").to_numpy(dtype=bool), 0.0),
    })
    sums = frame.groupby("park_code").sum()
    out = pd.DataFrame(index=pd.Index(plan.parks["park_code"].astype("string"), name="park_code"))
    out["planned_ha"] = plan.parks["planned_area_ha"].to_numpy(dtype=float)
    out = out.join(sums).fillna({"leased_ha": 0.0})
    out["occupancy_share"] = out["leased_ha"] / out["leasable_ha"].where(out["leasable_ha"] > 0)
    return out


def park_kpis(plan: Plan, park_code: str) -> dict[str, float]:
    """The sheet indicators of one park (missing figures are NaN).

    >>> from gis_app.testing import tiny_plan
    >>> park_kpis(tiny_plan(), "P1")["occupancy_share"]
    0.75
    """
    table = _all_parks(plan)
    if park_code not in table.index:
        raise ExportError(f"park {park_code!r}: no indicators (not in layer 'parks')")
    row = table.loc[park_code]
    return {c: float(row[c]) if c in row.index and pd.notna(row[c]) else math.nan
            for c in SHEET_INDICATORS}


def format_kpi(column: str, value: float, lang: str) -> str:
    """A figure as printed: shares as percentages, areas with two decimals."""
    if math.isnan(value):
        return "–"
    if column.endswith("_share"):
        text = f"{100 * value:.2f} %"
    else:
        text = f"{value:,.2f}"
    # Vietnamese writes 1.234,56; English 1,234.56.
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def kpi_rows(plan: Plan, park_code: str, lang: str) -> list[tuple[str, str]]:
    """(label, formatted value) rows of a park's indicator table."""
    kpis = park_kpis(plan, park_code)
    return [(label(f"kpi_{c}", lang), format_kpi(c, kpis[c], lang)) for c in SHEET_INDICATORS]
