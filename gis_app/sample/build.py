"""Build the illustrative province files shipped in ``layers/``.

``build_province(key)`` returns every layer of one province; ``write_province`` writes them,
with sources, licences and QGIS styles, in one atomic step. Deterministic: the same seed gives
the same file content.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import unicodedata
import uuid
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import __version__
from ..errors import SampleError
from ..history.store import DESCRIPTIONS as HISTORY_DESCRIPTIONS
from ..model.crs import to_crs, transformer
from ..model.plan import Plan
from ..model.schema import DATASET_TABLE, SCHEMAS, SOURCES_TABLE, STYLES_TABLE
from ..progress import Progress, notify
from ..settings import (
    ADMIN_BOUNDARY_SOURCE,
    ILLUSTRATIVE_NOTICE_EN,
    ILLUSTRATIVE_NOTICE_VI,
    LEASABLE_LAND_USES,
    PROVINCES,
    REFERENCE_ATTRIBUTION,
    ROADS_RAIL_SOURCE,
)
from ..storage.gpkg import write_layers
from ..storage.styles import styles_table
from . import layout as lay
from .builtup import write_builtup_raster
from .catalog import (
    NB_OPERATING_ESTABLISHED_HA,
    PARKS,
    REFERENCE_DIR,
    TARGETS,
    ParkSpec,
    ProvinceTargets,
    read_catalog,
)
from .history import earlier_outlines, late_plots, seed_history
from .lease_dates import calibrate_lease_dates
from .tenants import group_plots, infrastructure_projects, make_tenants

DEFAULT_SEED = 2023
#: Steps :func:`write_province` reports: layers built, history, file written, raster.
SAMPLE_STEPS = 4
#: Each infrastructure project's registered capital (assumed; no per-project figure published).
INFRASTRUCTURE_CAPITAL_USD = 60e6


def ascii_name(text: str) -> str:
    """Vietnamese without diacritics (Đ -> D), for English names and identifiers."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def english_name(name_vi: str) -> str:
    base = name_vi.removeprefix("KCN ").split(" (")[0]
    return f"{ascii_name(base)} Industrial Park"


def _rng(seed: int, code: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(code.encode())])


@dataclass
class _Placed:
    spec: ParkSpec
    layout: lay.Layout
    centre: tuple[float, float]
    angle: float
    outline: shapely.Polygon


def _anchor(spec: ParkSpec, catalog: dict, communes: gpd.GeoDataFrame, crs: str
            ) -> tuple[float, float]:
    row = catalog.get(spec.catalog_name, {})
    if row.get("lon") and row.get("lat"):
        lon, lat = float(row["lon"]), float(row["lat"])
    else:
        match = communes[communes["name"] == spec.anchor_commune]
        if match.empty:
            raise SampleError(f"{spec.code}: no commune {spec.anchor_commune!r} to place the park")
        point = match.geometry.iloc[0].representative_point()
        lon, lat = point.x, point.y
    x, y = transformer("EPSG:4326", crs).transform(lon, lat)
    return float(x), float(y)


def _place(spec: ParkSpec, layout: lay.Layout, anchor: tuple[float, float], angle: float,
           placed: list[_Placed], province: shapely.Geometry) -> _Placed:
    """Put the outline at the anchor, or the nearest free spot on a spiral around it."""
    local = np.array([shapely.box(0, 0, layout.width, layout.height)])
    others = shapely.union_all([p.outline for p in placed]) if placed else None
    for k in range(400):
        r, t = 250.0 * np.sqrt(k), k * 2.39996  # golden-angle spiral
        centre = (anchor[0] + r * np.cos(t), anchor[1] + r * np.sin(t))
        outline = lay.to_world(local, layout, centre, angle)[0]
        free = others is None or not shapely.intersects(shapely.buffer(outline, 150.0), others)
        if free and shapely.within(outline, province):
            return _Placed(spec, layout, centre, angle, outline)
    raise SampleError(f"{spec.code}: no free place found near its anchor")


