"""A cheap, exact filter for the overlap rule: pairs of quadrilaterals that cannot share more
than a given area, decided with separating axes in numpy.

Neighbouring plots touch along their edges, and once the drawing is rotated or reprojected the
shared edges no longer coincide bit for bit: most candidate pairs of a real plots layer overlap
by a sliver of 1e-9 m². Asking GEOS for their DE-9IM relation and then for the intersection
costs seconds at 250,000 plots. Project both polygons' corners on each edge normal: the two
intervals overlap by some width (negative when apart), and the intersection lies in a strip
that wide. With ``d`` the smallest width, the intersection is no longer than either polygon's
diameter ``D``, so its area is at most ``d * D`` (and 0 when ``d <= 0``); this holds for any
polygons and any subset of the axes, and for convex ones (plots, nearly always) ``d`` over all
eight axes is the true separation (the separating-axis theorem), so touching neighbours get a
bound of about 0. Pairs whose bound is below the tolerance are cleared; every other pair is
left to GEOS. So the result is that of measuring every pair, only faster. Polygons that are not
quadrilaterals (up to 16 corners, no holes) get the same bound over all their edges.
"""

from __future__ import annotations

import numpy as np
import shapely

from ._quads import quads, simple_polygons

__all__ = ["cleared_pairs", "quads"]

#: Pairs per numpy batch: the temporaries of a batch stay in the CPU cache, which makes the
#: arithmetic several times faster than on whole 500,000-pair arrays.
_BATCH = 32_768


class _Terms:
    """The polygons' corners as the bound uses them; ``corners`` is ``(n, k, 2)``:
    quadrilaterals, or rings padded to ``k`` corners (``padded``).

    Stored as one contiguous array per corner and per axis, because gathering whole columns
    with ``take`` is far cheaper than gathering rows of ``(n, 4)`` arrays. Each polygon's own
    axes (edge normals, own extents) are worked out per batch of pairs (:meth:`axes_of`), not
    kept for the whole layer: those 16 arrays per layer were 128 MB at a million plots, alive
    at the load's peak.
    """

    def __init__(self, corners: np.ndarray, *, padded: bool = False) -> None:
        # One origin for the layer keeps magnitudes (and rounding) small.
        finite = np.isfinite(corners).all(axis=(1, 2))
        known = corners if finite.all() else corners[finite]
        # Per coordinate over a flat view: numpy reduces a short last axis slowly.
        origin = ([known[:, :, 0].min(), known[:, :, 1].min()] if len(known)
                  else [0.0, 0.0])
        k = self.k = corners.shape[1]
        self.padded = padded
        x = [np.ascontiguousarray(corners[:, c, 0] - origin[0]) for c in range(k)]
        y = [np.ascontiguousarray(corners[:, c, 1] - origin[1]) for c in range(k)]
        self.x, self.y = x, y
        span_x = np.maximum.reduce(x) - np.minimum.reduce(x)
        span_y = np.maximum.reduce(y) - np.minimum.reduce(y)
        self.diameter = np.hypot(span_x, span_y)  # the bbox diagonal bounds the diameter

    def axes_of(self, lo: int, hi: int) -> _Axes:
        """The own axes of polygons ``lo`` to ``hi - 1``."""
        return _Axes([c[lo:hi] for c in self.x], [c[lo:hi] for c in self.y],
                     padded=self.padded)

    def axes_at(self, where: np.ndarray) -> _Axes:
        """The own axes of the polygons at positions ``where`` (in that order)."""
        return _Axes([c.take(where) for c in self.x], [c.take(where) for c in self.y],
                     padded=self.padded)


