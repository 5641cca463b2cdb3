"""Copy a whole province between a GeoPackage and PostGIS, in either direction, without loss.

Everything the file holds travels: the six planning layers (validated on the way), the context
layers with their CRS, the bookkeeping tables (``dataset_info``, ``layer_sources``,
``layer_styles``) and any further tables such as scenarios. Field types are taken from the
GeoPackage itself (not from pandas, which widens integers holding missing values to floats), and
tables that GDAL does not list (a plain SQLite ``layer_styles``) are carried with their original
``CREATE TABLE`` statement, so GeoPackage -> PostGIS -> GeoPackage gives back identical layers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import pyogrio
from psycopg import sql

from ..errors import LayerError
from ..model.plan import Plan
from ..model.schema import SCHEMAS
from ..rules.validate import check_plan
from . import gpkg
from .postgis import store as postgis
from .postgis.connect import parse_url
from .postgis.schema import REGISTRY_TABLE, require_current
from .postgis.tables import ogr_pg_type, python_values, read_table
from .source import Source, is_database

#: SQLite tables that belong to the GeoPackage format or to GDAL, never copied as data.
_INTERNAL_PREFIXES = ("gpkg_", "rtree_", "sqlite_", "gpkgext_")
#: ``layer_versions`` counts the file's own writes (a database keeps its own counts).
_INTERNAL_TABLES = {"gpkg_ogr_contents", gpkg.VERSIONS_TABLE}

#: Declared SQLite type (by affinity keyword) -> PostgreSQL type for unlisted tables.
_SQLITE_TYPES = (("INT", "bigint"), ("BOOL", "boolean"), ("REAL", "double precision"),
                 ("FLOA", "double precision"), ("DOUB", "double precision"), ("BLOB", "bytea"))

Extras = tuple[dict[str, pd.DataFrame], dict[str, dict[str, object]]]


def _sqlite_type(declared: str, values: pd.Series) -> str:
    """PostgreSQL type for a SQLite column, from its declared type (and values, for times).

    GeoPackage DATE/DATETIME columns hold ISO 8601 text; they become real dates and
    timestamps in PostgreSQL (with time zone when the text carries one) and are written
    back in GDAL's own format (:func:`_sqlite_text`).
    """
    declared = declared.upper()
    if "DATETIME" in declared or "TIMESTAMP" in declared:
        text = values.dropna().astype(str)
        zoned = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True).any()
        return "timestamptz" if zoned else "timestamp"
    if declared == "DATE":
        return "date"
    for keyword, pg in _SQLITE_TYPES:
        if keyword in declared:
            return pg
    return "text"


def _sqlite_text(series: pd.Series) -> pd.Series:
    """Dates and times as GDAL writes them into a GeoPackage; other columns unchanged."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        utc = series.dt.tz_convert("UTC")
        return utc.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3] + "Z"
    if pd.api.types.is_datetime64_dtype(series.dtype):
        return series.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3]
    if series.map(lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime)).any():
        return series.map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
    return series


def _gpkg_contents(con: sqlite3.Connection) -> dict[str, tuple[str, int | None]]:
    """Every registered layer -> (description, srs_id) from ``gpkg_contents``."""
    rows = con.execute("SELECT table_name, coalesce(description, ''), srs_id "
                       "FROM gpkg_contents").fetchall()
    return {name: (text, srs_id) for name, text, srs_id in rows}


def _sqlite_table(con: sqlite3.Connection, name: str, *, registered: bool
                  ) -> tuple[pd.DataFrame, dict[str, object]]:
    """An attribute table read row by row with its DDL, so it can be recreated exactly.

    A registered table's integer primary key is the GeoPackage feature id, which readers do
    not show and SQLite renumbers; it is left out. An unlisted table keeps every column.
    """
    ddl = con.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                      [name]).fetchone()[0]
    columns = [(c, t) for c, t, pk in con.execute(
        "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", [name])
        if not (registered and pk == 1 and t.upper() == "INTEGER")]
    quoted = ", ".join('"' + c.replace('"', '""') + '"' for c, _ in columns)
    table = '"' + name.replace('"', '""') + '"'
    rows = con.execute(f"SELECT {quoted} FROM {table} ORDER BY rowid").fetchall()
    frame = pd.DataFrame.from_records(rows, columns=[c for c, _ in columns]).astype(object)
    return frame, {"kind": "sqlite" if registered else "sqlite_unlisted", "create_sql": ddl,
                   "types": {c: _sqlite_type(t, frame[c]) for c, t in columns}}


