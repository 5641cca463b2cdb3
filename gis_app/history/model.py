"""What every plan change records: its basis (a decision or an import) and the change log.

A change of the plan (điều chỉnh quy hoạch, a lease, an approved scenario) is only recorded
with its basis: the decision that made it (number, date, issuing authority, document
reference) or the import that brought it in (file, by whom). :class:`Basis` refuses to exist
without one, so the ``plan_changes`` table can never hold an unexplained change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from ..errors import GisAppError
from ..model.schema import CHANGES_TABLE  # noqa: F401  (the history's table, named in the model)

#: Basis types of a change (``plan_changes.basis_type``).
BASIS_TYPES = ("decision", "import", "scenario_approval", "reversal")

#: The change log table (named in the model) and its columns, in order (``scenario_id``
#: links an approval).
CHANGE_COLUMNS: tuple[str, ...] = (
    "change_id", "effective_date", "basis_type", "decision_no", "decision_date", "authority",
    "document_ref", "source_file", "recorded_by", "recorded_at", "description", "reverses",
    "scenario_id",
)
_DATE_COLUMNS = ("effective_date", "decision_date")


class HistoryError(GisAppError):
    """A plan change cannot be recorded, reversed or queried; the message says why."""


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True)
class Basis:
    """Why the plan changed: a decision (số quyết định/văn bản) or an import.

    Build one with :meth:`decision` or :meth:`imported`; both check that the fields the
    basis needs are there. ``scenario_approval`` and ``reversal`` are decisions too: they
    are made from a decision basis by :func:`gis_app.history.approve_scenario` and
    :func:`gis_app.history.reverse`.

    Examples
    --------
    >>> b = Basis.decision("1511/TTg-KTN", date(2014, 8, 20), "Thủ tướng Chính phủ")
    >>> b.basis_type, b.decision_no
    ('decision', '1511/TTg-KTN')
    >>> Basis.decision("", date(2014, 8, 20), "Thủ tướng Chính phủ")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gis_app.history.model.HistoryError: a decision basis needs a decision number ...
    """

    basis_type: str
    decision_no: str | None = None
    decision_date: date | None = None
    authority: str | None = None
    document_ref: str | None = None
    source_file: str | None = None
    recorded_by: str | None = None
    description: str | None = None

    def __post_init__(self) -> None:
        if self.basis_type not in BASIS_TYPES:
            raise HistoryError(f"basis type {self.basis_type!r}: expected one of "
                               f"{', '.join(BASIS_TYPES)}")
        if self.basis_type == "import":
            if _text(self.source_file) is None:
                raise HistoryError("an import basis needs the source file it came from")
            if _text(self.recorded_by) is None:
                raise HistoryError("an import basis needs who imported it (recorded_by)")
            return
        if _text(self.decision_no) is None:
            raise HistoryError('a decision basis needs a decision number (use "number not '
                               'found" and a document reference when the number is unknown)')
        if _text(self.decision_no) == "number not found" and _text(self.document_ref) is None:
            raise HistoryError("a decision whose number was not found needs a document "
                               "reference (the source that reports it)")
        if self.decision_date is None or pd.isna(pd.Timestamp(self.decision_date)):
            raise HistoryError(f"decision {self.decision_no}: needs its date")
        if _text(self.authority) is None:
            raise HistoryError(f"decision {self.decision_no}: needs its issuing authority")

    @classmethod
    def decision(cls, decision_no: str, decision_date: date, authority: str, *,
                 document_ref: str | None = None, recorded_by: str | None = None,
                 description: str | None = None) -> Basis:
        """A decision basis (number, date, issuing authority, document reference)."""
        return cls("decision", decision_no, decision_date, authority, document_ref, None,
                   recorded_by, description)

    @classmethod
    def imported(cls, source_file: str, recorded_by: str, *, description: str | None = None,
                 document_ref: str | None = None) -> Basis:
        """An import basis (the file and who imported it; the date is the change's)."""
        return cls("import", None, None, None, document_ref, source_file, recorded_by,
                   description)

    def as_type(self, basis_type: str) -> Basis:
        """The same basis recorded as another type (``scenario_approval``, ``reversal``)."""
        if self.basis_type == "import":
            raise HistoryError(f"a {basis_type.replace('_', ' ')} needs a decision basis, "
                               f"not an import ({self.source_file})")
        return replace(self, basis_type=basis_type)


def empty_changes() -> pd.DataFrame:
    """The ``plan_changes`` table with no rows, typed."""
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in CHANGE_COLUMNS})
    for column in _DATE_COLUMNS:
        frame[column] = pd.Series(dtype="datetime64[ms]")
    return frame


def coerce_changes(frame: pd.DataFrame) -> pd.DataFrame:
    """``plan_changes`` as read from a file or database, in its column order and dtypes."""
    out = empty_changes() if frame is None or frame.empty else frame.copy()
    for column in CHANGE_COLUMNS:
        if column not in out.columns:
            out[column] = pd.NA
        if column in _DATE_COLUMNS:
            out[column] = pd.to_datetime(out[column], errors="coerce").astype("datetime64[ms]")
        else:
            out[column] = out[column].astype("string")
    return out[list(CHANGE_COLUMNS)].reset_index(drop=True)


def change_row(change_id: str, basis: Basis, effective_date: date, recorded_at: str, *,
               description: str | None = None, reverses: str | None = None,
               scenario_id: str | None = None) -> pd.DataFrame:
    """One ``plan_changes`` row for a change with this basis."""
    row = {
        "change_id": change_id, "effective_date": pd.Timestamp(effective_date),
        "basis_type": basis.basis_type, "decision_no": basis.decision_no,
        "decision_date": pd.Timestamp(basis.decision_date) if basis.decision_date else pd.NaT,
        "authority": basis.authority, "document_ref": basis.document_ref,
        "source_file": basis.source_file, "recorded_by": basis.recorded_by,
        "recorded_at": recorded_at, "description": description or basis.description,
        "reverses": reverses, "scenario_id": scenario_id,
    }
    return coerce_changes(pd.DataFrame([row]))


def next_change_id(changes: pd.DataFrame) -> str:
    """``C0001``, ``C0002``, ...: one more than the highest number used."""
    numbers = changes["change_id"].astype("string").str.extract(r"^C(\d+)$")[0].dropna()
    top = int(numbers.astype(int).max()) if len(numbers) else 0
    return f"C{top + 1:04d}"
