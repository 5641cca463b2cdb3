"""The one place the viewer reaches into the analytics package and the shared labels.

Pages call these names only, so when ``gis_app.analytics`` or ``gis_app.i18n`` change shape
this module is the only one to adapt.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..analytics import (
    occupancy_over_time,
    park_indicators,
    province_indicators,
    reclamation_candidates,
    wastewater_status,
)
from ..i18n import label, labels
from ..storage.backend import is_database


def park_occupancy_series(table: pd.DataFrame, park_code: str) -> pd.Series:
    """Occupancy share by year of one park (empty when no lease has a date), picked from the
    province's :func:`occupancy_over_time` (computed once per plan version, not per park)."""
    if park_code not in table.index.get_level_values(0):
        return pd.Series(dtype="float64", name="occupancy_share")
    return table.xs(park_code, level=0)["occupancy_share"]


def totals_row(province: str | None, legacy: str | None) -> tuple[str, str]:
    """Which :func:`province_indicators` row the overview's cards show: ``(by, key)``.

    The overview filters by 2025 province and by legacy province (None: all); its cards show
    that row as it is, so they agree with ``kcn-gis summary`` (occupancy is the boards'
    figure: leased over leasable land of established parks, not a ratio of the cards).
    A legacy province lies inside one 2025 province, so with both filters set the legacy
    province's row is the one shown. The table itself is computed once per plan version and
    grouping (:func:`gis_app.viewer.cache.province_indicators`), not once per filter.
    """
    if legacy is not None:
        return "legacy_province", legacy
    if province is not None:
        return "province", province
    return "all", "all"


def builtup_raster_of(path: Path | str) -> Path | None:
    """The built-up raster shipped beside a province file (``<stem>_builtup.tif``), if any;
    None for a PostGIS URL (rasters are not kept in the database)."""
    if is_database(path):
        return None
    path = Path(path)
    raster = path.with_name(f"{path.stem}_builtup.tif")
    return raster if raster.exists() else None


def park_reclamation(table: pd.DataFrame, park_code: str) -> pd.DataFrame:
    """Reclamation candidates of one park, most urgent first (``plot_code`` a column), picked
    from the province's :func:`reclamation_candidates` (computed once per plan version)."""
    return table[table["park_code"] == park_code].reset_index()


__all__ = [
    "builtup_raster_of",
    "park_occupancy_series",
    "park_reclamation",
    "label",
    "labels",
    "occupancy_over_time",
    "park_indicators",
    "province_indicators",
    "reclamation_candidates",
    "totals_row",
    "wastewater_status",
]
