"""One entry point for every caller: a province source is a GeoPackage path or a PostgreSQL URL.

The CLI, the viewer, the analytics, the scenarios and the map sheets call these functions with
whatever the user gave them; a ``postgresql://`` URL (with ``province=KEY``) goes to
:mod:`gis_app.layers.postgis`, anything else is a GeoPackage file for :mod:`gis_app.layers.gpkg`.
Both backends validate the same way, so the same code paths give the same results.

>>> is_database("postgresql:///kcn?service=kcn&province=bac_ninh"), is_database("bac_ninh.gpkg")
(True, False)
>>> short_name("postgresql://ana:secret@db.example/kcn?province=bac_ninh")
'PostGIS kcn/bac_ninh'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd

from . import gpkg
from .pg_connect import is_database_url, parse_url
from .plan import Plan
from .schema import DATASET_TABLE
from .validate import ValidationReport

#: A province source: a GeoPackage path or a ``postgresql://...?province=KEY`` URL.
Source = str | Path


def is_database(source: Source) -> bool:
    """Whether ``source`` names a PostgreSQL database rather than a file."""
    return is_database_url(source)


def describe(source: Source) -> str:
    """How the source is named in messages (a URL without its password)."""
    return parse_url(str(source)).display if is_database(source) else str(Path(source))


def _postgis():  # noqa: ANN202 - the module; imported lazily so psycopg stays optional
    from . import postgis

    return postgis


def read_plan(source: Source) -> Plan:
    """The validated plan of a province (raises ValidationError listing every problem)."""
    if is_database(source):
        return _postgis().read_plan(str(source))
    return gpkg.read_plan(Path(source))


def validate_source(source: Source) -> ValidationReport:
    """Every problem of a province, without raising."""
    if is_database(source):
        return _postgis().validate_database(str(source))
    return gpkg.validate_file(Path(source))


def read_plan_versioned(source: Source) -> tuple[Plan, dict[str, int]]:
    """The validated plan and the version of each planning layer it was read at (pass them
    to :func:`write_plan` as ``expected_versions``)."""
    if is_database(source):
        return _postgis().read_plan_versioned(str(source))  # type: ignore[no-any-return]
    return gpkg.read_plan_versioned(Path(source))


def write_plan(source: Source, plan: Plan, *,
               expected_versions: Mapping[str, int] | None = None,
               basis: object = None) -> str | None:
    """Validate and write a plan atomically; returns the change id when it was recorded.

    ``expected_versions`` (from :func:`read_plan_versioned`) turns on the optimistic check
    against concurrent edits on both backends: a save based on a stale read is refused with
    :class:`~gis_app.errors.EditConflictError`. A source with a plan history records the
    write as a change with ``basis`` (see :func:`gis_app.layers.gpkg.write_plan`).
    """
    if is_database(source):
        return _postgis().write_plan(  # type: ignore[no-any-return]
            str(source), plan, expected_versions=expected_versions, basis=basis)
    return gpkg.write_plan(Path(source), plan, expected_versions=expected_versions, basis=basis)


def update_plan(source: Source, edit: Callable[[Plan], Plan], *, attempts: int = 5) -> Plan:
    """Read, edit and write the plan, re-reading and re-applying ``edit`` after a conflict.

    ``edit`` must be a pure function of the plan it is given (it may run more than once).
    """
    from ..errors import EditConflictError

    for attempt in range(attempts):
        plan, versions = read_plan_versioned(source)
        edited = edit(plan)
        try:
            write_plan(source, edited, expected_versions=versions)
            return edited
        except EditConflictError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def list_layers(source: Source) -> dict[str, str | None]:
    """Layer names with their geometry type (None for tables)."""
    if is_database(source):
        return _postgis().list_layers(str(source))
    return gpkg.list_layers(Path(source))


def read_layer(source: Source, name: str) -> pd.DataFrame:
    """One layer as stored, unvalidated (extra tables such as scenarios, styles, sources)."""
    if is_database(source):
        return _postgis().read_layer(str(source), name)
    return gpkg.read_layer(Path(source), name)


def read_dataset_info(source: Source) -> dict[str, str]:
    """The key/value ``dataset_info`` table (province, provenance, illustrative flag); ``{}``
    when the source has none. A copy to PostGIS carries it as an extra table."""
    if not is_database(source):
        return gpkg.read_dataset_info(Path(source))
    if DATASET_TABLE not in list_layers(source):
        return {}
    table = read_layer(source, DATASET_TABLE)
    return dict(zip(table["key"].astype(str), table["value"].astype(str), strict=True))


def short_name(source: Source) -> str:
    """A short name of the source for sheets and labels: the file name, or the database and
    province schema of a URL (never its host, user or password)."""
    if not is_database(source):
        return Path(source).name
    target = parse_url(str(source))
    database = urlsplit(target.conninfo).path.lstrip("/")
    schema = target.province_key or "?"
    return f"PostGIS {database}/{schema}" if database else f"PostGIS {schema}"


def read_context(source: Source, name: str) -> gpd.GeoDataFrame:
    """A context layer (province boundary, communes, roads and rail, rivers, park labels)."""
    if is_database(source):
        return _postgis().read_context(str(source), name)
    return gpkg.read_context(Path(source), name)


def write_layers(source: Source, layers: Mapping[str, pd.DataFrame]) -> None:
    """Create or replace extra layers (not the planning layers) in one atomic step."""
    if is_database(source):
        _postgis().write_layers(str(source), layers)
        return
    gpkg.write_layers(Path(source), layers)
