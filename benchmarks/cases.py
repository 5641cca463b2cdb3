"""The benchmark cases: what is timed, on what input, against which floor and target.

A case has a ``setup(path)`` that is not timed (reading the plan a map is drawn from, say) and a
``run(state)`` that is, returning extra figures to report (HTML size, rows found). Cases whose
module has not landed yet (``requires``) are listed as not available instead of failing.
Targets are the issue's, for the ``national`` scale (250,000 plots).
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
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
    #: Measured while a second process spins on one core (run.busy_core): the machine a
    #: user has is rarely idle, and thread pools that count on every core show it here.
    busy_core: bool = False
    #: Seconds per sheet (the run's ``s_per_sheet``) an atlas must not exceed.
    target_sheet_s: float | None = None
    #: Says why an outside program the case drives (QGIS) is unavailable, or None.
    probe: Callable[[], str | None] | None = None
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
        """Required modules (their branch has not landed) or programs not available here."""
        absent = [m for m in self.requires if not _importable(m)]
        reason = self.probe() if self.probe is not None else None
        return absent + ([reason] if reason else [])


# -- shared setup -------------------------------------------------------------------------------
def _plan(path: Path):  # noqa: ANN202
    from gis_app.storage.gpkg import read_plan

    return read_plan(path)


def _context(path: Path) -> dict:
    from gis_app.storage.gpkg import list_layers, read_context

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

        from gis_app.model.schema import SCHEMAS

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


def _load_and_summarise(path: object) -> dict:
    """Read and validate the plan, then the indicators a board reads first."""
    from gis_app.analytics import park_indicators, province_indicators

    plan = _plan(path)  # type: ignore[arg-type]
    parks = park_indicators(plan)
    return {"plots": len(plan.plots), "parks": len(parks),
            "provinces": len(province_indicators(plan))}


def _raw_layers(path: Path):  # noqa: ANN202
    from gis_app.storage.gpkg import read_layers_raw

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
    from gis_app.rules.validate import check_plan

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


# -- the ministry's view: the national summary over 34 province files -------------------------
def province_files(path: Path) -> list[Path]:
    """``path``'s parks as the 34 province files of benchmarks/national_split.py (one file per
    province since 1 July 2025, each with its 2025 boundary, parks sharing a project kept
    together, written once into the cache): the files the national overview map reads too."""
    import national_split  # benchmarks/national_split.py

    return national_split.split_files(path)


def _read_provinces(files: object) -> dict:
    from gis_app.storage.gpkg import read_plan

    plans = [read_plan(f) for f in files]  # type: ignore[attr-defined]
    return {"files": len(plans), "plots": sum(len(p.plots) for p in plans)}


def _read_raw_provinces(files: object) -> dict:
    read = _read_raw(True)
    return {"rows": sum(read(f)["rows"] for f in files)}  # type: ignore[attr-defined]


def _national_summary(files: object) -> dict:
    """What ``kcn-gis summary`` over the files does: read each, then the national table."""
    from gis_app.analytics import national_summary
    from gis_app.storage.gpkg import read_dataset_info, read_plan

    plans = [read_plan(f) for f in files]  # type: ignore[attr-defined]
    names = [read_dataset_info(f).get("province_name_vi", "") for f in files]  # type: ignore[attr-defined]
    table = national_summary(plans, also=[(n,) if n else () for n in names])
    return {"files": len(plans), "rows": len(table)}


def _pg_setup(path: Path):  # noqa: ANN202
    """Load the plan into a fresh database of the run's throwaway cluster (see pg.py)."""
    from pg import load_plan  # benchmarks/pg.py

    from gis_app.storage.gpkg import province_of

    province = province_of(path)
    return load_plan(_plan(path), province.key if province else "bac_ninh")


def _pg_park_areas(state: object) -> dict:
    import psycopg

    from gis_app.storage.postgis.indicators import park_areas_sql

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


#: The destination of the nearest-first search case and of its PostGIS peer.
NEAREST_TO = "noibai"


