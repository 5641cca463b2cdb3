"""Map a surveyed file's fields to a layer's schema: explicit pairs, then matching names.

Surveys name their fields their own way (``MA_LO``, ``DT_HA``) and shapefiles cut names to ten
characters, so an explicit map comes first; any schema column it leaves out is matched to a
source field of the same name, ignoring case. Ambiguities are errors, never guesses.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import ImportDataError, listing, quote
from .schema import LayerSchema


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
    if schema.geometry_types is not None:
        out = gpd.GeoDataFrame(out, geometry=frame.geometry.values, crs=frame.crs)
    return out, chosen
