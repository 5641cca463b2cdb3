"""The rules of one layer on its own: its columns (present, typed, filled, coded, unique) and
its geometries (CRS, type, non-empty, finite, valid).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from ..model.schema import Column, LayerSchema
from ._checks import _blank, _isin, _LazyIds, _rows
from .fast import Shapes

__all__ = ["check_columns", "check_geometry", "check_layer"]


def _parse(series: pd.Series, column: Column) -> pd.Series:
    """The column parsed to its kind; unparseable values become NA."""
    if column.kind == "float" or column.kind == "int":
        return pd.to_numeric(series, errors="coerce")
    if column.kind == "date":
        return pd.to_datetime(series, errors="coerce", format="mixed")
    if column.kind == "bool":
        if pd.api.types.is_bool_dtype(series.dtype):  # read as booleans: nothing to parse
            return series
        # 1/0 hash like True/False, so numbers are covered; "1"/"0" text is what a shapefile
        # or CSV gives and what Plan's coercion already reads as a boolean.
        mapping = {True: True, False: False, "true": True, "false": False, "1": True, "0": False}
        return series.map(lambda v: mapping.get(v.lower() if isinstance(v, str) else v, pd.NA))
    return series


def _typed(series: pd.Series, kind: str) -> bool:
    """The column is stored in its kind's own dtype already, so every value is of the kind."""
    dtype = series.dtype
    if kind == "float":
        return pd.api.types.is_float_dtype(dtype) or (
            pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype))
    if kind == "int":
        return pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    if kind == "date":
        return pd.api.types.is_datetime64_any_dtype(dtype)
    return kind == "bool" and pd.api.types.is_bool_dtype(dtype)


def check_columns(frame: pd.DataFrame, schema: LayerSchema, file: str) -> list[dict]:
    """Columns present, values of the right type, required values present, codes allowed."""
    rows: list[dict] = []
    ids = _LazyIds(frame, schema)
    for column in schema.columns:
        if column.name not in frame.columns:
            rows += _rows(file, schema.name, [""], "missing_column",
                          f"column {column.name!r} ({column.kind}) is missing")
            continue
        raw = frame[column.name]
        # Masks as numpy arrays, and rows built only where something is wrong: on a valid
        # file every check is a few array operations per column.
        present = ~np.asarray(raw.array.isna(), dtype=bool)
        if column.kind == "str" and column.required:
            present &= ~_blank(raw)  # "" or spaces: PostGIS refuses it, so both backends do
        if column.kind == "str" or _typed(raw, column.kind):
            parsed, bad_type = raw, np.zeros(len(raw), dtype=bool)
        else:
            parsed = _parse(raw, column)
            bad_type = present & parsed.isna().to_numpy(dtype=bool)
            if column.kind == "int":
                bad_type |= present & parsed.notna().to_numpy(dtype=bool) & (
                    parsed % 1 != 0).to_numpy(dtype=bool, na_value=False)
        if bad_type.any():
            rows += _rows(file, schema.name, ids[bad_type], "wrong_type",
                          [f"{column.name}={v!r} is not a {column.kind}" for v in raw[bad_type]])
        if column.required and not present.all():
            rows += _rows(file, schema.name, ids[~present], "missing_value",
                          f"{column.name} is empty")
        if column.choices is not None:
            bad = present & ~_isin(raw, column.choices)
            if bad.any():
                rows += _rows(file, schema.name, ids[bad], "bad_code",
                              [f"{column.name}={v!r} is not one of {', '.join(column.choices)}"
                               for v in raw[bad]])
        if column.kind in ("float", "int"):
            numbers = pd.to_numeric(parsed, errors="coerce")
            with np.errstate(invalid="ignore"):
                infinite = present & ~bad_type & np.isinf(
                    np.asarray(numbers, dtype=float))
            if infinite.any():
                rows += _rows(file, schema.name, ids[infinite], "non_finite",
                              [f"{column.name}={v} is not a finite number"
                               for v in raw[infinite]])
        if column.minimum is not None and column.kind in ("float", "int"):
            low = parsed.notna().to_numpy(dtype=bool) & ~bad_type & (
                parsed < column.minimum).to_numpy(dtype=bool, na_value=False)
            if low.any():
                rows += _rows(file, schema.name, ids[low], "below_minimum",
                              [f"{column.name}={v} is below {column.minimum}"
                               for v in parsed[low]])
    if schema.key in frame.columns:
        dup = frame[schema.key].notna() & frame[schema.key].duplicated(keep=False)
        if dup.any():
            rows += _rows(file, schema.name, ids[dup.to_numpy()], "duplicate_id",
                          f"{schema.key} is not unique")
    return rows


