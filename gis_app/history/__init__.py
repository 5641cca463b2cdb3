"""Plan history: every change of the plan with its basis, and the plan as of any date.

The baseline layers stay as they are (all other code reads them); beside them each planning
layer has a versioned copy ``<layer>_history`` (``valid_from``, ``valid_to``, ``change_from``,
``change_to``) and the table ``plan_changes`` records each change's basis: a decision (number,
date, issuing authority, document reference) or an import (file, by whom).

- :func:`write_plan` (every write of the plan), :func:`start_history`, :func:`record_change`,
  :func:`reverse` write (atomically, with a basis, never erasing history); a scenario is made
  the plan by :func:`gis_app.scenarios.approve_scenario`;
- :func:`as_of`, :func:`diff`, :func:`changes` answer "what did the plan say on that date, and
  which decision changed it?". Indicators as of a date are the analytics run on ``as_of``.

Both GeoPackage files and PostGIS URLs are accepted wherever a ``source`` is.
"""

from .model import BASIS_TYPES, CHANGE_COLUMNS, CHANGES_TABLE, Basis, HistoryError
from .query import DIFF_COLUMNS, as_of, changes, diff
from .record import (
    last_change,
    record_change,
    record_edit,
    reverse,
    start_history,
)
from .store import History, has_history, read_history
from .versions import HISTORY_LAYERS, VERSION_COLUMNS, check_versions, current
from .write import update_plan, write_plan

__all__ = [
    "BASIS_TYPES",
    "CHANGES_TABLE",
    "CHANGE_COLUMNS",
    "DIFF_COLUMNS",
    "HISTORY_LAYERS",
    "VERSION_COLUMNS",
    "Basis",
    "History",
    "HistoryError",
    "as_of",
    "changes",
    "check_versions",
    "current",
    "diff",
    "has_history",
    "last_change",
    "read_history",
    "record_change",
    "record_edit",
    "reverse",
    "start_history",
    "update_plan",
    "write_plan",
]
