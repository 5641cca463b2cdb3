"""Planning-adjustment scenarios: create and edit (forms and drawing on the map), baseline and
scenario side by side, the differences table, downloads. Editing needs officer mode."""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from shapely.geometry.base import BaseGeometry

from gis_app.errors import GisAppError
from gis_app.i18n import t
from gis_app.model.plan import Plan
from gis_app.scenarios import OPERATIONS, Edit, Scenario, add_edit, evaluate
from gis_app.scenarios.compare import change_layer, compare
from gis_app.scenarios.describe import describe
from gis_app.scenarios.export import export_scenario
from gis_app.scenarios.store import ScenarioStore
from gis_app.viewer import frame, maps
from gis_app.viewer.date_field import date_field
from gis_app.viewer.draw import (
    INSTALL_COMMAND,
    add_draw,
    drawn_geometries,
    pasted_geometries,
    register_draw_route,
)
from gis_app.viewer.escape import md_text
from gis_app.viewer.scenario_ui import (
    FormInput,
    add_changes,
    changes_table,
    differences_table,
    edit_form,
    edit_from_form,
)

state = st.session_state


@st.cache_resource(show_spinner=False, max_entries=16)
def evaluate_scenario(_baseline: Plan, _scenario: Scenario, _store: ScenarioStore,
                      key: str) -> Plan:
    """Cached :func:`gis_app.scenarios.evaluate`; ``key`` = file version + scenario content."""
    return evaluate(_baseline, _scenario, _store)


@st.cache_data(show_spinner=False, max_entries=8)
def export_scenario_files(path: str, _baseline: Plan, _table: pd.DataFrame, scenario_id: str,
                          key: str) -> tuple[bytes, bytes]:
    """Cached :func:`gis_app.scenarios.export.export_scenario` (GeoPackage, XLSX) as bytes, of
    the baseline the page holds and its comparison with the scenario (not read and computed
    again); ``key`` = file version + scenario version."""
    with tempfile.TemporaryDirectory() as tmp:
        done = export_scenario(path, scenario_id, Path(tmp) / f"{scenario_id}.gpkg",
                               Path(tmp) / f"{scenario_id}.xlsx", baseline=_baseline,
                               table=_table)
        return done.gpkg.read_bytes(), done.report.read_bytes()


@st.cache_data(show_spinner=False, max_entries=16)
def compare_plans(_before: Plan, _after: Plan, key: str) -> pd.DataFrame:
    """Cached :func:`gis_app.scenarios.compare.compare` (the analytics' indicators of both
    plans); ``key`` names both plan versions, so that a rerun of the page (a radio, a
    checkbox, a download) does not compute them again."""
    return compare(_before, _after)


@st.cache_data(show_spinner=False, max_entries=8)
def render_sheet(path: str, _baseline: Plan, _plan: Plan, _table: pd.DataFrame,
                 scenario_id: str, park_code: str, lang: str, key: str) -> bytes:
    """Cached :func:`gis_app.scenarios.export.render_sheet` as PDF bytes, of the baseline the
    page holds, the scenario evaluated and their comparison (not read, evaluated and compared
    again); ``key`` = file version + scenario version."""
    from gis_app.export import sheet_bytes
    from gis_app.scenarios.export import render_sheet as render

    scenario = ScenarioStore(path).open(scenario_id)
    return sheet_bytes(render(path, _plan, _table, scenario, park_code, lang,
                              baseline=_baseline))


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
        raise GisAppError(t("scenario.need_shape", lang, kind=t(f"scenario.kind_{kind}", lang)))
    return hits.geometry.iloc[-1]


def _widget(inp: FormInput, lang: str) -> object:
    """Draw one input of an edit's form (see :func:`~gis_app.viewer.scenario_ui.edit_form`);
    a multiselect says "Chọn..." in the reader's language, not Streamlit's English."""
    shown = dict(zip(inp.options, inp.shown, strict=True))
    if inp.widget == "shape":
        st.caption(md_text(inp.label))
        return None
    if inp.widget == "fixed":
        return st.text_input(inp.label, inp.shown[0], key=inp.key, disabled=True)
    if inp.widget == "multiselect":
        return st.multiselect(inp.label, inp.options, key=inp.key, format_func=shown.__getitem__,
                              placeholder=t("choose_placeholder", lang), select_all=False)
    if inp.widget in ("selectbox", "radio"):
        widget = st.selectbox if inp.widget == "selectbox" else partial(st.radio, horizontal=True)
        index = inp.options.index(inp.value) if inp.value in inp.options else 0
        return widget(inp.label, inp.options, index=index, key=inp.key,
                      format_func=shown.__getitem__)
    if inp.widget == "text_input":
        return st.text_input(inp.label, inp.value, key=inp.key)
    if inp.widget == "number_input":
        p, kind = inp.param, int if inp.param.whole else float
        return st.number_input(
            inp.label, value=None if inp.value is None else kind(inp.value),
            min_value=None if p.minimum is None else kind(p.minimum),
            step=None if p.step is None else kind(p.step), key=inp.key)
    if inp.widget == "date_input":
        # Not st.date_input: its calendar names months and days only in English.
        return date_field(inp.label, inp.value, inp.key, lang)
    return st.checkbox(inp.label, value=bool(inp.value), key=inp.key, disabled=inp.disabled)


