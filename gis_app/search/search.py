"""Vacant-land search: the sites (single plots or groups of adjacent plots) that fit a query.

Output columns (:data:`RESULT_COLUMNS`): ``site_id``, ``kind`` (``plot``/``group``),
``plot_codes`` (comma separated), ``n_plots``, ``park_code``, ``park_name_vi``,
``park_name_en``, ``province``, ``legacy_province``, ``land_use`` (plots of a group may mix
uses: then ``mixed``), ``ready_built_factory``, ``area_ha``, ``headroom_m3_day``, ``road_km``,
``rail_km``, ``dest_<key>_km`` per destination, the ``pts_*`` columns, ``score``, ``why_vi``,
``why_en`` and the geometry (the union of a group's plots) in the plan's VN-2000 CRS.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import LayerError, UsageError
from ..model.crs import require_projected
from ..model.plan import Plan
from ..settings import LEASABLE_LAND_USES
from .groups import grow_in_graph
from .index import SearchIndex, build_index
from .measures import wastewater_headroom
from .query import SearchQuery
from .rank import POINT_COLUMNS, score, why
from .settings import DESTINATION_KEYS

RESULT_COLUMNS: tuple[str, ...] = (
    "site_id", "kind", "plot_codes", "n_plots", "park_code", "park_name_vi", "park_name_en",
    "province", "legacy_province", "land_use", "ready_built_factory", "area_ha",
    "headroom_m3_day", "road_km", "rail_km", *(f"dest_{k}_km" for k in DESTINATION_KEYS),
    *POINT_COLUMNS, "score", "why_vi", "why_en",
)
_EPS_HA = 1e-9
_DISTANCES: tuple[str, ...] = ("road_km", "rail_km", *(f"dest_{k}_km" for k in DESTINATION_KEYS))
_TEXT = ("kind", "plot_codes", "park_code", "park_name_vi", "park_name_en", "province",
         "legacy_province", "land_use")


def eligible_plots(plan: Plan, query: SearchQuery) -> gpd.GeoDataFrame:
    """Vacant plots passing the per-plot and per-park filters, with park attributes joined."""
    plots = plan.plots
    uses = query.land_uses or LEASABLE_LAND_USES
    keep = (plots["status"] == "vacant") & plots["land_use"].isin(uses)
    if query.ready_built_factory:
        keep &= plots["ready_built_factory"].fillna(False)
    if query.park_codes:
        keep &= plots["park_code"].isin(query.park_codes)
    parks = plan.parks[["park_code", "name_vi", "name_en", "province", "legacy_province"]].rename(
        columns={"name_vi": "park_name_vi", "name_en": "park_name_en"}
    )
    parks = parks.join(wastewater_headroom(plan), on="park_code")
    out = plots[keep.fillna(False).to_numpy()].merge(parks, on="park_code", how="inner")
    if query.province:
        out = out[(out["province"] == query.province) | (out["legacy_province"] == query.province)]
    if query.min_headroom_m3_day is not None:
        out = out[out["headroom_m3_day"] >= query.min_headroom_m3_day]
    return gpd.GeoDataFrame(out, geometry=plots.geometry.name, crs=plots.crs).reset_index(drop=True)


def _eligible(index: SearchIndex, query: SearchQuery) -> np.ndarray:
    """Which index rows :func:`eligible_plots` would return (same filters, on arrays)."""
    keep = index.land_use.isin(list(query.land_uses or LEASABLE_LAND_USES))
    if query.ready_built_factory:
        keep &= index.factory
    parks = index.parks
    park_ok = np.ones(len(parks), dtype=bool)
    if query.park_codes:
        park_ok &= parks["park_code"].isin(query.park_codes).to_numpy(dtype=bool)
    if query.province:
        # Unknown provinces never match, as boolean indexing treats NA as False.
        park_ok &= ((parks["province"] == query.province).fillna(False)
                    | (parks["legacy_province"] == query.province).fillna(False)).to_numpy(bool)
    if query.min_headroom_m3_day is not None:
        park_ok &= (parks["headroom_m3_day"] >= query.min_headroom_m3_day).to_numpy(dtype=bool)
    return keep & park_ok[index.park_id]


def _single_candidates(index: SearchIndex, eligible: np.ndarray,
                       query: SearchQuery) -> pd.DataFrame:
    """What the score needs of each eligible plot within the area limits (``row``: index row)."""
    fits = eligible & (index.area >= query.min_area_ha - _EPS_HA)
    if query.max_area_ha is not None:
        fits &= index.area <= query.max_area_ha + _EPS_HA
    rows = np.flatnonzero(fits)
    columns = {name: values[rows] for name, values in index.numbers.items()}
    return pd.DataFrame({"row": rows, "group": -1, "n_plots": 1, "area_ha": index.area[rows],
                         **columns})


def _grow(index: SearchIndex, eligible: np.ndarray, query: SearchQuery) -> list[np.ndarray]:
    """Groups in the parks where no single eligible plot reaches the minimum area."""
    big_enough = eligible & (index.area >= query.min_area_ha - _EPS_HA)
    has_single = np.zeros(len(index.parks), dtype=bool)
    has_single[index.park_id[big_enough]] = True
    pool = eligible & ~has_single[index.park_id]
    seeds = index.by_area[pool[index.by_area]]
    return grow_in_graph(seeds, index.area, index.neighbours, query.min_area_ha,
                         query.max_area_ha, in_pool=pool)


def _group_candidates(index: SearchIndex, groups: list[np.ndarray]) -> pd.DataFrame:
    """What the score needs of each group: a union's distance is its nearest plot's."""
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    member = np.concatenate(groups) if groups else np.empty(0, dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    label = np.repeat(np.arange(len(groups)), sizes)
    columns: dict[str, object] = {"row": -1, "group": np.arange(len(groups)), "n_plots": sizes}
    # pandas sums groups with compensated (Kahan) summation; use it for the same hectares.
    columns["area_ha"] = pd.Series(index.area[member]).groupby(label, sort=True).sum().to_numpy()
    columns["headroom_m3_day"] = index.numbers["headroom_m3_day"][member[starts]]
    ready = index.numbers["ready_built_factory"][member]
    # A group has a factory unless one of its plots is known to have none (unknown skipped).
    none_known = np.logical_or.reduceat(ready == 0.0, starts) if len(groups) else ready == 0.0
    columns["ready_built_factory"] = (~none_known).astype("float64")
    for name in _DISTANCES:
        values = index.numbers[name][member]
        # fmin skips NaN as pandas' min does: unknown only when every plot's is unknown.
        columns[name] = np.fmin.reduceat(values, starts) if len(groups) else values
    return pd.DataFrame(columns)


def _plot_codes(index: SearchIndex, candidates: pd.DataFrame,
                groups: list[np.ndarray]) -> list[str]:
    """``plot_codes`` as the results write them: a group's codes sorted, comma separated."""
    codes = index.plot_code
    return [codes[row] if group < 0 else ",".join(sorted(codes[groups[group]]))
            for row, group in zip(candidates["row"], candidates["group"], strict=True)]


