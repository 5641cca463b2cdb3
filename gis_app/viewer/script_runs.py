"""Script runs of a Streamlit page, read from its websocket: what browser tests and the
browser benchmark wait on instead of fixed sleeps.

Every run of the viewer's script starts with Streamlit's ``new_session`` message (its run
identity names the fragments it reruns; none: a full run of the page) and ends with a
``script_finished`` message (``FINISHED_EARLY_FOR_RERUN`` when another run follows at once).
A widget change reaches the server as a ``rerun_script`` message. So the app is idle when
every request the page sent has been answered by a run, every run started has finished and
none of them announced a follower: a real condition, on a busy machine as on an idle one.

Used by ``tests/e2e/e2e_support.py`` and ``benchmarks/viewer_browser.py`` (one counter for
both). Playwright delivers websocket frames while the test waits in a Playwright call, so
:func:`wait_idle` polls with Playwright's own wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: How often :func:`wait_idle` looks again (ms).
POLL_MS = 50
#: How long a rerun request may stay without its run before it counts as absorbed (s):
#: Streamlit folds a request into a run already under way, and drops a fragment's request
#: when a full run is due, so some requests are never answered by a run of their own.
ABSORBED_S = 3.0
#: Streamlit's "running" indicator, shown while a run takes longer than a moment.
STATUS_WIDGET = "[data-testid=\"stStatusWidget\"]"


@dataclass
class ScriptRuns:
    """Script runs a page's websocket announced: full runs and fragment runs, when each
    started and finished (``time.perf_counter``), the bytes received, and the rerun
    requests the page sent."""

    full: int = 0
    fragment: int = 0
    received_bytes: int = 0
    started: list[float] = field(default_factory=list)
    finished: list[float] = field(default_factory=list)
    requested: list[float] = field(default_factory=list)
    #: True after a run ended early because another follows (``st.rerun``, a newer request).
    follower_due: bool = False
    #: Between a run's ``new_session`` and the next ``script_finished``. A flag, not a count
    #: of starts and finishes: a run whose runner Streamlit replaced (a rerun requested as
    #: the runner was stopping) never reports its end, and the next run's end closes it.
    running: bool = False

    def watch(self, page) -> ScriptRuns:  # noqa: ANN001 - a Playwright page
        """Count the runs of ``page`` (call before its ``goto``); returns self."""
        def on_socket(ws) -> None:  # noqa: ANN001
            ws.on("framereceived", self._received)
            ws.on("framesent", self._sent)

        page.on("websocket", on_socket)
        return self

    def _sent(self, payload: bytes | str) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if isinstance(payload, str):
            return
        try:
            msg = BackMsg.FromString(payload)
        except Exception:  # noqa: BLE001 - not a BackMsg: nothing to count
            return
        if msg.WhichOneof("type") == "rerun_script":
            self.requested.append(time.perf_counter())

    def _received(self, payload: bytes | str) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        data = payload.encode() if isinstance(payload, str) else payload
        self.received_bytes += len(data)
        try:
            msg = ForwardMsg.FromString(data)
        except Exception:  # noqa: BLE001 - not a ForwardMsg: nothing to count
            return
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.started.append(time.perf_counter())
            self.running, self.follower_due = True, False
            if msg.metadata.run.fragment_ids:
                self.fragment += 1
            else:
                self.full += 1
        elif kind == "script_finished":
            self.finished.append(time.perf_counter())
            self.running = False
            self.follower_due = msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN

    @property
    def total(self) -> int:
        return self.full + self.fragment

    @property
    def idle(self) -> bool:
        """At least one run seen, all finished, none announced to follow, and no request
        of the page still unanswered (one left without its run for :data:`ABSORBED_S` was
        folded into another run)."""
        if not self.started or self.running or self.follower_due:
            return False
        return (not self.requested or self.requested[-1] < self.started[-1]
                or time.perf_counter() - self.requested[-1] > ABSORBED_S)


def wait_until(page, condition: Callable[[], bool], what: str,  # noqa: ANN001
               timeout_s: float = 120.0) -> None:
    """Until ``condition()`` (read from counters the page's frames update) holds; raises
    TimeoutError naming ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout_s:.0f} s")
        page.wait_for_timeout(POLL_MS)  # lets Playwright deliver the websocket's frames


def wait_idle(page, runs: ScriptRuns, timeout_s: float = 120.0,  # noqa: ANN001
              settle_ms: int = 200) -> None:
    """Until the app is idle (:attr:`ScriptRuns.idle`, and Streamlit's running indicator is
    gone) and stays so for ``settle_ms``: a click's request leaves the browser a few
    milliseconds after the click, and a finished run may be followed by a fragment run it
    scheduled. Raises TimeoutError after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    quiet_since: float | None = None
    seen = -1
    while True:
        now = time.monotonic()
        activity = runs.total + len(runs.requested)
        if runs.idle and activity == seen and not page.query_selector(STATUS_WIDGET):
            if quiet_since is None:
                quiet_since = now
            elif (now - quiet_since) * 1000 >= settle_ms:
                return
        else:
            quiet_since = None
        seen = activity
        if now > deadline:
            raise TimeoutError(f"the app did not go idle in {timeout_s:.0f} s "
                               f"({len(runs.started)} runs started, {len(runs.finished)} "
                               f"finished, {len(runs.requested)} requested)")
        page.wait_for_timeout(POLL_MS)  # lets Playwright deliver the websocket's frames


#: Installed in a streamlit-folium frame: counts the map's moves (``moveend``) and notes the
#: last move its debounced update has compared (streamlit-folium reads ``previous_data``
#: each time it decides whether the map's returned objects changed).
WATCH_MAP_UPDATES = """() => {
    const data = window.__GLOBAL_DATA__;
    if (window.kcnMoves !== undefined) { return; }
    window.kcnMoves = 0;
    window.kcnCompared = -1;
    window.map.on("moveend", () => { window.kcnMoves += 1; });
    let previous = data.previous_data;
    Object.defineProperty(data, "previous_data", {
        configurable: true,
        get() { window.kcnCompared = window.kcnMoves; return previous; },
        set(value) { previous = value; },
    });
}"""
#: True once the map has stopped moving and streamlit-folium has compared its returned
#: objects after the last move (so any rerun the move causes has been requested).
MAP_UPDATE_DONE = ("() => window.kcnMoves > 0 && window.kcnCompared === window.kcnMoves"
                   " && !window.map._animatingZoom && !window.map._panAnim?._inProgress")


def watch_map_updates(frame) -> None:  # noqa: ANN001 - a Playwright frame
    """Start following the moves of the streamlit-folium map in ``frame`` (before a gesture)."""
    frame.evaluate(WATCH_MAP_UPDATES)


def wait_map_update(frame, timeout_ms: int = 60_000) -> None:  # noqa: ANN001
    """Until the map in ``frame`` has moved, settled and streamlit-folium has handled the
    last move (see :func:`watch_map_updates`)."""
    frame.wait_for_function(MAP_UPDATE_DONE, timeout=timeout_ms)
