"""The viewer measured in a real browser: Debian's headless Chromium driven by Playwright.

Each case starts ``streamlit run`` of the viewer on the benchmark's file (loopback only),
warms it with one visit (the plan and the maps are cached, as on a server that has been up
for a while), and then measures what a person waits for:

- **map visible**: from ``goto`` in a fresh browser context (a first visit: empty cache) until
  the page's map iframe has its height and Leaflet has drawn features into it (with the time
  until the app's websocket opened, and the same page opened again with the cache warm); the
  same visit counts the **bytes downloaded** besides Streamlit's own bundle (``/static/``):
  the HTML, component and Leaflet files, and every websocket message (decompressed payload,
  so an upper bound of what went over the wire);
- **plot click → card**: from the click on a plot of the park map until the card names that
  plot, and how many *full* script runs the click caused (a fragment run is not one);
- **pan + zoom**: drag the map and zoom in with the wheel; every script run (full or
  fragment) counts, and the map's own zoom is read back so a gesture that missed is seen;
- **new session memory**: the server's resident memory before and after three new sessions
  open the park page, per session.

Script runs are counted from Streamlit's websocket: every run starts with a ``new_session``
message whose run identity names the fragments it reruns (none for a full run). The counter,
and the waits on it, are the browser tests' own (:mod:`gis_app.viewer.script_runs`).

Without Playwright or Chromium (``KCN_GIS_CHROMIUM``, default ``/usr/bin/chromium``) the
cases read "n/a". Memory is read from ``/proc`` (Linux); elsewhere that figure is absent.
"""

from __future__ import annotations

import atexit
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the repository's gis_app
    sys.path.insert(0, str(ROOT))

from gis_app.viewer import script_runs  # noqa: E402 - after the path is set
from gis_app.viewer.script_runs import ScriptRuns  # noqa: E402

CHROMIUM = Path(os.environ.get("KCN_GIS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/")
#: Streamlit's own bundle (its JavaScript, CSS and fonts): the same for every Streamlit app.
STREAMLIT_BUNDLE = re.compile(r"^https?://[^/]+/static/")
#: New sessions opened by the memory case.
NEW_SESSIONS = 3


def unavailable() -> str | None:
    """Why the browser cases cannot run here (None: they can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "no playwright"
    if not CHROMIUM.exists():
        return f"no Chromium ({CHROMIUM})"
    return None


def rss_mb(pid: int) -> float | None:
    """Resident memory of process ``pid`` in MB (Linux ``/proc``; None elsewhere)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) / 1024.0 if found else None


class Viewer:
    """A viewer server on ``data`` and one Chromium; stopped at exit."""

    def __init__(self, data: Path) -> None:
        from playwright.sync_api import sync_playwright

        from gis_app.viewer import launch

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = launch.environment([data])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.proc = subprocess.Popen(launch.command(port=port, address="127.0.0.1"), env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     cwd=ROOT)
        atexit.register(self.close)
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the viewer did not start")
            time.sleep(0.3)
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=str(CHROMIUM),
                                                args=CHROMIUM_FLAGS, headless=True)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if getattr(self, "browser", None) is not None:
            self.browser.close()
            self._pw.stop()
            self.browser = None

    def new_page(self):  # noqa: ANN201
        """A page in a fresh context (empty cache: a first visit) that may reach only this
        machine; ``page.kcn_bytes`` lists ``(url, bytes)`` of every HTTP response."""
        context = self.browser.new_context(viewport={"width": 1400, "height": 1000})

        def guard(route) -> None:  # noqa: ANN001
            url = route.request.url
            if LOCAL.match(url) or url.startswith(("data:", "blob:", "about:")):
                route.continue_()
            else:
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.kcn_bytes = []

        def finished(request) -> None:  # noqa: ANN001
            try:
                size = request.sizes()["responseBodySize"]
            except Exception:  # noqa: BLE001 - a request that ended without a response
                return
            page.kcn_bytes.append((request.url, size))

        page.on("requestfinished", finished)
        page.kcn_runs = ScriptRuns().watch(page)
        return page


def wait_idle(page) -> None:  # noqa: ANN001
    """Until every rerun the page asked for has run and finished (no fixed sleep)."""
    script_runs.wait_idle(page, page.kcn_runs)


