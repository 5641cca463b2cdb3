"""One park: plots by status or land use, the clicked plot's card, KPIs, efficiency,
occupancy over time and reclamation candidates. Tenants appear in officer mode only."""

from __future__ import annotations

import time
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st

from gis_app.formatting import date, number, percent
from gis_app.model.crs import to_crs
from gis_app.model.plan import Plan
from gis_app.viewer import cache, frame, history_panel, keep, map_view, maps
from gis_app.viewer.escape import md_text
from gis_app.viewer.indicators import builtup_raster_of, label
from gis_app.viewer.locate import locate
from gis_app.viewer.privacy import public_park_table, tenant_view

#: Reclamation columns anyone may see; officers also see who holds the land.
RECLAMATION_PUBLIC = ("plot_code", "area_ha", "years_since_lease", "builtup_share")
RECLAMATION_OFFICER = ("project_id", "investor", "project_status")
KPI_COLUMNS = ("planned_ha", "leasable_ha", "leased_ha", "vacant_ha", "occupancy_share",
               "headroom_m3_day")
#: Short card labels (a long one is cut off in a narrow card; the help gives the full one).
KPI_LABELS = {"planned_ha": "kpi_planned_ha", "leasable_ha": "kpi_leasable_ha",
              "leased_ha": "kpi_leased_ha", "vacant_ha": "kpi_vacant_ha",
              "occupancy_share": "kpi_occupancy", "headroom_m3_day": "kpi_headroom"}


def clicked_plot(plots: gpd.GeoDataFrame, clicked: dict | None) -> str | None:
    """The plot under a map click (WGS 84 lat/lng), located in the plan's VN-2000 CRS."""
    if not clicked or clicked.get("lat") is None:
        return None
    point = gpd.GeoDataFrame(geometry=[shapely.Point(clicked["lng"], clicked["lat"])],
                             crs="EPSG:4326")
    point = to_crs(point, str(plots.crs), what="map click")
    hits = plots.sindex.query(point.geometry.iloc[0], predicate="intersects")
    return str(plots["plot_code"].iloc[hits[0]]) if len(hits) else None


def _dates(start: object, end: object, lang: str) -> str:
    """A lease's period, ``01/03/2012 – 01/01/2058``; "–" when neither date is known."""
    if pd.isna(start) and pd.isna(end):
        return "–"
    return f"{date(start, lang)} – {date(end, lang)}"


def card_rows(s: frame.Session, plot: pd.Series, park: pd.Series,
              projects: pd.DataFrame | None) -> dict[str, str]:
    """What an officer reads on a plot: its park, land use, area, status, the park's decision,
    and (``projects``: officers only) the tenant, its project's status and lease dates."""
    name = park.get("name_vi" if s.lang == "vi" else "name_en")
    decision = park.get("decision_no")
    decided = park.get("decision_date")
    rows = {
        s.t("park"): f"{name} ({plot['park_code']})",
        label("land_use", s.lang): label(str(plot["land_use"]), s.lang),
        label("area_ha", s.lang): number(plot["area_ha"], s.lang, 2),
        label("status", s.lang): label(str(plot["status"]), s.lang),
        label("ready_built_factory", s.lang): "✓" if bool(plot["ready_built_factory"]) else "–",
        label("decision_no", s.lang): " – ".join(
            v for v in (None if pd.isna(decision) else str(decision),
                        None if pd.isna(decided) else date(decided, s.lang)) if v) or "–",
    }
    if projects is not None:
        hosted = projects[projects["plot_code"] == plot["plot_code"]]
        rows[s.t("tenant")] = ", ".join(hosted["investor"].astype(str)) or "–"
        rows[label("project_status", s.lang)] = ", ".join(
            label(str(v), s.lang) for v in hosted["project_status"]) or "–"
        rows[s.t("lease_period")] = ", ".join(
            _dates(a, b, s.lang) for a, b in zip(hosted["lease_start"], hosted["lease_end"],
                                                 strict=True)) or "–"
    return rows


