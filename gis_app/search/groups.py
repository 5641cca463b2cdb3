"""Groups of adjacent vacant plots that together reach an area no single plot offers."""

from __future__ import annotations

from collections import defaultdict

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..layers.crs import require_projected
from .settings import MIN_SHARED_EDGE_M

#: Float sums of hectares (0.1 + 0.2) must still reach a threshold they equal on paper.
_EPS_HA = 1e-9


def adjacent_pairs(
    plots: gpd.GeoDataFrame, *, min_edge_m: float = MIN_SHARED_EDGE_M
) -> pd.DataFrame:
    """Pairs of plots of the same park that share an edge of at least ``min_edge_m`` metres.

    Returns positional pairs ``left < right`` with the shared ``edge_m``; touching at a corner
    (a point) is not adjacency, because two plots meeting at a corner cannot host one building.
    """
    require_projected(plots, what="layer 'plots'")
    geoms = plots.geometry.values
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    park = plots["park_code"].to_numpy()
    same_park = park[left] == park[right]
    left, right = left[same_park], right[same_park]
    # The common boundary of two plots that share an edge is a line; its length is the edge.
    edge = shapely.length(shapely.intersection(geoms[left], geoms[right]))
    keep = edge >= min_edge_m
    return pd.DataFrame({"left": left[keep], "right": right[keep], "edge_m": edge[keep]})


def grow_groups(
    plots: gpd.GeoDataFrame, min_area_ha: float, max_area_ha: float | None = None
) -> list[np.ndarray]:
    """Disjoint groups of adjacent plots (positions into ``plots``) of at least ``min_area_ha``.

    Greedy: the largest unused plot seeds a group, which then takes its largest unused
    neighbour until the group reaches the minimum area. Groups that cannot reach it, or that
    overshoot ``max_area_ha``, are dropped. Adjacency is computed once, vectorized; the growth
    itself walks the adjacency graph, which is inherently sequential (each step depends on the
    previous one) and only visits the plots of parks that need a group.
    """
    if plots.empty:
        return []
    pairs = adjacent_pairs(plots)
    neighbours: defaultdict[int, set[int]] = defaultdict(set)
    for a, b in zip(pairs["left"].to_numpy(), pairs["right"].to_numpy(), strict=True):
        neighbours[int(a)].add(int(b))
        neighbours[int(b)].add(int(a))
    area = plots["area_ha"].to_numpy(dtype=float)
    used = np.zeros(len(plots), dtype=bool)
    groups: list[np.ndarray] = []
    for seed in np.argsort(-area, kind="stable"):
        if used[seed] or not neighbours[int(seed)]:
            continue
        members, total = [int(seed)], area[seed]
        frontier = set(neighbours[int(seed)])
        while total < min_area_ha - _EPS_HA:
            frontier = {p for p in frontier if not used[p] and p not in members}
            if not frontier:
                break
            best = max(frontier, key=lambda p: (area[p], -p))
            members.append(best)
            total += area[best]
            frontier |= neighbours[best]
        if len(members) > 1 and total >= min_area_ha - _EPS_HA and (
            max_area_ha is None or total <= max_area_ha + _EPS_HA
        ):
            used[members] = True
            groups.append(np.array(sorted(members)))
    return groups