def wait_map(page, timeout: int = 120_000) -> None:  # noqa: ANN001
    """Until the map iframe has a height and Leaflet has drawn a feature into it."""
    page.wait_for_function(
        f"() => {{ const f = document.querySelector('{MAP_FRAME}');"
        " return f && f.getBoundingClientRect().height > 300 && f.contentDocument &&"
        " f.contentDocument.querySelector('path.leaflet-interactive') !== null; }",
        timeout=timeout, polling="raf")


def map_frame(page):  # noqa: ANN001, ANN201
    """The map iframe's Playwright frame (its ``window.map`` is the Leaflet map)."""
    return page.locator(MAP_FRAME).element_handle().content_frame()


# -- cases ---------------------------------------------------------------------------------------
def teardown(state: object) -> None:
    """Stop the viewer server and the browser a case's setup started."""
    for item in state if isinstance(state, tuple) else (state,):
        if isinstance(item, Viewer):
            item.close()


def visible_setup(url_path: str):  # noqa: ANN201
    """Setup of a "map visible" case: a warm server (one visit drew the page)."""
    def setup(path: Path) -> object:
        viewer = Viewer(path)
        page = viewer.new_page()
        page.goto(viewer.base + url_path)
        wait_map(page)
        wait_idle(page)
        page.context.close()
        return viewer, url_path
    return setup


def visible(state: object) -> dict:
    """One first visit: seconds until the map shows, and the megabytes it downloaded; where
    the time went (``socket_s``: until the page's websocket to the app opened, i.e.
    Streamlit's page and bundle loaded; the rest is the script run, the map component's
    frame, Leaflet and drawing); and ``revisit_s``, the same page opened again in the same
    browser (its cache warm)."""
    viewer, url_path = state  # type: ignore[misc]
    page = viewer.new_page()
    opened: list[float] = []
    page.on("websocket", lambda _ws: opened.append(time.perf_counter()))
    start = time.perf_counter()
    page.goto(viewer.base + url_path)
    wait_map(page)
    seconds = time.perf_counter() - start
    wait_idle(page)
    http = sum(n for url, n in page.kcn_bytes if not STREAMLIT_BUNDLE.match(url))
    out = {"seconds": seconds, "first_visit_mb": (http + page.kcn_runs.received_bytes) / 1e6,
           "full_runs": page.kcn_runs.full,
           "socket_s": opened[0] - start if opened else float("nan")}
    again = time.perf_counter()
    page.goto(viewer.base + url_path)
    wait_map(page)
    out["revisit_s"] = time.perf_counter() - again
    wait_idle(page)
    page.context.close()
    return out


def _plot_targets(page) -> list[tuple[float, float]]:  # noqa: ANN001
    """Screen points in the middle of plots drawn large enough to click, nearest the map's
    centre first (away from the legend and the layer control in its corners)."""
    from gis_app.symbology import PLOT_STATUS_COLOURS

    box = page.locator(MAP_FRAME).bounding_box()
    fills = ",".join(f'path.leaflet-interactive[fill="{c}"]' for c in PLOT_STATUS_COLOURS.values())
    plots = page.frame_locator(MAP_FRAME).locator(fills)
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    points = []
    for i in range(min(plots.count(), 300)):
        b = plots.nth(i).bounding_box()
        if not b or b["width"] < 8 or b["height"] < 8:
            continue
        x, y = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
        if box["x"] + 60 < x < box["x"] + box["width"] - 200 and \
                box["y"] + 60 < y < box["y"] + box["height"] - 120:
            points.append((x, y))
    points.sort(key=lambda p: (p[0] - centre[0]) ** 2 + (p[1] - centre[1]) ** 2)
    return points


def click_setup(path: Path) -> object:
    viewer = Viewer(path)
    page = viewer.new_page()
    page.goto(viewer.base + "/park")
    wait_map(page)
    wait_idle(page)
    targets = _plot_targets(page)
    if not targets:
        raise RuntimeError("no plot drawn large enough to click")
    return viewer, page, targets, [0]


def plot_code_at(page, point: tuple[float, float]) -> str:  # noqa: ANN001
    """The plot code the map's tooltip shows at ``point`` (hovering it)."""
    box = page.locator(MAP_FRAME).bounding_box()
    tip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")
    for attempt in range(3):
        map_frame(page).evaluate("() => window.map.closePopup()")  # the last click's popup
        page.mouse.move(box["x"] + 5, box["y"] + box["height"] / 2)  # off the plot, then on
        page.mouse.move(*point, steps=4)
        try:
            tip.last.wait_for(state="visible", timeout=10_000)
            return tip.last.inner_text().strip()
        except Exception:
            if attempt == 2:
                raise
            wait_idle(page)
    raise AssertionError("unreachable")


