"""Vacant land for investors: filters, ranked sites on a map and a table, shareable URL, exports.

The widgets start from the page URL (``?min_ha=5&to_noibai=30``) and write the search back to
it, with the language (``lang``, read by app.py) and the map view (``map``), so a copied link
reproduces what its sender saw. A search that finds nothing is explained
(:func:`gis_app.search.explain`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Mapping

import geopandas as gpd
import shapely
import streamlit as st

from gis_app.formatting import display_table
from gis_app.model.crs import to_crs
from gis_app.model.plan import Plan
from gis_app.model.schema import PLOT_LAND_USES
from gis_app.search import DESTINATIONS, QueryError, SearchQuery, to_csv, to_geojson
from gis_app.search.explain import lines as explain_lines
from gis_app.settings import LEASABLE_LAND_USES
from gis_app.viewer import cache, frame, map_view, maps
from gis_app.viewer.escape import md_text
from gis_app.viewer.indicators import label

#: Sites of a search that go on the investor fact sheet (the best ones first); the sheet
#: flows onto as many pages as they take.
FACT_SHEET_SITES = 20

#: Widget keys of the query's fields (session state), filled from the URL on first load.
_PREFIX = "vl_"
#: How long after a click chose a row the rows it replaced count as a late echo.
STALE_SECONDS = 3.0
#: URL parameter of the results map's view (``lat,lon,zoom``), shared with the park page.
_VIEW = map_view.VIEW_PARAM


def _init_from_url(s: frame.Session) -> None:
    """Put the URL's search into the widgets once per session (later the widgets lead)."""
    if st.session_state.get(_PREFIX + "init"):
        return
    st.session_state[_PREFIX + "init"] = True
    try:
        q = SearchQuery.from_params(st.query_params.to_dict())
    except QueryError as exc:
        st.warning(f"{s.t('bad_query')}: {md_text(exc)}")
        q = SearchQuery()
    _set_widgets(q)
    view = map_view.parse_view(st.query_params.get(_VIEW, ""))
    if view is not None:  # the link's map view, for the link's own search
        st.session_state[_PREFIX + "view"] = (q, view)


def _results_map(s: frame.Session, plan: Plan, sites: gpd.GeoDataFrame, query: SearchQuery,
                 table_key: str) -> None:
    """The results map, linked to the results table: the rows selected there are highlighted
    and the map zooms to them; a click on a site selects its row. Its view (centre, zoom) is
    in the page URL as ``map=lat,lon,zoom`` so a copied link opens on the same view: the map
    keeps it there itself while the address holds this search, so a pan or a zoom reruns
    nothing (:data:`gis_app.viewer.map_view.VIEW_LINK_JS`; the app hears of the view with a
    click). (Not a fragment: a fragment's rerun draws the map it was given again, which the
    component takes for a new map and re-mounts empty.)"""
    state = st.session_state
    prepared = map_view.prepare(maps.sites_map(plan, sites, frame.basemap(s), lang=s.lang),
                                link=query.to_params())
    clicked = (map_view.current(prepared, "vacant_map") or {}).get("last_object_clicked")
    by_click = False
    if clicked and clicked != state.get(_PREFIX + "click_seen"):
        state[_PREFIX + "click_seen"] = clicked
        view = map_view.clicked_view(clicked)
        if view is not None:
            state[_PREFIX + "view"] = (query, view)
        row = _clicked_site(sites, clicked)
        if row is not None:  # (set before the table is drawn, further down the page)
            state[_PREFIX + "replaced"] = (_selected_rows(state.get(table_key), len(sites)),
                                           time.monotonic(), (row,))
            state[table_key] = {"selection": {"rows": [row]}}
            by_click = True
    rows = _selected_rows(state.get(table_key), len(sites))
    replaced = state.get(_PREFIX + "replaced")
    if not by_click and replaced is not None and rows == replaced[0] != replaced[2] and \
            time.monotonic() - replaced[1] < STALE_SECONDS:
        # The rows the table held before the click, echoed by a rerun the browser asked for
        # before it showed the click's (the map pans to the popup): not the reader's choice.
        rows = replaced[2]
        state[table_key] = {"selection": {"rows": list(rows)}}
    if rows != state.get(_PREFIX + "rows_seen"):  # rows chosen anew: in the table, zoom
        state[_PREFIX + "rows_seen"] = rows
        state[_PREFIX + "fit"] = not by_click
    shapes = maps.for_display(sites.iloc[list(rows)], plan.crs, maps.SIMPLIFY_M["plots"])
    map_view.show(prepared, key="vacant_map", highlighted=map_view.highlight(
        shapes, bool(state.get(_PREFIX + "fit", True))))


def _selected_rows(state: object, n: int) -> tuple[int, ...]:
    """The row positions a results table's widget state selects."""
    chosen = state.get("selection") if isinstance(state, Mapping) else None
    rows = chosen.get("rows") if isinstance(chosen, Mapping) else None
    return tuple(i for i in rows or () if isinstance(i, int) and 0 <= i < n)


