"""The numpy proofs for quadrilaterals: validity proves only polygons GEOS finds valid, and the
geometry rule reports exactly what GEOS reports, proof or not; a plot proved inside its park is
one GEOS finds covered.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gis_app.model.schema import PLOTS
from gis_app.rules._quads import convex, inside_convex, quads
from gis_app.rules.validate import check_geometry

#: Far from the origin, like VN-2000 coordinates, so rounding is as in real files.
X0, Y0 = 560_000.0, 2_330_000.0


def ring(*corners: tuple[float, float]) -> shapely.Polygon:
    return shapely.Polygon([(X0 + x, Y0 + y) for x, y in corners])


SQUARE = ring((0, 0), (10, 0), (10, 10), (0, 10))
CASES = {
    "square": (SQUARE, True),
    "square, clockwise": (SQUARE.reverse(), True),
    "turned rectangle": (shapely.affinity.rotate(SQUARE, 0.37, use_radians=True), True),
    "kite": (ring((0, 0), (10, 2), (12, 12), (2, 10)), True),
    "concave dart (valid, not proved)": (ring((0, 0), (10, 5), (0, 10), (3, 5)), False),
    "bow-tie": (ring((0, 0), (10, 10), (10, 0), (0, 10)), False),
    "three corners on a line": (ring((0, 0), (5, 0), (10, 0), (5, 5)), False),
    "repeated corner": (ring((0, 0), (10, 0), (10, 0), (0, 10)), False),
    "flat": (ring((0, 0), (10, 0), (0, 0), (10, 0)), False),
    "single-part multipolygon": (shapely.MultiPolygon([SQUARE]), True),
}


def test_the_proof_on_hand_made_shapes():
    geoms = np.array([g for g, _ in CASES.values()], dtype=object)
    quad, corners = quads(geoms)
    assert quad.all()
    assert convex(corners).tolist() == [proved for _, proved in CASES.values()]


def test_other_shapes_are_not_quads_and_never_proved():
    holed = SQUARE.difference(SQUARE.centroid.buffer(2))
    two_parts = shapely.MultiPolygon([SQUARE, shapely.affinity.translate(SQUARE, 20)])
    triangle = ring((0, 0), (10, 0), (5, 5))
    geoms = np.array([holed, two_parts, triangle, shapely.Polygon(), None], dtype=object)
    quad, corners = quads(geoms)
    assert not quad.any()
    assert np.isnan(corners).all()
    assert not convex(corners).any()


point = st.tuples(st.floats(-50, 50), st.floats(-50, 50))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(point, point, point, point), min_size=1, max_size=30),
       st.floats(0, 1e-9))
def test_proved_quads_are_valid_and_the_rule_reports_what_geos_reports(corners, nudge):
    geoms = np.array([ring(*(((x + nudge, y) if i == 2 else (x, y))
                              for i, (x, y) in enumerate(c))) for c in corners], dtype=object)
    valid = shapely.is_valid(geoms)
    proved = convex(quads(geoms)[1])
    assert not (proved & ~valid).any()

    codes = [f"P{i:03d}" for i in range(len(geoms))]
    frame = gpd.GeoDataFrame({"plot_code": codes}, geometry=list(geoms), crs="EPSG:9209")
    rows = [r for r in check_geometry(frame, PLOTS, "f.gpkg", "EPSG:9209")
            if r["rule"] == "invalid_geometry"]
    empty = shapely.is_empty(geoms)
    expected = [(c, shapely.is_valid_reason(g))
                for c, g, ok, e in zip(codes, geoms, valid, empty, strict=True) if not ok and not e]
    assert [(r["feature_id"], r["message"]) for r in rows] == expected


# -- plots inside their park ---------------------------------------------------------------------
PARK = ring((0, 0), (100, 0), (100, 80), (0, 80))
INSIDE_CASES = {
    "plainly inside": (PARK, ring((10, 10), (20, 10), (20, 20), (10, 20)), True),
    "inside a clockwise park": (PARK.reverse(), ring((10, 10), (20, 10), (20, 20), (10, 20)),
                                True),
    "inside a turned park": (shapely.affinity.rotate(PARK, 0.3, use_radians=True),
                             shapely.affinity.rotate(ring((40, 30), (60, 30), (60, 50), (40, 50)),
                                                     0.3, origin=PARK.centroid,
                                                     use_radians=True), True),
    "a corner on the park's edge (covered, left to GEOS)":
        (PARK, ring((0, 10), (20, 10), (20, 20), (0, 20)), False),
    "the park itself (covered, left to GEOS)": (PARK, PARK, False),
    "sticking out": (PARK, ring((90, 10), (110, 10), (110, 20), (90, 20)), False),
    "outside": (PARK, ring((200, 10), (220, 10), (220, 20), (200, 20)), False),
    "inside a concave park (not proved)":
        (ring((0, 0), (100, 0), (30, 40), (0, 100)), ring((5, 5), (10, 5), (10, 10), (5, 10)),
         False),
    "a plot of five corners (not a quadrilateral)":
        (PARK, ring((10, 10), (20, 10), (20, 20), (15, 25), (10, 20)), False),
    "a park of five corners (not a quadrilateral)":
        (ring((0, 0), (100, 0), (100, 80), (50, 90), (0, 80)),
         ring((10, 10), (20, 10), (20, 20), (10, 20)), False),
}


def test_the_inside_proof_on_hand_made_shapes():
    parks = np.array([p for p, _, _ in INSIDE_CASES.values()], dtype=object)
    plots = np.array([q for _, q, _ in INSIDE_CASES.values()], dtype=object)
    which = np.arange(len(plots))
    proved = inside_convex(quads(parks)[1], which, quads(plots)[1], which)
    assert proved.tolist() == [p for _, _, p in INSIDE_CASES.values()]
    assert shapely.covers(parks, plots)[proved].all()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(point, point, point, point), min_size=1, max_size=30),
       st.lists(st.tuples(point, point, point, point), min_size=1, max_size=5),
       st.floats(0, 1e-9))
def test_a_plot_proved_inside_is_covered_by_its_park(plot_corners, park_corners, nudge):
    plots = np.array([ring(*c) for c in plot_corners], dtype=object)
    parks = np.array([ring(*(((x + nudge, y) if i == 1 else (x, y))
                             for i, (x, y) in enumerate(c))) for c in park_corners],
                     dtype=object)
    owner = np.arange(len(plots)) % len(parks)
    which = np.arange(len(plots))[::-1]  # any order of the plots asked about
    proved = inside_convex(quads(parks)[1], owner, quads(plots)[1], which)
    assert shapely.covers(parks[owner], plots[which])[proved].all()
