"""Building blocks of the validation rules: problem rows, how features are named, Arrow string
lookups and shapely predicates on two cores.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from ..model.schema import LayerSchema
from ._quads import convex


def _arrow_strings(values: Iterable[object]) -> pa.Array:
    """Values as an Arrow string array, without a Python loop for pandas' own strings."""
    series = values if isinstance(values, pd.Series) else pd.Series(
        values if isinstance(values, pd.Index) else list(values))
    if series.dtype != "str":
        series = series.astype("string")
    # One explicit type: an empty column would otherwise be Arrow's null type, which is_in
    # refuses, and pandas' two string storages differ (string / large_string).
    return pa.array(series).cast(pa.large_string())


def _isin(series: pd.Series, values: Iterable[object]) -> np.ndarray:
    """``series.isin(values)`` as a boolean array; Arrow's hash lookup, because pandas' isin on
    Arrow strings walks a Python list (seconds at 250,000 plots)."""
    return pc.is_in(_arrow_strings(series), value_set=_arrow_strings(values)).fill_null(
        False).to_numpy(zero_copy_only=False)


def _positions(series: pd.Series, values: Iterable[object]) -> np.ndarray:
    """For each value of ``series``, its position in ``values`` (the first one), -1 if absent;
    Arrow's hash lookup, like :func:`_isin`."""
    found = pc.index_in(_arrow_strings(series), value_set=_arrow_strings(values))
    return found.fill_null(-1).to_numpy(zero_copy_only=False)


def _threaded(func, *arrays: np.ndarray) -> np.ndarray:  # noqa: ANN001
    """Apply a vectorized shapely function on two cores (shapely releases the GIL)."""
    n = len(arrays[0])
    workers = min(2, os.cpu_count() or 1)
    if n < 50_000 or workers < 2:
        return func(*arrays)
    bounds = np.linspace(0, n, workers + 1).astype(int)
    with ThreadPoolExecutor(workers) as pool:
        parts = pool.map(lambda ab: func(*(a[ab[0]:ab[1]] for a in arrays)),
                         zip(bounds[:-1], bounds[1:], strict=True))
        return np.concatenate(list(parts))


def _is_valid(geoms: np.ndarray, corners: tuple[np.ndarray, np.ndarray] | None = None
              ) -> np.ndarray:
    """``shapely.is_valid``; given ``corners`` (``quads(geoms)``, worth having for a layer of
    quadrilaterals such as plots) the strictly convex ones are proved valid in numpy and GEOS
    checks only the rest."""
    if corners is None:
        return _threaded(shapely.is_valid, geoms)
    proven = convex(corners[1])
    if proven.all():
        return proven
    valid = proven.copy()
    valid[~proven] = _threaded(shapely.is_valid, geoms[~proven])
    return valid


def finite_geometries(geoms: np.ndarray) -> np.ndarray:
    """Which geometries have finite coordinates and a finite measured area.

    Every comparison with NaN is false, so a plot whose area is NaN (vertices at 1e308 m
    overflow the measurement) would pass the area, inside-park and overlap rules. The area
    (one cheap pass) is finite only for finite coordinates; points and lines measure 0
    whatever their coordinates, so theirs are looked at too. Missing geometries count as
    finite (another rule reports them).
    """
    with np.errstate(invalid="ignore", over="ignore"):
        area = _threaded(shapely.area, geoms)
    finite = np.isfinite(area) | shapely.is_missing(geoms)
    flat = np.flatnonzero(finite & (area == 0))
    if len(flat):
        with np.errstate(invalid="ignore"):
            finite[flat] = np.isfinite(shapely.bounds(geoms[flat])).all(axis=1) | \
                shapely.is_empty(geoms[flat])
    return finite


def _rows(
    file: str, layer: str, ids: Iterable[object], rule: str, messages: Iterable[str] | str
) -> list[dict]:
    """Problem rows; ids given as a Series (a layer's feature ids or key column) also give
    each row's ``_row``, the feature's index label, so an importer can name the source's own
    feature (see :func:`gis_app.rules.validate.make_report`)."""
    rows = list(ids.index) if isinstance(ids, pd.Series) else None
    ids = [str(i) for i in ids]
    if rows is None:
        rows = [None] * len(ids)
    if isinstance(messages, str):
        messages = [messages] * len(ids)
    return [
        {"file": file, "layer": layer, "feature_id": i, "rule": rule, "message": m, "_row": r}
        for i, m, r in zip(ids, messages, rows, strict=True)
    ]


def _blank(series: pd.Series) -> np.ndarray:
    """Values that are text of nothing but white space (``""``, ``"  "``): an empty code.

    PostGIS refuses an empty required text, and a code of spaces names nothing either, so both
    backends treat them as missing values."""
    text = _arrow_strings(series)
    # No copy of the text (unlike trimming it): an order of magnitude faster.
    blank = pc.or_(pc.utf8_is_space(text), pc.equal(pc.utf8_length(text), 0))
    return blank.fill_null(False).to_numpy(zero_copy_only=False)


def feature_ids(frame: pd.DataFrame, schema: LayerSchema) -> pd.Series:
    """How a feature is named in messages: its id column, else its row number (fid)."""
    if schema.key in frame.columns:
        keys = frame[schema.key].astype("string")
        missing = keys.isna() | _blank(keys)  # an empty code names nothing
        if missing.any():
            keys = keys.copy()
            keys[missing] = [f"fid {i}" for i in frame.index[missing]]
        return keys
    return pd.Series([f"fid {i}" for i in frame.index], index=frame.index, dtype="string")
