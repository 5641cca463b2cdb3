"""The fast paths of the validation rules, in one place: what the rules ask of a layer's
geometries, each answer worked out once and the quick way.

A rule asks plain questions: which geometries are valid, which are finite, which pairs share
more than some area. :class:`Shapes` answers them for one layer, and remembers each answer so
that the rules sharing a layer (the geometry check, the judging of the features the spatial
rules can use, the overlap rule) pay for it once. The quick ways:

- quadrilaterals (plots, nearly always) proved valid in numpy (:func:`._quads.convex`), GEOS
  asked only about the rest;
- quadrilaterals proved inside a strictly convex quadrilateral (a plot inside its park) in
  numpy (:func:`._quads.inside_convex`), GEOS asked only about the rest;
- the overlap rule's candidate pairs (bounding boxes that meet) queried once per layer, possibly
  on another thread before the layer is checked (:meth:`Shapes.prefetch_pairs`), and narrowed by
  an exact separating-axis bound (:mod:`._overlap`) before GEOS measures what is left;
- the costly GEOS predicates split over two threads (:func:`threaded`; GEOS releases the GIL).

With ``fast=False`` every answer comes from GEOS alone (the general path): the answers are the
same, which the tests check, only slower.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._overlap import cleared_pairs
from ._quads import convex, inside_convex, quads

__all__ = ["Shapes", "candidate_pairs", "finite_geometries", "threaded"]

#: Below this many geometries a predicate runs on one thread (starting threads costs more).
THREADED_FROM = 50_000

Pairs = tuple[np.ndarray, np.ndarray]

#: Geometries per query of :func:`candidate_pairs` (bounds the query's temporary answer).
QUERY_CHUNK = 32_768

#: Shapely's geometry type ids by name.
_TYPE_IDS = {"Point": 0, "LineString": 1, "LinearRing": 2, "Polygon": 3, "MultiPoint": 4,
             "MultiLineString": 5, "MultiPolygon": 6, "GeometryCollection": 7}


def threaded(func: Callable[..., Any], *arrays: np.ndarray,
             from_size: int = THREADED_FROM) -> np.ndarray:
    """``func(*arrays)`` (a vectorized shapely function) on two cores, each taking half the
    elements; on one thread for fewer than ``from_size`` elements or a single core."""
    n = len(arrays[0])
    workers = min(2, os.cpu_count() or 1)
    if n < from_size or workers < 2:
        return func(*arrays)
    bounds = np.linspace(0, n, workers + 1).astype(int)
    with ThreadPoolExecutor(workers) as pool:
        parts = pool.map(lambda ab: func(*(a[ab[0]:ab[1]] for a in arrays)),
                         zip(bounds[:-1], bounds[1:], strict=True))
        return np.concatenate(list(parts))


def candidate_pairs(geoms: np.ndarray, *, chunk: int = QUERY_CHUNK) -> Pairs:
    """Positions ``i < j`` of the geometries whose bounding boxes meet.

    By bounding box only: one predicate pass on the pairs is cheaper than a predicate query
    (which also tests every feature against itself). Any geometries will do (missing, empty
    and invalid ones too), so the query can start before the layer is checked.

    The tree is queried ``chunk`` geometries at a time and each answer halved (``i < j``) at
    once: the whole query's answer holds every pair twice and every feature with itself, 2.5
    times the pairs kept (80 MB at a million plots, all alive at the load's peak). The pairs
    and their order are the whole query's: it answers input by input, in input order.
    """
    tree = shapely.STRtree(geoms)
    lefts, rights = [np.zeros(0, dtype=np.intp)], [np.zeros(0, dtype=np.intp)]
    for start in range(0, len(geoms), chunk):
        left, right = tree.query(geoms[start:start + chunk])
        left += start
        keep = left < right
        lefts.append(left[keep])
        rights.append(right[keep])
    return np.concatenate(lefts), np.concatenate(rights)


def finite_geometries(geoms: np.ndarray, *, threads: bool = True) -> np.ndarray:
    """Which geometries have finite coordinates and a finite measured area.

    Every comparison with NaN is false, so a plot whose area is NaN (vertices at 1e308 m
    overflow the measurement) would pass the area, inside-park and overlap rules. The area
    (one cheap pass) is finite only for finite coordinates; points and lines measure 0
    whatever their coordinates, so theirs are looked at too. Missing geometries count as
    finite (another rule reports them).
    """
    with np.errstate(invalid="ignore", over="ignore"):
        area = threaded(shapely.area, geoms) if threads else shapely.area(geoms)
    finite = np.isfinite(area) | shapely.is_missing(geoms)
    flat = np.flatnonzero(finite & (area == 0))
    if len(flat):
        with np.errstate(invalid="ignore"):
            finite[flat] = np.isfinite(shapely.bounds(geoms[flat])).all(axis=1) | \
                shapely.is_empty(geoms[flat])
    return finite


class Shapes:
    """One layer's geometries and the answers the rules ask of them, each worked out once.

    ``fast``: use the quadrilateral proofs and the separating-axis filter (False: GEOS alone,
    the same answers). ``threads``: split costly predicates over two threads.
    """

    def __init__(self, geoms: np.ndarray, *, fast: bool = True, threads: bool = True) -> None:
        self.geoms = np.asarray(geoms, dtype=object)
        self.fast, self.threads = fast, threads
        self._pairs: Future[Pairs] | Pairs | None = None

    @classmethod
    def of(cls, frame: pd.DataFrame, *, fast: bool = True, threads: bool = True
           ) -> Shapes | None:
        """The geometries of a layer; None when it has no geometry column."""
        if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
            return None
        return cls(np.asarray(frame.geometry.values), fast=fast, threads=threads)

    def __len__(self) -> int:
        return len(self.geoms)

    def _threaded(self, func: Callable[..., Any], *arrays: np.ndarray) -> np.ndarray:
        return threaded(func, *arrays) if self.threads else func(*arrays)

    @cached_property
    def present(self) -> np.ndarray:
        """Which features have a geometry that is not empty."""
        return ~(shapely.is_missing(self.geoms) | shapely.is_empty(self.geoms))

    @cached_property
    def type_ids(self) -> np.ndarray:
        """Shapely's type id of each geometry (-1 where missing)."""
        return np.asarray(shapely.get_type_id(self.geoms))

    @cached_property
    def finite(self) -> np.ndarray:
        """See :func:`finite_geometries`."""
        return finite_geometries(self.geoms, threads=self.threads)

    @cached_property
    def corners(self) -> tuple[np.ndarray, np.ndarray]:
        """Which geometries are quadrilaterals, and their corners (see :func:`._quads.quads`)."""
        return quads(self.geoms)

    @cached_property
    def valid(self) -> np.ndarray:
        """``shapely.is_valid`` of each geometry: the strictly convex quadrilaterals proved in
        numpy, GEOS asked about the rest."""
        if not self.fast:
            return self._threaded(shapely.is_valid, self.geoms)
        proven = convex(self.corners[1])
        if proven.all():
            return proven
        valid = proven.copy()
        valid[~proven] = self._threaded(shapely.is_valid, self.geoms[~proven])
        return valid

    def of_type(self, types: Sequence[str]) -> np.ndarray:
        """Which geometries are of one of ``types`` (e.g. ``("Polygon", "MultiPolygon")``)."""
        return np.isin(self.type_ids, [_TYPE_IDS[t] for t in types])

    def usable(self, types: Sequence[str]) -> np.ndarray:
        """The features a spatial rule can judge: a non-empty, finite, valid geometry of one
        of ``types``."""
        return self.of_type(types) & self.present & self.finite & self.valid

    def inside(self, outlines: Shapes, owner: np.ndarray, which: np.ndarray) -> np.ndarray:
        """For each geometry ``which[i]``, True when it provably lies inside the outline
        ``outlines.geoms[owner[i]]``; False means "not decided here" (ask GEOS): a
        quadrilateral inside a strictly convex quadrilateral (plots in parks, nearly always)
        is decided in numpy (:func:`._quads.inside_convex`)."""
        if not self.fast:
            return np.zeros(len(which), dtype=bool)
        return inside_convex(outlines.corners[1], owner, self.corners[1], which)

    def prefetch_pairs(self, pool: Executor) -> None:
        """Start the query for :attr:`pairs` on ``pool`` (it needs no checked geometry)."""
        if self._pairs is None:
            self._pairs = pool.submit(candidate_pairs, self.geoms)

    @property
    def pairs(self) -> Pairs:
        """:func:`candidate_pairs` of the geometries."""
        if self._pairs is None:
            self._pairs = candidate_pairs(self.geoms)
        elif isinstance(self._pairs, Future):
            self._pairs = self._pairs.result()
        return self._pairs

    def overlapping(self, more_than: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The pairs of positions ``i < j`` whose interiors share more than ``more_than``
        of area, and that area, in the order of :attr:`pairs`."""
        if len(self.geoms) < 2:
            empty = np.zeros(0, dtype=np.intp)
            return empty, empty, np.zeros(0)
        left, right = self.pairs
        geoms = self.geoms
        if self.fast:
            # Neighbours that provably share at most the limit (nearly all pairs) skip GEOS.
            undecided = ~cleared_pairs(geoms, left, right, more_than, corners=self.corners)
            left, right = left[undecided], right[undecided]
        interiors = self._threaded(lambda a, b: shapely.relate_pattern(a, b, "T********"),
                                   geoms[left], geoms[right])
        left, right = left[interiors], right[interiors]
        shared = shapely.area(self._threaded(shapely.intersection, geoms[left], geoms[right]))
        big = shared > more_than
        return left[big], right[big], shared[big]

    def subset(self, mask: np.ndarray) -> Shapes:
        """The geometries ``mask`` keeps, with the answers known so far (and the candidate
        pairs, if queried) restricted to them and numbered as in the subset."""
        part = Shapes(self.geoms[mask], fast=self.fast, threads=self.threads)
        for name in ("present", "type_ids", "finite", "valid"):
            if name in self.__dict__:
                part.__dict__[name] = self.__dict__[name][mask]
        if "corners" in self.__dict__:
            quad, points = self.corners
            part.__dict__["corners"] = (quad[mask], points[mask])
        if self._pairs is not None:
            part._pairs = _subset_pairs(self.pairs, mask)
        return part


def _subset_pairs(pairs: Pairs, mask: np.ndarray) -> Pairs:
    """:func:`candidate_pairs` of a layer, restricted to the features ``mask`` keeps and
    numbered as in the subset."""
    left, right = pairs
    keep = mask[left] & mask[right]
    position = np.cumsum(mask) - 1
    return position[left[keep]], position[right[keep]]
