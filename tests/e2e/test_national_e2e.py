"""End to end: the national overview with the two sample provinces and a province fresh from
``kcn-gis init`` loaded (issue 17), in real Chromium with every non-loopback request blocked.

The overview offers "National"; its map draws one circle per park of both provinces (no plot),
over the province boundaries, at a real height; the table by province gives the totals in
Vietnamese (then English) formatting; the empty province reads as empty, not as an error; no
console error; a click on a park opens its page on its own file. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from e2e_support import (
    ARTIFACTS,
    MAP_FRAME,
    ROOT,
    offline_page,
    read_grid,
    require_browser,
    until,
    viewer_server,
    wait_idle,
    watch_errors,
)

from gis_app.analytics import province_indicators
from gis_app.formatting import number, percent
from gis_app.i18n import t
from gis_app.settings import PROVINCES
from gis_app.storage.gpkg import read_plan
from gis_app.viewer.national import PARK_STROKE

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

SAMPLES = [PROVINCES[k].default_path for k in ("bac_ninh", "ninh_binh")]


@pytest.fixture(scope="module")
def national_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The viewer on the two samples and an empty Huế made by ``kcn-gis init``."""
    for sample in SAMPLES:
        if not sample.exists():
            pytest.skip(f"{sample} missing (run `kcn-gis sample`)")
    empty = tmp_path_factory.mktemp("national") / "hue.gpkg"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, "-m", "gis_app.cli", "init", "hue", "-o", str(empty)],
                   check=True, env=env, capture_output=True, timeout=300)
    files = os.pathsep.join(str(p) for p in [*SAMPLES, empty])
    with viewer_server(SAMPLES[0], tmp_path_factory.mktemp("national-log"),
                       {"KCN_GIS_FILES": files}) as base:
        yield base


def _expected() -> dict[str, float]:
    """The national totals from each province's own summary (what the table must say)."""
    rows = [province_indicators(read_plan(p), by="all").loc["all"] for p in SAMPLES]
    total = {k: sum(float(r[k]) for r in rows)
             for k in ("planned_ha", "leased_established_ha", "leasable_established_ha",
                       "parks_count")}
    total["occupancy_share"] = total["leased_established_ha"] / total["leasable_established_ha"]
    return total


def _check(page, lang: str, errors: list[str], parks: int) -> None:  # noqa: ANN001
    """The national overview as it stands in ``lang``."""
    page.get_by_text(t("nat.title", lang), exact=True).wait_for(timeout=120_000)
    page.wait_for_selector(MAP_FRAME, state="attached", timeout=90_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".kcn-legend").wait_for(state="attached", timeout=90_000)
    circles = frame.locator(f'path.leaflet-interactive[stroke="{PARK_STROKE}"]')
    circles.nth(parks - 1).wait_for(state="attached", timeout=60_000)
    wait_idle(page)
    assert circles.count() == parks  # every park of both provinces, one circle each
    # ... each drawn inside the map (the view fits them), over the province boundaries.
    box = page.locator(MAP_FRAME).bounding_box()
    assert box is not None and box["height"] > 300
    for i in range(parks):
        b = circles.nth(i).bounding_box()
        assert b is not None and b["width"] > 3
        assert box["x"] <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"]
        assert box["y"] <= b["y"] and b["y"] + b["height"] <= box["y"] + box["height"]
    assert frame.locator("path.leaflet-interactive").count() > parks  # + 3 boundaries
    assert t("by_occupancy", lang) in frame.locator(".kcn-legend").inner_text()
    # The empty province is named as empty, in an info box, not as an error.
    hue = "Huế" if lang == "vi" else "Hue"
    assert page.get_by_text(t("nat.empty", lang, names=hue)).first.is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text(t("data_error", lang)).count() == 0
    table = read_grid(page, page.locator('[data-testid="stDataFrame"]').first)
    province, parks_col = t("province", lang), t("parks_count", lang)
    occupancy, planned = t("occupancy_share", lang), t("planned_ha", lang)
    expected = _expected()
    total = table.iloc[-1]
    assert total[province] == t("nat.total", lang)
    assert total[planned] == number(expected["planned_ha"], lang, 2)  # 1.234,56 in vi
    assert total[occupancy] == percent(expected["occupancy_share"], lang)
    assert total[parks_col] == number(expected["parks_count"], lang, 0)
    rows = table.iloc[:-1].set_index(province)
    assert list(rows.index) == [PROVINCES["ninh_binh"].name_vi if lang == "vi" else
                                PROVINCES["ninh_binh"].name_en,
                                PROVINCES["bac_ninh"].name_vi if lang == "vi" else
                                PROVINCES["bac_ninh"].name_en, hue]  # ranked by occupancy
    assert rows.loc[hue, parks_col] == "0" and rows.loc[hue, occupancy] == "–"
    assert errors == [], errors
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"viewer_national_overview_{lang}.png"),
                    full_page=True)


