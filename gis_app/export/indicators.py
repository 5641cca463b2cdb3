"""The one place where map sheets take their numbers from the analytics.

Sheets print a handful of a park's indicators. They come from
:func:`gis_app.analytics.park_indicators`, one row per park; this adapter picks the row and
the columns a sheet shows, so that a change in the analytics touches only this module.
"""

from __future__ import annotations

import math

import pandas as pd

from ..analytics import park_indicators
from ..errors import ExportError
from ..formatting import number, percent
from ..i18n import t
from ..model.plan import Plan

#: Indicator columns shown in a sheet's table, in order (``kpi_<column>`` labels them).
SHEET_INDICATORS: tuple[str, ...] = (
    "planned_ha",
    "leasable_ha",
    "leased_ha",
    "vacant_ha",
    "occupancy_share",
)


def park_kpi_table(plan: Plan) -> pd.DataFrame:
    """The sheet indicators of every park, indexed by ``park_code`` (one analytics call)."""
    table = park_indicators(plan)
    if "park_code" in table.columns:
        table = table.set_index("park_code")
    return table.reindex(columns=list(SHEET_INDICATORS)).astype("float64")


def park_kpis(plan: Plan, park_code: str, *, table: pd.DataFrame | None = None
              ) -> dict[str, float]:
    """The sheet indicators of one park (missing figures are NaN).

    ``table`` is :func:`park_kpi_table` of ``plan`` when the caller has it already (an atlas
    computes it once for all its sheets, see
    :attr:`gis_app.export.data.SheetData.kpi_table`).

    >>> from gis_app.testing import tiny_plan
    >>> park_kpis(tiny_plan(), "P1")["occupancy_share"]
    0.75
    """
    if table is None:
        table = park_kpi_table(plan)
    if park_code not in table.index:
        raise ExportError(f"park {park_code!r}: no indicators (not in layer 'parks')")
    row = table.loc[park_code]
    return {c: float(row[c]) if pd.notna(row[c]) else math.nan for c in SHEET_INDICATORS}


def format_kpi(column: str, value: float, lang: str) -> str:
    """A figure as printed: shares as percentages, areas with two decimals."""
    if column.endswith("_share"):
        return percent(value, lang, 2)
    return number(value, lang, 2)


def kpi_rows(plan: Plan, park_code: str, lang: str, *, table: pd.DataFrame | None = None
             ) -> list[tuple[str, str]]:
    """(label, formatted value) rows of a park's indicator table."""
    kpis = park_kpis(plan, park_code, table=table)
    return [(t(f"sheet.kpi_{c}", lang), format_kpi(c, kpis[c], lang)) for c in SHEET_INDICATORS]
