"""GeoPackage files: the only code that reads or writes them.

Reads go through pyogrio (Arrow when available) and are validated before anything else sees
them. Writes are atomic: the new content is written to a temporary copy beside the file and
swapped in with :func:`os.replace` only when every layer has been written, so a failed write
(bad data, full disk, a crash) leaves the existing file byte-identical. Writers to the same
file are serialised by a cross-platform lock file (``filelock``: ``fcntl`` on Unix, ``msvcrt``
on Windows).

Concurrent edits never lose an update, as on PostGIS: every write increments the version of
each layer it writes (table ``layer_versions``); :func:`read_plan_versioned` returns the
versions with the plan, and a write that passes them back (``expected_versions``) is refused
with :class:`~gis_app.errors.EditConflictError` when someone else wrote one of those layers in
between. The check and the write happen under the writers' lock, so no write can slip between.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from filelock import FileLock, Timeout
from pyproj import CRS

from ..errors import EditConflictError, LayerError, stale_write_message
from ..model.plan import Plan
from ..model.schema import (
    CHANGES_TABLE,
    DATASET_TABLE,
    GEOMETRY_COLUMN,
    SCHEMAS,
    STYLES_TABLE,
    history_refusal,
)
from ..registry import file_province
from ..rules.engine import read_and_check, read_layers
from ..rules.validate import ValidationReport, check_plan, make_report
from ..settings import Province

#: GeoPackage version of new files. GDAL >= 3.11 writes 1.4 files whose R-tree triggers
#: (update6/update7) older readers and GDAL's own validator before 3.11 reject; 1.3 files use
#: the triggers every GeoPackage reader knows. Layers added to an existing file follow its version.
GPKG_VERSION = "1.3"

#: Each layer's version, incremented by every write of the layer. A plain SQLite table: GDAL
#: and QGIS do not list it as a layer, and a copy to PostGIS leaves it behind (PostGIS keeps
#: its own ``layer_versions``). A file written from scratch (``fresh=True``) starts again with
#: none, i.e. every layer at version 0, so regenerating the sample stays byte-reproducible.
VERSIONS_TABLE = "layer_versions"

#: Layer name -> version number, as read with the data and passed back when writing.
Versions = dict[str, int]

#: How often a versioned read starts again when a writer replaced the file while it read.
_READ_ATTEMPTS = 5

#: How long a writer waits for another writer of the same file before giving up (seconds).
LOCK_TIMEOUT_S = 60.0


def _require_file(path: Path) -> None:
    if not path.exists():
        raise LayerError(f"{path}: no such file")
    if not path.is_file():
        raise LayerError(f"{path}: not a file")


def list_layers(path: str | Path) -> dict[str, str | None]:
    """Layer names of a file with their geometry type (None for attribute tables)."""
    path = Path(path)
    _require_file(path)
    try:
        return {str(n): (str(t) if t else None) for n, t in pyogrio.list_layers(path)}
    except Exception as exc:  # pyogrio raises DataSourceError subclasses and OSError
        raise LayerError(f"{path}: cannot be opened as a GIS file ({exc})") from exc


def read_layer(path: str | Path, layer: str) -> pd.DataFrame:
    """One layer as it is stored (no validation): a GeoDataFrame, or a DataFrame for tables."""
    path = Path(path)
    layers = list_layers(path)
    if layer not in layers:
        raise LayerError(f"{path}: no layer {layer!r} (has: {', '.join(sorted(layers))})")
    return _read_listed(path, layer)


def _read_listed(path: Path, layer: str) -> pd.DataFrame:
    """A layer the caller has already seen in ``list_layers`` (no second listing)."""
    try:
        frame = pyogrio.read_dataframe(path, layer=layer, use_arrow=True)
    except Exception as exc:
        raise LayerError(f"{path}, layer {layer!r}: cannot be read ({exc})") from exc
    return _naive_utc(frame)


def _naive_utc(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates and times stored in UTC (``...Z``, as :func:`_write_one` writes them) read back
    as naive UTC values, the form every frame of KCN-GIS holds them in."""
    zoned = [c for c in frame.columns if isinstance(frame[c].dtype, pd.DatetimeTZDtype)]
    if not zoned:
        return frame
    frame = frame.copy()
    for column in zoned:
        frame[column] = frame[column].dt.tz_convert("UTC").dt.tz_localize(None)
    return frame


