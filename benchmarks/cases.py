"""The benchmark cases: what is timed, on what input, against which floor and target.

A case has a ``setup(path)`` that is not timed (reading the plan a map is drawn from, say) and a
``run(state)`` that is, returning extra figures to report (HTML size, rows found). Cases whose
module has not landed yet (``requires``) are listed as not available instead of failing.
Targets are the issue's, for the ``national`` scale (250,000 plots).
"""

from __future__ import annotations

import importlib.util
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


@dataclass(frozen=True)
class Case:
    """One timed operation."""

    name: str
    setup: Callable[[Path], object]
    run: Callable[[object], dict | None]
    requires: tuple[str, ...] = ()
    #: Name of the case whose median is this case's floor (ratio = median / floor median).
    floor: str | None = None
    #: Extra floors reported beside the main one (e.g. the non-Arrow read).
    other_floors: tuple[str, ...] = ()
    target: str = ""
    target_s: float | None = None
    target_ratio: float | None = None
    target_peak_mb: float | None = None
    target_html_mb: float | None = None
    #: Floors and informational rows: measured, never judged.
    is_floor: bool = False
    #: Needs the run's throwaway PostgreSQL server (benchmarks/pg.py).
    needs_server: bool = False
    #: Needs Playwright and Chromium (benchmarks/viewer_browser.py).
    needs_browser: bool = False
    #: ``run`` measures its own figure and returns it as ``seconds`` (a browser waiting for
    #: the page, not the call's wall time); its other figures are reported as medians, and
    #: the worst run for the keys of ``target_extra_max``.
    timed_in_run: bool = False
    #: Upper bounds on figures ``run`` returns (``("full_runs", 0)``: a click reruns no page).
    target_extra_max: tuple[tuple[str, float], ...] = ()
    #: Releases what setup started (a server, a browser).
    teardown: Callable[[object], None] | None = None

    def missing(self) -> list[str]:
        """Required modules not importable here (their branch has not landed)."""
        return [m for m in self.requires if not _importable(m)]


# -- shared setup -------------------------------------------------------------------------------
def _plan(path: Path):  # noqa: ANN202
    from gis_app.layers.gpkg import read_plan

    return read_plan(path)


def _context(path: Path) -> dict:
    from gis_app.layers.gpkg import list_layers, read_context

    present = list_layers(path)
    return {n: read_context(path, n) for n in ("communes", "province_boundary", "roads_rail")
            if n in present}


def _biggest_park(plan) -> str:  # noqa: ANN001
    """The park with the most plots (the 2,000-plot park at national scale)."""
    return str(plan.plots["park_code"].value_counts().index[0])


# -- load ----------------------------------------------------------------------------------------
def _read_raw(use_arrow: bool) -> Callable[[object], dict]:
    def run(path: object) -> dict:
        import pyogrio

        from gis_app.layers.schema import SCHEMAS

        present = {n for n, _ in pyogrio.list_layers(path)}
        rows = 0
        for name in SCHEMAS:
            if name in present:
                rows += len(pyogrio.read_dataframe(path, layer=name, use_arrow=use_arrow))
        return {"rows": rows}
    return run


def _load(path: object) -> dict:
    plan = _plan(path)  # type: ignore[arg-type]
    return {"plots": len(plan.plots)}


def _raw_layers(path: Path):  # noqa: ANN202
    from gis_app.layers.gpkg import read_layers_raw

    return read_layers_raw(path), str(path)


def _raw_layers_many_corners(path: Path):  # noqa: ANN202
    """The layers with a vertex added on each plot edge: the same plots, no longer
    quadrilaterals (surveyed outlines often carry extra vertices), so the validation's
    quadrilateral fast paths do not apply and GEOS decides every plot."""
    import geopandas as gpd
    import shapely

    (layers, crs), name = _raw_layers(path)
    plots = layers["plots"]
    geoms = plots.geometry.values
    step = float(shapely.length(geoms).max()) / 8 + 1e-6  # longest edge at most halved
    dense = shapely.segmentize(np.asarray(geoms, dtype=object), max_segment_length=step)
    layers = {**layers, "plots": plots.set_geometry(
        gpd.GeoSeries(dense, crs=plots.crs, index=plots.index))}
    return (layers, crs), name


