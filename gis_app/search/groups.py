"""Groups of adjacent vacant plots that together reach an area no single plot offers."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..model.crs import require_projected
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


def neighbour_lists(pairs: pd.DataFrame, n: int) -> list[tuple[int, ...]]:
    """The adjacency graph of ``n`` plots as one tuple of neighbour positions per plot."""
    left, right = pairs["left"].to_numpy(), pairs["right"].to_numpy()
    ends = np.concatenate([left, right])
    other = np.concatenate([right, left])
    # Sorted by plot, then by neighbour: one split gives every plot's neighbours.
    order = np.lexsort((other, ends))
    bounds = np.searchsorted(ends[order], np.arange(n + 1)).tolist()
    # Slices of a list: np.split into one array per plot costs ten times more nationally.
    flat = other[order].tolist()
    return [tuple(flat[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def grow_in_graph(
    order: np.ndarray,
    area: np.ndarray,
    neighbours: Sequence[tuple[int, ...]],
    min_area_ha: float,
    max_area_ha: float | None = None,
    in_pool: np.ndarray | None = None,
    rank: np.ndarray | None = None,
) -> list[np.ndarray]:
    """The greedy growth of :func:`grow_groups` on a prepared graph.

    Parameters
    ----------
    order
        Positions of the pool plots that may seed a group, largest area first (ties by
        position).
    area
        Area (ha) of every plot of the graph.
    neighbours
        Neighbour positions of every plot (:func:`neighbour_lists`).
    min_area_ha, max_area_ha
        As in :func:`grow_groups`.
    in_pool
        Plots that may join a group (default: all). Restricting a graph to a pool gives the
        groups the pool's own graph would give, positions being in the same order.
    rank
        Each plot's place among all plots by area, largest first, ties by position (the
        inverse of ``np.argsort(-area, kind="stable")``); worked out when not given.
    """
    if rank is None:
        rank = np.empty(len(area), dtype=np.int64)
        rank[np.argsort(-area, kind="stable")] = np.arange(len(area))
    # Python lists: indexing a numpy array one element at a time costs more than the step.
    areas = area.tolist()
    # The neighbour a growth takes: the largest, ties to the first (the least rank).
    first = rank.tolist().__getitem__
    # Free: in the pool, and neither in a group nor in the growth under way.
    free = [True] * len(areas) if in_pool is None else in_pool.tolist()
    # Plots of a growth that ran out of neighbours below the target: together they are all
    # the unused pool plots connected to its seed, so growing from any of them would take the
    # same plots (or fewer, once others are used) and fail again. Skipping them as seeds
    # changes no group, and a minimum area no group reaches costs one pass, not one per plot.
    exhausted = [False] * len(areas)
    target = min_area_ha - _EPS_HA
    groups: list[np.ndarray] = []
    for seed in order.tolist():
        if not free[seed] or exhausted[seed]:
            continue
        # The frontier holds exactly the free plots next to the growth: kept up to date step
        # by step instead of filtered again at every step.
        frontier = {p for p in neighbours[seed] if free[p]}
        if not frontier:
            continue
        free[seed] = False
        members, total = [seed], areas[seed]
        while total < target and frontier:
            best = min(frontier, key=first)
            frontier.discard(best)
            free[best] = False
            members.append(best)
            total += areas[best]
            frontier.update([p for p in neighbours[best] if free[p]])
        if total < target:
            for p in members:
                exhausted[p] = True
                free[p] = True
        elif len(members) > 1 and (max_area_ha is None or total <= max_area_ha + _EPS_HA):
            groups.append(np.array(sorted(members)))  # its plots stay taken
        else:
            for p in members:
                free[p] = True
    return groups


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
    area = plots["area_ha"].to_numpy(dtype=float)
    neighbours = neighbour_lists(adjacent_pairs(plots), len(plots))
    return grow_in_graph(np.argsort(-area, kind="stable"), area, neighbours,
                         min_area_ha, max_area_ha)
