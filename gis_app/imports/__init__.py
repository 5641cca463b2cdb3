"""Bringing a board's own records into a province: surveyed layers in any format and CRS.

:func:`import_layer` reads a GeoPackage, Shapefile, GeoJSON or DXF layer, maps its fields and
survey values onto the schema (:mod:`.fieldmap`, :mod:`.survey_values`), transforms it into the
province's VN-2000 zone and writes it only if the whole plan it produces validates; a target
that keeps a plan history records the import as a change. :func:`import_register` brings in
the registers boards keep in Excel (the project register and the park list), all or nothing,
the same way.
"""

from .importer import ImportResult, import_layer
from .registers import RegisterError, RegisterProblem, RegisterResult, import_register

__all__ = ["ImportResult", "RegisterError", "RegisterProblem", "RegisterResult", "import_layer",
           "import_register"]
