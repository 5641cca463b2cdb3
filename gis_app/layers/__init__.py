"""Layer I/O: schema, reading, validation and atomic writing of province GeoPackages.

This subpackage is the only code that touches files or databases. The readers exported here
take a GeoPackage path or a ``postgresql://...?province=KEY`` URL (:mod:`.source`); the
writers are the GeoPackage's own (with its ``fresh``/``after`` options).
"""

from .gpkg import validate_file, write_layers, write_plan
from .importer import ImportResult, import_layer
from .plan import Plan
from .source import (
    list_layers,
    read_context,
    read_dataset_info,
    read_layer,
    read_plan,
    read_plan_versioned,
    update_plan,
)
from .validate import RULES, ValidationReport, check_plan

__all__ = [
    "RULES",
    "ImportResult",
    "Plan",
    "ValidationReport",
    "check_plan",
    "import_layer",
    "list_layers",
    "read_context",
    "read_dataset_info",
    "read_layer",
    "read_plan",
    "read_plan_versioned",
    "update_plan",
    "validate_file",
    "write_layers",
    "write_plan",
]