def _form(op: type[Edit], plan: Plan, park: str, drawn: gpd.GeoDataFrame, edit_id: str,
          lang: str) -> Edit | None:
    """The form of one operation, built from the parameters it declares; returns the edit
    when submitted."""
    inputs = edit_form(op, plan, park, edit_id, lang)
    with st.form(f"form_{op.operation}"):
        values = {inp.param.name: _widget(inp, lang) for inp in inputs}
        if st.form_submit_button(t("scenario.add_edit", lang)):
            return edit_from_form(op, edit_id, inputs, values,
                                  lambda kind: _shape(lang, kind, drawn, plan.crs), lang)
    return None


def _editor(s: frame.Session, baseline: Plan, store: ScenarioStore, work: Scenario, park: str
            ) -> None:
    """The drawing map and the form of the chosen operation, on the scenario as it stands."""
    lang = s.lang
    plan = evaluate_scenario(baseline, work, store, s.key + _fingerprint(work))
    st.subheader(t("scenario.draw_map", lang))
    drawing = register_draw_route()
    m = maps.park_map(plan, park, frame.context(s), lang=lang)
    if drawing:
        add_draw(m)
        st.caption(t("scenario.draw_hint", lang))
    else:
        st.info(t("scenario.draw_missing", lang, command=INSTALL_COMMAND))
    from streamlit_folium import st_folium

    result = st_folium(m, key=f"scn_draw_{park}", height=460, use_container_width=True,
                       returned_objects=["all_drawings"])
    drawn = drawn_geometries((result or {}).get("all_drawings"), plan.crs)
    c1, c2 = st.columns([3, 1])
    c1.text_area(t("scenario.pasted", lang), key="scn_pasted", height=80)
    c2.selectbox(t("scenario.pasted_crs", lang), ("EPSG:4326", str(plan.crs)), key="scn_pasted_crs")
    op = st.selectbox(t("scenario.operation", lang), list(OPERATIONS.values()), key="scn_op",
                      format_func=lambda o: o.label(lang))
    try:
        edit = _form(op, plan, park, drawn, work.next_edit_id(), lang)
        if edit is not None:
            state["scn_work"] = add_edit(baseline, work, edit, store)
            state["scn_flash"] = t("scenario.edit_added", lang, id=edit.id)  # shown after the rerun
            st.rerun()
    except GisAppError as exc:
        st.error(md_text(exc))


def _edits_list(lang: str, work: Scenario, officer: bool, baseline: Plan) -> None:
    st.subheader(t("scenario.edits", lang))
    if not work.edits:
        st.info(t("scenario.no_edits", lang))
        return
    st.dataframe(pd.DataFrame({
        "id": [e.id for e in work.edits],
        t("scenario.operation", lang): [e.label(lang) for e in work.edits],
        # In words, measured on the baseline: "Mở rộng KCN Gián Khẩu thêm 35 ha".
        t("scenario.edit_description", lang): [describe(e, lang, baseline) for e in work.edits],
    }), hide_index=True, width="stretch")
    if officer:
        c1, c2 = st.columns([3, 1])
        gone = c1.selectbox(t("scenario.remove_edit", lang), [e.id for e in work.edits],
                            key="scn_rm")
        if c2.button(t("scenario.remove", lang), key="scn_rm_btn"):
            state["scn_work"] = work.without_edit(gone)
            st.rerun()


def _results(s: frame.Session, baseline: Plan, store: ScenarioStore, work: Scenario,
             park: str) -> None:
    lang = s.lang
    after_key = s.key + _fingerprint(work)
    after = evaluate_scenario(baseline, work, store, after_key)
    others = [i for i in store.ids() if i != work.id]
    against = st.selectbox(t("scenario.compare_with", lang), [None, *others], key="scn_against",
                           format_func=lambda i: t("baseline", lang) if i is None else i)
    before_key = s.key if against is None else s.key + _fingerprint(store.open(against))
    before = baseline if against is None else evaluate_scenario(
        baseline, store.open(against), store, before_key)
    st.subheader(t("scenario.side_by_side", lang))
    codes = list(after.parks["park_code"])
    shown = st.selectbox(t("scenario.map_park", lang), codes,
                         index=codes.index(park) if park in codes else 0, key="scn_map_park")
    changes = change_layer(before, after)
    left, right = st.columns(2)
    left.caption(t("baseline", lang) if against is None else md_text(against))
    right.caption(md_text(work.name))
    st.caption(t("scenario.synced_hint", lang))
    before_map = maps.park_map(before, shown, frame.basemap(s), lang=lang)
    after_map = add_changes(maps.park_map(after, shown, frame.basemap(s), lang=lang), changes,
                            lang)
    frame.show_map(maps.SyncedMaps(before_map, after_map), key=f"scn_maps_{shown}", height=460)
    st.subheader(t("scenario.differences", lang))
    table = compare_plans(before, after, f"{before_key}|{after_key}")
    level = st.radio(t("scenario.differences", lang), ("province", "park"), horizontal=True,
                     key="scn_level", format_func=lambda v: t(f"scenario.level_{v}", lang),
                     label_visibility="collapsed")
    only = st.checkbox(t("scenario.only_changed", lang), value=True, key="scn_only")
    st.dataframe(differences_table(table, lang, level=level, changed_only=only),
                 hide_index=True, width="stretch")
    st.subheader(t("scenario.changes", lang))
    st.dataframe(changes_table(changes, lang), hide_index=True, width="stretch")
    _downloads(s, work, shown, baseline, after)