def _lease_order(layout: lay.Layout) -> list[lay.PlotCell]:
    """Leasable plots in the order a park fills: blocks near the entrance first."""
    first = layout.blocks[0][0]
    def key(c: lay.PlotCell) -> tuple[float, int, float]:
        b = layout.blocks[c.block][0]
        return (round(np.hypot(b.x0 - first.x0, b.y0 - first.y0), 3), c.row, c.rect.x0)
    return sorted(layout.leasable(LEASABLE_LAND_USES), key=key)


def _calibrate_areas(placed: list[_Placed], targets: tuple[ProvinceTargets, ...]) -> None:
    by_legacy = {t.legacy_province: t for t in targets}
    for legacy in {p.spec.legacy_province for p in placed}:
        group = [p for p in placed if p.spec.legacy_province == legacy and p.layout.blocks]
        target = by_legacy.get(legacy)
        natural = np.array([sum(c.rect.area for c in p.layout.leasable(LEASABLE_LAND_USES))
                            for p in group])
        k = 1.0 if target is None or target.leasable_ha is None else (
            target.leasable_ha * 1e4 / natural.sum())
        if k > 1:
            raise SampleError(f"{legacy}: generated leasable land is short of the target")
        # Parks keep a plausible share (QCVN minimum green/roads) by trimming each the same way.
        for p, n in zip(group, natural, strict=True):
            lay.set_leasable(p.layout, n * k, LEASABLE_LAND_USES)
        leasable = np.array([n * k for n in natural])
        wanted = np.array([p.spec.occupancy for p in group]) * leasable
        if target is not None and target.leased_ha is not None:
            wanted *= target.leased_ha * 1e4 / wanted.sum()
            if np.any(wanted > 0.985 * leasable):
                raise SampleError(f"{legacy}: occupancy weights exceed a park's leasable land")
        for p, w in zip(group, wanted, strict=True):
            lay.lease_exactly(p.layout, _lease_order(p.layout), float(w))


def _finish_statuses(p: _Placed, rng: np.random.Generator) -> None:
    """Reserved, not-yet-cleared and vacant land among what is not leased."""
    rest = [c for c in _lease_order(p.layout) if c.status != "leased"]
    year = p.spec.established_year or 2023
    not_cleared = 0.6 if p.spec.status == "established" else (0.3 if year >= 2015 else 0.0)
    n_nc = int(round(not_cleared * len(rest)))
    for c in rest[len(rest) - n_nc:]:
        c.status = "not_cleared"
    for c in rest[: max(0, len(rest) - n_nc)]:
        if rng.random() < 0.05:
            c.status = "reserved"


