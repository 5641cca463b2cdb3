"""Building blocks of the validation rules: problem rows, how features are named, Arrow string
lookups.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model.schema import LayerSchema


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


class _LazyIds:
    """:func:`feature_ids`, worked out only when a problem needs naming (rarely)."""

    def __init__(self, frame: pd.DataFrame, schema: LayerSchema) -> None:
        self.frame, self.schema = frame, schema
        self._ids: pd.Series | None = None

    def __getitem__(self, mask: np.ndarray) -> pd.Series | list[str]:
        if not mask.any():
            return []
        if self._ids is None:
            self._ids = feature_ids(self.frame, self.schema)
        return self._ids[mask]
