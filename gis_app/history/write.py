"""Writing a province's plan: recorded as a change wherever a plan history is kept.

This is the write every caller should use (``gis_app.write_plan`` is this function). The
storage backends write plans only where no history is kept; here a source that keeps one gets
the write recorded (:func:`~gis_app.history.record.record_write`: the change log, the
versioned layers and the new baseline together, atomically), so ``history``, ``as-of`` and
``diff`` show every write, whoever made it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from ..errors import EditConflictError
from ..model.plan import Plan
from ..storage import source as sources
from .model import Basis
from .record import record_write


def write_plan(source: sources.Source, plan: Plan, *,
               expected_versions: Mapping[str, int] | None = None,
               basis: Basis | None = None,
               effective_date: date | str | None = None) -> str | None:
    """Validate and write ``plan`` as the province's baseline, atomically.

    Parameters
    ----------
    expected_versions
        The versions :func:`gis_app.storage.read_plan_versioned` returned with the plan the
        edit started from; the save is refused with :class:`~gis_app.errors.EditConflictError`
        (reload and edit again) when someone else saved a planning layer since.
    basis, effective_date
        Where a plan history is kept, the write is recorded as a change with this
        :class:`~gis_app.history.Basis` (by default: a write through the API, by the OS
        user) and date (default: the decision's, else today).

    Returns the recorded change id (None where no history is kept, or nothing changed).
    """
    if sources.keeps_history(source):
        return record_write(source, plan, basis, effective_date,
                            expected_versions=expected_versions)
    sources.write_plan(source, plan, expected_versions=expected_versions)
    return None


def update_plan(source: sources.Source, edit: Callable[[Plan], Plan], *,
                attempts: int = 5) -> Plan:
    """Read, edit and write the plan, re-reading and re-applying ``edit`` after a conflict.

    ``edit`` must be a pure function of the plan it is given (it may run more than once).
    """
    for attempt in range(attempts):
        plan, versions = sources.read_plan_versioned(source)
        edited = edit(plan)
        try:
            write_plan(source, edited, expected_versions=versions)
            return edited
        except EditConflictError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
