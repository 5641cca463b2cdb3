"""PostGIS: the planning layers of a province on a database server, for many officers at once.

The same contract as :mod:`gis_app.layers.gpkg`: reads are validated with
:func:`~gis_app.layers.validate.check_plan` before anything else sees them, and writes are
validated first and atomic (one transaction: either every layer is replaced or none is).

Concurrent edits never lose an update: every layer carries a version number that each write
increments. A reader gets the versions with the data (:func:`read_plan_versioned`); a writer
that passes them back (``expected_versions``) is refused with :class:`EditConflictError` when
someone else wrote one of those layers in between. :func:`update_plan` wraps the
read-edit-write cycle and retries on conflict.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence

import geopandas as gpd
import pandas as pd
import psycopg
from psycopg import Connection, sql

from ..errors import EditConflictError, LayerError, stale_write_message
from .pg_connect import PgTarget, connect, parse_url
from .pg_schema import (
    CONFIDENTIAL_TENANT_COLUMNS,
    GEOMETRY_COLUMN,
    ORDER_COLUMN,
    PUBLIC_TENANTS_VIEW,
    REGISTRY_TABLE,
    VERSIONS_TABLE,
    apply_grants,
    pg_type,
    require_current,
    upgrade,
)
from .pg_tables import (
    copy_rows,
    frame_pg_type,
    geometry_values,
    python_values,
    read_table,
    table_columns,
)
from .plan import _DTYPES, Plan
from .schema import PLAN_LAYERS, SCHEMAS
from .validate import ValidationReport, check_plan, make_report

#: Layer name -> version number, as read with the data and passed back when writing.
Versions = dict[str, int]


@contextlib.contextmanager
def session(url: str) -> Iterator[tuple[PgTarget, Connection]]:
    """An autocommit connection to the server of ``url`` and its parsed target.

    Database errors raised inside become :class:`LayerError` naming the source (never its
    password) and, for refused data, the table and constraint.
    """
    target = parse_url(url)
    target.province  # noqa: B018 - refuse a URL without a known province before connecting
    conn = connect(target, autocommit=True)
    try:
        yield target, conn
    except psycopg.errors.InsufficientPrivilege as exc:
        raise LayerError(f"{target.display}: {exc.diag.message_primary} (the public role reads "
                         "tenants_public; editing needs the kcn_officer role)") from exc
    except psycopg.errors.IntegrityError as exc:
        table = exc.diag.table_name or "?"
        raise LayerError(f"{target.display}, layer {table!r}: the database refused the data "
                         f"({exc.diag.message_primary}; {exc.diag.message_detail or ''}); "
                         "nothing was written") from exc
    except psycopg.Error as exc:
        raise LayerError(f"{target.display}: database error ({str(exc).strip()})") from exc
    finally:
        conn.close()


def init_database(url: str) -> int:
    """Create or upgrade the province schema named by ``url``; the version found before."""
    with session(url) as (target, conn):
        return upgrade(conn, target.province)


def _versions(conn: Connection, schema: str, names: list[str], *, lock: bool) -> Versions:
    template = sql.SQL("SELECT layer, version FROM {}.{} WHERE layer = ANY(%s) ORDER BY layer{}")
    query = template.format(sql.Identifier(schema), sql.Identifier(VERSIONS_TABLE),
                         sql.SQL(" FOR UPDATE") if lock else sql.SQL(""))
    return {name: int(v) for name, v in conn.execute(query, [names]).fetchall()}


def extra_layers(conn: Connection, schema: str) -> dict[str, str]:
    """The registered extra tables (context layers, styles, scenarios ...) -> their kind."""
    query = sql.SQL("SELECT name, kind FROM {}.{} ORDER BY position, name").format(
        sql.Identifier(schema), sql.Identifier(REGISTRY_TABLE))
    return dict(conn.execute(query).fetchall())


def _read_plan_layers(conn: Connection, schema: str) -> dict[str, pd.DataFrame]:
    """The six layers; for a role without the right to the tenants' confidential figures
    (``kcn_public``) the tenants come from the public view with those figures missing."""
    out: dict[str, pd.DataFrame] = {}
    for layer in PLAN_LAYERS:
        dtypes = {c.name: _DTYPES[c.kind] for c in layer.columns}
        if layer.name == "tenants" and not _may_read(conn, schema, "tenants"):
            frame = read_table(conn, schema, PUBLIC_TENANTS_VIEW, dtypes=dtypes)
            for name in CONFIDENTIAL_TENANT_COLUMNS:  # optional columns: missing is valid
                frame[name] = pd.Series(None, index=frame.index, dtype=object).astype(
                    dtypes[name])
            out[layer.name] = frame[layer.column_names]
        else:
            out[layer.name] = read_table(conn, schema, layer.name, dtypes=dtypes)
    return out


def _may_read(conn: Connection, schema: str, table: str) -> bool:
    row = conn.execute("SELECT has_table_privilege(format('%%I.%%I', %s::text, %s::text), "
                       "'SELECT')", [schema, table]).fetchone()
    return bool(row and row[0])


def read_plan_versioned(url: str) -> tuple[Plan, Versions]:
    """The validated plan and the version of each layer, read from one consistent snapshot."""
    with session(url) as (target, conn):
        schema = target.province.key
        require_current(conn, schema, target.display)
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            layers = _read_plan_layers(conn, schema)
            versions = _versions(conn, schema, list(SCHEMAS), lock=False)
    check_plan(layers, target.display, target.province.crs).raise_if_problems()
    return Plan.from_layers(layers), versions


def read_plan(url: str) -> Plan:
    """The validated plan of the province named by ``url`` (see :func:`read_plan_versioned`).

    Connected as the public role, the tenants' confidential figures (capital, revenue,
    exports, budget contribution, employees) are missing values: the database never sends them.
    """
    return read_plan_versioned(url)[0]


def validate_database(url: str) -> ValidationReport:
    """Every problem of the province in the database, without raising."""
    try:
        with session(url) as (target, conn):
            require_current(conn, target.province.key, target.display)
            layers = _read_plan_layers(conn, target.province.key)
    except LayerError as exc:
        return make_report([{"file": url, "layer": "", "feature_id": "", "rule": "unreadable",
                             "message": str(exc)}])
    return check_plan(layers, target.display, target.province.crs)


def layer_versions(url: str) -> Versions:
    """The current version of every layer of the province."""
    with session(url) as (target, conn):
        schema = target.province.key
        require_current(conn, schema, target.display)
        names = list(SCHEMAS) + list(extra_layers(conn, schema))
        return _versions(conn, schema, names, lock=False)


def _check_and_bump(conn: Connection, schema: str, names: list[str],
                    expected: Mapping[str, int] | None, where: str) -> None:
    """Lock the written layers' versions, refuse stale writes, then increment them."""
    current = _versions(conn, schema, names, lock=True)
    for name in sorted(expected or {}):
        if name in names and current.get(name, 0) != expected[name]:  # type: ignore[index]
            raise EditConflictError(stale_write_message(
                where, name, expected[name], current.get(name, 0)))  # type: ignore[index]
    conn.execute(sql.SQL("INSERT INTO {}.{} (layer, version) SELECT unnest(%s::text[]), 1 "
                         "ON CONFLICT (layer) DO UPDATE SET version = {}.version + 1").format(
        sql.Identifier(schema), sql.Identifier(VERSIONS_TABLE), sql.Identifier(VERSIONS_TABLE)),
        [names])


