"""Groups of adjacent vacant plots that together reach an area no single plot offers."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from itertools import chain

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..model.crs import require_projected
from .settings import MIN_SHARED_EDGE_M

#: Float sums of hectares (0.1 + 0.2) must still reach a threshold they equal on paper.
_EPS_HA = 1e-9
#: A margin far above the rounding of any sum of hectares: a component this much short of
#: the minimum cannot reach it, however its areas are added up.
_SURE_HA = 1e-6


def adjacent_pairs(
    plots: gpd.GeoDataFrame, *, min_edge_m: float = MIN_SHARED_EDGE_M,
    pool: Executor | None = None,
) -> pd.DataFrame:
    """Pairs of plots of the same park that share an edge of at least ``min_edge_m`` metres.

    Returns positional pairs ``left < right`` with the shared ``edge_m``; touching at a corner
    (a point) is not adjacency, because two plots meeting at a corner cannot host one building.
    ``pool``: threads that intersect the pairs in two halves (GEOS releases the GIL); each
    pair's intersection is its own, so the edges are the same.
    """
    require_projected(plots, what="layer 'plots'")
    geoms = np.asarray(plots.geometry.values, dtype=object)
    tree = shapely.STRtree(geoms)
    # Boxes first, then the exact test on the pairs that count (one way, same park): the
    # tree's own predicate would test every box pair both ways and across parks, three
    # times the work for the same pairs in the same order.
    left, right = tree.query(geoms)
    keep = left < right
    left, right = left[keep], right[keep]
    park = plots["park_code"].to_numpy()
    same_park = park[left] == park[right]
    left, right = left[same_park], right[same_park]
    touching = shapely.intersects(geoms[left], geoms[right])
    left, right = left[touching], right[touching]
    # The common boundary of two plots that share an edge is a line; its length is the edge.
    if pool is None or len(left) < 2:
        edge = _edge_lengths(geoms[left], geoms[right])
    else:
        half = len(left) // 2
        first = pool.submit(_edge_lengths, geoms[left[:half]], geoms[right[:half]])
        second = pool.submit(_edge_lengths, geoms[left[half:]], geoms[right[half:]])
        edge = np.concatenate([first.result(), second.result()])
    keep = edge >= min_edge_m
    return pd.DataFrame({"left": left[keep], "right": right[keep], "edge_m": edge[keep]})


def _edge_lengths(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Length of the intersection of each pair (a shared edge's length, 0 at a corner)."""
    return shapely.length(shapely.intersection(a, b))


def neighbour_lists(pairs: pd.DataFrame, n: int) -> list[tuple[int, ...]]:
    """The adjacency graph of ``n`` plots as one tuple of neighbour positions per plot."""
    left, right = pairs["left"].to_numpy(), pairs["right"].to_numpy()
    # Sorted by plot, then by neighbour: one split gives every plot's neighbours.
    start, others = _csr(np.concatenate([left, right]), np.concatenate([right, left]), n)
    bounds = start.tolist()
    # Slices of a list: np.split into one array per plot costs ten times more nationally.
    flat = others.tolist()
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


@dataclass(frozen=True, eq=False)
class RankedGraph:
    """The adjacency graph of a plan's vacant plots renumbered by rank (0: the largest plot,
    ties by position), the order in which the greedy growth seeds groups and takes
    neighbours. In rank space "the largest free neighbour" is the smallest number, which a
    plain ``min`` over a set of ints finds without a key function.
    """

    by_area: np.ndarray  #: position of each rank (``np.argsort(-area, kind="stable")``)
    areas: list[float]  #: area (ha) of each rank, as Python floats
    #: Neighbour ranks of rank ``r``: ``flat[start[r]:start[r + 1]]`` (Python lists: a
    #: growth reads one plot at a time, where numpy's per-item cost dominates).
    start: list[int]
    flat: list[int]
    ends: np.ndarray  #: every edge twice, as ranks: ``ends[i]`` is next to ``others[i]``
    others: np.ndarray