def _downloads(s: frame.Session, work: Scenario, park: str, baseline: Plan,
               after: Plan) -> None:
    lang = s.lang
    st.subheader(t("scenario.downloads", lang))
    if work.version == 0 or state.get("scn_dirty"):
        st.info(t("scenario.save_first", lang))
        return
    # The files' and the sheet's differences are those of the baseline: the table the page
    # may hold already.
    table = compare_plans(baseline, after, f"{s.key}|{s.key}{_fingerprint(work)}")
    gpkg, xlsx = export_scenario_files(str(s.path), baseline, table, work.id,
                                       f"{s.key}:{work.version}")
    c1, c2, c3 = st.columns(3)
    c1.download_button(t("scenario.download_gpkg", lang), gpkg, f"{work.id}.gpkg",
                       "application/geopackage+sqlite3", key="scn_dl_gpkg")
    c2.download_button(t("scenario.download_xlsx", lang), xlsx, f"{work.id}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="scn_dl_xlsx")
    pdf = render_sheet(str(s.path), baseline, after, table, work.id, park, lang,
                       f"{s.key}:{work.version}")
    c3.download_button(t("scenario.download_sheet", lang, park=park), pdf, f"{work.id}_{park}.pdf",
                       "application/pdf", key="scn_dl_sheet")


def _create(s: frame.Session, store: ScenarioStore, ids: list[str]) -> None:
    lang = s.lang
    with st.expander(t("scenario.new", lang)), st.form("scn_new"):
        name = st.text_input(t("scenario.name", lang), key="scn_new_name")
        description = st.text_area(t("scenario.description", lang), key="scn_new_description")
        based_on = st.selectbox(t("scenario.based_on", lang), [None, *ids], key="scn_new_based_on",
                                format_func=lambda i: t("baseline", lang) if i is None else i)
        if st.form_submit_button(t("scenario.create", lang)) and name.strip():
            saved = store.save(Scenario.new(name.strip(), author=s.officer or "",
                                            description=description, based_on=based_on))
            state["scn_choice"] = saved.id
            state.pop("scn_work", None)
            st.rerun()


def main() -> None:
    s = frame.session()
    lang = s.lang
    st.title(t("scenario.title", lang))
    st.caption(t("scenario.intro", lang))
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
        st.caption(t("scenario.officer_only", lang))
    if not ids:
        st.info(t("scenario.none_yet", lang))
        return
    names = dict(zip(listed["scenario_id"], listed["name"], strict=True))
    choice = st.selectbox(t("scenario.choose", lang), ids, key="scn_choice",
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
    park = st.selectbox(t("scenario.park", lang), parks, key="scn_park",
                        format_func=lambda c: f"{park_names[c]} ({c})")
    _edits_list(lang, work, officer, baseline)
    if officer:
        c1, c2, c3 = st.columns(3)
        if state["scn_dirty"]:
            c1.warning(t("scenario.unsaved", lang))
        if c1.button(t("scenario.save", lang), key="scn_save", type="primary"):
            try:
                saved = store.save(work)
                state.update(scn_work=saved, scn_dirty=False,
                             scn_flash=t("scenario.saved", lang, version=saved.version))
                st.rerun()
            except GisAppError as exc:
                st.error(md_text(exc))
        if c2.button(t("scenario.duplicate", lang), key="scn_dup"):
            copy = store.duplicate(choice, author=s.officer)
            state["scn_choice"] = copy.id
            state.pop("scn_work", None)
            st.rerun()
        if c3.button(t("scenario.delete", lang), key="scn_del"):
            store.delete(choice, version=stored.version)
            state.pop("scn_work", None)
            state.pop("scn_choice", None)
            state["scn_flash"] = t("scenario.deleted", lang, id=choice)
            st.rerun()
        _editor(s, baseline, store, state["scn_work"], park)
    _results(s, baseline, store, state["scn_work"], park)


main()
