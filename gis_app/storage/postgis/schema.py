"""The PostGIS data model: one schema per province, its tables, constraints, roles and upgrades.

Each province lives in its own PostgreSQL schema named after its key (``bac_ninh``). The planning
layers become typed tables whose constraints repeat what the database can enforce of
:mod:`gis_app.rules.validate`: primary keys, foreign keys (plot -> park, tenant link -> plot and
project), allowed codes, non-negative areas, geometry type and the province's SRID. Everything
else a GeoPackage holds (context layers, styles, sources, scenarios) is carried as registered
extra tables (see :mod:`gis_app.storage.postgis.store`).

The schema version is kept in ``<province>.kcn_meta``; :data:`MIGRATIONS` is the ordered list of
steps from an empty schema to the current one, applied once each under an advisory lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from psycopg import Connection, sql

from ...errors import LayerError
from ...model.schema import CHANGES_TABLE, PLAN_LAYERS, SCHEMAS, Column, LayerSchema
from ...settings import Province

#: Group roles: read-only public access (no confidential tenant figures) and officers (read/write).
PUBLIC_ROLE = "kcn_public"
OFFICER_ROLE = "kcn_officer"

#: Tenant columns the public must not read: capital, revenue, exports, budget and employees.
CONFIDENTIAL_TENANT_COLUMNS: tuple[str, ...] = (
    "registered_capital_usd",
    "realised_capital_usd",
    "employees",
    "revenue_usd",
    "exports_usd",
    "budget_contribution_usd",
)

#: The view of the tenants without the confidential columns, for the public role.
PUBLIC_TENANTS_VIEW = "tenants_public"

#: Extra tables the public may read besides the context layers (never scenarios: drafts).
PUBLIC_EXTRA_TABLES: tuple[str, ...] = ("layer_styles", "layer_sources", "dataset_info")

#: The record of the plan (see :mod:`gis_app.history`): the change log and one versioned copy
#: per planning layer. Officers append to these tables and close a version (set its missing
#: ``valid_to`` and ``change_to``) but never edit or erase a row.
HISTORY_TABLES: tuple[str, ...] = (CHANGES_TABLE, *(f"{s.name}_history" for s in PLAN_LAYERS))

#: The only columns of a version an update may set, once, while they are missing.
CLOSING_COLUMNS: tuple[str, ...] = ("valid_to", "change_to")

#: Record tables the public reads through a view, and the columns the view leaves out: who
#: recorded a change (an officer's name) and the tenants' confidential figures.
PUBLIC_VIEWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "tenants": (PUBLIC_TENANTS_VIEW, CONFIDENTIAL_TENANT_COLUMNS),
    CHANGES_TABLE: (f"{CHANGES_TABLE}_public", ("recorded_by",)),
    "tenants_history": ("tenants_history_public", CONFIDENTIAL_TENANT_COLUMNS),
}

#: Functions through which officers lock and increment layer versions (they may not update
#: ``layer_versions`` itself) and the trigger function guarding the history tables.
LOCK_VERSIONS_FUNCTION = "kcn_lock_versions"
BUMP_VERSIONS_FUNCTION = "kcn_bump_versions"
GUARD_FUNCTION = "kcn_history_guard"
GUARD_TRIGGER = "kcn_append_only"

#: Bookkeeping columns and tables of the database (not part of any layer).
ORDER_COLUMN = "kcn_fid"  #: keeps features in the order they were written
GEOMETRY_COLUMN = "geom"
META_TABLE = "kcn_meta"
VERSIONS_TABLE = "layer_versions"
REGISTRY_TABLE = "kcn_layers"

_PG_TYPES = {"str": "text", "float": "double precision", "int": "bigint", "bool": "boolean",
             "date": "date"}

#: Foreign keys of the planning layers: (table, column) -> (referenced table, column).
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("zones", "park_code"): ("parks", "park_code"),
    ("plots", "park_code"): ("parks", "park_code"),
    ("tenants", "park_code"): ("parks", "park_code"),
    ("tenant_plots", "plot_code"): ("plots", "plot_code"),
    ("tenant_plots", "project_id"): ("tenants", "project_id"),
    ("wastewater_plants", "park_code"): ("parks", "park_code"),
}


def pg_type(column: Column) -> str:
    """The PostgreSQL type of a schema column."""
    return _PG_TYPES[column.kind]


def _column_ddl(column: Column, schema: LayerSchema) -> sql.Composed:
    name = sql.Identifier(column.name)
    parts = [name, sql.SQL(pg_type(column))]
    if column.required:
        parts.append(sql.SQL("NOT NULL"))
    if column.name == schema.key:
        parts.append(sql.SQL("PRIMARY KEY"))
    checks = []
    if column.kind == "str" and (column.required or column.name == schema.key):
        checks.append(sql.SQL("{} <> ''").format(name))
    if column.minimum is not None:
        checks.append(sql.SQL("{} >= {}").format(name, sql.Literal(column.minimum)))
    for check in checks:
        parts.append(sql.SQL("CHECK ({})").format(check))
    return sql.SQL(" ").join(parts)


def code_constraint(layer: str, column: str) -> str:
    """Name of the CHECK holding a code column to its allowed codes (kept in step by upgrade)."""
    return f"{layer}_{column}_codes"


def sync_code_checks(conn: Connection, schema: str) -> None:
    """(Re)create every code CHECK from :mod:`gis_app.model.schema`'s current code lists.

    Code lists grow (``proposed`` parks were added after the first release), so these checks
    are rebuilt on every upgrade instead of being frozen in the step that created the tables.
    """
    for layer in PLAN_LAYERS:
        table = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(layer.name))
        for column in layer.columns:
            if column.choices is None:
                continue
            name = sql.Identifier(code_constraint(layer.name, column.name))
            conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}").format(
                table, name))
            conn.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IN ({}))").format(
                table, name, sql.Identifier(column.name),
                sql.SQL(", ").join(sql.Literal(c) for c in column.choices)))


def _geometry_ddl(schema: LayerSchema, srid: int) -> sql.Composed:
    """Geometry typed with the province SRID; Polygon and MultiPolygon may share a layer."""
    assert schema.geometry_types is not None
    family = "Point" if schema.geometry_types == ("Point",) else "Geometry"
    types = sql.SQL(", ").join(sql.Literal(f"ST_{t}") for t in schema.geometry_types)
    geom = sql.Identifier(GEOMETRY_COLUMN)
    return sql.SQL("{} geometry({}, {}) NOT NULL CHECK (ST_GeometryType({}) IN ({}))"
                   " CHECK (NOT ST_IsEmpty({}))").format(
        geom, sql.SQL(family), sql.Literal(srid), geom, types, geom)


def plan_table_ddl(schema_name: str, layer: LayerSchema, srid: int) -> sql.Composed:
    """CREATE TABLE for one planning layer, with its keys, checks and foreign keys."""
    items = [sql.SQL("{} bigint GENERATED BY DEFAULT AS IDENTITY UNIQUE").format(
        sql.Identifier(ORDER_COLUMN))]
    items += [_column_ddl(c, layer) for c in layer.columns]
    if layer.geometry_types is not None:
        items.append(_geometry_ddl(layer, srid))
    for (table, column), (ref_table, ref_column) in REFERENCES.items():
        if table == layer.name:
            items.append(sql.SQL("FOREIGN KEY ({}) REFERENCES {}.{} ({})").format(
                sql.Identifier(column), sql.Identifier(schema_name), sql.Identifier(ref_table),
                sql.Identifier(ref_column)))
    return sql.SQL("CREATE TABLE {}.{} ({})").format(
        sql.Identifier(schema_name), sql.Identifier(layer.name), sql.SQL(", ").join(items))


def _create_layers(conn: Connection, schema: str, province: Province) -> None:
    s = sql.Identifier(schema)
    conn.execute(sql.SQL("CREATE TABLE {}.{} (layer text PRIMARY KEY, "
                         "version bigint NOT NULL DEFAULT 0 CHECK (version >= 0))").format(
        s, sql.Identifier(VERSIONS_TABLE)))
    conn.execute(sql.SQL("CREATE TABLE {}.{} (name text PRIMARY KEY, position integer NOT NULL, "
                         "kind text NOT NULL CHECK (kind IN ('table', 'spatial', 'sqlite', "
                         "'sqlite_unlisted')), create_sql text, gpkg_srs_id integer)").format(
        s, sql.Identifier(REGISTRY_TABLE)))
    for layer in PLAN_LAYERS:
        conn.execute(plan_table_ddl(schema, layer, province.epsg))
        table = sql.Identifier(layer.name)
        if layer.geometry_types is not None:
            conn.execute(sql.SQL("CREATE INDEX ON {}.{} USING gist ({})").format(
                s, table, sql.Identifier(GEOMETRY_COLUMN)))
        if "park_code" in layer.column_names and layer.key != "park_code":
            conn.execute(sql.SQL("CREATE INDEX ON {}.{} (park_code)").format(s, table))
    conn.execute(sql.SQL("CREATE INDEX ON {}.tenant_plots (project_id)").format(s))
    conn.execute(sql.SQL("INSERT INTO {}.{} (layer) SELECT unnest(%s::text[])").format(
        s, sql.Identifier(VERSIONS_TABLE)), [list(SCHEMAS)])


def _create_public_views(conn: Connection, schema: str, province: Province) -> None:
    """Views for the public role: the tenants without their confidential figures."""
    visible = [ORDER_COLUMN] + [
        c for c in SCHEMAS["tenants"].column_names if c not in CONFIDENTIAL_TENANT_COLUMNS]
    conn.execute(sql.SQL("CREATE VIEW {}.{} AS SELECT {} FROM {}.tenants").format(
        sql.Identifier(schema), sql.Identifier(PUBLIC_TENANTS_VIEW),
        sql.SQL(", ").join(map(sql.Identifier, visible)), sql.Identifier(schema)))


def _guard_the_record(conn: Connection, schema: str, province: Province) -> None:
    """Functions that keep the record append-only while officers still write versioned.

    ``layer_versions`` belongs to the schema owner; officers lock and increment versions only
    through two SECURITY DEFINER functions (a fixed search path, so no caller's object can
    stand in for a catalog one). The trigger function lets an update of a history row do one
    thing only: close an open version by setting its ``valid_to`` and ``change_to``.
    """
    s, versions = sql.Identifier(schema), sql.Identifier(VERSIONS_TABLE)
    conn.execute(sql.SQL(
        "CREATE OR REPLACE FUNCTION {}.{}(names text[]) RETURNS TABLE (layer text, "
        "version bigint) LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp "
        "AS $$ SELECT v.layer, v.version FROM {}.{} v WHERE v.layer = ANY(names) "
        "ORDER BY v.layer FOR UPDATE $$").format(
        s, sql.Identifier(LOCK_VERSIONS_FUNCTION), s, versions))
    conn.execute(sql.SQL(
        "CREATE OR REPLACE FUNCTION {}.{}(names text[]) RETURNS void LANGUAGE sql "
        "SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ INSERT INTO {}.{} AS v "
        "(layer, version) SELECT unnest(names), 1 ON CONFLICT (layer) DO UPDATE SET "
        "version = v.version + 1 $$").format(
        s, sql.Identifier(BUMP_VERSIONS_FUNCTION), s, versions))
    for name in (LOCK_VERSIONS_FUNCTION, BUMP_VERSIONS_FUNCTION):
        conn.execute(sql.SQL("REVOKE ALL ON FUNCTION {}.{}(text[]) FROM PUBLIC").format(
            s, sql.Identifier(name)))
    conn.execute(sql.SQL("""CREATE OR REPLACE FUNCTION {}.{}() RETURNS trigger
        LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
          IF TG_TABLE_NAME = 'plan_changes' THEN
            RAISE EXCEPTION 'plan_changes is append-only: a recorded change is never edited '
              '(record a reversal instead)' USING ERRCODE = 'insufficient_privilege';
          END IF;
          IF OLD.valid_to IS NOT NULL OR OLD.change_to IS NOT NULL THEN
            RAISE EXCEPTION '%: this version is closed; history is never edited', TG_TABLE_NAME
              USING ERRCODE = 'insufficient_privilege';
          END IF;
          IF NEW.valid_to IS NULL OR NEW.change_to IS NULL
             OR (to_jsonb(NEW) - 'valid_to' - 'change_to')
                IS DISTINCT FROM (to_jsonb(OLD) - 'valid_to' - 'change_to') THEN
            RAISE EXCEPTION '%: a version may only be closed (valid_to and change_to set)',
              TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
          END IF;
          RETURN NEW;
        END $$""").format(s, sql.Identifier(GUARD_FUNCTION)))


@dataclass(frozen=True)
class Migration:
    """One upgrade step; ``version`` is the schema version after it."""

    version: int
    description: str
    apply: Callable[[Connection, str, Province], None]


#: Ordered upgrade steps. Append, never edit a released step.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "planning layers, extra-layer registry and layer versions", _create_layers),
    Migration(2, "public views without confidential tenant columns", _create_public_views),
    Migration(3, "append-only record: versions through functions, history guard",
              _guard_the_record),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(conn: Connection, schema: str) -> int:
    """The version recorded in the province schema; 0 when the schema does not exist yet."""
    found = conn.execute("SELECT to_regclass(%s) IS NOT NULL",
                         [f"{schema}.{META_TABLE}"]).fetchone()
    if not found or not found[0]:
        return 0
    row = conn.execute(sql.SQL("SELECT value FROM {}.{} WHERE key = 'schema_version'").format(
        sql.Identifier(schema), sql.Identifier(META_TABLE))).fetchone()
    return int(row[0]) if row else 0


def ensure_roles(conn: Connection) -> None:
    """Create the two group roles when missing (needs CREATEROLE the first time only)."""
    for role in (PUBLIC_ROLE, OFFICER_ROLE):
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
        if exists:
            continue
        try:
            with conn.transaction():  # a savepoint: another database may create it meanwhile
                conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        except (psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
            pass  # roles belong to the whole server: created by a concurrent 'db init


def apply_grants(conn: Connection, schema: str, extras: dict[str, str]) -> None:
    """(Re)grant both roles their rights on every table of the schema (idempotent).

    ``extras`` maps the registered extra tables to their kind: spatial context layers and the
    styles/sources tables are public, other extras (scenarios) are for officers only.

    The metadata (``kcn_meta``, ``layer_versions``, ``kcn_layers``) is the schema owner's:
    officers read it and change versions only through :data:`BUMP_VERSIONS_FUNCTION`. The
    record (:data:`HISTORY_TABLES`) is append-only for officers: INSERT, and on a history
    table UPDATE of :data:`CLOSING_COLUMNS` only, which the guard trigger allows once. The
    public reads the record through views without private columns (:data:`PUBLIC_VIEWS`).
    """
    s = sql.Identifier(schema)
    public, officer = sql.Identifier(PUBLIC_ROLE), sql.Identifier(OFFICER_ROLE)
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}, {}").format(s, public, officer))
    conn.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}")
                 .format(s, officer))
    conn.execute(sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, officer))
    for name in (META_TABLE, VERSIONS_TABLE, REGISTRY_TABLE):
        conn.execute(sql.SQL("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {}.{} FROM {}").format(
            s, sql.Identifier(name), officer))
    for name in (LOCK_VERSIONS_FUNCTION, BUMP_VERSIONS_FUNCTION):
        conn.execute(sql.SQL("GRANT EXECUTE ON FUNCTION {}.{}(text[]) TO {}").format(
            s, sql.Identifier(name), officer))
    record = [name for name in HISTORY_TABLES if name in extras]
    for name in record:
        table = sql.SQL("{}.{}").format(s, sql.Identifier(name))
        conn.execute(sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
            table, officer))
        if name != CHANGES_TABLE:
            conn.execute(sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
                sql.SQL(", ").join(map(sql.Identifier, CLOSING_COLUMNS)), table, officer))
        conn.execute(sql.SQL("CREATE OR REPLACE TRIGGER {} BEFORE UPDATE ON {} FOR EACH ROW "
                             "EXECUTE FUNCTION {}.{}()").format(
            sql.Identifier(GUARD_TRIGGER), table, s, sql.Identifier(GUARD_FUNCTION)))
    readable = [name for name in SCHEMAS if name != "tenants"] + [
        PUBLIC_TENANTS_VIEW, META_TABLE, REGISTRY_TABLE, VERSIONS_TABLE]
    readable += [n for n, kind in extras.items()
                 if kind == "spatial" or n in PUBLIC_EXTRA_TABLES]
    readable += [n for n in record if n not in PUBLIC_VIEWS]
    for name in record:
        if name in PUBLIC_VIEWS:
            _create_public_view(conn, schema, name)
            readable.append(PUBLIC_VIEWS[name][0])
    for name in dict.fromkeys(readable):
        conn.execute(sql.SQL("GRANT SELECT ON {}.{} TO {}").format(s, sql.Identifier(name), public))


def _create_public_view(conn: Connection, schema: str, table: str) -> None:
    """(Re)create the public view of a record table: its columns but the private ones; the
    file an import came from is shown by its name only (a path may name a person's folder)."""
    view, hidden = PUBLIC_VIEWS[table]
    columns = [name for (name,) in conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum", [f'"{schema}"."{table}"']).fetchall()
        if name not in hidden]
    items = [sql.SQL(r"regexp_replace({0}, '^.*[/\\]', '') AS {0}").format(sql.Identifier(c))
             if c == "source_file" else sql.Identifier(c) for c in columns]
    s = sql.Identifier(schema)
    conn.execute(sql.SQL("DROP VIEW IF EXISTS {}.{}").format(s, sql.Identifier(view)))
    conn.execute(sql.SQL("CREATE VIEW {}.{} AS SELECT {} FROM {}.{}").format(
        s, sql.Identifier(view), sql.SQL(", ").join(items), s, sql.Identifier(table)))


def upgrade(conn: Connection, province: Province, *, schema: str | None = None) -> int:
    """Bring the province schema to :data:`SCHEMA_VERSION`; returns the version found before.

    Runs in one transaction under an advisory lock, so two officers starting the app at once
    cannot apply a step twice, and a failed step leaves the previous version intact.
    """
    schema = schema or province.key
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"kcn-gis:{schema}"])
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        before = schema_version(conn, schema)
        if before > SCHEMA_VERSION:
            raise LayerError(f"schema {schema!r} is at version {before}, newer than this kcn-gis "
                             f"({SCHEMA_VERSION}); upgrade kcn-gis")
        ensure_roles(conn)
        s = sql.Identifier(schema)
        if before == 0:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(s))
            conn.execute(sql.SQL("CREATE TABLE {}.{} (key text PRIMARY KEY, value text NOT NULL)")
                         .format(s, sql.Identifier(META_TABLE)))
            conn.execute(sql.SQL("INSERT INTO {}.{} VALUES ('province', %s), ('epsg', %s), "
                                 "('schema_version', '0')").format(s, sql.Identifier(META_TABLE)),
                         [province.key, str(province.epsg)])
        for step in MIGRATIONS:
            if step.version > before:
                step.apply(conn, schema, province)
        sync_code_checks(conn, schema)
        conn.execute(sql.SQL("UPDATE {}.{} SET value = %s WHERE key = 'schema_version'").format(
            s, sql.Identifier(META_TABLE)), [str(SCHEMA_VERSION)])
        extras: dict[str, str] = dict(conn.execute(sql.SQL("SELECT name, kind FROM {}.{}").format(
            s, sql.Identifier(REGISTRY_TABLE))).fetchall())
        apply_grants(conn, schema, extras)
    return before


def require_current(conn: Connection, schema: str, where: str) -> None:
    """Refuse to read or write a schema that is missing or at another version."""
    found = schema_version(conn, schema)
    if found == 0:
        raise LayerError(f"{where}: no province schema {schema!r}; run 'kcn-gis db init' first")
    if found != SCHEMA_VERSION:
        raise LayerError(f"{where}: schema {schema!r} is at version {found}, this kcn-gis needs "
                         f"{SCHEMA_VERSION}; run 'kcn-gis db init' to upgrade")
