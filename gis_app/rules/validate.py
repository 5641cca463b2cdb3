"""Validation at the boundary: every rule a province file must satisfy, every problem reported.

Each check returns problem rows ``(file, layer, feature_id, rule, message)``; a
:class:`ValidationReport` gathers them so that a user sees all problems at once. Checks are
vectorized (spatial index queries and array predicates), never loops over features.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from ..errors import ValidationError, quote, shorten
from ..model.schema import PARKS, PLOTS, SCHEMAS, Column, LayerSchema
from ._checks import _blank, _is_valid, _isin, _rows, feature_ids, finite_geometries
from ._quads import quads
from ._spatial import candidate_pairs, check_overlaps, check_plot_areas, check_plots_in_parks

__all__ = [
    "PROBLEM_COLUMNS", "RULES", "PlanCheck", "ValidationReport", "check_columns",
    "check_geometry", "check_overlaps", "check_plan", "check_plot_areas",
    "check_plots_in_parks", "feature_ids", "make_report",
]

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
    "non_finite": "a coordinate, a measured area or a number is not finite (NaN, infinite, "
                  "or too large to measure)",
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

    def summary(self, limit: int | None = 20) -> str:
        """The problems one a line; ``limit``: at most that many lines (None: every one)."""
        if self.ok:
            return "no problems found"
        lines = [f"{len(self.problems)} problem(s):"]
        shown = self.problems if limit is None else self.problems.head(limit)
        for row in shown.itertuples(index=False):
            # Names and values come from the file: each is quoted shortened, one line each.
            where = f"{shorten(row.file, 300)}, layer {quote(row.layer)}"
            if row.feature_id:
                where += f", feature {shorten(row.feature_id)}"
            lines.append(f"- {where}: {row.rule}: {shorten(row.message, 300)}")
        if limit is not None and len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more")
        return "\n".join(lines)

    def raise_if_problems(self) -> None:
        if not self.ok:
            raise ValidationError(self.summary(), self)


def make_report(rows: list[dict], *, positions: bool = False) -> ValidationReport:
    """The report of problem rows; ``positions`` keeps each row's ``_row`` (the position of
    the feature in its layer, None for a layer-wide problem) for the importer to name the
    source's own feature."""
    columns = PROBLEM_COLUMNS + ["_row"] if positions else PROBLEM_COLUMNS
    return ValidationReport(pd.DataFrame(rows, columns=columns))


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
    ids = _LazyIds(frame, schema)
    geoms = np.asarray(frame.geometry.values)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    rows += _rows(file, schema.name, ids[empty], "empty_geometry", "geometry is empty")
    types = np.asarray(shapely.get_type_id(geoms))
    names = np.array(["Point", "LineString", "LinearRing", "Polygon", "MultiPoint",
                      "MultiLineString", "MultiPolygon", "GeometryCollection"])
    # Compare type ids, and name only the wrong ones: string arrays are slow at 250,000.
    allowed = np.isin(names, schema.geometry_types)
    wrong = ~empty & ~((types >= 0) & allowed[np.clip(types, 0, 7)])
    type_names = np.where(types[wrong] >= 0, names[np.clip(types[wrong], 0, 7)], "None")
    rows += _rows(file, schema.name, ids[wrong], "wrong_geometry_type",
                  [f"{t} where {'/'.join(schema.geometry_types)} is expected"
                   for t in type_names])
    infinite = ~empty & ~finite_geometries(geoms)
    rows += _rows(file, schema.name, ids[infinite], "non_finite",
                  [_non_finite_reason(g) for g in geoms[infinite]])
    invalid = ~empty & ~infinite & ~_is_valid(geoms, corners)
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


def _unknown_refs(frame: pd.DataFrame, schema: LayerSchema, column: str, known: pd.Index,
                  file: str, rule: str, what: str) -> list[dict]:
    if column not in frame.columns:
        return []
    ref = frame[column]
    bad = ref.notna().to_numpy() & ~_isin(ref, known)
    if bad.any():  # an empty reference is a missing value, not an unknown one
        where = np.flatnonzero(bad)
        bad[where] = ~_blank(ref.iloc[where])
    return _rows(file, schema.name, _LazyIds(frame, schema)[bad], rule,
                 [f"{column}={v!r}: no such {what}" for v in ref[bad]])