class _Axes:
    """Some polygons' edge normals and their own extents on them (corners ``x[c], y[c]``)."""

    def __init__(self, x: list[np.ndarray], y: list[np.ndarray], *, padded: bool) -> None:
        k = len(x)
        self.nx: list[np.ndarray] = []
        self.ny: list[np.ndarray] = []
        self.low: list[np.ndarray] = []
        self.high: list[np.ndarray] = []
        with np.errstate(invalid="ignore", divide="ignore"):
            for c in range(k):
                ex, ey = x[(c + 1) % k] - x[c], y[(c + 1) % k] - y[c]
                # A repeated corner gives a NaN axis, hence a NaN width: never cleared by it.
                length = np.hypot(ex, ey)
                nx, ny = -ey / length, ex / length  # unit normal of edge c
                if padded and c:
                    # Rings padded to k corners repeat their last corner: those edges have
                    # no normal and take edge 0's instead (any set of axes gives a bound).
                    nx = np.where(length > 0, nx, self.nx[0])
                    ny = np.where(length > 0, ny, self.ny[0])
                low, high = _interval(nx, ny, x, y)  # own extent on own axis
                self.nx.append(nx)
                self.ny.append(ny)
                self.low.append(low)
                self.high.append(high)

    def width(self, a: np.ndarray, bx: list[np.ndarray], by: list[np.ndarray], axes: range
              ) -> np.ndarray:
        """The narrowest overlap of the projections of polygon ``a[i]`` (a position among
        these polygons) and of the corners ``bx[c][i], by[c][i]`` on A's ``axes``."""
        narrowest = np.full(len(a), np.inf)
        for axis in axes:
            nx, ny = self.nx[axis].take(a), self.ny[axis].take(a)
            low, high = _interval(nx, ny, bx, by)
            width = (np.minimum(self.high[axis].take(a), high)
                     - np.maximum(self.low[axis].take(a), low))
            # fmin would skip a NaN width; minimum keeps it, so the pair is not cleared.
            narrowest = np.minimum(narrowest, width)
        return narrowest


