"""The vacant-land search across provinces: each province searched in its own CRS, one list.

Every province is searched by :func:`~gis_app.search.search.search` on its own plan, so
areas and distances are measured in its own VN-2000 TM-3 zone and the points are those an
investor sees on that province's page. The lists are then merged in the very order one
search uses (nearest first when asked, then score, area and plot codes), with the province's
name as the last tie-break, and cut at the query's limit: the result equals the best
``limit`` of the union of the per-province searches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from ..errors import UsageError
from ..model.crs import to_crs
from ..model.plan import Plan
from .index import SearchIndex
from .query import SearchQuery
from .search import RESULT_COLUMNS, search

#: The column naming the province (the caller's name for it: a key or file) of each site.
SOURCE_COLUMN = "source"
#: Results from provinces kept in different VN-2000 zones are given in WGS 84.
WGS84 = "EPSG:4326"


@dataclass(frozen=True)
class ProvinceSearch:
    """One province to search: how results name it, its plan, its ``roads_rail`` context
    layer (None: road and rail distances unknown) and, optionally, its prebuilt index."""

    name: str
    plan: Plan
    roads_rail: gpd.GeoDataFrame | None = None
    index: SearchIndex | None = None


def _order(frame: pd.DataFrame, query: SearchQuery) -> np.ndarray:
    """Positions of ``frame``'s rows in the order :func:`search` ranks sites, the province's
    name breaking the ties a single search cannot have."""
    keys = []
    if query.nearest_to is not None:
        keys.append(frame[f"dest_{query.nearest_to}_km"].astype("float64").to_numpy())
    keys += [-frame["score"].astype("float64").to_numpy(),
             -frame["area_ha"].astype("float64").to_numpy(),
             frame["plot_codes"].astype(str).to_numpy(),
             frame[SOURCE_COLUMN].astype(str).to_numpy()]
    rows = list(zip(*keys, strict=True))
    return np.array(sorted(range(len(rows)), key=rows.__getitem__), dtype=np.int64)


def search_provinces(provinces: Sequence[ProvinceSearch], query: SearchQuery
                     ) -> gpd.GeoDataFrame:
    """The best ``query.limit`` vacant sites of all ``provinces``, best first.

    Columns: :data:`~gis_app.search.search.RESULT_COLUMNS` (``province`` and
    ``legacy_province`` name each site's province as its park records them), then
    ``source`` (the :class:`ProvinceSearch` name) and the geometry: in the provinces' CRS
    when they share one, else in WGS 84 (by the official EPSG:6960 transformation).
    ``site_id`` is unique within a province; ``(source, site_id)`` across provinces.
    """
    if not provinces:
        raise UsageError("search_provinces: no province given")
    names = [p.name for p in provinces]
    if len(set(names)) != len(names):
        raise UsageError(f"search_provinces: province names repeat ({', '.join(names)})")
    found = []
    for province in provinces:
        result = search(province.plan, query, province.roads_rail, index=province.index)
        found.append(result.assign(**{SOURCE_COLUMN: pd.array(
            [province.name] * len(result), dtype="string")}))
    crs = {CRS.from_user_input(r.crs) for r in found if r.crs is not None}
    target = next(iter(crs)) if len(crs) == 1 else CRS.from_user_input(WGS84)
    shown = [r if r.crs is not None and CRS.from_user_input(r.crs) == target
             else to_crs(r, target.to_wkt(), what=f"results of {r[SOURCE_COLUMN].iloc[0]}")
             for r in found if len(r)]
    if not shown:
        return gpd.GeoDataFrame(found[0].iloc[:0]).set_crs(target, allow_override=True)
    merged = pd.concat([pd.DataFrame(r) for r in shown], ignore_index=True)
    best = _order(merged, query)[:query.limit]
    out = merged.iloc[best].reset_index(drop=True)
    geometry = shown[0].geometry.name
    columns = [*RESULT_COLUMNS, SOURCE_COLUMN, geometry]
    return gpd.GeoDataFrame(out[columns], geometry=geometry, crs=target)
