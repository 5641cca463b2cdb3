"""Each scenario edit as a sentence an officer reads: park names, hectares and counts.

``change_boundary(park_code=NB01; mode=expand; ...)`` says what the program does;
"Mở rộng KCN Gián Khẩu thêm 35 ha" says what the board decides. :func:`describe` writes the
second, in Vietnamese or English, measuring areas in the plan's own (VN-2000) CRS. An edit
the plan cannot measure (a park it does not have) is still described, without the figure.
"""

from __future__ import annotations

from collections.abc import Callable

import shapely

from ..formatting import integer, number
from ..i18n import label
from ..model.plan import Plan
from .edits_land import LeasePlots, ReclaimProjects, RezonePlots, RezoneZones
from .edits_parks import AddPark, ChangeBoundary, ChangeParkStatus, SubdividePark
from .edits_plots import MergePlots, SplitPlot
from .edits_water import AddWastewaterPlant, UpgradeWastewaterPlant
from .model import Edit


def park_name(plan: Plan, park_code: str, lang: str) -> str:
    """The park's name in ``lang`` ("KCN Gián Khẩu"); its code when the plan lacks it."""
    hit = plan.parks.loc[plan.parks["park_code"] == park_code]
    if hit.empty:
        return park_code
    column = "name_vi" if lang == "vi" or "name_en" not in hit.columns else "name_en"
    name = hit[column].iloc[0]
    return str(name) if isinstance(name, str) and name.strip() else park_code


def _ha(area_m2: float, lang: str) -> str:
    """Hectares to one decimal, a whole number without one ("35", "35,2")."""
    hectares = round(area_m2 / 10_000, 1)
    return number(hectares, lang, 0 if hectares.is_integer() else 1)


def _codes(codes: tuple[str, ...], lang: str, limit: int = 5) -> str:
    shown = ", ".join(codes[:limit])
    more = len(codes) - limit
    if more > 0:
        shown += f" {'và' if lang == 'vi' else 'and'} {integer(more, lang)} " + (
            "lô khác" if lang == "vi" else "more")
    return shown


def _count(n: int, lang: str, vi: str, en: str) -> str:
    """``n`` things: "3 lô", "1 plot", "3 plots"."""
    return f"{integer(n, lang)} {vi if lang == 'vi' else en + ('' if n == 1 else 's')}"


def _plots_area(plan: Plan, codes: tuple[str, ...]) -> float:
    plots = plan.plots.loc[plan.plots["plot_code"].isin(codes)]
    return float(shapely.area(plots.geometry.values).sum())


def _boundary(e: ChangeBoundary, plan: Plan, lang: str) -> str:
    name = park_name(plan, e.park_code, lang)
    old = plan.parks.loc[plan.parks["park_code"] == e.park_code].geometry
    change = None if old.empty else abs(float(e.new_outline(plan).area)
                                        - float(old.iloc[0].area))
    amount = "" if change is None else (
        f" {'thêm' if lang == 'vi' else 'by'} {_ha(change, lang)} ha")
    if e.mode == "expand":
        text = (f"Mở rộng {name}{amount}" if lang == "vi" else f"Extend {name}{amount}")
    elif e.mode == "shrink":
        amount = amount.replace(" thêm ", " bớt ")
        text = (f"Thu hẹp {name}{amount}" if lang == "vi" else f"Shrink {name}{amount}")
    else:
        size = "" if change is None else (
            f" ({'diện tích thay đổi' if lang == 'vi' else 'area changes by'} "
            f"{_ha(change, lang)} ha)")
        text = (f"Thay ranh giới {name}{size}" if lang == "vi"
                else f"Replace the outline of {name}{size}")
    if e.subdivision is not None:
        text += (", chia lô phần đất mới" if lang == "vi" else ", new land cut into plots")
    return text


def _rezone_plots(e: RezonePlots, plan: Plan, lang: str) -> str:
    n = _count(len(e.plot_codes), lang, "lô", "plot")
    which = f"{_ha(_plots_area(plan, e.plot_codes), lang)} ha: {_codes(e.plot_codes, lang)}"
    use = label(e.land_use, lang).lower() if lang == "en" else label(e.land_use, lang)
    if lang == "vi":
        return f"Chuyển {n} ({which}) sang {use}"
    return f"Re-zone {n} ({which}) to {use}"


def _rezone_zones(e: RezoneZones, plan: Plan, lang: str) -> str:
    n, use = _count(len(e.zone_ids), lang, "phân khu", "zone"), label(e.land_use, lang)
    if lang == "vi":
        return f"Chuyển {n} ({_codes(e.zone_ids, lang)}) sang {use}"
    return f"Re-zone {n} ({_codes(e.zone_ids, lang)}) to {use.lower()}"


def _reclaim(e: ReclaimProjects, plan: Plan, lang: str) -> str:
    links = plan.tenant_plots.loc[plan.tenant_plots["project_id"].isin(e.project_ids)]
    codes = tuple(dict.fromkeys(links["plot_code"].astype(str)))
    area = _ha(_plots_area(plan, codes), lang)
    parks = plan.tenants.loc[plan.tenants["project_id"].isin(e.project_ids), "park_code"]
    where = ", ".join(park_name(plan, str(p), lang) for p in dict.fromkeys(parks))
    n = _count(len(e.project_ids), lang, "dự án", "slow project")
    if lang == "vi":
        return f"Thu hồi đất của {n} chậm tiến độ ({area} ha{', ' + where if where else ''})"
    return f"Reclaim the land of {n} ({area} ha{', ' + where if where else ''})"


