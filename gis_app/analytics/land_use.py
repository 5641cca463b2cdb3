"""Land-use structure of each park's plan, checked against minimum shares.

Shares are measured from the ``zones`` layer: the area of each zone land use over the
park's zoned area (the zones of a detailed plan tile the park; ``zoned_share`` shows how
much of the outline they cover, so a plan with gaps is visible rather than hidden).

The minimums are configurable. The national construction-planning regulation QCVN
01:2021/BXD ("Quy chuẩn kỹ thuật quốc gia về Quy hoạch xây dựng", Bộ Xây dựng, in force
5 July 2021, replacing QCVN 01:2019/BXD) sets minimum shares of green space and of
technical-infrastructure land for industrial parks. **We could not confirm the clause text
with the project's search tool** (the regulation itself is not in the stored corpus); the
defaults below are the figures as we know them and each says how sure we are. Check them
against the regulation (clause on "khu công nghiệp") before using the result in a dossier,
and override them with :class:`LandUseMinimums` where a province applies stricter rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import UsageError
from ..model.plan import Plan
from ..model.schema import ZONE_LAND_USES
from ._common import area_ha, group_sum, park_index, ratio


@dataclass(frozen=True)
class Minimum:
    """A minimum share of the zoned area for one land use, with its source."""

    share: float
    source: str
    confirmed: bool  #: True only when the figure was checked against the source text


def _default_minimums() -> dict[str, Minimum]:
    return {
        # Green space (đất cây xanh) >= 10 % of the park: the figure carried since QCXDVN
        # 01:2008 and, as we know it, kept in QCVN 01:2019/BXD and QCVN 01:2021/BXD.
        # NOT confirmed against the regulation's text with the search tool.
        "green": Minimum(0.10, "QCVN 01:2021/BXD (khu công nghiệp: đất cây xanh ≥ 10 %)", False),
        # Technical-infrastructure hubs (đầu mối hạ tầng kỹ thuật) >= 1 %: same provenance and
        # the same caveat. NOT confirmed against the regulation's text.
        "technical_infrastructure": Minimum(
            0.01, "QCVN 01:2021/BXD (khu công nghiệp: đất hạ tầng kỹ thuật ≥ 1 %)", False),
        # Roads (đất giao thông): we could not confirm any minimum share for industrial parks
        # in QCVN 01:2021/BXD, so none is checked by default (older drafts quoted 8 %; we do
        # not invent it). Add Minimum(..., source, confirmed) here once a board confirms it.
    }


@dataclass(frozen=True)
class LandUseMinimums:
    """Minimum shares per zone land use; land uses not listed are not checked."""

    minimums: dict[str, Minimum] = field(default_factory=_default_minimums)

    def __post_init__(self) -> None:
        unknown = set(self.minimums) - set(ZONE_LAND_USES)
        if unknown:
            raise UsageError(f"unknown zone land use(s) {sorted(unknown)}; "
                             f"expected some of {', '.join(ZONE_LAND_USES)}")


def land_use_structure(plan: Plan, minimums: LandUseMinimums | None = None) -> pd.DataFrame:
    """Area and share of each zone land use per park, and the check against minimums.

    Index ``park_code``. Columns: ``zoned_ha`` (all zones), ``outline_ha``,
    ``zoned_share`` (zoned / outline); for every land use of
    :data:`gis_app.model.schema.ZONE_LAND_USES` ``<use>_ha`` and ``<use>_share`` (of the
    zoned area; NaN for a park without zones); for every checked land use
    ``<use>_min_share`` and ``<use>_meets_min`` (NA without zones); ``meets_all_minimums``
    (NA without zones) and ``shortfalls`` (the land uses below their minimum, comma-separated).
    """
    minimums = minimums or LandUseMinimums()
    index = park_index(plan)
    zones = plan.zones
    area = area_ha(zones, what="layer 'zones'")
    use = zones["land_use"].astype("string")
    parts = pd.DataFrame({f"{u}_ha": area.where(use.eq(u).fillna(False), 0.0)
                          for u in ZONE_LAND_USES}, index=zones.index)
    sums = group_sum(parts, zones["park_code"].astype("string"), index)

    out = pd.DataFrame(index=index)
    out["zoned_ha"] = sums.sum(axis=1)
    out["outline_ha"] = area_ha(plan.parks.set_axis(index), what="layer 'parks'")
    out["zoned_share"] = ratio(out["zoned_ha"], out["outline_ha"])
    for u in ZONE_LAND_USES:
        out[f"{u}_ha"] = sums[f"{u}_ha"]
        out[f"{u}_share"] = ratio(sums[f"{u}_ha"], out["zoned_ha"])
    has_zones = out["zoned_ha"].gt(0)
    checks = []
    for u, minimum in minimums.minimums.items():
        out[f"{u}_min_share"] = minimum.share
        meets = out[f"{u}_share"].ge(minimum.share).astype("boolean")
        out[f"{u}_meets_min"] = meets.where(has_zones, pd.NA)
        checks.append(u)
    if checks:
        meets_all = pd.concat([out[f"{u}_meets_min"] for u in checks], axis=1).all(axis=1)
        out["meets_all_minimums"] = meets_all.astype("boolean").where(has_zones, pd.NA)
        # Joined column by column (a handful of land uses), not row by row over parks.
        text = pd.Series("", index=index, dtype="string")
        for u in checks:
            below = out[f"{u}_meets_min"].eq(False).fillna(False).astype(bool)
            text = text.where(~below, text + ", " + u)
        out["shortfalls"] = text.str.removeprefix(", ")
    else:
        out["meets_all_minimums"] = pd.array([pd.NA] * len(out), dtype="boolean")
        out["shortfalls"] = pd.Series("", index=index, dtype="string")
    return out


def minimums_table(minimums: LandUseMinimums | None = None) -> pd.DataFrame:
    """The minimums in force with their sources, for reports (index ``land_use``)."""
    minimums = minimums or LandUseMinimums()
    return pd.DataFrame(
        [{"land_use": u, "min_share": m.share, "source": m.source, "confirmed": m.confirmed}
         for u, m in minimums.minimums.items()]
    ).set_index("land_use")
