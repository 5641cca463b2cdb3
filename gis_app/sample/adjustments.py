"""The real planning adjustments the sample's history carries, and the earlier outlines they imply.

Real (sources named in each :class:`Adjustment`): the decision numbers, dates, authorities
and the published areas before and after. Generated: the earlier outlines. A park whose area
changed keeps the frame of its current outline (the same rotated rectangle, lengthened or
shortened on one side); a park that moved keeps its shape at a site a few kilometres away.
No real outline is public, so these are illustrative like the current ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import shapely

#: How far a moved park's earlier site lies from its current one (assumed).
MOVE_DISTANCE_M = 3_000.0
#: Gap kept between an earlier outline and the other parks (as the generator's placement).
CLEARANCE_M = 150.0


@dataclass(frozen=True)
class Adjustment:
    """One published decision that changed parks of the plan."""

    legacy_province: str
    decision_no: str
    decision_date: date
    authority: str
    document_ref: str
    description: str
    #: park_code -> (planned area before, after), in ha.
    areas: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: parks the decision moved to their current site.
    moved: tuple[str, ...] = ()
    #: parks the decision added to the plan (status approved from then on).
    added: tuple[str, ...] = ()


ADJUSTMENTS: dict[str, tuple[Adjustment, ...]] = {
    "bac_ninh": (
        Adjustment(
            "Bắc Ninh", "1511/TTg-KTN", date(2014, 8, 20), "Thủ tướng Chính phủ",
            "BQL các KCN Bắc Ninh, báo cáo 7/2018 (shared seeds 002_67dff4c63a8551f0.txt, "
            "003_4dbc5923318e2896.txt)",
            "Điều chỉnh quy hoạch phát triển các KCN tỉnh Bắc Ninh đến 2015, định hướng 2020: "
            "16 KCN, 6.397,68 ha / Bắc Ninh's parks adjusted: 16 parks, 6,397.68 ha",
            added=("BN04", "BN08", "BN12", "BN13", "BN14", "BN15", "BN16"),
        ),
        Adjustment(
            "Bắc Ninh", "1402/TTg-CN", date(2020, 10, 15),
            "Thủ tướng Chính phủ (Phó Thủ tướng Trịnh Đình Dũng ký)",
            "izabacninh.gov.vn, 28/12/2020 (Document No. 1402/TTg-CN, 15/10/2020); "
            "nhandan.org.vn 19-10-2020 (data/reference/industrial_parks_catalog.csv)",
            "Điều chỉnh, bổ sung quy hoạch các KCN Bắc Ninh đến 2020: Nam Sơn – Hạp Lĩnh "
            "432 → 300 ha, Thuận Thành III 504 → 536,32 ha, Thuận Thành I đổi vị trí (250 ha) / "
            "Nam Sơn – Hạp Lĩnh cut to 300 ha, Thuận Thành III raised to 536.32 ha, "
            "Thuận Thành I moved",
            areas={"BN09": (432.0, 300.0), "BN10": (504.0, 536.32)},
            moved=("BN12",),
        ),
    ),
    "ninh_binh": (
        Adjustment(
            "Ninh Bình", "1499/TTg-KTN", date(2014, 8, 18), "Thủ tướng Chính phủ",
            "BQL các KCN Ninh Bình 2023 (shared seeds 004_a070684dc3fcaef6.txt); thiennhien.net "
            "2014-08-01 (data/reference/industrial_parks_catalog.csv)",
            "Điều chỉnh quy hoạch các KCN tỉnh Ninh Bình: Khánh Cư 170 → 67 ha, bổ sung Kim Sơn "
            "200 ha, Tam Điệp II chuyển về xã Quang Sơn / Khánh Cư cut from 170 to 67 ha, "
            "Kim Sơn added with 200 ha, Tam Điệp II moved",
            areas={"NB06": (170.0, 67.0)},
            moved=("NB05",),
            added=("NB07",),
        ),
    ),
}

#: Ninh Bình's four parks proposed in the 2021–2030 provincial plan (facts.md, seed 004).
NB_PROPOSAL = Adjustment(
    "Ninh Bình", "number not found", date(2023, 1, 1), "UBND tỉnh Ninh Bình (đề xuất)",
    "BQL các KCN Ninh Bình 2023 (shared seeds 004_a070684dc3fcaef6.txt): đề xuất trong quy "
    "hoạch tỉnh 2021–2030; only the year is published, 1 January assumed",
    "Đề xuất bổ sung 4 KCN: Phú Long, Yên Bình, Xích Thổ, Gián Khẩu II / four parks proposed",
    added=("NB08", "NB09", "NB10", "NB11"),
)


def _frame(outline: shapely.Geometry) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """Corner, unit axes and side lengths of a rectangular outline (its rotated frame)."""
    rect = shapely.oriented_envelope(outline)
    xy = np.asarray(shapely.get_coordinates(rect))[:4]
    e1, e2 = xy[1] - xy[0], xy[2] - xy[1]
    l1, l2 = float(np.hypot(*e1)), float(np.hypot(*e2))
    return xy[0], e1 / l1, e2 / l2, l1, l2


def _rectangle(origin: np.ndarray, u: np.ndarray, v: np.ndarray, a0: float, a1: float,
               b0: float, b1: float) -> shapely.Polygon:
    corners = [origin + a * u + b * v for a, b in ((a0, b0), (a1, b0), (a1, b1), (a0, b1))]
    return shapely.Polygon(corners)


def resized_outlines(outline: shapely.Geometry, area_ha: float) -> list[shapely.Polygon]:
    """Outlines of ``area_ha`` sharing ``outline``'s frame: one per side that moves.

    Each candidate keeps three sides of the current rectangle and moves the fourth, so the
    park grows or shrinks on one side only (how boundary adjustments usually go).
    """
    origin, u, v, l1, l2 = _frame(outline)
    target = area_ha * 1e4
    along_u, along_v = target / l2, target / l1
    return [
        _rectangle(origin, u, v, 0.0, along_u, 0.0, l2),
        _rectangle(origin, u, v, l1 - along_u, l1, 0.0, l2),
        _rectangle(origin, u, v, 0.0, l1, 0.0, along_v),
        _rectangle(origin, u, v, 0.0, l1, l2 - along_v, l2),
    ]


def grown_outline(outline: shapely.Geometry, area_ha: float, others: shapely.Geometry | None,
                  province: shapely.Geometry) -> shapely.Polygon:
    """A larger earlier outline: the first candidate clear of other parks and in the province
    (the one overlapping least when none is)."""
    candidates = resized_outlines(outline, area_ha)

    def cost(c: shapely.Polygon) -> float:
        clash = 0.0 if others is None else shapely.area(
            shapely.intersection(shapely.buffer(c, CLEARANCE_M), others))
        return clash + shapely.area(shapely.difference(c, province))

    return min(candidates, key=cost)


def shrunk_outline(outline: shapely.Geometry, area_ha: float, keep_weight: np.ndarray,
                   plots: np.ndarray) -> shapely.Polygon:
    """A smaller earlier outline: the candidate whose cut-off strip holds the least weight
    (the leased area of the plots it would cut), so that the land added later is new land."""
    candidates = resized_outlines(outline, area_ha)

    def cost(c: shapely.Polygon) -> float:
        outside = ~shapely.within(plots, shapely.buffer(c, 0.01))
        return float(np.sum(keep_weight[outside]))

    return min(candidates, key=cost)


def moved_outline(outline: shapely.Geometry, others: shapely.Geometry | None,
                  province: shapely.Geometry) -> shapely.Geometry:
    """The same outline ``MOVE_DISTANCE_M`` away, in the first of eight directions that
    keeps it inside the province and clear of the other parks."""
    best, best_cost = outline, np.inf
    for k in range(8):
        step = MOVE_DISTANCE_M * np.array([np.cos(k * np.pi / 4), np.sin(k * np.pi / 4)])

        def moved(xy: np.ndarray, step: np.ndarray = step) -> np.ndarray:
            return xy + step

        candidate = shapely.transform(outline, moved)
        clash = 0.0 if others is None else shapely.area(
            shapely.intersection(shapely.buffer(candidate, CLEARANCE_M), others))
        cost = clash + shapely.area(shapely.difference(candidate, province))
        if cost == 0.0:
            return candidate
        if cost < best_cost:
            best, best_cost = candidate, cost
    return best