def _frames(placed: list[_Placed], crs: str, seed: int, catalog: dict
            ) -> dict[str, gpd.GeoDataFrame]:
    parks, zones, plots, plants = [], [], [], []
    for p in placed:
        spec, layout = p.spec, p.layout
        rng = _rng(seed + 1, spec.code)
        row = catalog.get(spec.catalog_name, {})
        name_vi = spec.catalog_name.split(" (")[0]
        leasable = [c for c in layout.plots if c.land_use in LEASABLE_LAND_USES]
        leasable_ha = sum(c.rect.area for c in leasable) / 1e4 if layout.blocks else None
        cleared_ha = (sum(c.rect.area for c in leasable if c.status != "not_cleared") / 1e4
                      if layout.blocks else None)
        established = spec.status in ("established", "operating")
        year = spec.established_year
        parks.append({
            "park_code": spec.code, "name_vi": name_vi, "name_en": english_name(name_vi),
            "province": row.get("province_2025") or ("Bắc Ninh" if spec.code[:2] in ("BN", "BG")
                                                       else "Ninh Bình"),
            "legacy_province": spec.legacy_province, "status": spec.status,
            "planned_area_ha": spec.planned_ha,
            "established_area_ha": spec.planned_ha if established else 0.0,
            "leasable_area_ha": leasable_ha, "cleared_area_ha": cleared_ha,
            "developer": row.get("infrastructure_developer") or None,
            "decision_no": f"{int(rng.integers(100, 2000))}/QĐ-TTg (minh họa)" if established
            else None,
            "decision_date": pd.Timestamp(f"{year}-{int(rng.integers(1, 13)):02d}-15")
            if established and year else pd.NaT,
            "established_year": year if established else None,
            "area_source": spec.area_source,
            "geometry": p.outline,
        })
        if not layout.blocks:
            continue
        zgeoms = lay.zone_geometries(layout)
        world = lay.to_world(np.array([g for _, g in zgeoms], dtype=object), layout, p.centre,
                             p.angle)
        # Rotation can leave a road network's touching rings a hair apart or crossing; repair.
        world = lay.snap(world)
        for i, ((use, _), g) in enumerate(zip(zgeoms, world, strict=True)):
            zones.append({"zone_id": f"{spec.code}-Z{i + 1:03d}", "park_code": spec.code,
                          "land_use": use, "geometry": g})
        cells = layout.plots
        pgeoms = lay.to_world(np.array([c.rect.geometry() for c in cells], dtype=object),
                              layout, p.centre, p.angle)
        order = {id(c): i for i, c in enumerate(_lease_order(layout))}
        rbf_prob = 0.12 if spec.status == "operating" else 0.0
        for k, (c, g) in enumerate(zip(cells, pgeoms, strict=True)):
            plots.append({
                "plot_code": f"{spec.code}-{chr(65 + c.block % 26)}{c.block // 26 or ''}"
                             f"{k + 1:03d}",
                "park_code": spec.code, "land_use": c.land_use, "status": c.status,
                "ready_built_factory": bool(c.land_use in LEASABLE_LAND_USES
                                            and c.rect.area < 1.6e4 and rng.random() < rbf_prob),
                "area_ha": shapely.area(g) / 1e4, "row": f"{spec.code}-{c.row}",
                "lease_rank": order.get(id(c), -1), "geometry": g,
            })
        if spec.plant is not None:
            site = lay.to_world(np.array([shapely.Point(*layout.plant_site)]), layout,
                                p.centre, p.angle)[0]
            capacity = round((leasable_ha or 0) * rng.uniform(18, 25) / 500) * 500 or 500
            load = capacity * rng.uniform(0.4, 0.9) if spec.plant == "operating" else None
            plants.append({
                "plant_id": f"{spec.code}-XLNT", "park_code": spec.code,
                "name_vi": f"Trạm XLNT tập trung {name_vi}",
                "design_capacity_m3_day": float(capacity),
                "current_load_m3_day": round(load, 0) if load is not None else None,
                "status": spec.plant, "auto_monitoring": bool(spec.plant == "operating"
                                                              and rng.random() < 0.85),
                "geometry": site,
            })
    frame = {n: gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
             for n, rows in (("parks", parks), ("zones", zones), ("plots", plots),
                             ("wastewater_plants", plants))}
    return frame


