"""End to end in headless Chromium set to an English (US) locale: the Vietnamese overview's
park table is written with Vietnamese separators (the chosen language's, not the
browser's), shares as percentages, no empty-cell markers; no metric card's label is cut off.

Needs ``/usr/bin/chromium`` and the ``playwright`` package, like the viewer's browser test.
"""

from __future__ import annotations

import re
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

from gis_app.i18n import label

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

GRID = '[data-testid="stDataFrame"]'
VI_NUMBER = re.compile(r"^\d{1,3}(\.\d{3})*(,\d+)?$")  # 1.234,5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    folder = tmp_path_factory.mktemp("tables-e2e")
    shutil.copyfile(ROOT / "layers" / "ninh_binh.gpkg", folder / "ninh_binh.gpkg")
    with viewer_server(folder / "ninh_binh.gpkg", tmp_path_factory.mktemp("tables-log")) as base:
        yield base


def _grid(page, index: int) -> pd.DataFrame:  # noqa: ANN001
    """The ``index``-th grid's cells."""
    return read_grid(page, page.locator(GRID).nth(index))


def test_overview_table_and_cards_read_in_vietnamese_in_an_english_browser(server) -> None:
    with offline_page(height=1600) as (page, blocked):
        page.set_default_timeout(120_000)
        page.add_init_script("delete window.showSaveFilePicker")
        assert page.evaluate("navigator.language").startswith("en")  # an English browser
        page.goto(f"{server}/")
        page.locator(GRID).first.wait_for(timeout=120_000)
        wait_idle(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "tables_overview_vi.png"), full_page=True)
        table = _grid(page, 0)
        planned = table[label("planned_ha", "vi")].tolist()
        assert planned and all(VI_NUMBER.match(v) for v in planned), planned
        assert any("," in v for v in planned) or any("." in v for v in planned)
        shares = [v for v in table[label("occupancy_share", "vi")] if v != "–"]
        assert shares and all(re.fullmatch(r"\d+,\d%", v) for v in shares), shares
        text = table.to_string()
        for raw in ("None", "NaN", "nan", "<NA>"):
            assert raw not in text.split()
        assert not _cut_labels(page)
        # English: the same table with English separators; then the park page's cards.
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        wait_idle(page)
        page.get_by_text("Province overview").first.wait_for(timeout=120_000)
        planned = _grid(page, 0)[label("planned_ha", "en")].tolist()
        assert all(re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?", v) for v in planned), planned
        assert not _cut_labels(page)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Park", exact=True).click()
        wait_idle(page)
        page.locator('[data-testid="stMetric"]').first.wait_for(timeout=120_000)
        page.screenshot(path=str(ARTIFACTS / "tables_park_en.png"), full_page=True)
        assert not _cut_labels(page)
        page.locator('[data-testid="stSidebar"]').get_by_text("Tiếng Việt", exact=True).click()
        wait_idle(page)
        page.get_by_text("Chọn KCN").first.wait_for(timeout=120_000)
        page.screenshot(path=str(ARTIFACTS / "tables_park_vi.png"), full_page=True)
        assert not _cut_labels(page)
        assert not blocked


def _cut_labels(page) -> list[str]:  # noqa: ANN001
    """The metric cards whose label is wider than its box (Streamlit cuts it with "...")."""
    return page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)""")
