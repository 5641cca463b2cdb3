"""Areas of each park: planned, established, cleared, leasable, leased, vacant, reserved ...

Everything is measured from the plot geometries in the province's projected VN-2000 CRS (the
``area_ha`` attribute of a plot is a stated value; the geometry is the record). Only plots
whose land use is leasable industrial land (:data:`gis_app.settings.LEASABLE_LAND_USES`)
enter the occupancy figures: leased service or infrastructure plots are not
"đất công nghiệp cho thuê".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.plan import Plan
from ..settings import LEASABLE_LAND_USES
from ._common import area_ha, group_sum, park_index, ratio_values

#: The columns of :func:`park_areas`, in order.
AREA_COLUMNS: tuple[str, ...] = (
    "planned_ha",
    "outline_ha",
    "established_ha",
    "leasable_ha",
    "cleared_ha",
    "leased_ha",
    "vacant_ha",
    "reserved_ha",
    "not_cleared_ha",
    "rbf_vacant_ha",
    "plots_ha",
    "occupancy_share",
    "occupancy_cleared_share",
    "area_basis",
)

#: The additive area columns (sums over parks are meaningful).
ADDITIVE_AREA_COLUMNS: tuple[str, ...] = tuple(c for c in AREA_COLUMNS if c.endswith("_ha"))


def plot_area_parts(plan: Plan) -> pd.DataFrame:
    """Each plot's measured area split into the additive parts of :func:`park_areas`.

    One row per plot (same index as ``plan.plots``) with ``park_code`` and the columns
    ``plots_ha, leasable_ha, cleared_ha, leased_ha, vacant_ha, reserved_ha, not_cleared_ha,
    rbf_vacant_ha``: a plot's area where it belongs to the category, else 0.
    """
    plots = plan.plots
    area = area_ha(plots, what="layer 'plots'")
    status = plots["status"].astype("string")
    leasable = plots["land_use"].isin(LEASABLE_LAND_USES).fillna(False).to_numpy(dtype=bool)
    rbf = plots["ready_built_factory"].fillna(False).to_numpy(dtype=bool)
    values = area.to_numpy()

    def part(mask: np.ndarray) -> np.ndarray:  # arrays: a Series each costs more than its sums
        return np.where(mask, values, 0.0)

    return pd.DataFrame(
        {
            "park_code": plots["park_code"].astype("string"),
            "plots_ha": area,
            "leasable_ha": part(leasable),
            # Cleared (đã giải phóng mặt bằng): leasable land that is leased, vacant or reserved.
            "cleared_ha": part(leasable & status.ne("not_cleared").to_numpy(dtype=bool)),
            "leased_ha": part(leasable & status.eq("leased").to_numpy(dtype=bool)),
            "vacant_ha": part(leasable & status.eq("vacant").to_numpy(dtype=bool)),
            "reserved_ha": part(leasable & status.eq("reserved").to_numpy(dtype=bool)),
            "not_cleared_ha": part(leasable & status.eq("not_cleared").to_numpy(dtype=bool)),
            "rbf_vacant_ha": part(leasable & rbf & status.eq("vacant").to_numpy(dtype=bool)),
        },
        index=plots.index,
    )


def park_areas(plan: Plan) -> pd.DataFrame:
    """Areas (ha) and occupancy of each park, indexed by ``park_code``.

    Columns
    -------
    planned_ha
        The park's planned area as published (attribute ``planned_area_ha``).
    outline_ha
        The planned area measured from the park outline.
    established_ha
        Attribute ``established_area_ha``.
    leasable_ha, cleared_ha, leased_ha, vacant_ha, reserved_ha, not_cleared_ha
        Leasable industrial land (plots of a leasable land use) in total, cleared (leased,
        vacant or reserved), and by plot status; measured from the plots.
    rbf_vacant_ha
        Vacant leasable plots with a ready-built factory (nhà xưởng xây sẵn).
    plots_ha
        All plots of the park, any land use.
    occupancy_share
        ``leased_ha / leasable_ha`` (tỷ lệ lấp đầy), NaN where nothing is leasable.
    occupancy_cleared_share
        ``leased_ha / cleared_ha``, NaN where nothing is cleared.
    area_basis
        ``plots`` when the park has plots; ``park_attributes`` when it has none (a park
        approved in the plan but without a detailed plan): then ``leasable_ha`` and
        ``cleared_ha`` come from the attributes ``leasable_area_ha``/``cleared_area_ha``
        (NaN where absent), nothing is leased and the status split is unknown (NaN).

    Examples
    --------
    >>> from gis_app.testing import tiny_plan
    >>> a = park_areas(tiny_plan())
    >>> a.loc["P1", ["leasable_ha", "leased_ha", "occupancy_share"]].tolist()
    [2.0, 1.5, 0.75]
    """
    index = park_index(plan)
    parks = plan.parks.set_axis(index)
    parts = plot_area_parts(plan)
    sums = group_sum(parts.drop(columns="park_code"), parts["park_code"], index)
    # Index.isin walks a Python list of its argument: give it the few distinct codes only.
    has_plots = index.isin(parts["park_code"].dropna().unique())

    # Columns gathered as arrays and framed once (inserting each into a frame costs more
    # than the sums for a province's few parks).
    def column(name: str) -> np.ndarray:
        return parks[name].astype("float64").to_numpy()

    out: dict[str, object] = {
        "planned_ha": column("planned_area_ha"),
        "outline_ha": area_ha(parks, what="layer 'parks'").to_numpy(),
        "established_ha": column("established_area_ha"),
    }
    measured = {name: sums[name].to_numpy() for name in sums.columns}
    # A park without plots: its stated leasable and cleared land (NaN where absent).
    leasable = np.where(has_plots, measured["leasable_ha"], column("leasable_area_ha"))
    cleared = np.where(has_plots, measured["cleared_ha"], column("cleared_area_ha"))
    out["leasable_ha"], out["cleared_ha"] = leasable, cleared
    for name in ("leased_ha", "rbf_vacant_ha"):
        out[name] = measured[name]  # 0 for a park without plots: nothing can be leased there
    for name in ("vacant_ha", "reserved_ha", "not_cleared_ha"):
        out[name] = np.where(has_plots, measured[name], np.nan)
    out["plots_ha"] = measured["plots_ha"]
    out["occupancy_share"] = ratio_values(measured["leased_ha"], leasable)
    out["occupancy_cleared_share"] = ratio_values(measured["leased_ha"], cleared)
    out["area_basis"] = pd.array(np.where(has_plots, "plots", "park_attributes").astype(object),
                                 dtype="string")
    return pd.DataFrame(out, index=index, columns=list(AREA_COLUMNS))