def plot_card(s: frame.Session, plot: pd.Series, park: pd.Series,
              projects: pd.DataFrame | None) -> None:
    st.subheader(f"{s.t('plot_card')} {md_text(plot['plot_code'])}")
    rows = card_rows(s, plot, park, projects)
    # st.table renders its cells as Markdown: a tenant's name must read as typed.
    # No header row: the card's one column has no name, and an empty header reads unfinished.
    st.table(pd.DataFrame({"": [md_text(v) for v in rows.values()]}, index=list(rows)),
             hide_header=True)


#: The selected plots, ``(park_code, plot codes, fit)``: the table's rows, a map click, a
#: located code or a link's; ``fit``: the map zooms to them (not after a click on the map).
_SELECTION = "park_selection"
#: Session keys: the map click last handled, the selection the table showed last, the card's
#: plot last seen, the last view of a park's map the app heard of (a link's, or the view at
#: the last click: the map itself keeps the address bar on its view), the link last written.
_CLICK_SEEN, _TABLE_SEEN, _CARD_SEEN = "park_click_seen", "park_table_seen", "park_card_seen"
_VIEW, _LINK = "park_view", "park_link_written"
#: The plots table's columns (officers also see each plot's tenants and their projects).
PLOT_COLUMNS = ("plot_code", "land_use", "status", "area_ha", "ready_built_factory")
#: How long after the page set the table's rows the rows it replaced are taken as a late
#: echo of the browser, not as the reader's choice (:func:`_stale`).
STALE_SECONDS = 3.0


def selection(park_code: str) -> tuple[tuple[str, ...], bool]:
    """The selected plots of ``park_code`` and whether the map should zoom to them."""
    chosen = st.session_state.get(_SELECTION)
    if not chosen or chosen[0] != park_code:
        return (), False
    return tuple(chosen[1]), bool(chosen[2])


def select(park_code: str, plots: list[str] | tuple[str, ...], fit: bool) -> None:
    st.session_state[_SELECTION] = (park_code, tuple(plots), fit)


def plots_table(s: frame.Session, plots: pd.DataFrame,
                projects: pd.DataFrame | None) -> pd.DataFrame:
    """One row per plot, in plot-code order; officers' rows name the tenants and the status
    of their projects (a plot may host several)."""
    table = pd.DataFrame(plots[list(PLOT_COLUMNS)]).sort_values("plot_code")
    table = table.reset_index(drop=True)
    table["ready_built_factory"] = table["ready_built_factory"].fillna(False).astype(bool)
    if projects is not None:
        hosted = projects.groupby("plot_code")
        table["tenant"] = table["plot_code"].map(
            hosted["investor"].agg(lambda v: ", ".join(v.astype(str))))
        table["project_status"] = table["plot_code"].map(hosted["project_status"].agg(
            lambda v: ", ".join(label(str(x), s.lang) for x in v)))
    return table


def _table_codes(state: object, codes: list[str]) -> tuple[str, ...]:
    """The plot codes of the rows a plots table's widget state selects."""
    chosen = state.get("selection") if isinstance(state, Mapping) else None
    rows = chosen.get("rows") if isinstance(chosen, Mapping) else None
    return tuple(codes[i] for i in rows or () if isinstance(i, int) and 0 <= i < len(codes))