def _nearest_query(plan):  # noqa: ANN001, ANN202
    """Vacant plots of at least the median vacant area, single plots, nearest first."""
    from gis_app.search import SearchQuery

    vacant = plan.plots.loc[plan.plots["status"] == "vacant", "area_ha"]
    return SearchQuery(min_area_ha=round(float(vacant.median()), 2), allow_groups=False,
                       limit=50, nearest_to=NEAREST_TO)


def _nearest_setup(path: Path) -> object:
    from gis_app.search import build_index

    plan = _plan(path)
    roads = _context(path).get("roads_rail")
    return plan, _nearest_query(plan), roads, build_index(plan, roads)


_KNN_SQL = """
    SELECT plot_code, ST_Distance(geom, ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), %(srid)s)) / 1000.0
    FROM {schema}.plots
    WHERE status = 'vacant' AND area_ha >= %(min_ha)s AND land_use = ANY(%(uses)s)
    ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), %(srid)s)
    LIMIT %(limit)s
"""


def _pg_knn_setup(path: Path):  # noqa: ANN202
    """The plan in PostGIS (plots with their GiST index, as `kcn-gis db push` writes them),
    the nearest-first query's parameters, and the distances the search itself finds."""
    import psycopg
    from psycopg import sql

    from gis_app.search import destination_points, search
    from gis_app.settings import LEASABLE_LAND_USES

    plan = _plan(path)
    conninfo, province = _pg_setup(path)
    query = _nearest_query(plan)
    point = destination_points(plan.crs)[NEAREST_TO]
    with psycopg.connect(conninfo, autocommit=True) as conn:
        srid = conn.execute("SELECT Find_SRID(%s, 'plots', 'geom')", [province]).fetchone()[0]
        conn.execute(sql.SQL("ANALYZE {}.plots").format(sql.Identifier(province)))
    params = {"x": point.x, "y": point.y, "srid": srid, "min_ha": query.min_area_ha,
              "uses": list(LEASABLE_LAND_USES), "limit": query.limit}
    statement = sql.SQL(_KNN_SQL).format(schema=sql.Identifier(province))
    expected = search(plan, query, _context(path).get("roads_rail"))["dest_noibai_km"]
    # One open connection, as the viewer's pool holds one: the query is timed, not the login.
    conn = psycopg.connect(conninfo, autocommit=True)
    conn.execute(statement, params).fetchall()  # plan and buffers warm, as for the search
    return conn, statement, params, expected.to_numpy()


def _pg_knn(state: object) -> dict:
    conn, statement, params, expected = state  # type: ignore[misc]
    rows = conn.execute(statement, params).fetchall()
    km = np.array([r[1] for r in rows])
    # The same plots' distances as the search's (ties may list other plots at equal km).
    same = len(km) == len(expected) and bool(np.allclose(km, expected, rtol=0, atol=1e-9))
    return {"rows": len(rows), "same_km_as_search": same}


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


def _national(name: str):  # noqa: ANN202
    """A function of benchmarks/national_split.py, imported when the case runs."""
    def call(*args: object) -> object:
        import national_split

        return getattr(national_split, name)(*args)
    return call


# -- map sheets ----------------------------------------------------------------------------------
def _sheet_setup(path: Path):  # noqa: ANN202
    from gis_app.export import load_sheet_data

    data = load_sheet_data(path)
    return data, _biggest_park(data.plan)


def _sheet(state: object) -> dict:
    from gis_app.export import SheetLayout, render_park_sheet, save_figure

    data, park = state  # type: ignore[misc]
    buffer = io.BytesIO()
    cpu = _cpu_s()
    save_figure(render_park_sheet(data, park, SheetLayout()).figure, buffer)
    return {"pdf_mb": buffer.tell() / 1e6, "cpu_s": _cpu_s() - cpu}


def _cpu_s() -> float:
    """CPU seconds of this process and of the children it has waited for (NaN where the
    system has no getrusage, as on Windows)."""
    try:
        import resource
    except ImportError:
        return float("nan")
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                 resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _atlas(state: object) -> dict:
    from gis_app.export.atlas import park_pages, write_atlas

    data, _ = state  # type: ignore[misc]
    codes = sorted(data.plan.parks["park_code"].astype(str))[:30]
    buffer = io.BytesIO()
    cpu, start = _cpu_s(), time.perf_counter()
    pages = write_atlas(data, buffer, pages=park_pages(data, codes))
    wall, cpu = time.perf_counter() - start, _cpu_s() - cpu
    return {"pages": pages, "pdf_mb": buffer.tell() / 1e6, "cores": os.cpu_count(),
            "s_per_sheet": wall / len(codes), "cpu_s": cpu}