def _write_plan_layers(conn: Connection, schema: str, srid: int, plan: Plan) -> None:
    # Children first on delete, parents first on insert: the foreign keys hold throughout.
    for layer in reversed(PLAN_LAYERS):
        conn.execute(sql.SQL("DELETE FROM {}.{}").format(sql.Identifier(schema),
                                                         sql.Identifier(layer.name)))
    for layer in PLAN_LAYERS:
        frame = getattr(plan, layer.name)
        columns = layer.column_names
        values: list[Sequence[object]] = [
            python_values(frame[c], pg_type(layer.column(c))) for c in columns]
        if layer.geometry_types is not None:
            columns = [*columns, GEOMETRY_COLUMN]
            values.append(geometry_values(frame.geometry.values, srid))
        copy_rows(conn, schema, layer.name, columns, values)


def _write_extra(conn: Connection, schema: str, name: str, frame: pd.DataFrame, *,
                 position: int, kind: str | None = None, create_sql: str | None = None,
                 srs_id: int | None = None, types: Mapping[str, str] | None = None) -> bool:
    """Replace an extra table's rows; (re)create it when its columns changed (then True)."""
    if name in SCHEMAS:
        raise LayerError(f"layer {name!r} is a planning layer; write it with write_plan")
    spatial = isinstance(frame, gpd.GeoDataFrame)
    attrs = [c for c in frame.columns if not (spatial and c == frame.geometry.name)]
    types = dict(types or {})
    wanted = [(c, types.get(c) or frame_pg_type(frame[c])) for c in attrs]
    srid = 0
    if spatial:
        epsg = frame.crs.to_epsg() if frame.crs is not None else None
        if frame.crs is not None and epsg is None:
            raise LayerError(f"layer {name!r}: its CRS {frame.crs.name!r} has no EPSG code")
        srid = epsg or 0
        wanted.append((GEOMETRY_COLUMN, f"geometry(Geometry,{srid})" if srid else "geometry"))
    s, t = sql.Identifier(schema), sql.Identifier(name)
    existing = table_columns(conn, schema, name)
    created = [(n, _canonical(ty)) for n, ty in existing] != [
        (n, _canonical(ty)) for n, ty in wanted]
    if not created:
        conn.execute(sql.SQL("DELETE FROM {}.{}").format(s, t))
    else:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}.{}").format(s, t))
        items = [sql.SQL("{} bigint GENERATED BY DEFAULT AS IDENTITY UNIQUE").format(
            sql.Identifier(ORDER_COLUMN))]
        items += [sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(ty)) for n, ty in wanted]
        conn.execute(sql.SQL("CREATE TABLE {}.{} ({})").format(s, t, sql.SQL(", ").join(items)))
        if spatial:
            conn.execute(sql.SQL("CREATE INDEX ON {}.{} USING gist ({})").format(
                s, t, sql.Identifier(GEOMETRY_COLUMN)))
    kind = kind or ("spatial" if spatial else "table")
    conn.execute(sql.SQL("INSERT INTO {}.{} (name, position, kind, create_sql, gpkg_srs_id) "
                         "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (name) DO UPDATE SET "
                         "position = EXCLUDED.position, kind = EXCLUDED.kind, create_sql = "
                         "EXCLUDED.create_sql, gpkg_srs_id = EXCLUDED.gpkg_srs_id").format(
        s, sql.Identifier(REGISTRY_TABLE)), [name, position, kind, create_sql, srs_id])
    values: list[Sequence[object]] = [
        python_values(frame[c], ty) for c, ty in wanted[:len(attrs)]]
    columns = list(attrs)
    if spatial:
        columns.append(GEOMETRY_COLUMN)
        values.append(geometry_values(frame.geometry.values, srid))
    copy_rows(conn, schema, name, columns, values)
    return created


