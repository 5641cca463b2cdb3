"""Fixtures of the map-sheet tests: small synthetic plans and the shipped Bắc Ninh sample."""

from __future__ import annotations

import pytest
from sheet_fixtures import three_park_plan

from gis_app.export import SheetData, load_sheet_data, sheet_data_from_plan
from gis_app.settings import PROVINCES
from gis_app.testing import tiny_plan


@pytest.fixture
def tiny_data() -> SheetData:
    return sheet_data_from_plan(tiny_plan(), "bac_ninh", illustrative=True, source="tiny_plan()")


@pytest.fixture
def three_parks() -> SheetData:
    return sheet_data_from_plan(three_park_plan(), "bac_ninh", source="three_park_plan()")


@pytest.fixture(scope="session")
def bac_ninh() -> SheetData:
    return load_sheet_data(PROVINCES["bac_ninh"].default_path)
