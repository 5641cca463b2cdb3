"""Quadrilaterals in numpy: the corners of the four-cornered polygons of a layer, and an exact
proof that most of them are valid without asking GEOS.

Plots are nearly always quadrilaterals. Reading their corners once into numpy lets the
validation rules decide the common case with a few array operations (validity here, the
overlap bound in :mod:`._overlap`) and leave GEOS only the polygons those cannot decide.
"""

from __future__ import annotations

import numpy as np
import shapely

#: Relative margin on the sign of a cross product: far above its rounding error (a few
#: units of 1e-16 of the products' magnitudes), so a sign that passes is the exact sign.
_SIGN_MARGIN = 1e-12


def simple_polygons(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each geometry as a Polygon where it is one (a MultiPolygon of one part counts as that
    part), and which of them are such polygons without holes."""
    types = shapely.get_type_id(geoms)
    single = types == 6
    polygons = geoms
    if single.any():
        single[single] = shapely.get_num_geometries(geoms[single]) == 1
        polygons = geoms.copy()
        polygons[single] = shapely.get_geometry(geoms[single], 0)
    plain = (types == 3) | single
    if plain.all():  # the usual plots layer: no subsets of the object array to build
        plain = shapely.get_num_interior_rings(polygons) == 0
    else:
        plain[plain] = shapely.get_num_interior_rings(polygons[plain]) == 0
    return polygons, plain


def quads(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which geometries are quadrilaterals (a Polygon, or a MultiPolygon of one Polygon, of 4
    corners and no holes), and the corners of all of them, ``(n, 4, 2)`` (NaN for the others).
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    polygons, quad = simple_polygons(geoms)
    if quad.all():
        quad = shapely.get_num_coordinates(polygons) == 5
    else:
        quad[quad] = shapely.get_num_coordinates(polygons[quad]) == 5
    if not quad.any():
        return quad, np.full((n, 4, 2), np.nan)
    # Without holes a polygon's coordinates are its exterior ring's: no ring objects.
    rings = shapely.get_coordinates(polygons if quad.all() else polygons[quad]).reshape(
        -1, 5, 2)
    closed = (rings[:, 0, :] == rings[:, 4, :]).all(axis=1)
    if len(rings) == n and closed.all():
        # The usual plots layer: a view of the coordinates, no second (n, 4, 2) array
        # (at a million plots the NaN-filled one alone was 64 MB of the load's peak).
        return quad, rings[:, :4, :]
    corners = np.full((n, 4, 2), np.nan)
    where = np.flatnonzero(quad)
    quad[where[~closed]] = False
    corners[where[closed]] = rings[closed, :4, :]
    return quad, corners


def convex(corners: np.ndarray) -> np.ndarray:
    """Which quadrilaterals are provably strictly convex, hence valid polygons.

    All four turns of the ring bending the same way (either way) make a convex, simple ring:
    the turning angles sum to a multiple of 360° and each lies strictly between 0° and 180°,
    so they sum to exactly 360°. A repeated corner, three corners on a line, a bow-tie or a
    concave corner gives a zero or opposite turn, and NaN corners (not a quadrilateral) fail
    every comparison: all of those are left to GEOS (``False`` means "not decided here").
    """
    x = [corners[:, c, 0] for c in range(4)]
    y = [corners[:, c, 1] for c in range(4)]
    # Edges straight from the stored coordinates (no shifted origin): each difference and
    # product rounds by one part in 1e16 at most, a ten-thousandth of the margin.
    ex = [x[(c + 1) % 4] - x[c] for c in range(4)]
    ey = [y[(c + 1) % 4] - y[c] for c in range(4)]
    left = right = np.ones(len(corners), dtype=bool)
    with np.errstate(invalid="ignore", over="ignore"):
        for c in range(4):  # the turn at corner c + 1
            a, b = ex[c] * ey[(c + 1) % 4], ey[c] * ex[(c + 1) % 4]
            turn = a - b
            margin = _SIGN_MARGIN * (np.abs(a) + np.abs(b))
            left = left & (turn > margin)
            right = right & (turn < -margin)
    return left | right


#: Quadrilaterals per numpy batch of :func:`inside_convex` (its temporaries stay small).
_INSIDE_BATCH = 32_768


def inside_convex(outer: np.ndarray, owner: np.ndarray, corners: np.ndarray,
                  which: np.ndarray) -> np.ndarray:
    """Which quadrilaterals ``corners[which[i]]`` (``corners``: ``(n, 4, 2)``) provably lie
    strictly inside the quadrilateral ``outer[owner[i]]`` (``outer``: ``(p, 4, 2)``), hence
    are covered by it.

    A strictly convex quadrilateral (:func:`convex`) is the intersection of the open
    half-planes on one side of its four edges, and a polygon lies within the convex hull of
    its corners: all four corners on the inner side of every edge, each by more than the
    rounding margin, put the whole polygon inside. Outlines not proved convex, NaN corners
    (not quadrilaterals) and corners on or near an edge are not decided here (``False``):
    GEOS decides those.
    """
    m = len(owner)
    proven = np.zeros(m, dtype=bool)
    if not m or not len(outer):
        return proven
    usable = convex(outer)
    # Per outline, each edge's start and direction, as in :func:`convex` (no shifted origin).
    ox = [np.ascontiguousarray(outer[:, c, 0]) for c in range(4)]
    oy = [np.ascontiguousarray(outer[:, c, 1]) for c in range(4)]
    ex = [ox[(c + 1) % 4] - ox[c] for c in range(4)]
    ey = [oy[(c + 1) % 4] - oy[c] for c in range(4)]
    with np.errstate(invalid="ignore", over="ignore"):
        for start in range(0, m, _INSIDE_BATCH):
            part = slice(start, start + _INSIDE_BATCH)
            park = owner[part]
            points = corners[which[part]]
            left = usable.take(park)
            right = left.copy()
            for c in range(4):
                x0, y0 = ox[c].take(park), oy[c].take(park)
                dx_edge, dy_edge = ex[c].take(park), ey[c].take(park)
                for k in range(4):
                    a = dx_edge * (points[:, k, 1] - y0)
                    b = dy_edge * (points[:, k, 0] - x0)
                    side = a - b
                    margin = _SIGN_MARGIN * (np.abs(a) + np.abs(b))
                    left &= side > margin
                    right &= side < -margin
            proven[part] = left | right
    return proven