def _positions(conn: Connection, schema: str) -> dict[str, int]:
    query = sql.SQL("SELECT name, position FROM {}.{}").format(
        sql.Identifier(schema), sql.Identifier(REGISTRY_TABLE))
    return {name: int(position) for name, position in conn.execute(query).fetchall()}


def _canonical(pg: str) -> str:
    """Type names as format_type() spells them, so a new frame can be compared to a table."""
    return {"timestamp": "timestamp without time zone",
            "timestamptz": "timestamp with time zone"}.get(pg, pg).replace(", ", ",").lower()


def write(url: str, *, plan: Plan | None = None,
          extras: Mapping[str, pd.DataFrame] | None = None,
          extra_info: Mapping[str, Mapping[str, object]] | None = None,
          descriptions: Mapping[str, str] | None = None,
          expected_versions: Mapping[str, int] | None = None, replace_extras: bool = False) -> None:
    """Write a plan and/or extra tables in one transaction (the primitive behind the API).

    ``extra_info`` may give, per extra table, ``types`` (column -> PostgreSQL type), ``kind``
    and ``create_sql`` (the original SQLite DDL of attribute tables, recreated on the way
    back). ``descriptions`` become table comments (GeoPackage layer descriptions).
    ``replace_extras`` drops extra tables not named in ``extras`` (a full copy).
    """
    extras = dict(extras or {})
    extra_info = extra_info or {}
    with session(url) as (target, conn):
        province = target.province
        schema = province.key
        require_current(conn, schema, target.display)
        if plan is not None:
            check_plan(plan.layers(), target.display, province.crs).raise_if_problems()
        names = (list(SCHEMAS) if plan is not None else []) + list(extras)
        with conn.transaction():
            _check_and_bump(conn, schema, names, expected_versions, target.display)
            if plan is not None:
                _write_plan_layers(conn, schema, province.epsg, plan)
            known = extra_layers(conn, schema)
            positions = _positions(conn, schema)
            created = False
            for index, (name, frame) in enumerate(extras.items()):
                info = extra_info.get(name, {})
                # A full copy takes the source's order; a single write keeps a table's place
                # and puts a new one last.
                position = index if replace_extras else positions.get(
                    name, max(positions.values(), default=-1) + 1 + index)
                created |= _write_extra(
                    conn, schema, name, frame, position=position, kind=info.get("kind"),  # type: ignore[arg-type]
                    create_sql=info.get("create_sql"), srs_id=info.get("srs_id"),  # type: ignore[arg-type]
                    types=info.get("types"))  # type: ignore[arg-type]
            if replace_extras:
                for name in set(known) - set(extras):
                    conn.execute(sql.SQL("DROP TABLE {}.{}").format(
                        sql.Identifier(schema), sql.Identifier(name)))
                    conn.execute(sql.SQL("DELETE FROM {}.{} WHERE name = %s").format(
                        sql.Identifier(schema), sql.Identifier(REGISTRY_TABLE)), [name])
            described = dict(descriptions or {})
            if replace_extras:  # a full copy: layers without a description lose the old one
                described = {name: described.get(name, "") for name in [*SCHEMAS, *extras]}
            for name, text in described.items():
                # COMMENT takes no bind parameters; Literal quotes the text safely.
                conn.execute(sql.SQL("COMMENT ON TABLE {}.{} IS {}").format(
                    sql.Identifier(schema), sql.Identifier(name), sql.Literal(text or None)))
            if created:  # new tables need the roles' grants (only their owner may grant)
                apply_grants(conn, schema, extra_layers(conn, schema))