def check_geometry(
    frame: pd.DataFrame, schema: LayerSchema, file: str, crs: str | None, *,
    shapes: Shapes | None = None,
) -> list[dict]:
    """CRS present and right, geometry type allowed, geometries non-empty, finite and valid.

    ``shapes``: the layer's geometries as :class:`~.fast.Shapes`, when the caller keeps them
    for other rules (what this rule asks of them is then not worked out twice).
    """
    if schema.geometry_types is None:
        return []
    rows: list[dict] = []
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        return _rows(file, schema.name, [""], "wrong_geometry_type",
                     f"layer has no geometry; expected {'/'.join(schema.geometry_types)}")
    if frame.crs is None:
        rows += _rows(file, schema.name, [""], "missing_crs", "layer has no CRS")
    elif crs is not None and CRS.from_user_input(frame.crs) != CRS.from_user_input(crs):
        rows += _rows(file, schema.name, [""], "wrong_crs",
                      f"layer is in {frame.crs.name!r}, expected {crs}")
    shapes = Shapes.of(frame) if shapes is None else shapes
    assert shapes is not None  # a GeoDataFrame with its geometry column
    ids = _LazyIds(frame, schema)
    geoms = shapes.geoms
    empty = ~shapes.present
    rows += _rows(file, schema.name, ids[empty], "empty_geometry", "geometry is empty")
    types = shapes.type_ids
    names = np.array(["Point", "LineString", "LinearRing", "Polygon", "MultiPoint",
                      "MultiLineString", "MultiPolygon", "GeometryCollection"])
    # Compare type ids, and name only the wrong ones: string arrays are slow at 250,000.
    allowed = np.isin(names, schema.geometry_types)
    wrong = ~empty & ~((types >= 0) & allowed[np.clip(types, 0, 7)])
    type_names = np.where(types[wrong] >= 0, names[np.clip(types[wrong], 0, 7)], "None")
    rows += _rows(file, schema.name, ids[wrong], "wrong_geometry_type",
                  [f"{t} where {'/'.join(schema.geometry_types)} is expected"
                   for t in type_names])
    infinite = ~empty & ~shapes.finite
    rows += _rows(file, schema.name, ids[infinite], "non_finite",
                  [_non_finite_reason(g) for g in geoms[infinite]])
    invalid = ~empty & ~infinite & ~shapes.valid
    rows += _rows(file, schema.name, ids[invalid], "invalid_geometry",
                  [str(shapely.is_valid_reason(g)) for g in geoms[invalid]])
    return rows


def _non_finite_reason(geom: shapely.Geometry) -> str:
    coords = shapely.get_coordinates(geom)
    bad = ~np.isfinite(coords).all(axis=1)
    if bad.any():
        x, y = coords[bad][0]
        return f"a vertex is not a finite number (x={x}, y={y})"
    return (f"its area cannot be measured (coordinates up to {np.abs(coords).max():.3g} m): "
            "too large for any survey")


def check_layer(frame: pd.DataFrame, schema: LayerSchema, file: str, crs: str | None,
                shapes: Shapes | None = None) -> list[dict]:
    """The rules of one layer on its own: its columns, then its geometry."""
    return (check_columns(frame, schema, file)
            + check_geometry(frame, schema, file, crs, shapes=shapes))
