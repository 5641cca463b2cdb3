"""Frames in and out of PostgreSQL tables: type mapping, COPY in, typed read out.

Shared by the planning layers (typed by :mod:`gis_app.model.schema`) and the extra tables
(context layers, styles, sources, scenarios) whose column types are derived from the frame or
from the GeoPackage field types, so that GeoPackage -> PostGIS -> GeoPackage keeps every
field's type, including integers and booleans that hold missing values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from psycopg import Connection, sql

from .schema import GEOMETRY_COLUMN, ORDER_COLUMN

#: PostgreSQL type -> pandas dtype used when reading (nullable where pyogrio would widen).
_READ_DTYPES = {
    "smallint": "Int16",
    "integer": "Int32",
    "bigint": "Int64",
    "boolean": "boolean",
    "real": "float32",
    "double precision": "float64",
}

#: OGR field type (and subtype) -> PostgreSQL type, for fields read from a GeoPackage.
_OGR_TYPES = {
    ("OFTInteger", "OFSTBoolean"): "boolean",
    ("OFTInteger", "OFSTInt16"): "smallint",
    ("OFTInteger", "OFSTNone"): "integer",
    ("OFTInteger64", "OFSTNone"): "bigint",
    ("OFTReal", "OFSTFloat32"): "real",
    ("OFTReal", "OFSTNone"): "double precision",
    ("OFTString", "OFSTNone"): "text",
    ("OFTString", "OFSTJSON"): "text",
    ("OFTString", "OFSTUUID"): "text",
    ("OFTDate", "OFSTNone"): "date",
    ("OFTBinary", "OFSTNone"): "bytea",
}


def ogr_pg_type(ogr_type: str, subtype: str, series: pd.Series) -> str:
    """The PostgreSQL type of a GeoPackage field (``read_info``'s ogr_types/ogr_subtypes)."""
    if ogr_type == "OFTDateTime":
        return "timestamptz" if isinstance(series.dtype, pd.DatetimeTZDtype) else "timestamp"
    return _OGR_TYPES.get((ogr_type, subtype)) or frame_pg_type(series)


def frame_pg_type(series: pd.Series) -> str:
    """The PostgreSQL type for a pandas column (used when no field types are known)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return {1: "smallint", 2: "smallint", 4: "integer"}.get(dtype.itemsize, "bigint")
    if pd.api.types.is_float_dtype(dtype):
        return "real" if dtype.itemsize == 4 else "double precision"
    if isinstance(dtype, pd.DatetimeTZDtype):
        return "timestamptz"
    if pd.api.types.is_datetime64_dtype(dtype):
        return "timestamp"
    if isinstance(dtype, pd.StringDtype):
        return "text"
    # An object column: look at its values (booleans or bytes with missing values, dates).
    values = series.dropna()
    if len(values) and values.map(lambda v: isinstance(v, bool | np.bool_)).all():
        return "boolean"
    if len(values) and values.map(lambda v: isinstance(v, bytes)).all():
        return "bytea"
    if len(values) and values.map(
            lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime)).all():
        return "date"
    return "text"


_INTEGER_TYPES = ("smallint", "integer", "bigint")


def python_values(series: pd.Series, pg_type: str) -> list[object]:
    """Column values as Python objects psycopg can send, missing values as None.

    GDAL reads an integer field with missing values as floats (``2009.0``); for an integer
    column whole floats go back as integers, so a GeoPackage layer read that way can be
    copied into its PostGIS table. A fractional value is sent as it is and refused by the
    server, not silently rounded.
    """
    if pg_type == "date" and pd.api.types.is_datetime64_any_dtype(series.dtype):
        out = pd.Series(series.dt.date, dtype=object)
    elif pg_type in _INTEGER_TYPES and pd.api.types.is_float_dtype(series.dtype):
        finite = series.dropna()
        whole = bool((finite == np.floor(finite)).all())
        out = series.astype("Int64").astype(object) if whole else series.astype(object)
    else:
        out = series.astype(object)
    out = out.where(~series.isna().to_numpy(), None)
    return out.tolist()


def geometry_values(geoms: gpd.GeoSeries | np.ndarray, srid: int) -> list[str | None]:
    """Hex EWKB with the SRID (what PostGIS reads in COPY), None for missing geometries."""
    arr = np.asarray(geoms, dtype=object)
    hexes = shapely.to_wkb(shapely.set_srid(arr, srid), hex=True, include_srid=True)
    return [None if h is None else str(h) for h in hexes]


def copy_rows(conn: Connection, schema: str, table: str, columns: Sequence[str],
              values: Sequence[Sequence[object]]) -> None:
    """Append rows with COPY (one round trip for the whole layer)."""
    statement = sql.SQL("COPY {}.{} ({}) FROM STDIN").format(
        sql.Identifier(schema), sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, columns)))
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in zip(*values, strict=True):
            copy.write_row(row)


def table_columns(conn: Connection, schema: str, table: str) -> list[tuple[str, str]]:
    """(name, type) of a table's columns in order, bookkeeping columns excluded."""
    rows = conn.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
        "WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attnum", [f'"{schema}"."{table}"']).fetchall()
    return [(n, t) for n, t in rows if n != ORDER_COLUMN]


