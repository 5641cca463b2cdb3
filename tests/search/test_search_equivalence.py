"""The faster search index finds exactly what the straightforward computation finds.

Each piece the index computes another way is compared with the plain computation it
replaced, on the shipped provinces (real plots), on generated provinces of
:func:`gis_app.sample.scale.build_scaled` (rows of plots whose shared edges differ in the
last bits, so some touch, some overlap by slivers and some miss by 1e-10 m) and on a grid of
equal plots (where only the tie-breaks decide):

* adjacency: the pairs, their order and their edge lengths of the STRtree predicate query
  followed by GEOS's intersection of every pair;
* adjacency on two threads (each pair's intersection is its own);
* each destination's distance order: by distance, ties by position;
* groups: the greedy growth of every pool plot as first written (every seed grows anew,
  largest neighbour first, ties to the first position), for minimum areas some groups
  reach, none reaches and with maximum areas that drop groups.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from gis_app.sample.scale import build_scaled
from gis_app.search import DESTINATIONS, SearchQuery, adjacent_pairs, build_index
from gis_app.search.groups import grow_ranked
from gis_app.search.search import _eligible
from gis_app.settings import PROVINCES
from gis_app.storage.gpkg import read_context, read_plan

_EPS_HA = 1e-9


def reference_pairs(plots: gpd.GeoDataFrame, min_edge_m: float = 1.0) -> pd.DataFrame:
    """Adjacency as first written: every box pair tested by the tree's predicate, both
    ways, then the same park and the length of GEOS's intersection of the two plots."""
    geoms = plots.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    park = plots["park_code"].to_numpy()
    same = park[left] == park[right]
    left, right = left[same], right[same]
    edge = shapely.length(shapely.intersection(geoms[left], geoms[right]))
    keep = edge >= min_edge_m
    return pd.DataFrame({"left": left[keep], "right": right[keep], "edge_m": edge[keep]})


def reference_groups(area, neighbours, pool, min_area_ha, max_area_ha):  # noqa: ANN001, ANN201
    """The greedy growth in its plainest form: seeds largest first (ties by position), a
    seed grows by its largest free neighbour (ties to the first position) until the group
    reaches the minimum; groups that fall short or overshoot the maximum are dropped."""
    n = len(area)
    order = sorted(range(n), key=lambda p: (-area[p], p))
    used = [False] * n
    target = min_area_ha - _EPS_HA
    groups = []
    for seed in order:
        if not pool[seed] or used[seed]:
            continue
        members, total = [seed], float(area[seed])
        while total < target:
            near = {q for m in members for q in neighbours[m]
                    if pool[q] and not used[q] and q not in members}
            if not near:
                break
            best = min(near, key=lambda p: (-area[p], p))
            members.append(best)
            total += float(area[best])
        if len(members) > 1 and total >= target and (
                max_area_ha is None or total <= max_area_ha + _EPS_HA):
            for p in members:
                used[p] = True
            groups.append(sorted(members))
    return groups


def _grid_plan():
    """A generated province whose plots all have the same area: ties everywhere."""
    plan = build_scaled(3, 400, 5, seed=5, key="bac_ninh")
    plots = plan.plots.copy()
    plots["area_ha"] = 1.0
    return plan.replace(plots=plots)


@pytest.fixture(scope="module", params=["bac_ninh", "ninh_binh", "scaled-3", "scaled-11",
                                        "equal-areas"])
def province(request):
    if request.param in PROVINCES:
        path = PROVINCES[request.param].default_path
        plan, roads = read_plan(path), read_context(path, "roads_rail")
    elif request.param == "equal-areas":
        plan, roads = _grid_plan(), None
    else:
        plan = build_scaled(6, 1500, 50, seed=int(request.param.split("-")[1]), key="bac_ninh")
        roads = None
    return plan, roads, build_index(plan, roads)


def test_adjacency_is_the_predicate_query_and_intersection(province):
    plan, _, index = province
    expected = reference_pairs(index.sites)
    assert len(expected) > 10  # plots that share edges, not an empty comparison
    got = adjacent_pairs(index.sites)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    # The index's graph holds these pairs: as positions, each plot's sorted neighbours.
    neighbours = [[] for _ in range(len(index))]
    for a, b in zip(expected["left"], expected["right"], strict=True):
        neighbours[a].append(int(b))
        neighbours[b].append(int(a))
    assert [list(t) for t in index.neighbours] == [sorted(n) for n in neighbours]


def test_adjacency_on_two_threads_is_the_same(province):
    _, _, index = province
    with ThreadPoolExecutor(max_workers=2) as pool:
        got = adjacent_pairs(index.sites, pool=pool)
    pd.testing.assert_frame_equal(got, reference_pairs(index.sites), check_exact=True)


def test_each_destination_order_is_by_distance_then_position(province):
    # Sorted on first use and kept: the order a nearest-first query walks, ties by position.
    _, _, index = province
    for d in DESTINATIONS:
        km = index.numbers[f"dest_{d.key}_km"].tolist()
        expected = sorted(range(len(km)), key=lambda p: (km[p], p))
        order, sorted_km = index.nearest(d.key)
        assert order.tolist() == expected
        assert sorted_km.tolist() == [km[p] for p in expected]
        assert index.nearest(d.key)[0] is order  # kept, not sorted again


def test_adjacency_of_all_plots_as_well(province):
    # Leased and vacant plots together (more pairs, other parks next to each other).
    plan, _, _ = province
    plots = plan.plots.reset_index(drop=True)
    pd.testing.assert_frame_equal(adjacent_pairs(plots), reference_pairs(plots),
                                  check_exact=True)


def _queries(index) -> list[SearchQuery]:  # noqa: ANN001
    largest = float(index.area.max())
    median = float(np.median(index.area))
    return [
        SearchQuery(min_area_ha=round(largest * 1.3, 2)),  # groups in every park
        SearchQuery(min_area_ha=round(median * 2, 2)),  # groups where no plot is enough
        SearchQuery(min_area_ha=round(largest * 3, 2)),  # few groups, many that fall short
        SearchQuery(min_area_ha=round(largest * 1.3, 2), max_area_ha=round(largest * 1.6, 2)),
        SearchQuery(min_area_ha=round(median * 2, 2), min_headroom_m3_day=500.0),
        SearchQuery(min_area_ha=1e6),  # none reaches it
    ]


def test_groups_are_the_plainest_greedy_growth(province):
    _, _, index = province
    neighbours = index.neighbours
    area = index.area.tolist()
    grouped = 0
    for query in _queries(index):
        pool = _eligible(index, query)
        got = grow_ranked(index.graph, pool, query.min_area_ha, query.max_area_ha)
        expected = reference_groups(area, neighbours, pool.tolist(), query.min_area_ha,
                                    query.max_area_ha)
        assert [g.tolist() for g in got] == expected, query
        grouped += len(got)
    assert grouped > 0  # the comparison covers groups, not only empty answers
