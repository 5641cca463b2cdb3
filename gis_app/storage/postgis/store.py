"""PostGIS: the planning layers of a province on a database server, for many officers at once.

The same contract as :mod:`gis_app.storage.gpkg`: reads are validated with
:func:`~gis_app.rules.validate.check_plan` before anything else sees them, and writes are
validated first and atomic (one transaction: either every layer is replaced or none is).

Concurrent edits never lose an update: every layer carries a version number that each write
increments. A reader gets the versions with the data (:func:`read_plan_versioned`); a writer
that passes them back (``expected_versions``) is refused with :class:`EditConflictError` when
someone else wrote one of those layers in between. :func:`gis_app.storage.source.update_plan`
wraps the read-edit-write cycle and retries on conflict (for either backend).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence

import geopandas as gpd
import pandas as pd
import psycopg
from psycopg import Connection, sql

from ...errors import EditConflictError, LayerError, stale_write_message
from ...model.plan import _DTYPES, Plan
from ...model.schema import CHANGES_TABLE, PLAN_LAYERS, SCHEMAS, history_refusal
from ...rules.validate import ValidationReport, check_plan, make_report
from .connect import PgTarget, connect, parse_url
from .schema import (
    BUMP_VERSIONS_FUNCTION,
    CLOSING_COLUMNS,
    CONFIDENTIAL_TENANT_COLUMNS,
    GEOMETRY_COLUMN,
    LOCK_VERSIONS_FUNCTION,
    OFFICER_ROLE,
    ORDER_COLUMN,
    PUBLIC_TENANTS_VIEW,
    PUBLIC_VIEWS,
    REGISTRY_TABLE,
    VERSIONS_TABLE,
    apply_grants,
    pg_type,
    require_current,
    upgrade,
)
from .tables import (
    copy_rows,
    frame_pg_type,
    geometry_srid,
    geometry_values,
    python_values,
    read_table,
    table_columns,
)

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
        raise LayerError(f"{target.display}: {exc.diag.message_primary} "
                         f"({_privilege_hint(conn)})") from exc
    except psycopg.errors.IntegrityError as exc:
        table = exc.diag.table_name or "?"
        raise LayerError(f"{target.display}, layer {table!r}: the database refused the data "
                         f"({exc.diag.message_primary}; {exc.diag.message_detail or ''}); "
                         "nothing was written") from exc
    except psycopg.Error as exc:
        raise LayerError(f"{target.display}: database error ({str(exc).strip()})") from exc
    finally:
        conn.close()


def _privilege_hint(conn: Connection) -> str:
    """What the refused action needs, told apart by the role the user has.

    An officer who is refused was trying something only the schema owner may do (create,
    replace or drop tables with ``db init``/``db push``, change the metadata) or something
    nobody may do (edit or erase the recorded history); telling them to get the officer role
    they already have would send them the wrong way.
    """
    try:
        row = conn.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')",
                           [OFFICER_ROLE]).fetchone()
        officer = bool(row and row[0])
    except psycopg.Error:
        officer = False
    if officer:
        return ("you have the kcn_officer role, which edits the plan and appends changes and "
                "history; 'kcn-gis db init', 'kcn-gis db push' and starting a plan history "
                "create or replace tables and need the schema's owner (the role that ran "
                "'kcn-gis db init'); recorded history is never edited or erased")
    return ("the public role reads only public tables and views such as tenants_public and "
            "plan_changes_public; editing needs the kcn_officer role")


def init_database(url: str) -> int:
    """Create or upgrade the province schema named by ``url``; the version found before."""
    with session(url) as (target, conn):
        return upgrade(conn, target.province)


def _versions(conn: Connection, schema: str, names: list[str], *, lock: bool) -> Versions:
    """The versions of ``names``; with ``lock``, row-locked until the transaction ends (through
    the owner's function: officers may not update ``layer_versions`` themselves)."""
    if lock:
        query = sql.SQL("SELECT layer, version FROM {}.{}(%s::text[])").format(
            sql.Identifier(schema), sql.Identifier(LOCK_VERSIONS_FUNCTION))
    else:
        query = sql.SQL("SELECT layer, version FROM {}.{} WHERE layer = ANY(%s) "
                        "ORDER BY layer").format(sql.Identifier(schema),
                                                 sql.Identifier(VERSIONS_TABLE))
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


def read_record(url: str, names: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Tables of the record (change log, history) from one snapshot, as this role may see them.

    A role that may not read a table (the public role and ``plan_changes`` or
    ``tenants_history``) reads its public view (:data:`~.pg_schema.PUBLIC_VIEWS`); the
    columns the view leaves out come back as missing values, as the confidential tenant
    figures of :func:`read_plan` do.
    """
    out: dict[str, pd.DataFrame] = {}
    with session(url) as (target, conn):
        schema = target.province.key
        require_current(conn, schema, target.display)
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for name in names:
                if name in PUBLIC_VIEWS and not _may_read(conn, schema, name):
                    view, hidden = PUBLIC_VIEWS[name]
                    frame = read_table(conn, schema, view)
                    for column in hidden:
                        frame[column] = pd.Series(None, index=frame.index, dtype=object)
                    out[name] = frame
                else:
                    out[name] = read_table(conn, schema, name)
    return out


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
    conn.execute(sql.SQL("SELECT {}.{}(%s::text[])").format(
        sql.Identifier(schema), sql.Identifier(BUMP_VERSIONS_FUNCTION)), [names])


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
    else:  # CASCADE: a record table's public view goes too; apply_grants makes it again
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}.{} CASCADE").format(s, t))
        items = [sql.SQL("{} bigint GENERATED BY DEFAULT AS IDENTITY UNIQUE").format(
            sql.Identifier(ORDER_COLUMN))]
        items += [sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(ty)) for n, ty in wanted]
        conn.execute(sql.SQL("CREATE TABLE {}.{} ({})").format(s, t, sql.SQL(", ").join(items)))
        if spatial:
            conn.execute(sql.SQL("CREATE INDEX ON {}.{} USING gist ({})").format(
                s, t, sql.Identifier(GEOMETRY_COLUMN)))
    kind = kind or ("spatial" if spatial else "table")
    entry = [name, position, kind, create_sql, srs_id]
    registered = conn.execute(sql.SQL("SELECT name, position, kind, create_sql, gpkg_srs_id "
                                      "FROM {}.{} WHERE name = %s").format(
        s, sql.Identifier(REGISTRY_TABLE)), [name]).fetchone()
    if registered is None or list(registered) != entry:  # the registry is the owner's
        conn.execute(sql.SQL("INSERT INTO {}.{} (name, position, kind, create_sql, gpkg_srs_id) "
                             "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (name) DO UPDATE SET "
                             "position = EXCLUDED.position, kind = EXCLUDED.kind, create_sql = "
                             "EXCLUDED.create_sql, gpkg_srs_id = EXCLUDED.gpkg_srs_id").format(
            s, sql.Identifier(REGISTRY_TABLE)), entry)
    values: list[Sequence[object]] = [
        python_values(frame[c], ty) for c, ty in wanted[:len(attrs)]]
    columns = list(attrs)
    if spatial:
        columns.append(GEOMETRY_COLUMN)
        values.append(geometry_values(frame.geometry.values, srid))
    copy_rows(conn, schema, name, columns, values)
    return created


def _stored_text(values: pd.Series) -> list[str | None]:
    return [None if pd.isna(v) else str(v) for v in values]


def _append_rows(conn: Connection, schema: str, name: str, frame: pd.DataFrame,
                 where: str) -> None:
    """Store an append-only table of the record without rewriting a stored row.

    ``frame`` is the whole table as the caller computed it from what it read: the stored rows
    first, in their order, then the new ones. A stored version the frame closes gets its
    ``valid_to`` and ``change_to`` (the only update officers may make, once); the new rows are
    appended. A frame that drops, reorders or reopens stored rows is refused: the history
    would be rewritten.
    """
    columns = table_columns(conn, schema, name)
    if not columns:
        raise LayerError(f"{where}, layer {name!r}: no such table; the plan history is started "
                         "by the schema's owner")
    types = dict(columns)
    closing = all(c in types for c in CLOSING_COLUMNS)
    ident = "change_from" if closing else "change_id"
    t = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(name))
    stored = conn.execute(sql.SQL("SELECT {}, {}::text, {} FROM {} ORDER BY {}").format(
        sql.Identifier(ORDER_COLUMN), sql.Identifier(ident),
        sql.SQL("valid_to IS NULL") if closing else sql.SQL("false"), t,
        sql.Identifier(ORDER_COLUMN))).fetchall()
    count = len(stored)
    if len(frame) < count or _stored_text(frame[ident].iloc[:count]) != [r[1] for r in stored]:
        raise LayerError(f"{where}, layer {name!r}: the change would rewrite or drop stored "
                         "history rows; the record is append-only, nothing was written")
    if closing:
        valid_to = frame["valid_to"].iloc[:count]
        change_to = _stored_text(frame["change_to"].iloc[:count])
        closed = []
        for i, (fid, _, is_open) in enumerate(stored):
            now_open = pd.isna(valid_to.iloc[i])
            if not is_open and now_open:
                raise LayerError(f"{where}, layer {name!r}: the change would reopen a closed "
                                 "version; the record is append-only, nothing was written")
            if is_open and not now_open:
                closed.append((fid, valid_to.iloc[i].to_pydatetime(), change_to[i]))
        if closed:  # one statement, however many versions a change closes
            fids, ends, changes = (list(c) for c in zip(*closed, strict=True))
            conn.execute(sql.SQL(
                "UPDATE {} AS t SET valid_to = u.valid_to, change_to = u.change_to FROM "
                "unnest(%s::bigint[], %s::timestamp[], %s::text[]) AS u(fid, valid_to, "
                "change_to) WHERE t.{} = u.fid AND t.valid_to IS NULL").format(
                t, sql.Identifier(ORDER_COLUMN)), [fids, ends, changes])
    new = frame.iloc[count:]
    if new.empty:
        return
    attrs = [c for c in types if c != GEOMETRY_COLUMN]
    missing = [c for c in attrs if c not in new.columns]
    if missing:
        raise LayerError(f"{where}, layer {name!r}: rows without column(s) "
                         f"{', '.join(missing)}; nothing was written")
    values: list[Sequence[object]] = [python_values(new[c], types[c]) for c in attrs]
    if GEOMETRY_COLUMN in types:
        attrs = [*attrs, GEOMETRY_COLUMN]
        values.append(geometry_values(new.geometry.values, geometry_srid(conn, schema, name)))
    copy_rows(conn, schema, name, attrs, values)


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
          expected_versions: Mapping[str, int] | None = None, replace_extras: bool = False,
          appends: Mapping[str, pd.DataFrame] | None = None) -> None:
    """Write a plan and/or extra tables in one transaction (the primitive behind the API).

    ``extra_info`` may give, per extra table, ``types`` (column -> PostgreSQL type), ``kind``
    and ``create_sql`` (the original SQLite DDL of attribute tables, recreated on the way
    back). ``descriptions`` become table comments (GeoPackage layer descriptions).
    ``replace_extras`` drops extra tables not named in ``extras`` (a full copy).
    ``appends`` gives append-only tables (the record) as a whole: the rows stored must be the
    first rows of the frame; the rest are appended and open versions the frame closes are
    closed (see :func:`_append_rows`). Nothing stored is rewritten.
    """
    extras = dict(extras or {})
    appends = dict(appends or {})
    extra_info = extra_info or {}
    with session(url) as (target, conn):
        province = target.province
        schema = province.key
        require_current(conn, schema, target.display)
        if plan is not None:
            check_plan(plan.layers(), target.display, province.crs).raise_if_problems()
        names = (list(SCHEMAS) if plan is not None else []) + list(extras) + list(appends)
        with conn.transaction():
            _check_and_bump(conn, schema, names, expected_versions, target.display)
            if plan is not None:
                _write_plan_layers(conn, schema, province.epsg, plan)
            for name, frame in appends.items():
                _append_rows(conn, schema, name, frame, target.display)
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
                    conn.execute(sql.SQL("DROP TABLE {}.{} CASCADE").format(
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


def write_plan(url: str, plan: Plan, *,
               expected_versions: Mapping[str, int] | None = None) -> None:
    """Validate ``plan`` and replace the province's planning layers in one transaction.

    ``expected_versions``: the versions returned by :func:`read_plan_versioned`; when given,
    the write is refused with :class:`EditConflictError` if another writer changed a planning
    layer since. A province that keeps a plan history is refused (:class:`LayerError`): its
    writes are recorded as changes by :func:`gis_app.history.write_plan`.
    """
    if keeps_history(url):
        raise LayerError(history_refusal(parse_url(url).display))
    write(url, plan=plan, expected_versions=expected_versions)


def keeps_history(url: str) -> bool:
    """Whether the province keeps a plan history (its ``plan_changes`` table)."""
    return CHANGES_TABLE in list_layers(url)


def write_layers(url: str, layers: Mapping[str, pd.DataFrame], *,
                 expected_versions: Mapping[str, int] | None = None) -> None:
    """Create or replace extra tables (scenarios, styles, context layers) in one transaction."""
    write(url, extras=layers, expected_versions=expected_versions)


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
    """One layer as stored (no validation), like :func:`gis_app.storage.gpkg.read_layer`."""
    with session(url) as (target, conn):
        require_current(conn, target.province.key, target.display)
        return _read_any(conn, target, name)


def read_context(url: str, name: str) -> gpd.GeoDataFrame:
    """A context layer (boundaries, roads, labels) as stored."""
    frame = read_layer(url, name)
    if not isinstance(frame, gpd.GeoDataFrame):
        raise LayerError(f"{parse_url(url).display}, layer {name!r}: expected a spatial layer")
    return frame