def _validate_only(state: object) -> dict:
    from gis_app.layers.validate import check_plan

    (layers, crs), name = state  # type: ignore[misc]
    return {"problems": len(check_plan(layers, name, crs))}


# -- analytics -----------------------------------------------------------------------------------
def _park_indicators(plan: object) -> dict:
    from gis_app.analytics import park_indicators

    return {"rows": len(park_indicators(plan))}  # type: ignore[arg-type]


def _province_indicators(plan: object) -> dict:
    from gis_app.analytics import province_indicators

    return {"rows": len(province_indicators(plan))}  # type: ignore[arg-type]


def _park_areas(plan: object) -> dict:
    from gis_app.analytics import park_areas

    return {"rows": len(park_areas(plan))}  # type: ignore[arg-type]


def _pg_setup(path: Path):  # noqa: ANN202
    """Load the plan into a fresh database of the run's throwaway cluster (see pg.py)."""
    from pg import load_plan  # benchmarks/pg.py

    from gis_app.layers.gpkg import province_of

    province = province_of(path)
    return load_plan(_plan(path), province.key if province else "bac_ninh")


def _pg_park_areas(state: object) -> dict:
    import psycopg

    from gis_app.layers.pg_indicators import park_areas_sql

    conninfo, province = state  # type: ignore[misc]
    with psycopg.connect(conninfo, autocommit=True) as conn:
        return {"rows": len(park_areas_sql(conn, province))}


# -- search --------------------------------------------------------------------------------------
def _search_setup(grouped: bool) -> Callable[[Path], object]:
    def setup(path: Path) -> object:
        from gis_app.search import SearchQuery, build_index

        plan = _plan(path)
        roads = _context(path).get("roads_rail")
        vacant = plan.plots.loc[plan.plots["status"] == "vacant", "area_ha"]
        if grouped:
            # Larger than any vacant plot: every park groups adjacent plots (the worst case).
            query = SearchQuery(min_area_ha=round(float(vacant.max()) * 1.3, 2), limit=50)
        else:
            query = SearchQuery(min_area_ha=round(float(vacant.median()), 2), allow_groups=False,
                                limit=50)
        # Built once per loaded plan, as the viewer caches it: timed as "search index build".
        return plan, query, roads, build_index(plan, roads)
    return setup


def _search(state: object) -> dict:
    from gis_app.search import search

    plan, query, roads, index = state  # type: ignore[misc]
    found = search(plan, query, roads, index=index)
    return {"sites": len(found), "min_ha": query.min_area_ha}


def _explain_setup(path: Path) -> object:
    from gis_app.search import SearchQuery, build_index

    plan = _plan(path)
    roads = _context(path).get("roads_rail")
    vacant = plan.plots.loc[plan.plots["status"] == "vacant", "area_ha"]
    # More than all vacant land together: nothing fits, every park grows groups (the worst
    # case), and the two other conditions (headroom, a distance) are each relaxed.
    query = SearchQuery(min_area_ha=round(float(vacant.sum()) + 1.0, 2),
                        min_headroom_m3_day=1000.0, max_km_to=(("noibai", 40.0),))
    return plan, query, roads, build_index(plan, roads)


def _explain(state: object) -> dict:
    from gis_app.search import explain

    plan, query, roads, index = state  # type: ignore[misc]
    found = explain(plan, query, roads, index=index)
    return {"conditions": len(found.conditions), "sites": found.sites}


def _search_index_setup(path: Path):  # noqa: ANN202
    return _plan(path), _context(path).get("roads_rail")


def _search_index(state: object) -> dict:
    from gis_app.search import build_index

    plan, roads = state  # type: ignore[misc]
    return {"vacant_plots": len(build_index(plan, roads))}


