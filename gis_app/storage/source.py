"""One entry point for every caller: a province source is a GeoPackage path or a PostgreSQL URL.

The CLI, the viewer, the analytics, the scenarios and the map sheets call these functions with
whatever the user gave them; :func:`~gis_app.storage.backend.backend` decides once which store
that is (:class:`~gis_app.storage.backend.GeoPackage` or
:class:`~gis_app.storage.backend.PostGIS`). Both validate the same way, so the same code paths
give the same results.

>>> is_database("postgresql:///kcn?service=kcn&province=bac_ninh"), is_database("bac_ninh.gpkg")
(True, False)
>>> short_name("postgresql://ana:secret@db.example/kcn?province=bac_ninh")
'PostGIS kcn/bac_ninh'
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd

from ..model.plan import Plan
from ..model.schema import DATASET_TABLE
from ..rules.validate import ValidationReport
from .backend import GeoPackage, Source, backend, is_database
from .postgis.connect import parse_url

__all__ = [
    "Source", "describe", "is_database", "keeps_history", "list_layers", "read_context",
    "read_dataset_info", "read_layer", "read_plan", "read_plan_versioned", "short_name",
    "validate", "validate_file", "validate_source", "write_layers", "write_plan",
]


def describe(source: Source) -> str:
    """How the source is named in messages (a URL without its password)."""
    return backend(source).describe()


def read_plan(source: Source) -> Plan:
    """The validated plan of a province (raises ValidationError listing every problem)."""
    return backend(source).read_plan()


def validate(source: Source) -> ValidationReport:
    """Every problem of a province (a file or a database), without raising."""
    return backend(source).validate()


#: The same as :func:`validate`, by the names the CLI and older code use.
validate_source = validate_file = validate


def read_plan_versioned(source: Source) -> tuple[Plan, dict[str, int]]:
    """The validated plan and the version of each planning layer it was read at (pass them
    to :func:`gis_app.history.write_plan` as ``expected_versions``)."""
    return backend(source).read_plan_versioned()


def write_plan(source: Source, plan: Plan, *,
               expected_versions: Mapping[str, int] | None = None) -> None:
    """Validate and write a plan atomically, to a source that keeps no plan history.

    ``expected_versions`` (from :func:`read_plan_versioned`) turns on the optimistic check
    against concurrent edits on both backends: a save based on a stale read is refused with
    :class:`~gis_app.errors.EditConflictError`. A source with a plan history is refused
    (:class:`~gis_app.errors.LayerError`): :func:`gis_app.history.write_plan` records such a
    write as a change (and writes to any source).
    """
    backend(source).write_plan(plan, expected_versions=expected_versions)


def keeps_history(source: Source) -> bool:
    """Whether the source keeps a plan history (its writes are recorded as changes)."""
    return backend(source).keeps_history()


def list_layers(source: Source) -> dict[str, str | None]:
    """Layer names with their geometry type (None for tables)."""
    return backend(source).list_layers()


def read_layer(source: Source, name: str) -> pd.DataFrame:
    """One layer as stored, unvalidated (extra tables such as scenarios, styles, sources)."""
    return backend(source).read_layer(name)


def read_dataset_info(source: Source) -> dict[str, str]:
    """The key/value ``dataset_info`` table (province, provenance, illustrative flag); ``{}``
    when the source has none. A copy to PostGIS carries it as an extra table."""
    store = backend(source)
    if isinstance(store, GeoPackage):
        from . import gpkg

        return gpkg.read_dataset_info(store.path)
    if DATASET_TABLE not in store.list_layers():
        return {}
    table = store.read_layer(DATASET_TABLE)
    return dict(zip(table["key"].astype(str), table["value"].astype(str), strict=True))


def short_name(source: Source) -> str:
    """A short name of the source for sheets and labels: the file name, or the database and
    province schema of a URL (never its host, user or password)."""
    store = backend(source)
    if isinstance(store, GeoPackage):
        return store.path.name
    target = parse_url(str(source))
    database = urlsplit(target.conninfo).path.lstrip("/")
    schema = target.province_key or "?"
    return f"PostGIS {database}/{schema}" if database else f"PostGIS {schema}"


def read_context(source: Source, name: str) -> gpd.GeoDataFrame:
    """A context layer (province boundary, communes, roads and rail, rivers, park labels)."""
    return backend(source).read_context(name)


def write_layers(source: Source, layers: Mapping[str, pd.DataFrame]) -> None:
    """Create or replace extra layers (not the planning layers) in one atomic step."""
    backend(source).write_layers(layers)
