"""The vacant-land search across the two shipped provinces.

The national search equals the union of the per-province searches, merged in the order one
search ranks (score, area, plot codes; nearest first when asked) and cut at the limit, and
every result names its province.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis_app.errors import UsageError
from gis_app.search import ProvinceSearch, SearchQuery, build_index, search, search_provinces
from gis_app.settings import PROVINCES
from gis_app.storage.source import read_context, read_plan

KEYS = ("bac_ninh", "ninh_binh")


@pytest.fixture(scope="module")
def provinces():
    paths = {key: PROVINCES[key].default_path for key in KEYS}
    if not all(p.exists() for p in paths.values()):
        pytest.skip("the shipped provinces are not built (kcn-gis sample)")
    out = []
    for key, path in paths.items():
        plan, roads = read_plan(path), read_context(path, "roads_rail")
        out.append(ProvinceSearch(key, plan, roads, build_index(plan, roads)))
    return out


def _union(provinces, query) -> pd.DataFrame:
    found = [search(p.plan, query, p.roads_rail, index=p.index) for p in provinces]
    parts = [pd.DataFrame(r.drop(columns=r.geometry.name)).assign(source=p.name)
             for r, p in zip(found, provinces, strict=True)]
    union = pd.concat(parts, ignore_index=True)
    lead = ([union[f"dest_{query.nearest_to}_km"]] if query.nearest_to else [])
    keys = list(zip(*lead, -union["score"], -union["area_ha"], union["plot_codes"],
                    union["source"], strict=True))
    return union.iloc[sorted(range(len(keys)), key=keys.__getitem__)]


def _ids(frame) -> list[tuple[str, str]]:
    return list(zip(frame["source"], frame["site_id"], strict=True))


@pytest.mark.parametrize("query", [
    SearchQuery(min_area_ha=3.0, limit=10_000),
    SearchQuery(min_area_ha=12.0, limit=10_000),  # groups of adjacent plots too
    SearchQuery(min_area_ha=1.0, max_road_km=5.0, limit=10_000),
], ids=["plots", "groups", "near-road"])
def test_all_results_are_the_union_of_the_provinces_ranked_alike(provinces, query):
    national = search_provinces(provinces, query)
    union = _union(provinces, query)
    assert _ids(national) == _ids(union)
    assert set(national["source"]) == set(KEYS)  # both provinces contribute
    assert set(national["province"]) == {"Bắc Ninh", "Ninh Bình"}
    np.testing.assert_allclose(national["score"], union["score"])
    np.testing.assert_allclose(national["area_ha"], union["area_ha"])
    assert national["score"].is_monotonic_decreasing


@pytest.mark.parametrize("query", [
    SearchQuery(min_area_ha=2.0, limit=7),
    SearchQuery(min_area_ha=2.0, limit=7, nearest_to="noibai"),
], ids=["best", "nearest"])
def test_the_limit_keeps_the_best_of_the_union(provinces, query):
    national = search_provinces(provinces, query)
    wide = SearchQuery(**{**query.__dict__, "limit": 10_000})
    assert _ids(national) == _ids(_union(provinces, wide))[:query.limit]
    assert len(national) == query.limit


def test_results_of_provinces_in_two_zones_are_given_in_wgs84(provinces):
    national = search_provinces(provinces, SearchQuery(min_area_ha=3.0, limit=50))
    assert national.crs.to_epsg() == 4326
    bounds = national.total_bounds
    assert 104 < bounds[0] < bounds[2] < 108 and 19 < bounds[1] < bounds[3] < 23
    one = search_provinces(provinces[1:], SearchQuery(min_area_ha=3.0, limit=50))
    assert one.crs == provinces[1].plan.crs  # one province: its own VN-2000 zone


def test_a_search_that_finds_nothing_is_empty_not_an_error(provinces):
    national = search_provinces(provinces, SearchQuery(min_area_ha=5000.0, limit=5))
    assert len(national) == 0 and "source" in national.columns


def test_names_must_tell_provinces_apart(provinces):
    with pytest.raises(UsageError, match="repeat"):
        search_provinces([provinces[0], provinces[0]], SearchQuery())
    with pytest.raises(UsageError, match="no province"):
        search_provinces([], SearchQuery())
