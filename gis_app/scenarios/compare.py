"""Compare two plans: every indicator side by side, and the features that changed.

:func:`compare` works with any indicator functions: by default those of
:mod:`gis_app.analytics` (``park_indicators`` joined with ``land_use_structure``, and
``province_indicators``), imported when first needed; tests and callers may pass their own.
Plans are compared as ``a`` (usually the baseline) and ``b`` (the scenario): a scenario can be
compared with the baseline or with another scenario alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..model.plan import Plan
from ..model.schema import SCHEMAS

IndicatorFunction = Callable[[Plan], pd.DataFrame]

#: Columns of :func:`compare`.
COMPARE_COLUMNS = ["level", "key", "indicator", "a", "b", "difference", "changed"]
#: Columns of :func:`change_layer` (plus geometry).
CHANGE_COLUMNS = ["layer", "feature_id", "change", "columns_changed"]

#: Relative tolerance under which two indicator values count as equal (float rounding).
RELATIVE_TOLERANCE = 1e-9


def default_park_indicators(plan: Plan) -> pd.DataFrame:
    """Analytics' park table with the land-use structure check joined on (by ``park_code``)."""
    from ..analytics import land_use_structure, park_indicators

    parks = park_indicators(plan)
    structure = land_use_structure(plan)
    extra = [c for c in structure.columns if c not in parks.columns]
    return parks.join(structure[extra])


def default_province_indicators(plan: Plan, by: str = "province") -> pd.DataFrame:
    from ..analytics import province_indicators

    return province_indicators(plan, by=by)


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """The indicator columns that can be subtracted (numbers; booleans as 0/1)."""
    keep = [c for c in frame.columns
            if pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c])]
    out = frame[keep].astype("float64")
    return out


