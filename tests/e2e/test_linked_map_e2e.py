"""End to end (issue 16): tables linked to their maps, locating by code, and a permalink of
the map view, in headless Chromium with the network beyond loopback blocked, in Vietnamese
and English.

What a reader sees is asserted: the highlighted shapes drawn in the map's frame
(``path.kcn-highlight``, :data:`gis_app.viewer.map_view.HIGHLIGHT_CLASS`) and whether they lie
in the map's view, the map's zoom, the rows the grid marks selected (its accessible table's
``aria-selected``), the plot card's heading and the messages.

Needs ``/usr/bin/chromium`` and the ``playwright`` package, like the viewer's browser test.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from e2e_support import (
    ARTIFACTS,
    MAP_FRAME,
    ScriptRuns,
    offline_page,
    require_browser,
    wait_idle,
    watch_errors,
)

from gis_app.i18n import t
from gis_app.symbology import PLOT_STATUS_COLOURS
from gis_app.testing.hostile import IMG
from gis_app.viewer.indicators import label
from gis_app.viewer.map_view import HIGHLIGHT_CLASS
from gis_app.viewer.maps import RESULT_COLOUR

# One worker runs every browser test, one after the other (see test_viewer_e2e.py).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

PARK = "BG03"  # KCN Đình Trám of the Bắc Ninh sample: 81 plots, not the first park
HIGHLIGHT = f"path.{HIGHLIGHT_CLASS}"
GRID = '[data-testid="stDataFrame"]'
EXCEPTION = '[data-testid="stException"]'


@pytest.fixture
def browser(server) -> Iterator[tuple[object, list[str], list[str]]]:
    """A page, the URLs it was refused and the console errors and dialogs of its context."""
    require_browser()
    with offline_page() as (page, blocked):
        errors = watch_errors(page, dialogs=True)
        page.runs = ScriptRuns(page)  # type: ignore[attr-defined]
        yield page, blocked, errors


def _open(page, url: str):  # noqa: ANN001, ANN202
    """Open ``url``; once its map is drawn and the app idle, the map's frame."""
    page.goto(url)
    page.wait_for_function(
        f"() => {{ const f = document.querySelector('{MAP_FRAME}');"
        " return f && f.getBoundingClientRect().height > 300 && f.contentDocument &&"
        " f.contentDocument.querySelector('path.leaflet-interactive') !== null &&"
        " f.contentWindow.map !== undefined; }", timeout=120_000)
    wait_idle(page)
    return page.locator(MAP_FRAME).element_handle().content_frame()


def _view(frame) -> tuple[float, float, int]:  # noqa: ANN001
    return tuple(frame.evaluate(  # type: ignore[return-value]
        "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"))


def _highlighted(page, n: int) -> None:  # noqa: ANN001
    """Wait until the map draws ``n`` highlighted shapes."""
    page.wait_for_function(
        f"() => {{ const f = document.querySelector('{MAP_FRAME}');"
        f" return f && f.contentDocument &&"
        f" f.contentDocument.querySelectorAll('{HIGHLIGHT}').length === {n}; }}",
        timeout=60_000)


def _in_view(page) -> bool:  # noqa: ANN001
    """Every highlighted shape lies within the map's frame (the map shows them)."""
    box = page.locator(MAP_FRAME).bounding_box()
    shapes = page.frame_locator(MAP_FRAME).locator(HIGHLIGHT)
    for i in range(shapes.count()):
        b = shapes.nth(i).bounding_box()
        if b is None or not (box["x"] <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"]
                             and box["y"] <= b["y"]
                             and b["y"] + b["height"] <= box["y"] + box["height"]):
            return False
    return shapes.count() > 0


def _grid(page, header: str):  # noqa: ANN001, ANN202
    """The data grid whose columns include ``header``."""
    return page.locator(GRID).filter(has=page.locator("th", has_text=header)).first


