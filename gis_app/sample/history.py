"""The plan history shipped with the sample: how each province's plan came to be as it is.

Built from the finished sample plan (the 17 Nov 2023 baseline) backwards, as versions of
every feature with the change that opened and closed each:

* each park enters the plan by the decision that established it (the sample's illustrative
  decision number and date), or by the adjustment that added it to the plan (status
  ``approved``; ``proposed`` for Ninh Bình's 2023 proposals); it becomes ``operating`` with its
  first lease; its zones, plots and wastewater plant exist from its establishment;
* the real adjustments of :mod:`gis_app.sample.adjustments` (1511/TTg-KTN 2014, 1402/TTg-CN
  2020 for Bắc Ninh; 1499/TTg-KTN 2014 for Ninh Bình) change the areas and outlines they name;
* leases come from the tenants' lease start dates: a plot is vacant until its project's lease
  starts (one change per lease month, recorded as an import of the tenant register).

Every change is dated on or before the reporting date, so the plan as of 17 Nov 2023 is the
shipped baseline. The earlier outlines are generated (see :mod:`gis_app.sample.adjustments`).

Old Bắc Ninh as of 31 July 2018 (the board's report "lũy kế đến hết tháng 7/2018")
------------------------------------------------------------------------------------
Reproduced: 16 parks in the plan; 10 operating; 9 of them with a central wastewater plant and
8 with automatic monitoring (the plant of Yên Phong mở rộng is commissioned in January 2019,
see :data:`COMMISSIONED`); leased industrial land 1,659.8 ha = 63.61 % of the published
2,609.4 ha (lease starts calibrated in :mod:`gis_app.sample.lease_dates`).

Not reproduced, and why:

* planned total: 6,497.36 ha, not 6,397.68 ha. 1402/TTg-CN (2020) cut Nam Sơn – Hạp Lĩnh by
  132 ha and raised Thuận Thành III by 32.32 ha, so the 2014–2020 total must be 99.68 ha above
  the 2020–2023 one; the board quotes 6,397.68 ha for both (and the 2020 document names no
  other area change). The sample keeps the published per-park areas on both sides.
* parks established: 10 (the catalogue's establishment years), against 11 "with an investment
  certificate" (14 infrastructure projects) in the report.
* built-out planned area 3,681.94 ha, leasable 2,609.4 ha and acquired land (1,659.84 ha /
  87.96 % = 1,887.0 ha): the sample's plots subdivide each established park entirely, so the
  same parks hold 4,880.40 ha established and 3,302.50 ha of leasable land (occupancy 50.26 %
  of the sample's own leasable land, against the published 63.61 % of 2,609.4 ha).
* projects (1,278, of which 848 FDI) and capital: the sample's tenants are calibrated to 2023
  only; the projects whose lease had started by then are simply those of the 2023 file.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..history.model import CHANGES_TABLE, coerce_changes
from ..history.versions import HISTORY_LAYERS, coerce_versions, storable
from ..model.plan import Plan
from ..model.schema import SCHEMAS
from .adjustments import (
    ADJUSTMENTS,
    NB_PROPOSAL,
    Adjustment,
    grown_outline,
    moved_outline,
    shrunk_outline,
)

#: When the sample's history was recorded (its reporting date, for byte-stable output).
RECORDED_AT = "2023-11-17T00:00:00+00:00"
RECORDED_BY = "KCN-GIS sample generator (illustrative)"
TENANT_REGISTER = ("tenants.lease_start: sổ theo dõi dự án (minh họa) / tenant register "
                   "(illustrative)")
_ILLUSTRATIVE = "minh họa: số và ngày quyết định sinh tự động / illustrative generated decision"
#: Plants commissioned after their park was established (calibration: the July 2018 report
#: counts 9 of 10 operating parks with a central plant and 8 with automatic monitoring; the
#: sample's youngest park then, Yên Phong mở rộng, gets its plant in January 2019).
COMMISSIONED = {"bac_ninh": {"BN04-XLNT": pd.Timestamp("2019-01-01")}}
_NOT_YET = {"established_area_ha": 0.0, "leasable_area_ha": None, "cleared_area_ha": None,
            "developer": None, "decision_no": None, "decision_date": pd.NaT,
            "established_year": None}


def adjustments(key: str) -> tuple[Adjustment, ...]:
    """The province's real adjustments and proposals, oldest first."""
    extra = (NB_PROPOSAL,) if key == "ninh_binh" else ()
    return tuple(sorted(ADJUSTMENTS.get(key, ()) + extra, key=lambda a: a.decision_date))


