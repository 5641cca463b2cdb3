"""Each scenario edit as a sentence an officer reads: park names, hectares and counts.

``change_boundary(park_code=NB01; mode=expand; ...)`` says what the program does;
"Mở rộng KCN Gián Khẩu thêm 35 ha" says what the board decides. :func:`describe` writes the
second, in Vietnamese or English (the catalogue's ``edit.*`` messages), measuring areas in
the plan's own (VN-2000) CRS. An edit the plan cannot measure (a park it does not have) is
still described, without the figure.
"""

from __future__ import annotations

from collections.abc import Callable

import shapely

from ..formatting import integer, number
from ..i18n import label, ngettext, t
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
        return t("edit.more", lang, codes=shown, count=integer(more, lang))
    return shown


def _count(key: str, n: int, lang: str) -> str:
    """``n`` things: "3 lô", "1 plot", "3 plots" (plural message ``key``)."""
    return ngettext(key, n, lang, count=integer(n, lang))


def _plots_area(plan: Plan, codes: tuple[str, ...]) -> float:
    plots = plan.plots.loc[plan.plots["plot_code"].isin(codes)]
    return float(shapely.area(plots.geometry.values).sum())


def _boundary(e: ChangeBoundary, plan: Plan, lang: str) -> str:
    name = park_name(plan, e.park_code, lang)
    old = plan.parks.loc[plan.parks["park_code"] == e.park_code].geometry
    change = None if old.empty else abs(float(e.new_outline(plan).area)
                                        - float(old.iloc[0].area))
    key = {"expand": "edit.expand", "shrink": "edit.shrink"}.get(e.mode, "edit.replace")
    text = (t(key + "_unmeasured", lang, name=name) if change is None
            else t(key, lang, name=name, ha=_ha(change, lang)))
    if e.subdivision is not None:
        text = t("edit.subdivided", lang, text=text)
    return text


def _use(code: str, lang: str) -> str:
    """A land use inside a sentence: English lowercases it ("to green space")."""
    use = label(code, lang)
    return use.lower() if lang == "en" else use


def _rezone_plots(e: RezonePlots, plan: Plan, lang: str) -> str:
    which = f"{_ha(_plots_area(plan, e.plot_codes), lang)} ha: {_codes(e.plot_codes, lang)}"
    return t("edit.rezone", lang, n=_count("edit.plots", len(e.plot_codes), lang), which=which,
             use=_use(e.land_use, lang))


def _rezone_zones(e: RezoneZones, plan: Plan, lang: str) -> str:
    return t("edit.rezone", lang, n=_count("edit.zones", len(e.zone_ids), lang),
             which=_codes(e.zone_ids, lang), use=_use(e.land_use, lang))


def _reclaim(e: ReclaimProjects, plan: Plan, lang: str) -> str:
    links = plan.tenant_plots.loc[plan.tenant_plots["project_id"].isin(e.project_ids)]
    codes = tuple(dict.fromkeys(links["plot_code"].astype(str)))
    area = _ha(_plots_area(plan, codes), lang)
    parks = plan.tenants.loc[plan.tenants["project_id"].isin(e.project_ids), "park_code"]
    where = ", ".join(park_name(plan, str(p), lang) for p in dict.fromkeys(parks))
    return t("edit.reclaim", lang, n=_count("edit.slow_projects", len(e.project_ids), lang),
             area=area, where=", " + where if where else "")


def _lease(e: LeasePlots, plan: Plan, lang: str) -> str:
    return t("edit.lease", lang, investor=e.investor,
             n=_count("edit.plots", len(e.plot_codes), lang),
             area=_ha(_plots_area(plan, e.plot_codes), lang), codes=_codes(e.plot_codes, lang))


def _split(e: SplitPlot, plan: Plan, lang: str) -> str:
    return t("edit.split", lang, code=e.plot_code, n=integer(len(e.new_codes), lang),
             codes=", ".join(e.new_codes))


def _merge(e: MergePlots, plan: Plan, lang: str) -> str:
    return t("edit.merge", lang, n=integer(len(e.plot_codes), lang),
             codes=_codes(e.plot_codes, lang), area=_ha(_plots_area(plan, e.plot_codes), lang),
             new=e.new_code)


def _add_park(e: AddPark, plan: Plan, lang: str) -> str:
    name = e.name_vi if lang == "vi" else (e.name_en or e.name_vi)
    return t("edit.add_park", lang, name=name, area=_ha(float(e.outline.area), lang),
             status=label(e.status, lang).lower())


def _park_status(e: ChangeParkStatus, plan: Plan, lang: str) -> str:
    name, status = park_name(plan, e.park_code, lang), label(e.status, lang)
    if e.established_year is None:
        return t("edit.park_status", lang, name=name, status=status)
    return t("edit.park_status_year", lang, name=name, status=status, year=e.established_year)


def _subdivide(e: SubdividePark, plan: Plan, lang: str) -> str:
    sub = e.subdivision
    return t("edit.subdivide", lang, name=park_name(plan, e.park_code, lang),
             width=number(sub.plot_width_m, lang, 0), depth=number(sub.plot_depth_m, lang, 0),
             road=number(sub.road_width_m, lang, 0))


def _add_plant(e: AddWastewaterPlant, plan: Plan, lang: str) -> str:
    return t("edit.add_plant", lang, capacity=integer(e.design_capacity_m3_day, lang),
             name=park_name(plan, e.park_code, lang))


def _upgrade_plant(e: UpgradeWastewaterPlant, plan: Plan, lang: str) -> str:
    plants = plan.wastewater_plants
    hit = plants.loc[plants["plant_id"] == e.plant_id]
    park = park_name(plan, str(hit["park_code"].iloc[0]), lang) if not hit.empty else e.plant_id
    if e.design_capacity_m3_day is None:
        return t("edit.upgrade_plant", lang, park=park)
    return t("edit.raise_plant", lang, park=park,
             capacity=integer(e.design_capacity_m3_day, lang))


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
        return f"{edit.label(lang)}: {edit.describe()}"
    return writer(edit, plan, lang)