def _follow(park_code: str, plots: gpd.GeoDataFrame, clicked: dict | None,
            table_key: str, codes: list[str]) -> None:
    """Bring the selection up to date with what the reader did since the last run: a new click
    on the map selects that plot (and shows its card); a change of the table's rows selects
    them (the card shows a row just added); a plot picked for the card is selected."""
    state = st.session_state
    chosen, _ = selection(park_code)
    shown = _table_codes(state.get(table_key), codes)
    seen = state.get(_TABLE_SEEN)
    card = keep.get("park_plot")
    if clicked and clicked != state.get(_CLICK_SEEN):
        state[_CLICK_SEEN] = clicked
        view = map_view.clicked_view(clicked)
        if view is not None:
            state[_VIEW] = (park_code, view)
        code = clicked_plot(plots, clicked)
        if code:
            select(park_code, [code], False)
            keep.put("park_plot", code)
    elif state.get(table_key) is not None and seen is not None and seen[0] == table_key \
            and shown != seen[1] and not _stale(shown, seen[2]):
        # (A table not drawn on the last run, on another page, has no state: no change.)
        select(park_code, shown, True)
        added = [c for c in shown if c not in seen[1]]
        if added:
            keep.put("park_plot", added[-1])
    elif card is not None and card != state.get(_CARD_SEEN) and card not in chosen:
        select(park_code, [card], True)
    chosen, _ = selection(park_code)
    if chosen and keep.get("park_plot") is None:
        # The card shows a selected plot (the box emptied the same way, by an early rerun,
        # would otherwise hide the card of the plot just clicked).
        keep.put("park_plot", chosen[-1])
    state[_CARD_SEEN] = keep.get("park_plot")


def _stale(shown: tuple[str, ...], replaced: tuple | None) -> bool:
    """Whether the table's rows are those it held just before a click (or a located code)
    chose others: they come back when the browser asks for a rerun before it has shown that
    click's run (the map pans to the click's popup): not the reader's choice."""
    return replaced is not None and shown == replaced[0] and \
        time.monotonic() - replaced[1] < STALE_SECONDS


def _sync_table(park_code: str, table_key: str, codes: list[str]) -> None:
    """Show the selection in the table (set before it is drawn: a click or a located code
    changed it)."""
    chosen, _ = selection(park_code)
    rows = [codes.index(c) for c in chosen if c in codes]
    before = _table_codes(st.session_state.get(table_key), codes)
    replaced = None
    if before != tuple(codes[i] for i in rows):
        st.session_state[table_key] = {"selection": {"rows": rows}}
        replaced = (before, time.monotonic())
    st.session_state[_TABLE_SEEN] = (table_key, tuple(codes[i] for i in rows), replaced)


@st.fragment
def map_and_card(s: frame.Session, plan: Plan, plan_key: str, park_code: str, colour_by: str,
                 visible: pd.DataFrame | None) -> None:
    """The park's map, the card of the plot clicked or chosen and the plots table, linked: a
    fragment, so a click or a row selection reruns only this (the map itself is rendered
    once per park and shared, see :func:`gis_app.viewer.cache.park_map`; the selection is
    drawn over it, :func:`gis_app.viewer.map_view.highlight`); the rest of the page is not
    rebuilt. The page's link follows the selection (:func:`write_link`) and the view (the
    map keeps it in the address bar itself, and opens at the view the address names: a pan
    or a zoom reruns nothing, see :data:`gis_app.viewer.map_view.VIEW_LINK_JS`)."""
    projects = None
    if visible is not None:
        projects = plan.tenant_plots.merge(
            visible[["project_id", "investor", "project_status", "lease_start", "lease_end"]],
            on="project_id")
    plots = cache.park_plots(str(s.path), s.key, plan, plan_key, park_code)
    if plots.empty:
        st.info(s.t("no_plots"))
    prepared = cache.park_map(str(s.path), s.key, plan, plan_key, park_code, colour_by, s.lang,
                              visible is not None)
    map_key = f"park_map_{park_code}"
    table = plots_table(s, plots, projects)
    codes = list(table["plot_code"].astype(str))
    table_key = f"park_plots_{park_code}"
    before = map_view.current(prepared, map_key)
    _follow(park_code, plots, (before or {}).get("last_object_clicked"), table_key, codes)
    chosen, fit = selection(park_code)
    shapes = maps.for_display(plots[plots["plot_code"].isin(chosen)], plan.crs,
                              maps.SIMPLIFY_M["plots"])
    left, right = st.columns([3, 1])
    with left:
        map_view.show(prepared, key=map_key, highlighted=map_view.highlight(shapes, fit))
    with right:
        plot_codes = list(plots["plot_code"])
        if plot_codes:
            code = st.selectbox(s.t("plot_card"), plot_codes, index=None,
                                placeholder=s.t("click_plot"),
                                **keep.widget("park_plot", None, plot_codes))
            if code is not None:
                park = plan.parks[plan.parks["park_code"] == park_code]
                plot_card(s, plots[plots["plot_code"] == code].iloc[0],
                          park.iloc[0] if not park.empty else pd.Series(dtype=object),
                          projects)
    if codes:
        st.subheader(s.t("park.plots_table"))
        st.caption(s.t("park.plots_hint"))
        _sync_table(park_code, table_key, codes)
        shown = cache.display_table(table, ("park_plots", plan_key, park_code,
                                            "officer" if projects is not None else "public"),
                                    s.lang)
        st.dataframe(shown, hide_index=True, width="stretch", on_select="rerun",
                     selection_mode="multi-row", key=table_key)
    seen = st.session_state.get(_VIEW)
    write_link(park_code, chosen, seen[1] if seen is not None and seen[0] == park_code
               else None, s.lang)


