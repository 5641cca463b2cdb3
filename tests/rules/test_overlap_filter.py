"""The separating-axis filter of the overlap rule clears only pairs that share at most half the
tolerance, and the overlap rule reports exactly what measuring every pair with GEOS reports.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gis_app.model.schema import PLOTS
from gis_app.rules._overlap import cleared_pairs, quads
from gis_app.rules.validate import check_overlaps
from gis_app.settings import AREA_TOLERANCE_M2

#: Far from the origin, like VN-2000 coordinates, so rounding is as in real files.
X0, Y0 = 560_000.0, 2_330_000.0


def square(x: float, y: float, size: float = 10.0) -> shapely.Polygon:
    return shapely.box(X0 + x, Y0 + y, X0 + x + size, Y0 + y + size)


def verdicts(*geoms: shapely.Geometry) -> np.ndarray:
    """The filter's verdict on the pairs (0, 1), (0, 2), ..."""
    arr = np.array(geoms, dtype=object)
    right = np.arange(1, len(arr))
    return cleared_pairs(arr, np.zeros_like(right), right, AREA_TOLERANCE_M2)


def test_touching_and_apart_squares_are_cleared():
    assert verdicts(square(0, 0), square(10, 0), square(25, 0), square(10, 10)).tolist() == [
        True, True, True]


def test_overlapping_contained_and_equal_squares_are_left_to_geos():
    # 1 m x 10 m = 10 m² shared; a 2 x 2 square inside; the same square again.
    assert verdicts(square(0, 0), square(9, 0), square(4, 4, 2.0), square(0, 0)).tolist() == [
        False, False, False]


def test_a_thin_sliver_is_cleared_and_a_wider_one_is_not():
    # The bound is depth x bbox diagonal (14.14 m for a 10 m square): a 0.03 m strip gives
    # 0.42 m² <= 0.5 (it truly shares 0.3 m²); a 0.06 m strip gives 0.85 m² (0.6 m²).
    assert verdicts(square(0, 0), square(9.97, 0), square(9.94, 0)).tolist() == [True, False]


def test_rotated_neighbours_with_rounding_noise_are_cleared():
    row = [square(10 * i, 0) for i in range(3)]
    turned = shapely.affinity.rotate(shapely.GeometryCollection(row), 0.37, origin=(0, 0),
                                     use_radians=True)
    a, b, c = turned.geoms
    assert verdicts(a, b, c).tolist() == [True, True]


def test_other_polygons_get_the_bound_over_all_their_edges_and_holes_go_to_geos():
    triangle = shapely.Polygon([(X0 + 50, Y0), (X0 + 60, Y0), (X0 + 55, Y0 + 5)])
    holed = square(100, 100, 30).difference(square(110, 110))
    # An L-shaped (concave, 6-corner) neighbour touching the square, and one overlapping it.
    ell = square(10, 0).union(square(10, 10))
    overlapping_ell = shapely.affinity.translate(ell, -2.0, 0.0)
    octagon = shapely.segmentize(square(0, 10), 5.0)  # a square with 8 corners
    assert quads(np.array([square(0, 0), triangle, holed], dtype=object))[0].tolist() == [
        True, False, False]
    assert verdicts(square(0, 0), triangle, holed, ell, overlapping_ell, octagon).tolist() == [
        True, False, True, False, True]


def test_a_single_part_multipolygon_counts_as_its_polygon():
    multi = shapely.MultiPolygon([square(10, 0)])
    assert verdicts(square(0, 0), multi).tolist() == [True]


def _reference(geoms: np.ndarray) -> list[tuple[int, int, float]]:
    """Every bbox pair measured by GEOS: the rule before the filter existed."""
    left, right = shapely.STRtree(geoms).query(geoms)
    keep = left < right
    left, right = left[keep], right[keep]
    inside = shapely.relate_pattern(geoms[left], geoms[right], "T********")
    shared = shapely.area(shapely.intersection(geoms[left[inside]], geoms[right[inside]]))
    big = shared > AREA_TOLERANCE_M2
    return sorted(zip(left[inside][big].tolist(), right[inside][big].tolist(),
                      np.round(shared[big], 6).tolist(), strict=True))


rects = st.tuples(st.floats(0, 200), st.floats(0, 200), st.floats(0.5, 40), st.floats(0.5, 40),
                  st.floats(-0.8, 0.8))