def read_gpkg_extras(path: str | Path) -> tuple[Extras, dict[str, str]]:
    """Every non-planning layer and table of a GeoPackage, how to store each, and descriptions.

    Spatial layers are read through GDAL with the PostgreSQL type of each field; attribute
    tables (styles, sources, scenarios) and tables GDAL does not list are read through SQLite
    with their ``CREATE TABLE`` statement, keeping their constraints on the way back.
    """
    path = Path(path)
    listed = gpkg.list_layers(path)
    frames: dict[str, pd.DataFrame] = {}
    info: dict[str, dict[str, object]] = {}
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        contents = _gpkg_contents(con)
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for name in listed:
            if name in SCHEMAS:
                continue
            if listed[name] is None:
                frames[name], info[name] = _sqlite_table(con, name, registered=True)
                info[name]["srs_id"] = contents.get(name, ("", None))[1]
                continue
            frame = gpkg.read_layer(path, name)
            meta = pyogrio.read_info(path, layer=name)
            frames[name] = frame
            info[name] = {"kind": "spatial", "types": {
                str(f): ogr_pg_type(t, st, frame[str(f)])
                for f, t, st in zip(meta["fields"], meta["ogr_types"], meta["ogr_subtypes"],
                                    strict=True)}}
        for name in tables:
            if name in listed or name in _INTERNAL_TABLES or name.startswith(_INTERNAL_PREFIXES):
                continue
            frames[name], info[name] = _sqlite_table(con, name, registered=False)
    descriptions = {name: text for name, (text, _) in contents.items() if text}
    return (frames, info), descriptions


def _sqlite_writer(tables: Mapping[str, pd.DataFrame], info: Mapping[str, Mapping[str, object]],
                   descriptions: Mapping[str, str]) -> Callable[[sqlite3.Connection], None]:
    """A ``write_layers(after=...)`` callback recreating attribute tables with their own DDL."""
    def create(con: sqlite3.Connection) -> None:
        for name, frame in tables.items():
            con.execute(str(info[name]["create_sql"]))
            columns = list(frame.columns)
            values = [python_values(_sqlite_text(frame[c]), "") for c in columns]
            quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            table = '"' + name.replace('"', '""') + '"'
            con.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                            list(zip(*values, strict=True)))
            if info[name]["kind"] == "sqlite":  # a registered attribute table, as before
                con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, "
                            "description, srs_id) VALUES (?, 'attributes', ?, ?, ?)",
                            [name, name, descriptions.get(name, ""), info[name].get("srs_id")])
    return create


def _write_gpkg(path: Path, plan: Plan, extras: Extras, descriptions: Mapping[str, str]) -> None:
    frames, info = extras
    check_plan(plan.layers(), str(path), None).raise_if_problems()
    by_sqlite = {n: f for n, f in frames.items()
                 if str(info.get(n, {}).get("kind", "")).startswith("sqlite")}
    layers = {**plan.layers(), **{n: f for n, f in frames.items() if n not in by_sqlite}}
    gpkg.write_layers(path, layers, fresh=True,
                      descriptions={n: d for n, d in descriptions.items() if n in layers},
                      after=_sqlite_writer(by_sqlite, info, descriptions) if by_sqlite else None)


def read_pg_extras(url: str) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, object]]]:
    """Every extra table (in registration order) and its kind and original DDL, for copying."""
    with postgis.session(url) as (target, conn):
        schema = target.province.key
        require_current(conn, schema, target.display)
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            query = sql.SQL("SELECT name, kind, create_sql, gpkg_srs_id FROM {}.{} "
                            "ORDER BY position, name")
            rows = conn.execute(query.format(sql.Identifier(schema),
                                             sql.Identifier(REGISTRY_TABLE))).fetchall()
            frames = {name: read_table(conn, schema, name, lossless=True)
                      for name, *_ in rows}
    info = {name: {"kind": kind, "create_sql": ddl, "srs_id": srs_id}
            for name, kind, ddl, srs_id in rows}
    return frames, info


def read_pg_descriptions(url: str) -> dict[str, str]:
    """Table comments (the GeoPackage layer descriptions) of every layer that has one."""
    with postgis.session(url) as (target, conn):
        schema = target.province.key
        require_current(conn, schema, target.display)
        names = list(SCHEMAS) + list(postgis.extra_layers(conn, schema))
        rows = conn.execute("SELECT name, obj_description(to_regclass(format('%%I.%%I', %s::text, "
                            "name)), 'pg_class') FROM unnest(%s::text[]) AS name",
                            [schema, names]).fetchall()
    return {name: text for name, text in rows if text}


def copy_province(src: Source, dst: Source) -> list[str]:
    """Copy every layer of ``src`` to ``dst`` (replacing what ``dst`` held); the layer names.

    A PostgreSQL destination is created or upgraded first; when its URL names no province,
    the province recorded in the GeoPackage's ``dataset_info`` is used.
    """
    if is_database(src):
        plan = postgis.read_plan(str(src))
        extras = read_pg_extras(str(src))
        descriptions = read_pg_descriptions(str(src))
    else:
        plan = gpkg.read_plan(Path(src))
        extras, descriptions = read_gpkg_extras(Path(src))
    if is_database(dst):
        target = parse_url(str(dst))
        url = str(dst)
        if target.province_key is None:
            province = None if is_database(src) else gpkg.province_of(Path(src))
            if province is None:
                raise LayerError(f"{target.display}: the URL names no province and {src} does "
                                 "not record one; add '?province=KEY' to the URL")
            url = f"{dst}{'&' if '?' in str(dst) else '?'}province={province.key}"
        postgis.init_database(url)
        postgis.write(url, plan=plan, extras=extras[0], extra_info=extras[1],
                      descriptions=descriptions, replace_extras=True)
    else:
        _write_gpkg(Path(dst), plan, extras, descriptions)
    return [*SCHEMAS, *extras[0]]