def _clicked_site(sites: gpd.GeoDataFrame, clicked: dict) -> int | None:
    """The position of the site under a map click (WGS 84 lat/lng), if any."""
    if clicked.get("lat") is None:
        return None
    point = gpd.GeoSeries([shapely.Point(clicked["lng"], clicked["lat"])], crs="EPSG:4326")
    point = to_crs(gpd.GeoDataFrame(geometry=point), str(sites.crs), what="map click")
    hits = sites.sindex.query(point.geometry.iloc[0], predicate="intersects")
    return int(min(hits)) if len(hits) else None


def _set_widgets(q: SearchQuery) -> None:
    """Put a query into the filter widgets (before they are drawn: at start or in a callback)."""
    state = st.session_state
    state[_PREFIX + "parks"] = list(q.park_codes)
    state[_PREFIX + "min_ha"] = float(q.min_area_ha)
    state[_PREFIX + "max_ha"] = float(q.max_area_ha or 0.0)
    state[_PREFIX + "uses"] = list(q.land_uses)
    state[_PREFIX + "factory"] = q.ready_built_factory
    state[_PREFIX + "ww"] = float(q.min_headroom_m3_day or 0.0)
    state[_PREFIX + "road"] = float(q.max_road_km or 0.0)
    state[_PREFIX + "rail"] = float(q.max_rail_km or 0.0)
    for d in DESTINATIONS:
        state[_PREFIX + "to_" + d.key] = float(q.destination_limits.get(d.key, 0.0))
    state[_PREFIX + "groups"] = q.allow_groups
    state[_PREFIX + "province"] = q.province


def _query_from_widgets(s: frame.Session, park_names: dict[str, str],
                        provinces: list[str]) -> SearchQuery:
    """Draw the filter widgets and return the query they describe (0 = no limit)."""
    state = st.session_state
    chosen = state.get(_PREFIX + "province")
    if chosen is not None and chosen not in provinces:
        provinces = [*provinces, chosen]  # a shared link may name another file's province
    with st.expander(s.t("search_intro"), expanded=True):
        c1, c2, c3 = st.columns(3)
        province = c1.selectbox(s.t("province_filter"), [None, *provinces],
                                key=_PREFIX + "province", placeholder=s.t("all"),
                                format_func=lambda p: s.t("all") if p is None else p)
        parks = c1.multiselect(s.t("parks"), list(park_names), key=_PREFIX + "parks",
                               format_func=park_names.__getitem__, placeholder=s.t("all"),
                               select_all=False)  # its "Select all" is English only
        uses = c1.multiselect(s.t("land_uses"), list(LEASABLE_LAND_USES), key=_PREFIX + "uses",
                              format_func=lambda u: label(u, s.lang), placeholder=s.t("all"),
                              select_all=False)
        factory = c1.checkbox(s.t("ready_built"), key=_PREFIX + "factory")
        min_ha = c2.number_input(s.t("min_area"), min_value=0.0, step=0.5, key=_PREFIX + "min_ha")
        max_ha = c2.number_input(s.t("max_area"), min_value=0.0, step=0.5, key=_PREFIX + "max_ha")
        ww = c2.number_input(s.t("min_headroom"), min_value=0.0, step=100.0, key=_PREFIX + "ww")
        groups = c2.checkbox(s.t("allow_groups"), key=_PREFIX + "groups")
        road = c3.number_input(s.t("max_road"), min_value=0.0, step=1.0, key=_PREFIX + "road")
        rail = c3.number_input(s.t("max_rail"), min_value=0.0, step=1.0, key=_PREFIX + "rail")
        to = {}
        for d in DESTINATIONS:
            to[d.key] = c3.number_input(
                s.t("max_dest", name=d.name_vi if s.lang == "vi" else d.name_en),
                min_value=0.0, step=5.0, key=_PREFIX + "to_" + d.key,
            )
        st.caption(s.t("distances_note"))
    return SearchQuery(
        province=province,
        park_codes=tuple(parks),
        min_area_ha=float(min_ha),
        max_area_ha=float(max_ha) if max_ha > 0 else None,
        land_uses=tuple(u for u in uses if u in PLOT_LAND_USES),
        ready_built_factory=bool(factory),
        min_headroom_m3_day=float(ww) if ww > 0 else None,
        max_road_km=float(road) if road > 0 else None,
        max_rail_km=float(rail) if rail > 0 else None,
        max_km_to=tuple((k, float(v)) for k, v in to.items() if v > 0),
        allow_groups=bool(groups),
    )