def _best(candidates: pd.DataFrame, points: pd.DataFrame, limit: int, index: SearchIndex,
          groups: list[np.ndarray]) -> tuple[np.ndarray, list[str]]:
    """Positions of the ``limit`` best candidates, best first, and their plot codes.

    The order is a stable sort by score, area and plot codes over all candidates; only those
    scoring at least the ``limit``-th best score can be among the best, so only they are
    sorted (and their codes written), in their original relative order.
    """
    total = points["score"].to_numpy()
    if len(total) > limit:
        cut = np.partition(total, len(total) - limit)[len(total) - limit]
        contenders = np.flatnonzero(total >= cut)
    else:
        contenders = np.arange(len(total))
    codes = _plot_codes(index, candidates.iloc[contenders], groups)
    ranking = pd.DataFrame({"score": total[contenders],
                            "area_ha": candidates["area_ha"].to_numpy()[contenders],
                            "plot_codes": pd.Series(codes, dtype=object)})
    ranking = ranking.sort_values(["score", "area_ha", "plot_codes"],
                                  ascending=[False, False, True]).head(limit)
    order = ranking.index.to_numpy()
    return contenders[order], [codes[i] for i in order]


def _group_sites(index: SearchIndex, groups: list[np.ndarray]) -> gpd.GeoDataFrame:
    """Park, land use and factory of each group, as the aggregation over its plots gives."""
    member = np.concatenate(groups)
    label = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    rows = index.sites.iloc[member].assign(group=label)
    by = rows.groupby("group", sort=True)
    first = by.first()
    # Built-in aggregations: a Python function per group costs seconds over every park.
    land_use = first["land_use"].where(by["land_use"].nunique().eq(1), "mixed")
    members = np.split(np.asarray(rows.geometry.values, dtype=object),
                       np.cumsum([len(g) for g in groups])[:-1])
    geometry = [shapely.union_all(m) for m in members]
    frame = first[["park_code", "park_name_vi", "park_name_en", "province",
                   "legacy_province"]].assign(
        land_use=land_use, ready_built_factory=by["ready_built_factory"].all())
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=geometry,
                            crs=index.sites.crs)


