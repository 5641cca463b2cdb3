"""End to end, the investor journey in headless Chromium (network beyond loopback blocked):
a shared zero-result link in English explains itself, its nearest match runs with a click,
and a copied link opens, in a new session, in the language it was copied in.

Needs ``/usr/bin/chromium`` and the ``playwright`` package, like the viewer's browser test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from e2e_support import (
    ARTIFACTS,
    MAP_FRAME,
    offline_page,
    require_browser,
    viewer_server,
    wait_idle,
    watch_errors,
)

from gis_app.search.query import SearchQuery
from gis_app.settings import PROVINCES

# One worker runs every browser test, one after the other (see test_viewer_e2e.py).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

#: The issue's search: 30 ha within 40 km of Nội Bài with 1,000 m³/day of headroom.
NOI_BAI = SearchQuery(min_area_ha=30.0, min_headroom_m3_day=1000.0,
                      max_km_to=(("noibai", 40.0),))
EXCEPTION = '[data-testid="stException"]'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    data = PROVINCES["bac_ninh"].default_path
    assert data.exists(), f"{data} is shipped with the repository"
    with viewer_server(data, tmp_path_factory.mktemp("investor-e2e-log")) as base:
        yield base



@pytest.fixture
def browser() -> Iterator[tuple[object, list[str], list[str]]]:
    """A page, the URLs it was refused and the console errors of every page of its context."""
    with offline_page(height=2400) as (page, blocked):  # tall: the screenshots show it all
        errors = watch_errors(page)
        yield page, blocked, errors


def _link(params: dict[str, str]) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items())


def _lang_checked(page) -> str:  # noqa: ANN001
    """The language the sidebar's radio shows as chosen."""
    radio = page.locator('[data-testid="stSidebar"] [role="radiogroup"]').first
    return radio.locator("label:has(input:checked)").inner_text().strip()


def test_zero_result_link_in_english_explains_itself(browser, server):
    page, blocked, errors = browser
    page.goto(f"{server}/vacant_land?{_link({**NOI_BAI.to_params(), 'lang': 'en'})}")
    page.get_by_text("0 results", exact=True).wait_for(timeout=90_000)
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("Why nothing fits", exact=True).is_visible()
    text = main.inner_text()
    assert "No site meets these conditions." in text
    assert re.search(r"“at least 30 ha”: without it, \d+ sites \([\d,.]+ ha\) would match", text)
    assert "“within 40 km of Nội Bài airport”: without it, still no site would match." in text
    assert re.search(r"The largest contiguous vacant area under the other conditions is "
                     r"[\d.]+ ha: \d+ adjacent plots in ", text)
    assert "Relax “at least 30 ha” to “at least " in text
    assert "Không có" not in text and "kết quả" not in text  # English only
    assert _lang_checked(page) == "English"
    assert page.locator(EXCEPTION).count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "investor_zero_result_en.png"), full_page=True)
    # The nearest match runs with one click: results, a drawn map, the link still English.
    main.get_by_role("button", name="Use this search").click()
    heading = page.get_by_text(re.compile(r"^\d+ results?$"))
    heading.wait_for(timeout=90_000)
    wait_idle(page)
    assert int(heading.inner_text().split()[0]) > 0
    page.wait_for_selector(MAP_FRAME, state="attached", timeout=90_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    box = page.locator(MAP_FRAME).bounding_box()
    assert box is not None and box["height"] > 300
    query = parse_qs(urlsplit(page.url).query)
    assert query["lang"] == ["en"] and float(query["min_ha"][0]) < 30
    assert page.locator(EXCEPTION).count() == 0
    page.screenshot(path=str(ARTIFACTS / "investor_nearest_match_en.png"), full_page=True)
    assert not errors and not blocked, (errors, blocked)


def test_shared_link_opens_in_its_language(browser, server):
    page, blocked, errors = browser
    page.goto(f"{server}/vacant_land?min_ha=10&lang=en")
    heading = page.get_by_text(re.compile(r"^\d+ results?$"))
    heading.wait_for(timeout=90_000)
    wait_idle(page)
    count = heading.inner_text().split()[0]
    # The link in the address bar, opened by someone else (a new session), reads in English.
    shared = page.url
    assert parse_qs(urlsplit(shared).query)["lang"] == ["en"]
    other = page.context.new_page()
    other.goto(shared)
    other.get_by_text(re.compile(rf"^{count} results?$")).wait_for(timeout=90_000)
    wait_idle(other)
    assert other.get_by_role("heading", name="Vacant land (investors)").count() == 1
    assert _lang_checked(other) == "English"
    main = other.locator('[data-testid="stMain"]')
    assert main.get_by_text("Why each site fits", exact=True).count() == 1
    other.screenshot(path=str(ARTIFACTS / "investor_shared_link_en.png"), full_page=True)
    # Switched to Vietnamese, the address bar's link now opens in Vietnamese.
    other.locator('[data-testid="stSidebar"]').get_by_text("Tiếng Việt", exact=True).click()
    other.get_by_text(f"{count} kết quả", exact=True).wait_for(timeout=90_000)
    wait_idle(other)
    assert parse_qs(urlsplit(other.url).query)["lang"] == ["vi"]
    third = page.context.new_page()
    third.goto(other.url)
    third.get_by_text(f"{count} kết quả", exact=True).wait_for(timeout=90_000)
    wait_idle(third)
    assert _lang_checked(third) == "Tiếng Việt"
    assert third.get_by_text("Vì sao từng kết quả phù hợp", exact=True).count() == 1
    third.screenshot(path=str(ARTIFACTS / "investor_shared_link_vi.png"), full_page=True)
    for p in (page, other, third):
        assert p.locator(EXCEPTION).count() == 0
    assert not errors and not blocked, (errors, blocked)


def _leaflet(page):  # noqa: ANN001, ANN202
    """The results map's frame once Leaflet has drawn in it (st_folium's ``window.map``)."""
    page.wait_for_selector(MAP_FRAME, state="attached", timeout=90_000)
    page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(
        state="attached", timeout=60_000)
    # Until st_folium has set up its Leaflet map in the frame (a real condition, no poll).
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{MAP_FRAME}')].some("
        "f => f.contentWindow && f.contentWindow.map)", timeout=60_000)
    for frame in page.frames:
        if "streamlit_folium" in frame.url and frame.evaluate("() => !!window.map"):
            return frame
    raise AssertionError("the results map did not draw")


