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
from geopandas.array import GeometryArray, from_shapely

from ..errors import LayerError, UsageError
from ..model.crs import require_projected
from ..model.plan import Plan
from ..settings import LEASABLE_LAND_USES
from .groups import grow_ranked
from .index import SearchIndex, build_index
from .measures import wastewater_headroom
from .query import SearchQuery
from .rank import POINT_COLUMNS, score_arrays, why_sentences
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


def _park_ok(index: SearchIndex, query: SearchQuery) -> np.ndarray:
    """Which parks (rows of ``index.parks``) pass the query's per-park filters."""
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
    return park_ok


def _eligible(index: SearchIndex, query: SearchQuery) -> np.ndarray:
    """Which index rows :func:`eligible_plots` would return (same filters, on arrays)."""
    keep = index.land_use.isin(list(query.land_uses or LEASABLE_LAND_USES))
    if query.ready_built_factory:
        keep &= index.factory
    return keep & _park_ok(index, query)[index.park_id]


def _fits_at(index: SearchIndex, query: SearchQuery, park_ok: np.ndarray,
             rows: np.ndarray) -> np.ndarray:
    """Which of the index rows ``rows`` are single sites meeting ``query`` (the filters of
    :func:`fitting_candidates` for plots, on those rows only)."""
    uses = index.land_use.categories.get_indexer(list(query.land_uses or LEASABLE_LAND_USES))
    keep = np.isin(index.land_use.codes[rows], uses[uses >= 0])
    if query.ready_built_factory:
        keep &= index.factory[rows]
    keep &= park_ok[index.park_id[rows]]
    area = index.area[rows]
    keep &= area >= query.min_area_ha - _EPS_HA
    if query.max_area_ha is not None:
        keep &= area <= query.max_area_ha + _EPS_HA
    return keep & distance_ok({name: index.numbers[name][rows] for name in _DISTANCES}, query)


#: Candidate sites as columns (numpy arrays of equal length): a search reads a handful of
#: columns of tens of thousands of rows, where a DataFrame's per-access overhead dominates.
Columns = dict[str, np.ndarray]


def _single_candidates(index: SearchIndex, eligible: np.ndarray,
                       query: SearchQuery) -> Columns:
    """What the score needs of each eligible plot within the area limits (``row``: index row)."""
    fits = eligible & (index.area >= query.min_area_ha - _EPS_HA)
    if query.max_area_ha is not None:
        fits &= index.area <= query.max_area_ha + _EPS_HA
    return _rows_frame(index, np.flatnonzero(fits))


def _rows_frame(index: SearchIndex, rows: np.ndarray) -> Columns:
    """Candidate rows (``row``: index row) of single plots, in the given order."""
    columns = {name: values[rows] for name, values in index.numbers.items()}
    return {"row": rows.astype(np.int64), "group": np.full(len(rows), -1, dtype=np.int64),
            "n_plots": np.ones(len(rows), dtype=np.int64), "area_ha": index.area[rows],
            **columns}


def _concat(parts: list[Columns]) -> Columns:
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def _take(columns: Columns, keep: np.ndarray) -> Columns:
    return {name: values[keep] for name, values in columns.items()}


def _grow(index: SearchIndex, eligible: np.ndarray, query: SearchQuery) -> list[np.ndarray]:
    """Groups in the parks where no single eligible plot reaches the minimum area."""
    big_enough = eligible & (index.area >= query.min_area_ha - _EPS_HA)
    has_single = np.zeros(len(index.parks), dtype=bool)
    has_single[index.park_id[big_enough]] = True
    pool = eligible & ~has_single[index.park_id]
    return grow_ranked(index.graph, pool, query.min_area_ha, query.max_area_ha)