# -- the QGIS peer -------------------------------------------------------------------------------
#: Debian's interpreter, the one python3-qgis is built for (not the one running the suite).
QGIS_PYTHON = Path("/usr/bin/python3")
QGIS_ATLAS = Path(__file__).resolve().parent / "qgis_atlas.py"


def _qgis_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["QT_QPA_PLATFORM"] = "offscreen"  # headless: no display needed
    return env


@cache
def qgis_missing() -> str | None:
    """Why the QGIS peer cannot run here, or None (Debian's python3-qgis is installed)."""
    if not QGIS_PYTHON.exists():
        return f"QGIS: {QGIS_PYTHON} is missing"
    done = subprocess.run([str(QGIS_PYTHON), "-c", "import qgis.core"], capture_output=True,
                          text=True, env=_qgis_env(), check=False)
    return None if done.returncode == 0 else "QGIS (python3-qgis) not installed"


def _qgis_atlas(path: object, *, plot_labels: bool = False) -> dict:
    """QGIS's print-layout atlas of the same parks (benchmarks/qgis_atlas.py) in Debian's
    Python. The export is timed inside QGIS (``_seconds``, what the table shows, like our
    atlas whose data is read in the untimed setup); ``process_s`` is the whole process,
    QGIS's start-up and reading the layers included. ``plot_labels``: QGIS prints the plot
    codes too, as our sheets do."""
    with tempfile.TemporaryDirectory(prefix="kcn-bench-qgis-") as tmp:
        cpu, start = _cpu_s(), time.perf_counter()
        done = subprocess.run([str(QGIS_PYTHON), str(QGIS_ATLAS), str(path),
                               str(Path(tmp) / "atlas.pdf"), "30",
                               *(["--plot-labels"] if plot_labels else [])],
                              capture_output=True, text=True, env=_qgis_env(), check=False)
        wall, cpu = time.perf_counter() - start, _cpu_s() - cpu
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"QGIS atlas failed: {tail}")
    out = json.loads(lines[-1])
    return {"_seconds": out["export_s"], "process_s": wall, "pages": out["pages"],
            "pdf_mb": out["pdf_mb"], "s_per_sheet": out["export_s"] / out["pages"],
            "cpu_s": cpu}


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
    Case("raw read (Arrow), beside a busy core", lambda p: p, _read_raw(True), is_floor=True,
         busy_core=True, target="floor of load beside a busy core"),
    Case("load + validate, beside a busy core", lambda p: p, _load,
         floor="raw read (Arrow), beside a busy core", busy_core=True,
         target="≤ 2× raw read beside a busy core", target_ratio=2.0),
    Case("load, validate + summarise", lambda p: p, _load_and_summarise,
         floor="raw read (Arrow)", target="≤ 2 GB; linear in plots (see the 1M scale)",
         target_peak_mb=2048.0),
    Case("validate only", _raw_layers, _validate_only, is_floor=True,
         target="part of load + validate"),
    Case("validate only, plots of 6-8 corners", _raw_layers_many_corners, _validate_only,
         is_floor=True, target="informational: without the quadrilateral fast paths"),
    Case("park areas, SQL (PostGIS)", _pg_setup, _pg_park_areas,
         requires=("gis_app.storage.postgis.indicators", "psycopg"), is_floor=True,
         needs_server=True,
         target="floor of indicators"),
    Case("park areas", _plan, _park_areas, floor="park areas, SQL (PostGIS)",
         target="part of indicators"),
    Case("all indicators, all parks", _plan, _park_indicators,
         floor="park areas, SQL (PostGIS)", target="≤ 0.5 s", target_s=0.5),
    Case("province indicators", _plan, _province_indicators, target="≤ 0.5 s", target_s=0.5),
    Case("raw read (Arrow), 34 province files", province_files, _read_raw_provinces,
         is_floor=True, target="informational: the raw read of the 34 files"),
    Case("load + validate, 34 province files", province_files, _read_provinces,
         is_floor=True, target="floor of the national summary: reading the files"),
    Case("national summary, 34 province files", province_files, _national_summary,
         requires=("gis_app.analytics.national",),
         floor="load + validate, 34 province files",
         other_floors=("raw read (Arrow), 34 province files",),
         target="≤ 2× reading the 34 files", target_ratio=2.0),
    Case("search index build", _search_index_setup, _search_index, requires=("gis_app.search",),
         target="≤ 0.5 s (issue 18), once per loaded plan (the viewer caches it)",
         target_s=0.5),
    Case("search, plain filters", _search_setup(False), _search, requires=("gis_app.search",),
         target="≤ 0.1 s", target_s=0.1),
    Case("search, adjacent grouping", _search_setup(True), _search,
         requires=("gis_app.search",), target="≤ 0.1 s", target_s=0.1),
    Case("search nearest-first, SQL KNN (PostGIS)", _pg_knn_setup, _pg_knn,
         requires=("gis_app.storage.postgis.indicators", "psycopg"), is_floor=True,
         needs_server=True,
         target="peer: ORDER BY geom <-> point LIMIT 50 on a GiST index"),
    Case("search, nearest-first", _nearest_setup, _search, requires=("gis_app.search",),
         floor="search nearest-first, SQL KNN (PostGIS)", target="≤ 5 ms", target_s=0.005),
    Case("search explanation, no result", _explain_setup, _explain,
         requires=("gis_app.search.explain",), target="≤ 1 s", target_s=1.0),
    Case("scenario, 100 edits", _scenario_setup, _scenario, requires=("gis_app.scenarios",),
         target="≤ 1 s", target_s=1.0),
    Case("map, one park", _map_setup, _park_map, requires=("gis_app.viewer.maps",),
         target="≤ 0.5 s, ≤ 2 MB", target_s=0.5, target_html_mb=2.0),
    Case("map, province overview", _map_setup, _province_map,
         requires=("gis_app.viewer.maps",), target="≤ 1 s", target_s=1.0),
    Case("map, national overview (34 files)", _national("overview_setup"),
         _national("overview_map"), requires=("gis_app.viewer.national",),
         target="≤ 1 MB", target_html_mb=1.0),
    Case("map sheet, one park", _sheet_setup, _sheet, requires=("gis_app.export",),
         target="≤ 0.3 s (issue 18)", target_s=0.3),
    Case("atlas, QGIS peer", lambda p: p, _qgis_atlas, probe=qgis_missing, is_floor=True,
         target="peer: QGIS print-layout atlas, same parks"),
    Case("atlas, QGIS peer, plot codes labelled", lambda p: p,
         partial(_qgis_atlas, plot_labels=True), probe=qgis_missing, is_floor=True,
         target="peer with our sheets' plot codes (qgis_atlas.py --plot-labels)"),
    Case("atlas, 30 parks", _sheet_setup, _atlas, requires=("gis_app.export",),
         floor="atlas, QGIS peer", other_floors=("atlas, QGIS peer, plot codes labelled",),
         target="≤ QGIS (ratio ≤ 1), ≤ 0.3 s per sheet, ≤ 60 s",
         target_s=60.0, target_ratio=1.0, target_sheet_s=0.3),
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

#: Scales that run only some cases (the others would take hours or more memory than
#: they measure): the optional 1,000,000-plot scale measures loading and summarising.
SCALE_CASES: dict[str, tuple[str, ...]] = {
    "million": ("raw read (Arrow)", "load + validate", "load, validate + summarise"),
}


def cases_for(scale: str, chosen: set[str]) -> list[Case]:
    """The cases of ``chosen`` that run at ``scale``, in table order."""
    allowed = SCALE_CASES.get(scale)
    return [c for c in CASES if c.name in chosen and (allowed is None or c.name in allowed)]


def finite(values: list[float]) -> bool:
    return bool(values) and bool(np.isfinite(values).all())
