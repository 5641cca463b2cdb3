"""The Vacant land page builds the search index once per data version and reuses it."""

from __future__ import annotations

import pytest
from viewer_helpers import open_page, texts

import gis_app.search as search_lib


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Plans the viewer builds a search index for (the real builder still runs)."""
    built: list[object] = []
    real = search_lib.build_index

    def counting(plan, roads_rail=None):  # noqa: ANN001, ANN202
        built.append(plan)
        return real(plan, roads_rail)

    monkeypatch.setattr(search_lib, "build_index", counting)
    return built


def test_a_second_search_reuses_the_index(builds, app):
    open_page(app, "vacant_land")
    assert texts(app.subheader)[0] == "5 kết quả"
    assert len(builds) == 1
    # A new query (not a cached result: the answer changes) on the same index.
    app.number_input(key="vl_min_ha").set_value(1.5).run()
    assert texts(app.subheader)[0] == "2 kết quả"
    app.number_input(key="vl_min_ha").set_value(3.0).run()
    assert list(app.dataframe[0].value["Các lô"]) == ["B1,B2,B3"]
    assert len(builds) == 1
