"""End to end: a tour of every page in each language, in headless Chromium (network blocked).

For Vietnamese and for English, one fresh session walks the overview, the park page, vacant
land, map sheets, data and scenarios; the history (the overview as of a past version and as
of a date picked by day, month and year); then logs in and walks the officer desk and the
park page with tenants. Every stop is saved as a screenshot in ``test-artifacts/``
(``tour-<lang>-<stop>.png``) and asserts that the page:

- shows its title in the tour's language;
- shows no Streamlit exception box, and every map frame has a height;
- shows none of Streamlit's own English words (placeholders, "Select all", "No results",
  the date picker's calendar) in the Vietnamese tour;
- credits the data sources in the tour's language only (the footer).

Along the way: a plot's map popup writes its area as the plot card beside it does, with the
language's decimal separator, and the card has no empty header row; a multiselect offers
no English "Select all" and answers a search that matches nothing in the tour's language.
No console error is logged during the whole tour.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from e2e_support import (
    ARTIFACTS,
    MAP_FRAME,
    ROOT,
    offline_page,
    plot_point,
    require_browser,
    viewer_server,
    wait_idle,
)

from gis_app.i18n import t
from gis_app.viewer.indicators import label
from gis_app.viewer.views import NAVIGATION

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

PASSWORD = "mật-khẩu-đúng"
#: The catalogue key of each page's title (the navigation names some pages shorter).
TITLES = {"overview": "page_overview", "park": "page_park", "vacant_land": "page_vacant",
          "officer": "officer.title", "scenarios": "scenario.title",
          "map_sheets": "sheets_page.title", "data": "page_data"}
PUBLIC_TOUR = ("overview", "park", "vacant_land", "map_sheets", "data", "scenarios")
#: Streamlit's own English words (its widgets' defaults), and the English calendar's.
STREAMLIT_ENGLISH = ("Choose options", "Choose an option", "Select all", "No results",
                     "No options to select", "Add options", "Drag and drop file here",
                     "Browse files", "Select a date", "January", "February", "December",
                     "Su Mo Tu", "Running...")
EXCEPTION = '[data-testid="stException"]'
NAV = '[data-testid="stSidebarNav"]'
SIDEBAR = '[data-testid="stSidebar"]'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The viewer on a copy of the shipped Bắc Ninh sample, with one officer."""
    require_browser()
    from gis_app.viewer.auth import add_officer

    folder = tmp_path_factory.mktemp("tour")
    for name in ("bac_ninh.gpkg", "bac_ninh_builtup.tif"):
        shutil.copyfile(ROOT / "layers" / name, folder / name)
    add_officer("lan", PASSWORD, folder / "officers.toml")
    env = {"KCN_GIS_AUTH_FILE": str(folder / "officers.toml")}
    with viewer_server(folder / "bac_ninh.gpkg", tmp_path_factory.mktemp("tour-log"),
                       env) as base:
        yield base


class Tour:
    """One language's walk: the page, what it logged, and the checks every stop makes."""

    def __init__(self, page, lang: str) -> None:  # noqa: ANN001
        self.page, self.lang = page, lang
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def go(self, module: str) -> None:
        """Open ``module``'s page through the navigation menu, as a reader does."""
        spec = next(s for s in NAVIGATION if s.module == module)
        self.page.locator(NAV).get_by_text(spec.title(self.lang), exact=True).click()
        self.title(module)

    def title(self, module: str) -> None:
        """Wait for ``module``'s title in the tour's language and for the app to be idle."""
        self.page.locator("h1", has_text=t(TITLES[module], self.lang)).first.wait_for()
        wait_idle(self.page)

    def stop(self, name: str) -> str:
        """The checks of every stop, and its screenshot; returns the page's visible text."""
        page = self.page
        drawn = (f"() => [...document.querySelectorAll('{MAP_FRAME}')].every("
                 "f => f.getBoundingClientRect().height > 100 && f.contentDocument &&"
                 " f.contentDocument.querySelector('.leaflet-container') !== null)")
        page.wait_for_function(drawn)
        wait_idle(page)
        # The app's last run may have mounted a map again (a language switch does): what the
        # reader is left with is every map drawn once the app is idle.
        page.wait_for_function(drawn)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"tour-{self.lang}-{name}.png"), full_page=True)
        assert page.locator(EXCEPTION).count() == 0, (name, page.locator(EXCEPTION).first
                                                       .inner_text())
        heights = page.eval_on_selector_all(
            MAP_FRAME, "fs => fs.map(f => f.getBoundingClientRect().height)")
        assert all(h > 100 for h in heights), (name, heights)
        text = page.locator("body").inner_text()
        if self.lang == "vi":
            shown = [w for w in STREAMLIT_ENGLISH if re.search(rf"\b{re.escape(w)}", text)]
            assert not shown, (name, shown)
        # The footer credits the data sources in the tour's language only.
        assert t("notice.attribution", self.lang)[:40] in text, name
        other = t("notice.attribution", "en" if self.lang == "vi" else "vi")
        assert other[:40] not in text, name
        return text