def _lease(e: LeasePlots, plan: Plan, lang: str) -> str:
    n, area = _count(len(e.plot_codes), lang, "lô", "plot"), _ha(_plots_area(plan, e.plot_codes),
                                                                 lang)
    if lang == "vi":
        return f"Cho {e.investor} thuê {n} ({area} ha: {_codes(e.plot_codes, lang)})"
    return f"Lease {n} ({area} ha: {_codes(e.plot_codes, lang)}) to {e.investor}"


def _split(e: SplitPlot, plan: Plan, lang: str) -> str:
    n = integer(len(e.new_codes), lang)
    if lang == "vi":
        return f"Tách lô {e.plot_code} thành {n} lô ({', '.join(e.new_codes)})"
    return f"Split plot {e.plot_code} into {n} plots ({', '.join(e.new_codes)})"


def _merge(e: MergePlots, plan: Plan, lang: str) -> str:
    n, area = integer(len(e.plot_codes), lang), _ha(_plots_area(plan, e.plot_codes), lang)
    if lang == "vi":
        return f"Hợp nhất {n} lô ({_codes(e.plot_codes, lang)}; {area} ha) thành lô {e.new_code}"
    return f"Merge {n} plots ({_codes(e.plot_codes, lang)}; {area} ha) into plot {e.new_code}"


def _add_park(e: AddPark, plan: Plan, lang: str) -> str:
    name = e.name_vi if lang == "vi" else (e.name_en or e.name_vi)
    area, status = _ha(float(e.outline.area), lang), label(e.status, lang)
    if lang == "vi":
        return f"Bổ sung {name} ({area} ha, {status.lower()})"
    return f"Add {name} ({area} ha, {status.lower()})"


def _park_status(e: ChangeParkStatus, plan: Plan, lang: str) -> str:
    name, status = park_name(plan, e.park_code, lang), label(e.status, lang)
    year = "" if e.established_year is None else (
        f" {'năm' if lang == 'vi' else 'in'} {e.established_year}")
    if lang == "vi":
        return f"Chuyển {name} sang trạng thái “{status}”{year}"
    return f"Change the status of {name} to “{status}”{year}"


def _subdivide(e: SubdividePark, plan: Plan, lang: str) -> str:
    name, sub = park_name(plan, e.park_code, lang), e.subdivision
    size = f"{number(sub.plot_width_m, lang, 0)} × {number(sub.plot_depth_m, lang, 0)} m"
    road = number(sub.road_width_m, lang, 0)
    if lang == "vi":
        return f"Chia lô {name}: lô {size}, đường nội bộ rộng {road} m"
    return f"Subdivide {name}: {size} plots, internal roads {road} m wide"


def _add_plant(e: AddWastewaterPlant, plan: Plan, lang: str) -> str:
    name, capacity = park_name(plan, e.park_code, lang), integer(e.design_capacity_m3_day, lang)
    if lang == "vi":
        return f"Xây trạm XLNT {capacity} m³/ngày cho {name}"
    return f"Build a {capacity} m³/day wastewater plant for {name}"


def _upgrade_plant(e: UpgradeWastewaterPlant, plan: Plan, lang: str) -> str:
    plants = plan.wastewater_plants
    hit = plants.loc[plants["plant_id"] == e.plant_id]
    park = park_name(plan, str(hit["park_code"].iloc[0]), lang) if not hit.empty else e.plant_id
    if e.design_capacity_m3_day is None:
        return (f"Nâng cấp trạm XLNT của {park}" if lang == "vi"
                else f"Upgrade the wastewater plant of {park}")
    capacity = integer(e.design_capacity_m3_day, lang)
    if lang == "vi":
        return f"Nâng công suất trạm XLNT của {park} lên {capacity} m³/ngày"
    return f"Raise the wastewater plant of {park} to {capacity} m³/day"


_WRITERS: dict[type[Edit], Callable[..., str]] = {
    ChangeBoundary: _boundary, RezonePlots: _rezone_plots, RezoneZones: _rezone_zones,
    ReclaimProjects: _reclaim, LeasePlots: _lease, SplitPlot: _split, MergePlots: _merge,
    AddPark: _add_park, ChangeParkStatus: _park_status, SubdividePark: _subdivide,
    AddWastewaterPlant: _add_plant, UpgradeWastewaterPlant: _upgrade_plant,
}


def describe(edit: Edit, lang: str, plan: Plan) -> str:
    """The edit as one sentence in ``lang``, measured on ``plan`` (the plan it applies to).

    Edits of a kind this module does not know fall back to their label and parameters.
    """
    writer = _WRITERS.get(type(edit))
    if writer is None:
        return f"{edit.label_vi if lang == 'vi' else edit.label_en}: {edit.describe()}"
    return writer(edit, plan, lang)
