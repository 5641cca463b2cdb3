"""The run counter browser tests wait on (gis_app.viewer.script_runs), on made-up timings."""

from __future__ import annotations

import time

from gis_app.viewer.script_runs import ABSORBED_S, ScriptRuns


def _runs(request_age: float) -> ScriptRuns:
    now = time.perf_counter()
    runs = ScriptRuns(full=1)
    runs.started, runs.finished = [now - 60], [now - 59]
    runs.requested = [now - 61, now - request_age]  # the last one after the last run began
    return runs


def test_a_fresh_request_without_its_run_is_not_idle():
    assert not _runs(0.1).idle


def test_a_request_folded_into_another_run_does_not_wait_forever():
    # A request Streamlit absorbed (into a run under way, or a fragment's under a full run)
    # is never answered by a run of its own; CI's page tour waited 120 s on one.
    assert _runs(ABSORBED_S + 1).idle


def test_a_running_script_is_never_idle():
    runs = _runs(ABSORBED_S + 1)
    runs.running = True
    assert not runs.idle
