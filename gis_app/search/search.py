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

from ..errors import LayerError
from ..layers.crs import require_projected
from ..layers.plan import Plan
from ..settings import LEASABLE_LAND_USES
from .groups import grow_groups
from .measures import distance_columns, wastewater_headroom
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


def _single_sites(plots: gpd.GeoDataFrame, query: SearchQuery) -> gpd.GeoDataFrame:
    fits = plots["area_ha"] >= query.min_area_ha - _EPS_HA
    if query.max_area_ha is not None:
        fits &= plots["area_ha"] <= query.max_area_ha + _EPS_HA
    sites = plots[fits].copy()
    sites["kind"] = "plot"
    sites["plot_codes"] = sites["plot_code"]
    sites["n_plots"] = 1
    return sites


def _group_sites(plots: gpd.GeoDataFrame, query: SearchQuery,
                 roads_rail: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Groups in the parks where no single eligible plot reaches the minimum area.

    Each group carries its distance columns (the distance to a union of plots is the least
    distance to one of them) and its member plots in ``_members``; the union itself is drawn
    by :func:`_union_groups` for the groups shown only, not for every group in the country.
    """
    big_enough = plots["area_ha"] >= query.min_area_ha - _EPS_HA
    parks_with_single = set(plots.loc[big_enough, "park_code"])
    pool = plots[~plots["park_code"].isin(parks_with_single)].reset_index(drop=True)
    groups = grow_groups(pool, query.min_area_ha, query.max_area_ha)
    if not groups:
        empty = pool.iloc[0:0].assign(kind=pd.Series(dtype="string"), plot_codes="", n_plots=0)
        return pd.concat([empty, distance_columns(empty, roads_rail)], axis=1)
    member = np.concatenate(groups)
    label = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    rows = pool.iloc[member].assign(group=label)
    by = rows.groupby("group", sort=True)
    first = by.first()
    # Built-in aggregations: a Python function per group costs seconds over every park.
    land_use = first["land_use"].where(by["land_use"].nunique().eq(1), "mixed")
    codes = rows.sort_values(["group", "plot_code"]).groupby("group", sort=True)["plot_code"]
    distances = distance_columns(rows, roads_rail).groupby(label, sort=True).min()
    # Rows are in group order: split the member geometries at the group boundaries.
    members = pd.Series(np.split(np.asarray(rows.geometry.values, dtype=object),
                                 np.cumsum([len(g) for g in groups])[:-1]), dtype=object)
    sites = gpd.GeoDataFrame(
        {
            "park_code": first["park_code"],
            "park_name_vi": first["park_name_vi"],
            "park_name_en": first["park_name_en"],
            "province": first["province"],
            "legacy_province": first["legacy_province"],
            "headroom_m3_day": first["headroom_m3_day"],
            "land_use": land_use,
            "ready_built_factory": by["ready_built_factory"].all(),
            "area_ha": by["area_ha"].sum(),
            "plot_codes": codes.agg(",".join),
            "n_plots": by.size(),
            "kind": "group",
            "_members": members.set_axis(first.index),
        },
        geometry=gpd.GeoSeries([None] * len(first), index=first.index, crs=plots.crs),
        crs=plots.crs,
    )
    return pd.concat([sites, distances.set_axis(first.index)], axis=1)


def _union_groups(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The geometry of each group site: the union of its plots (as ``dissolve`` draws it)."""
    if "_members" not in sites.columns:
        return sites
    grouped = sites["_members"].notna().to_numpy()
    if grouped.any():
        geoms = sites.geometry.values.copy()
        geoms[grouped] = [shapely.union_all(m) for m in sites.loc[grouped, "_members"]]
        sites = sites.set_geometry(geoms)
    return sites.drop(columns="_members")


def search(
    plan: Plan, query: SearchQuery, roads_rail: gpd.GeoDataFrame | None = None
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
        :func:`gis_app.layers.crs.to_crs` can pin; ``None`` leaves road and rail distances
        unknown (and refuses road/rail limits).

    Returns
    -------
    GeoDataFrame
        :data:`RESULT_COLUMNS` and geometry; at most ``query.limit`` rows.
    """
    require_projected(plan.plots, what="layer 'plots'")
    if roads_rail is None and (query.max_road_km is not None or query.max_rail_km is not None):
        raise LayerError(
            "the province file has no 'roads_rail' layer, so distances to roads and rail "
            "cannot be measured; remove those limits from the search"
        )
    plots = eligible_plots(plan, query)
    single = _single_sites(plots, query)
    sites = [pd.concat([single, distance_columns(single, roads_rail)], axis=1)]
    if query.allow_groups and query.min_area_ha > 0:
        sites.append(_group_sites(plots, query, roads_rail))
    sites = gpd.GeoDataFrame(pd.concat(sites, ignore_index=True),
                             geometry=plots.geometry.name, crs=plan.plots.crs)
    keep = pd.Series(True, index=sites.index)
    if query.max_road_km is not None:
        keep &= sites["road_km"] <= query.max_road_km
    if query.max_rail_km is not None:
        keep &= sites["rail_km"] <= query.max_rail_km
    for key, km in query.max_km_to:
        keep &= sites[f"dest_{key}_km"] <= km
    sites = sites[keep.to_numpy()]
    points = score(sites, query)
    sites = pd.concat([sites, points], axis=1)
    sites = sites.sort_values(["score", "area_ha", "plot_codes"], ascending=[False, False, True])
    # Sentences only for the sites shown: writing one per candidate cost seconds nationally.
    sites = _union_groups(sites.head(query.limit).reset_index(drop=True))
    shown = sites[list(POINT_COLUMNS)]
    sites["why_vi"] = why(sites, shown, "vi")
    sites["why_en"] = why(sites, shown, "en")
    sites["site_id"] = (sites["park_code"] + ":" + sites["plot_codes"]).astype("string")
    sites["kind"] = sites["kind"].astype("string")
    sites["n_plots"] = sites["n_plots"].astype("int64")
    return gpd.GeoDataFrame(sites[list(RESULT_COLUMNS) + [sites.geometry.name]],
                            geometry=sites.geometry.name, crs=plan.plots.crs)
