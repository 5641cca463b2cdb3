"""Two officers recording at once: both changes are kept, neither undoes the other."""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest
from history_fixtures import record_ready_built

from gis_app.history import (
    Basis,
    HistoryError,
    changes,
    check_versions,
    last_change,
    read_history,
    record_change,
)
from gis_app.storage import read_plan


def test_concurrent_edits_in_two_processes_are_both_recorded(writable_history):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        ids = pool.starmap(record_ready_built, [(str(writable_history), "A1", "41/QĐ-BQL"),
                                                (str(writable_history), "A2", "42/QĐ-BQL")])
    assert sorted(ids) == ["C0004", "C0005"]
    plots = read_plan(writable_history).plots.set_index("plot_code")
    assert plots.loc["A1", "ready_built_factory"] and plots.loc["A2", "ready_built_factory"]
    assert set(changes(writable_history)["decision_no"].dropna()) >= {"41/QĐ-BQL", "42/QĐ-BQL"}
    assert check_versions(read_history(writable_history).versions) == []


def test_a_stale_plan_is_refused_when_its_last_change_is_given(writable_history):
    seen = last_change(writable_history)
    assert seen == "C0003"
    stale = read_plan(writable_history)
    plots = stale.plots.copy()
    plots.loc[plots["plot_code"] == "A4", "ready_built_factory"] = True
    # Someone else records a change in between ...
    record_ready_built(str(writable_history), "A1", "50/QĐ-BQL")
    before = writable_history.read_bytes()
    # ... so the plan read before it would silently undo it: refused.
    with pytest.raises(HistoryError, match="changed by C0004 since you read it"):
        record_change(writable_history, stale.replace(plots=plots),
                      Basis.decision("51/QĐ-BQL", date(2020, 2, 1), "BQL"),
                      expected_last_change=seen)
    assert writable_history.read_bytes() == before
