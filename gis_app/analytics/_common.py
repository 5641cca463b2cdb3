"""Small shared helpers of the analytics: measured areas, safe ratios, the park index.

Kept private (leading underscore): the public entry points live in the sibling modules.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ..layers.crs import require_projected
from ..layers.plan import Plan

#: m² per hectare.
M2_PER_HA = 10_000.0

#: Park statuses that count as "đã thành lập" (established): operating parks were established first.
ESTABLISHED_STATUSES: tuple[str, ...] = ("established", "operating")

#: Project statuses of valid projects (dự án còn hiệu lực): everything but revoked.
VALID_PROJECT_STATUSES: tuple[str, ...] = ("operating", "under_construction", "behind_schedule")


def area_ha(frame: gpd.GeoDataFrame, *, what: str) -> pd.Series:
    """Measured area of each feature in hectares, refused unless the CRS is projected metric."""
    require_projected(frame, what=what)
    return pd.Series(
        np.asarray(frame.geometry.area, dtype="float64") / M2_PER_HA, index=frame.index
    )


def ratio(numerator: pd.Series | float, denominator: pd.Series | float) -> pd.Series:
    """``numerator / denominator`` as float, NaN where the denominator is 0 or missing."""
    num = pd.Series(numerator, dtype="float64") if not isinstance(numerator, pd.Series) \
        else numerator.astype("float64")
    den = pd.Series(denominator, dtype="float64") if not isinstance(denominator, pd.Series) \
        else denominator.astype("float64")
    den = den.where(den > 0)
    return (num / den).astype("float64")


def park_index(plan: Plan) -> pd.Index:
    """The parks' codes, in the order of the parks layer, as the index every output shares."""
    return pd.Index(plan.parks["park_code"].astype("string"), name="park_code")


def group_sum(values: pd.DataFrame, keys: pd.Series, index: pd.Index) -> pd.DataFrame:
    """Sums of ``values`` by ``keys``, reindexed to ``index`` with 0 for groups without rows."""
    summed = values.groupby(keys.to_numpy(), sort=False).sum()
    return summed.reindex(index, fill_value=0.0).rename_axis(index.name)


def group_sum_or_nan(values: pd.DataFrame, keys: pd.Series, index: pd.Index) -> pd.DataFrame:
    """Sums that stay NaN for a group where no row has a value (missing, not zero)."""
    summed = values.groupby(keys.to_numpy(), sort=False).sum(min_count=1)
    return summed.reindex(index).rename_axis(index.name)


def park_groups(plan: Plan, by: str) -> pd.Series:
    """Each park's group (``province`` or ``legacy_province``), indexed by park code."""
    if by not in ("province", "legacy_province"):
        raise ValueError(f"by={by!r}: expected 'province' or 'legacy_province'")
    return pd.Series(plan.parks[by].astype("string").to_numpy(), index=park_index(plan), name=by)