def earlier_outlines(key: str, parks: gpd.GeoDataFrame, plots: gpd.GeoDataFrame,
                     province: shapely.Geometry) -> dict[str, tuple[float, shapely.Geometry]]:
    """park_code -> (planned area, outline) before the adjustment that changed it."""
    out: dict[str, tuple[float, shapely.Geometry]] = {}
    outlines = dict(zip(parks["park_code"], parks.geometry, strict=True))
    for adj in ADJUSTMENTS.get(key, ()):
        for code in (*adj.areas, *adj.moved):
            others = shapely.union_all([g for c, g in outlines.items() if c != code])
            current = outlines[code]
            if code in adj.moved:
                area = float(parks.loc[parks["park_code"] == code, "planned_area_ha"].iloc[0])
                out[code] = (area, moved_outline(current, others, province))
                continue
            before, _after = adj.areas[code]
            if before >= _after:
                out[code] = (before, grown_outline(current, before, others, province))
            else:
                mine = plots.loc[plots["park_code"] == code]
                weight = (mine["status"].eq("leased").to_numpy(dtype=bool)
                          * shapely.area(np.asarray(mine.geometry.values)))
                out[code] = (before, shrunk_outline(current, before, weight,
                                                    np.asarray(mine.geometry.values)))
    return out


