"""End to end: a plot click reruns only the map and its card, and pan or zoom never the page.

Script runs are counted on Streamlit's own websocket (:class:`e2e_support.ScriptRuns`): each
run starts with a ``new_session`` message naming the fragments it reruns, none for a full
run of the page. A full run is what made a click wait a second or more for its card.
"""

from __future__ import annotations

import pytest
from e2e_support import (
    MAP_FRAME,
    offline_page,
    plot_point,
    require_browser,
    runs_of,
    wait_idle,
)

from gis_app.viewer.script_runs import wait_map_update, watch_map_updates

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]




@pytest.fixture
def page(server):
    require_browser()
    with offline_page() as (page, _blocked):
        page.runs = runs_of(page)  # type: ignore[attr-defined]
        yield page


def _open(page, url: str) -> None:  # noqa: ANN001
    """Open ``url`` and wait until its map is drawn and the app is idle."""
    page.goto(url)
    page.wait_for_function(
        f"() => {{ const f = document.querySelector('{MAP_FRAME}');"
        " return f && f.getBoundingClientRect().height > 300 && f.contentDocument &&"
        " f.contentDocument.querySelector('.kcn-legend') !== null; }", timeout=120_000)
    wait_idle(page)


def _leaflet(page):  # noqa: ANN001, ANN202
    return page.locator(MAP_FRAME).element_handle().content_frame()


def test_plot_click_reruns_only_the_map_and_card(page, server):
    _open(page, f"{server}/park")
    point = plot_point(page)
    page.mouse.move(*point)
    tooltip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip").last
    tooltip.wait_for(state="visible", timeout=30_000)
    code = tooltip.inner_text().strip()
    # An element outside the map's fragment, marked: a rebuilt page would replace it.
    page.evaluate("() => { document.querySelector('h1').dataset.kcnMark = 'kept'; }")
    runs = page.runs
    full, fragment = runs.full, runs.fragment
    page.mouse.click(*point)
    heading = page.locator("h3", has_text=code)
    heading.wait_for(timeout=60_000)
    wait_idle(page)
    card = page.locator('[data-testid="stTable"]').first.inner_text()
    # What an officer needs to read, in the page's language (public mode: no tenant).
    for row in ("Khu công nghiệp", "Mục đích sử dụng đất", "Diện tích (ha)", "Tình trạng",
                "Số quyết định/văn bản"):
        assert row in card, (row, card)
    assert "(BN" in card or "(BG" in card  # the park's name and code
    assert "Doanh nghiệp thuê" not in card
    # One run: the click alone (the popup's pan to itself returns nothing), sent by the map
    # at once (map_view.CLICK_NOW_JS), not after streamlit-folium's 250 ms pause.
    assert runs.fragment == fragment + 1, f"{runs.fragment - fragment} fragment runs"
    assert _leaflet(page).evaluate("() => window.kcnClicksSent") == 1
    assert runs.full == full, f"the click reran the whole page ({runs.full - full} runs)"
    assert page.evaluate("() => document.querySelector('h1').dataset.kcnMark") == "kept"


@pytest.mark.parametrize("url_path", ["/", "/park", "/vacant_land?min_ha=10&lang=en"])
def test_pan_and_zoom_never_rerun(page, server, url_path):
    """Pan and zoom rerun no script, on any page; the park page's and the investor's maps
    write the new view into the address bar themselves (the page's link)."""
    _open(page, f"{server}{url_path}")
    runs_before = page.runs.total
    view = _pan_and_zoom(page)
    assert page.runs.total == runs_before, "pan/zoom reran the script"
    if url_path != "/":
        lat, lng, zoom = (float(v) for v in page.evaluate(
            "() => new URLSearchParams(location.search).get('map')").split(","))
        assert (zoom, lng, lat) == pytest.approx(view, abs=1e-5)


def _pan_and_zoom(page) -> list[float]:  # noqa: ANN001
    """Drag the map and zoom in with the wheel; the view after (zoom, lng, lat), once the
    app is idle again and nothing has moved the map back."""
    box = page.locator(MAP_FRAME).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    leaflet = _leaflet(page)
    view = "() => [window.map.getZoom(), window.map.getCenter().lng, window.map.getCenter().lat]"
    before = leaflet.evaluate(view)
    watch_map_updates(leaflet)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 150, y + 60, steps=10)
    page.mouse.up()
    page.mouse.wheel(0, -400)
    # Until the map has settled and streamlit-folium has compared its returned objects after
    # the last move (a rerun it asks for is requested by then): no fixed sleep.
    leaflet.wait_for_function("before => window.map.getZoom() > before[0]", arg=before,
                              timeout=60_000)
    wait_map_update(leaflet)
    after = leaflet.evaluate(view)
    assert after[0] > before[0] and after[1] != before[1], (before, after)  # the map moved
    wait_idle(page)
    assert leaflet.evaluate(view) == after  # and nothing redrew the map at another view
    return after


def test_a_park_map_drawn_anew_opens_where_the_reader_left_it(page, server):
    """The park map keeps its view in the address bar itself (no run tells the app of a
    pan): drawn anew in another colouring, it opens at the view the reader left it at."""
    from gis_app.i18n import t

    _open(page, f"{server}/park")
    zoom, lng, lat = _pan_and_zoom(page)
    page.get_by_role("radiogroup", name=t("colour_by", "vi")).get_by_text(
        t("by_land_use", "vi"), exact=True).click()
    page.wait_for_function(
        f"title => {{ const f = document.querySelector('{MAP_FRAME}');"
        " const l = f && f.contentDocument && f.contentDocument.querySelector('.kcn-legend');"
        " return l !== null && l.textContent.startsWith(title) && !!f.contentWindow.map; }",
        arg=t("by_land_use", "vi"), timeout=120_000)
    wait_idle(page)
    seen = _leaflet(page).evaluate(
        "() => [window.map.getZoom(), window.map.getCenter().lng, window.map.getCenter().lat]")
    pixel = 360 / (256 * 2 ** zoom)  # degrees of longitude per screen pixel
    assert seen[0] == zoom
    assert seen[1] == pytest.approx(lng, abs=2 * pixel)
    assert seen[2] == pytest.approx(lat, abs=2 * pixel)
