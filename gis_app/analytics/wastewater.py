"""Central wastewater treatment (hệ thống XLNT tập trung) of each park and its coverage.

The boards' target is every operating park with a working central plant and automatic
monitoring (facts.md). A park may have several plants (modules built in stages); capacity
and load are summed over its *operating* plants, and capacity still being built or planned
is shown apart so that it is not mistaken for treatment that exists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model.plan import Plan
from ._common import park_groups, park_index, ratio, ratio_values


@dataclass(frozen=True)
class WastewaterThresholds:
    """When a plant is reported as running out of capacity."""

    #: Utilisation (load / design capacity) above which a park is flagged. 85 % is a board
    #: setting: it leaves time to build the next module before the plant is full; it is
    #: not a figure of a standard.
    max_utilisation_share: float = 0.85


def wastewater_status(plan: Plan, thresholds: WastewaterThresholds | None = None,
                      ) -> pd.DataFrame:
    """Wastewater treatment of each park, indexed by ``park_code``.

    Columns
    -------
    park_status
        The park's status (only ``operating`` parks are expected to treat wastewater).
    plants_count, plants_operating_count
        Plants of the park, and those in operation.
    plant_present, plant_operating
        At least one plant of any status / in operation.
    design_capacity_m3_day, current_load_m3_day
        Sums over operating plants (0 without one; the load is NaN if no plant reports it).
    pending_capacity_m3_day
        Design capacity of plants under construction or planned.
    utilisation_share, headroom_m3_day
        ``load / capacity`` and ``capacity - load`` of the operating plants.
    auto_monitoring
        Every operating plant has an automatic monitoring station (False without a plant).
    flag_operating_without_plant
        An operating park without an operating plant.
    flag_high_utilisation
        Utilisation above :attr:`WastewaterThresholds.max_utilisation_share`.
    """
    thresholds = thresholds or WastewaterThresholds()
    index = park_index(plan)
    plants = plan.wastewater_plants
    code = plants["park_code"].astype("string").to_numpy()
    operating = plants["status"].eq("operating").fillna(False).to_numpy(dtype=bool)
    capacity = plants["design_capacity_m3_day"].astype("float64")
    load = plants["current_load_m3_day"].astype("float64")
    monitored = plants["auto_monitoring"].fillna(False).to_numpy(dtype=bool)
    frame = pd.DataFrame(
        {
            "plants_count": 1,
            "plants_operating_count": operating.astype("int64"),
            "design_capacity_m3_day": capacity.where(operating, 0.0),
            "pending_capacity_m3_day": capacity.where(~operating, 0.0),
            "unmonitored_operating_count": (operating & ~monitored).astype("int64"),
        },
        index=plants.index,
    )
    sums = frame.groupby(code).sum().reindex(index, fill_value=0)
    loads = load.where(operating).groupby(code).sum(min_count=1).reindex(index)

    # Columns gathered as arrays and framed once (inserting each into a frame costs more
    # than the sums for a province's few parks).
    status = plan.parks["status"].astype("string")
    park_status = status.to_numpy()
    plants_count = sums["plants_count"].to_numpy(dtype="int64")
    plants_operating_count = sums["plants_operating_count"].to_numpy(dtype="int64")
    plant_operating = plants_operating_count > 0
    capacity_sum = sums["design_capacity_m3_day"].to_numpy(dtype="float64")
    load_sum = np.where(plant_operating, loads.to_numpy(dtype="float64", na_value=np.nan),
                        np.nan)
    utilisation = ratio_values(load_sum, capacity_sum)
    return pd.DataFrame({
        "park_status": park_status,
        "plants_count": plants_count,
        "plants_operating_count": plants_operating_count,
        "plant_present": plants_count > 0,
        "plant_operating": plant_operating,
        "design_capacity_m3_day": capacity_sum,
        "current_load_m3_day": load_sum,
        "pending_capacity_m3_day": sums["pending_capacity_m3_day"].to_numpy(dtype="float64"),
        "utilisation_share": utilisation,
        "headroom_m3_day": capacity_sum - load_sum,
        "auto_monitoring": plant_operating
        & (sums["unmonitored_operating_count"].to_numpy() == 0),
        "flag_operating_without_plant": status.eq("operating").to_numpy(
            dtype=bool, na_value=False) & ~plant_operating,
        # NaN (no operating plant) is not above the threshold.
        "flag_high_utilisation": utilisation > thresholds.max_utilisation_share,
    }, index=index)


def wastewater_coverage(plan: Plan, by: str = "province") -> pd.DataFrame:
    """Coverage of operating parks by operating central plants, per province or legacy province.

    Index: the group (``province`` or ``legacy_province``). Columns
    ``parks_operating_count, parks_operating_with_plant_count, coverage_share`` (NaN
    without operating parks), ``parks_operating_monitored_count``,
    ``parks_high_utilisation_count``, ``design_capacity_m3_day, current_load_m3_day``
    (of all the group's operating plants) and ``utilisation_share``.
    """
    status = wastewater_status(plan)
    groups = park_groups(plan, by)
    op = status["park_status"].eq("operating")
    frame = pd.DataFrame(
        {
            "parks_operating_count": op.astype("int64"),
            "parks_operating_with_plant_count": (op & status["plant_operating"]).astype("int64"),
            "parks_operating_monitored_count": (op & status["auto_monitoring"]).astype("int64"),
            "parks_high_utilisation_count": status["flag_high_utilisation"].astype("int64"),
            "design_capacity_m3_day": status["design_capacity_m3_day"],
        },
        index=status.index,
    )
    key = groups.reindex(status.index).to_numpy()
    out = frame.groupby(key, sort=False).sum()
    out["current_load_m3_day"] = status["current_load_m3_day"].groupby(key, sort=False).sum(
        min_count=1)
    out.index.name = by
    out["coverage_share"] = ratio(out["parks_operating_with_plant_count"],
                                  out["parks_operating_count"])
    out["utilisation_share"] = ratio(out["current_load_m3_day"], out["design_capacity_m3_day"])
    return out[["parks_operating_count", "parks_operating_with_plant_count", "coverage_share",
                "parks_operating_monitored_count", "parks_high_utilisation_count",
                "design_capacity_m3_day", "current_load_m3_day", "utilisation_share"]]
