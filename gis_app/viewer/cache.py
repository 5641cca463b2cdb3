"""Cached wrappers around library functions, named after them (the only caching in the app).

Plans and context layers are read once per data version (``key`` = a file's path and
modification time, or a database's layer versions, so edited data is re-read) and kept as
shared resources: callers treat them as
read-only, like every frame in KCN-GIS. Derived tables are cached as data. Arguments that
Streamlit should not hash (plans, frames) are ``_``-prefixed and identified by ``key``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from .. import export
from .. import search as search_lib
from ..export.investor import investor_pdf
from ..model.plan import Plan
from ..rules.validate import ValidationReport
from ..storage import source as layers
from . import indicators, map_view, maps, national

#: Context layers drawn as the local basemap or used by the search.
CONTEXT_NAMES = ("province_boundary", "communes", "roads_rail")


def file_key(path: str | Path) -> str:
    """Identity of a data version for cache keys.

    A file: its path and modification time. A PostGIS URL: the URL (without password) and
    the version of every layer, which each write to a layer increments (one small query).
    """
    if layers.is_database(path):
        from ..storage.postgis.store import layer_versions

        versions = layer_versions(str(path))
        return f"{layers.describe(path)}:" + ",".join(
            f"{name}={version}" for name, version in sorted(versions.items()))
    p = Path(path)
    try:
        return f"{p.resolve()}:{p.stat().st_mtime_ns}"
    except OSError:
        return f"{p}:missing"


@st.cache_resource(show_spinner=False, max_entries=8)
def read_plan(path: str, key: str) -> Plan:
    return layers.read_plan(path)


@st.cache_resource(show_spinner=False, max_entries=8)
def read_context(path: str, key: str) -> dict[str, gpd.GeoDataFrame]:
    """The basemap and search context layers present in the file (absent ones are skipped)."""
    present = layers.list_layers(path)
    return {name: layers.read_context(path, name) for name in CONTEXT_NAMES if name in present}


@st.cache_resource(show_spinner=False, max_entries=8)
def prepare_basemap(path: str, key: str) -> dict[str, gpd.GeoDataFrame]:
    """The file's basemap layers ready for display (shared, read-only)."""
    plan = read_plan(path, key)
    return maps.prepare_basemap(read_context(path, key), plan.crs)


def _officer_tenants(plan: Plan) -> pd.DataFrame:
    """``plot_code -> investor`` of every leased plot (officer maps only)."""
    return plan.tenant_plots.merge(plan.tenants[["project_id", "investor"]], on="project_id")


@st.cache_resource(show_spinner=False, max_entries=32)
def park_map(path: str, key: str, _plan: Plan, plan_key: str, park_code: str, colour_by: str,
             lang: str, officer: bool) -> map_view.PreparedMap:
    """:func:`maps.park_map` rendered once per plan version, park, colouring, language and
    audience (``officer``: the popups name tenants), shared by every session; a rerun or a
    click then costs nothing on the server and sends nothing new to the browser. The map
    keeps the page link's view itself (``link``: while the link names this park), so a pan
    or a zoom reruns nothing."""
    return map_view.prepare(maps.park_map(
        _plan, park_code, prepare_basemap(path, key), colour_by=colour_by, lang=lang,
        tenants=_officer_tenants(_plan) if officer else None), link={"park": park_code})


@st.cache_resource(show_spinner=False, max_entries=64)
def park_plots(path: str, key: str, _plan: Plan, plan_key: str,
               park_code: str) -> gpd.GeoDataFrame:
    """One park's plots of a plan version (shared, read-only) with their spatial index built
    once: every run of the park's map (a click) locates the plot under the click in it,
    instead of picking the park's plots out of the province's and indexing them anew."""
    plots = _plan.plots[_plan.plots["park_code"] == park_code]
    plots.sindex  # noqa: B018 - built now, kept with the shared frame
    return plots


@st.cache_data(show_spinner=False, max_entries=64)
def display_table(_frame: pd.DataFrame, frame_key: tuple[str, ...], lang: str) -> pd.DataFrame:
    """:func:`gis_app.formatting.display_table` of ``_frame`` (every column), identified by
    ``frame_key`` (its plan version and what it shows): a park's plots table is written once
    per language, not on every click (nationally, ten thousand cells through Babel)."""
    from ..formatting import display_table as write
    from .indicators import label

    return write(_frame, lang, list(_frame.columns), label)


@st.cache_resource(show_spinner=False, max_entries=16)
def province_map(path: str, key: str, _plan: Plan, plan_key: str, _indicators: pd.DataFrame,
                 parks: tuple[str, ...], colour_by: str, lang: str,
                 plots: bool) -> map_view.PreparedMap:
    """:func:`maps.province_map` of the parks ``parks`` (rows of ``_indicators``) rendered
    once per plan version, filter, colouring and language, shared by every session."""
    return map_view.prepare(maps.province_map(
        _plan, _indicators, prepare_basemap(path, key), colour_by=colour_by, lang=lang,
        plots=plots))


@st.cache_resource(show_spinner=False, max_entries=64)
def national_part(path: str, key: str) -> national.ProvincePart:
    """:func:`national.read_part` of a file version: a point per park and the boundary, read
    once; the file's plan is not kept (34 provinces' plans would crowd :func:`read_plan`)."""
    return national.read_part(path)


