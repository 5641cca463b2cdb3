"""What an investor measures about a site: distances to roads, rail and destinations, spare
wastewater capacity. All distances are straight lines in the province's VN-2000 zone.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import LayerError
from ..model.crs import require_projected, to_crs
from ..model.plan import Plan
from .settings import DESTINATIONS, RAIL_KIND, ROAD_KIND


def destination_points(crs: object) -> gpd.GeoSeries:
    """The configured destinations as points in ``crs``, indexed by destination key."""
    return _destination_points(str(crs)).copy()


@lru_cache(maxsize=64)
def _destination_points(crs: str) -> gpd.GeoSeries:
    """:func:`destination_points`, kept per CRS: setting up the transformation costs more
    than a search (an index build asks once, every province search once)."""
    wgs84 = gpd.GeoDataFrame(
        {"key": [d.key for d in DESTINATIONS]},
        geometry=gpd.points_from_xy([d.lon for d in DESTINATIONS], [d.lat for d in DESTINATIONS]),
        crs="EPSG:4326",
    )
    projected = to_crs(wgs84, crs, what="search destinations")
    return projected.set_index("key").geometry


def _lines_of_kind(roads_rail: gpd.GeoDataFrame | None, kind: str, crs: object) -> np.ndarray:
    if roads_rail is None or roads_rail.empty:
        return np.empty(0, dtype=object)
    if "kind" not in roads_rail.columns:
        raise LayerError("layer 'roads_rail': no column 'kind' (expected values road/railway)")
    chosen = roads_rail[roads_rail["kind"].astype("string") == kind]
    chosen = to_crs(chosen, str(crs), what="layer 'roads_rail'")
    return chosen.geometry.values[~chosen.geometry.is_empty.to_numpy()]


def nearest_km(geoms: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Distance (km) from each geometry to the nearest target; NaN when there is no target.

    >>> import shapely
    >>> sq = shapely.box(0, 0, 10, 10)
    >>> nearest_km(np.array([sq]), np.array([shapely.LineString([(0, 1010), (10, 1010)])]))
    array([1.])
    """
    out = np.full(len(geoms), np.nan)
    if len(targets) == 0 or len(geoms) == 0:
        return out
    tree = shapely.STRtree(targets)
    (src, _), dist = tree.query_nearest(geoms, return_distance=True, all_matches=False)
    out[src] = dist / 1000.0
    return out


def distance_columns(
    sites: gpd.GeoDataFrame, roads_rail: gpd.GeoDataFrame | None
) -> pd.DataFrame:
    """``road_km``, ``rail_km`` and ``dest_<key>_km`` for every site (same index as ``sites``)."""
    require_projected(sites, what="search sites")
    geoms = sites.geometry.values
    columns = {
        "road_km": nearest_km(geoms, _lines_of_kind(roads_rail, ROAD_KIND, sites.crs)),
        "rail_km": nearest_km(geoms, _lines_of_kind(roads_rail, RAIL_KIND, sites.crs)),
    }
    for key, point in destination_points(sites.crs).items():
        columns[f"dest_{key}_km"] = shapely.distance(geoms, point) / 1000.0
    return pd.DataFrame(columns, index=sites.index)


def wastewater_headroom(plan: Plan) -> pd.Series:
    """Spare capacity (m³/day) of each park's operating plants: design capacity minus load.

    Parks without an operating plant get 0; a plant with no reported load counts as full
    (headroom 0) because a board cannot promise capacity it has not measured.
    """
    plants = plan.wastewater_plants
    operating = plants[plants["status"] == "operating"]
    spare = (operating["design_capacity_m3_day"] - operating["current_load_m3_day"]).fillna(0.0)
    by_park = spare.clip(lower=0.0).groupby(operating["park_code"]).sum()
    parks = pd.Index(plan.parks["park_code"], name="park_code")
    return by_park.reindex(parks, fill_value=0.0).astype("float64").rename("headroom_m3_day")
