"""``kcn-gis init``: an empty province file for a board that starts from zero.

The file has every planning layer (empty, with its columns and types), the context layers cut
from the national reference (province boundary, communes, the national roads and rail within
it), the QGIS styles, the layer sources with their licences, and a ``dataset_info`` that says
the data is real, entered by the board (not the illustrative sample). It is written with the
same writers as the sample files (:func:`gis_app.storage.gpkg.write_layers`,
:func:`gis_app.storage.styles.styles_table`), in one atomic step.

The file keeps a plan history from the start (:func:`gis_app.history.start_history`): its
first change is the empty baseline, so the board's first imports (a layer, a CAD drawing, an
Excel register) are recorded as changes of their own, as in any province with a history.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from . import __version__
from .errors import GisAppError
from .history import Basis, start_history
from .history.record import current_user
from .i18n import t
from .model.crs import to_crs
from .model.plan import Plan, coerce
from .model.schema import DATASET_TABLE, SCHEMAS, SOURCES_TABLE, STYLES_TABLE
from .registry import NATIONAL_DIR, in_zone, province
from .settings import (
    ADMIN_BOUNDARY_SOURCE,
    NATIONAL_ATTRIBUTION,
    REAL_DATA_NOTICE_EN,
    REAL_DATA_NOTICE_VI,
    ROADS_RAIL_SOURCE,
    Province,
)
from .storage.gpkg import write_layers
from .storage.styles import styles_table

PROVINCES_FILE = "admin2025_provinces.geojson"
COMMUNES_FILE = "admin2025_communes.geojson.gz"  # gzip: 2.9 MB instead of 14.5 MB
ROADS_FILE = "roads_rail_national.geojson"


def province_in(key: str, epsg: int | None = None) -> Province:
    """The registry's province, kept in its default zone or in ``epsg`` (a board's choice)."""
    return in_zone(province(key), epsg)


@lru_cache(maxsize=4)
def _national(name: str, national_dir: Path) -> gpd.GeoDataFrame:
    """A national reference layer in WGS 84 (read once per process: the communes are 14 MB
    of GeoJSON, shipped gzipped and read through GDAL's ``/vsigzip/``)."""
    path = national_dir / name
    source = f"/vsigzip/{path}" if path.suffix == ".gz" else path
    return gpd.GeoDataFrame(pyogrio.read_dataframe(source))


def empty_plan(crs: str) -> Plan:
    """Every planning layer with its columns and types and no rows."""
    layers: dict[str, pd.DataFrame] = {}
    for name, schema in SCHEMAS.items():
        frame = pd.DataFrame({c: pd.Series(dtype="object") for c in schema.column_names})
        if schema.geometry_types is not None:
            frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=crs))
        layers[name] = coerce(frame, schema)
    return Plan.from_layers(layers)


def context_layers(p: Province, national_dir: Path = NATIONAL_DIR
                   ) -> dict[str, gpd.GeoDataFrame]:
    """The province boundary, its communes and the roads and rail within it, in ``p.crs``."""
    provinces = _national(PROVINCES_FILE, national_dir)
    boundary = provinces[provinces["code"].astype(str) == p.code]
    if boundary.empty:
        raise GisAppError(f"{national_dir / PROVINCES_FILE}: no province with code {p.code}")
    communes = _national(COMMUNES_FILE, national_dir)
    communes = communes[communes["province_code"].astype(str) == p.code]
    boundary = to_crs(boundary, p.crs, what="province boundary")
    roads = to_crs(_national(ROADS_FILE, national_dir), p.crs, what="roads and rail")
    roads = gpd.clip(roads, boundary.union_all())
    roads = roads[~roads.geometry.is_empty]
    return {
        "province_boundary": boundary.reset_index(drop=True),
        "communes": to_crs(communes, p.crs, what="communes").reset_index(drop=True),
        "roads_rail": roads.reset_index(drop=True),
    }