def _csr(ends: np.ndarray, others: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Every node's neighbours in order, and where each node's run starts (``n + 1``)."""
    order = np.lexsort((others, ends))
    return np.searchsorted(ends[order], np.arange(n + 1)), others[order]


def ranked_graph(area: np.ndarray, pairs: pd.DataFrame) -> RankedGraph:
    """:class:`RankedGraph` of plots of ``area`` (ha) adjacent as :func:`adjacent_pairs` says."""
    by_area = np.argsort(-area, kind="stable")
    rank = np.empty(len(area), dtype=np.int64)
    rank[by_area] = np.arange(len(area))
    left, right = rank[pairs["left"].to_numpy()], rank[pairs["right"].to_numpy()]
    ends, others = np.concatenate([left, right]), np.concatenate([right, left])
    start, flat = _csr(ends, others, len(area))
    return RankedGraph(by_area=by_area, areas=area[by_area].tolist(), start=start.tolist(),
                       flat=flat.tolist(), ends=ends, others=others)


def grow_ranked(graph: RankedGraph, in_pool: np.ndarray, min_area_ha: float,
                max_area_ha: float | None = None) -> list[np.ndarray]:
    """:func:`grow_in_graph` seeded by every pool plot, largest first, on a ranked graph:
    the same groups (positions, sorted), in the same order, with the same float sums.

    ``in_pool``: which plots (by position) may seed or join a group.
    """
    pool = in_pool[graph.by_area]
    areas, start, flat = graph.areas, graph.start, graph.flat
    # A growth takes at most the pool plots connected to its seed: where all of them
    # together fall short of the minimum (by more than any order of summing could change),
    # every growth there fails, so none is tried. A plot alone in its component (no pool
    # neighbour) never grows either, its frontier being always empty.
    inside = pool[graph.ends] & pool[graph.others]
    ends, others = graph.ends[inside], graph.others[inside]
    label = components(len(pool), ends, others)
    reach = np.bincount(label, weights=np.where(pool, areas, 0.0), minlength=len(pool))
    linked = np.zeros(len(pool), dtype=bool)
    linked[ends] = True
    seeds = np.flatnonzero(linked & (reach[label] >= min_area_ha - _SURE_HA)).tolist()
    free = pool.tolist()  # in the pool, and neither in a group nor in the growth under way
    exhausted = [False] * len(areas)  # as in grow_in_graph: its connected plots all failed
    target = min_area_ha - _EPS_HA
    limit = None if max_area_ha is None else max_area_ha + _EPS_HA
    kept: list[list[int]] = []
    for seed in seeds:
        if not free[seed] or exhausted[seed]:
            continue
        frontier = {p for p in flat[start[seed]:start[seed + 1]] if free[p]}
        if not frontier:
            continue
        free[seed] = False
        members, total = [seed], areas[seed]
        while total < target and frontier:
            best = min(frontier)  # the largest free neighbour, ties to the first position
            frontier.remove(best)
            free[best] = False
            members.append(best)
            total += areas[best]
            frontier.update([p for p in flat[start[best]:start[best + 1]] if free[p]])
        if total < target:
            for p in members:
                exhausted[p] = True
                free[p] = True
        elif len(members) > 1 and (limit is None or total <= limit):
            kept.append(members)  # its plots stay taken
        else:
            for p in members:
                free[p] = True
    return _positions(graph.by_area, kept)


def components(n: int, ends: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Connected-component label (its least member) of each of ``n`` nodes joined by the
    edges ``ends[i]``-``others[i]`` (each edge given both ways): minimum-label propagation
    with pointer jumping, a few vectorized passes (no scipy needed for one graph routine)."""
    labels = np.arange(n)
    while True:
        low = np.minimum(labels[ends], labels[others])
        new = labels.copy()
        np.minimum.at(new, ends, low)
        new = new[new]
        if np.array_equal(new, labels):
            return labels
        labels = new


def _positions(by_area: np.ndarray, kept: list[list[int]]) -> list[np.ndarray]:
    """Groups of ranks as sorted arrays of positions, in one pass over all their plots."""
    if not kept:
        return []
    sizes = np.fromiter((len(m) for m in kept), dtype=np.int64, count=len(kept))
    flat = by_area[np.fromiter(chain.from_iterable(kept), dtype=np.int64,
                               count=int(sizes.sum()))]
    label = np.repeat(np.arange(len(kept)), sizes)
    flat = flat[np.lexsort((flat, label))]
    bounds = np.cumsum(sizes).tolist()
    return [flat[a:b] for a, b in zip([0, *bounds[:-1]], bounds, strict=True)]


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
