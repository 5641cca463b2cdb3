"""Bringing a board's own records into a province: surveyed layers in any format and CRS.

:func:`import_layer` reads a GeoPackage, Shapefile, GeoJSON or DXF layer, maps its fields and
survey values onto the schema (:mod:`.fieldmap`, :mod:`.survey_values`), transforms it into the
province's VN-2000 zone and writes it only if the whole plan it produces validates; a target
that keeps a plan history records the import as a change.
"""

from .importer import ImportResult, import_layer

__all__ = ["ImportResult", "import_layer"]