def _view(frame) -> tuple[float, float, int]:  # noqa: ANN001
    lat, lng, zoom = frame.evaluate(
        "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
    return lat, lng, zoom


def test_shared_link_keeps_the_map_view(browser, server):
    page, blocked, errors = browser
    page.goto(f"{server}/vacant_land?min_ha=10&lang=en")
    page.get_by_text(re.compile(r"^\d+ results?$")).wait_for(timeout=90_000)
    wait_idle(page)
    frame = _leaflet(page)
    # The map has settled on its results once it has written its view into the address bar
    # (it keeps the link's view there itself: map_view.VIEW_LINK_JS).
    page.wait_for_function("() => new URLSearchParams(location.search).has('map')",
                           timeout=60_000)
    zoom = _view(frame)[2]
    # The investor zooms in: the address bar's link takes the new view.
    page.frame_locator(MAP_FRAME).locator(".leaflet-control-zoom-in").click()
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('map')"
                           f"?.endsWith(',{zoom + 1}')", timeout=60_000)
    wait_idle(page)
    lat, lng, shown_zoom = (float(v) for v in parse_qs(urlsplit(page.url).query)["map"][0]
                            .split(","))
    assert shown_zoom == zoom + 1 and _view(frame)[2] == zoom + 1
    # Someone opening that link sees the same place at the same zoom, in English.
    other = page.context.new_page()
    other.goto(page.url)
    other.get_by_text(re.compile(r"^\d+ results?$")).wait_for(timeout=90_000)
    wait_idle(other)
    # The map fits its results first, then moves to the link's view (once the fit's animation
    # has ended): it must get there.
    other_map = _leaflet(other)
    other_map.wait_for_function(f"() => window.map.getZoom() === {zoom + 1}"
                                " && !window.map._animatingZoom", timeout=30_000)
    seen = _view(other_map)
    assert seen[2] == zoom + 1
    # The same place: within two screen pixels at that zoom (Leaflet centres on whole pixels,
    # and the second page's frame may differ from the first by a pixel).
    pixel = 360 / (256 * 2 ** (zoom + 1))  # degrees of longitude per pixel
    assert seen[0] == pytest.approx(lat, abs=2 * pixel) and seen[1] == pytest.approx(
        lng, abs=2 * pixel)
    other.screenshot(path=str(ARTIFACTS / "investor_shared_map_view_en.png"), full_page=True)
    for p in (page, other):
        assert p.locator(EXCEPTION).count() == 0
    assert not errors and not blocked, (errors, blocked)