# -- scenarios -----------------------------------------------------------------------------------
def scenario_edits(plan, n: int = 100) -> tuple:  # noqa: ANN001
    """``n`` edits over ten parks: per park five leases, three re-zonings, two reclamations."""
    from gis_app.scenarios import LeasePlots, ReclaimProjects, RezonePlots

    plots, tenants = plan.plots, plan.tenants
    vacant = plots.loc[(plots["status"] == "vacant") & (plots["land_use"] == "industrial")]
    per_park = vacant.groupby("park_code")["plot_code"].apply(list)
    slow = tenants.loc[tenants["project_status"].isin(["behind_schedule", "revoked"])]
    slow_per_park = slow.groupby("park_code")["project_id"].apply(list)
    parks = [p for p in per_park.index
             if len(per_park[p]) >= 8 and len(slow_per_park.get(p, [])) >= 2]
    edits: list = []
    for park in parks:
        free, late = per_park[park], slow_per_park[park]
        k = len(edits)
        edits += [LeasePlots(id=f"e{k + i + 1}", plot_codes=(free[i],),
                             project_id=f"BENCH-{park}-{i}", investor="Bench Investor",
                             sector="electronics", country="VN") for i in range(5)]
        edits += [RezonePlots(id=f"e{k + 6 + i}", plot_codes=(free[5 + i],),
                              land_use="warehouse_logistics") for i in range(3)]
        edits += [ReclaimProjects(id=f"e{k + 9 + i}", project_ids=(late[i],)) for i in range(2)]
        if len(edits) >= n:
            break
    return tuple(edits[:n])


def _scenario_setup(path: Path):  # noqa: ANN202
    from gis_app.scenarios import Scenario

    plan = _plan(path)
    edits = scenario_edits(plan)
    return plan, Scenario.new("benchmark", scenario_id="bench").replace(edits=edits)


def _scenario(state: object) -> dict:
    from gis_app.scenarios import evaluate

    plan, scenario = state  # type: ignore[misc]
    out = evaluate(plan, scenario)
    return {"edits": len(scenario.edits), "plots": len(out.plots)}


# -- folium maps ---------------------------------------------------------------------------------
def _map_setup(path: Path):  # noqa: ANN202
    from gis_app.analytics import park_indicators
    from gis_app.viewer.maps import prepare_basemap

    plan = _plan(path)
    basemap = prepare_basemap(_context(path), plan.crs)
    return plan, basemap, park_indicators(plan), _biggest_park(plan)


def _park_map(state: object) -> dict:
    from gis_app.viewer.maps import park_map

    plan, basemap, _, park = state  # type: ignore[misc]
    html = park_map(plan, park, basemap).get_root().render()
    plots = int((plan.plots["park_code"] == park).sum())
    return {"html_mb": len(html.encode()) / 1e6, "plots": plots}


def _province_map(state: object) -> dict:
    from gis_app.viewer.maps import province_map

    plan, basemap, indicators, _ = state  # type: ignore[misc]
    html = province_map(plan, indicators, basemap).get_root().render()
    return {"html_mb": len(html.encode()) / 1e6, "parks": len(indicators)}


# -- map sheets ----------------------------------------------------------------------------------
def _sheet_setup(path: Path):  # noqa: ANN202
    from gis_app.export import load_sheet_data

    data = load_sheet_data(path)
    return data, _biggest_park(data.plan)


def _sheet(state: object) -> dict:
    from gis_app.export import SheetLayout, render_park_sheet, save_figure

    data, park = state  # type: ignore[misc]
    buffer = io.BytesIO()
    save_figure(render_park_sheet(data, park, SheetLayout()).figure, buffer)
    return {"pdf_mb": buffer.tell() / 1e6}


def _atlas(state: object) -> dict:
    from gis_app.export.atlas import park_pages, write_atlas

    data, _ = state  # type: ignore[misc]
    codes = sorted(data.plan.parks["park_code"].astype(str))[:30]
    buffer = io.BytesIO()
    pages = write_atlas(data, buffer, pages=park_pages(data, codes))
    return {"pages": pages, "pdf_mb": buffer.tell() / 1e6, "cores": os.cpu_count()}


# -- the viewer in a browser -----------------------------------------------------------------------
def _browser(name: str):  # noqa: ANN202
    """A function of benchmarks/viewer_browser.py, imported when the case runs."""
    def call(*args: object) -> object:
        import viewer_browser

        return getattr(viewer_browser, name)(*args)
    return call


def _visible_setup(url_path: str) -> Callable[[Path], object]:
    return lambda path: _browser("visible_setup")(url_path)(path)


