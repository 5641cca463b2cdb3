"""End to end in headless Chromium (network blocked): an officer logs in, opens the officer
desk and sees the province's needs-action rows (the 13 behind-schedule projects of Ninh
Bình), follows a row's link to its park and plot, and reads the screening table with its
criteria and thresholds; the public sees none of it.

Needs ``/usr/bin/chromium`` and the ``playwright`` package, like the viewer's browser test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pandas as pd
import pytest
from e2e_support import (
    ARTIFACTS,
    ROOT,
    offline_page,
    read_grid,
    require_browser,
    viewer_server,
    wait_idle,
)

from gis_app.viewer.auth import add_officer

# One worker runs every browser test, one after the other (see test_viewer_e2e.py).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

PASSWORD = "mật-khẩu-đúng"
GRID = '[data-testid="stDataFrame"]'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    folder = tmp_path_factory.mktemp("officer-e2e")
    for name in ("ninh_binh.gpkg", "ninh_binh_builtup.tif"):
        shutil.copyfile(ROOT / "layers" / name, folder / name)
    add_officer("lan", PASSWORD, folder / "officers.toml")
    env = {"KCN_GIS_AUTH_FILE": str(folder / "officers.toml")}
    with viewer_server(folder / "ninh_binh.gpkg", tmp_path_factory.mktemp("officer-log"),
                       env) as base:
        yield base


def _shot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _grid(page, panel, index: int) -> pd.DataFrame:  # noqa: ANN001
    """What the ``index``-th data grid of a tab holds."""
    return read_grid(page, panel.locator(GRID).nth(index))


def _log_in(page) -> None:  # noqa: ANN001
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Cán bộ", exact=True).click()
    sidebar.get_by_label("Tên đăng nhập").wait_for(timeout=60_000)
    wait_idle(page)
    sidebar.get_by_label("Tên đăng nhập").fill("lan")
    sidebar.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    sidebar.get_by_role("button", name="Đăng nhập").click()
    wait_idle(page)
    sidebar.get_by_text("Đang đăng nhập: lan").wait_for(timeout=60_000)


def test_officer_desk_lists_actions_links_parks_and_explains_screening(server) -> None:
    with offline_page(height=1400) as (page, blocked):
        page.set_default_timeout(120_000)
        # The grid's CSV download then goes to Playwright, not to a save-file dialog.
        page.add_init_script("delete window.showSaveFilePicker")
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        missing: list[str] = []
        page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
        # From the front page through the navigation (opening a page's own URL makes
        # Streamlit probe /officer/_stcore/..., 404s of its own that are no fault of the page).
        page.goto(f"{server}/")
        wait_idle(page)
        page.locator('[data-testid="stSidebarNav"]').get_by_text(
            "Việc cần xử lý, sàng lọc").click()
        wait_idle(page)
        page.get_by_text("chỉ cán bộ đã đăng nhập mới xem được").wait_for()
        assert page.locator(GRID).count() == 0  # the public sees no table at all
        _shot(page, "officer-public-vi.png")

        _log_in(page)
        page.get_by_text("Dự án chậm tiến độ: 13").wait_for()
        actions = _grid(page, page.get_by_role("tabpanel", name="Việc cần xử lý"), 0)
        behind = actions[actions["Việc cần xử lý"] == "Dự án chậm tiến độ"]
        assert len(behind) == 13 and behind["Mã dự án"].is_unique
        assert "KCN Gián Khẩu" in set(behind["Tên KCN"])
        assert not actions.isin(["None", "nan", "NaN", "<NA>"]).any().any()
        _shot(page, "officer-actions-vi.png")
        # Selecting a row of the table (its checkbox, drawn on the canvas) picks it for the link.
        box = page.get_by_role("tabpanel", name="Việc cần xử lý").locator(
            GRID).first.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 15, box["y"] + 36 + 35 * 5 + 17)  # the 6th row
        wait_idle(page)
        picked = page.get_by_role("combobox", name="Mở trên trang KCN").input_value()
        assert picked.startswith("6. Dự án chậm tiến độ: KCN Gián Khẩu"), picked
        page.get_by_role("link", name="Mở KCN Gián Khẩu, lô NB01-K080").wait_for()
        page.get_by_role("combobox", name="Mở trên trang KCN").click()
        page.get_by_role("option", name="1. Dự án đã thu hồi, còn giữ đất: KCN Khánh Phú · "
                         "NB02-C013").click()
        wait_idle(page)

        # The screening tab: the thresholds and the scores with their criteria.
        screening = "Sàng lọc dự án (hai ít, ba cao, một không)"
        page.get_by_role("tab", name=screening).click()
        panel = page.get_by_role("tabpanel", name=screening)
        panel.get_by_text("Tiêu chí và ngưỡng").wait_for()
        thresholds = _grid(page, panel, 0)
        assert "đủ điểm khi ≤ 50 lao động/ha" in set(thresholds["Ngưỡng đủ điểm"])
        scores = _grid(page, panel, 1)
        assert len(scores) == 120
        assert {"Điểm sàng lọc", "Tiêu chí đạt", "Tiêu chí chưa đạt (giá trị, ngưỡng, điểm)"} \
            <= set(scores.columns)
        page.get_by_text("Tổng: 93,2/100 điểm, hạng 1/120.").wait_for()
        _shot(page, "officer-screening-vi.png")

        # Back to the list: the row's link opens the park page on its park and plot.
        page.get_by_role("tab", name="Việc cần xử lý").click()
        link = page.get_by_role("link", name="Mở KCN Khánh Phú, lô NB02-C013")
        link.wait_for()
        link.click()
        wait_idle(page)
        page.get_by_text("Thông tin lô đất NB02-C013").wait_for()
        page.get_by_text("Đang đăng nhập: lan").wait_for()  # still an officer
        _shot(page, "officer-link-park-vi.png")

        # Back on the desk, in English: the list, the picker and the link in English words.
        page.locator('[data-testid="stSidebarNav"]').get_by_text(
            "Việc cần xử lý, sàng lọc").click()
        wait_idle(page)
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        wait_idle(page)
        page.get_by_text("Project behind schedule: 13").wait_for()
        picked = page.get_by_role("combobox", name="Open on the park page").input_value()
        assert picked.startswith("1. Revoked project still holding land"), picked
        page.get_by_role("link", name="Open Khanh Phu Industrial Park, plot NB02-C013").wait_for()
        _shot(page, "officer-actions-en.png")
        assert not blocked, blocked
        assert not missing, missing
        assert not errors, errors