def write_plan(url: str, plan: Plan, *, expected_versions: Mapping[str, int] | None = None,
               basis: object = None, effective_date: object = None) -> str | None:
    """Validate ``plan`` and replace the province's planning layers in one transaction.

    Parameters
    ----------
    expected_versions
        The versions returned by :func:`read_plan_versioned`; when given, the write is refused
        with :class:`EditConflictError` if another writer changed a planning layer since.
    basis, effective_date
        When the province keeps a plan history (``plan_changes``) the write is recorded as a
        change with this basis and date (:func:`gis_app.history.record.record_write`), in
        the same transaction as the layers.

    Returns the recorded change id (None without a history, or when nothing changed).
    """
    if _has_history(url):
        from ..history.record import record_write

        check_plan(plan.layers(), parse_url(url).display,
                   parse_url(url).province.crs).raise_if_problems()
        return record_write(url, plan, basis, effective_date,  # type: ignore[arg-type]
                            expected_versions=expected_versions)
    write(url, plan=plan, expected_versions=expected_versions)
    return None


def _has_history(url: str) -> bool:
    from ..history.model import CHANGES_TABLE

    return CHANGES_TABLE in list_layers(url)


def write_layers(url: str, layers: Mapping[str, pd.DataFrame], *,
                 expected_versions: Mapping[str, int] | None = None) -> None:
    """Create or replace extra tables (scenarios, styles, context layers) in one transaction."""
    write(url, extras=layers, expected_versions=expected_versions)