def _reshaped(geom: shapely.Polygon, i: int) -> shapely.Polygon:
    """Every third plot with extra vertices, every third concave (a corner cut out)."""
    if i % 3 == 0:
        return shapely.segmentize(geom, max(geom.length / 12, 0.1))
    if i % 3 == 1:
        x0, y0, x1, y1 = geom.bounds
        notch = shapely.box(x1 - (x1 - x0) / 3, y1 - (y1 - y0) / 3, x1 + 1, y1 + 1)
        cut = geom.difference(notch)
        return cut if cut.geom_type == "Polygon" and not cut.is_empty else geom
    return geom


@settings(max_examples=60, deadline=None)
@given(st.lists(rects, min_size=2, max_size=40), st.booleans(), st.booleans())
def test_the_rule_reports_what_measuring_every_pair_reports(specs, as_grid, other_shapes):
    if as_grid:  # neighbours sharing edges, then turned: the common case of real plots
        specs = [(10.0 * (i % 6), 10.0 * (i // 6), 10.0, 10.0, specs[0][4])
                 for i in range(len(specs))]
    boxes = [shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h) for x, y, w, h, _ in specs]
    if other_shapes:  # not quadrilaterals: the bound over every edge, or GEOS alone
        boxes = [_reshaped(b, i) for i, b in enumerate(boxes)]
    geoms = np.array([
        shapely.affinity.rotate(b, spec[4], origin=(X0, Y0), use_radians=True)
        for b, spec in zip(boxes, specs, strict=True)], dtype=object)
    codes = [f"P{i:03d}" for i in range(len(geoms))]
    frame = gpd.GeoDataFrame({"plot_code": codes}, geometry=list(geoms), crs="EPSG:9209")
    expected = _reference(geoms)
    rows = check_overlaps(frame, PLOTS, "f.gpkg")
    words = [r["message"].split() for r in rows]  # "overlaps plot_code P001 by 2.0 m²"
    got = sorted((codes.index(r["feature_id"]), codes.index(w[2]),
                  float(w[4].replace(",", ""))) for r, w in zip(rows, words, strict=True))
    assert [(a, b) for a, b, _ in got] == [(a, b) for a, b, _ in expected]
    assert np.allclose([s for *_, s in got], [s for *_, s in expected], atol=0.06)
    # Soundness of the filter itself: nothing it clears shares more than half the tolerance.
    left, right = shapely.STRtree(geoms).query(geoms)
    keep = left < right
    left, right = left[keep], right[keep]
    cleared = cleared_pairs(geoms, left, right, AREA_TOLERANCE_M2)
    shared = shapely.area(shapely.intersection(geoms[left[cleared]], geoms[right[cleared]]))
    assert (shared <= AREA_TOLERANCE_M2 / 2).all()


def test_the_verdicts_do_not_depend_on_the_order_of_the_pairs():
    """Each batch of pairs works out the axes of the run of polygons its pairs start from
    (pairs come sorted, as queried); pairs in any order get the same verdicts, and the
    verdicts are right (no overlap above half the tolerance cleared)."""
    from gis_app.rules.fast import candidate_pairs
    from gis_app.sample.scale import build_scaled

    geoms = np.asarray(build_scaled(3, 600, 300).plots.geometry.values).copy()
    rng = np.random.default_rng(11)
    odd = rng.choice(len(geoms), 60, replace=False)
    geoms[odd[:30]] = [shapely.segmentize(g, 25) for g in geoms[odd[:30]]]  # 5+ corners
    geoms[odd[30:]] = [shapely.affinity.translate(g, 4, 3) for g in geoms[odd[30:]]]
    left, right = candidate_pairs(geoms)
    sorted_verdicts = cleared_pairs(geoms, left, right, AREA_TOLERANCE_M2)
    order = rng.permutation(len(left))
    shuffled = cleared_pairs(geoms, left[order], right[order], AREA_TOLERANCE_M2)
    assert shuffled.tolist() == sorted_verdicts[order].tolist()
    shared = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    assert (shared[sorted_verdicts] <= AREA_TOLERANCE_M2 / 2).all()
    assert (shared[~sorted_verdicts] > AREA_TOLERANCE_M2).sum() >= 10  # the seeded overlaps
    assert sorted_verdicts.mean() > 0.8  # ... and the bound decided most pairs
