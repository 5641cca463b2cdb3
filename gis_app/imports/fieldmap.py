"""Map a surveyed file's fields to a layer's schema: explicit pairs, then matching names.

Surveys name their fields their own way (``MA_LO``, ``DT_HA``) and shapefiles cut names to ten
characters, so an explicit map comes first; any schema column it leaves out is matched to a
source field of the same name, ignoring case. Ambiguities are errors, never guesses.

Coded fields get the same treatment for their values: an explicit value map first, then the
well-known values surveys write (``đã thuê``, ``Chua GPMB``; see :mod:`.survey_values`).
A value neither names is an error listing every such value with its count.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import ImportDataError, listing, quote
from ..model.schema import Column, LayerSchema
from .survey_values import known_flags, known_values, normalise

#: Column -> {source value: code}: the values a survey uses for codes, as the user maps them.
ValueMap = Mapping[str, Mapping[str, str]]


def _match_fields(
    columns: list[str],
    schema: LayerSchema,
    field_map: Mapping[str, str],
    defaults: Mapping[str, object],
    where: str,
) -> dict[str, str]:
    """Schema column -> source field: the explicit map, then case-insensitive exact names."""
    wanted = set(schema.column_names)
    lower: dict[str, list[str]] = {}
    for c in columns:
        lower.setdefault(c.lower(), []).append(c)
    chosen: dict[str, str] = {}
    for src, dst in field_map.items():
        if dst not in wanted:
            raise ImportDataError(
                f"{where}: mapping {src}={dst}: {dst!r} is not a column of "
                f"layer {schema.name!r} ({', '.join(schema.column_names)})"
            )
        if dst in chosen:
            raise ImportDataError(
                f"{where}: both {chosen[dst]!r} and {src!r} are mapped to {dst!r}"
            )
        if src not in columns:
            matches = lower.get(src.lower(), [])
            if len(matches) != 1:
                raise ImportDataError(
                    f"{where}: mapped field {quote(src)} is not in the source "
                    f"(fields: {listing(columns) or 'none'})"
                )
            src = matches[0]
        chosen[dst] = src
    for name in schema.column_names:
        if name in chosen:
            continue
        matches = lower.get(name.lower(), [])
        if len(matches) > 1:
            raise ImportDataError(
                f"{where}: fields {', '.join(matches)} all match {name!r}; map one explicitly"
            )
        if matches and name not in defaults:
            chosen[name] = matches[0]
    for name in defaults:
        if name not in wanted:
            raise ImportDataError(
                f"{where}: default for {name!r}: not a column of layer {schema.name!r}"
            )
        if name in chosen:
            raise ImportDataError(
                f"{where}: {name!r} comes from field {chosen[name]!r} and "
                "is also given a default value; drop one"
            )
    return chosen


def map_fields(
    frame: pd.DataFrame,
    schema: LayerSchema,
    field_map: Mapping[str, str],
    defaults: Mapping[str, object],
    where: str,
    value_map: ValueMap | None = None,
    unmapped: list[str] | None = None,
) -> tuple[pd.DataFrame, dict]:
    """The source's features with the schema's columns (values as read, checked later).

    Parameters
    ----------
    frame
        The source features (a GeoDataFrame already in the province CRS, or a table).
    schema
        The layer to import into.
    field_map
        Source field -> schema column; other columns are matched by name, ignoring case.
    defaults
        Schema column -> one value for every feature; it wins over a source field of the
        same name, but giving one for a column ``field_map`` fills is an error.
    where
        ``"file, layer 'x'"``, the prefix of every error message.
    value_map
        Column -> {source value: code} for coded and yes/no columns; other values are
        matched to the well-known survey values (:mod:`.survey_values`), ignoring case and
        diacritics.
    unmapped
        Given a list, the error naming the values that map to no code is appended to it
        (and those values are left for validation to report, feature by feature) instead of
        being raised: a dry run lists every problem.

    Returns
    -------
    tuple
        The frame with exactly the schema's columns (missing optional ones empty, plus the
        geometry) and ``{schema column: source field}`` as used (``(measured)`` for an
        ``area_ha`` measured from the outline).
    """
    columns = [
        c
        for c in frame.columns
        if not isinstance(frame, gpd.GeoDataFrame) or c != frame.geometry.name
    ]
    chosen = _match_fields(columns, schema, field_map, defaults, where)
    out = pd.DataFrame(
        {dst: frame[src].to_numpy() for dst, src in chosen.items()}, index=frame.index
    )
    for name, value in defaults.items():
        out[name] = value
    if "area_ha" in schema.column_names and "area_ha" not in out.columns:
        # A surveyed outline carries its own area: measured in the province's metric CRS.
        out["area_ha"] = np.round(shapely.area(np.asarray(frame.geometry.values)) / 1e4, 4)
        chosen["area_ha"] = "(measured)"
    missing = [c.name for c in schema.columns if c.required and c.name not in out.columns]
    if missing:
        raise ImportDataError(
            f"{where}: no source field for required column(s) {', '.join(missing)} of layer "
            f"{schema.name!r} (source fields: {listing(columns) or 'none'}); map one with "
            "--map FIELD=COLUMN or give a value with --set COLUMN=VALUE"
        )
    for c in schema.columns:
        if c.name not in out.columns:
            out[c.name] = pd.NA
    out = out[schema.column_names]
    out = map_values(out, schema, value_map or {}, where, unmapped)
    if schema.geometry_types is not None:
        out = gpd.GeoDataFrame(out, geometry=frame.geometry.values, crs=frame.crs)
    return out, chosen


def _coded(column: Column) -> bool:
    return column.choices is not None or column.kind == "bool"


def _value_tables(schema: LayerSchema, value_map: ValueMap, where: str
                  ) -> dict[str, dict[str, object]]:
    """Column -> {normalised value: code} for every coded column: the user's map over the
    well-known values; a map for a column without codes or to a code not allowed is an error."""
    for name, pairs in value_map.items():
        if name not in schema.column_names or not _coded(schema.column(name)):
            coded = [c.name for c in schema.columns if _coded(c)]
            raise ImportDataError(
                f"{where}: --map-values {name}=...: {name!r} is not a coded column of layer "
                f"{schema.name!r} (coded columns: {', '.join(coded) or 'none'})")
        column = schema.column(name)
        for value, code in pairs.items():
            allowed = column.choices or ("true", "false")
            if str(code) not in allowed:
                raise ImportDataError(
                    f"{where}: --map-values {name}={value}:{code}: {code!r} is not a code of "
                    f"{name} ({', '.join(allowed)})")
    tables: dict[str, dict[str, object]] = {}
    for column in schema.columns:
        if not _coded(column):
            continue
        table: dict[str, object] = dict(
            known_flags() if column.choices is None else known_values(column.choices))
        for value, code in value_map.get(column.name, {}).items():
            table[normalise(value)] = (code == "true") if column.choices is None else code
        tables[column.name] = table
    return tables


def map_values(frame: pd.DataFrame, schema: LayerSchema, value_map: ValueMap, where: str,
               unmapped_errors: list[str] | None = None) -> pd.DataFrame:
    """Coded columns' survey values replaced by the schema's codes.

    Only text is mapped (a column read as booleans or numbers is left as it is); empty cells
    stay empty for validation to report. Raises :class:`ImportDataError` naming every value
    that maps to no code, with how many features have it (or, given ``unmapped_errors``,
    appends that message to it and leaves those columns as they are).
    """
    tables = _value_tables(schema, value_map, where)
    out = frame.copy()
    unmapped: list[str] = []
    for name, table in tables.items():
        values = frame[name]
        if values.dtype != object and not pd.api.types.is_string_dtype(values.dtype):
            continue
        # Each distinct value once: a survey repeats a handful of codes over many features.
        distinct = pd.unique(values.dropna().to_numpy(dtype=object))
        codes = {v: table.get(normalise(v)) for v in distinct
                 if isinstance(v, str) and v.strip()}
        if not codes:
            continue
        missing = [v for v, code in codes.items() if code is None]
        if missing:
            counts = values.value_counts()
            # Values come from the survey: each quoted shortened, at most 20 of them.
            ranked = sorted(missing, key=lambda v: -counts[v])
            unmapped.append(f"{name}: " + listing(
                (f"{quote(v)} ({counts[v]})" for v in ranked), limit=80))
        # An unmapped value stays as it is, for validation to name its features.
        known = {v: code for v, code in codes.items() if code is not None}
        if known:
            hit = values.isin(list(known)).to_numpy(dtype=bool, na_value=False)
            mapped = values.astype(object).copy()
            mapped[hit] = values[hit].map(known).to_numpy(dtype=object)
            out[name] = mapped
    if unmapped:
        allowed = "; ".join(
            f"{c.name}: {', '.join(c.choices or ('true', 'false'))}"
            for c in schema.columns if _coded(c) and any(u.startswith(f"{c.name}:")
                                                         for u in unmapped))
        message = (
            f"{where}: values with no code of layer {schema.name!r}: {'; '.join(unmapped)}. "
            f"Map them with --map-values COLUMN=VALUE:CODE (codes: {allowed})")
        if unmapped_errors is None:
            raise ImportDataError(message)
        unmapped_errors.append(message)
    return out
