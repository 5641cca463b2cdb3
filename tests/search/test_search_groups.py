"""Growing groups skips seeds whose connected plots already failed to reach the minimum area:
the groups stay exactly those of the plain greedy growth, on both shipped provinces, for
minimum areas some groups reach, none reaches, and with maximum areas that drop groups."""

from __future__ import annotations

import numpy as np
import pytest

from gis_app.search import SearchQuery, build_index
from gis_app.search.groups import grow_in_graph
from gis_app.search.search import _eligible
from gis_app.settings import PROVINCES
from gis_app.storage.gpkg import read_context, read_plan

_EPS_HA = 1e-9


def _plain_growth(order, area, neighbours, min_area_ha, max_area_ha, in_pool):  # noqa: ANN001, ANN202
    """The greedy growth as it was: every unused seed grows anew, even where one failed."""
    areas, pool = area.tolist(), in_pool.tolist()
    used = [False] * len(areas)
    target = min_area_ha - _EPS_HA
    groups = []
    for seed in order.tolist():
        if used[seed]:
            continue
        frontier = {p for p in neighbours[seed] if pool[p]}
        if not frontier:
            continue
        members, total = [seed], areas[seed]
        while total < target:
            frontier = {p for p in frontier if not used[p] and p not in members}
            if not frontier:
                break
            best = max(frontier, key=lambda p: (areas[p], -p))
            members.append(best)
            total += areas[best]
            frontier.update(p for p in neighbours[best] if pool[p])
        if len(members) > 1 and total >= target and (
                max_area_ha is None or total <= max_area_ha + _EPS_HA):
            for p in members:
                used[p] = True
            groups.append(np.array(sorted(members)))
    return groups


@pytest.fixture(scope="module", params=["bac_ninh", "ninh_binh"])
def index(request):
    path = PROVINCES[request.param].default_path
    plan = read_plan(path)
    return build_index(plan, read_context(path, "roads_rail"))


@pytest.mark.parametrize(("min_ha", "max_ha", "headroom"), [
    (3.0, None, None), (8.0, None, None), (14.0, None, None), (30.0, None, 1000.0),
    (1e6, None, None), (6.0, 7.0, None), (12.0, 12.5, 500.0),
])
def test_groups_are_the_plain_greedy_ones(index, min_ha, max_ha, headroom):
    query = SearchQuery(min_area_ha=min_ha, max_area_ha=max_ha, min_headroom_m3_day=headroom)
    pool = _eligible(index, query)
    seeds = index.by_area[pool[index.by_area]]
    fast = grow_in_graph(seeds, index.area, index.neighbours, min_ha, max_ha, in_pool=pool)
    plain = _plain_growth(seeds, index.area, index.neighbours, min_ha, max_ha, pool)
    assert [g.tolist() for g in fast] == [g.tolist() for g in plain]
    if min_ha <= 8:
        assert fast  # the comparison covers groups, not only empty answers