def _utc_datetimes(frame: pd.DataFrame) -> pd.DataFrame:
    """Date and time columns marked as UTC, so GDAL writes valid GeoPackage DATETIMEs.

    The GeoPackage standard (and GDAL's validator with ``--extra``) wants
    ``YYYY-MM-DDTHH:MM:SS.SSSZ``; a naive value is written without the ``Z``. KCN-GIS's
    naive dates and times are UTC (dates at midnight).
    """
    times = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c].dtype)]
    if not times:
        return frame
    frame = frame.copy()
    for column in times:
        values = frame[column]
        zoned = isinstance(values.dtype, pd.DatetimeTZDtype)
        frame[column] = values.dt.tz_convert("UTC") if zoned else values.dt.tz_localize("UTC")
    return frame


def read_dataset_info(path: str | Path, *, present: Mapping[str, object] | None = None
                      ) -> dict[str, str]:
    """The key/value table that names the file's province and describes the data.

    ``present``: the file's layers when the caller has listed them already.
    """
    path = Path(path)
    if DATASET_TABLE not in (list_layers(path) if present is None else present):
        return {}
    table = _read_listed(path, DATASET_TABLE)
    return dict(zip(table["key"].astype(str), table["value"].astype(str), strict=True))


def province_of(path: str | Path) -> Province | None:
    return file_province(read_dataset_info(path))


def read_layers_raw(path: str | Path) -> tuple[dict[str, pd.DataFrame], str | None]:
    """Every planning layer present in the file, unvalidated, and the province's CRS."""
    path = Path(path)
    names, crs = _planning_layers(path)
    return read_layers(names, lambda name: _read_listed(path, name)), crs


def _read_checked(path: Path) -> tuple[dict[str, pd.DataFrame], ValidationReport]:
    """The planning layers and their validation report, checked while they are read (each
    read opens the file with its own GDAL dataset handle, as concurrent reads must)."""
    names, crs = _planning_layers(path)
    return read_and_check(names, lambda name: _read_listed(path, name), str(path), crs)


def _planning_layers(path: Path) -> tuple[list[str], str | None]:
    """The planning layers present in the file, and the CRS of the province it names."""
    # One listing for the whole file: every open costs milliseconds, a dozen of them add up.
    present = list_layers(path)
    province = file_province(read_dataset_info(path, present=present))
    return [name for name in SCHEMAS if name in present], (province.crs if province else None)


def validate_file(path: str | Path) -> ValidationReport:
    """Every problem of a province file, without raising."""
    path = Path(path)
    try:
        return _read_checked(path)[1]
    except LayerError as exc:
        return make_report([{"file": str(path), "layer": "", "feature_id": "",
                             "rule": "unreadable", "message": str(exc)}])


def read_plan(path: str | Path) -> Plan:
    """The validated plan of a province file.

    Raises
    ------
    LayerError
        The file is missing or unreadable.
    ValidationError
        The file breaks a rule; the error's ``report`` lists every problem.
    """
    layers, report = _read_checked(Path(path))
    report.raise_if_problems()
    return Plan.from_layers(layers)


def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only SQLite connection (the URI form quotes any character of the path)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def layer_versions(path: str | Path) -> Versions:
    """The version of every layer written since the file was created; layers not listed
    are at version 0."""
    path = Path(path)
    _require_file(path)
    try:
        with contextlib.closing(_read_only(path)) as con:
            if con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           [VERSIONS_TABLE]).fetchone() is None:
                return {}
            rows = con.execute(f"SELECT layer, version FROM {VERSIONS_TABLE}").fetchall()
    except sqlite3.Error as exc:
        raise LayerError(f"{path}: cannot read the layer versions ({exc})") from exc
    return {str(name): int(version) for name, version in rows}


def read_plan_versioned(path: str | Path) -> tuple[Plan, Versions]:
    """The validated plan and the version of each planning layer it was read at.

    Pass the versions back to :func:`write_plan` (``expected_versions``) so that the save is
    refused if someone else saved in between. The versions are read before and after the
    plan; a writer that replaced the file meanwhile makes the read start again, so the plan
    and its versions belong together.
    """
    path = Path(path)
    for _ in range(_READ_ATTEMPTS):
        before = layer_versions(path)
        plan = read_plan(path)
        if layer_versions(path) == before:
            return plan, {name: before.get(name, 0) for name in SCHEMAS}
    raise LayerError(f"{path}: the file kept changing while it was read; try again")


