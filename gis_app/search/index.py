"""What a search needs that no query changes, computed once per loaded plan.

Every query looks at the same vacant plots, their distances to roads, rail and destinations,
and the same adjacency between them; only the filters and the ranking differ. A
:class:`SearchIndex` holds those once, so a query filters and ranks arrays. Nationally
(70,000 vacant plots) building it costs about 0.65 s of CPU, four fifths of it in GEOS (the
intersection of every pair of touching plots, which decides adjacency, then the distances
to the destinations), run on two threads; once per loaded plan (the viewer caches it). A
query then takes a few milliseconds (50 rows nearest a destination, or by score) to a few
tens of milliseconds (grouping plots in every park).

Distances to roads and rail are measured through an STRtree of the lines. The destinations
are fixed points, so their spatial index is simply the sites sorted by distance to each:
a nearest-first query walks that order outwards and stops after ``limit`` fitting sites (the
k-nearest-neighbour plan a GiST index gives PostGIS), and a distance limit to a destination
is a prefix of it. Each destination's order is sorted on the first query nearest it.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd

from ..model.crs import require_projected
from ..model.plan import Plan
from .groups import RankedGraph, adjacent_pairs, neighbour_lists, ranked_graph
from .measures import distance_columns, wastewater_headroom
from .settings import DESTINATION_KEYS

#: Park attributes a site carries (renamed as in the results).
_PARK_COLUMNS = {"park_code": "park_code", "name_vi": "park_name_vi", "name_en": "park_name_en",
                 "province": "province", "legacy_province": "legacy_province"}

#: Site attributes a result row shows as they are (a group's are aggregated).
_ATTRIBUTES = ("park_code", "park_name_vi", "park_name_en", "province", "legacy_province",
               "land_use", "ready_built_factory")

#: Threads of an index build: GEOS runs on two cores where there are two.
_WORKERS = min(2, os.cpu_count() or 1)

_DISTANCES = ("road_km", "rail_km", *(f"dest_{k}_km" for k in DESTINATION_KEYS))


@dataclass(frozen=True, eq=False)
class SearchIndex:
    """The query-independent part of a search of one plan (read-only; build with
    :func:`build_index`).

    Row ``i`` of every array is row ``i`` of :attr:`sites`: the vacant plots, in the plan's
    order, with their park's attributes and distance columns joined.
    """

    plan: Plan  #: the plan it was built from (a search checks it is given the same one)
    roads_rail: gpd.GeoDataFrame | None  #: the roads layer the distances were measured to
    sites: gpd.GeoDataFrame  #: vacant plots + park columns + ``road_km`` ... ``dest_*_km``
    parks: pd.DataFrame  #: one row per park id: code, provinces, ``headroom_m3_day``
    park_id: np.ndarray  #: position of each site's park in :attr:`parks`
    land_use: pd.Categorical  #: each site's land use (codes compare fast)
    factory: np.ndarray  #: ready-built factory (unknown counts as no, as the filter does)
    area: np.ndarray  #: ``area_ha`` as float
    numbers: dict[str, np.ndarray]  #: the numeric columns the score reads (NaN: unknown)
    plot_code: np.ndarray  #: plot codes as Python strings (they break ties in the ranking)
    by_area: np.ndarray  #: positions sorted by area, largest first, ties by position
    #: Edge adjacency between sites of the same park, numbered by area rank (as groups grow).
    graph: RankedGraph
    #: Per destination key: positions sorted by distance to it (ties by position), the
    #: spatial index of a fixed point; a nearest-first query walks it outwards. Sorted on
    #: the first query nearest that destination and kept (:meth:`nearest`).
    _nearest: dict[str, tuple[np.ndarray, np.ndarray]]
    #: The park, land use and factory of each site in the dtypes of the search results
    #: (``string``, ``boolean``), so a search takes its shown rows without converting.
    attributes: dict[str, pd.api.extensions.ExtensionArray]

    @cached_property
    def neighbours(self) -> list[tuple[int, ...]]:
        """Edge neighbours in the same park (positions) of each site, worked out on first
        use: searches walk :attr:`graph` instead."""
        graph = self.graph
        half = len(graph.ends) // 2  # the edges one way (``ends`` lists them both ways)
        pairs = pd.DataFrame({"left": graph.by_area[graph.ends[:half]],
                              "right": graph.by_area[graph.others[:half]]})
        return neighbour_lists(pairs, len(self))

    def nearest(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Positions sorted by distance to destination ``key`` (ties by position) and the
        distances (km) in that order, ascending: worked out on first use, then kept (two
        threads asking at once sort twice and keep equal arrays)."""
        found = self._nearest.get(key)
        if found is None:
            km = self.numbers[f"dest_{key}_km"]
            order = np.argsort(km, kind="stable")
            found = self._nearest[key] = (order, km[order])
        return found

    def __len__(self) -> int:
        return len(self.sites)

    def matches(self, plan: Plan, roads_rail: gpd.GeoDataFrame | None) -> bool:
        """Whether this index was built from exactly these objects (not equal copies)."""
        return self.plan is plan and self.roads_rail is roads_rail


