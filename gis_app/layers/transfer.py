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
import sqlite3
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyogrio

from ..errors import LayerError
from . import gpkg
from .pg_connect import parse_url
from .pg_tables import ogr_pg_type, python_values
from .plan import Plan
from .schema import SCHEMAS
from .source import Source, is_database
from .validate import check_plan

#: SQLite tables that belong to the GeoPackage format or to GDAL, never copied as data.
_INTERNAL_PREFIXES = ("gpkg_", "rtree_", "sqlite_", "gpkgext_")
_INTERNAL_TABLES = {"gpkg_ogr_contents"}

#: Declared SQLite type (by affinity keyword) -> PostgreSQL type for unlisted tables.
_SQLITE_TYPES = (("INT", "bigint"), ("BOOL", "boolean"), ("REAL", "double precision"),
                 ("FLOA", "double precision"), ("DOUB", "double precision"), ("BLOB", "bytea"))

Extras = tuple[dict[str, pd.DataFrame], dict[str, dict[str, object]]]


def _sqlite_type(declared: str) -> str:
    declared = declared.upper()
    for keyword, pg in _SQLITE_TYPES:
        if keyword in declared:
            return pg
    return "text"


def _unlisted_tables(path: Path, listed: set[str]) -> Extras:
    """Plain SQLite tables GDAL does not list (e.g. ``layer_styles``), with their DDL."""
    frames: dict[str, pd.DataFrame] = {}
    info: dict[str, dict[str, object]] = {}
    uri = f"file:{path}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as con:
        tables = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                             "ORDER BY name").fetchall()
        for name, ddl in tables:
            if name in listed or name in _INTERNAL_TABLES or name.startswith(_INTERNAL_PREFIXES):
                continue
            columns = con.execute("SELECT name, type FROM pragma_table_info(?)", [name]).fetchall()
            quoted = ", ".join('"' + c.replace('"', '""') + '"' for c, _ in columns)
            rows = con.execute(f'SELECT {quoted} FROM "{name}" ORDER BY rowid').fetchall()
            frames[name] = pd.DataFrame.from_records(
                rows, columns=[c for c, _ in columns]).astype(object)
            info[name] = {"kind": "sqlite", "create_sql": ddl,
                          "types": {c: _sqlite_type(t) for c, t in columns}}
    return frames, info


def read_gpkg_extras(path: str | Path) -> Extras:
    """Every non-planning layer and table of a GeoPackage with the PostgreSQL type of each field."""
    path = Path(path)
    listed = gpkg.list_layers(path)
    frames: dict[str, pd.DataFrame] = {}
    info: dict[str, dict[str, object]] = {}
    for name in listed:
        if name in SCHEMAS:
            continue
        frame = gpkg.read_layer(path, name)
        meta = pyogrio.read_info(path, layer=name)
        types = {
            str(f): ogr_pg_type(t, s, frame[str(f)])
            for f, t, s in zip(meta["fields"], meta["ogr_types"], meta["ogr_subtypes"],
                               strict=True)
        }
        frames[name] = frame
        info[name] = {"types": types}
    more, more_info = _unlisted_tables(path, set(listed))
    return {**frames, **more}, {**info, **more_info}


def _sqlite_writer(tables: Mapping[str, pd.DataFrame], info: Mapping[str, Mapping[str, object]]):
    """A ``write_layers(after=...)`` callback recreating unlisted tables with their own DDL."""
    def create(con: sqlite3.Connection) -> None:
        for name, frame in tables.items():
            con.execute(str(info[name]["create_sql"]))
            columns = list(frame.columns)
            values = [python_values(frame[c], "") for c in columns]
            quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            con.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})',
                            list(zip(*values, strict=True)))
    return create


def _write_gpkg(path: Path, plan: Plan, extras: Extras) -> None:
    frames, info = extras
    check_plan(plan.layers(), str(path), None).raise_if_problems()
    sqlite_only = {n: f for n, f in frames.items() if info.get(n, {}).get("kind") == "sqlite"}
    layers = {**plan.layers(), **{n: f for n, f in frames.items() if n not in sqlite_only}}
    gpkg.write_layers(path, layers, fresh=True,
                      after=_sqlite_writer(sqlite_only, info) if sqlite_only else None)


def copy_province(src: Source, dst: Source) -> list[str]:
    """Copy every layer of ``src`` to ``dst`` (replacing what ``dst`` held); the layer names.

    A PostgreSQL destination is created or upgraded first; when its URL names no province,
    the province recorded in the GeoPackage's ``dataset_info`` is used.
    """
    from . import postgis

    if is_database(src):
        plan = postgis.read_plan(str(src))
        extras = postgis.read_extras(str(src))
    else:
        plan = gpkg.read_plan(Path(src))
        extras = read_gpkg_extras(Path(src))
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
                      replace_extras=True)
    else:
        _write_gpkg(Path(dst), plan, extras)
    return [*SCHEMAS, *extras[0]]