def click(state: object) -> dict:
    """Click the next plot; seconds until a heading names it, and the full runs caused."""
    viewer, page, targets, turn = state  # type: ignore[misc]
    point = targets[turn[0] % len(targets)]
    turn[0] += 1
    code = plot_code_at(page, point)
    full = page.kcn_runs.full
    start = time.perf_counter()
    page.mouse.click(*point)
    page.wait_for_function(
        "code => [...document.querySelectorAll('h3')].some(h => h.textContent.includes(code))",
        arg=code, timeout=60_000, polling="raf")
    seconds = time.perf_counter() - start
    wait_idle(page)
    runs = page.kcn_runs
    # Where the wait goes: until the server starts the run, and until it has finished it.
    started = [t - start for t in runs.started if t > start]
    finished = [t - start for t in runs.finished if t > start]
    return {"seconds": seconds, "full_runs": runs.full - full,
            "run_start_s": started[0] if started else float("nan"),
            "run_end_s": finished[0] if finished else float("nan")}


def pan_setup(path: Path) -> object:
    viewer = Viewer(path)
    page = viewer.new_page()
    page.goto(viewer.base + "/park")
    wait_map(page)
    wait_idle(page)
    return viewer, page


def pan_zoom(state: object) -> dict:
    """Drag the map, zoom in with the wheel and back out; script runs it caused."""
    viewer, page = state  # type: ignore[misc]
    box = page.locator(MAP_FRAME).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    leaflet = map_frame(page)
    before = leaflet.evaluate("() => [window.map.getZoom(), window.map.getCenter().lng]")
    runs = page.kcn_runs.total
    script_runs.watch_map_updates(leaflet)
    start = time.perf_counter()
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y + 40, steps=8)
    page.mouse.up()
    page.mouse.wheel(0, -300)
    leaflet.wait_for_function("before => window.map.getZoom() > before[0]", arg=before,
                              timeout=60_000)
    script_runs.wait_map_update(leaflet)
    moved = leaflet.evaluate("() => [window.map.getZoom(), window.map.getCenter().lng]")
    page.mouse.wheel(0, 300)
    seconds = time.perf_counter() - start
    # Until streamlit-folium has handled the last move (a rerun it asks for is requested by
    # then) and every run it caused has finished.
    leaflet.wait_for_function("z => window.map.getZoom() < z", arg=moved[0], timeout=60_000)
    script_runs.wait_map_update(leaflet)
    wait_idle(page)
    if moved == before:
        raise RuntimeError("the map did not move: the gesture missed it")
    return {"seconds": seconds, "reruns": page.kcn_runs.total - runs}


def memory_setup(path: Path) -> object:
    viewer = Viewer(path)
    page = viewer.new_page()
    for url_path in ("/", "/park"):  # the shared caches: plan, basemap, maps of both pages
        page.goto(viewer.base + url_path)
        wait_map(page)
        wait_idle(page)
    page.context.close()
    return viewer


def memory(state: object) -> dict:
    """Server memory added by each of :data:`NEW_SESSIONS` new sessions on the park page."""
    viewer = state
    before = rss_mb(viewer.proc.pid)
    start = time.perf_counter()
    pages = []
    for _ in range(NEW_SESSIONS):
        page = viewer.new_page()
        page.goto(viewer.base + "/park")
        wait_map(page)
        wait_idle(page)
        pages.append(page)
    seconds = time.perf_counter() - start
    after = rss_mb(viewer.proc.pid)
    for page in pages:
        page.context.close()
    out: dict = {"seconds": seconds}
    if before is not None and after is not None:
        out["session_mb"] = max(0.0, after - before) / NEW_SESSIONS
    return out


if __name__ == "__main__":  # a quick look: python benchmarks/viewer_browser.py FILE.gpkg
    sys.path.insert(0, str(ROOT))
    data = Path(sys.argv[1])
    chosen = set(sys.argv[2:])
    for name, setup, run in (("overview", visible_setup("/"), visible),
                             ("park", visible_setup("/park"), visible),
                             ("click", click_setup, click), ("pan", pan_setup, pan_zoom),
                             ("memory", memory_setup, memory)):
        if chosen and name not in chosen:
            continue
        state = setup(data)
        print(name, [run(state) for _ in range(3)], flush=True)
        teardown(state)
