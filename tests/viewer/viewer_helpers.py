"""Helpers shared by the viewer tests (a uniquely named module, importable from tests/viewer)."""

from __future__ import annotations

import datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "gis_app" / "viewer" / "app.py"
OFFICER, PASSWORD = "lan", "mật-khẩu-đúng"


def texts(elements) -> list[str]:
    return [str(e.value) for e in elements]


def open_page(at: AppTest, module: str) -> AppTest:
    at.switch_page(f"views/{module}.py").run()
    assert not at.exception, at.exception
    return at


def login(at: AppTest, name: str = OFFICER, password: str = PASSWORD) -> AppTest:
    at.sidebar.radio(key="mode").set_value("officer").run()
    at.sidebar.text_input(key="login_name").input(name)
    at.sidebar.text_input(key="login_password").input(password)
    next(b for b in at.sidebar.button if b.label in ("Đăng nhập", "Log in")).click().run()
    assert not at.exception, at.exception
    return at


def set_date(at: AppTest, key: str, day: datetime.date) -> AppTest:
    """Choose ``day`` in the viewer's date field ``key`` (day, month and year boxes, see
    gis_app.viewer.date_field); one run."""
    at.selectbox(key=f"{key}_day").set_value(day.day)
    at.selectbox(key=f"{key}_month").set_value(day.month)
    return at.selectbox(key=f"{key}_year").set_value(day.year).run()