def _interval(nx: np.ndarray, ny: np.ndarray, x: list[np.ndarray], y: list[np.ndarray]
              ) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest projection of the corners ``x[c], y[c]`` on axes ``nx, ny``."""
    p = [nx * xc + ny * yc for xc, yc in zip(x, y, strict=True)]
    if len(p) == 4:
        return (np.minimum(np.minimum(p[0], p[1]), np.minimum(p[2], p[3])),
                np.maximum(np.maximum(p[0], p[1]), np.maximum(p[2], p[3])))
    return np.minimum.reduce(p), np.maximum.reduce(p)


def _cleared(terms: _Terms, a: np.ndarray, b: np.ndarray, limit: float) -> np.ndarray:
    """Pairs of polygons ``a[i], b[i]`` whose intersection area is provably at most ``limit``.

    The pairs come sorted by ``a`` (as queried), so A's axes are those of a short run of
    polygons; any order gives the same verdicts, only with more work."""
    diameter = np.minimum(terms.diameter.take(a), terms.diameter.take(b))
    lo = int(a.min())
    own, at = terms.axes_of(lo, int(a.max()) + 1), a - lo
    bx = [c.take(b) for c in terms.x]
    by = [c.take(b) for c in terms.y]
    # Two of A's axes first: for rectangles and near-parallelograms (plots, nearly always)
    # they are as good as all eight, at a quarter of the work.
    first = own.width(at, bx, by, range(2))
    cleared = np.maximum(first, 0.0) * diameter <= limit
    rest = np.flatnonzero(~cleared)
    if len(rest):
        a, at = a[rest], at[rest]
        bx, by = [c[rest] for c in bx], [c[rest] for c in by]
        ax = [c.take(a) for c in terms.x]
        ay = [c.take(a) for c in terms.y]
        width = np.minimum(np.minimum(first[rest], own.width(at, bx, by, range(2, terms.k))),
                           terms.axes_at(b[rest]).width(np.arange(len(rest)), ax, ay,
                                                        range(terms.k)))
        cleared[rest] = np.maximum(width, 0.0) * diameter[rest] <= limit
    return cleared


def cleared_pairs(geoms: np.ndarray, left: np.ndarray, right: np.ndarray,
                  tolerance: float, *, corners: tuple[np.ndarray, np.ndarray] | None = None
                  ) -> np.ndarray:
    """For each candidate pair, True when it provably shares at most ``tolerance`` / 2 of area.

    ``False`` means "not decided here", not "overlapping": those pairs need the exact test.
    ``corners``: ``quads(geoms)`` when the caller has it already.
    """
    quad, points = quads(geoms) if corners is None else corners
    cleared = np.zeros(len(left), dtype=bool)
    if not quad.all():
        others, verdicts = _other_pairs(geoms, left, right, quad, tolerance)
        cleared[others] = verdicts
    # The usual plots layer is all quads: no pair needs sorting out.
    both = slice(None) if quad.all() else np.flatnonzero(quad[left] & quad[right])
    left, right = left[both], right[both]
    if not len(left):
        return cleared
    cleared[both] = _cleared_batched(_Terms(points), left, right, tolerance)
    return cleared


def _cleared_batched(terms: _Terms, a: np.ndarray, b: np.ndarray, tolerance: float
                     ) -> np.ndarray:
    """:func:`_cleared` over all pairs, a cache-sized batch at a time."""
    verdicts = np.empty(len(a), dtype=bool)
    for start in range(0, len(a), _BATCH):
        part = slice(start, start + _BATCH)
        # Half the tolerance: rounding in the bound (~1e-6 m²) can never flip a verdict.
        verdicts[part] = _cleared(terms, a[part], b[part], tolerance / 2)
    return verdicts


def _other_pairs(geoms: np.ndarray, left: np.ndarray, right: np.ndarray, quad: np.ndarray,
                 tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs with a polygon that is not a quadrilateral, by the same bound over its corners.

    Single polygons without holes of at most :data:`_MAX_CORNERS` corners (surveyed plots
    with a few extra vertices) are padded to one corner count; the bound needs no convexity
    (for a concave polygon it is only looser). Returns the pairs' positions and verdicts.
    """
    some = np.flatnonzero(~(quad[left] & quad[right]))
    if not len(some):
        return some, np.zeros(0, dtype=bool)
    if 4 * int((~quad).sum()) < len(quad):  # a few odd plots: only theirs and their pairs'
        involved = np.unique(np.concatenate([left[some], right[some]]))
    else:  # mostly other shapes: the whole layer costs less than finding who is involved
        involved = np.arange(len(geoms))
    ring = _rings(geoms[involved])
    if ring is None:
        return some, np.zeros(len(some), dtype=bool)
    ok, corners = ring
    position = np.full(len(geoms), -1)
    position[involved] = np.arange(len(involved))
    a, b = position[left[some]], position[right[some]]
    usable = ok[a] & ok[b]
    verdicts = np.zeros(len(some), dtype=bool)
    if usable.any():
        verdicts[usable] = _cleared_batched(_Terms(corners, padded=True), a[usable],
                                            b[usable], tolerance)
    return some, verdicts


#: The most corners a polygon may have for the bound (beyond, GEOS decides alone).
_MAX_CORNERS = 16


def _rings(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Which geometries are single polygons without holes of at most :data:`_MAX_CORNERS`
    corners, and their corners ``(n, K, 2)``, each ring padded by repeating its last corner.
    """
    polygons, ok = simple_polygons(geoms)
    counts = np.where(ok, shapely.get_num_coordinates(polygons) - 1, 0)
    ok &= (counts >= 3) & (counts <= _MAX_CORNERS)
    if not ok.any():
        return None
    every = bool(ok.all())
    counts_ok = counts if every else counts[ok]
    k = int(counts_ok.max())
    coords = shapely.get_coordinates(polygons if every else polygons[ok])
    starts = np.cumsum(counts_ok + 1) - counts_ok - 1
    # Corner j of ring i is coordinate starts[i] + min(j, count - 1): padding repeats the last.
    index = starts[:, None] + np.minimum(np.arange(k)[None, :], counts_ok[:, None] - 1)
    if every:
        return ok, coords[index]
    corners = np.full((len(geoms), k, 2), np.nan)
    corners[ok] = coords[index]
    return ok, corners
