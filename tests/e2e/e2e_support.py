"""What the browser tests share: the system Chromium, the network guard and a viewer server.

A uniquely named module (the test folders are not packages), imported by the e2e tests.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from gis_app.viewer import launch, script_runs
from gis_app.viewer.script_runs import ScriptRuns

__all__ = ["ScriptRuns"]  # re-exported: the run counter the tests and the benchmark share

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("KCN_GIS_CHROMIUM", "/usr/bin/chromium"))
#: No background networking: the machine's closed network refuses those connections.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: Requests that may pass the guard: the app itself on this machine.
LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/")


def missing(reason: str) -> None:
    """Skip on a workstation; fail in CI, so a broken CI image cannot hide the browser test."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: the browser test must run in CI (install it in .ci/run)")
    pytest.skip(reason)


def require_browser() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the playwright Python package is not installed")
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} not found (apt-get install chromium)")


@contextlib.contextmanager
def viewer_server(data: Path, log_dir: Path, env_extra: dict[str, str] | None = None
                  ) -> Iterator[str]:
    """``streamlit run`` the viewer on ``data`` at a free localhost port; yields its URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = launch.environment([data])
    env.update(env_extra or {})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    log = (log_dir / "streamlit.log").open("w+")
    proc = subprocess.Popen(launch.command(port=port, address="127.0.0.1"), env=env,
                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"streamlit did not start:\n{log.read()[-3000:]}")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextlib.contextmanager
def offline_page(height: int = 1100) -> Iterator[tuple[object, list[str]]]:
    """A page in headless Chromium that may reach only this machine.

    Yields the page and the list of every other URL it tried (each was refused), so a test
    can assert that nothing needed the network.
    """
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def guard(route) -> None:  # noqa: ANN001
        url = route.request.url
        if LOCAL.match(url) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS,
                                    headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": height})
        context.route("**/*", guard)
        # Every page of the context counts its script runs (what wait_idle waits on).
        context.on("page", runs_of)
        try:
            yield context.new_page(), blocked
        finally:
            browser.close()


#: Opened at a page's own URL (``/vacant_land?...``), Streamlit's frontend first probes its
#: server under that path, gets 404 and falls back to the root: not an error of the app.
HEALTH_PROBE = re.compile(r"/[\w-]+/_stcore/(host-config|health)$")


def watch_errors(page, *, dialogs: bool = False) -> list[str]:  # noqa: ANN001
    """The console errors and uncaught exceptions of ``page`` and of every page later opened
    in its context (``dialogs``: also each alert or prompt, dismissed), as they happen."""
    errors: list[str] = []

    def console(message) -> None:  # noqa: ANN001
        if message.type == "error" and not HEALTH_PROBE.search(message.location.get("url", "")):
            errors.append(f"{message.text} ({message.location.get('url')})")

    def watch(p) -> None:  # noqa: ANN001
        p.on("console", console)
        p.on("pageerror", lambda e: errors.append(str(e)))
        if dialogs:
            p.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))

    watch(page)
    page.context.on("page", watch)
    return errors


def runs_of(page) -> ScriptRuns:  # noqa: ANN001
    """The script runs of ``page`` (counted from its first request on)."""
    runs = getattr(page, "kcn_runs", None)
    if runs is None:
        runs = page.kcn_runs = ScriptRuns().watch(page)
    return runs


def wait_idle(page) -> None:  # noqa: ANN001
    """Wait until the app has finished rerunning: every rerun the page requested has run
    and finished, and Streamlit's running indicator is gone (:mod:`gis_app.viewer.script_runs`;
    no fixed sleep)."""
    script_runs.wait_idle(page, runs_of(page))


def until(page, act, outcome, tries: int = 3, timeout: int = 60_000,  # noqa: ANN001
          settle: bool = False) -> None:
    """Do ``act`` until ``outcome`` (a locator) is visible.

    On a loaded machine a click can land while the app is still rerunning from the previous
    step; Streamlit then drops it. Each step therefore waits for what it should show and, if
    that does not come, waits for the app to go idle and acts again. ``settle``: also wait
    for the app to go idle once the outcome shows (the next step reads a finished page).
    """
    for attempt in range(tries):
        if attempt and outcome.first.is_visible():
            return  # the previous attempt did land, only late
        act()
        try:
            outcome.first.wait_for(timeout=timeout)
            if settle:
                wait_idle(page)
            return
        except Exception:
            if attempt == tries - 1:
                raise
            wait_idle(page)


def plot_point(page, min_px: float = 8) -> tuple[float, float]:  # noqa: ANN001
    """The middle of a plot drawn at least ``min_px`` wide and high, nearest the first map's
    centre (away from the legend and the layer control in its corners)."""
    from gis_app.symbology import PLOT_STATUS_COLOURS

    box = page.locator(MAP_FRAME).first.bounding_box()
    fills = ",".join(f'path.leaflet-interactive[fill="{c}"]' for c in PLOT_STATUS_COLOURS.values())
    plots = page.frame_locator(MAP_FRAME).first.locator(fills)
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    points = []
    for i in range(min(plots.count(), 300)):
        b = plots.nth(i).bounding_box()
        if b and b["width"] > min_px and b["height"] > min_px:
            x, y = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
            if box["x"] + 60 < x < box["x"] + box["width"] - 200 and \
                    box["y"] + 60 < y < box["y"] + box["height"] - 120:
                points.append((x, y))
    assert points, "no plot is drawn large enough to click"
    return min(points, key=lambda p: (p[0] - centre[0]) ** 2 + (p[1] - centre[1]) ** 2)


def read_grid(page, grid):  # noqa: ANN001, ANN201
    """What a data grid holds, read through its own "Download as CSV" button (the grid draws
    on a canvas: its cells are not in the page's text).

    The button sits in a toolbar that shows only while the pointer is over the grid and fades
    in; on a loaded machine a pointer click can land while it is still fading, or after the
    page has scrolled the pointer off the grid, and the grid's scroller takes it. So the grid
    is scrolled into view and hovered, and the button, once shown, gets its click event
    directly (the same handler a pointer click reaches).
    """
    import pandas as pd

    grid.wait_for(timeout=60_000)
    grid.scroll_into_view_if_needed()
    grid.hover()
    button = grid.get_by_role("button", name="Download as CSV")
    button.wait_for(state="attached", timeout=60_000)
    with page.expect_download(timeout=60_000) as download:
        button.dispatch_event("click")
    return pd.read_csv(download.value.path(), encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)