def _keyed(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    if key in frame.columns:
        frame = frame.set_index(key)
    frame = frame.copy()
    frame.index = frame.index.astype(str)
    frame.index.name = key
    return frame


def _long(a: pd.DataFrame, b: pd.DataFrame, level: str,
          indicators: Sequence[str] | None) -> pd.DataFrame:
    a, b = _numeric(a), _numeric(b)
    columns = [c for c in dict.fromkeys([*a.columns, *b.columns])
               if indicators is None or c in indicators]
    keys = a.index.union(b.index, sort=False)
    a = a.reindex(index=keys, columns=columns)
    b = b.reindex(index=keys, columns=columns)
    av = a.to_numpy().ravel()
    bv = b.to_numpy().ravel()
    same = np.isclose(av, bv, rtol=RELATIVE_TOLERANCE, atol=0.0, equal_nan=True)
    return pd.DataFrame({
        "level": level,
        "key": np.repeat(keys.to_numpy(dtype=object), len(columns)),
        "indicator": np.tile(np.array(columns, dtype=object), len(keys)),
        "a": av, "b": bv, "difference": bv - av, "changed": ~same,
    }, columns=COMPARE_COLUMNS)


def compare(
    plan_a: Plan,
    plan_b: Plan,
    indicators: Sequence[str] | None = None,
    *,
    park_indicators: IndicatorFunction | None = None,
    province_indicators: IndicatorFunction | None = None,
) -> pd.DataFrame:
    """Every indicator of two plans per park and for the province, with the difference.

    Parameters
    ----------
    plan_a, plan_b
        The plans to compare (baseline and scenario, or two scenarios).
    indicators
        Indicator (column) names to keep; None keeps every numeric one.
    park_indicators
        ``plan -> frame`` with one row per park (index or column ``park_code``); defaults to
        analytics' ``park_indicators`` joined with ``land_use_structure``.
    province_indicators
        ``plan -> frame`` with one row per province; defaults to analytics'
        ``province_indicators``.

    Returns
    -------
    pandas.DataFrame
        Long table: ``level`` (``park`` / ``province``), ``key`` (park code or province),
        ``indicator``, ``a``, ``b``, ``difference`` (``b - a``) and ``changed``. Booleans
        count as 0/1; a park present in one plan only has NaN on the other side.
    """
    park_fn = park_indicators or default_park_indicators
    province_fn = province_indicators or default_province_indicators
    parks = _long(_keyed(park_fn(plan_a), "park_code"), _keyed(park_fn(plan_b), "park_code"),
                  "park", indicators)
    pa, pb = province_fn(plan_a), province_fn(plan_b)
    key = pa.index.name if pa.index.name else "province"
    province = _long(_keyed(pa, key), _keyed(pb, key), "province", indicators)
    return pd.concat([province, parks], ignore_index=True)


def differences(table: pd.DataFrame) -> pd.DataFrame:
    """Only the rows of a :func:`compare` table whose value changed."""
    return table.loc[table["changed"]].reset_index(drop=True)


def before_after(table: pd.DataFrame, level: str = "province") -> pd.DataFrame:
    """A :func:`compare` table as ``indicator x (a, b, difference)`` for one level, wide by key."""
    part = table.loc[table["level"] == level]
    wide = part.pivot(index="indicator", columns="key", values=["a", "b", "difference"])
    order = pd.unique(part["indicator"])
    return wide.reindex(order)


def _differs(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise 'not equal', where two missing values are equal."""
    a_na, b_na = a.isna().to_numpy(), b.isna().to_numpy()
    with np.errstate(invalid="ignore"):
        eq = (a.astype(object) == b.astype(object)).to_numpy(dtype=bool, na_value=False)
    return ~((a_na & b_na) | (~a_na & ~b_na & eq))


def _layer_changes(name: str, a: pd.DataFrame, b: pd.DataFrame, crs: object
                   ) -> gpd.GeoDataFrame:
    schema = SCHEMAS[name]
    key = schema.key
    spatial = schema.geometry_types is not None
    if name == "tenant_plots":
        a = a.assign(_id=a["plot_code"].astype(str))
        b = b.assign(_id=b["plot_code"].astype(str))
    else:
        a = a.assign(_id=a[key].astype(str))
        b = b.assign(_id=b[key].astype(str))
    merged = a.merge(b, on="_id", how="outer", suffixes=("_a", "_b"), indicator=True)
    columns = [c for c in schema.column_names if c != key] + (["geometry"] if spatial else [])
    status = merged["_merge"].astype(str)
    both = (status == "both").to_numpy()
    mask = pd.DataFrame(False, index=merged.index, columns=columns)
    for column in columns:  # a handful of columns per layer, each compared as one array
        if column == "geometry":
            ga, gb = merged["geometry_a"].to_numpy(), merged["geometry_b"].to_numpy()
            same = np.zeros(len(merged), dtype=bool)
            same[both] = shapely.equals_exact(ga[both], gb[both], tolerance=0.0)
            mask[column] = both & ~same
        else:
            mask[column] = both & _differs(merged[f"{column}_a"], merged[f"{column}_b"])
    changed = mask.any(axis=1).to_numpy()
    listed = mask.astype(object).dot(pd.Index(columns).astype(object) + ", ")
    listed = listed.where(changed, "").str.removesuffix(", ")
    change = np.select([status == "left_only", status == "right_only", changed],
                       ["removed", "added", "changed"], default="")
    if spatial:
        geometry = np.where(status == "left_only", merged["geometry_a"].to_numpy(),
                            merged["geometry_b"].to_numpy())
    else:
        geometry = np.full(len(merged), None, dtype=object)
    out = gpd.GeoDataFrame({"layer": name, "feature_id": merged["_id"].to_numpy(),
                            "change": change, "columns_changed": listed.to_numpy()},
                           geometry=gpd.GeoSeries(geometry, crs=crs), crs=crs)
    return out.loc[out["change"] != ""]


def change_layer(plan_a: Plan, plan_b: Plan) -> gpd.GeoDataFrame:
    """Features added, removed and changed from ``plan_a`` to ``plan_b``, every layer.

    Columns: ``layer``, ``feature_id`` (the layer's id; a plot code for ``tenant_plots``),
    ``change`` (``added`` / ``removed`` / ``changed``), ``columns_changed`` (comma-separated,
    ``geometry`` included) and the feature's geometry (its new one; the old one if removed;
    none for the attribute tables).
    """
    crs = plan_a.crs
    parts = [_layer_changes(name, plan_a.layers()[name], plan_b.layers()[name], crs)
             for name in SCHEMAS]
    out = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=crs)
