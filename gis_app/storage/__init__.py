"""Where a province's plan is kept: a GeoPackage file or a PostGIS schema, one interface.

This package is the only code that touches files or databases. The functions exported here
take a GeoPackage path or a ``postgresql://...?province=KEY`` URL; :mod:`.backend` decides
which store that is (:class:`~.backend.GeoPackage`, :class:`~.backend.PostGIS`, both
implementing :class:`~.backend.Backend`). Every read validates (:mod:`gis_app.rules`); every
write validates first and is atomic. Writes to a source that keeps a plan history go through
:func:`gis_app.history.write_plan`, which records them as changes.

- :mod:`.gpkg`: the GeoPackage backend (atomic writes, layer versions, writer lock);
- :mod:`.postgis`: the PostGIS backend (schema, roles, transactions);
- :mod:`.styles`: the QGIS styles stored with the layers;
- :mod:`.transfer`: copying a province between the two.
"""

from .backend import Backend, GeoPackage, PostGIS, Source, backend, is_database, locate
from .source import (
    describe,
    keeps_history,
    list_layers,
    read_context,
    read_dataset_info,
    read_layer,
    read_plan,
    read_plan_versioned,
    validate,
    validate_file,
    validate_source,
    write_layers,
    write_plan,
)

__all__ = [
    "Backend",
    "GeoPackage",
    "PostGIS",
    "Source",
    "backend",
    "describe",
    "is_database",
    "keeps_history",
    "list_layers",
    "locate",
    "read_context",
    "read_dataset_info",
    "read_layer",
    "read_plan",
    "read_plan_versioned",
    "validate",
    "validate_file",
    "validate_source",
    "write_layers",
    "write_plan",
]
