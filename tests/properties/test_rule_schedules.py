"""The validation engine on random plans whose plots have 6 to 8 corners (Hypothesis): the fast
paths give what GEOS alone gives, and the parallel schedule what the serial one gives.

Plots with extra vertices are what surveyed outlines look like; the quadrilateral shortcuts do
not apply to them, so the bound over all their edges and GEOS must agree on every pair, also
near the tolerance (vertices pushed a few millimetres to a metre into the neighbour).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gis_app.rules.engine import SERIAL, Schedule, check_layers
from gis_app.rules.fast import Shapes
from gis_app.settings import AREA_TOLERANCE_M2
from gis_app.testing.builders import ORIGIN, PARK_HEIGHT_M, ParkSpec, PlotSpec, build_plan

PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

#: How far an extra vertex is pushed sideways (m): none, rounding noise, within and beyond the
#: tolerance on a 100 m edge, and far.
PUSHES = (0.0, 1e-9, 0.005, 0.03, 1.0, -0.5, 3.0)


@st.composite
def plans(draw):
    widths = draw(st.lists(st.integers(2, 8), min_size=2, max_size=7))
    plots, x = [], 0.0
    for i, w in enumerate(widths):
        plots.append(PlotSpec(f"A{i}", x, x + 10.0 * w))
        x += 10.0 * w
    plan = build_plan([ParkSpec("P1", x + draw(st.sampled_from((0.0, 10.0))),
                                plots=tuple(plots))])
    layers = plan.layers()
    shapes = []
    for geom in layers["plots"].geometry:
        x0, y0, x1, y1 = geom.bounds
        # 2 to 4 extra vertices: on the right edge, then the left, bottom and top edges.
        extra = draw(st.integers(2, 4))
        pushes = [draw(st.sampled_from(PUSHES)) for _ in range(extra)]
        heights = [draw(st.floats(0.1, 0.9)) for _ in range(extra)]
        right = [(x1 + pushes[0], y0 + heights[0] * PARK_HEIGHT_M),
                 (x1 + pushes[1], y0 + heights[1] * PARK_HEIGHT_M)]
        right.sort(key=lambda p: p[1])
        ring = [(x0, y0), (x1, y0), *right, (x1, y1), (x0, y1)]
        if extra >= 3:  # on the left edge, pushed the other way
            ring.append((x0 - pushes[2], y0 + heights[2] * PARK_HEIGHT_M))
        if extra >= 4:  # on the bottom edge
            ring.insert(1, (x0 + heights[3] * (x1 - x0), y0 - pushes[3]))
        shapes.append(shapely.Polygon(ring))
    angle = draw(st.sampled_from((0.0, 0.37, 1.1)))
    turn = lambda g: shapely.affinity.rotate(g, angle, origin=ORIGIN, use_radians=True)  # noqa: E731
    plots = layers["plots"].set_geometry([turn(g) for g in shapes], crs=layers["plots"].crs)
    parks = layers["parks"].set_geometry([turn(g) for g in layers["parks"].geometry],
                                         crs=layers["parks"].crs)
    zones = layers["zones"].set_geometry([turn(g) for g in layers["zones"].geometry],
                                         crs=layers["zones"].crs)
    return {**layers, "plots": plots, "parks": parks, "zones": zones}


def _reference_overlaps(geoms: np.ndarray) -> list[tuple[int, int]]:
    """Every bounding-box pair measured by GEOS."""
    left, right = shapely.STRtree(geoms).query(geoms)
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    big = shared > AREA_TOLERANCE_M2
    return sorted(zip(left[big].tolist(), right[big].tolist(), strict=True))


@PROPERTY
@given(plans())
def test_the_fast_paths_answer_what_geos_answers_on_plots_of_6_to_8_corners(layers):
    geoms = np.asarray(layers["plots"].geometry.values)
    corners = shapely.get_num_coordinates(geoms) - 1
    assert ((corners >= 6) & (corners <= 8)).all()
    fast, general = Shapes(geoms), Shapes(geoms, fast=False)
    assert fast.valid.tolist() == general.valid.tolist() == shapely.is_valid(geoms).tolist()
    usable = fast.usable(["Polygon", "MultiPolygon"])
    found = fast.subset(usable).overlapping(AREA_TOLERANCE_M2)
    slow = general.subset(usable).overlapping(AREA_TOLERANCE_M2)
    assert [a.tolist() for a in found[:2]] == [a.tolist() for a in slow[:2]]
    np.testing.assert_allclose(found[2], slow[2], rtol=1e-9)
    where = np.flatnonzero(usable)
    assert sorted(zip(where[found[0]].tolist(), where[found[1]].tolist(), strict=True)) == [
        p for p in _reference_overlaps(geoms) if usable[p[0]] and usable[p[1]]]


@PROPERTY
@given(plans())
def test_every_schedule_reports_the_same_problems_in_the_same_order(layers):
    crs = layers["plots"].crs.to_string()
    reports = [check_layers(layers, "f.gpkg", crs, schedule=schedule).problems
               for schedule in (Schedule(), SERIAL, Schedule(fast=False),
                                Schedule(parallel=False, fast=False))]
    for problems in reports[1:]:
        pd.testing.assert_frame_equal(problems, reports[0])
