"""Small helpers shared by the edits: lookups, zone carving, park areas.

Lookups read a working plan's tables; the changes are made in place, through the tables.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import shapely

from ..settings import AREA_TOLERANCE_M2, LEASABLE_LAND_USES
from ._working import Table, WorkingPlan
from .model import Edit


def require_codes(edit: Edit, table: Table, key: str, codes: Iterable[str],
                  layer: str) -> pd.DataFrame:
    """The rows of ``table`` whose ``key`` is in ``codes``, in the order given; all must exist.

    The rows are indexed by their position in the table (what :meth:`Table.set` takes).
    """
    codes = list(codes)
    if not codes:
        raise edit.fail(f"no {key} given")
    if len(set(codes)) != len(codes):
        raise edit.fail(f"{key} listed twice: {', '.join(sorted(codes))}")
    hits = table.rows(table.find(key, codes))
    found = set(hits[key].astype(str))
    missing = [c for c in codes if c not in found]
    if missing:
        raise edit.fail(f"no {layer} {', '.join(missing)} in the plan",
                        [(layer, c) for c in missing])
    return hits


def require_new(edit: Edit, table: Table, key: str, codes: Iterable[str],
                layer: str) -> None:
    found = table.find(key, codes)
    if not len(found):
        return
    taken = sorted(set(table.rows(found)[key].astype(str)))
    if taken:
        raise edit.fail(f"{layer} {', '.join(taken)} already exist(s)",
                        [(layer, c) for c in taken])


def require_polygon(edit: Edit, geom: object, what: str) -> shapely.Geometry:
    if not isinstance(geom, shapely.Polygon | shapely.MultiPolygon) or geom.is_empty:
        raise edit.fail(f"{what} must be a non-empty polygon, got {type(geom).__name__}")
    if not geom.is_valid:
        raise edit.fail(f"{what} is not a valid polygon ({shapely.is_valid_reason(geom)})")
    return geom


def park_row(edit: Edit, work: WorkingPlan, park_code: str) -> pd.Series:
    hit = work.parks.find("park_code", [park_code])
    if not len(hit):
        raise edit.fail(f"no park {park_code} in the plan", [("parks", park_code)])
    return work.parks.rows(hit[:1]).iloc[0]


def in_park(table: Table, park_code: str) -> pd.DataFrame:
    """The rows of ``table`` (plots, zones) in park ``park_code``, in layer order."""
    return table.rows(table.where("park_code", [park_code]))


def is_leasable(land_use: pd.Series | str) -> pd.Series | bool:
    if isinstance(land_use, str):
        return land_use in LEASABLE_LAND_USES
    return land_use.isin(LEASABLE_LAND_USES)


def adjust_parks(parks: Table, park_code: str | pd.Series,
                 leasable_delta_ha: float | pd.Series = 0.0) -> None:
    """Add ``leasable_delta_ha`` (per park) to ``leasable_area_ha``, in place.

    The baseline's own figure is kept and shifted, not recomputed from plots: the board's
    planned leasable land may include land not yet subdivided into plots.
    """
    if isinstance(park_code, str):
        delta = pd.Series({park_code: leasable_delta_ha})
    else:
        delta = pd.Series(np.asarray(leasable_delta_ha), index=park_code.to_numpy()).groupby(
            level=0).sum()
    rows = parks.where("park_code", delta.index)
    add = parks.column(rows, "park_code").map(delta).fillna(0.0).astype("float64").to_numpy()
    touched = add != 0
    old = parks.column(rows[touched], "leasable_area_ha").fillna(0.0).to_numpy()
    parks.set(rows[touched], "leasable_area_ha", old + add[touched])


def carve_zones(zones: Table, park_code: str, shape: shapely.Geometry) -> None:
    """Cut ``shape`` out of the zones of ``park_code``, in place; zones left empty are dropped.

    Like every carve, this leaves all zones in :func:`polygonal` form and above the area
    tolerance; only zones not yet in that form are converted and only new or changed
    geometries are measured, so that carving one park of a national layer costs little.
    """
    geometry = str(zones.geometry_name)
    mine = zones.where("park_code", [park_code])
    geoms = zones.geometries(mine)
    # Only zones whose interior meets the shape are cut (others keep their exact vertices).
    cut = shapely.relate_pattern(geoms, shape, "T********")
    zones.set(mine[cut], geometry,
              polygonal(shapely.make_valid(shapely.difference(geoms[cut], shape))))
    live = zones.live()
    odd = live[~_in_polygonal_form(zones.geometries(live))]
    zones.set(odd, geometry, polygonal(zones.geometries(odd)))
    zones.drop(live[~(zones.area(live) > AREA_TOLERANCE_M2)])


def _in_polygonal_form(geoms: np.ndarray) -> np.ndarray:
    """Whether :func:`polygonal` would give each geometry back unchanged: a polygon, or a
    multipolygon of two or more parts (one part becomes a polygon)."""
    kind = shapely.get_type_id(geoms)
    return (kind == 3) | ((kind == 6) & (shapely.get_num_geometries(geoms) >= 2))


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