def update_plan(url: str, edit: Callable[[Plan], Plan], *, attempts: int = 5) -> Plan:
    """Read, edit and write the plan, re-reading and re-applying ``edit`` after a conflict.

    ``edit`` must be a pure function of the plan it is given (it may run more than once).
    """
    for attempt in range(attempts):
        plan, versions = read_plan_versioned(url)
        edited = edit(plan)
        try:
            write_plan(url, edited, expected_versions=versions)
            return edited
        except EditConflictError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


@contextlib.contextmanager
def transaction(url: str, layers: Sequence[str], *,
                expected_versions: Mapping[str, int] | None = None
                ) -> Iterator[tuple[Connection, str]]:
    """A transaction for row-level edits of ``layers`` (e.g. a scenario store on PostGIS).

    The layers' version rows are locked first, so writers of the same layers take turns (as
    the GeoPackage file lock makes them), stale ``expected_versions`` are refused with
    :class:`EditConflictError`, and the versions are incremented when the block succeeds.
    Yields the connection and the province's schema name; an exception rolls everything back.

    Examples
    --------
    >>> with transaction(url, ["scenarios"]) as (conn, schema):  # doctest: +SKIP
    ...     conn.execute(sql.SQL("DELETE FROM {}.scenarios WHERE scenario_id = %s")
    ...                  .format(sql.Identifier(schema)), ["S1"])
    """
    with session(url) as (target, conn):
        schema = target.province.key
        require_current(conn, schema, target.display)
        known = set(SCHEMAS) | set(extra_layers(conn, schema))
        unknown = [name for name in layers if name not in known]
        if unknown:
            raise LayerError(f"{target.display}: no layer {', '.join(map(repr, unknown))}")
        with conn.transaction():
            _check_and_bump(conn, schema, list(layers), expected_versions, target.display)
            yield conn, schema


def read_layer_versioned(url: str, name: str) -> tuple[pd.DataFrame, int]:
    """One layer as stored and its version, from one snapshot (for versioned table edits)."""
    with session(url) as (target, conn):
        schema = target.province.key
        require_current(conn, schema, target.display)
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            frame = _read_any(conn, target, name)
            version = _versions(conn, schema, [name], lock=False).get(name, 0)
    return frame, version


def list_layers(url: str) -> dict[str, str | None]:
    """Every layer of the province (planning and extra) with its geometry family or None."""
    with session(url) as (target, conn):
        schema = target.province.key
        require_current(conn, schema, target.display)
        out: dict[str, str | None] = {
            s.name: ("Point" if s.geometry_types == ("Point",) else "Polygon")
            if s.geometry_types else None for s in PLAN_LAYERS}
        for name, kind in extra_layers(conn, schema).items():
            out[name] = "Unknown" if kind == "spatial" else None
        return out


def _read_any(conn: Connection, target: PgTarget, name: str) -> pd.DataFrame:
    schema = target.province.key
    if name in SCHEMAS:
        return read_table(conn, schema, name)
    extras = extra_layers(conn, schema)
    if name not in extras:
        raise LayerError(f"{target.display}: no layer {name!r} (has: "
                         f"{', '.join(sorted([*SCHEMAS, *extras]))})")
    return read_table(conn, schema, name)


def read_layer(url: str, name: str) -> pd.DataFrame:
    """One layer as stored (no validation), like :func:`gis_app.layers.gpkg.read_layer`."""
    with session(url) as (target, conn):
        require_current(conn, target.province.key, target.display)
        return _read_any(conn, target, name)


def read_context(url: str, name: str) -> gpd.GeoDataFrame:
    """A context layer (boundaries, roads, labels) as stored."""
    frame = read_layer(url, name)
    if not isinstance(frame, gpd.GeoDataFrame):
        raise LayerError(f"{parse_url(url).display}, layer {name!r}: expected a spatial layer")
    return frame
