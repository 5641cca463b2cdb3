"""Recording plan changes: start a history, record a change, reverse one, approve a scenario.

Every entry point takes a *basis* (:class:`~gis_app.history.model.Basis`) and refuses to work
without one. Nothing is ever erased: a change closes the versions it replaces and opens new
ones, and a reversal is a new change that restores the earlier versions.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from ..model.plan import Plan
from ..model.schema import SCHEMAS
from .model import (
    Basis,
    HistoryError,
    change_row,
    coerce_changes,
    empty_changes,
    next_change_id,
)
from .store import History, commit
from .versions import apply_change, open_versions

Source = str | Path


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def current_user() -> str:
    """Who is recording a change when nobody says: the operating-system user."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment nor the password database
        return "unknown"


def require_basis(basis: object) -> Basis:
    if not isinstance(basis, Basis):
        raise HistoryError("a plan change needs its basis: a decision (Basis.decision(number, "
                           "date, authority, ...)) or an import (Basis.imported(file, by))")
    return basis


def change_date(value: date | str | pd.Timestamp | None, what: str) -> date:
    stamp = pd.Timestamp(value) if value is not None else pd.NaT
    if pd.isna(stamp):
        raise HistoryError(f"{what}: needs an effective date")
    return stamp.date()


def start_history(source: Source, basis: Basis, effective_date: date | str) -> str:
    """Begin the history of a source: its current baseline, valid from ``effective_date``.

    Returns the id of the first change (``C0001``). Refused when a history exists.
    """
    basis = require_basis(basis)
    when = change_date(effective_date, f"{source}: start of history")

    def step(plan: Plan, history: History | None) -> tuple[Plan, History, str]:
        if history is not None:
            raise HistoryError(f"{source}: already has a plan history "
                               f"({len(history.changes)} changes)")
        change_id = next_change_id(empty_changes())
        changes = change_row(change_id, basis, when, _now(),
                             description=basis.description or "Hiện trạng ban đầu / initial "
                             "baseline")
        return plan, History(changes, open_versions(plan, change_id, when)), change_id

    return commit(source, step)


def record_step(new_plan: Plan, basis: Basis, when: date, *, description: str | None = None,
                 reverses: str | None = None, scenario_id: str | None = None,
                 source: Source, expected_last_change: str | None = None) -> object:
    def step(plan: Plan, history: History | None) -> tuple[Plan, History, str]:
        if history is None:
            raise HistoryError(f"{source}: no plan history yet; start one with "
                               "start_history(source, basis, date) first")
        last = _last_change(history)
        if expected_last_change is not None and last != expected_last_change:
            raise HistoryError(
                f"{source}: the plan was changed by {last} since you read it (after "
                f"{expected_last_change}); nothing was written: reload it and apply your "
                "change again")
        change_id = next_change_id(history.changes)
        versions, differences = apply_change(history.versions, plan, new_plan, change_id, when)
        if differences.empty:
            raise HistoryError(f"{source}: the new plan equals the current one; nothing to "
                               "record")
        row = change_row(change_id, basis, when, _now(), description=description,
                         reverses=reverses, scenario_id=scenario_id)
        changes = coerce_changes(pd.concat([history.changes, row], ignore_index=True))
        return new_plan, History(changes, versions), change_id

    return step


def _last_change(history: History) -> str | None:
    ids = history.changes["change_id"]
    return None if ids.empty else str(ids.iloc[-1])


def last_change(source: Source) -> str | None:
    """The id of the last change recorded (pass it back as ``expected_last_change``)."""
    from .store import read_history

    return _last_change(read_history(source))


def record_change(source: Source, new_plan: Plan, basis: Basis,
                  effective_date: date | str | None = None, *,
                  description: str | None = None,
                  expected_last_change: str | None = None) -> str:
    """Make ``new_plan`` the baseline as one recorded change; returns its ``change_id``.

    The current baseline and ``new_plan`` are compared feature by feature (by each layer's
    key): versions of removed or changed features are closed on ``effective_date`` and new
    versions opened for added or changed ones; the baseline layers, the history and the
    change log are written in one atomic step.

    Parameters
    ----------
    source
        Province GeoPackage path or PostGIS URL, with a history (:func:`start_history`).
    new_plan
        The whole plan after the change; it is validated before anything is written.
    basis
        The decision or import behind the change (required).
    effective_date
        When the change takes effect; defaults to the decision's date.
    expected_last_change
        The last change id when ``new_plan`` was read (:func:`last_change`); when given, the
        change is refused if another one was recorded since, so that it cannot silently undo
        that one. :func:`record_edit` avoids the question by editing inside the change.

    Raises
    ------
    HistoryError
        No basis, no date, no history, nothing changed, or a date earlier than a version
        the change replaces.
    """
    basis = require_basis(basis)
    when = change_date(effective_date if effective_date is not None else basis.decision_date,
                 f"{source}: change")
    return commit(source, record_step(new_plan, basis, when, description=description,
                                       source=source,
                                       expected_last_change=expected_last_change))  # type: ignore[arg-type]