def _tenants(placed: list[_Placed], plots: gpd.GeoDataFrame, key: str, seed: int
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    specs = {p.spec.code: p.spec for p in placed}
    tenant_frames, links = [], []
    for target in TARGETS[key]:
        rng = _rng(seed + 2, target.legacy_province)
        codes = [c for c, s in specs.items() if s.legacy_province == target.legacy_province]
        leased = plots[plots["park_code"].isin(codes) & plots["status"].eq("leased")]
        leased = leased.sort_values(["park_code", "lease_rank"])
        n_wanted = None
        if target.projects_by_status is not None:
            n_wanted = (sum(target.projects_by_status.values()) - target.infrastructure_projects
                        + target.revoked_on_plots)
        # Share the wanted project count over parks in proportion to their leased plots.
        per_park = leased.groupby("park_code").size()
        quota = None
        if n_wanted is not None:
            raw = per_park / per_park.sum() * n_wanted
            quota = np.floor(raw).astype(int)
            quota[(raw - quota).sort_values(ascending=False).index[: n_wanted - quota.sum()]] += 1
        projects = []
        for code, group in leased.groupby("park_code", sort=True):
            spec = specs[code]
            groups = group_plots(group, None if quota is None else int(quota[code]), rng)
            for i, members in enumerate(groups):
                pid = f"{code}-DA{i + 1:03d}"
                links += [{"plot_code": m, "project_id": pid} for m in members]
                area = float(group.set_index("plot_code").loc[members, "area_ha"].sum())
                projects.append({"project_id": pid, "park_code": code, "area_ha": area,
                                 "park_year": spec.established_year or 2023,
                                 "new_park": (spec.established_year or 2023) >= 2022})
        infra = [(c, specs[c].catalog_name, specs[c].established_year or 2010) for c in codes
                 if specs[c].status in ("operating", "established")]
        infra = [(c, f"Công ty Phát triển hạ tầng {ascii_name(n)[4:]}", y) for c, n, y in infra]
        tenants = make_tenants(
            pd.DataFrame(projects), target, rng,
            historical_revoked=38 if target.legacy_province == "Bắc Ninh" else 0,
            infrastructure_capital_usd=INFRASTRUCTURE_CAPITAL_USD * target.infrastructure_projects,
        )
        tenant_frames += [tenants, infrastructure_projects(target, infra,
                                                           INFRASTRUCTURE_CAPITAL_USD)]
    tenants = pd.concat([t for t in tenant_frames if not t.empty], ignore_index=True)
    return tenants, pd.DataFrame(links, columns=["plot_code", "project_id"])


def _context(key: str, reference_dir: Path, crs: str, parks: gpd.GeoDataFrame
             ) -> dict[str, gpd.GeoDataFrame]:
    province = PROVINCES[key]
    read = lambda name: gpd.read_file(reference_dir / name, engine="pyogrio")  # noqa: E731
    boundary = read("admin2025_provinces_bacninh_ninhbinh.geojson")
    boundary = boundary[boundary["code"].astype(str) == province.code]
    communes = read(f"admin2025_communes_{key}.geojson")
    roads = read("roads_rail_national_bacninh_ninhbinh.geojson")
    rivers = read("rivers_naturalearth10m_bbox.geojson")
    labels = read("industrial_parks_points.geojson")
    b = to_crs(boundary, crs, what="province boundary")
    window = shapely.buffer(b.union_all(), 10_000.0)
    clip = lambda f, what: gpd.clip(to_crs(f, crs, what=what), window)  # noqa: E731
    labels = to_crs(labels, crs, what="park label points")
    labels = labels[labels.within(b.union_all())]
    name_to_code = {n: c for c, n in zip(parks["park_code"], parks["name_vi"], strict=True)}
    labels = labels.assign(park_code=labels["name"].str.split(" \\(").str[0].map(name_to_code))
    return {
        "province_boundary": b.reset_index(drop=True),
        "communes": to_crs(communes, crs, what="communes").reset_index(drop=True),
        "roads_rail": clip(roads, "roads").reset_index(drop=True),
        "rivers": clip(rivers, "rivers").reset_index(drop=True),
        "park_labels": labels.reset_index(drop=True),
    }


def _sources(today: date) -> pd.DataFrame:
    gen = ("KCN-GIS sample generator (gis_app/sample), calibrated to published figures in "
           "shared facts (BQL các KCN Bắc Ninh 2023, Ninh Bình 2023)")
    illustrative = "Illustrative: " + ILLUSTRATIVE_NOTICE_EN
    rows = [(name, SCHEMAS[name].title_vi, SCHEMAS[name].title_en, gen, "CC0 (generated)",
             "KCN-GIS", illustrative) for name in SCHEMAS]
    admin = ADMIN_BOUNDARY_SOURCE
    rows += [
        ("province_boundary", "Ranh giới tỉnh (2025)", "Province boundary (2025)", *admin,
         "Reference map, not a legal boundary."),
        ("communes", "Ranh giới xã, phường (2025)", "Communes and wards (2025)", *admin,
         "Simplified with coverage_simplify (~2 m)."),
        ("roads_rail", "Quốc lộ và đường sắt", "National roads and rail",
         *ROADS_RAIL_SOURCE, "National scale, coarse and incomplete."),
        ("rivers", "Sông (1:10 triệu)", "Rivers (1:10M)", "Natural Earth 10m rivers",
         "Public domain", "Natural Earth", "Only Sông Hồng at this scale."),
        ("park_labels", "Điểm nhãn KCN", "Park label points",
         "OpenStreetMap bbox centres and unverified web points (see data/reference/README.md)",
         "ODbL (OSM points); others unknown", "© OpenStreetMap contributors",
         "About 1 km accuracy; label anchors only."),
    ]
    frame = pd.DataFrame(rows, columns=["layer", "title_vi", "title_en", "source", "licence",
                                        "attribution", "note"])
    frame["date"] = pd.Timestamp(today)
    frame["illustrative"] = frame["layer"].isin(list(SCHEMAS))
    return frame


def build_province(key: str, *, seed: int = DEFAULT_SEED, reference_dir: Path = REFERENCE_DIR
                   ) -> dict[str, pd.DataFrame]:
    """Every layer and table of one province's sample file."""
    province = PROVINCES[key]
    crs = province.crs
    catalog = read_catalog(reference_dir)
    communes = gpd.read_file(reference_dir / f"admin2025_communes_{key}.geojson", engine="pyogrio")
    boundary = gpd.read_file(reference_dir / "admin2025_provinces_bacninh_ninhbinh.geojson",
                             engine="pyogrio")
    area = to_crs(boundary[boundary["code"].astype(str) == province.code], crs).union_all()
    placed: list[_Placed] = []
    for spec in sorted(PARKS[key], key=lambda s: (s.anchor_commune is not None, s.code)):
        rng = _rng(seed, spec.code)
        detailed = spec.status in ("established", "operating")
        old = (spec.established_year or 2023) < 2012
        layout = lay.lay_out(spec.code, spec.planned_ha * 1e4, rng, detailed=detailed,
                             plot_width_m=(80.0 if old else 115.0) * (1.5 if key == "ninh_binh"
                                                                      else 1.0),
                             large=spec.planned_ha > 150)
        angle = float(np.deg2rad(rng.uniform(-30, 30)))
        placed.append(_place(spec, layout, _anchor(spec, catalog, communes, crs), angle,
                             placed, area))
    placed.sort(key=lambda p: p.spec.code)
    _calibrate_areas(placed, TARGETS[key])
    for p in placed:
        if p.layout.blocks:
            _finish_statuses(p, _rng(seed + 3, p.spec.code))
    frames = _frames(placed, crs, seed, catalog)
    if key == "ninh_binh":
        op = frames["parks"]["status"].eq("operating")
        frames["parks"].loc[op, "established_area_ha"] = (
            frames["parks"].loc[op, "planned_area_ha"] * NB_OPERATING_ESTABLISHED_HA
            / frames["parks"].loc[op, "planned_area_ha"].sum())
    tenants, links = _tenants(placed, frames["plots"], key, seed)
    tenants = _history_lease_dates(key, tenants, links, frames, area)
    frames["plots"] = frames["plots"].drop(columns=["row", "lease_rank"])
    layers: dict[str, pd.DataFrame] = dict(frames)
    layers["tenants"] = tenants
    layers["tenant_plots"] = links
    plan = Plan.from_layers(layers)
    out: dict[str, pd.DataFrame] = dict(plan.layers())
    out.update(_context(key, reference_dir, crs, plan.parks))
    return out


def _history_lease_dates(key: str, tenants: pd.DataFrame, links: pd.DataFrame,
                         frames: dict[str, gpd.GeoDataFrame], area: shapely.Geometry
                         ) -> pd.DataFrame:
    """Lease starts consistent with the plan history and its July 2018 calibration."""
    earlier = earlier_outlines(key, frames["parks"], frames["plots"], area)
    late, late_from = late_plots(key, frames["plots"], earlier)
    return calibrate_lease_dates(key, tenants, links, frames["plots"], frames["parks"],
                                 late, late_from)


def _store_worked_example(path: Path) -> None:
    """Ninh Bình's 2024 plan as a stored scenario: the worked example that ships with the data."""
    from ..scenarios.examples import ninh_binh_2024
    from ..scenarios.store import ScenarioStore
    from ..storage.gpkg import read_plan

    ScenarioStore(path).save(ninh_binh_2024(read_plan(path)))


def _make_reproducible(path: Path, written: date) -> None:
    """Make the file's bytes depend on its content only, so regenerating it changes nothing.

    GDAL stamps ``gpkg_contents.last_change`` with the time of writing, and the style table and
    the scenario store record when they were saved; SQLite's page layout and header (its change
    counter) follow the number and order of the writes. Every timestamp is set to the reporting
    date, then ``VACUUM INTO`` copies the database into fresh pages in key order with a new
    header, and the copy replaces the file in one step.
    """
    from ..scenarios.tables import SCENARIOS_TABLE

    stamp = f"{written.isoformat()}T00:00:00.000Z"
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp.gpkg")
    try:
        with contextlib.closing(sqlite3.connect(path)) as con:
            with con:
                tables = {row[0] for row in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}
                con.execute("UPDATE gpkg_contents SET last_change = ?", (stamp,))
                if STYLES_TABLE in tables:
                    con.execute(f"UPDATE {STYLES_TABLE} SET update_time = ?", (stamp,))
                if SCENARIOS_TABLE in tables:
                    con.execute(f"UPDATE {SCENARIOS_TABLE} SET created = ?, modified = ?",
                                (f"{written.isoformat()}T00:00:00+00:00",) * 2)
            con.execute("VACUUM INTO ?", (str(tmp),))
        with open(tmp, "rb+") as copy:  # opened for writing: Windows fsyncs only such handles
            os.fsync(copy.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_province(key: str, path: Path | None = None, *, seed: int = DEFAULT_SEED,
                   reference_dir: Path = REFERENCE_DIR, progress: Progress | None = None
                   ) -> Path:
    """Generate and write one province file (atomically); returns its path. ``progress``
    hears ``(steps done, SAMPLE_STEPS)`` after the layers, the history, the file and the
    built-up raster (seconds each for a large province)."""
    province = PROVINCES[key]
    path = Path(path) if path else province.default_path
    layers = build_province(key, seed=seed, reference_dir=reference_dir)
    notify(progress, 1, SAMPLE_STEPS)
    today = date(2023, 11, 17)  # the reporting date: keeps the output byte-stable across days
    info = pd.DataFrame(
        [("province", key), ("province_name_vi", province.name_vi),
         ("province_name_en", province.name_en), ("crs", province.crs),
         ("datum_transformation", "WGS 84 -> VN-2000: EPSG:6960 (VN-2000 to WGS 84 (2)), inverse"),
         ("illustrative", "true"), ("notice_vi", ILLUSTRATIVE_NOTICE_VI),
         ("notice_en", ILLUSTRATIVE_NOTICE_EN), ("attribution", REFERENCE_ATTRIBUTION),
         ("reporting_date", today.isoformat()), ("generator", f"kcn-gis {__version__} sample"),
         ("seed", str(seed))],
        columns=["key", "value"],
    )
    spatial = [n for n, f in layers.items() if isinstance(f, gpd.GeoDataFrame)]
    layers[SOURCES_TABLE] = _sources(today)
    layers[DATASET_TABLE] = info
    layers[STYLES_TABLE] = styles_table(spatial)
    # The plan history (plan_changes, <layer>_history) up to the reporting date.
    plan = Plan.from_layers({n: layers[n] for n in SCHEMAS})
    layers.update(seed_history(key, plan, layers["province_boundary"].union_all()))
    notify(progress, 2, SAMPLE_STEPS)
    descriptions = {n: f"{SCHEMAS[n].title_vi} / {SCHEMAS[n].title_en}. {ILLUSTRATIVE_NOTICE_EN}"
                    for n in SCHEMAS}
    descriptions.update(HISTORY_DESCRIPTIONS)
    write_layers(path, layers, descriptions=descriptions, fresh=True)
    if key == "ninh_binh":
        _store_worked_example(path)
    _make_reproducible(path, today)
    notify(progress, 3, SAMPLE_STEPS)
    # The illustrative built-up raster (GeoTIFF) used to find idle leased land.
    write_builtup_raster(Plan.from_layers({n: layers[n] for n in SCHEMAS}),
                         path.with_name(f"{path.stem}_builtup.tif"))
    notify(progress, SAMPLE_STEPS, SAMPLE_STEPS)
    return path