def _explain(s: frame.Session, query: SearchQuery) -> None:
    """Why the search found nothing: each condition's effect, the largest contiguous area
    left, and the nearest matches, each with a button that runs it."""
    found = cache.explain_search(str(s.path), query, s.key)
    sentences = explain_lines(found, s.lang)
    n = len(found.conditions)
    st.subheader(s.t("why_none"))  # (the summary, sentences[0], is the message above)
    st.markdown(f"**{s.t('conditions_effect')}**")
    st.markdown("\n".join(f"- {md_text(text)}" for text in sentences[1:n + 1]))
    st.markdown(md_text(sentences[n + 1]))
    st.markdown(f"**{s.t('nearest_matches')}**")
    nearest = [(c.key, c.nearest_query) for c in found.conditions if c.nearest_query is not None]
    if not nearest:
        st.caption(s.t("no_nearest"))
    for (key, nearest_query), text in zip(nearest, sentences[n + 2:], strict=True):
        st.markdown(f"- {md_text(text)}")
        st.button(s.t("use_search"), key=f"{_PREFIX}use_{key}", on_click=_set_widgets,
                  args=(dataclasses.replace(nearest_query, limit=query.limit),))


def main() -> None:
    s = frame.session()
    st.title(s.t("page_vacant"))
    plan = frame.load(s)
    if plan.parks.empty:  # a province file fresh from `kcn-gis init`: nothing to search yet
        st.info(s.t("no_parks_yet"))
        return
    name = "name_vi" if s.lang == "vi" else "name_en"
    park_names = dict(zip(plan.parks["park_code"], plan.parks[name], strict=True))
    _init_from_url(s)
    provinces = sorted(set(plan.parks["province"]) | set(plan.parks["legacy_province"]))
    query = _query_from_widgets(s, park_names, provinces)
    # Keep the URL in step with the widgets so the address bar always holds this search, in
    # the page's language: a shared link opens as its sender saw it (app.py reads ``lang``).
    params = {**query.to_params(), "lang": s.lang}
    view = st.session_state.get(_PREFIX + "view")
    if view is not None and view[0] == query:  # a new search opens the map on its results
        params[_VIEW] = map_view.view_param(view[1])
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    sites = cache.search(str(s.path), query, s.key)
    st.subheader(s.nt("results", len(sites)))
    if sites.empty:
        st.info(s.t("no_results"))
        if query != SearchQuery(limit=query.limit):
            _explain(s, query)
        return
    table_key = _PREFIX + "results_" + hashlib.sha256(
        repr(sorted(query.to_params().items())).encode()).hexdigest()[:16]
    _results_map(s, plan, sites, query, table_key)
    why = "why_vi" if s.lang == "vi" else "why_en"
    name_col = "park_name_vi" if s.lang == "vi" else "park_name_en"
    # The sentences wrap on the page, one per site, rather than hide in a wide table cell.
    st.markdown(f"**{s.t('why_each')}**")
    st.markdown("\n".join(f"{i}. {md_text(text)}" for i, text in enumerate(sites[why], 1)))
    dest_names = {f"dest_{d.key}_km": f"{d.name_vi if s.lang == 'vi' else d.name_en} (km)"
                  for d in DESTINATIONS}
    table = sites.rename(columns={why: s.t("why"), name_col: "park_name",
                                  "score": "search_score", **dest_names})
    columns = ["plot_codes", "park_name", "area_ha", "land_use", "search_score",
               s.t("why"), "road_km", "rail_km", *dest_names.values(),
               "headroom_m3_day", *[c for c in sites.columns if c.startswith("pts_")]]
    # Rows chosen here are highlighted on the map above (and a click there chooses a row).
    st.caption(s.t("vacant.select_hint"))
    st.dataframe(display_table(table, s.lang, columns, label), hide_index=True, width="stretch",
                 on_select="rerun", selection_mode="multi-row", key=table_key)
    c1, c2, c3 = st.columns(3)
    c1.download_button(s.t("download_csv"), to_csv(sites), file_name="kcn_shortlist.csv",
                       mime="text/csv", key="dl_csv")
    c2.download_button(s.t("download_geojson"), to_geojson(sites).encode("utf-8"),
                       file_name="kcn_shortlist.geojson", mime="application/geo+json",
                       key="dl_geojson")
    # A sheet takes a second to draw: only on request, for the best sites of this search.
    shortlist = sites.head(FACT_SHEET_SITES)
    ids = tuple(shortlist["site_id"].astype(str))
    if c3.button(s.t("make_fact_sheet"), key="vl_fact_sheet") or \
            st.session_state.get("vl_fact_sheet_ids") == (s.key, ids, s.lang):
        st.session_state["vl_fact_sheet_ids"] = (s.key, ids, s.lang)
        pdf = cache.fact_sheet_pdf(str(s.path), s.key, shortlist, ids, s.lang)
        c3.download_button(s.t("download_fact_sheet"), pdf, file_name="kcn_shortlist.pdf",
                           mime="application/pdf", key="dl_fact_sheet")


main()
