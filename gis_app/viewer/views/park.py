"""One park: plots by status or land use, the clicked plot's card, KPIs, efficiency,
occupancy over time and reclamation candidates. Tenants appear in officer mode only."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st

from gis_app.formatting import date, number, percent
from gis_app.model.crs import to_crs
from gis_app.model.plan import Plan
from gis_app.viewer import cache, frame, history_panel, keep, map_view
from gis_app.viewer.escape import md_text
from gis_app.viewer.indicators import builtup_raster_of, label
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


@st.fragment
def map_and_card(s: frame.Session, plan: Plan, plan_key: str, park_code: str, colour_by: str,
                 visible: pd.DataFrame | None) -> None:
    """The park's map and the card of the plot clicked or chosen: a fragment, so a click
    reruns only this (the map itself is rendered once per park and shared, see
    :func:`gis_app.viewer.cache.park_map`); the rest of the page is not rebuilt."""
    projects = None
    if visible is not None:
        projects = plan.tenant_plots.merge(
            visible[["project_id", "investor", "project_status", "lease_start", "lease_end"]],
            on="project_id")
    plots = plan.plots[plan.plots["park_code"] == park_code]
    if plots.empty:
        st.info(s.t("no_plots"))
    prepared = cache.park_map(str(s.path), s.key, plan, plan_key, park_code, colour_by, s.lang,
                              visible is not None)
    left, right = st.columns([3, 1])
    with left:
        result = map_view.show(prepared, key=f"park_map_{park_code}")
    clicked = clicked_plot(plots, (result or {}).get("last_object_clicked"))
    if clicked and state_changed("park_last_click", clicked):
        keep.put("park_plot", clicked)
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


def open_linked(plan: object, codes: list[str]) -> None:
    """Select the park (and plot) a link names (``?park=NB01&plot=NB01-B011``: the officer
    desk's "needs action" rows), once: the parameters are then dropped so that the officer's
    next choice is not overridden. Unknown codes are ignored."""
    park, plot = st.query_params.get("park"), st.query_params.get("plot")
    if park is None:
        return
    if park in codes:
        keep.put("park_code", park)
        plots = plan.plots  # type: ignore[attr-defined]
        mine = plots.loc[plots["park_code"] == park, "plot_code"].astype(str)
        keep.put("park_plot", plot if plot in set(mine) else None)
    for name in ("park", "plot"):
        st.query_params.pop(name, None)


def state_changed(key: str, value: object) -> bool:
    """True once per new value (a click is handled once, later reruns keep the user's pick)."""
    if st.session_state.get(key) == value:
        return False
    st.session_state[key] = value
    return True


main()