def _geometries(frame: pd.DataFrame) -> np.ndarray | None:
    """A layer's geometries as an array; None when it has none."""
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        return None
    return np.asarray(frame.geometry.values)


def check_plan(layers: Mapping[str, pd.DataFrame], file: str, crs: str | None, *,
               positions: bool = False) -> ValidationReport:
    """Validate a whole province: each layer on its own, then the rules that join layers.

    ``positions``: keep each problem's ``_row`` (see :func:`make_report`)."""
    with PlanCheck(file, crs, positions=positions) as check:
        for name in SCHEMAS:
            if name in layers:
                check.add(name, layers[name])
        return check.report()


class PlanCheck:
    """:func:`check_plan` fed one layer at a time, so that a reader can check the layers it
    has while it reads the next (see :func:`gis_app.storage.gpkg.read_plan`).

    Two cores: GEOS and numpy release the GIL, so the spatial layers' own checks (the zones'
    validity is the costly one) and the spatial rules joining layers run on ``pool`` (a
    helper thread of its own by default) while the caller's thread checks the rest. The
    report's rows come in the same order whichever thread found them.
    """

    def __init__(self, file: str, crs: str | None, pool: Executor | None = None, *,
                 positions: bool = False) -> None:
        self.file, self.crs, self.positions = file, crs, positions
        self._own_pool = pool is None
        self.pool = ThreadPoolExecutor(1) if pool is None else pool
        self.layers: dict[str, pd.DataFrame] = {}
        self._basic: dict[str, list[dict] | Future[list[dict]]] = {}
        self._corners: tuple[np.ndarray, np.ndarray] | None = None
        self._pairs: Future[tuple[np.ndarray, np.ndarray]] | None = None
        self._overlaps: Future[list[dict]] | None = None
        self._park_rules: Future[tuple[list[dict], list[dict]]] | None = None

    def __enter__(self) -> PlanCheck:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._own_pool:
            self.pool.shutdown()

    def add(self, name: str, frame: pd.DataFrame) -> None:
        """Start the checks of one planning layer on its own."""
        schema = SCHEMAS[name]
        self.layers[name] = frame
        if name == "plots":
            # The overlap rule's costly part, the spatial index query, starts at once on the
            # pool; its result is used only if the plots turn out sound.
            geoms = _geometries(frame)
            self._pairs = None if geoms is None else self.pool.submit(candidate_pairs, geoms)
            # The plots' corners serve both the validity proof and the overlap filter.
            self._corners = None if geoms is None else quads(geoms)
            self._basic[name] = _check_layer(frame, schema, self.file, self.crs, self._corners)
            if not self._basic[name]:
                # Sound plots: start the spatial rules now; they are dropped if another layer
                # turns out to have problems (the cross-layer rules need every layer sound).
                self._start_spatial_rules()
        elif schema.geometry_types is not None:
            self._basic[name] = self.pool.submit(_check_layer, frame, schema, self.file,
                                                 self.crs, None)
        else:
            self._basic[name] = _check_layer(frame, schema, self.file, self.crs, None)

    def _start_spatial_rules(self) -> None:
        # The park rules first: the overlap task waits for its pairs, and a free thread
        # should have other work than waiting.
        if self._park_rules is None and "parks" in self.layers:
            self._park_rules = self.pool.submit(_park_rules, self.layers["plots"],
                                                self.layers["parks"], self.file)
        if self._overlaps is None:
            # The pairs were submitted first, so on a one-thread pool they are done by now.
            pairs = self._pairs
            self._overlaps = self.pool.submit(
                lambda: check_overlaps(self.layers["plots"], PLOTS, self.file, sound=True,
                                       corners=self._corners,
                                       pairs=None if pairs is None else pairs.result()))

    def report(self) -> ValidationReport:
        """Every problem of the layers added (a layer never added is a missing layer)."""
        rows: list[dict] = []
        for name in SCHEMAS:
            if name in self._basic:
                found = self._basic[name]
                rows += found.result() if isinstance(found, Future) else found
            else:
                rows += _rows(self.file, name, [""], "missing_layer",
                              f"layer {name!r} is missing")
        if rows:
            # Every rule still runs, on the features it can judge: a surveyor who fixes the
            # problems listed must not meet a new list (the overlaps) afterwards.
            return make_report(rows + self._judge_the_rest(rows), positions=self.positions)
        self._start_spatial_rules()
        assert self._overlaps is not None and self._park_rules is not None  # just started
        return make_report(_cross_layer(self.layers, self.file, self._overlaps,
                                        self._park_rules, self.layers.get("plots")),
                           positions=self.positions)

    def _judge_the_rest(self, problems: list[dict]) -> list[dict]:
        """The rules joining layers, on a plan with problems of its own: a spatial rule
        leaves out the features whose geometry is missing, of the wrong type, not finite or
        invalid (and a layer whose CRS is wrong or missing), a rule on ids the layers or
        columns that are missing; every other feature is judged."""
        judgeable = {name: _judgeable(self.layers[name], SCHEMAS[name],
                                      self._corners if name == "plots" else None)
                     for name in ("parks", "plots") if name in self.layers and
                     not _misplaced(problems, name)}
        placed = {name: mask for name, mask in judgeable.items() if mask is not None}
        plots = parks = None
        overlaps: Future[list[dict]] | None = None
        park_rules: Future[tuple[list[dict], list[dict]]] | None = None
        if "plots" in placed:
            mask = placed["plots"]
            plots = self.layers["plots"].loc[mask]
            if self._overlaps is not None:  # the plots were sound: their rule is running
                overlaps = self._overlaps
            else:
                corners = None if self._corners is None else (self._corners[0][mask],
                                                             self._corners[1][mask])
                pairs = None if self._pairs is None else _subset_pairs(self._pairs.result(),
                                                                       mask)
                overlaps = self.pool.submit(check_overlaps, plots, PLOTS, self.file,
                                            sound=True, corners=corners, pairs=pairs)
        if "parks" in placed:
            parks = self.layers["parks"].loc[placed["parks"]]
        if plots is not None and parks is not None and "park_code" in plots.columns \
                and "park_code" in parks.columns:
            park_rules = self.pool.submit(_park_rules, plots, parks, self.file)
        elif parks is not None:
            park_rules = self.pool.submit(lambda: ([], _park_overlaps(parks, self.file)))
        return _cross_layer(self.layers, self.file, overlaps, park_rules, plots)