def check_versions(path: Path, names: list[str], expected: Mapping[str, int] | None) -> None:
    """Refuse (EditConflictError) a write of ``names`` based on stale ``expected`` versions.

    Call it holding the writers' lock, so that nobody writes between the check and the write.
    """
    if not expected:
        return
    current = layer_versions(path) if path.exists() else {}
    for name in sorted(expected):
        if name in names and current.get(name, 0) != expected[name]:
            raise EditConflictError(stale_write_message(
                str(path), name, expected[name], current.get(name, 0)))


def layer_descriptions(path: str | Path) -> dict[str, str]:
    """Layer -> description in ``gpkg_contents`` (those that have one), to keep on a rewrite."""
    with contextlib.closing(_read_only(Path(path))) as con:
        rows = con.execute("SELECT table_name, description FROM gpkg_contents "
                           "WHERE coalesce(description, '') <> ''").fetchall()
    return {str(name): str(text) for name, text in rows}


def _bump_versions(con: sqlite3.Connection, names: list[str]) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {VERSIONS_TABLE} "
                "(layer TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL)")
    con.executemany(f"INSERT INTO {VERSIONS_TABLE} (layer, version) VALUES (?, 1) "
                    "ON CONFLICT (layer) DO UPDATE SET version = version + 1",
                    [(name,) for name in names])


def _repair_style_columns(con: sqlite3.Connection) -> None:
    """Point each stored QGIS style at its layer's real geometry column.

    Files written before the column was named in ``layer_styles`` say ``geometry`` where the
    column is ``geom``, and QGIS then finds no default style; any write mends them.
    """
    styled = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                         (STYLES_TABLE,)).fetchone()
    if styled:
        con.execute(f"UPDATE {STYLES_TABLE} SET f_geometry_column = g.column_name "
                    "FROM gpkg_geometry_columns AS g "
                    f"WHERE g.table_name = {STYLES_TABLE}.f_table_name "
                    f"AND {STYLES_TABLE}.f_geometry_column IS NOT g.column_name")


def read_context(path: str | Path, name: str) -> gpd.GeoDataFrame:
    """A context layer (boundaries, roads, labels) as stored."""
    frame = read_layer(path, name)
    if not isinstance(frame, gpd.GeoDataFrame):
        raise LayerError(f"{path}, layer {name!r}: expected a spatial layer")
    return frame


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """An exclusive lock for writers of ``path`` (across processes, on Unix and Windows).

    The lock is not re-entrant across calls: a holder that takes it again waits for itself
    (pass ``lock=False`` to the writers instead).
    """
    lock = FileLock(path.with_name(path.name + ".lock"), timeout=timeout)
    try:
        lock.acquire(poll_interval=0.05)
    except Timeout:
        raise LayerError(
            f"{path}: another user is writing this file; try again in a moment") from None
    try:
        yield
    finally:
        lock.release()


def _write_one(path: Path, name: str, frame: pd.DataFrame, description: str | None) -> None:
    options = {"DESCRIPTION": description} if description else {}
    frame = frame.reset_index(drop=True)
    if isinstance(frame, gpd.GeoDataFrame):
        # The name the stored QGIS styles refer to (layer_styles.f_geometry_column).
        options["GEOMETRY_NAME"] = GEOMETRY_COLUMN
        if frame.crs is not None:
            CRS.from_user_input(frame.crs)  # fails early on a malformed CRS
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = pd.DataFrame(frame)
    frame = _utc_datetimes(frame)
    # Milliseconds always (GDAL leaves them out when zero): the standard's DATETIME form.
    options["DATETIME_PRECISION"] = "MILLISECOND"
    # An existing layer of the same name is overwritten (pyogrio's default without append).
    pyogrio.write_dataframe(
        frame, path, layer=name, driver="GPKG", layer_options=options or None,
        dataset_options={"VERSION": GPKG_VERSION},  # mixed Polygon/MultiPolygon -> Multi
        geometry_type=_empty_geometry_type(name, frame),
    )


def _empty_geometry_type(name: str, frame: pd.DataFrame) -> str | None:
    """The schema's geometry type for an empty spatial planning layer (a new province file):
    with none to infer it from, GDAL would declare GEOMETRY, and QGIS then opens the layer
    without a renderer (no style). None: inferred from the features as usual."""
    schema = SCHEMAS.get(name)
    if not isinstance(frame, gpd.GeoDataFrame) or len(frame) or schema is None:
        return None
    types = schema.geometry_types or ()
    return "MultiPolygon" if "MultiPolygon" in types else (types[0] if types else None)


