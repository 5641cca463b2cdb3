"""End to end: an officer draws on the Scenarios page's map in headless Chromium (network
blocked) and the drawn shape reaches Python, in VN-2000, as the polygon of a saved edit.

Needs Debian's ``/usr/bin/chromium``, the ``playwright`` package and Leaflet.draw installed by
set-up (``npm install --prefix .cache/npm leaflet-draw``). Missing pieces skip the test on a
workstation and fail it in CI (``CI`` set), like the viewer's own browser test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely
from e2e_support import (
    ARTIFACTS,
    MAP_FRAME,
    missing,
    offline_page,
    require_browser,
    until,
    viewer_server,
    wait_idle,
)

from gis_app.scenarios import ChangeBoundary
from gis_app.scenarios.store import ScenarioStore
from gis_app.search.examples import write_example
from gis_app.testing import ORIGIN
from gis_app.viewer.auth import add_officer
from gis_app.viewer.draw import INSTALL_COMMAND, leaflet_draw_dir

# One worker runs every browser test, one after the other: two servers and two browsers at
# once on a 2-core machine only measure the machine.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

OFFICER, PASSWORD = "lan", "mật-khẩu-đúng"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("scenarios-e2e")
    auth = folder / "officers.toml"
    add_officer(OFFICER, PASSWORD, auth)
    return write_example(folder / "example.gpkg"), auth


@pytest.fixture(scope="module")
def server(data: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    if leaflet_draw_dir() is None:
        missing(f"Leaflet.draw is not installed ({INSTALL_COMMAND})")
    path, auth = data
    with viewer_server(path, tmp_path_factory.mktemp("scenarios-e2e-log"),
                       {"KCN_GIS_AUTH_FILE": str(auth)}) as base:
        yield base



def test_a_drawn_rectangle_becomes_the_boundary_of_a_saved_edit(server, data) -> None:  # noqa: ANN001
    path, _ = data
    served: dict[str, int] = {}
    with offline_page(height=1400) as (page, blocked):
        page.on("response", lambda r: served.__setitem__(r.url.rsplit("/", 1)[-1], r.status)
                if "leaflet.draw" in r.url else None)
        page.set_default_timeout(120_000)
        page.goto(f"{server}/scenarios")
        try:
            _draw_and_save(page)
        except Exception:
            print("ALERTS:", page.locator('[data-testid="stAlert"]').all_inner_texts())
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "viewer_scenarios_draw_failed.png"),
                            full_page=True)
            raise
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "viewer_scenarios_draw.png"), full_page=True)
    assert served.get("leaflet.draw.js") == 200 and served.get("leaflet.draw.css") == 200
    assert not any("leaflet" in url or "cdnjs" in url for url in blocked)
    store = ScenarioStore(path)
    [sid] = store.ids()
    [edit] = store.open(sid).edits
    assert isinstance(edit, ChangeBoundary)
    polygon = edit.polygon
    assert isinstance(polygon, shapely.Polygon)
    # Drawn over park P1 (x 0-400 m, y 0-200 m from ORIGIN): VN-2000 metres, not degrees.
    centre = polygon.centroid
    assert abs(centre.x - (ORIGIN[0] + 200)) < 400 and abs(centre.y - (ORIGIN[1] + 100)) < 400
    assert 100 < polygon.area < 400 * 200 * 4


def _draw_and_save(page) -> None:  # noqa: ANN001
    """Log in, create a scenario, draw a rectangle, add it as a boundary edit and save."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    until(page, lambda: sidebar.get_by_text("Cán bộ").click(),
           sidebar.get_by_label("Tên đăng nhập"))
    wait_idle(page)

    def login() -> None:
        sidebar.get_by_label("Tên đăng nhập").fill(OFFICER)
        sidebar.get_by_label("Mật khẩu").fill(PASSWORD)
        sidebar.get_by_role("button", name="Đăng nhập").click()

    until(page, login, page.get_by_text("Tạo kịch bản mới"))
    wait_idle(page)
    until(page, lambda: page.get_by_text("Tạo kịch bản mới").click(),
           page.get_by_label("Tên kịch bản"))

    def create() -> None:
        page.get_by_label("Tên kịch bản").fill("Vẽ thử")
        page.get_by_label("Tên kịch bản").press("Tab")
        wait_idle(page)
        page.get_by_role("button", name="Tạo", exact=True).click()

    until(page, create, page.locator(MAP_FRAME), tries=2, timeout=90_000)
    wait_idle(page)
    # The drawing map: the toolbar comes from Leaflet.draw served by the app.
    frame = page.frame_locator(MAP_FRAME).first
    tool = frame.locator(".leaflet-draw-draw-rectangle")
    tool.wait_for(timeout=60_000)
    tool.click()
    box = page.locator(MAP_FRAME).first.bounding_box()
    assert box is not None
    x0, y0 = box["x"] + box["width"] * 0.35, box["y"] + box["height"] * 0.35
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + box["width"] * 0.4, y0 + box["height"] * 0.3, steps=8)
    page.mouse.up()
    wait_idle(page)  # streamlit-folium posts the drawing back; the page reruns
    select = page.locator('[data-testid="stSelectbox"]').filter(has_text="Loại điều chỉnh")

    def choose_boundary() -> None:
        select.locator("input").click()
        select.locator("input").press_sequentially("ranh giới")
        select.locator("input").press("Enter")

    until(page, choose_boundary, page.get_by_text("Cách điều chỉnh"))
    wait_idle(page)
    until(page, lambda: page.get_by_role("button", name="Thêm điều chỉnh").click(),
           page.get_by_text("Đã thêm điều chỉnh e1."), tries=2)
    wait_idle(page)
    until(page, lambda: page.get_by_role("button", name="Lưu kịch bản").click(),
           page.get_by_text("Đã lưu phiên bản 2."), tries=2)