def _typed(values: list[object], pg_type: str, *, lossless: bool) -> pd.Series:
    """A column read from PostgreSQL.

    Without missing values integers and booleans are plain numpy columns, as pyogrio reads
    them. With missing values, ``lossless`` keeps them nullable (so a copy back to a
    GeoPackage keeps the field type); otherwise they widen the way pyogrio widens them
    (integers to float64, booleans to objects), so both backends read a layer alike.
    """
    if pg_type in _READ_DTYPES:
        series = pd.Series(pd.array(values, dtype=_READ_DTYPES[pg_type]))
        missing = bool(series.isna().any())
        if pg_type in ("smallint", "integer", "bigint", "boolean") and not missing:
            return series.astype("bool" if pg_type == "boolean" else
                                 _READ_DTYPES[pg_type].lower())
        if missing and not lossless and pg_type != "real":
            return series.astype(object if pg_type == "boolean" else "float64").where(
                series.notna(), None if pg_type == "boolean" else float("nan"))
        return series
    if pg_type == "date" and lossless:
        return pd.Series(values, dtype=object)  # datetime.date: a copy writes a date again
    if pg_type in ("date", "timestamp without time zone"):
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object))).astype("datetime64[ms]")
    if pg_type == "timestamp with time zone":
        utc = pd.Series(pd.to_datetime(pd.Series(values, dtype=object), utc=True)).astype(
            "datetime64[ms, UTC]")
        # Read as a GeoPackage reads its UTC DATETIMEs: naive UTC; a copy keeps the zone so
        # that it writes the ``Z`` back.
        return utc if lossless else utc.dt.tz_localize(None)
    if pg_type == "text":
        return pd.Series(values, dtype="str")
    return pd.Series(values, dtype=object)


def geometry_srid(conn: Connection, schema: str, table: str) -> int:
    """The SRID the table's geometry column is typed with (0 when untyped)."""
    found = conn.execute("SELECT postgis_typmod_srid(atttypmod) FROM pg_attribute WHERE "
                         "attrelid = to_regclass(%s) AND attname = %s",
                         [f'"{schema}"."{table}"', GEOMETRY_COLUMN]).fetchone()
    return int(found[0]) if found and found[0] and found[0] > 0 else 0


def read_table(conn: Connection, schema: str, table: str, *,
               dtypes: Mapping[str, str] | None = None, lossless: bool = False) -> pd.DataFrame:
    """A whole table in write order; spatial tables become GeoDataFrames with their SRID.

    ``dtypes`` forces the pandas dtype of named columns (the planning layers' schema dtypes);
    ``lossless`` keeps integer and boolean columns with missing values nullable (for copies).
    """
    columns = table_columns(conn, schema, table)
    geometry = [(n, t) for n, t in columns if t.startswith("geometry")]
    attrs = [(n, t) for n, t in columns if not t.startswith("geometry")]
    select: list[sql.Composable] = [sql.Identifier(n) for n, _ in attrs]
    if geometry:
        select.append(sql.SQL("ST_AsBinary({})").format(sql.Identifier(GEOMETRY_COLUMN)))
    query = sql.SQL("SELECT {} FROM {}.{} ORDER BY {}").format(
        sql.SQL(", ").join(select), sql.Identifier(schema), sql.Identifier(table),
        sql.Identifier(ORDER_COLUMN))
    rows = conn.execute(query).fetchall()
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(select)
    data: dict[str, pd.Series] = {}
    dtypes = dtypes or {}
    for (name, pg_type), values in zip(attrs, cols, strict=False):
        series = _typed(list(values), pg_type, lossless=lossless or name in (dtypes or {}))
        if name in dtypes:
            series = series.astype(dtypes[name])
        data[name] = series
    frame = pd.DataFrame(data, columns=[n for n, _ in attrs])
    if not geometry:
        return frame
    srid = geometry_srid(conn, schema, table)
    wkb = [None if v is None else bytes(v) for v in cols[-1]]
    geoms = shapely.from_wkb(np.array(wkb, dtype=object))
    crs = f"EPSG:{srid}" if srid and srid > 0 else None
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)
