"""The validation rules a province's plan must satisfy before it is used or stored.

:func:`check_plan` runs every rule of :data:`RULES` on layers already read and returns a
:class:`ValidationReport` naming each problem's layer, feature and rule. The storage backends
call it on every read and write; the importer calls it on the plan an import would produce.
"""

from .validate import RULES, ValidationReport, check_plan

__all__ = ["RULES", "ValidationReport", "check_plan"]
