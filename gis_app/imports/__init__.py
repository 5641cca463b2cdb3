"""Bringing a board's own records into a province: surveyed layers in any format and CRS, the
park's detailed plan from CAD drawings, and the registers kept in Excel.

:func:`import_layer` reads a GeoPackage, Shapefile, GeoJSON or DXF layer, maps its fields and
survey values onto the schema (:mod:`.fieldmap`, :mod:`.survey_values`), transforms it into the
province's VN-2000 zone and writes it only if the whole plan it produces validates; a target
that keeps a plan history records the import as a change.

:func:`import_cad` reads a detailed plan drawn in CAD (DXF, or DWG through the ODA File
Converter): closed polylines and hatches on land-use layers become plots or zones, the code
written inside each outline its plot code, arcs densified to a stated tolerance, the drawing
placed from its legacy province's zone (:mod:`.cad`); it returns a :class:`CadImportResult`
and then writes as :func:`import_layer` does.

:func:`import_register` brings in the registers boards keep in Excel (the project register and
the park list, :mod:`.registers`), all or nothing, the same way.
"""

from .cad import CadDrawingError, CadImportResult, CadProblem, import_cad
from .importer import ImportResult, import_layer
from .registers import RegisterError, RegisterProblem, RegisterResult, import_register

__all__ = ["CadDrawingError", "CadImportResult", "CadProblem", "ImportResult", "RegisterError",
           "RegisterProblem", "RegisterResult", "import_cad", "import_layer", "import_register"]
