"""What the illustrative sample is built from: real park names, published areas and targets.

Real: park names, legacy provinces, published planned areas and provincial totals (sources in
``data/reference/README.md`` and ``facts.md``). Generated: everything geometric below the park
label point, and the split of a published total over parks that have no per-park figure. Every
generated choice is written here, in one place, so it can be read and challenged.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

#: Reference data shipped with the repository (copied from the project's shared reference set).
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"

#: The board's reporting date the sample is calibrated to (Bắc Ninh report to 17 Nov 2023).
REPORTING_YEAR = 2023


@dataclass(frozen=True)
class ParkSpec:
    """One park of the sample before geometry is generated."""

    code: str
    catalog_name: str  #: name as in industrial_parks_catalog.csv
    legacy_province: str
    status: str
    planned_ha: float
    area_source: str
    anchor_commune: str | None = None  #: 2025 commune to place a park the catalogue cannot locate
    occupancy: float = 0.0  #: share of leasable land leased, before provincial calibration
    established_year: int | None = None
    plant: str | None = "operating"  #: central wastewater plant status, None = no plant


@dataclass(frozen=True)
class ProvinceTargets:
    """Published figures the generated province must reproduce exactly."""

    legacy_province: str
    leased_ha: float | None = None
    leasable_ha: float | None = None  #: chosen so that leased / leasable rounds to the published %
    projects_by_status: dict[str, int] | None = None
    infrastructure_projects: int = 0
    fdi_projects: int | None = None
    fdi_capital_usd: float | None = None
    total_capital_usd: float | None = None
    employees: int | None = None
    revenue_usd: float | None = None
    exports_usd: float | None = None
    budget_usd: float | None = None
    revoked_on_plots: int = 0  #: revoked projects whose land is not yet reclaimed


_SHARE = "generated: an even share of the published provincial total ({total} ha) left after the parks with published areas"
_PUB = "published planned area (data/reference/industrial_parks_catalog.csv)"

# Old Bắc Ninh: 16 parks in the plan, 6,397.68 ha; 15 established (5,946.99 ha); 12 operating
# (facts.md, 001_62a26b82f5e94314.txt). The one park not yet established must therefore have
# 450.69 ha; Yên Phong II-C has no published area and takes it. Quế Võ II and Thuận Thành II share
# what remains. KCN Hanaka is listed in the catalogue without an area and is left out so that the
# count matches the published 16.
_BN_REMAINDER = round((6397.68 - 450.69 - (402.81 + 382.63 + 344.56 + 313.9 + 485.0 + 610.85 + 208.0
                                          + 300.0 + 536.32 + 250.0 + 307.0 + 250.0 + 151.27)) / 2, 2)

BAC_NINH_PARKS: tuple[ParkSpec, ...] = (
    ParkSpec("BN01", "KCN Tiên Sơn", "Bắc Ninh", "operating", 402.81, _PUB, occupancy=0.97, established_year=1998),
    ParkSpec("BN02", "KCN Đại Đồng – Hoàn Sơn (GĐ1+GĐ2)", "Bắc Ninh", "operating", 382.63, _PUB, occupancy=0.85, established_year=2005),
    ParkSpec("BN03", "KCN Yên Phong (GĐ1)", "Bắc Ninh", "operating", 344.56, _PUB, occupancy=0.98, established_year=2006),
    ParkSpec("BN04", "KCN Yên Phong mở rộng", "Bắc Ninh", "operating", 313.9, _PUB, occupancy=0.7, established_year=2016),
    ParkSpec("BN05", "KCN VSIP Bắc Ninh", "Bắc Ninh", "operating", 485.0, _PUB, occupancy=0.9, established_year=2010),
    ParkSpec("BN06", "KCN Quế Võ", "Bắc Ninh", "operating", 610.85, _PUB, occupancy=0.96, established_year=2002),
    ParkSpec("BN07", "KCN Quế Võ II", "Bắc Ninh", "operating", _BN_REMAINDER, _SHARE.format(total="6,397.68"), occupancy=0.55, established_year=2012),
    ParkSpec("BN08", "KCN Quế Võ III", "Bắc Ninh", "operating", 208.0, "published area of phân khu 2 (QĐ 129/QĐ-UBND), used for the whole park", occupancy=0.25, established_year=2023, plant="under_construction"),
    ParkSpec("BN09", "KCN Nam Sơn – Hạp Lĩnh", "Bắc Ninh", "operating", 300.0, _PUB, occupancy=0.5, established_year=2008),
    ParkSpec("BN10", "KCN Thuận Thành III", "Bắc Ninh", "operating", 536.32, _PUB, occupancy=0.55, established_year=2008),
    ParkSpec("BN11", "KCN Thuận Thành II", "Bắc Ninh", "operating", round(6397.68 - 450.69 - 4542.34 - _BN_REMAINDER, 2), _SHARE.format(total="6,397.68"), occupancy=0.45, established_year=2008),
    ParkSpec("BN12", "KCN Thuận Thành I", "Bắc Ninh", "established", 250.0, _PUB, anchor_commune="Song Liễu", occupancy=0.02, established_year=2023, plant="planned"),
    ParkSpec("BN13", "KCN Gia Bình", "Bắc Ninh", "established", 307.0, _PUB, anchor_commune="Gia Bình", occupancy=0.05, established_year=2023, plant="planned"),
    ParkSpec("BN14", "KCN Gia Bình II", "Bắc Ninh", "established", 250.0, _PUB, anchor_commune="Đại Lai", occupancy=0.03, established_year=2023, plant="planned"),
    ParkSpec("BN15", "KCN Yên Phong II-A", "Bắc Ninh", "operating", 151.27, _PUB, anchor_commune="Tam Giang", occupancy=0.6, established_year=2021),
    ParkSpec("BN16", "KCN Yên Phong II-C", "Bắc Ninh", "approved", 450.69, "generated: the published planned total less the published established total (6,397.68 − 5,946.99 ha)", anchor_commune="Tam Đa", plant=None),
    # Old Bắc Giang (merged into Bắc Ninh on 1 July 2025): areas as published where found.
    ParkSpec("BG01", "KCN Quang Châu", "Bắc Giang", "operating", 426.0, _PUB, anchor_commune="Việt Yên", occupancy=0.9, established_year=2009),
    ParkSpec("BG02", "KCN Vân Trung", "Bắc Giang", "operating", 350.3, _PUB, occupancy=0.85, established_year=2013),
    ParkSpec("BG03", "KCN Đình Trám", "Bắc Giang", "operating", 127.4, _PUB, occupancy=0.97, established_year=2003),
    ParkSpec("BG04", "KCN Song Khê – Nội Hoàng", "Bắc Giang", "operating", 158.7, _PUB, occupancy=0.75, established_year=2007),
    ParkSpec("BG05", "KCN Hòa Phú", "Bắc Giang", "operating", 207.0, _PUB, occupancy=0.8, established_year=2014),
    ParkSpec("BG06", "KCN Việt Hàn", "Bắc Giang", "established", 200.0, "generated: no published area found; 200 ha assumed", anchor_commune="Tự Lạn", occupancy=0.1, established_year=2021, plant="planned"),
)

# Ninh Bình: the 7 parks of the 2014 plan and the 4 proposed in 2023 (facts.md, 004_…txt).
# The 5 operating parks have 886.1 ha planned and 833.38 ha established (dpi.ninhbinh.gov.vn,
# 2022); no per-park split was found, so the split below is generated (weights assumed).
_NB_OPERATING = {"NB01": 262.0, "NB02": 351.0, "NB03": 145.5, "NB04": 64.13, "NB05": 63.47}
_NB_SPLIT = "generated: assumed share of the published total of the 5 operating parks (886.1 ha)"
_NB_PROPOSED = "generated: an even share of the ~2,800 ha quoted for all 11 parks after the 7 planned ones"
_NB_PROPOSED_HA = round((2800.0 - 886.1 - 67.0 - 200.0) / 4, 2)

NINH_BINH_PARKS: tuple[ParkSpec, ...] = (
    ParkSpec("NB01", "KCN Gián Khẩu", "Ninh Bình", "operating", _NB_OPERATING["NB01"], _NB_SPLIT, occupancy=0.9, established_year=2004),
    ParkSpec("NB02", "KCN Khánh Phú", "Ninh Bình", "operating", _NB_OPERATING["NB02"], _NB_SPLIT, occupancy=0.85, established_year=2004),
    ParkSpec("NB03", "KCN Phúc Sơn", "Ninh Bình", "operating", _NB_OPERATING["NB03"], _NB_SPLIT, occupancy=0.6, established_year=2008),
    ParkSpec("NB04", "KCN Tam Điệp I", "Ninh Bình", "operating", _NB_OPERATING["NB04"], _NB_SPLIT, anchor_commune="Tam Điệp", occupancy=0.8, established_year=2004),
    ParkSpec("NB05", "KCN Tam Điệp II", "Ninh Bình", "operating", _NB_OPERATING["NB05"], _NB_SPLIT, anchor_commune="Yên Sơn", occupancy=0.5, established_year=2014),
    ParkSpec("NB06", "KCN Khánh Cư", "Ninh Bình", "established", 67.0, "published planned area after the 2014 adjustment (170 → 67 ha)", anchor_commune="Yên Khánh", occupancy=0.1, established_year=2015, plant="planned"),
    ParkSpec("NB07", "KCN Kim Sơn", "Ninh Bình", "approved", 200.0, "published planned area (added in the 2014 adjustment)", anchor_commune="Kim Sơn", plant=None),
    ParkSpec("NB08", "KCN Phú Long", "Ninh Bình", "proposed", _NB_PROPOSED_HA, _NB_PROPOSED, anchor_commune="Phú Long", plant=None),
    ParkSpec("NB09", "KCN Yên Bình", "Ninh Bình", "proposed", _NB_PROPOSED_HA, _NB_PROPOSED, anchor_commune="Trung Sơn", plant=None),
    ParkSpec("NB10", "KCN Xích Thổ", "Ninh Bình", "proposed", _NB_PROPOSED_HA, _NB_PROPOSED, anchor_commune="Nho Quan", plant=None),
    ParkSpec("NB11", "KCN Gián Khẩu II", "Ninh Bình", "proposed", _NB_PROPOSED_HA, _NB_PROPOSED, anchor_commune="Gia Trấn", plant=None),
)

#: The published 5 operating parks' established area (of 886.1 ha planned).
NB_OPERATING_ESTABLISHED_HA = 833.38

TARGETS: dict[str, tuple[ProvinceTargets, ...]] = {
    "bac_ninh": (
        # 2,481.57 ha leased at 60.04 % of leasable land: leasable in [4,132.85, 4,133.54] ha.
        ProvinceTargets("Bắc Ninh", leased_ha=2481.57, leasable_ha=4133.19, revoked_on_plots=12),
        ProvinceTargets("Bắc Giang", revoked_on_plots=3),
    ),
    "ninh_binh": (
        ProvinceTargets(
            "Ninh Bình",
            projects_by_status={"operating": 102, "under_construction": 7, "behind_schedule": 13},
            infrastructure_projects=2,
            fdi_projects=33,
            fdi_capital_usd=635.66e6,
            total_capital_usd=65_385.7e9 / 24_000.0,
            employees=36_659,
            revenue_usd=60_000e9 / 24_000.0,
            exports_usd=1.4e9,
            budget_usd=12_000e9 / 24_000.0,
            revoked_on_plots=4,
        ),
    ),
}

PARKS: dict[str, tuple[ParkSpec, ...]] = {"bac_ninh": BAC_NINH_PARKS, "ninh_binh": NINH_BINH_PARKS}


def read_catalog(reference_dir: Path = REFERENCE_DIR) -> dict[str, dict[str, str]]:
    """The reference catalogue of parks, keyed by name."""
    path = reference_dir / "industrial_parks_catalog.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["name"]: row for row in csv.DictReader(handle)}
