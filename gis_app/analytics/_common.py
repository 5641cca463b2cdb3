"""Small shared helpers of the analytics: measured areas, safe ratios, the park index.

Kept private (leading underscore): the public entry points live in the sibling modules.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import UsageError
from ..model.crs import require_projected
from ..model.plan import Plan

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
    if isinstance(numerator, pd.Series) and isinstance(denominator, pd.Series) \
            and numerator.index.equals(denominator.index):
        # Same rows: divide in numpy. The pandas operations below cost about half a
        # millisecond whatever the length, which a national table pays thousands of times.
        name = numerator.name if numerator.name == denominator.name else None
        return pd.Series(ratio_values(numerator.astype("float64").to_numpy(),
                                      denominator.astype("float64").to_numpy()),
                         index=numerator.index, name=name)
    num = pd.Series(numerator, dtype="float64") if not isinstance(numerator, pd.Series) \
        else numerator.astype("float64")
    den = pd.Series(denominator, dtype="float64") if not isinstance(denominator, pd.Series) \
        else denominator.astype("float64")
    den = den.where(den > 0)
    return (num / den).astype("float64")


def ratio_values(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """:func:`ratio` of two arrays of the same length (float64; NaN where the denominator is
    0, negative or NaN)."""
    num = np.asarray(numerator, dtype="float64")
    den = np.asarray(denominator, dtype="float64")
    out = np.full(len(num), np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def park_index(plan: Plan) -> pd.Index:
    """The parks' codes, in the order of the parks layer, as the index every output shares."""
    return pd.Index(plan.parks["park_code"].astype("string"), name="park_code")


def _arrow(values: object) -> pa.Array:
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values,
                                                                              dtype=object))
    return pa.array(series.astype("string"))


def positions(keys: object, index: pd.Index) -> np.ndarray:
    """Position of each (string) key in ``index`` (-1 for a key not in it, or missing).

    With these, group sums are :func:`numpy.bincount` calls: pandas' groupby hashes the
    string keys again for every column, which costs seconds over 150,000 projects. The
    lookup itself is Arrow's hash join (a third of the cost of ``Index.get_indexer``).
    """
    found = pc.index_in(_arrow(keys), value_set=_arrow(pd.Series(index, dtype=object)))
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp)


def sum_at(values: object, pos: np.ndarray, n: int, *, min_count: int = 0) -> np.ndarray:
    """Sums of ``values`` by group position ``pos`` (``-1``: no group) over ``n`` groups.

    Missing values are skipped, as in pandas; with ``min_count`` a group with fewer present
    values sums to NaN (``min_count=1``: NaN for a group where no row has a value).
    """
    v = np.asarray(values, dtype="float64")
    ok = (pos >= 0) & ~np.isnan(v)
    sums = np.bincount(pos[ok], weights=v[ok], minlength=n).astype("float64")
    if min_count:
        counts = np.bincount(pos[ok], minlength=n)
        sums[counts < min_count] = np.nan
    return sums


def group_sum(values: pd.DataFrame, keys: pd.Series, index: pd.Index) -> pd.DataFrame:
    """Sums of ``values`` by ``keys``, reindexed to ``index`` with 0 for groups without rows."""
    if all(pd.api.types.is_float_dtype(t) for t in values.dtypes):
        pos, n = positions(keys, index), len(index)
        return pd.DataFrame({c: sum_at(values[c], pos, n) for c in values.columns},
                            index=index)
    summed = values.groupby(keys.to_numpy(), sort=False).sum()
    return summed.reindex(index, fill_value=0.0).rename_axis(index.name)


def group_sum_or_nan(values: pd.DataFrame, keys: pd.Series, index: pd.Index) -> pd.DataFrame:
    """Sums that stay NaN for a group where no row has a value (missing, not zero)."""
    summed = values.groupby(keys.to_numpy(), sort=False).sum(min_count=1)
    return summed.reindex(index).rename_axis(index.name)


#: ``by`` of one group holding every park of the plan (the totals of a whole file or database).
ALL_PARKS = "all"


def park_groups(plan: Plan, by: str) -> pd.Series:
    """Each park's group (``province``, ``legacy_province`` or :data:`ALL_PARKS`), indexed by
    park code."""
    if by == ALL_PARKS:
        return pd.Series(ALL_PARKS, index=park_index(plan), name=by, dtype="string")
    if by not in ("province", "legacy_province"):
        raise UsageError(f"by={by!r}: expected 'province', 'legacy_province' or 'all'")
    return pd.Series(plan.parks[by].astype("string").to_numpy(), index=park_index(plan), name=by)