_BROWSER = {"requires": ("gis_app.viewer.map_view",), "needs_browser": True,
            "timed_in_run": True, "teardown": _browser("teardown")}

CASES: tuple[Case, ...] = (
    Case("raw read (Arrow)", lambda p: p, _read_raw(True), is_floor=True,
         target="floor of load"),
    Case("raw read (no Arrow)", lambda p: p, _read_raw(False), is_floor=True,
         target="second floor of load"),
    Case("load + validate", lambda p: p, _load, floor="raw read (Arrow)",
         other_floors=("raw read (no Arrow)",), target="≤ 2× raw read, ≤ 2 GB",
         target_ratio=2.0, target_peak_mb=2048.0),
    Case("validate only", _raw_layers, _validate_only, is_floor=True,
         target="part of load + validate"),
    Case("validate only, plots of 6-8 corners", _raw_layers_many_corners, _validate_only,
         is_floor=True, target="informational: without the quadrilateral fast paths"),
    Case("park areas, SQL (PostGIS)", _pg_setup, _pg_park_areas,
         requires=("gis_app.layers.pg_indicators", "psycopg"), is_floor=True, needs_server=True,
         target="floor of indicators"),
    Case("park areas", _plan, _park_areas, floor="park areas, SQL (PostGIS)",
         target="part of indicators"),
    Case("all indicators, all parks", _plan, _park_indicators,
         floor="park areas, SQL (PostGIS)", target="≤ 0.5 s", target_s=0.5),
    Case("province indicators", _plan, _province_indicators, target="≤ 0.5 s", target_s=0.5),
    Case("search index build", _search_index_setup, _search_index, requires=("gis_app.search",),
         is_floor=True, target="once per loaded plan (part of the search)"),
    Case("search, plain filters", _search_setup(False), _search, requires=("gis_app.search",),
         target="≤ 0.1 s", target_s=0.1),
    Case("search, adjacent grouping", _search_setup(True), _search,
         requires=("gis_app.search",), target="≤ 0.5 s", target_s=0.5),
    Case("search explanation, no result", _explain_setup, _explain,
         requires=("gis_app.search.explain",), target="≤ 1 s", target_s=1.0),
    Case("scenario, 100 edits", _scenario_setup, _scenario, requires=("gis_app.scenarios",),
         target="≤ 1 s", target_s=1.0),
    Case("map, one park", _map_setup, _park_map, requires=("gis_app.viewer.maps",),
         target="≤ 0.5 s, ≤ 2 MB", target_s=0.5, target_html_mb=2.0),
    Case("map, province overview", _map_setup, _province_map,
         requires=("gis_app.viewer.maps",), target="≤ 1 s", target_s=1.0),
    Case("map sheet, one park", _sheet_setup, _sheet, requires=("gis_app.export",),
         target="≤ 3 s", target_s=3.0),
    Case("atlas, 30 parks", _sheet_setup, _atlas, requires=("gis_app.export",),
         target="≤ 60 s", target_s=60.0),
    Case("viewer: overview map visible", _visible_setup("/"), _browser("visible"),
         target="≤ 1 s warm, ≤ 2 MB first visit", target_s=1.0,
         target_extra_max=(("first_visit_mb", 2.0),), **_BROWSER),
    Case("viewer: park map visible", _visible_setup("/park"), _browser("visible"),
         target="≤ 1 s warm, ≤ 2 MB first visit", target_s=1.0,
         target_extra_max=(("first_visit_mb", 2.0),), **_BROWSER),
    Case("viewer: plot click → card", _browser("click_setup"), _browser("click"),
         target="≤ 0.3 s, no full rerun", target_s=0.3, target_extra_max=(("full_runs", 0),),
         **_BROWSER),
    Case("viewer: pan + zoom", _browser("pan_setup"), _browser("pan_zoom"),
         target="no script run", target_extra_max=(("reruns", 0),), **_BROWSER),
    Case("viewer: new session memory", _browser("memory_setup"), _browser("memory"),
         target="≤ 100 MB per session", target_extra_max=(("session_mb", 100.0),),
         **_BROWSER),
)

BY_NAME = {c.name: c for c in CASES}


def finite(values: list[float]) -> bool:
    return bool(values) and bool(np.isfinite(values).all())
