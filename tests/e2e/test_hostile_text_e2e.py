"""End to end: the viewer opened on a province file full of hostile names, clicked through as
an officer in headless Chromium, runs none of it and loads nothing.

Every park, plot, plant and tenant of a copy of the Ninh Bình sample is named with markup
(``<img src=x onerror=alert(1)>``, ``<script>``, ``"><svg onload=...>``), Markdown that fetches
an image and a spreadsheet formula (:mod:`gis_app.testing.hostile`). The officer opens the
overview (a park's popup), the park page (a plot's popup and card, which names its tenant), the
vacant-land search (a result's popup) and the data page. No dialog may open, no request may
leave this machine or ask for the ``x`` of ``src=x``, no script may set ``window.__pwned``, and
the hostile names must be on screen as the characters they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import (
    ARTIFACTS,
    MAP_FRAME,
    offline_page,
    require_browser,
    until,
    viewer_server,
    wait_idle,
)

from gis_app.settings import PROVINCES
from gis_app.symbology import PLOT_STATUS_COLOURS
from gis_app.testing.hostile import HOSTILE, IMG, MARKUP, write_hostile_province
from gis_app.viewer.auth import add_officer

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

OFFICER, PASSWORD = "lan", "mật-khẩu-đúng"
#: A request for the ``x`` of ``<img src=x>``: resolved against the page, so it is local.
X_REQUEST = re.compile(r"/x(\?|$)")


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("hostile-e2e")
    auth = folder / "officers.toml"
    add_officer(OFFICER, PASSWORD, auth)
    source = PROVINCES["ninh_binh"].default_path
    if not source.exists():
        pytest.skip(f"{source} is not built (kcn-gis sample)")
    return write_hostile_province(source, folder / "ninh_binh_hostile.gpkg"), auth


@pytest.fixture(scope="module")
def server(hostile_file: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[str]:
    require_browser()
    path, auth = hostile_file
    with viewer_server(path, tmp_path_factory.mktemp("hostile-e2e-log"),
                       {"KCN_GIS_AUTH_FILE": str(auth)}) as base:
        yield base



def _map(page):  # noqa: ANN001, ANN202
    page.wait_for_selector(MAP_FRAME, state="attached", timeout=90_000)
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator(".kcn-legend").wait_for(state="attached", timeout=60_000)
    return frame


def _click_feature(page, frame, selector: str) -> str:  # noqa: ANN001
    """Click the drawn feature matching ``selector`` nearest the map's middle (away from the
    legend and layer control) and return the text of the popup it opens."""
    inside = page.locator(MAP_FRAME).first.bounding_box()
    assert inside is not None
    middle = (inside["x"] + inside["width"] / 2, inside["y"] + inside["height"] / 2)
    paths = frame.locator(selector)
    popup = frame.locator(".leaflet-popup-content")
    for attempt in range(3):
        wait_idle(page)
        boxes = [paths.nth(i).bounding_box() for i in range(min(paths.count(), 300))]
        boxes = [b for b in boxes if b and b["width"] > 6 and b["height"] > 6
                 and inside["x"] < b["x"] and b["x"] + b["width"] < inside["x"] + inside["width"]
                 and inside["y"] < b["y"] and b["y"] + b["height"] < inside["y"] + inside["height"]]
        assert boxes, f"nothing drawn large enough to click: {selector}"
        box = min(boxes, key=lambda b: (b["x"] + b["width"] / 2 - middle[0]) ** 2
                  + (b["y"] + b["height"] / 2 - middle[1]) ** 2)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            popup.first.wait_for(timeout=20_000)
            return popup.first.inner_text()
        except Exception:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _go(page, title: str, outcome) -> None:  # noqa: ANN001
    """Open a page from the sidebar's navigation (the session, and its login, stay)."""
    nav = page.locator('[data-testid="stSidebarNav"]')
    until(page, lambda: nav.get_by_role("link", name=title).click(), outcome, timeout=90_000)
    wait_idle(page)


def test_hostile_names_stay_text_for_an_officer(server) -> None:  # noqa: ANN001
    dialogs: list[str] = []
    requested: list[str] = []
    with offline_page(height=1400) as (page, blocked):
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requested.append(r.url))
        page.set_default_timeout(120_000)
        try:
            seen = _walk_through(page, server)
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "viewer_hostile_failed.png"), full_page=True)
            raise
        pwned = [f.url for f in page.frames if f.evaluate("() => window.__pwned !== undefined")]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "viewer_hostile.png"), full_page=True)
    assert dialogs == [], f"script ran: {dialogs}"
    assert pwned == [], f"a <script> ran in {pwned}"
    assert blocked == [], f"the page tried to load from outside: {blocked}"
    assert not [u for u in requested if X_REQUEST.search(u)], "an <img src=x> was loaded"
    # The hostile names were on screen, as their characters.
    overview_popup, park_popup, card, vacant_popup = seen
    assert any(f"{h} KCN" in overview_popup for h in MARKUP), overview_popup
    assert any(h in park_popup for h in HOSTILE), park_popup
    assert any(h in card for h in HOSTILE), card
    assert any(f"{h} Co " in card for h in HOSTILE), card  # the officer sees the tenant
    assert any(h in vacant_popup for h in HOSTILE), vacant_popup


def _walk_through(page, server: str) -> tuple[str, str, str, str]:  # noqa: ANN001
    """Log in, then overview -> park -> vacant land -> data; the popups' and card's text."""
    page.goto(f"{server}/")
    sidebar = page.locator('[data-testid="stSidebar"]')
    until(page, lambda: sidebar.get_by_text("Cán bộ").click(),
           sidebar.get_by_label("Tên đăng nhập"))
    wait_idle(page)

    def login() -> None:
        sidebar.get_by_label("Tên đăng nhập").fill(OFFICER)
        sidebar.get_by_label("Mật khẩu").fill(PASSWORD)
        sidebar.get_by_role("button", name="Đăng nhập").click()

    until(page, login, sidebar.get_by_role("button", name="Đăng xuất"))
    wait_idle(page)
    overview = _click_feature(page, _map(page), "path.leaflet-interactive[fill-opacity='0.75']")

    _go(page, "Khu công nghiệp", page.locator(MAP_FRAME))
    frame = _map(page)
    leased = PLOT_STATUS_COLOURS["leased"]  # a leased plot: its card names the tenant
    park_popup = _click_feature(page, frame, f"path.leaflet-interactive[fill='{leased}']")
    card = page.locator('[data-testid="stTable"]')
    card.first.wait_for(timeout=60_000)
    wait_idle(page)
    card_text = card.first.inner_text()
    # The park's hostile name and code in the park picker, as typed.
    assert page.get_by_text(IMG + " P0", exact=False).count() >= 1

    _go(page, "Đất trống cho nhà đầu tư", page.get_by_text(re.compile(r"^\d+ kết quả$")))
    vacant = _click_feature(page, _map(page), "path.leaflet-interactive[fill-opacity='0.5']")

    _go(page, "Dữ liệu", page.get_by_text("Nguồn và giấy phép của các lớp"))
    return overview, park_popup, card_text, vacant
