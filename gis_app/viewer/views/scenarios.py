"""Planning-adjustment scenarios: create and edit (forms and drawing on the map), baseline and
scenario side by side, the differences table, downloads. Editing needs officer mode."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from shapely.geometry.base import BaseGeometry

from gis_app.errors import GisAppError
from gis_app.model.plan import Plan
from gis_app.model.schema import PARK_STATUSES, PLANT_STATUSES, ZONE_LAND_USES
from gis_app.scenarios import (
    AddPark,
    AddWastewaterPlant,
    ChangeBoundary,
    ChangeParkStatus,
    Edit,
    LeasePlots,
    MergePlots,
    ReclaimProjects,
    RezonePlots,
    RezoneZones,
    Scenario,
    SplitPlot,
    Subdivision,
    UpgradeWastewaterPlant,
    add_edit,
    evaluate,
)
from gis_app.scenarios.compare import change_layer, compare
from gis_app.scenarios.describe import describe
from gis_app.scenarios.edits_land import RECLAIMABLE_STATUSES
from gis_app.scenarios.export import export_scenario
from gis_app.scenarios.store import ScenarioStore
from gis_app.viewer import frame, maps
from gis_app.viewer.draw import (
    INSTALL_COMMAND,
    add_draw,
    drawn_geometries,
    pasted_geometries,
    register_draw_route,
)
from gis_app.viewer.escape import md_text
from gis_app.viewer.indicators import label
from gis_app.viewer.scenario_ui import add_changes, changes_table, differences_table, t

state = st.session_state
OPERATIONS: tuple[type[Edit], ...] = (
    RezonePlots, RezoneZones, ReclaimProjects, LeasePlots, SplitPlot, MergePlots,
    ChangeBoundary, AddPark, AddWastewaterPlant, UpgradeWastewaterPlant, ChangeParkStatus,
)


@st.cache_resource(show_spinner=False, max_entries=16)
def evaluate_scenario(_baseline: Plan, _scenario: Scenario, _store: ScenarioStore,
                      key: str) -> Plan:
    """Cached :func:`gis_app.scenarios.evaluate`; ``key`` = file version + scenario content."""
    return evaluate(_baseline, _scenario, _store)


@st.cache_data(show_spinner=False, max_entries=8)
def export_scenario_files(path: str, scenario_id: str, key: str) -> tuple[bytes, bytes]:
    """Cached :func:`gis_app.scenarios.export.export_scenario` (GeoPackage, XLSX) as bytes;
    ``key`` = file version + scenario version."""
    with tempfile.TemporaryDirectory() as tmp:
        done = export_scenario(path, scenario_id, Path(tmp) / f"{scenario_id}.gpkg",
                               Path(tmp) / f"{scenario_id}.xlsx")
        return done.gpkg.read_bytes(), done.report.read_bytes()


@st.cache_data(show_spinner=False, max_entries=8)
def render_sheet(path: str, scenario_id: str, park_code: str, lang: str, key: str) -> bytes:
    """Cached :func:`gis_app.scenarios.export.render_sheet` as PDF bytes; ``key`` = file
    version + scenario version."""
    from gis_app.export import sheet_bytes
    from gis_app.scenarios.export import render_sheet as render
    from gis_app.storage import read_plan

    store = ScenarioStore(path)
    scenario = store.open(scenario_id)
    baseline = read_plan(path)
    plan = evaluate(baseline, scenario, store)
    sheet = render(path, plan, compare(baseline, plan), scenario, park_code, lang)
    return sheet_bytes(sheet)


def _fingerprint(s: Scenario) -> str:
    from gis_app.scenarios import params_json

    return s.id + s.based_on.__str__() + "|".join(e.id + params_json(e) for e in s.edits)


def _shape(lang: str, kind: str, drawn: gpd.GeoDataFrame, crs: object) -> BaseGeometry:
    """The last drawn (or pasted) shape of ``kind``; pasted text wins when given."""
    text = state.get("scn_pasted", "")
    shapes = pasted_geometries(text, state.get("scn_pasted_crs", "EPSG:4326"), crs) \
        if text.strip() else drawn
    hits = shapes.loc[shapes["kind"].str.replace("Multi", "") == kind]
    if hits.empty:
        raise GisAppError(t("need_shape", lang, kind=t(f"kind_{kind}", lang)))
    return hits.geometry.iloc[-1]


def _form(op: type[Edit], plan: Plan, park: str, drawn: gpd.GeoDataFrame, edit_id: str,
          lang: str) -> Edit | None:
    """The form of one operation; returns the edit when submitted."""
    plots = plan.plots.loc[plan.plots["park_code"] == park]
    codes = list(plots["plot_code"])
    lu = lambda v: label(v, lang)  # noqa: E731

    def f(widget, name: str, *args: object, **kwargs: object):  # noqa: ANN001, ANN202
        """A widget labelled with text ``name``, keyed ``scn_<operation>_<name>``; a
        multiselect says "Chọn..." in the reader's language, not Streamlit's English."""
        if widget is st.multiselect:
            kwargs.setdefault("placeholder", frame.t("choose_placeholder", lang))
        return widget(t(name, lang), *args, key=f"scn_{op.operation}_{name}", **kwargs)

    make: Callable[[], Edit]
    with st.form(f"form_{op.operation}"):
        if op is RezonePlots:
            chosen = f(st.multiselect, "plots", codes)
            use = f(st.selectbox, "land_use", ZONE_LAND_USES, format_func=lu)
            make = lambda: RezonePlots(id=edit_id, plot_codes=tuple(chosen), land_use=use)  # noqa: E731
        elif op is RezoneZones:
            zones = list(plan.zones.loc[plan.zones["park_code"] == park, "zone_id"])
            chosen = f(st.multiselect, "zones", zones)
            use = f(st.selectbox, "land_use", ZONE_LAND_USES, format_func=lu)
            make = lambda: RezoneZones(id=edit_id, zone_ids=tuple(chosen), land_use=use)  # noqa: E731
        elif op is ReclaimProjects:
            slow = plan.tenants.loc[(plan.tenants["park_code"] == park)
                                    & plan.tenants["project_status"].isin(RECLAIMABLE_STATUSES)]
            chosen = f(st.multiselect, "projects", list(slow["project_id"]))
            make = lambda: ReclaimProjects(id=edit_id, project_ids=tuple(chosen))  # noqa: E731
        elif op is LeasePlots:
            vacant = list(plots.loc[plots["status"] == "vacant", "plot_code"])
            chosen = f(st.multiselect, "plots", vacant)
            pid = f(st.text_input, "project_id", f"{park}-{edit_id.upper()}")
            investor = f(st.text_input, "investor")
            sector = f(st.text_input, "sector")
            country = f(st.text_input, "country", "Việt Nam")
            capital = f(st.number_input, "capital", min_value=0.0, step=1e6)
            jobs = f(st.number_input, "jobs", min_value=0, step=10)
            make = lambda: LeasePlots(  # noqa: E731
                id=edit_id, plot_codes=tuple(chosen), project_id=pid, investor=investor,
                sector=sector, country=country, registered_capital_usd=float(capital),
                employees=int(jobs))
        elif op is SplitPlot:
            code = f(st.selectbox, "plots", codes)
            new = f(st.text_input, "new_codes", "")
            make = lambda: SplitPlot(  # noqa: E731
                id=edit_id, plot_code=code, line=_shape(lang, "LineString", drawn, plan.crs),
                new_codes=tuple(c.strip() for c in new.split(",") if c.strip()))
        elif op is MergePlots:
            chosen = f(st.multiselect, "plots", codes)
            new = f(st.text_input, "new_code", "")
            make = lambda: MergePlots(id=edit_id, plot_codes=tuple(chosen),  # noqa: E731
                                      new_code=new.strip())
        elif op is ChangeBoundary:
            mode = f(st.radio, "mode", ("expand", "shrink", "replace"), horizontal=True,
                     format_func=lambda m: t(f"mode_{m}", lang))
            subdivide = f(st.checkbox, "subdivide", value=True)
            release = f(st.checkbox, "release")
            make = lambda: ChangeBoundary(  # noqa: E731
                id=edit_id, park_code=park, mode=mode,
                polygon=_shape(lang, "Polygon", drawn, plan.crs),
                subdivision=Subdivision() if subdivide else None, release_outside=release)
        elif op is AddPark:
            code = f(st.text_input, "park_code")
            name_vi = f(st.text_input, "name_vi", "KCN ")
            name_en = f(st.text_input, "name_en", "")
            status = f(st.selectbox, "status", PARK_STATUSES, index=1, format_func=lu)
            subdivide = f(st.checkbox, "subdivide", value=True)
            first = plan.parks.iloc[0]
            make = lambda: AddPark(  # noqa: E731
                # An English name left empty is the Vietnamese one (a park's name is a proper
                # noun); a park without any name is refused by the edit's own check.
                id=edit_id, park_code=code.strip(), name_vi=name_vi.strip(),
                name_en=name_en.strip() or name_vi.strip(),
                province=str(first["province"]), legacy_province=str(first["legacy_province"]),
                outline=_shape(lang, "Polygon", drawn, plan.crs), status=status,
                subdivision=Subdivision() if subdivide else None)
        elif op is AddWastewaterPlant:
            pid = f(st.text_input, "plant_id", f"{park}-XLNT-{edit_id}")
            name = f(st.text_input, "name_vi", f"Trạm XLNT {park}")
            capacity = f(st.number_input, "capacity", min_value=1.0, value=1000.0)
            status = f(st.selectbox, "status", PLANT_STATUSES, index=2, format_func=lu)
            monitoring = f(st.checkbox, "monitoring")
            make = lambda: AddWastewaterPlant(  # noqa: E731
                id=edit_id, plant_id=pid, park_code=park, name_vi=name,
                design_capacity_m3_day=float(capacity), status=status,
                auto_monitoring=monitoring, location=_shape(lang, "Point", drawn, plan.crs))
        elif op is UpgradeWastewaterPlant:
            plants = plan.wastewater_plants.loc[plan.wastewater_plants["park_code"] == park]
            pid = f(st.selectbox, "plant", list(plants["plant_id"]))
            capacity = f(st.number_input, "capacity", min_value=1.0, value=2000.0)
            monitoring = f(st.checkbox, "monitoring", value=True)
            make = lambda: UpgradeWastewaterPlant(  # noqa: E731
                id=edit_id, plant_id=pid, design_capacity_m3_day=float(capacity),
                status="operating", auto_monitoring=monitoring)
        else:
            status = f(st.selectbox, "status", PARK_STATUSES, format_func=lu)
            make = lambda: ChangeParkStatus(id=edit_id, park_code=park, status=status)  # noqa: E731
        if st.form_submit_button(t("add_edit", lang)):
            return make()
    return None


def _editor(s: frame.Session, baseline: Plan, store: ScenarioStore, work: Scenario, park: str
            ) -> None:
    """The drawing map and the form of the chosen operation, on the scenario as it stands."""
    lang = s.lang
    plan = evaluate_scenario(baseline, work, store, s.key + _fingerprint(work))
    st.subheader(t("draw_map", lang))
    drawing = register_draw_route()
    m = maps.park_map(plan, park, frame.context(s), lang=lang)
    if drawing:
        add_draw(m)
        st.caption(t("draw_hint", lang))
    else:
        st.info(t("draw_missing", lang, command=INSTALL_COMMAND))
    from streamlit_folium import st_folium

    result = st_folium(m, key=f"scn_draw_{park}", height=460, use_container_width=True,
                       returned_objects=["all_drawings"])
    drawn = drawn_geometries((result or {}).get("all_drawings"), plan.crs)
    c1, c2 = st.columns([3, 1])
    c1.text_area(t("pasted", lang), key="scn_pasted", height=80)
    c2.selectbox(t("pasted_crs", lang), ("EPSG:4326", str(plan.crs)), key="scn_pasted_crs")
    op = st.selectbox(t("operation", lang), OPERATIONS, key="scn_op",
                      format_func=lambda o: o.label_vi if lang == "vi" else o.label_en)
    try:
        edit = _form(op, plan, park, drawn, work.next_edit_id(), lang)
        if edit is not None:
            state["scn_work"] = add_edit(baseline, work, edit, store)
            state["scn_flash"] = t("edit_added", lang, id=edit.id)  # shown after the rerun
            st.rerun()
    except GisAppError as exc:
        st.error(md_text(exc))


def _edits_list(lang: str, work: Scenario, officer: bool, baseline: Plan) -> None:
    st.subheader(t("edits", lang))
    if not work.edits:
        st.info(t("no_edits", lang))
        return
    st.dataframe(pd.DataFrame({
        "id": [e.id for e in work.edits],
        t("operation", lang): [e.label_vi if lang == "vi" else e.label_en for e in work.edits],
        # In words, measured on the baseline: "Mở rộng KCN Gián Khẩu thêm 35 ha".
        t("edit_description", lang): [describe(e, lang, baseline) for e in work.edits],
    }), hide_index=True, width="stretch")
    if officer:
        c1, c2 = st.columns([3, 1])
        gone = c1.selectbox(t("remove_edit", lang), [e.id for e in work.edits], key="scn_rm")
        if c2.button(t("remove", lang), key="scn_rm_btn"):
            state["scn_work"] = work.without_edit(gone)
            st.rerun()


def _results(s: frame.Session, baseline: Plan, store: ScenarioStore, work: Scenario,
             park: str) -> None:
    lang = s.lang
    after = evaluate_scenario(baseline, work, store, s.key + _fingerprint(work))
    others = [i for i in store.ids() if i != work.id]
    against = st.selectbox(t("compare_with", lang), [None, *others], key="scn_against",
                           format_func=lambda i: t("baseline", lang) if i is None else i)
    before = baseline if against is None else evaluate_scenario(
        baseline, store.open(against), store, s.key + _fingerprint(store.open(against)))
    st.subheader(t("side_by_side", lang))
    codes = list(after.parks["park_code"])
    shown = st.selectbox(t("map_park", lang), codes, index=codes.index(park) if park in codes
                         else 0, key="scn_map_park")
    changes = change_layer(before, after)
    left, right = st.columns(2)
    left.caption(t("baseline", lang) if against is None else md_text(against))
    right.caption(md_text(work.name))
    st.caption(t("synced_hint", lang))
    before_map = maps.park_map(before, shown, frame.basemap(s), lang=lang)
    after_map = add_changes(maps.park_map(after, shown, frame.basemap(s), lang=lang), changes,
                            lang)
    frame.show_map(maps.SyncedMaps(before_map, after_map), key=f"scn_maps_{shown}", height=460)
    st.subheader(t("differences", lang))
    table = compare(before, after)
    level = st.radio(t("differences", lang), ("province", "park"), horizontal=True, key="scn_level",
                     format_func=lambda v: t(f"level_{v}", lang), label_visibility="collapsed")
    only = st.checkbox(t("only_changed", lang), value=True, key="scn_only")
    st.dataframe(differences_table(table, lang, level=level, changed_only=only),
                 hide_index=True, width="stretch")
    st.subheader(t("changes", lang))
    st.dataframe(changes_table(changes, lang), hide_index=True, width="stretch")
    _downloads(s, work, shown)


def _downloads(s: frame.Session, work: Scenario, park: str) -> None:
    lang = s.lang
    st.subheader(t("downloads", lang))
    if work.version == 0 or state.get("scn_dirty"):
        st.info(t("save_first", lang))
        return
    gpkg, xlsx = export_scenario_files(str(s.path), work.id, f"{s.key}:{work.version}")
    c1, c2, c3 = st.columns(3)
    c1.download_button(t("download_gpkg", lang), gpkg, f"{work.id}.gpkg",
                       "application/geopackage+sqlite3", key="scn_dl_gpkg")
    c2.download_button(t("download_xlsx", lang), xlsx, f"{work.id}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="scn_dl_xlsx")
    pdf = render_sheet(str(s.path), work.id, park, lang, f"{s.key}:{work.version}")
    c3.download_button(t("download_sheet", lang, park=park), pdf, f"{work.id}_{park}.pdf",
                       "application/pdf", key="scn_dl_sheet")


def _create(s: frame.Session, store: ScenarioStore, ids: list[str]) -> None:
    lang = s.lang
    with st.expander(t("new", lang)), st.form("scn_new"):
        name = st.text_input(t("name", lang), key="scn_new_name")
        description = st.text_area(t("description", lang), key="scn_new_description")
        based_on = st.selectbox(t("based_on", lang), [None, *ids], key="scn_new_based_on",
                                format_func=lambda i: t("baseline", lang) if i is None else i)
        if st.form_submit_button(t("create", lang)) and name.strip():
            saved = store.save(Scenario.new(name.strip(), author=s.officer or "",
                                            description=description, based_on=based_on))
            state["scn_choice"] = saved.id
            state.pop("scn_work", None)
            st.rerun()


def main() -> None:
    s = frame.session()
    lang = s.lang
    st.title(t("title", lang))
    st.caption(t("intro", lang))
    if "scn_flash" in state:
        st.success(md_text(state.pop("scn_flash")))
    baseline = frame.load(s)
    store = ScenarioStore(s.path)
    listed = store.list()
    ids = [str(i) for i in listed["scenario_id"]]
    officer = s.officer is not None
    if officer:
        _create(s, store, ids)
    else:
        st.caption(t("officer_only", lang))
    if not ids:
        st.info(t("none_yet", lang))
        return
    names = dict(zip(listed["scenario_id"], listed["name"], strict=True))
    choice = st.selectbox(t("choose", lang), ids, key="scn_choice",
                          format_func=lambda i: f"{names[i]} ({i})")
    work = state.get("scn_work")
    if work is None or work.id != choice or state.get("scn_file") != str(s.path):
        work = store.open(choice)
        state.update(scn_work=work, scn_file=str(s.path), scn_dirty=False)
    stored = store.open(choice)
    state["scn_dirty"] = work != stored
    name_col = "name_vi" if lang == "vi" else "name_en"
    park_names = dict(zip(baseline.parks["park_code"], baseline.parks[name_col], strict=True))
    current = evaluate_scenario(baseline, work, store, s.key + _fingerprint(work))
    parks = list(current.parks["park_code"])
    park_names.update(zip(current.parks["park_code"], current.parks[name_col], strict=True))
    park = st.selectbox(t("park", lang), parks, key="scn_park",
                        format_func=lambda c: f"{park_names[c]} ({c})")
    _edits_list(lang, work, officer, baseline)
    if officer:
        c1, c2, c3 = st.columns(3)
        if state["scn_dirty"]:
            c1.warning(t("unsaved", lang))
        if c1.button(t("save", lang), key="scn_save", type="primary"):
            try:
                saved = store.save(work)
                state.update(scn_work=saved, scn_dirty=False,
                             scn_flash=t("saved", lang, version=saved.version))
                st.rerun()
            except GisAppError as exc:
                st.error(md_text(exc))
        if c2.button(t("duplicate", lang), key="scn_dup"):
            copy = store.duplicate(choice, author=s.officer)
            state["scn_choice"] = copy.id
            state.pop("scn_work", None)
            st.rerun()
        if c3.button(t("delete", lang), key="scn_del"):
            store.delete(choice, version=stored.version)
            state.pop("scn_work", None)
            state.pop("scn_choice", None)
            state["scn_flash"] = t("deleted", lang, id=choice)
            st.rerun()
        _editor(s, baseline, store, state["scn_work"], park)
    _results(s, baseline, store, state["scn_work"], park)


main()
