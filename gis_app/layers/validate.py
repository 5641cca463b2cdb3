"""Validation at the boundary: every rule a province file must satisfy, every problem reported.

Each check returns problem rows ``(file, layer, feature_id, rule, message)``; a
:class:`ValidationReport` gathers them so that a user sees all problems at once. Checks are
vectorized (spatial index queries and array predicates), never loops over features.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from pyproj import CRS

from ..errors import ValidationError
from ..settings import AREA_TOLERANCE_M2
from ._overlap import cleared_pairs
from ._quads import convex, quads
from .schema import PARKS, PLOTS, SCHEMAS, Column, LayerSchema

PROBLEM_COLUMNS = ["file", "layer", "feature_id", "rule", "message"]

#: Every rule with a one-line description (shown on the viewer's Data page and in the docs).
RULES: dict[str, str] = {
    "missing_layer": "a required layer is absent from the file",
    "missing_column": "a required column is absent from a layer",
    "wrong_type": "a value cannot be read as the column's type",
    "missing_value": "a required value is empty",
    "bad_code": "a value is not one of the column's allowed codes",
    "below_minimum": "a number is below the column's minimum (e.g. a negative area)",
    "missing_crs": "a spatial layer has no coordinate reference system",
    "wrong_crs": "a spatial layer is not in the province's VN-2000 TM-3 CRS",
    "wrong_geometry_type": "a geometry is not of the layer's type",
    "empty_geometry": "a feature has no geometry",
    "invalid_geometry": "a geometry is not valid (self-intersection, bad ring, ...)",
    "duplicate_id": "two features share the same id",
    "unknown_park": "a feature names a park that is not in the parks layer",
    "plot_outside_park": "part of a plot lies outside its park",
    "overlapping_plots": "two plots overlap",
    "overlapping_parks": "two parks overlap",
    "area_mismatch": "a plot's area_ha differs from its measured area by more than 0.5 %",
    "unknown_plot": "a tenant link points at a plot that does not exist",
    "unknown_project": "a tenant link points at a project that does not exist",
    "leased_without_tenant": "a plot is leased but no project occupies it",
}


@dataclass(frozen=True)
class ValidationReport:
    """All problems found in one file; empty when the file is valid."""

    problems: pd.DataFrame

    @property
    def ok(self) -> bool:
        return self.problems.empty

    def __len__(self) -> int:
        return len(self.problems)

    def summary(self, limit: int = 20) -> str:
        if self.ok:
            return "no problems found"
        lines = [f"{len(self.problems)} problem(s):"]
        for row in self.problems.head(limit).itertuples(index=False):
            where = f"{row.file}, layer {row.layer!r}"
            if row.feature_id:
                where += f", feature {row.feature_id}"
            lines.append(f"- {where}: {row.rule}: {row.message}")
        if len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more")
        return "\n".join(lines)

    def raise_if_problems(self) -> None:
        if not self.ok:
            raise ValidationError(self.summary(), self)


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
    """``shapely.is_valid``, with the strictly convex quadrilaterals (nearly every plot) proved
    valid in numpy so that GEOS checks only the rest. ``corners``: ``quads(geoms)``."""
    proven = convex((quads(geoms) if corners is None else corners)[1])
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


def make_report(rows: list[dict]) -> ValidationReport:
    return ValidationReport(pd.DataFrame(rows, columns=PROBLEM_COLUMNS))


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


def check_columns(frame: pd.DataFrame, schema: LayerSchema, file: str) -> list[dict]:
    """Columns present, values of the right type, required values present, codes allowed."""
    rows: list[dict] = []
    ids = feature_ids(frame, schema)
    for column in schema.columns:
        if column.name not in frame.columns:
            rows += _rows(file, schema.name, [""], "missing_column",
                          f"column {column.name!r} ({column.kind}) is missing")
            continue
        raw = frame[column.name]
        # Masks as numpy arrays, and rows built only where something is wrong: on a valid
        # file every check is a few array operations per column.
        present = raw.notna().to_numpy(dtype=bool)
        if column.kind == "str":
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
        if column.minimum is not None and column.kind in ("float", "int"):
            low = parsed.notna().to_numpy(dtype=bool) & ~bad_type & (
                parsed < column.minimum).to_numpy(dtype=bool, na_value=False)
            if low.any():
                rows += _rows(file, schema.name, ids[low], "below_minimum",
                              [f"{column.name}={v} is below {column.minimum}"
                               for v in parsed[low]])
    if schema.key in frame.columns:
        dup = frame[schema.key].notna() & frame[schema.key].duplicated(keep=False)
        rows += _rows(file, schema.name, ids[dup], "duplicate_id",
                      f"{schema.key} is not unique")
    return rows


def check_geometry(
    frame: pd.DataFrame, schema: LayerSchema, file: str, crs: str | None, *,
    corners: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[dict]:
    """CRS present and right, geometry type allowed, geometries non-empty and valid.

    ``corners``: ``quads()`` of the layer's geometries when the caller has them already.
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
    ids = feature_ids(frame, schema)
    geoms = np.asarray(frame.geometry.values)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    rows += _rows(file, schema.name, ids[empty], "empty_geometry", "geometry is empty")
    types = np.asarray(shapely.get_type_id(geoms))
    names = np.array(["Point", "LineString", "LinearRing", "Polygon", "MultiPoint",
                      "MultiLineString", "MultiPolygon", "GeometryCollection"])
    type_names = np.where(types >= 0, names[np.clip(types, 0, 7)], "None")
    wrong = ~empty & ~np.isin(type_names, schema.geometry_types)
    rows += _rows(file, schema.name, ids[wrong], "wrong_geometry_type",
                  [f"{t} where {'/'.join(schema.geometry_types)} is expected"
                   for t in type_names[wrong]])
    invalid = ~empty & ~_is_valid(geoms, corners)
    rows += _rows(file, schema.name, ids[invalid], "invalid_geometry",
                  [str(shapely.is_valid_reason(g)) for g in geoms[invalid]])
    return rows