@st.cache_resource(show_spinner=False, max_entries=8)
def national_map(_parts: tuple[national.ProvincePart, ...], keys: tuple[str, ...],
                 colour_by: str, lang: str) -> map_view.PreparedMap:
    """:func:`national.national_map` of the parts (``keys``: their file versions) rendered
    once per colouring and language, shared by every session."""
    return map_view.prepare(national.national_map(_parts, colour_by=colour_by, lang=lang))


@st.cache_data(show_spinner=False, max_entries=8)
def national_table(_parts: tuple[national.ProvincePart, ...], keys: tuple[str, ...],
                   lang: str) -> pd.DataFrame:
    """:func:`national.national_table` of the parts (``keys``: their file versions), computed
    once per language (nationally it sums 150,000 projects), not on every rerun."""
    return national.national_table(_parts, lang)


@st.cache_data(show_spinner=False, max_entries=8)
def validate_file(path: str, key: str) -> ValidationReport:
    return layers.validate_source(path)


@st.cache_data(show_spinner=False, max_entries=8)
def list_layers(path: str, key: str) -> dict[str, str | None]:
    return layers.list_layers(path)


@st.cache_data(show_spinner=False, max_entries=8)
def read_table(path: str, layer: str, key: str) -> pd.DataFrame:
    return pd.DataFrame(layers.read_layer(path, layer))


@st.cache_data(show_spinner=False, max_entries=8)
def read_dataset_info(path: str, key: str) -> dict[str, str]:
    return layers.read_dataset_info(path)


@st.cache_data(show_spinner=False, max_entries=16)
def park_indicators(_plan: Plan, key: str) -> pd.DataFrame:
    return indicators.park_indicators(_plan)


@st.cache_data(show_spinner=False, max_entries=16)
def province_indicators(_plan: Plan, by: str, key: str) -> pd.DataFrame:
    """:func:`gis_app.analytics.province_indicators` of a plan version, once per grouping
    (``by``: ``province``, ``legacy_province`` or ``all``), shared by every page and session."""
    return indicators.province_indicators(_plan, by=by)


def shown_totals(_plan: Plan, province: str | None, legacy: str | None, key: str) -> pd.Series:
    """The row of the cached :func:`province_indicators` the overview's cards show for its
    filters (picked, not computed: a new filter does not run the analytics again)."""
    by, row = indicators.totals_row(province, legacy)
    return province_indicators(_plan, by, key).loc[row]


@st.cache_data(show_spinner=False, max_entries=16)
def occupancy_over_time(_plan: Plan, key: str) -> pd.DataFrame:
    """:func:`gis_app.analytics.occupancy_over_time` of every park, once per plan version."""
    return indicators.occupancy_over_time(_plan)


def park_occupancy_series(_plan: Plan, park_code: str, key: str) -> pd.Series:
    """One park's rows of the cached :func:`occupancy_over_time` (a new park computes
    nothing)."""
    return indicators.park_occupancy_series(occupancy_over_time(_plan, key), park_code)


@st.cache_data(show_spinner=False, max_entries=16)
def reclamation_candidates(_plan: Plan, builtup_raster: Path | None, key: str) -> pd.DataFrame:
    """:func:`gis_app.analytics.reclamation_candidates` of the province, once per plan
    version (and built-up raster)."""
    return indicators.reclamation_candidates(_plan, builtup_raster)


def park_reclamation(_plan: Plan, park_code: str, builtup_raster: Path | None,
                     key: str) -> pd.DataFrame:
    """One park's rows of the cached :func:`reclamation_candidates`."""
    return indicators.park_reclamation(reclamation_candidates(_plan, builtup_raster, key),
                                       park_code)


@st.cache_resource(show_spinner=False, max_entries=8)
def search_index(path: str, key: str) -> search_lib.SearchIndex:
    """:func:`gis_app.search.build_index` of the file's plan and roads, once per data version
    (nationally a second; each query then takes tens of milliseconds)."""
    return search_lib.build_index(read_plan(path, key),
                                  read_context(path, key).get("roads_rail"))


@st.cache_data(show_spinner=False, max_entries=64)
def search(path: str, query: search_lib.SearchQuery, key: str) -> gpd.GeoDataFrame:
    """:func:`gis_app.search.search` of the file's plan, on its shared search index."""
    index = search_index(path, key)
    # The index's own plan and roads: the plan cache may have re-read the file meanwhile.
    return search_lib.search(index.plan, query, index.roads_rail, index=index)


@st.cache_data(show_spinner=False, max_entries=16)
def explain_search(path: str, query: search_lib.SearchQuery, key: str) -> search_lib.Explanation:
    """:func:`gis_app.search.explain` of a query on the file's shared search index."""
    index = search_index(path, key)
    return search_lib.explain(index.plan, query, index.roads_rail, index=index)


@st.cache_resource(show_spinner=False, max_entries=4)
def sheet_data(path: str, _plan: Plan, plan_key: str, as_of: date | None = None
               ) -> export.SheetData:
    """:func:`gis_app.export.load_sheet_data` around the plan the viewer holds already
    (``_plan``, identified by ``plan_key``: the file version and plan date), so the file's
    plan is not read and validated a second time; once per plan version."""
    return export.load_sheet_data(path, as_of=as_of, plan=_plan)


@st.cache_data(show_spinner=False, max_entries=16)
def fact_sheet_pdf(path: str, key: str, _sites: pd.DataFrame, site_ids: tuple[str, ...],
                   lang: str) -> bytes:
    """The investor fact sheet of a shortlist (``site_ids`` names the shortlist for the cache):
    one card per site, on as many A4 pages as it takes."""
    return investor_pdf(sheet_data(path, read_plan(path, key), key), _sites, lang=lang)