def _card_and_popup(tour: Tour) -> None:
    """Click a plot: its popup and its card write the area alike, in the tour's language;
    the card has no empty header row."""
    page, lang = tour.page, tour.lang
    point = plot_point(page, 10)
    page.mouse.move(*point)
    tooltip = page.frame_locator(MAP_FRAME).first.locator(".leaflet-tooltip").last
    tooltip.wait_for(state="visible", timeout=30_000)
    code = tooltip.inner_text().strip()
    page.mouse.click(*point)
    popup = page.frame_locator(MAP_FRAME).first.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=30_000)
    page.locator("h3", has_text=code).wait_for(timeout=60_000)
    wait_idle(page)
    card = page.locator('[data-testid="stTable"]').first
    headers = card.locator("th").all_inner_texts()
    assert all(h.strip() for h in headers), headers  # no empty header cell, no empty row
    assert card.locator("thead").count() == 0 or card.locator("thead th").count() == 0
    area_label = label("area_ha", lang)
    rows = {}
    for row in card.locator("tr").all():
        cells = [c.strip() for c in row.locator("th, td").all_inner_texts()]
        if len(cells) == 2:
            rows[cells[0]] = cells[1]
    assert area_label in rows, (rows, headers)
    area = rows[area_label]
    pattern = r"\d{1,3}(\.\d{3})*,\d{2}" if lang == "vi" else r"\d{1,3}(,\d{3})*\.\d{2}"
    assert re.fullmatch(pattern, area), area
    popup_text = popup.inner_text()
    assert area_label in popup_text and area in popup_text, (area, popup_text)


def _multiselect_in_language(tour: Tour) -> None:
    """The parks multiselect: no English "Select all"; a search matching nothing answers in
    the tour's language."""
    page = tour.page
    box = page.locator('[data-testid="stMultiSelect"]').first
    box.click()
    listbox = page.locator('[role="listbox"]').first
    listbox.wait_for(state="visible")
    assert "Select all" not in listbox.inner_text()
    page.keyboard.type("zzzzqqq")
    # Streamlit writes "No results" itself; the viewer's CSS hides it and shows its own words
    # (generated content, so read from the rendered style).
    page.locator("span", has_text=re.compile("^No results$")).first.wait_for(state="attached")
    after = page.evaluate(
        "() => [...document.querySelectorAll('span')].filter(s => s.textContent === 'No results')"
        ".map(s => [getComputedStyle(s).fontSize, getComputedStyle(s, '::after').content])")
    assert after and all(size == "0px" and t("widgets.no_results", tour.lang) in content
                         for size, content in after), after
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    wait_idle(page)


def _history(tour: Tour) -> None:
    """The overview as of a past version, then as of a date picked by day, month, year."""
    page, lang = tour.page, tour.lang
    tour.go("overview")
    picker = page.get_by_role("combobox", name=t("history.as_of", lang))
    picker.click()
    page.get_by_role("option").nth(1).click()  # the newest decision
    past = t("history.showing_past", lang, day="").split("  ")[0].strip()
    page.get_by_text(past[:20]).first.wait_for()
    wait_idle(page)
    tour.stop("history")
    picker.click()
    page.get_by_role("option", name=t("history.other_date", lang)).click()
    month = page.get_by_role("combobox", name=t("date_field.month", lang))
    month.wait_for()
    wait_idle(page)
    assert page.locator('[data-testid="stDateInput"]').count() == 0
    assert month.input_value() == ("Tháng 7" if lang == "vi" else "July")  # 31/07/2018
    text = tour.stop("history-date")
    assert re.search(r"31/07/2018", text), "the notice writes the date day first"
    picker.click()
    page.get_by_role("option", name=t("history.current", lang)).click()
    wait_idle(page)


def _log_in(tour: Tour) -> None:
    page, lang = tour.page, tour.lang
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_text(t("mode_officer", lang), exact=True).click()
    name = sidebar.get_by_label(t("username", lang))
    name.wait_for()
    wait_idle(page)
    name.fill("lan")
    sidebar.get_by_label(t("password", lang), exact=True).fill(PASSWORD)
    sidebar.get_by_role("button", name=t("login", lang)).click()
    sidebar.get_by_text(t("logged_in_as", lang, name="lan")).wait_for()
    wait_idle(page)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_in_one_language(server, lang) -> None:  # noqa: ANN001
    with offline_page(height=1100) as (page, blocked):
        page.set_default_timeout(120_000)
        tour = Tour(page, lang)
        page.goto(f"{server}/?lang={lang}" if lang != "vi" else f"{server}/")
        tour.title("overview")
        tour.stop("overview")
        for module in PUBLIC_TOUR[1:]:
            tour.go(module)
            tour.stop(module)
            if module == "park":
                _card_and_popup(tour)
                tour.stop("park-card")
            if module == "vacant_land":
                _multiselect_in_language(tour)
        _history(tour)
        _log_in(tour)
        tour.go("officer")
        tour.stop("officer")
        tour.go("park")
        tour.stop("park-officer")
        assert page.get_by_text(t("logged_in_as", lang, name="lan")).count() == 1
        assert not blocked, blocked
        assert not tour.errors, tour.errors