def late_plots(key: str, plots: gpd.GeoDataFrame,
               earlier: dict[str, tuple[float, shapely.Geometry]]
               ) -> tuple[set[str], pd.Timestamp | None]:
    """Plots on land an adjustment added to a park (outside its earlier outline), and when."""
    codes: set[str] = set()
    when = None
    for adj in ADJUSTMENTS.get(key, ()):
        for code, (before, after) in adj.areas.items():
            if before < after and code in earlier:
                mine = plots.loc[plots["park_code"] == code]
                inside = shapely.within(np.asarray(mine.geometry.values),
                                        shapely.buffer(earlier[code][1], 0.01))
                codes |= set(mine.loc[~inside, "plot_code"])
                when = pd.Timestamp(adj.decision_date)
    return codes, when


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Only the polygon parts of each geometry (intersections may add lines), as multipolygons."""
    parts, index = shapely.get_parts(geoms, return_index=True)
    keep = shapely.get_type_id(parts) == 3
    out = np.full(len(geoms), None, dtype=object)
    for i in np.unique(index[keep]):
        out[i] = shapely.multipolygons(parts[keep & (index == i)])
    return out


class _Log:
    """Changes keyed by a stable label, numbered by date once all are known."""

    def __init__(self) -> None:
        self.rows: dict[str, dict] = {}

    def add(self, label: str, when: pd.Timestamp, order: int, **fields: object) -> str:
        self.rows.setdefault(label, {"effective_date": pd.Timestamp(when), "_order": order,
                                     "recorded_at": RECORDED_AT, **fields})
        return label

    def ids(self) -> dict[str, str]:
        ordered = sorted(self.rows, key=lambda k: (self.rows[k]["effective_date"],
                                                   self.rows[k]["_order"], k))
        return {label: f"C{i + 1:04d}" for i, label in enumerate(ordered)}

    def table(self, ids: dict[str, str]) -> pd.DataFrame:
        rows = [{"change_id": ids[k], **{f: v for f, v in r.items() if f != "_order"}}
                for k, r in self.rows.items()]
        return coerce_changes(pd.DataFrame(rows)).sort_values("change_id").reset_index(
            drop=True)


def _decision(log: _Log, adj: Adjustment) -> str:
    return log.add(f"adjust:{adj.decision_no}:{adj.decision_date}", pd.Timestamp(
        adj.decision_date), 1, basis_type="decision", decision_no=adj.decision_no,
        decision_date=pd.Timestamp(adj.decision_date), authority=adj.authority,
        document_ref=adj.document_ref, description=adj.description)


def _establish(log: _Log, park: pd.Series) -> str:
    return log.add(f"establish:{park['park_code']}", park["decision_date"], 0,
                   basis_type="decision", decision_no=park["decision_no"],
                   decision_date=park["decision_date"], authority="Thủ tướng Chính phủ",
                   document_ref=_ILLUSTRATIVE,
                   description=f"Thành lập {park['name_vi']} / {park['name_en']} established")


def _lease(log: _Log, when: pd.Timestamp, n: int) -> str:
    return log.add(f"lease:{when.date()}", when, 2, basis_type="import",
                   source_file=TENANT_REGISTER, recorded_by=RECORDED_BY,
                   description=f"Hợp đồng thuê đất bắt đầu {when:%m/%Y} ({n} dự án) / "
                               f"leases starting {when:%Y-%m} ({n} project{'' if n == 1 else 's'})")


def _versions(rows: pd.DataFrame, start: pd.Series, change: pd.Series,
              end: pd.Series | None = None, closed_by: pd.Series | None = None) -> pd.DataFrame:
    out = rows.copy()
    out["valid_from"] = pd.to_datetime(start.to_numpy())
    out["valid_to"] = pd.to_datetime(end.to_numpy()) if end is not None else pd.NaT
    out["change_from"] = change.to_numpy()
    out["change_to"] = closed_by.to_numpy() if closed_by is not None else None
    return out


def _park_versions(key: str, plan: Plan, log: _Log, first_lease: pd.Series,
                   earlier: dict[str, tuple[float, shapely.Geometry]]) -> pd.DataFrame:
    """Every park's versions (a few per park: entry, establishment, adjustments, operation)."""
    adjs = adjustments(key)
    prior_date = plan.parks["decision_date"].min()
    rows = []
    for _, park in plan.parks.iterrows():  # tens of parks, each with its own few events
        code, status = park["park_code"], park["status"]
        added = [a for a in adjs if code in a.added]
        changed = [a for a in adjs if code in a.areas or code in a.moved]
        points: dict[pd.Timestamp, str] = {}
        if added:
            points[pd.Timestamp(added[0].decision_date)] = _decision(log, added[0])
        elif pd.notna(park["decision_date"]) and not any(
                pd.Timestamp(a.decision_date) < park["decision_date"] for a in changed):
            pass
        else:  # in the plan before a recorded adjustment: entry date not published
            points[prior_date] = log.add(
                f"prior:{key}", prior_date, 0, basis_type="import",
                source_file="data/reference/industrial_parks_catalog.csv", recorded_by=RECORDED_BY,
                description="KCN trong quy hoạch trước lần điều chỉnh đầu tiên được ghi (ngày "
                            "đưa vào quy hoạch không rõ) / parks in the plan before the first "
                            "recorded adjustment (entry date not found)")
        if pd.notna(park["decision_date"]):
            points[park["decision_date"]] = _establish(log, park)
        for a in changed:
            points[pd.Timestamp(a.decision_date)] = _decision(log, a)
        operating = first_lease.get(code, park["decision_date"])
        if status == "operating" and pd.notna(operating) and operating > park["decision_date"]:
            points[operating] = _lease(log, operating, 0)
        previous = None
        for when in sorted(points):
            row = park.to_dict()
            if status != "proposed":
                if pd.notna(park["decision_date"]) and when >= park["decision_date"]:
                    row["status"] = ("operating" if status == "operating" and
                                     (pd.isna(operating) or when >= operating) else "established")
                elif status != "approved":
                    row.update(_NOT_YET, status="approved")
            pending = [a for a in changed if pd.Timestamp(a.decision_date) > when]
            if pending and code in earlier:
                area, outline = earlier[code]
                if row["established_area_ha"] == park["planned_area_ha"]:
                    row["established_area_ha"] = area
                row["planned_area_ha"], row["geometry"] = area, outline
            comparable = pd.Series({k: v for k, v in row.items() if k != "geometry"},
                                   dtype=object)
            if previous is not None and comparable.equals(previous[0]) and \
                    shapely.equals(row["geometry"], previous[1]):
                continue
            row.update(valid_from=when, change_from=points[when])
            rows.append(row)
            previous = (comparable, row["geometry"])
    frame = pd.DataFrame(rows)
    frame = frame.sort_values(["park_code", "valid_from"], kind="stable").reset_index(drop=True)
    same = frame["park_code"].eq(frame["park_code"].shift(-1))
    frame["valid_to"] = frame["valid_from"].shift(-1).where(same)
    frame["change_to"] = frame["change_from"].shift(-1).where(same)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=plan.parks.crs)


