"""The two stores of a province, behind one interface: a GeoPackage file and a PostGIS schema.

:func:`backend` is the one place that decides which store a source names: a
``postgresql://`` URL (with ``province=KEY``) is :class:`PostGIS`, anything else a
:class:`GeoPackage` path. Both implement :class:`Backend` (read, validate, write, versioned
write, the extra tables) and validate the same way, so every caller gets the same results
whichever store the board uses. psycopg is imported only when a PostGIS source is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Protocol

import geopandas as gpd
import pandas as pd

from ..errors import LayerError
from ..model.plan import Plan
from ..registry import LAYERS_DIR, registry
from ..rules.validate import ValidationReport
from . import gpkg
from .postgis.connect import is_database_url, parse_url

#: A province source: a GeoPackage path or a ``postgresql://...?province=KEY`` URL.
Source = str | Path


class Backend(Protocol):
    """What a store of a province offers; see :class:`GeoPackage` and :class:`PostGIS`."""

    def describe(self) -> str:
        """How the source is named in messages (never with a password)."""
        ...

    def read_plan(self) -> Plan:
        """The validated plan (raises ValidationError listing every problem)."""
        ...

    def read_plan_versioned(self) -> tuple[Plan, dict[str, int]]:
        """The validated plan and the version of each planning layer it was read at."""
        ...

    def validate(self) -> ValidationReport:
        """Every problem of the stored plan, without raising."""
        ...

    def write_plan(self, plan: Plan, *,
                   expected_versions: Mapping[str, int] | None = None) -> None:
        """Validate and replace the planning layers atomically (refused where a history is
        kept: :func:`gis_app.history.write_plan` records such writes)."""
        ...

    def keeps_history(self) -> bool:
        """Whether the store keeps a plan history."""
        ...

    def list_layers(self) -> dict[str, str | None]:
        """Layer names with their geometry type (None for tables)."""
        ...

    def read_layer(self, name: str) -> pd.DataFrame:
        """One layer as stored, unvalidated."""
        ...

    def read_context(self, name: str) -> gpd.GeoDataFrame:
        """A context layer (boundary, communes, roads and rail, rivers, labels)."""
        ...

    def write_layers(self, layers: Mapping[str, pd.DataFrame]) -> None:
        """Create or replace extra layers (not the planning layers) in one atomic step."""
        ...


@dataclass(frozen=True)
class GeoPackage:
    """A province file (the embedded default)."""

    path: Path

    def describe(self) -> str:
        return str(self.path)

    def read_plan(self) -> Plan:
        return gpkg.read_plan(self.path)

    def read_plan_versioned(self) -> tuple[Plan, dict[str, int]]:
        return gpkg.read_plan_versioned(self.path)

    def validate(self) -> ValidationReport:
        return gpkg.validate_file(self.path)

    def write_plan(self, plan: Plan, *,
                   expected_versions: Mapping[str, int] | None = None) -> None:
        gpkg.write_plan(self.path, plan, expected_versions=expected_versions)

    def keeps_history(self) -> bool:
        return self.path.exists() and gpkg.keeps_history(self.path)

    def list_layers(self) -> dict[str, str | None]:
        return gpkg.list_layers(self.path)

    def read_layer(self, name: str) -> pd.DataFrame:
        return gpkg.read_layer(self.path, name)

    def read_context(self, name: str) -> gpd.GeoDataFrame:
        return gpkg.read_context(self.path, name)

    def write_layers(self, layers: Mapping[str, pd.DataFrame]) -> None:
        gpkg.write_layers(self.path, layers)


@dataclass(frozen=True)
class PostGIS:
    """A province schema in a PostGIS database (many officers at once)."""

    url: str

    @staticmethod
    def _store() -> ModuleType:
        from .postgis import store  # psycopg only when a database is used

        return store

    def describe(self) -> str:
        return parse_url(self.url).display

    def read_plan(self) -> Plan:
        return self._store().read_plan(self.url)

    def read_plan_versioned(self) -> tuple[Plan, dict[str, int]]:
        return self._store().read_plan_versioned(self.url)

    def validate(self) -> ValidationReport:
        return self._store().validate_database(self.url)

    def write_plan(self, plan: Plan, *,
                   expected_versions: Mapping[str, int] | None = None) -> None:
        self._store().write_plan(self.url, plan, expected_versions=expected_versions)

    def keeps_history(self) -> bool:
        return self._store().keeps_history(self.url)

    def list_layers(self) -> dict[str, str | None]:
        return self._store().list_layers(self.url)

    def read_layer(self, name: str) -> pd.DataFrame:
        return self._store().read_layer(self.url, name)

    def read_context(self, name: str) -> gpd.GeoDataFrame:
        return self._store().read_context(self.url, name)

    def write_layers(self, layers: Mapping[str, pd.DataFrame]) -> None:
        self._store().write_layers(self.url, layers)


def is_database(source: Source) -> bool:
    """Whether ``source`` names a PostgreSQL database rather than a file."""
    return is_database_url(source)


def backend(source: Source) -> Backend:
    """The store ``source`` names: :class:`PostGIS` for a database URL, else
    :class:`GeoPackage`."""
    if is_database(source):
        return PostGIS(str(source))
    return GeoPackage(Path(source))


def locate(where: str | Path) -> Source:
    """The source a user names: a province key, a GeoPackage path or a PostGIS URL.

    A key of the 34 provinces (``bac_ninh``) names its file: ``<key>.gpkg`` in the working
    directory (where ``kcn-gis init`` makes it), else the shipped ``layers/<key>.gpkg``; a key
    with neither is refused with how to make one. A ``postgresql://`` URL stays a URL; anything
    else is a path.
    """
    if isinstance(where, Path) or is_database(where):
        return where
    if where in registry():
        for path in (Path(f"{where}.gpkg"), LAYERS_DIR / f"{where}.gpkg"):
            if path.is_file():
                return path
        raise LayerError(f"{where}: no file of this province here or in {LAYERS_DIR.name}/; "
                         f"make one with: kcn-gis init {where}")
    return Path(where)