def record_edit(source: Source, edit: Callable[[Plan], Plan], basis: Basis,
                effective_date: date | str | None = None, *,
                description: str | None = None) -> str:
    """Like :func:`record_change`, with the new plan computed by ``edit(baseline)`` inside
    the locked change: concurrent officers' changes are applied one after the other, never
    lost. ``edit`` must be a pure function of the plan it gets (it may run more than once
    on PostGIS)."""
    basis = require_basis(basis)
    when = change_date(effective_date if effective_date is not None else basis.decision_date,
                 f"{source}: change")

    def step(plan: Plan, history: History | None) -> tuple[Plan, History, str]:
        inner = record_step(edit(plan), basis, when, description=description, source=source)
        return inner(plan, history)  # type: ignore[operator]

    return commit(source, step)


def _restore(plan: Plan, history: History, change_id: str, source: Source) -> Plan:
    """The baseline with every feature ``change_id`` touched back at its version before it."""
    layers = {}
    for name, schema in SCHEMAS.items():
        versions = history.versions[name]
        key = schema.key
        opened = versions.loc[versions["change_from"].eq(change_id).to_numpy(
            dtype=bool, na_value=False)]
        moved_on = opened.loc[opened["valid_to"].notna()]
        if len(moved_on):
            row = moved_on.iloc[0]
            raise HistoryError(
                f"{source}: change {change_id} cannot be reversed: layer {name}, feature "
                f"{row[key]} was changed again by {row['change_to']}; reverse that first")
        closed = versions.loc[versions["change_to"].eq(change_id).to_numpy(
            dtype=bool, na_value=False)]
        touched = set(opened[key].astype(str)) | set(closed[key].astype(str))
        frame = plan.layers()[name]
        keep = frame.loc[~frame[key].astype(str).isin(touched).to_numpy()]
        back = closed.drop(columns=["valid_from", "valid_to", "change_from", "change_to"])
        merged = pd.concat([keep, back], ignore_index=True)
        layers[name] = merged
    return Plan.from_layers(layers)


def reverse(source: Source, change_id: str, basis: Basis,
            effective_date: date | str | None = None) -> str:
    """Undo ``change_id`` by a new change that restores the features it touched.

    The versions ``change_id`` opened are closed and the versions it closed are opened again
    (as new versions of the reversal); the history of both changes is kept. Refused when a
    later change touched the same features (reverse that one first) or when ``change_id``
    was already reversed. Returns the reversal's change id.
    """
    basis = require_basis(basis).as_type("reversal")
    when = change_date(effective_date if effective_date is not None else basis.decision_date,
                 f"{source}: reversal of {change_id}")

    def step(plan: Plan, history: History | None) -> tuple[Plan, History, str]:
        if history is None:
            raise HistoryError(f"{source}: no plan history; nothing to reverse")
        changes = history.changes
        if not changes["change_id"].eq(change_id).any():
            raise HistoryError(f"{source}: no change {change_id!r} in the history")
        done = changes.loc[changes["reverses"].eq(change_id).to_numpy(dtype=bool,
                                                                      na_value=False)]
        if len(done):
            raise HistoryError(f"{source}: change {change_id} was already reversed by "
                               f"{done['change_id'].iloc[0]}")
        restored = _restore(plan, history, change_id, source)
        what = changes.loc[changes["change_id"].eq(change_id)].iloc[0]
        label = what["decision_no"] if pd.notna(what["decision_no"]) else what["source_file"]
        inner = record_step(restored, basis, when, reverses=change_id, source=source,
                             description=basis.description or
                             f"Hủy bỏ thay đổi {change_id} ({label}) / reverses {change_id}")
        return inner(plan, history)  # type: ignore[operator]

    return commit(source, step)


def record_write(source: Source, new_plan: Plan, basis: Basis | None = None,
                 effective_date: date | str | None = None, *,
                 expected_versions: Mapping[str, int] | None = None,
                 lock: bool = True) -> str | None:
    """Write ``new_plan`` as the baseline of a source that keeps a history, recorded as a
    change: what :func:`gis_app.write_plan` and the importer do on such a source.

    Unlike :func:`record_change`, a write that changes nothing is stored without a change
    (returns None). ``basis`` defaults to a write through the API by the OS user (an import
    basis naming ``write_plan``); ``effective_date`` to the decision date, else today.
    ``expected_versions`` (from ``read_plan_versioned``) refuses a write based on a stale
    read; ``lock=False`` when the caller holds the GeoPackage's writer lock already.
    """
    if basis is None:
        basis = Basis.imported("write_plan (gis_app)", current_user(),
                               description="Ghi kế hoạch qua API, không nêu căn cứ / plan "
                               "written through the API without a stated basis")
    basis = require_basis(basis)
    when = change_date(effective_date if effective_date is not None else
                 basis.decision_date or date.today(), f"{source}: change")

    def step(plan: Plan, history: History | None) -> tuple[Plan, History, str | None]:
        if history is None:
            raise HistoryError(f"{source}: no plan history to record the write in")
        change_id = next_change_id(history.changes)
        versions, differences = apply_change(history.versions, plan, new_plan, change_id, when)
        if differences.empty:
            return new_plan, history, None
        row = change_row(change_id, basis, when, _now())
        changes = coerce_changes(pd.concat([history.changes, row], ignore_index=True))
        return new_plan, History(changes, versions), change_id

    return commit(source, step, expected_versions=expected_versions, lock=lock)
