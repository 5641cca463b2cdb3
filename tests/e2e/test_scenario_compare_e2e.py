"""End to end: the Scenarios page's "baseline and scenario" maps of the shipped Ninh Bình
scenario, in headless Chromium with the network blocked, in Vietnamese and in English.

A person sees two maps side by side, each drawing the park; the scenario's changes outlined
in their own colours with a legend in the page's language; and the two views moving together.
No console error, no Streamlit exception. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from e2e_support import (
    ARTIFACTS,
    MAP_FRAME,
    offline_page,
    require_browser,
    viewer_server,
    wait_idle,
)

from gis_app.i18n import t
from gis_app.settings import PROVINCES
from gis_app.viewer.scenario_ui import CHANGE_COLOURS, CHANGE_WEIGHT
from gis_app.viewer.views import PageSpec, available

# One worker runs every browser test, one after the other (see test_viewer_e2e).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

SCENARIO = "ninh-binh-2024"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The viewer on a copy of the shipped Ninh Bình file (it holds the shipped scenario)."""
    require_browser()
    shipped = PROVINCES["ninh_binh"].default_path
    if not shipped.exists():
        pytest.fail(f"{shipped} is shipped with the repository and must exist")
    data = tmp_path_factory.mktemp("scenario-compare") / shipped.name
    shutil.copyfile(shipped, data)
    with viewer_server(data, tmp_path_factory.mktemp("scenario-compare-log")) as base:
        yield base


def _page_title(lang: str) -> str:
    [spec] = [s for s in available() if s.module == "scenarios"]
    assert isinstance(spec, PageSpec)
    return spec.title(lang)


def _maps(page, lang: str):  # noqa: ANN001, ANN202
    """The comparison frame, once every map frame has drawn and has its height."""
    from playwright.sync_api import TimeoutError as Timeout

    page.get_by_role("heading", name=t("scenario.side_by_side", lang)).wait_for(timeout=120_000)
    frames = page.locator(MAP_FRAME)
    frames.first.wait_for(state="attached", timeout=120_000)
    wait_idle(page)
    for i in range(frames.count()):
        inside = page.frame_locator(MAP_FRAME).nth(i)
        inside.locator(".kcn-legend").first.wait_for(state="attached", timeout=120_000)
        assert inside.locator("path.leaflet-interactive").count() > 50, i  # draws features
    try:  # streamlit-folium gives a frame its height once the map's script has run through
        page.wait_for_function(
            f"() => [...document.querySelectorAll('{MAP_FRAME}')]"
            ".every(f => f.getBoundingClientRect().height > 200)", timeout=60_000)
    except Timeout:
        pass  # the assertion below says which frame has none
    # Every map frame has a height on screen (the old page left the scenario's at 0 px).
    heights = [frames.nth(i).bounding_box()["height"] for i in range(frames.count())]
    assert heights and all(h > 200 for h in heights), heights
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator("#map_div2 .kcn-legend", has_text=t("scenario.changes", lang)).wait_for(
        state="attached", timeout=120_000)
    wait_idle(page)
    return frame


def _check(page, lang: str, errors: list[str]) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    frame = _maps(page, lang)
    assert page.locator('[data-testid="stException"]').count() == 0
    # The shipped scenario is the one chosen (the file has no other).
    expect(page.get_by_role("combobox", name=t("scenario.choose", lang))).to_have_value(
        re.compile(rf"\({re.escape(SCENARIO)}\)$"), timeout=60_000)
    # Two maps in the frame, side by side, each drawing the park's features.
    for side in ("#map_div", "#map_div2"):
        box = frame.locator(side).bounding_box()
        assert box is not None and box["height"] > 200 and box["width"] > 200, (side, box)
        assert frame.locator(f"{side} path.leaflet-interactive").count() > 50, side
    left, right = (frame.locator(s).bounding_box() for s in ("#map_div", "#map_div2"))
    assert left["x"] + left["width"] <= right["x"] + 1  # side by side, not stacked
    # The scenario's changes: heavy outlines in the change colours on the scenario map only.
    for change in ("added", "changed"):
        styled = (f'path.leaflet-interactive[stroke="{CHANGE_COLOURS[change]}"]'
                  f'[stroke-width="{CHANGE_WEIGHT}"]')
        assert frame.locator(f"#map_div2 {styled}").count() > 0, change
        assert frame.locator(f"#map_div {styled}").count() == 0, change
    legend = frame.locator("#map_div2 .kcn-legend",
                           has_text=t("scenario.changes", lang)).inner_text()
    assert t("scenario.change_added", lang) in legend
    assert t("scenario.change_changed", lang) in legend
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"viewer_scenarios_compare_{lang}.png"), full_page=True)
    _views_follow_each_other(page, frame)
    assert errors == [], errors


#: A map's view as ``[lat, lng, zoom]``, and whether the two maps show the same view (to
#: about a pixel: each map computes its centre back from its own pixel origin).
VIEW = "m => { const c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; }"
SAME_VIEW = ("const v = m => [m.getCenter().lat, m.getCenter().lng, m.getZoom()];"
             "const a = v(map_div), b = v(map_div2);"
             "const same = Math.abs(a[0] - b[0]) < 1e-5 && Math.abs(a[1] - b[1]) < 1e-5"
             " && a[2] === b[2];")


def _views_follow_each_other(page, frame) -> None:  # noqa: ANN001
    """Drag the scenario map, then zoom in on the baseline map: the other map follows."""
    inner = page.locator(MAP_FRAME).first.element_handle().content_frame()
    before = inner.evaluate(f"({VIEW})(map_div2)")
    assert inner.evaluate(f"() => {{ {SAME_VIEW} return same; }}")  # both open on one view
    right = frame.locator("#map_div2").bounding_box()
    assert right is not None
    x, y = right["x"] + right["width"] * 0.5, right["y"] + right["height"] * 0.5
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 120, y - 80, steps=10)
    page.mouse.up()
    # The right map moved (inertia may carry it on a little), and the left one with it.
    inner.wait_for_function(
        f"start => {{ {SAME_VIEW} return same && Math.abs(start[1] - a[1]) > 1e-4; }}", arg=before,
        timeout=60_000)
    zoom = inner.evaluate(f"({VIEW})(map_div)")[2]
    frame.locator("#map_div .leaflet-control-zoom-in").click()
    inner.wait_for_function(f"z => {{ {SAME_VIEW} return same && b[2] === z; }}",
                            arg=zoom + 1, timeout=60_000)


def test_baseline_and_scenario_maps_in_both_languages(server: str) -> None:
    errors: list[str] = []
    with offline_page(height=1600) as (page, blocked):
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        page.set_default_timeout(120_000)
        page.goto(server)  # the root, as a person opens it; then the page's link
        wait_idle(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_role("link", name=_page_title("vi")).click()
        page.get_by_role("heading", name=t("scenario.title", "vi")).wait_for()
        try:
            _check(page, "vi", errors)
            sidebar.get_by_text("English", exact=True).click()
            page.get_by_role("heading", name=t("scenario.title", "en")).wait_for()
            _check(page, "en", errors)
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "viewer_scenarios_compare_failed.png"),
                            full_page=True)
            raise
    assert blocked == []