def _click_an_isolated_park(page, parks: int) -> None:  # noqa: ANN001
    """Click the circle farthest from the others (no neighbour overlaps it), as a person
    would."""
    circles = page.frame_locator(MAP_FRAME).locator(
        f'path.leaflet-interactive[stroke="{PARK_STROKE}"]')
    boxes = [circles.nth(i).bounding_box() for i in range(parks)]
    centres = [(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2) for b in boxes if b]

    def room(c: tuple[float, float]) -> float:
        return min((c[0] - o[0]) ** 2 + (c[1] - o[1]) ** 2 for o in centres if o != c)

    x, y = max(centres, key=room)
    page.mouse.click(x, y)


def test_national_overview_in_both_languages(national_server: str) -> None:
    require_browser()
    parks = sum(len(read_plan(p).parks) for p in SAMPLES)
    with offline_page(height=1800) as (page, blocked):
        errors = watch_errors(page)
        # The grid's CSV button then downloads (headless Chromium has no save dialog).
        page.add_init_script("delete window.showSaveFilePicker")
        page.set_default_timeout(120_000)
        page.goto(f"{national_server}/")
        wait_idle(page)
        try:
            until(page, lambda: page.get_by_text(t("nat.scope_national", "vi"),
                                                 exact=True).click(),
                  page.get_by_text(t("nat.title", "vi"), exact=True), settle=True)
            _check(page, "vi", errors, parks)
            sidebar = page.locator('[data-testid="stSidebar"]')
            until(page, lambda: sidebar.get_by_text("English", exact=True).click(),
                  page.get_by_text(t("nat.title", "en"), exact=True), settle=True)
            _check(page, "en", errors, parks)
            # A click on a park opens its page, on its province's file, in the language chosen
            # before (Streamlit drops widget state on a page switch: the page read Vietnamese).
            title = page.get_by_role("heading", name=t("page_park", "en"), exact=True)
            until(page, lambda: _click_an_isolated_park(page, parks), title, settle=True)
            # The chosen park's text (the box's own text or its input's value).
            chosen = page.locator('[data-testid="stSelectbox"]').filter(
                has_text=t("choose_park", "en")).evaluate(
                "el => el.innerText + ' ' + Array.from(el.querySelectorAll('input'))"
                ".map(i => i.value).join(' ')")
            codes = re.findall(r"\(([A-Z]+\d+)\)", chosen)
            assert codes, chosen
            province = next(k for k, path in zip(("bac_ninh", "ninh_binh"), SAMPLES,
                                                 strict=True)
                            if codes[-1] in set(read_plan(path).parks["park_code"]))
            file_box = sidebar.locator('[data-testid="stSelectbox"]').first.evaluate(
                "el => el.innerText + ' ' + Array.from(el.querySelectorAll('input'))"
                ".map(i => i.value).join(' ')")
            assert PROVINCES[province].name_en in file_box, (chosen, file_box)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "viewer_national_park_opened_en.png"),
                            full_page=True)
            assert errors == [], errors
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "viewer_national_overview_failed.png"),
                            full_page=True)
            raise
    assert blocked == []
