"""Fixtures for the viewer tests: real province files in tmp_path, an officer file, AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from viewer_helpers import APP, OFFICER, PASSWORD

from gis_app.search.examples import write_example
from gis_app.viewer.auth import add_officer


@pytest.fixture
def province_file(tmp_path: Path) -> Path:
    return write_example(tmp_path / "bac_ninh_example.gpkg")


@pytest.fixture
def viewer_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, province_file: Path) -> Path:
    auth = tmp_path / "officers.toml"
    add_officer(OFFICER, PASSWORD, auth)
    monkeypatch.setenv("KCN_GIS_FILES", str(province_file))
    monkeypatch.setenv("KCN_GIS_AUTH_FILE", str(auth))
    return province_file


@pytest.fixture
def app(viewer_env: Path) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


