"""End to end: the session survives language switches and page changes (issue 16), in headless
Chromium with the network blocked, on the two shipped province files.

An officer logs in, picks Ninh Bình, opens a park and colours it by land use, switches the
language vi → en → vi and changes page: the officer stays logged in, every radio shows its
choice in the current language only, the province and the park are kept, and no page says
"no such file". A browser sends a choice back as its *label*, so only a real browser shows
what AppTest (which re-encodes each widget) cannot. Also: ``/overview`` opens the overview.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from e2e_support import ARTIFACTS, offline_page, require_browser, until, viewer_server, wait_idle

from gis_app.i18n import t
from gis_app.settings import PROVINCES
from gis_app.viewer.auth import add_officer

# One worker runs every browser test, one after the other (see test_viewer_e2e.py).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

OFFICER, PASSWORD = "lan", "mật-khẩu-đúng"
PARK = "NB03"  # KCN Phúc Sơn: not the first park, so keeping it is not the default
FILES = [PROVINCES[k].default_path for k in ("bac_ninh", "ninh_binh")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    missing = [str(f) for f in FILES if not f.exists()]
    assert not missing, f"the shipped province files are missing: {missing}"
    folder = tmp_path_factory.mktemp("state-e2e")
    add_officer(OFFICER, PASSWORD, folder / "officers.toml")
    env = {"KCN_GIS_AUTH_FILE": str(folder / "officers.toml"),
           "KCN_GIS_FILES": os.pathsep.join(str(f) for f in FILES)}
    with viewer_server(FILES[0], folder, env) as base:
        yield base


def _shot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def until_settled(page, act, outcome, **kwargs) -> None:  # noqa: ANN001
    until(page, act, outcome, settle=True, **kwargs)


def _radios(scope, label: str):  # noqa: ANN001, ANN202
    """The radio group labelled ``label``."""
    return scope.get_by_role("radiogroup", name=label, exact=True)


def _box(scope, label: str):  # noqa: ANN001, ANN202
    """The selectbox labelled ``label`` (its input shows the chosen option's label)."""
    return scope.get_by_role("combobox", name=label, exact=True)


def _choose(page, box, option: str) -> None:  # noqa: ANN001
    """Pick ``option`` (its exact label) in the selectbox ``box``."""
    def act() -> None:
        box.click()
        page.get_by_role("option", name=option, exact=True).first.click()

    for attempt in range(3):  # a click landing during a rerun is dropped: try again
        act()
        wait_idle(page)
        if box.input_value() == option:
            return
        assert attempt < 2, f"{option!r} not chosen: {box.input_value()!r}"


def _radio_state(group) -> tuple[list[str], list[str]]:  # noqa: ANN001
    """(the labels of a radio group's options, the labels of those checked)."""
    options = group.locator('[data-testid="stRadioOption"]')
    labels, checked = [], []
    for i in range(options.count()):
        option = options.nth(i)
        name = option.inner_text().strip()
        labels.append(name)
        if option.get_by_role("radio").is_checked():
            checked.append(name)
    return labels, checked


def _check(page, lang: str) -> None:  # noqa: ANN001
    """What must hold on the park page in ``lang`` after any switch or page change: the radios'
    options are exactly this language's labels, one of them checked."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    main = page.locator('[data-testid="stMain"]')
    # Still logged in, in officer mode, shown in this language only.
    sidebar.get_by_text(t("logged_in_as", lang, name=OFFICER)).wait_for(timeout=60_000)
    assert sidebar.get_by_role("button", name=t("logout", lang)).is_visible()
    labels, checked = _radio_state(_radios(sidebar, t("mode", lang)))
    assert labels == [t("mode_public", lang), t("mode_officer", lang)], labels
    assert checked == [t("mode_officer", lang)], checked
    labels, checked = _radio_state(_radios(main, t("colour_by", lang)))
    assert labels == [t("by_status", lang), t("by_land_use", lang)], labels
    assert checked == [t("by_land_use", lang)], checked
    # The province file and the park are kept, named in this language.
    province = PROVINCES["ninh_binh"]
    shown = _box(sidebar, t("province_file", lang)).input_value()
    assert shown == (province.name_vi if lang == "vi" else province.name_en), shown
    park = _box(main, t("choose_park", lang)).input_value()
    assert park == ("KCN Phúc Sơn" if lang == "vi" else "Phuc Son Industrial Park") \
        + f" ({PARK})", park
    text = page.locator("body").inner_text()
    assert "no such file" not in text
    assert t("data_error", lang) not in text
    assert page.locator('[data-testid="stException"]').count() == 0


def _pick_colour(page, label: str, choice: str) -> None:  # noqa: ANN001
    """Click a choice of the park map's colour radio; wait until it is the checked one."""
    group = _radios(page.locator('[data-testid="stMain"]'), label)
    until_settled(page, lambda: group.get_by_text(choice, exact=True).click(),
           group.locator('[data-testid="stRadioOption"]:has(input:checked)').filter(
               has_text=choice))


def _switch_language(page, lang: str) -> None:  # noqa: ANN001
    sidebar = page.locator('[data-testid="stSidebar"]')
    name = {"vi": "Tiếng Việt", "en": "English"}[lang]
    until_settled(page, lambda: sidebar.get_by_text(name, exact=True).click(),
           sidebar.get_by_text(t("language", lang), exact=True))
    wait_idle(page)


def _go(page, title: str, outcome) -> None:  # noqa: ANN001
    """Open a page from the sidebar's navigation (the session stays)."""
    nav = page.locator('[data-testid="stSidebarNav"]')
    until_settled(page, lambda: nav.get_by_role("link", name=title).click(), outcome,
                  timeout=90_000)


def test_an_officer_keeps_the_session_through_language_switches_and_pages(server) -> None:  # noqa: ANN001
    with offline_page(height=1300) as (page, blocked):
        page.set_default_timeout(120_000)
        try:
            _walk(page, server)
        except Exception:
            _shot(page, "viewer_state_failed.png")
            raise
    assert blocked == [], f"the page tried to load from outside: {blocked}"


def _walk(page, server: str) -> None:  # noqa: ANN001
    page.goto(f"{server}/")
    wait_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    main = page.locator('[data-testid="stMain"]')
    # Log in as an officer.
    until_settled(page, lambda: sidebar.get_by_text("Cán bộ", exact=True).click(),
           sidebar.get_by_label("Tên đăng nhập"))

    def login() -> None:
        sidebar.get_by_label("Tên đăng nhập").fill(OFFICER)
        sidebar.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
        sidebar.get_by_role("button", name="Đăng nhập").click()

    until_settled(page, login, sidebar.get_by_role("button", name="Đăng xuất"))
    # Ninh Bình, the park page, a park that is not the first, coloured by land use.
    _choose(page, _box(sidebar, "Tỉnh / tệp dữ liệu"), "Ninh Bình")
    _go(page, "Khu công nghiệp", _box(main, "Chọn KCN"))
    _choose(page, _box(main, "Chọn KCN"), f"KCN Phúc Sơn ({PARK})")
    _pick_colour(page, "Tô màu theo", "Mục đích sử dụng đất")
    _check(page, "vi")
    _shot(page, "viewer_state_park_vi.png")

    # vi -> en: everything kept, in English.
    _switch_language(page, "en")
    _check(page, "en")
    _shot(page, "viewer_state_park_en.png")
    # The next click does not drop the officer back to public mode.
    _pick_colour(page, "Colour by", "Status")
    sidebar.get_by_text("Logged in as lan").wait_for(timeout=60_000)
    _pick_colour(page, "Colour by", "Land use")
    _check(page, "en")

    # en -> vi, then another page and back: still the same session.
    _switch_language(page, "vi")
    _check(page, "vi")
    _go(page, "Tổng quan tỉnh", _radios(main, "Tô màu theo"))
    sidebar.get_by_text("Đang đăng nhập: lan").wait_for(timeout=60_000)
    assert _box(sidebar, "Tỉnh / tệp dữ liệu").input_value() == "Ninh Bình"
    _shot(page, "viewer_state_overview_vi.png")
    _go(page, "Khu công nghiệp", _box(main, "Chọn KCN"))
    _check(page, "vi")
    _shot(page, "viewer_state_park_vi_again.png")


def test_pages_open_at_readable_paths_and_the_public_sees_no_server_path(server) -> None:  # noqa: ANN001
    """``/overview`` (the default page, also served at ``/``) and ``/park`` open their page
    where they are, not "Page not found" and back at the root; the public Data page names
    the file, not the server's folders."""
    with offline_page() as (page, blocked):
        page.set_default_timeout(120_000)
        main = page.locator('[data-testid="stMain"]')
        for path, title in (("overview", "Tổng quan tỉnh"), ("park", "Khu công nghiệp")):
            page.goto(f"{server}/{path}")
            main.get_by_role("heading", name=title, exact=True).wait_for(timeout=90_000)
            wait_idle(page)
            assert page.get_by_text("Page not found").count() == 0, path
            # Not sent back to the root (the park page's link then names its park and view).
            assert urlsplit(page.url).path.endswith(f"/{path}"), page.url
        _shot(page, "viewer_state_park_url.png")
        page.goto(f"{server}/data")
        main.get_by_role("heading", name="Dữ liệu", exact=True).wait_for(timeout=90_000)
        wait_idle(page)
        text = page.locator("body").inner_text()
        assert FILES[0].name in text and str(FILES[0].parent) not in text
        _shot(page, "viewer_state_data_public.png")
    assert blocked == [], f"the page tried to load from outside: {blocked}"