def _tick(page, grid, row: int) -> None:  # noqa: ANN001
    """Tick the selection box of the grid's ``row`` (drawn on the canvas, left of the row)."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 36 + 35 * row + 17)


def _selected(grid) -> list[str]:  # noqa: ANN001
    """The first cell of every row the grid marks selected."""
    return grid.locator('tr[aria-selected="true"] td[aria-colindex="1"]').all_inner_texts()


def _card(page, lang: str, code: str):  # noqa: ANN001, ANN202
    return page.locator("h3", has_text=f"{t('plot_card', lang)} {code}")


def _query(page) -> dict[str, list[str]]:  # noqa: ANN001
    return parse_qs(urlsplit(page.url).query)


def _clickable(page, fills: list[str], avoid: set[str]) -> tuple[float, float, str]:  # noqa: ANN001
    """A point of the map (away from its corners' controls and legend) on a drawn shape of
    ``fills``, and the code its tooltip names, which is none of ``avoid``."""
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    box = page.locator(MAP_FRAME).bounding_box()
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    points = [(box["x"] + fx / 20 * box["width"], box["y"] + fy / 20 * box["height"])
              for fx in range(2, 15) for fy in range(3, 16)]
    shapes = page.frame_locator(MAP_FRAME).locator(
        ",".join(f'path.leaflet-interactive[fill="{c}"]' for c in fills))
    for i in range(min(shapes.count(), 100)):  # small shapes the grid of points may miss
        b = shapes.nth(i).bounding_box()
        if b and b["width"] > 3 and b["height"] > 3:
            x, y = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
            if box["x"] + 0.1 * box["width"] < x < box["x"] + 0.75 * box["width"] and \
                    box["y"] + 0.15 * box["height"] < y < box["y"] + 0.8 * box["height"]:
                points.append((x, y))
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    points.sort(key=lambda p: (p[0] - centre[0]) ** 2 + (p[1] - centre[1]) ** 2)
    tooltip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip").last
    for x, y in points:
        fill = frame.evaluate(
            "([x, y]) => { const e = document.elementFromPoint(x, y);"
            " return e && e.classList.contains('leaflet-interactive') ?"
            " e.getAttribute('fill') : null; }", [x - box["x"], y - box["y"]])
        if fill not in fills:
            continue
        page.mouse.move(x, y)
        try:
            tooltip.wait_for(state="visible", timeout=5_000)
        except Exception:  # noqa: BLE001 - no tooltip came: the next point
            continue
        code = tooltip.inner_text().strip()
        if code and code not in avoid:
            return x, y, code
    raise AssertionError("no shape to click on the map")


def _shot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_rows_highlight_and_zoom_and_a_map_click_selects_its_row(browser, server, lang):
    page, blocked, errors = browser
    frame = _open(page, f"{server}/park?park={PARK}&lang={lang}")
    zoom = _view(frame)[2]
    grid = _grid(page, label("plot_code", lang))
    assert page.frame_locator(MAP_FRAME).locator(HIGHLIGHT).count() == 0
    # Two rows ticked: both plots highlighted, the map zoomed in to show them.
    _tick(page, grid, 2)
    _highlighted(page, 1)
    wait_idle(page)
    _tick(page, grid, 4)
    _highlighted(page, 2)
    wait_idle(page)
    codes = [f"{PARK}-A003", f"{PARK}-A005"]
    assert _selected(grid) == codes
    assert _view(frame)[2] > zoom, "the map did not zoom to the selected plots"
    assert _in_view(page), "a selected plot is outside the map's view"
    _card(page, lang, codes[1]).wait_for(timeout=60_000)  # the card of the row added last
    assert _query(page)["plot"] == codes
    _shot(page, f"linked_rows_{lang}.png")
    # A click on another plot on the map selects its row (and only it) and shows its card,
    # rerunning the map's fragment only; the map stays where it is.
    zoom = _view(frame)[2]
    fills = list(PLOT_STATUS_COLOURS.values())
    x, y, code = _clickable(page, fills, set(codes))
    full = page.runs.full
    page.mouse.click(x, y)
    _card(page, lang, code).wait_for(timeout=60_000)
    _highlighted(page, 1)
    wait_idle(page)
    assert _selected(grid) == [code]
    assert _view(frame)[2] == zoom
    assert page.runs.full == full, "the click reran the whole page"
    assert _query(page)["plot"] == [code]
    assert page.locator(EXCEPTION).count() == 0
    _shot(page, f"linked_map_click_{lang}.png")
    assert not errors and not blocked, (errors, blocked)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_locate_a_plot_or_park_by_code_or_name(browser, server, lang):
    page, blocked, errors = browser
    _open(page, f"{server}/park?lang={lang}")
    box = page.get_by_label(t("park.locate", lang))
    park_box = page.get_by_role("combobox", name=t("choose_park", lang))
    # A plot of another park, typed in lower case: its park, its card, highlighted in view.
    code = f"{PARK}-A006"
    box.fill(code.lower())
    box.press("Enter")
    _card(page, lang, code).wait_for(timeout=90_000)
    _highlighted(page, 1)
    wait_idle(page)
    assert park_box.input_value().endswith(f"({PARK})")
    assert _in_view(page)
    assert _selected(_grid(page, label("plot_code", lang))) == [code]
    assert box.input_value() == ""
    _shot(page, f"linked_locate_plot_{lang}.png")
    # A park by its name without diacritics: that park, nothing selected.
    box.fill("que vo")
    box.press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('input[role=combobox]')]"
        ".some(i => i.value.endsWith('(BN06)'))", timeout=90_000)
    wait_idle(page)
    assert page.frame_locator(MAP_FRAME).locator(HIGHLIGHT).count() == 0
    # Unknown, hostile text: said in the page's language, shown as the characters typed; the
    # map stays as it was drawn (the message does not move it, which would mount it anew).
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    frame.evaluate("() => { window.kcnKept = true; }")
    box.fill(IMG)
    box.press("Enter")
    message = t("park.locate_unknown", lang, text=IMG)
    page.get_by_text(message, exact=True).wait_for(timeout=60_000)
    wait_idle(page)
    assert park_box.input_value().endswith("(BN06)")
    assert page.locator(MAP_FRAME).element_handle().content_frame().evaluate(
        "() => window.kcnKept === true && !!window.map"), "the map was drawn anew"
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator(EXCEPTION).count() == 0
    _shot(page, f"linked_locate_unknown_{lang}.png")
    assert not errors and not blocked, (errors, blocked)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_copied_link_opens_the_same_view_and_selection(browser, server, lang):
    page, blocked, errors = browser
    frame = _open(page, f"{server}/park?park={PARK}&lang={lang}")
    grid = _grid(page, label("plot_code", lang))
    _tick(page, grid, 7)
    _highlighted(page, 1)
    wait_idle(page)
    code = _selected(grid)[0]
    # The reader zooms in once more: the address bar takes the new view.
    zoom = _view(frame)[2]
    page.frame_locator(MAP_FRAME).locator(".leaflet-control-zoom-in").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('map')"
                           f"?.endsWith(',{zoom + 1}')", timeout=60_000)
    wait_idle(page)
    lat, lng, _ = (float(v) for v in _query(page)["map"][0].split(","))
    assert _query(page)["plot"] == [code] and _query(page)["lang"] == [lang]
    # Someone opening the link (a new session) sees the same park, plot, view and language.
    other = page.context.new_page()
    seen = _view(_open(other, page.url))
    _highlighted(other, 1)
    _card(other, lang, code).wait_for(timeout=60_000)
    assert seen[2] == zoom + 1
    pixel = 360 / (256 * 2 ** (zoom + 1))  # degrees of longitude per screen pixel
    assert seen[0] == pytest.approx(lat, abs=2 * pixel)
    assert seen[1] == pytest.approx(lng, abs=2 * pixel)
    # The grid marks its rows a moment after the run has ended (and no run follows a link's
    # any more: its map returns nothing until it is clicked).
    other_grid = _grid(other, label("plot_code", lang))
    other_grid.locator('tr[aria-selected="true"] td[aria-colindex="1"]').first.wait_for(
        state="attached", timeout=60_000)
    assert _selected(other_grid) == [code]
    assert other.get_by_role("combobox", name=t("choose_park", lang)).input_value() \
        .endswith(f"({PARK})")
    radio = other.locator('[data-testid="stSidebar"] [role="radiogroup"]').first
    assert radio.locator("label:has(input:checked)").inner_text().strip() == \
        ("Tiếng Việt" if lang == "vi" else "English")
    assert other.locator(EXCEPTION).count() == 0
    _shot(other, f"linked_permalink_{lang}.png")
    assert not errors and not blocked, (errors, blocked)


def test_investor_results_and_map_are_linked(browser, server):
    page, blocked, errors = browser
    frame = _open(page, f"{server}/vacant_land?min_ha=10&lang=en")
    grid = _grid(page, label("plot_codes", "en"))
    # A click on a result on the map selects its row.
    view = _view(frame)
    x, y, codes = _clickable(page, [RESULT_COLOUR], set())
    page.mouse.click(x, y)
    page.wait_for_function(
        "(codes) => [...document.querySelectorAll('tr[aria-selected=\"true\"] "
        "td[aria-colindex=\"1\"]')].some(td => td.innerText.trim() === codes)", arg=codes,
        timeout=90_000)
    _highlighted(page, 1)
    wait_idle(page)
    # (the popup the click opens may pan the map; it does not zoom to the site)
    assert _selected(grid) == [codes] and _view(frame)[2] == view[2]
    view = _view(frame)
    # Ticking another row highlights both sites and brings them into view.
    rows = grid.locator('tr td[aria-colindex="1"]').all_inner_texts()
    other = next(i for i, text in enumerate(rows[:8]) if text != codes)
    _tick(page, grid, other)
    _highlighted(page, 2)
    wait_idle(page)
    assert set(_selected(grid)) == {codes, rows[other]}
    assert _in_view(page) and _view(frame) != view
    assert page.locator(EXCEPTION).count() == 0
    _shot(page, "linked_investor_en.png")
    assert not errors and not blocked, (errors, blocked)