@contextlib.contextmanager
def _unsynced_sqlite() -> Iterator[None]:
    """Let GDAL skip SQLite's per-transaction fsyncs while it fills the temporary copy.

    Nobody else opens the copy, and it is fsynced once before it replaces the file, so the
    syncs buy no safety; they cost seconds per write on a busy disk.
    """
    previous = pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS")
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": previous})


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_layers(
    path: str | Path,
    layers: Mapping[str, pd.DataFrame],
    *,
    descriptions: Mapping[str, str] | None = None,
    fresh: bool = False,
    after: Callable[[sqlite3.Connection], None] | None = None,
    lock: bool = True,
    expected_versions: Mapping[str, int] | None = None,
) -> None:
    """Write (create or replace) layers in one atomic step.

    Parameters
    ----------
    path
        The GeoPackage to create or update.
    layers
        Layer name -> frame; a GeoDataFrame becomes a spatial layer, a DataFrame a table.
        Layers already in the file and not named here are kept as they are.
    descriptions
        Layer name -> description stored in ``gpkg_contents``.
    fresh
        Start from an empty file instead of the existing one.
    after
        Called with an open SQLite connection to the temporary file once the layers are
        written (for tables pyogrio does not manage, such as ``layer_styles``).
    lock
        Take the writers' lock. Pass False only when the caller already holds
        ``file_lock(path)`` (to read, check and write as one step, as the importer does).
    expected_versions
        The versions the caller read (:func:`read_plan_versioned`, :func:`layer_versions`);
        the write is refused with :class:`~gis_app.errors.EditConflictError`, nothing
        written, if one of the layers written here has been written since.

    Every layer written gets its version incremented (a fresh file starts again at none).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptions = descriptions or {}
    with file_lock(path) if lock else contextlib.nullcontext():
        # Only the lock holder creates temporary copies, so any found now were left by a
        # writer that crashed (or was killed) before it could clean up.
        for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp.gpkg*"):
            stale.unlink(missing_ok=True)
        check_versions(path, list(layers), expected_versions)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp.gpkg")
        try:
            if path.exists() and not fresh:
                shutil.copyfile(path, tmp)
            with _unsynced_sqlite():
                for name, frame in layers.items():
                    try:
                        _write_one(tmp, name, frame, descriptions.get(name))
                    except LayerError:
                        raise
                    except Exception as exc:
                        raise LayerError(
                            f"{path}, layer {name!r}: write failed ({exc}); "
                            "the file was left unchanged"
                        ) from exc
            bump = list(layers) if layers and not fresh else []
            if after is not None or bump:
                with contextlib.closing(sqlite3.connect(tmp)) as con, con:
                    if bump:
                        _bump_versions(con, bump)
                        _repair_style_columns(con)
                    if after is not None:
                        after(con)
            _fsync(tmp)
            os.replace(tmp, path)
            if os.name != "nt":  # Windows cannot open a folder to sync it (NTFS logs renames)
                dir_fd = os.open(path.parent, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
        finally:
            tmp.unlink(missing_ok=True)


def write_plan(path: str | Path, plan: Plan, *,
               expected_versions: Mapping[str, int] | None = None, **kwargs: object) -> None:
    """Validate ``plan`` and write its layers atomically; invalid plans are refused unwritten.

    ``expected_versions``: the versions :func:`read_plan_versioned` returned with the plan
    the edit started from; the save is refused with :class:`~gis_app.errors.EditConflictError`
    (reload and edit again) when someone else saved a planning layer since.

    A file that keeps a plan history is refused (:class:`~gis_app.errors.LayerError`): a
    write there must be recorded as a change, which :func:`gis_app.history.write_plan` (also
    ``gis_app.write_plan``) does.
    """
    path = Path(path)
    province = province_of(path) if path.exists() else None
    crs = province.crs if province else None
    check_plan(plan.layers(), str(path), crs).raise_if_problems()
    if path.exists() and not kwargs.get("fresh") and keeps_history(path):
        raise LayerError(history_refusal(str(path)))
    write_layers(path, plan.layers(), expected_versions=expected_versions,
                 **kwargs)  # type: ignore[arg-type]


def keeps_history(path: Path) -> bool:
    """Whether the file keeps a plan history (its ``plan_changes`` table)."""
    return CHANGES_TABLE in list_layers(path)