def main() -> None:
    s = frame.session()
    st.title(s.t("page_park"))
    c1, c2, c3 = st.columns([2, 1, 1])
    with c3:  # the version picker sits in the control row: the map stays where it was
        plan, plan_key, _ = history_panel.plan_picker(s, key="park_as_of")
    officer = s.officer is not None
    table = cache.park_indicators(plan, plan_key)
    if not officer:
        table = public_park_table(table)
    name = "name_vi" if s.lang == "vi" else "name_en"
    codes = list(table.index)
    if not codes:  # a province file fresh from `kcn-gis init`
        st.info(s.t("no_parks_yet"))
        return
    open_linked(plan, codes)
    locate_box(s, plan)
    park_code = c1.selectbox(s.t("choose_park"), codes,
                             format_func=lambda c: f"{table.loc[c, name]} ({c})",
                             **keep.widget("park_code", codes[0] if codes else None, codes))
    colours = ("status", "land_use")
    colour_by = c2.radio(s.t("colour_by"), colours, horizontal=True,
                         format_func=lambda v: s.t(f"by_{v}"),
                         **keep.widget("park_colour", colours[0], colours))
    row = table.loc[park_code]
    cards = [c for c in KPI_COLUMNS if c in table.columns]
    for column, key in zip(st.columns(len(cards)), cards, strict=True):
        value = row[key]
        text = (percent(value, s.lang) if key.endswith("share")
                else number(value, s.lang, 1))
        column.metric(s.t(KPI_LABELS[key]), text, help=label(key, s.lang))

    visible = tenant_view(plan.tenants, officer)
    map_and_card(s, plan, plan_key, park_code, colour_by, visible)

    st.subheader(s.t("efficiency"))
    efficiency = [c for c in table.columns if c.endswith("_per_ha")]
    if efficiency:
        frame.show_table(table.loc[[park_code]], s.lang, efficiency)
        if not officer and table.loc[park_code, efficiency].isna().all():
            st.caption(s.t("efficiency_hidden"))
    series = cache.park_occupancy_series(plan, park_code, plan_key)
    st.subheader(s.t("occupancy_over_time"))
    if not series.empty:
        # Years as dates (not numbers printed as "2,010") and the share in percent.
        shares = (series * 100).rename(f"{label('occupancy_share', s.lang)} (%)")
        shares.index = pd.to_datetime(series.index.astype(str), format="%Y")
        st.line_chart(shares)
    st.subheader(s.t("reclamation"))
    candidates = cache.park_reclamation(plan, park_code, builtup_raster_of(s.path), plan_key)
    if candidates.empty:
        st.info(s.t("no_reclamation"))
    else:
        shown = list(RECLAMATION_PUBLIC) + (list(RECLAMATION_OFFICER) if officer else [])
        shown.append("reason_vi" if s.lang == "vi" else "reason_en")
        frame.show_table(candidates, s.lang, shown)
    st.subheader(s.t("tenants"))
    if visible is None:
        st.info(s.t("tenants_hidden"))
    else:
        mine = visible[visible["park_code"] == park_code]
        frame.show_table(mine, s.lang, list(mine.columns))
    history_panel.changes_table(s, park_code=park_code, key="park_changes_leases")


