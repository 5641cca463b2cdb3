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

from ._quads import convex
from .schema import LayerSchema


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


def _rows(
    file: str, layer: str, ids: Iterable[object], rule: str, messages: Iterable[str] | str
) -> list[dict]:
    ids = [str(i) for i in ids]
    if isinstance(messages, str):
        messages = [messages] * len(ids)
    return [
        {"file": file, "layer": layer, "feature_id": i, "rule": rule, "message": m}
        for i, m in zip(ids, messages, strict=True)
    ]


def feature_ids(frame: pd.DataFrame, schema: LayerSchema) -> pd.Series:
    """How a feature is named in messages: its id column, else its row number (fid)."""
    if schema.key in frame.columns:
        keys = frame[schema.key].astype("string")
        missing = keys.isna()
        if missing.any():
            keys = keys.copy()
            keys[missing] = [f"fid {i}" for i in frame.index[missing]]
        return keys
    return pd.Series([f"fid {i}" for i in frame.index], index=frame.index, dtype="string")
