"""End to end: the officer login in headless Chromium (network blocked). Repeated wrong
passwords lock the login with a message saying when to retry, and an officer whose tab stays
open untouched is logged out after the configured idle time (here 6 s).

Needs ``/usr/bin/chromium`` and the ``playwright`` package, like the viewer's browser test.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import (
    ARTIFACTS,
    offline_page,
    require_browser,
    runs_of,
    viewer_server,
    wait_idle,
)

from gis_app.search.examples import write_example
from gis_app.viewer.auth import add_officer
from gis_app.viewer.script_runs import wait_until

# One worker runs every browser test, one after the other (see test_viewer_e2e.py).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

PASSWORD, WRONG = "mật-khẩu-đúng", "đoán-thử-Zq9"
IDLE_MINUTES = 0.1  # 6 s: the open page checks every 1.5 s


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("login-e2e")
    for name in ("lan", "minh"):
        add_officer(name, PASSWORD, folder / "officers.toml")
    write_example(folder / "example.gpkg")
    return folder


@pytest.fixture(scope="module")
def server(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    env = {"KCN_GIS_AUTH_FILE": str(folder / "officers.toml"),
           "KCN_GIS_IDLE_MINUTES": str(IDLE_MINUTES)}
    with viewer_server(folder / "example.gpkg", tmp_path_factory.mktemp("login-e2e-log"),
                       env) as base:
        yield base


def _audit(folder: Path) -> list[dict]:
    path = folder / "officers-audit.log"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _officer_form(page):  # noqa: ANN001, ANN202
    """Switch the sidebar to officer mode; the sidebar once the login form shows."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Cán bộ", exact=True).click()
    sidebar.get_by_label("Tên đăng nhập").wait_for(timeout=60_000)
    wait_idle(page)
    return sidebar


def _submit(page, sidebar, name: str, password: str) -> str:  # noqa: ANN001
    """Submit the login form; the sidebar's messages afterwards."""
    sidebar.get_by_label("Tên đăng nhập").fill(name)
    sidebar.get_by_label("Mật khẩu", exact=True).fill(password)
    sidebar.get_by_role("button", name="Đăng nhập").click()
    wait_idle(page)
    return "\n".join(sidebar.locator('[data-testid="stAlert"]').all_inner_texts())


def _shot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_repeated_wrong_passwords_lock_the_login(server, folder) -> None:  # noqa: ANN001
    with offline_page() as (page, _blocked):
        page.set_default_timeout(120_000)
        page.goto(f"{server}/")
        sidebar = _officer_form(page)
        seen: list[str] = []
        # Submit again as soon as the app has answered (no sleep): an attempt within the
        # growing wait after a failure (1, 2, 4, 8 s) is refused and counts for nothing.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            message = _submit(page, sidebar, "lan", WRONG)
            seen.append(message)
            if "tạm thời bị khóa" in message:
                break
        _shot(page, "viewer_login_locked.png")
        assert "Đăng nhập sai quá nhiều lần nên tạm thời bị khóa. Thử lại sau 15 phút." \
            in seen[-1], seen
        assert any("Sai tên đăng nhập hoặc mật khẩu." in m for m in seen)
        assert any("Vừa đăng nhập sai: chờ" in m for m in seen), seen  # the growing delay
        # Locked: the right password does not get in either.
        message = _submit(page, sidebar, "lan", PASSWORD)
        assert "tạm thời bị khóa" in message
        assert sidebar.get_by_text("Đang đăng nhập: lan").count() == 0
    events = [e for e in _audit(folder) if e["account"] == "lan"]
    assert [e["event"] for e in events] == ["login_failed"] * 5 + ["login_locked"]
    text = (folder / "officers-audit.log").read_text(encoding="utf-8")
    assert WRONG not in text and PASSWORD not in text


def test_an_idle_officer_is_logged_out_while_the_tab_stays_open(server, folder) -> None:  # noqa: ANN001
    with offline_page() as (page, _blocked):
        page.set_default_timeout(120_000)
        page.goto(f"{server}/park")
        sidebar = _officer_form(page)
        _submit(page, sidebar, "minh", PASSWORD)
        sidebar.get_by_text("Đang đăng nhập: minh").wait_for(timeout=60_000)
        wait_idle(page)
        assert page.get_by_text("Chỉ số hiệu quả không công bố").count() == 0  # an officer
        # Nothing is touched from here: the page itself notices the idle time. Its first
        # look (a timer run of its check, every 1.5 s here) does not log out: not at once.
        runs = runs_of(page)
        checks = runs.fragment
        wait_until(page, lambda: runs.fragment > checks and not runs.running,
                   "the page's first idle check")
        assert sidebar.get_by_text("Đang đăng nhập: minh").is_visible()
        sidebar.get_by_text("Phiên cán bộ đã kết thúc sau 0.1 phút không thao tác").wait_for(
            timeout=60_000)
        wait_idle(page)
        _shot(page, "viewer_idle_logout.png")
        assert sidebar.get_by_text("Đang đăng nhập: minh").count() == 0
        assert sidebar.get_by_role("button", name="Đăng xuất").count() == 0
        # The park page is public again: P1's efficiency (one tenant) is withheld.
        assert page.get_by_text("Chỉ số hiệu quả không công bố").first.is_visible()
        assert sidebar.get_by_role("radio", name="Công khai").is_checked()
        assert sidebar.get_by_label("Tên đăng nhập").count() == 0  # public mode: no form
    events = [e for e in _audit(folder) if e["account"] == "minh"]
    assert [e["event"] for e in events] == ["login_ok", "idle_logout"]
    assert events[1]["idle_minutes"] == IDLE_MINUTES