def _sources(today: date) -> pd.DataFrame:
    """Where each layer comes from: the board's own records, and the national reference."""
    board = ("Entered by the industrial-park management board (file created with kcn-gis init)",
             "The board's", "Ban quản lý các KCN")
    rows = [(name, SCHEMAS[name].title_vi, SCHEMAS[name].title_en, *board, REAL_DATA_NOTICE_EN)
            for name in SCHEMAS]
    admin = ADMIN_BOUNDARY_SOURCE
    rows += [
        ("province_boundary", "Ranh giới tỉnh (2025)", "Province boundary (2025)", *admin,
         "Reference map, not a legal boundary; upstream-simplified (~300 m vertex spacing)."),
        ("communes", "Ranh giới xã, phường (2025)", "Communes and wards (2025)", *admin,
         "Reference map, not a legal boundary; simplified for the product with "
         "coverage_simplify, tolerance 8e-4 degrees (about 90 m), see "
         "data/reference/national/README.md."),
        ("roads_rail", "Quốc lộ và đường sắt", "National roads and rail",
         *ROADS_RAIL_SOURCE,
         "National scale, coarse and incomplete (no expressways); background only."),
    ]
    frame = pd.DataFrame(rows, columns=["layer", "title_vi", "title_en", "source", "licence",
                                        "attribution", "note"])
    frame["date"] = pd.Timestamp(today)
    frame["illustrative"] = False
    return frame


def _dataset_info(p: Province, today: date) -> pd.DataFrame:
    legacy = "; ".join(f"{z.name_vi} {z.central_meridian:g}° (EPSG:{z.epsg})"
                       for z in p.legacy_zones)
    rows = [
        ("province", p.key), ("province_code", p.code), ("province_name_vi", p.name_vi),
        ("province_name_en", p.name_en), ("crs", p.crs),
        ("central_meridian", f"{p.central_meridian:g}"),
        ("crs_choice_vi", p.zone_reason_vi), ("crs_choice_en", p.zone_reason_en),
        ("legacy_provinces_zones", legacy),
        ("datum_transformation", "WGS 84 -> VN-2000: EPSG:6960 (VN-2000 to WGS 84 (2)), inverse"),
        ("illustrative", "false"), ("notice_vi", REAL_DATA_NOTICE_VI),
        ("notice_en", REAL_DATA_NOTICE_EN), ("attribution", NATIONAL_ATTRIBUTION),
        ("created", today.isoformat()), ("generator", f"kcn-gis {__version__} init"),
    ]
    return pd.DataFrame(rows, columns=["key", "value"])


def baseline_basis(p: Province, recorded_by: str | None = None) -> Basis:
    """The basis of an init file's first change: made by ``kcn-gis init`` from the national
    reference (an import basis: no decision set up the empty file), described in vi and en."""
    description = (f"{t('init.history_baseline', 'vi', province=p.name_vi)} / "
                   f"{t('init.history_baseline', 'en', province=p.name_en)}")
    return Basis.imported("data/reference/national", recorded_by or current_user(),
                          document_ref=f"kcn-gis {__version__} init {p.key}",
                          description=description)


def init_province(key: str, path: str | Path | None = None, *, epsg: int | None = None,
                  national_dir: Path = NATIONAL_DIR, today: date | None = None,
                  history_from: date | None = None, recorded_by: str | None = None) -> Path:
    """Create the empty province file of ``key`` (default ``<key>.gpkg`` here); returns its path.

    An existing file is never replaced: a board's records would be lost. The file's plan
    history starts with the empty baseline, effective ``history_from`` (default: today),
    recorded by ``recorded_by`` (default: the operating-system user); if that fails, the new
    file is removed (no file without its history is left behind).
    """
    p = province_in(key, epsg)
    path = Path(path) if path is not None else Path(f"{p.key}.gpkg")
    if path.suffix.lower() != ".gpkg":
        raise GisAppError(f"-o {path}: the file name must end in .gpkg")
    if path.exists():
        raise GisAppError(f"{path}: exists already; init never replaces a province file "
                          "(choose another name with -o)")
    today = today or date.today()
    basis = baseline_basis(p, recorded_by)
    layers: dict[str, pd.DataFrame] = dict(empty_plan(p.crs).layers())
    layers.update(context_layers(p, national_dir))
    spatial = [n for n, f in layers.items() if isinstance(f, gpd.GeoDataFrame)]
    layers[SOURCES_TABLE] = _sources(today)
    layers[DATASET_TABLE] = _dataset_info(p, today)
    layers[STYLES_TABLE] = styles_table(spatial)
    descriptions = {n: f"{SCHEMAS[n].title_vi} / {SCHEMAS[n].title_en}. {REAL_DATA_NOTICE_EN}"
                    for n in SCHEMAS}
    write_layers(path, layers, descriptions=descriptions, fresh=True)
    try:
        start_history(path, basis, history_from or today)
    except BaseException:
        path.unlink(missing_ok=True)  # created just now: nothing of the board's is lost
        raise
    return path