def locate_box(s: frame.Session, plan: Plan) -> None:
    """A box that finds a plot or a park by its code or a park by its name (diacritics
    optional) and opens it: the park, the plot selected, its card shown, the map zoomed to it.
    What names nothing, or several parks, is said in the page's language."""
    st.text_input(s.t("park.locate"), key="park_locate", placeholder=s.t("park.locate_hint"),
                  on_change=_locate, args=(plan,))
    # The message has its slot whether shown or not: an element appearing above the map
    # would move it in the page, and a moved map is mounted (and drawn) anew.
    slot = st.empty()
    problem = st.session_state.get("park_locate_problem")
    if problem is None:
        return
    text, names = problem
    if names:
        slot.warning(s.t("park.locate_several", text=md_text(text),
                       parks=", ".join(md_text(n) for n in names)))
    else:
        slot.warning(s.t("park.locate_unknown", text=md_text(text)))


def _locate(plan: Plan) -> None:
    """on_change of the locate box: go to what it names (before the page's widgets draw)."""
    state = st.session_state
    text = str(state.get("park_locate") or "")
    found = locate(plan.parks, plan.plots, text)
    state["park_locate_problem"] = None
    if len(found) == 1:
        park, plot = found[0].park_code, found[0].plot_code
        keep.put("park_code", park)
        keep.put("park_plot", plot)
        select(park, [plot] if plot else [], True)
        state[_VIEW] = None  # open where the plot (or the park) is
        state["park_locate"] = ""
    elif text.strip():
        lang = frame.session().lang
        name = "name_vi" if lang == "vi" else "name_en"
        names = plan.parks.set_index("park_code")[name]
        state["park_locate_problem"] = (text.strip(), [
            f"{names.get(f.park_code, f.park_code)} ({f.park_code})" for f in found[:5]])


def open_linked(plan: Plan, codes: list[str]) -> None:
    """Open the park, plots and map view a link names (``?park=NB01&plot=NB01-B011&map=
    lat,lon,zoom``: a copied link of this page, or the officer desk's "needs action" rows),
    once per link: the page then writes its own state back into the address bar
    (:func:`write_link`), and the reader's next choice is not overridden. Unknown codes are
    ignored."""
    params = st.query_params
    park = params.get("park")
    link = (park, tuple(params.get_all("plot")), params.get(map_view.VIEW_PARAM))
    if park is None or link == st.session_state.get(_LINK):
        return
    st.session_state[_LINK] = link
    if park not in codes:
        return
    keep.put("park_code", park)
    mine = set(plan.plots.loc[plan.plots["park_code"] == park, "plot_code"].astype(str))
    chosen = [p for p in link[1] if p in mine]
    keep.put("park_plot", chosen[0] if chosen else None)
    view = map_view.parse_view(link[2] or "")
    select(park, chosen, view is None)  # the link's view, else the plots' extent
    st.session_state[_VIEW] = (park, view) if view is not None else None


def write_link(park_code: str, plots: tuple[str, ...], view: map_view.View | None,
               lang: str) -> None:
    """Keep the address bar on what the page shows: the park, the selected plots, the map's
    view (the investor page's ``map`` parameter) and the language, so a copied link opens
    on the same view and selection."""
    params: dict[str, str | list[str]] = {"park": park_code, "lang": lang}
    if plots:
        params["plot"] = list(plots)
    if view is not None:
        params[map_view.VIEW_PARAM] = map_view.view_param(view)
    now = {k: st.query_params.get_all(k) for k in st.query_params}
    if now != {k: v if isinstance(v, list) else [v] for k, v in params.items()}:
        st.query_params.from_dict(params)
    st.session_state[_LINK] = (park_code, tuple(plots), params.get(map_view.VIEW_PARAM))


main()
