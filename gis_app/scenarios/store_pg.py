"""The scenario tables on PostGIS: the same two tables and checks as in a GeoPackage.

:class:`~gis_app.scenarios.store.ScenarioStore` keeps its logic (version checks, ``based_on``
checks, the rows it writes) in one place, written against a DB-API connection with ``?``
placeholders, as :mod:`sqlite3` takes them. This module runs that same logic against a
province schema on PostgreSQL:

* the tables are registered extra tables of the province (created once, under an advisory
  lock so two officers opening a new province at once cannot both create them), carried by
  ``kcn-gis db push/pull`` with their original SQLite ``CREATE TABLE``, and readable by
  officers only (drafts are not public);
* every change runs in :func:`gis_app.storage.postgis.store.transaction`, which locks the two
  tables' version rows first: writers take turns exactly as the GeoPackage file lock makes
  them, so the version check inside cannot race;
* reads take both tables from one snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
from psycopg import Connection, sql

from ..storage.postgis import store as postgis
from ..storage.postgis.schema import require_current
from ..storage.postgis.tables import read_table
from .tables import DDL

#: Column -> PostgreSQL type of each table, as ``db push`` types a GeoPackage's store.
COLUMNS: dict[str, dict[str, str]] = {
    "scenarios": {"scenario_id": "text", "name": "text", "description": "text",
                  "author": "text", "based_on": "text", "created": "text",
                  "modified": "text", "version": "bigint"},
    "scenario_edits": {"scenario_id": "text", "seq": "bigint", "edit_id": "text",
                       "operation": "text", "params": "text", "version": "bigint"},
}


class _QmarkConnection:
    """A psycopg connection that takes the ``?`` placeholders the store's SQL is written with.

    The store's statements contain no literal question marks, so the swap is exact.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def execute(self, query: str, params: Sequence[object] = ()) -> Any:  # noqa: ANN401
        return self._conn.execute(query.replace("?", "%s"), list(params))

    def executemany(self, query: str, rows: Sequence[Sequence[object]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(query.replace("?", "%s"), [list(r) for r in rows])


def _registered(conn: Connection, schema: str) -> bool:
    return set(COLUMNS) <= set(postgis.extra_layers(conn, schema))


def ensure_tables(url: str, ddl: dict[str, tuple[str, str]] | None = None) -> None:
    """Create the two tables when the province has none yet (``ddl``: the GeoPackage's
    ``CREATE TABLE`` and description of each, kept for the way back to a file).

    Creating tables needs the schema owner (``kcn-gis db init`` calls this); officers only
    edit rows.
    """
    if ddl is None:
        ddl = DDL
    with postgis.session(url) as (target, conn):
        schema = target.province.key
        require_current(conn, schema, target.display)
        if _registered(conn, schema):
            return
        # Held on this connection while another one creates the tables: a second creator
        # waits, then finds them and leaves them (and any scenario saved meanwhile) alone.
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", [f"kcn-gis:scenarios:{schema}"])
        try:
            if _registered(conn, schema):
                return
            frames = {name: pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
                      for name, columns in COLUMNS.items()}
            info = {name: {"kind": "sqlite", "types": COLUMNS[name],
                           "create_sql": ddl[name][0].replace("IF NOT EXISTS ", "")}
                    for name in COLUMNS}
            postgis.write(url, extras=frames, extra_info=info,
                          descriptions={name: ddl[name][1] for name in COLUMNS})
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))",
                         [f"kcn-gis:scenarios:{schema}"])


def read_tables(url: str) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Both tables from one snapshot; None when the province has no scenarios yet."""
    with postgis.session(url) as (target, conn):
        schema = target.province.key
        require_current(conn, schema, target.display)
        if not _registered(conn, schema):
            return None
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            scenarios, edits = (read_table(conn, schema, name) for name in COLUMNS)
    return scenarios, edits


def run(url: str, change: Callable[[Any], None], ddl: dict[str, tuple[str, str]]) -> None:
    """Run ``change(con)`` (the store's SQLite-style step) in one locked transaction.

    An exception raised by ``change`` (a stale save) rolls everything back.
    """
    ensure_tables(url, ddl)
    with postgis.transaction(url, list(COLUMNS)) as (conn, schema):
        # Unqualified table names in the store's SQL resolve to the province schema.
        conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
        change(_QmarkConnection(conn))