def _group_candidates(index: SearchIndex, groups: list[np.ndarray]) -> Columns:
    """What the score needs of each group: a union's distance is its nearest plot's."""
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    member = np.concatenate(groups) if groups else np.empty(0, dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    label = np.repeat(np.arange(len(groups)), sizes)
    columns: Columns = {"row": np.full(len(groups), -1, dtype=np.int64),
                        "group": np.arange(len(groups), dtype=np.int64), "n_plots": sizes}
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
    return columns


def _plot_codes(index: SearchIndex, candidates: Columns,
                groups: list[np.ndarray]) -> list[str]:
    """``plot_codes`` as the results write them: a group's codes sorted, comma separated."""
    codes = index.plot_code
    return [codes[row] if group < 0 else ",".join(sorted(codes[groups[group]]))
            for row, group in zip(candidates["row"].tolist(), candidates["group"].tolist(),
                                  strict=True)]


def _best(candidates: Columns, points: dict[str, np.ndarray], limit: int,
          index: SearchIndex, groups: list[np.ndarray],
          nearest: str | None = None) -> tuple[np.ndarray, list[str]]:
    """Positions of the ``limit`` best candidates, best first, and their plot codes.

    The order is a stable sort by score (highest first), area (largest first) and plot codes
    over all candidates; a nearest-first query puts the distance to its destination before
    these. Only candidates at least as good as the ``limit``-th on the first key can be among
    the best, so only they are sorted (and their codes written), in their original order.
    """
    total = points["score"]
    area = candidates["area_ha"]
    first = -total if nearest is None else candidates[f"dest_{nearest}_km"]
    if len(first) > limit:
        cut = np.partition(first, limit - 1)[limit - 1]
        contenders = np.flatnonzero(first <= cut)
    else:
        contenders = np.arange(len(first))
    codes = _plot_codes(index, _take(candidates, contenders), groups)
    # Nearest first (distance, then score), or score first; then larger area, then codes.
    lead = (np.zeros(len(contenders)) if nearest is None
            else np.asarray(first[contenders], dtype="float64"))
    keys = [(float(d), float(s), -float(a), c) for d, s, a, c in
            zip(lead, -total[contenders], area[contenders], codes, strict=True)]
    order = sorted(range(len(keys)), key=keys.__getitem__)[:limit]
    return contenders[order], [codes[i] for i in order]


def _mixed_rows(index: SearchIndex, chosen: Columns, groups: list[np.ndarray]
                ) -> tuple[dict[str, pd.api.extensions.ExtensionArray], GeometryArray]:
    """The attributes and geometry of chosen singles and groups, in their order.

    A group takes what pandas' ``groupby`` ``first``, ``nunique`` and ``all`` over its plots
    gave when these rows were a grouped frame: its park from its first plot with one (they
    share the park), its land use when its plots share one known use (else ``mixed``), a
    ready-built factory unless one of its plots is known to have none, and the union of its
    plots. A search shows a few dozen sites: plain lists cost a fraction of a grouped frame.
    """
    member = {g: groups[g] for g in chosen["group"].tolist() if g >= 0}
    needed = np.concatenate([chosen["row"][chosen["group"] < 0], *member.values()])
    where = {row: i for i, row in enumerate(needed.tolist())}  # a row's place in ``needed``
    values = {name: column.take(needed).to_numpy(dtype=object, na_value=None).tolist()
              for name, column in index.attributes.items()}
    geoms = np.asarray(index.sites.geometry.values.take(needed), dtype=object)
    cells: dict[str, list] = {name: [] for name in index.attributes}
    shapes = np.empty(len(chosen["row"]), dtype=object)
    for i, (row, group) in enumerate(zip(chosen["row"].tolist(), chosen["group"].tolist(),
                                         strict=True)):
        if group < 0:
            for name in cells:
                cells[name].append(values[name][where[row]])
            shapes[i] = geoms[where[row]]
            continue
        at = [where[p] for p in member[group].tolist()]
        for name, column in values.items():
            known = [column[j] for j in at if column[j] is not None]
            if name == "land_use":
                cell = known[0] if len(set(known)) == 1 else "mixed"
            elif name == "ready_built_factory":
                cell = all(known)
            else:
                cell = known[0] if known else None
            cells[name].append(cell)
        shapes[i] = shapely.union_all(geoms[at])
    attributes = {name: pd.array(cells[name], dtype=column.dtype)
                  for name, column in index.attributes.items()}
    return attributes, from_shapely(shapes, crs=index.sites.crs)


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
    columns, groups = _fitting(index, query)
    return pd.DataFrame(columns), groups


def _fitting(index: SearchIndex, query: SearchQuery) -> tuple[Columns, list[np.ndarray]]:
    """:func:`fitting_candidates` as columns."""
    eligible = _eligible(index, query)
    candidates = [_single_candidates(index, eligible, query)]
    groups: list[np.ndarray] = []
    if query.allow_groups and query.min_area_ha > 0:
        groups = _grow(index, eligible, query)
        candidates.append(_group_candidates(index, groups))
    columns = _concat(candidates)
    return _take(columns, distance_ok(columns, query)), groups


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
        :data:`RESULT_COLUMNS` and geometry; at most ``query.limit`` rows, best score first
        or, with ``query.nearest_to``, nearest that destination first (then by score).

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
    if query.nearest_to is not None:
        candidates, groups = _nearest_candidates(index, query)
    else:
        candidates, groups = _fitting(index, query)
    points = score_arrays(candidates, query)
    chosen, codes = _best(candidates, points, query.limit, index, groups, query.nearest_to)
    # Text and geometry only for the sites shown: nationally there are 50,000 candidates.
    return _result(index, _take(candidates, chosen), codes, groups,
                   {name: values[chosen] for name, values in points.items()})


def _nearest_candidates(index: SearchIndex,
                        query: SearchQuery) -> tuple[Columns, list[np.ndarray]]:
    """The candidates a nearest-first query can show: every group, and the single plots met
    walking outwards from the destination until ``limit`` fit (and all tied with the last).

    The walk follows the index's plots sorted by distance to the destination (its spatial
    index for that point), so a query reads a few hundred plots, not every vacant one, and
    a distance limit to the same destination is where the walk stops.
    """
    key = str(query.nearest_to)
    order, km = index.nearest(key)
    stop = len(order)
    limit_km = query.destination_limits.get(key)
    if limit_km is not None:  # km is sorted: the rows within the limit are a prefix
        stop = int(np.searchsorted(km, limit_km, side="right"))
    park_ok = _park_ok(index, query)
    found: list[np.ndarray] = []
    count, start, step = 0, 0, max(4 * query.limit, 256)
    while start < stop:
        end = min(stop, start + step)
        rows = order[start:end]
        found.append(rows[_fits_at(index, query, park_ok, rows)])
        count += len(found[-1])
        start, step = end, step * 2  # few fit (a far park, say): read more at a time
        if count >= query.limit:
            # Everything further away than the limit-th fitting plot ranks after it; plots
            # at exactly its distance may still win on score, so they are read too.
            cut = index.numbers[f"dest_{key}_km"][np.concatenate(found)[query.limit - 1]]
            end = min(stop, int(np.searchsorted(km, cut, side="right")))
            if end > start:
                rows = order[start:end]
                found.append(rows[_fits_at(index, query, park_ok, rows)])
            break
    parts = [_rows_frame(index, np.concatenate(found) if found else order[:0])]
    groups: list[np.ndarray] = []
    if query.allow_groups and query.min_area_ha > 0:
        groups = _grow(index, _eligible(index, query), query)
        grouped = _group_candidates(index, groups)
        parts.append(_take(grouped, distance_ok(grouped, query)))
    return _concat(parts), groups


def _result(index: SearchIndex, chosen: Columns, codes: list[str],
            groups: list[np.ndarray], points: dict[str, np.ndarray]) -> gpd.GeoDataFrame:
    """The result frame (:data:`RESULT_COLUMNS` and geometry) of the chosen candidates.

    Built column by column from arrays: a search shows a few dozen rows, for which pandas'
    per-operation overhead, not the data, is the cost.
    """
    sites = index.sites
    geometry_name = sites.geometry.name
    single = chosen["group"] < 0
    if single.all():  # the usual case: columns taken straight from the index rows
        rows = chosen["row"]
        attributes = {name: values.take(rows) for name, values in index.attributes.items()}
        geometry = sites.geometry.values.take(rows)
    else:
        attributes, geometry = _mixed_rows(index, chosen, groups)
    numbers = {name: chosen[name].astype("float64")
               for name in ("area_ha", "headroom_m3_day", *_DISTANCES)}
    n_plots = chosen["n_plots"].astype("int64")
    # Sentences read plain Python values (NA as None): indexing arrays per cell costs more.
    cells: dict[str, list] = {name: values.to_numpy(dtype=object, na_value=None).tolist()
                              for name, values in attributes.items()}
    cells |= {name: values.tolist() for name, values in (numbers | points).items()}
    cells |= {"n_plots": n_plots.tolist(), "plot_codes": codes}
    site_id = [None if park is None else f"{park}:{code}"
               for park, code in zip(cells["park_code"], codes, strict=True)]
    columns: dict[str, object] = {
        "site_id": pd.array(site_id, dtype="string"),
        "kind": pd.array(np.where(single, "plot", "group"), dtype="string"),
        "plot_codes": pd.array(codes, dtype="string"),
        "n_plots": n_plots,
        **attributes,
        **numbers,
        **points,
        "why_vi": pd.array(why_sentences(cells, cells, "vi"), dtype="string"),
        "why_en": pd.array(why_sentences(cells, cells, "en"), dtype="string"),
    }
    frame = {name: columns[name] for name in RESULT_COLUMNS}
    frame[geometry_name] = geometry
    return gpd.GeoDataFrame(frame, geometry=geometry_name, crs=sites.crs)