def _unknown_refs(frame: pd.DataFrame, schema: LayerSchema, column: str, known: pd.Index,
                  file: str, rule: str, what: str) -> list[dict]:
    if column not in frame.columns:
        return []
    ref = frame[column]
    bad = ref.notna().to_numpy() & ~_isin(ref, known)
    return _rows(file, schema.name, feature_ids(frame, schema)[bad], rule,
                 [f"{column}={v!r}: no such {what}" for v in ref[bad]])


def _usable(frame: gpd.GeoDataFrame, sound: bool) -> gpd.GeoDataFrame:
    """The features with a non-empty valid geometry (the ones spatial rules can test).

    ``sound``: the caller has checked every geometry already (:func:`check_plan` runs the
    cross-layer rules only on layers without problems), so validity is not tested twice.
    """
    mask = _usable_mask(frame, sound)
    return frame if mask is None else frame.loc[mask]


def _usable_mask(frame: gpd.GeoDataFrame, sound: bool,
                 corners: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray | None:
    """Which features :func:`_usable` keeps; None for all of them."""
    if sound:
        return None
    g = np.asarray(frame.geometry.values)
    present = ~(shapely.is_missing(g) | shapely.is_empty(g))
    return present & _is_valid(g, corners)


def check_plots_in_parks(plots: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, file: str, *,
                         sound: bool = False) -> list[dict]:
    """Plots that stick out of their park by more than the area tolerance."""
    outlines = _usable(parks, sound).drop_duplicates("park_code").set_index("park_code")
    p = _usable(plots, sound)
    p = p.loc[_isin(p["park_code"], outlines.index)]
    if p.empty:
        return []
    park_geoms = outlines.geometry.reindex(p["park_code"]).values
    shapely.prepare(outlines.geometry.values)
    # Most plots are plainly inside: measure what sticks out only for the others.
    suspect = ~_threaded(shapely.covers, park_geoms, p.geometry.values)
    p = p.loc[suspect]
    outside = shapely.area(shapely.difference(p.geometry.values, park_geoms[suspect]))
    bad = outside > AREA_TOLERANCE_M2
    return _rows(file, "plots", p["plot_code"][bad], "plot_outside_park",
                 [f"{a:,.1f} m² lies outside park {c}"
                  for a, c in zip(outside[bad], p["park_code"][bad], strict=True)])


def check_overlaps(frame: gpd.GeoDataFrame, schema: LayerSchema, file: str,
                   rule: str = "overlapping_plots", *, sound: bool = False,
                   corners: tuple[np.ndarray, np.ndarray] | None = None,
                   message: str = "overlaps {key} {other} by {area:,.1f} m²") -> list[dict]:
    """Pairs of features whose shared area exceeds the tolerance (touching is fine).

    Reported under the first feature of each pair, with ``message`` formatted with ``key``
    (the id column), ``this``, ``other`` (the two ids) and ``area`` (m²). ``corners``:
    ``quads()`` of the layer's geometries when the caller has them already.
    """
    mask = _usable_mask(frame, sound, corners)
    usable = frame if mask is None else frame.loc[mask]
    if corners is not None and mask is not None:
        corners = (corners[0][mask], corners[1][mask])
    geoms = np.asarray(usable.geometry.values)
    if len(geoms) < 2:
        return []
    # Candidate pairs by bounding box only; one predicate pass on the pairs is cheaper than
    # a predicate query (which also tests every feature against itself).
    left, right = shapely.STRtree(geoms).query(geoms)
    keep = left < right
    left, right = left[keep], right[keep]
    # Neighbours that provably share at most the tolerance (nearly all pairs) skip GEOS.
    undecided = ~cleared_pairs(geoms, left, right, AREA_TOLERANCE_M2, corners=corners)
    left, right = left[undecided], right[undecided]
    interiors = _threaded(lambda a, b: shapely.relate_pattern(a, b, "T********"),
                          geoms[left], geoms[right])
    left, right = left[interiors], right[interiors]
    shared = shapely.area(_threaded(shapely.intersection, geoms[left], geoms[right]))
    big = shared > AREA_TOLERANCE_M2
    ids = feature_ids(usable, schema).to_numpy()
    return _rows(file, schema.name, ids[left[big]], rule,
                 [message.format(key=schema.key, this=this, other=other, area=a)
                  for this, other, a in zip(ids[left[big]], ids[right[big]], shared[big],
                                            strict=True)])


def check_plot_areas(plots: gpd.GeoDataFrame, file: str, *, sound: bool = False) -> list[dict]:
    """Plots whose stated ``area_ha`` differs from the measured area beyond the tolerance."""
    usable = _usable(plots, sound)
    stated = pd.to_numeric(usable["area_ha"], errors="coerce") * 10_000
    measured = shapely.area(usable.geometry.values)
    bad = (stated.notna() & (np.abs(stated - measured) > 0.005 * measured + AREA_TOLERANCE_M2))
    return _rows(file, "plots", usable["plot_code"][bad], "area_mismatch",
                 [f"area_ha={s / 10_000:.4f} but the geometry measures {m / 10_000:.4f} ha"
                  for s, m in zip(stated[bad], measured[bad], strict=True)])


def _corners(frame: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray] | None:
    """``quads()`` of a layer's geometries; None when it has none."""
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        return None
    return quads(np.asarray(frame.geometry.values))


def check_plan(layers: Mapping[str, pd.DataFrame], file: str, crs: str | None) -> ValidationReport:
    """Validate a whole province: each layer on its own, then the rules that join layers."""
    rows: list[dict] = []
    # The plots' corners serve both the validity proof and the overlap filter.
    corners = _corners(layers.get("plots"))
    for name, schema in SCHEMAS.items():
        if name not in layers:
            rows += _rows(file, name, [""], "missing_layer", f"layer {name!r} is missing")
            continue
        rows += check_columns(layers[name], schema, file)
        rows += check_geometry(layers[name], schema, file, crs,
                               corners=corners if name == "plots" else None)
    if rows:
        # Cross-layer rules need sound layers; report the basic problems first.
        return make_report(rows)
    parks, plots = layers["parks"], layers["plots"]
    tenants, links = layers["tenants"], layers["tenant_plots"]
    park_codes = pd.Index(parks["park_code"])
    for name in ("zones", "plots", "tenants", "wastewater_plants"):
        rows += _unknown_refs(layers[name], SCHEMAS[name], "park_code", park_codes, file,
                              "unknown_park", "park")
    # Every geometry is present, non-empty and valid here (else we returned above).
    rows += check_plots_in_parks(plots, parks, file, sound=True)
    rows += check_overlaps(plots, PLOTS, file, sound=True, corners=corners)
    rows += check_overlaps(parks, PARKS, file, "overlapping_parks", sound=True,
                           message="park {this} overlaps park {other} by {area:,.1f} m²")
    rows += check_plot_areas(plots, file, sound=True)
    link_schema = SCHEMAS["tenant_plots"]
    rows += _unknown_refs(links, link_schema, "plot_code", pd.Index(plots["plot_code"]), file,
                          "unknown_plot", "plot")
    rows += _unknown_refs(links, link_schema, "project_id", pd.Index(tenants["project_id"]),
                          file, "unknown_project", "project")
    leased = plots["status"].eq("leased").to_numpy() & ~_isin(plots["plot_code"],
                                                               links["plot_code"])
    rows += _rows(file, "plots", plots["plot_code"][leased], "leased_without_tenant",
                  "status is 'leased' but no project in tenant_plots occupies the plot")
    return make_report(rows)
