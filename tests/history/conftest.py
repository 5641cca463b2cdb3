"""Fixtures: a tiny province file with a hand-made history (see history_fixtures.py)."""

from __future__ import annotations

import pytest
from history_fixtures import make_history

from gis_app.storage.gpkg import write_plan
from gis_app.testing import tiny_plan


@pytest.fixture
def fresh(tmp_path):
    """The tiny plan in a file, no history yet."""
    path = tmp_path / "tiny.gpkg"
    write_plan(path, tiny_plan())
    return path


@pytest.fixture(scope="module")
def tiny_history(tmp_path_factory):
    """Read-only: tests that write take ``writable_history``."""
    return make_history(tmp_path_factory.mktemp("history") / "tiny.gpkg")


@pytest.fixture
def writable_history(tmp_path):
    return make_history(tmp_path / "tiny.gpkg")