def _misplaced(problems: list[dict], layer: str) -> bool:
    """Whether a layer as a whole cannot be compared with the others (no or another CRS, no
    geometry column)."""
    return any(r["layer"] == layer and r["_row"] is None and r["rule"] in (
        "missing_crs", "wrong_crs", "wrong_geometry_type") for r in problems)


def _judgeable(frame: pd.DataFrame, schema: LayerSchema,
               corners: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray | None:
    """The features a spatial rule can judge: a non-empty, finite, valid geometry of the
    layer's type; None when the layer has no geometry. ``corners``: ``quads()`` of the
    layer's geometries, if known (most plots are then proved valid without GEOS)."""
    geoms = _geometries(frame)
    if geoms is None or schema.geometry_types is None:
        return None
    names = {"Polygon": 3, "MultiPolygon": 6, "Point": 0}
    typed = np.isin(shapely.get_type_id(geoms), [names[t] for t in schema.geometry_types])
    usable = typed & ~shapely.is_empty(geoms)
    where = np.flatnonzero(usable)
    usable[where] = finite_geometries(geoms[where])
    if usable.all():
        return _is_valid(geoms, corners)
    where = np.flatnonzero(usable)
    usable[where] = _is_valid(geoms[where], None if corners is None else
                              (corners[0][where], corners[1][where]))
    return usable


def _subset_pairs(pairs: tuple[np.ndarray, np.ndarray], mask: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`candidate_pairs` of a layer, restricted to the features ``mask`` keeps and
    numbered as in the subset."""
    left, right = pairs
    keep = mask[left] & mask[right]
    position = np.cumsum(mask) - 1
    return position[left[keep]], position[right[keep]]


def _park_overlaps(parks: gpd.GeoDataFrame, file: str) -> list[dict]:
    return check_overlaps(parks, PARKS, file, "overlapping_parks", sound=True,
                          message="park {this} overlaps park {other} by {area:,.1f} m²")


def _park_rules(plots: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, file: str
                ) -> tuple[list[dict], list[dict]]:
    """Plots inside their parks, and parks not overlapping, on sound layers (one task)."""
    return (check_plots_in_parks(plots, parks, file, sound=True),
            _park_overlaps(parks, file))


def _check_layer(frame: pd.DataFrame, schema: LayerSchema, file: str, crs: str | None,
                 corners: tuple[np.ndarray, np.ndarray] | None) -> list[dict]:
    """The rules of one layer on its own: its columns, then its geometry."""
    return (check_columns(frame, schema, file)
            + check_geometry(frame, schema, file, crs, corners=corners))


def _has(layers: Mapping[str, pd.DataFrame], name: str, *columns: str) -> bool:
    return name in layers and all(c in layers[name].columns for c in columns)


def _cross_layer(layers: Mapping[str, pd.DataFrame], file: str,
                 overlaps: Future[list[dict]] | None,
                 park_rules: Future[tuple[list[dict], list[dict]]] | None,
                 placed_plots: pd.DataFrame | None) -> list[dict]:
    """The rules that join layers; the spatial ones are running on the pool already
    (``overlaps``: the plots' overlaps; ``park_rules``: :func:`_park_rules`; None where they
    cannot be judged). ``placed_plots``: the plots the area rule can judge. A rule whose
    layer or column is missing is left out (that is a problem reported already)."""
    rows: list[dict] = []
    if _has(layers, "parks", "park_code"):
        park_codes = pd.Index(layers["parks"]["park_code"])
        for name in ("zones", "plots", "tenants", "wastewater_plants"):
            if name in layers:
                rows += _unknown_refs(layers[name], SCHEMAS[name], "park_code", park_codes,
                                      file, "unknown_park", "park")
    # This thread's own work first, then the spatial rules' rows, all in the rules' order.
    after = []
    if placed_plots is not None and "area_ha" in placed_plots.columns:
        after += check_plot_areas(placed_plots, file, sound=True)
    link_schema = SCHEMAS["tenant_plots"]
    if _has(layers, "tenant_plots") and _has(layers, "plots", "plot_code"):
        after += _unknown_refs(layers["tenant_plots"], link_schema, "plot_code",
                               pd.Index(layers["plots"]["plot_code"]), file, "unknown_plot",
                               "plot")
    if _has(layers, "tenant_plots") and _has(layers, "tenants", "project_id"):
        after += _unknown_refs(layers["tenant_plots"], link_schema, "project_id",
                               pd.Index(layers["tenants"]["project_id"]), file,
                               "unknown_project", "project")
    if _has(layers, "plots", "plot_code", "status") and _has(layers, "tenant_plots",
                                                             "plot_code"):
        plots, links = layers["plots"], layers["tenant_plots"]
        leased = plots["status"].eq("leased").to_numpy(dtype=bool, na_value=False) & ~_isin(
            plots["plot_code"], links["plot_code"])
        if leased.any():  # a plot without a code cannot be linked: not this rule's problem
            where = np.flatnonzero(leased)
            codes = plots["plot_code"].iloc[where]
            leased[where] = codes.notna().to_numpy() & ~_blank(codes)
        after += _rows(file, "plots", plots["plot_code"][leased], "leased_without_tenant",
                       "status is 'leased' but no project in tenant_plots occupies the plot")
    in_parks, overlapping_parks = ([], []) if park_rules is None else park_rules.result()
    return rows + in_parks + ([] if overlaps is None else overlaps.result()) \
        + overlapping_parks + after
