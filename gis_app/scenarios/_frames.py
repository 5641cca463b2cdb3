"""Small frame helpers shared by the edits: lookups, typed rebuilds, zone carving, park areas.

Every helper returns new frames; inputs are never modified.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..layers.plan import Plan, coerce
from ..layers.schema import SCHEMAS
from ..settings import AREA_TOLERANCE_M2, LEASABLE_LAND_USES
from .model import Edit


def rebuild(plan: Plan, **frames: pd.DataFrame) -> Plan:
    """``plan`` with some layers replaced, each coerced to its schema's columns and dtypes."""
    typed = {}
    for name, frame in frames.items():
        if isinstance(plan.layers()[name], gpd.GeoDataFrame) and not isinstance(
            frame, gpd.GeoDataFrame
        ):
            frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=plan.crs)
        typed[name] = coerce(frame, SCHEMAS[name])
    return plan.replace(**typed)


def concat(frames: Iterable[pd.DataFrame], like: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``frames`` appended to an empty copy of ``like`` (keeps the geometry and CRS)."""
    parts = [like.iloc[:0]] + [f for f in frames if len(f)]
    out = pd.concat(parts, ignore_index=True)
    if isinstance(like, gpd.GeoDataFrame):
        out = gpd.GeoDataFrame(out, geometry=like.geometry.name, crs=like.crs)
    return out


def require_codes(edit: Edit, frame: pd.DataFrame, key: str, codes: Iterable[str],
                  layer: str) -> pd.DataFrame:
    """The rows of ``frame`` whose ``key`` is in ``codes``, in the order given; all must exist."""
    codes = list(codes)
    if not codes:
        raise edit.fail(f"no {key} given")
    if len(set(codes)) != len(codes):
        raise edit.fail(f"{key} listed twice: {', '.join(sorted(codes))}")
    # Select the few rows first: indexing every row of a national plots layer costs ~50 ms
    # per edit, and a scenario has hundreds of edits.
    keys = frame[key].astype(str)
    hits = frame.loc[keys.isin(codes).to_numpy(dtype=bool)]
    found = set(hits[key].astype(str))
    missing = [c for c in codes if c not in found]
    if missing:
        raise edit.fail(f"no {layer} {', '.join(missing)} in the plan",
                        [(layer, c) for c in missing])
    return hits.set_index(hits[key].astype(str), drop=False).loc[codes]


def require_new(edit: Edit, frame: pd.DataFrame, key: str, codes: Iterable[str],
                layer: str) -> None:
    codes = list(codes)
    keys = frame[key].astype(str)
    taken = sorted(set(keys[keys.isin(codes).to_numpy(dtype=bool)]))
    if taken:
        raise edit.fail(f"{layer} {', '.join(taken)} already exist(s)",
                        [(layer, c) for c in taken])


def require_polygon(edit: Edit, geom: object, what: str) -> shapely.Geometry:
    if not isinstance(geom, shapely.Polygon | shapely.MultiPolygon) or geom.is_empty:
        raise edit.fail(f"{what} must be a non-empty polygon, got {type(geom).__name__}")
    if not geom.is_valid:
        raise edit.fail(f"{what} is not a valid polygon ({shapely.is_valid_reason(geom)})")
    return geom


def park_row(edit: Edit, plan: Plan, park_code: str) -> pd.Series:
    hit = plan.parks.loc[plan.parks["park_code"] == park_code]
    if hit.empty:
        raise edit.fail(f"no park {park_code} in the plan", [("parks", park_code)])
    return hit.iloc[0]


def is_leasable(land_use: pd.Series | str) -> pd.Series | bool:
    if isinstance(land_use, str):
        return land_use in LEASABLE_LAND_USES
    return land_use.isin(LEASABLE_LAND_USES)


def adjust_parks(parks: gpd.GeoDataFrame, park_code: str | pd.Series,
                 leasable_delta_ha: float | pd.Series = 0.0) -> gpd.GeoDataFrame:
    """Add ``leasable_delta_ha`` (per park) to ``leasable_area_ha``.

    The baseline's own figure is kept and shifted, not recomputed from plots: the board's
    planned leasable land may include land not yet subdivided into plots.
    """
    if isinstance(park_code, str):
        delta = pd.Series({park_code: leasable_delta_ha})
    else:
        delta = pd.Series(np.asarray(leasable_delta_ha), index=park_code.to_numpy()).groupby(
            level=0).sum()
    out = parks.copy()
    add = out["park_code"].map(delta).fillna(0.0).astype("float64")
    touched = add != 0
    out.loc[touched, "leasable_area_ha"] = out.loc[touched, "leasable_area_ha"].fillna(0.0) + \
        add[touched]
    return out


def carve_zones(zones: gpd.GeoDataFrame, park_code: str, shape: shapely.Geometry
                ) -> gpd.GeoDataFrame:
    """Zones of ``park_code`` with ``shape`` cut out; zones left empty are dropped."""
    out = zones.copy()
    geoms = out.geometry.values.copy()
    # Only zones whose interior meets the shape are cut (others keep their exact vertices).
    mine = (out["park_code"] == park_code).to_numpy() & shapely.relate_pattern(
        geoms, shape, "T********")
    cut = shapely.difference(geoms[mine], shape)
    geoms[mine] = shapely.make_valid(cut)
    out[out.geometry.name] = gpd.GeoSeries(geoms, index=out.index, crs=zones.crs)
    out[out.geometry.name] = polygonal(out.geometry.values)
    return out.loc[shapely.area(out.geometry.values) > AREA_TOLERANCE_M2]


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygonal part of each geometry (clipping can leave lines and points)."""
    geoms = np.asarray(geoms, dtype=object)
    parts, index = shapely.get_parts(geoms, return_index=True)
    keep = shapely.get_type_id(parts) == 3  # Polygon
    out = np.array([shapely.MultiPolygon()] * len(geoms), dtype=object)
    if keep.any():
        idx = index[keep]
        multi = np.full(len(geoms), None, dtype=object)
        present_ids, dense = np.unique(idx, return_inverse=True)  # shapely wants 0..n-1
        multi[present_ids] = shapely.multipolygons(parts[keep], indices=dense)
        counts = np.bincount(idx, minlength=len(geoms))
        present = counts > 0
        # A feature with one polygon stays a Polygon; several become a MultiPolygon.
        single = shapely.get_geometry(multi, 0)
        out[present] = np.where(counts[present] == 1, single[present], multi[present])
    return out


def plot_areas_ha(geoms: np.ndarray) -> np.ndarray:
    return shapely.area(np.asarray(geoms, dtype=object)) / 10_000.0