def build_index(plan: Plan, roads_rail: gpd.GeoDataFrame | None = None) -> SearchIndex:
    """Measure once what every search of ``plan`` needs.

    Parameters
    ----------
    plan
        The province plan (VN-2000, validated). Treated as read-only afterwards: an index
        describes the plan as it was when built.
    roads_rail
        The ``roads_rail`` context layer, or ``None`` (road and rail distances unknown).

    Returns
    -------
    SearchIndex
        Pass it to :func:`gis_app.search.search` with the same plan and roads layer.
    """
    require_projected(plan.plots, what="layer 'plots'")
    plots = plan.plots
    parks = plan.parks[list(_PARK_COLUMNS)].rename(columns=_PARK_COLUMNS)
    parks = parks.join(wastewater_headroom(plan), on="park_code")
    vacant = (plots["status"] == "vacant").fillna(False).to_numpy(dtype=bool)
    # The same inner merge as eligible_plots: pandas keeps the left (plan) order, so a query's
    # eligible plots are exactly the rows of this frame its filters keep, in the same order.
    sites = plots[vacant].merge(parks, on="park_code", how="inner")
    sites = gpd.GeoDataFrame(sites, geometry=plots.geometry.name, crs=plots.crs)
    sites = sites.reset_index(drop=True)
    # GEOS does nearly all the work (adjacency, then distances) and shapely releases the GIL
    # while it runs, so a second core measures distances and half the shared edges meanwhile.
    # Each thread reads a frame of its own (they share the read-only columns).
    shapes = sites[["park_code", sites.geometry.name]]
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        distances = pool.submit(distance_columns, sites, roads_rail)
        # Adjacency is a property of each pair, so the graph of all vacant plots restricted
        # to a query's pool is the pool's own graph.
        pairs = adjacent_pairs(shapes, pool=pool)
        sites = pd.concat([sites, distances.result()], axis=1)
    park_table = parks.drop_duplicates("park_code").reset_index(drop=True)
    park_id = pd.Index(park_table["park_code"]).get_indexer(sites["park_code"])
    area = sites["area_ha"].to_numpy(dtype=float)
    numbers = {name: sites[name].astype("float64").to_numpy(na_value=np.nan)
               for name in ("headroom_m3_day", "ready_built_factory", *_DISTANCES)}
    graph = ranked_graph(area, pairs)
    return SearchIndex(
        plan=plan,
        roads_rail=roads_rail,
        sites=sites,
        parks=park_table,
        park_id=park_id,
        land_use=pd.Categorical(sites["land_use"]),
        factory=sites["ready_built_factory"].fillna(False).to_numpy(dtype=bool),
        area=area,
        numbers=numbers,
        plot_code=sites["plot_code"].to_numpy(dtype=object),
        by_area=graph.by_area,
        graph=graph,
        _nearest={},
        attributes={name: sites[name].astype("boolean" if name == "ready_built_factory"
                                             else "string").array for name in _ATTRIBUTES},
    )