def _shown_sites(index: SearchIndex, chosen: pd.DataFrame, codes: list[str],
                 groups: list[np.ndarray]) -> gpd.GeoDataFrame:
    """The result rows of the chosen candidates, in their order (all columns but points)."""
    sites = index.sites
    geometry_name = sites.geometry.name
    keep = ["park_code", "park_name_vi", "park_name_en", "province", "legacy_province",
            "land_use", "ready_built_factory"]
    single = chosen["group"].to_numpy() < 0
    rows = chosen["row"].to_numpy()[single]
    singles = pd.DataFrame(sites[keep].iloc[rows]).reset_index(drop=True).assign(
        **{geometry_name: sites.geometry.values[rows]})
    picked = [groups[g] for g in chosen["group"].to_numpy()[~single]]
    frames = [singles]
    if picked:
        grouped = _group_sites(index, picked)
        frames.append(pd.DataFrame(grouped.drop(columns=grouped.geometry.name)).assign(
            **{geometry_name: grouped.geometry.values}))
    shown = pd.concat(frames, ignore_index=True)
    # Rows so far: the chosen singles, then the chosen groups; put them back in rank order.
    rank = np.concatenate([np.flatnonzero(single), np.flatnonzero(~single)])
    shown = shown.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)
    shown["kind"] = np.where(single, "plot", "group")
    shown["plot_codes"] = codes
    for name in ("n_plots", "area_ha", "headroom_m3_day", *_DISTANCES):
        shown[name] = chosen[name].to_numpy()
    shown = shown.astype({name: "string" for name in _TEXT} | {
        "ready_built_factory": "boolean", "n_plots": "int64"})
    return gpd.GeoDataFrame(shown, geometry=geometry_name, crs=sites.crs)


def distance_ok(values: dict[str, np.ndarray] | pd.DataFrame, query: SearchQuery) -> np.ndarray:
    """Which rows meet the query's road, rail and destination limits (unknown distances fail).

    ``values`` holds the distance columns (a frame or the index's arrays) of one kind of row:
    a site's distance is its nearest plot's.
    """
    n = len(next(iter(values.values()))) if isinstance(values, dict) else len(values)
    keep = np.ones(n, dtype=bool)
    if query.max_road_km is not None:
        keep &= np.asarray(values["road_km"]) <= query.max_road_km
    if query.max_rail_km is not None:
        keep &= np.asarray(values["rail_km"]) <= query.max_rail_km
    for key, km in query.max_km_to:
        keep &= np.asarray(values[f"dest_{key}_km"]) <= km
    return keep


def fitting_candidates(index: SearchIndex,
                       query: SearchQuery) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """Every site meeting ``query`` (not only the ``limit`` shown), unranked, and the groups.

    Rows: ``row`` (index row of a single plot, else -1), ``group`` (position in the returned
    groups, else -1), ``n_plots``, ``area_ha`` and the numbers the score reads. The search
    ranks these; :func:`gis_app.search.explain.explain` counts them.
    """
    eligible = _eligible(index, query)
    candidates = [_single_candidates(index, eligible, query)]
    groups: list[np.ndarray] = []
    if query.allow_groups and query.min_area_ha > 0:
        groups = _grow(index, eligible, query)
        candidates.append(_group_candidates(index, groups))
    frame = pd.concat(candidates, ignore_index=True)
    return frame[distance_ok(frame, query)].reset_index(drop=True), groups


def search(
    plan: Plan,
    query: SearchQuery,
    roads_rail: gpd.GeoDataFrame | None = None,
    *,
    index: SearchIndex | None = None,
) -> gpd.GeoDataFrame:
    """Rank the vacant sites of ``plan`` that satisfy ``query``, best first.

    Parameters
    ----------
    plan
        The province plan (VN-2000, validated).
    query
        The investor's conditions.
    roads_rail
        The ``roads_rail`` context layer (``kind`` = road/railway), any CRS with a datum
        :func:`gis_app.model.crs.to_crs` can pin; ``None`` leaves road and rail distances
        unknown (and refuses road/rail limits).
    index
        :func:`~gis_app.search.index.build_index` of this very ``plan`` and ``roads_rail``,
        to share across queries (a caller that searches once may leave it out: one is built).

    Returns
    -------
    GeoDataFrame
        :data:`RESULT_COLUMNS` and geometry; at most ``query.limit`` rows.

    Raises
    ------
    ValueError
        ``index`` was built from another plan or roads layer.
    """
    require_projected(plan.plots, what="layer 'plots'")
    if roads_rail is None and (query.max_road_km is not None or query.max_rail_km is not None):
        raise LayerError(
            "the province file has no 'roads_rail' layer, so distances to roads and rail "
            "cannot be measured; remove those limits from the search"
        )
    if index is None:
        index = build_index(plan, roads_rail)
    elif not index.matches(plan, roads_rail):
        raise UsageError("search index: built from another plan or roads layer than given")
    candidates, groups = fitting_candidates(index, query)
    points = score(candidates, query)
    chosen, codes = _best(candidates, points, query.limit, index, groups)
    # Text and geometry only for the sites shown: nationally there are 50,000 candidates.
    sites = _shown_sites(index, candidates.iloc[chosen], codes, groups)
    shown = points.iloc[chosen].reset_index(drop=True)
    sites = pd.concat([sites, shown], axis=1)
    sites["why_vi"] = why(sites, shown, "vi")
    sites["why_en"] = why(sites, shown, "en")
    sites["site_id"] = (sites["park_code"] + ":" + sites["plot_codes"]).astype("string")
    return gpd.GeoDataFrame(sites[list(RESULT_COLUMNS) + [sites.geometry.name]],
                            geometry=sites.geometry.name, crs=plan.plots.crs)
