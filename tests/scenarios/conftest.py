"""Fixtures for the scenario tests: the tiny plan and a GeoPackage of it in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from gis_app.model.plan import Plan
from gis_app.storage.gpkg import write_plan
from gis_app.testing import tiny_plan


@pytest.fixture
def plan() -> Plan:
    return tiny_plan()


@pytest.fixture
def gpkg(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.gpkg"
    write_plan(path, tiny_plan(), fresh=True)
    return path
