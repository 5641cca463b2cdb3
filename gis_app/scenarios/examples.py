"""Worked example: Ninh Bình's planned work for 2024 as a scenario.

From the board's 2023 report (``/work/shared/facts.md``): a 35 ha extension of KCN Gián Khẩu,
reclaiming the land of the 13 projects behind schedule to create clean land for investors,
and new plans for the proposed parks (here Gián Khẩu II, which is approved into the plan and
given a detailed plan of plots along internal roads). The extension's outline is generated
(no real outline is public), like the rest of the illustrative sample data.
"""

from __future__ import annotations

import numpy as np
import shapely

from ..errors import ScenarioError
from ..model.plan import Plan
from ..settings import AREA_TOLERANCE_M2
from .edits_land import ReclaimProjects
from .edits_parks import ChangeBoundary, ChangeParkStatus, SubdividePark
from .model import Scenario, Subdivision

EXAMPLE_ID = "ninh-binh-2024"
#: The published figure: a 35 ha extension of KCN Gián Khẩu.
EXTENSION_HA = 35.0
#: Keep a new outline at least this far from other parks (metres).
CLEARANCE_M = 50.0


def _park_code(plan: Plan, name_vi: str) -> str:
    hit = plan.parks.loc[plan.parks["name_vi"] == name_vi, "park_code"]
    if hit.empty:
        raise ScenarioError(f"the plan has no park named {name_vi!r}; the worked example "
                            "needs the shipped Ninh Bình sample data")
    return str(hit.iloc[0])


def extension_polygon(plan: Plan, park_code: str, area_ha: float = EXTENSION_HA
                      ) -> shapely.Polygon:
    """A strip pushed out from one edge of the park, adding exactly ``area_ha`` of land.

    The park's outline edges are tried longest first; the strip along an edge is that edge
    moved outwards (perpendicular) by ``area / edge length``. The first strip that keeps
    :data:`CLEARANCE_M` from every other park and does not overlap the park is used.
    """
    park = plan.parks.loc[plan.parks["park_code"] == park_code].geometry.iloc[0]
    if isinstance(park, shapely.MultiPolygon):
        park = max(park.geoms, key=lambda g: g.area)
    others = shapely.union_all(plan.parks.loc[plan.parks["park_code"] != park_code]
                               .geometry.values).buffer(CLEARANCE_M)
    ring = shapely.orient_polygons(park).exterior  # counter-clockwise: outside is on the right
    xy = np.asarray(ring.coords)
    starts, ends = xy[:-1], xy[1:]
    vectors = ends - starts
    lengths = np.hypot(vectors[:, 0], vectors[:, 1])
    target = area_ha * 10_000.0
    for i in np.argsort(-lengths, kind="stable"):
        normal = np.array([vectors[i, 1], -vectors[i, 0]]) / lengths[i]  # right of the edge
        offset = normal * (target / lengths[i])
        strip = shapely.Polygon([starts[i], ends[i], ends[i] + offset, starts[i] + offset])
        new_land = strip.difference(park).area
        if abs(new_land - target) <= AREA_TOLERANCE_M2 and not strip.intersects(others):
            return strip
    raise ScenarioError(f"no side of park {park_code} has room for a {area_ha} ha extension")


def ninh_binh_2024(plan: Plan, *, author: str = "BQL các KCN tỉnh Ninh Bình") -> Scenario:
    """The worked example scenario (unsaved) for the shipped Ninh Bình plan."""
    gian_khau = _park_code(plan, "KCN Gián Khẩu")
    gian_khau_2 = _park_code(plan, "KCN Gián Khẩu II")
    slow = plan.tenants.loc[plan.tenants["project_status"] == "behind_schedule", "project_id"]
    edits = (
        ChangeBoundary(id="e1", park_code=gian_khau, mode="expand",
                       polygon=extension_polygon(plan, gian_khau),
                       subdivision=Subdivision()),
        ReclaimProjects(id="e2", project_ids=tuple(sorted(slow.astype(str)))),
        ChangeParkStatus(id="e3", park_code=gian_khau_2, status="approved"),
        SubdividePark(id="e4", park_code=gian_khau_2, subdivision=Subdivision()),
    )
    return Scenario.new(
        "Kế hoạch 2024 của Ninh Bình / Ninh Bình's 2024 plan",
        author=author,
        scenario_id=EXAMPLE_ID,
        description=(
            "Mở rộng KCN Gián Khẩu thêm 35 ha; thu hồi đất của "
            f"{len(slow)} dự án chậm tiến độ; đưa KCN Gián Khẩu II vào quy hoạch và chia lô. / "
            f"A 35 ha extension of Gián Khẩu; reclaiming the land of the {len(slow)} "
            "behind-schedule projects; Gián Khẩu II approved into the plan and subdivided. "
            "(Dữ liệu minh họa / illustrative data.)"
        ),
    ).replace(edits=edits)