def seed_history(key: str, plan: Plan, province: shapely.Geometry) -> dict[str, pd.DataFrame]:
    """The ``plan_changes`` table and the ``<layer>_history`` layers of a sample province."""
    log = _Log()
    parks = plan.parks.set_index("park_code")
    established = parks["decision_date"]
    earlier = earlier_outlines(key, plan.parks, plan.plots, province)
    late, late_from = late_plots(key, plan.plots, earlier)
    tenants = plan.tenants
    start = pd.to_datetime(tenants["lease_start"]).fillna(
        tenants["park_code"].map(established))
    for when, n in start.value_counts().sort_index().items():
        _lease(log, when, int(n))
    lease_of = pd.Series(start.to_numpy(), index=tenants["project_id"])
    lease_label = lease_of.map(lambda d: f"lease:{d.date()}")
    links = plan.tenant_plots
    plot_lease = pd.Series(lease_of.reindex(links["project_id"]).to_numpy(),
                           index=links["plot_code"])
    first_lease = plot_lease.groupby(
        plan.plots.set_index("plot_code")["park_code"].reindex(plot_lease.index).to_numpy()
    ).min()
    versions: dict[str, pd.DataFrame] = {
        "parks": _park_versions(key, plan, log, first_lease, earlier)}

    decided = plan.parks.loc[plan.parks["decision_date"].notna()]
    est_label = pd.Series({row["park_code"]: _establish(log, row) for _, row in decided.iterrows()},
                          dtype=object)
    # A later adjustment that added land: its plots (and the zone parts on it) date from it.
    grow = next(((a, c) for a in ADJUSTMENTS.get(key, ()) for c, (b, e) in a.areas.items()
                 if b < e), None)

    plots = plan.plots
    created = plots["park_code"].map(established)
    created_by = plots["park_code"].map(est_label)
    if grow is not None:
        is_late = plots["plot_code"].isin(late)
        created = created.where(~is_late, late_from)
        created_by = created_by.where(~is_late, _decision(log, grow[0]))
    leased_at = pd.Series(plot_lease.reindex(plots["plot_code"]).to_numpy(), index=plots.index)
    two = leased_at.notna() & (leased_at > created)
    first = plots.copy()
    first.loc[two, "status"] = "vacant"
    lease_change = leased_at.map(lambda d: f"lease:{d.date()}" if pd.notna(d) else None)
    versions["plots"] = pd.concat([
        _versions(first, created, created_by, leased_at.where(two), lease_change.where(two)),
        _versions(plots.loc[two], leased_at[two], lease_change[two]),
    ], ignore_index=True)

    zones = plan.zones
    z_created = zones["park_code"].map(established)
    z_by = zones["park_code"].map(est_label)
    parts = [_versions(zones, z_created, z_by)]
    if grow is not None:
        adj, code = grow
        mine = zones["park_code"].eq(code).to_numpy()
        clipped = _polygonal(shapely.intersection(np.asarray(zones.geometry.values[mine]),
                                                  earlier[code][1]))
        label = _decision(log, adj)
        when = pd.Timestamp(adj.decision_date)
        old = zones.loc[mine].copy()
        old["geometry"] = clipped
        has_old = pd.notna(old.geometry.values)
        whole = parts[0].loc[~mine]
        later = _versions(zones.loc[mine], pd.Series(when, index=old.index),
                          pd.Series(label, index=old.index))
        before = _versions(old.loc[has_old], z_created[mine][has_old], z_by[mine][has_old],
                           pd.Series(when, index=old.index)[has_old],
                           pd.Series(label, index=old.index)[has_old])
        parts = [whole, before, later]
    versions["zones"] = pd.concat(parts, ignore_index=True)

    plants = plan.wastewater_plants
    p_created = plants["park_code"].map(established)
    p_by = plants["park_code"].map(est_label)
    later = pd.Series(plants["plant_id"].map(COMMISSIONED.get(key, {})).to_numpy(),
                      index=plants.index, dtype="datetime64[ns]")
    building = later.notna() & (later > p_created)
    opened = later.map(lambda d: log.add(
        f"plant:{d.date()}", d, 3, basis_type="import", recorded_by=RECORDED_BY,
        source_file="wastewater_plants: sổ theo dõi trạm XLNT (minh họa) / plant register "
                    "(illustrative)",
        description=f"Trạm XLNT đi vào vận hành {d:%m/%Y} / central plant commissioned "
                    f"{d:%Y-%m} (assumed, calibrated to the July 2018 report)")
        if pd.notna(d) else None)
    first_plant = plants.copy()
    first_plant.loc[building, ["status", "auto_monitoring", "current_load_m3_day"]] = [
        "under_construction", False, None]
    versions["wastewater_plants"] = pd.concat([
        _versions(first_plant, p_created, p_by, later.where(building), opened.where(building)),
        _versions(plants.loc[building], later[building], opened[building]),
    ], ignore_index=True)
    versions["tenants"] = _versions(tenants, start, pd.Series(
        lease_label.to_numpy(), index=tenants.index))
    versions["tenant_plots"] = _versions(
        links, pd.Series(plot_lease.to_numpy(), index=links.index),
        pd.Series(lease_label.reindex(links["project_id"]).to_numpy(), index=links.index))

    ids = log.ids()
    out: dict[str, pd.DataFrame] = {CHANGES_TABLE: log.table(ids)}
    for name in SCHEMAS:
        frame = versions[name]
        frame["change_from"] = frame["change_from"].map(ids)
        frame["change_to"] = frame["change_to"].map(ids)
        if isinstance(getattr(plan, name), gpd.GeoDataFrame):
            frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=plan.crs)
        out[HISTORY_LAYERS[name]] = storable(name, coerce_versions(name, frame))
    return out
