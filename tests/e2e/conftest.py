"""The viewer server the browser tests of the shipped sample share (one per test module)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from e2e_support import viewer_server

from gis_app.search.examples import write_example
from gis_app.settings import PROVINCES


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The viewer on the shipped Bắc Ninh sample (or the search example if it is absent)."""
    sample = PROVINCES["bac_ninh"].default_path
    data = sample if sample.exists() else write_example(
        tmp_path_factory.mktemp("e2e") / "example.gpkg")
    with viewer_server(data, tmp_path_factory.mktemp("e2e-log")) as base:
        yield base
