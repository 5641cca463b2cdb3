"""The numpy validity proof for quadrilaterals: it proves only polygons GEOS finds valid, and
the geometry rule reports exactly what GEOS reports, proof or not.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gis_app.model.schema import PLOTS
from gis_app.rules._quads import convex, quads
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
