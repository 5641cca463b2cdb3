"""KCN-GIS: a GIS for Vietnam's industrial-park management boards.

In a notebook::

    import gis_app
    plan = gis_app.open("bac_ninh")             # a province key, a GeoPackage path or a URL
    gis_app.analytics.province_indicators(plan)  # occupancy, areas, counts
    gis_app.search.search(plan, gis_app.search.SearchQuery(min_area_ha=5))
    gis_app.write_plan("my_copy.gpkg", plan)     # validated, atomic, recorded in the history

The packages, from the bottom up (each imports only those before it):

- :mod:`gis_app.model`: the plan, its layers, codes and coordinate rules;
- :mod:`gis_app.rules`: the validation rules a plan must satisfy;
- :mod:`gis_app.storage`: GeoPackage and PostGIS, behind one interface;
- :mod:`gis_app.analytics` and :mod:`gis_app.search`: indicators, screening, vacant land;
- :mod:`gis_app.history`: every change of the plan with its decision, the plan as of a date;
- :mod:`gis_app.imports`: surveyed layers in any format and CRS, CAD drawings of the plan,
  registers kept in Excel;
- :mod:`gis_app.export`: map sheets, atlases, fact sheets;
- :mod:`gis_app.scenarios`: planning adjustments, compared and approved;
- :mod:`gis_app.viewer` and :mod:`gis_app.cli`: the Streamlit viewer and the ``kcn-gis``
  command.

The subpackages load when first used (``import gis_app`` stays light): importing the
analytics does not load the GeoPackage or PostGIS drivers.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .model.plan import Plan

#: Subpackages reachable as attributes (``gis_app.analytics``), imported on first use.
SUBPACKAGES = ("analytics", "cli", "errors", "export", "history", "i18n", "imports", "model",
               "registry", "rules", "scenarios", "search", "settings", "storage")

#: Top-level names and the module each comes from.
_NAMES = {
    "Plan": "gis_app.model",
    "check_plan": "gis_app.rules",
    "ValidationReport": "gis_app.rules",
    "read_plan": "gis_app.storage",
    "read_plan_versioned": "gis_app.storage",
    "validate": "gis_app.storage",
    "locate": "gis_app.storage",
    "write_plan": "gis_app.history",
    "update_plan": "gis_app.history",
    "import_layer": "gis_app.imports",
    "import_cad": "gis_app.imports",
    "import_register": "gis_app.imports",
    "GisAppError": "gis_app.errors",
}

__all__ = ["SUBPACKAGES", "__version__", "open", *SUBPACKAGES, *_NAMES]


def open(where: str | Path) -> Plan:  # noqa: A001 - the natural name: gis_app.open("bac_ninh")
    """The validated plan of a province: a key (``bac_ninh``), a GeoPackage path or a
    ``postgresql://...?province=KEY`` URL.

    Raises :class:`~gis_app.errors.ValidationError` listing every problem of an invalid plan,
    and :class:`~gis_app.errors.LayerError` for a key without a file or an unreadable source.
    """
    from .storage import locate, read_plan

    return read_plan(locate(where))


def __getattr__(name: str) -> Any:
    if name in SUBPACKAGES:
        return importlib.import_module(f".{name}", __name__)
    if name in _NAMES:
        return getattr(importlib.import_module(_NAMES[name]), name)
    raise AttributeError(f"module 'gis_app' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
