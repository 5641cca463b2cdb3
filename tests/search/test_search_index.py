"""The search index changes how fast a search is, never what it finds.

The reference below is the straightforward search (as it was before the index): for each
query, filter the plots, measure every candidate's distances, compute adjacency on the pool,
score and sort every candidate, then write the sentences of the ones shown. The indexed
search must return exactly the same frame (sites, order, scores, sentences, geometry) on
both shipped provinces and on generated provinces, with and without groups, nearest-first
or by score, whether its index is fresh or reused. The reference scores and writes its
sentences with pandas column operations, as the search did before it moved to arrays.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gis_app.i18n import t
from gis_app.sample.scale import build_scaled
from gis_app.search import (
    DESTINATIONS,
    POINT_COLUMNS,
    RESULT_COLUMNS,
    WEIGHTS,
    SearchQuery,
    build_index,
    distance_columns,
    eligible_plots,
    grow_groups,
    search,
)
from gis_app.search.examples import example_plan, example_roads_rail
from gis_app.search.settings import REFERENCE_HEADROOM_M3_DAY, REFERENCE_KM
from gis_app.settings import PROVINCES
from gis_app.storage.gpkg import read_context, read_plan
from gis_app.testing import ORIGIN

_EPS_HA = 1e-9


# -- the score and the sentences, column by column -----------------------------------------------
def _closeness(km: pd.Series, reference_km: float) -> pd.Series:
    reference_km = max(reference_km, 1e-6)
    return (1.0 - km / reference_km).clip(lower=0.0, upper=1.0).fillna(0.0)


def score(candidates: pd.DataFrame, query: SearchQuery) -> pd.DataFrame:
    limits = query.destination_limits
    per_destination = WEIGHTS["destinations"] / len(DESTINATIONS)
    destinations = sum(
        (per_destination * _closeness(candidates[f"dest_{d.key}_km"],
                                      limits.get(d.key, REFERENCE_KM["destination"]))
         for d in DESTINATIONS),
        start=pd.Series(0.0, index=candidates.index),
    )
    points = pd.DataFrame({
        "pts_road": WEIGHTS["road"]
        * _closeness(candidates["road_km"], query.max_road_km or REFERENCE_KM["road"]),
        "pts_rail": WEIGHTS["rail"]
        * _closeness(candidates["rail_km"], query.max_rail_km or REFERENCE_KM["rail"]),
        "pts_destinations": destinations,
        "pts_wastewater": WEIGHTS["wastewater"]
        * (candidates["headroom_m3_day"] / REFERENCE_HEADROOM_M3_DAY).clip(0.0, 1.0).fillna(0.0),
        "pts_ready_built": WEIGHTS["ready_built"]
        * candidates["ready_built_factory"].astype("float64").fillna(0.0),
        "pts_single_plot": WEIGHTS["single_plot"] / candidates["n_plots"].astype("float64"),
    }, index=candidates.index).round(1)
    points["score"] = points[list(POINT_COLUMNS)].sum(axis=1).round(1)
    return points


def _number(values: pd.Series, decimals: int, lang: str) -> pd.Series:
    text = values.map(lambda v: f"{v:,.{decimals}f}").astype("string")
    if lang == "vi":
        text = text.str.replace(",", "\0").str.replace(".", ",").str.replace("\0", ".")
    return text


def _fill(template: str, **columns: pd.Series) -> pd.Series:
    index = next(iter(columns.values())).index
    out = pd.Series("", index=index, dtype="string")
    for piece in re.split(r"(\{\w+\})", template):
        name = piece[1:-1]
        if piece.startswith("{") and name in columns:
            out = out + columns[name].astype("string").fillna("")
        else:
            out = out + piece
    return out


def why(candidates: pd.DataFrame, points: pd.DataFrame, lang: str) -> pd.Series:
    text = {part: t(f"why.{part}", lang) for part in (
        "plot", "group", "road", "rail", "dest", "wastewater", "factory", "none")}
    park = candidates["park_name_vi" if lang == "vi" else "park_name_en"]
    area = _number(candidates["area_ha"], 2, lang)
    is_group = candidates["n_plots"] > 1
    head = _fill(text["plot"], codes=candidates["plot_codes"], area=area, park=park).where(
        ~is_group, _fill(text["group"], n=candidates["n_plots"].astype("string"),
                         codes=candidates["plot_codes"], area=area, park=park))
    strong = points[list(POINT_COLUMNS)] >= pd.Series(
        {f"pts_{k}": w / 2 for k, w in WEIGHTS.items()})
    nearest = candidates[[f"dest_{d.key}_km" for d in DESTINATIONS]]
    names = pd.Series({f"dest_{d.key}_km": (d.name_vi if lang == "vi" else d.name_en)
                       for d in DESTINATIONS})
    nearest_name = nearest.idxmin(axis=1).map(names) if len(nearest) else pd.Series(dtype="string")
    phrases = pd.DataFrame({
        "road": _fill(text["road"], km=_number(candidates["road_km"], 1, lang))
        .where(strong["pts_road"]),
        "rail": _fill(text["rail"], km=_number(candidates["rail_km"], 1, lang))
        .where(strong["pts_rail"]),
        "dest": _fill(text["dest"], km=_number(nearest.min(axis=1), 0, lang), name=nearest_name)
        .where(points["pts_destinations"] > 0),
        "wastewater": _fill(text["wastewater"], m3=_number(candidates["headroom_m3_day"], 0, lang))
        .where(strong["pts_wastewater"]),
        "factory": pd.Series(text["factory"], index=candidates.index, dtype="string")
        .where(candidates["ready_built_factory"].fillna(False).astype(bool)),
    }, index=candidates.index)
    joined = phrases.stack().dropna().groupby(level=0).agg("; ".join).reindex(candidates.index)
    return (head + ": " + joined.fillna(text["none"]) + ".").astype("string")


# -- the straightforward search ------------------------------------------------------------------
def _single_sites(plots: gpd.GeoDataFrame, query: SearchQuery) -> gpd.GeoDataFrame:
    fits = plots["area_ha"] >= query.min_area_ha - _EPS_HA
    if query.max_area_ha is not None:
        fits &= plots["area_ha"] <= query.max_area_ha + _EPS_HA
    sites = plots[fits].copy()
    sites["kind"] = "plot"
    sites["plot_codes"] = sites["plot_code"]
    sites["n_plots"] = 1
    return sites


def _group_sites(plots, query, roads_rail):  # noqa: ANN001, ANN202
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
    codes = rows.sort_values(["group", "plot_code"]).groupby("group", sort=True)["plot_code"]
    distances = distance_columns(rows, roads_rail).groupby(label, sort=True).min()
    geometry = [shapely.union_all(np.asarray(rows.geometry.values[label == g], dtype=object))
                for g in range(len(groups))]
    sites = gpd.GeoDataFrame(
        {
            **{c: first[c] for c in ("park_code", "park_name_vi", "park_name_en", "province",
                                      "legacy_province", "headroom_m3_day")},
            "land_use": first["land_use"].where(by["land_use"].nunique().eq(1), "mixed"),
            "ready_built_factory": by["ready_built_factory"].all(),
            "area_ha": by["area_ha"].sum(),
            "plot_codes": codes.agg(",".join),
            "n_plots": by.size(),
            "kind": "group",
        },
        geometry=gpd.GeoSeries(geometry, index=first.index, crs=plots.crs),
        crs=plots.crs,
    )
    return pd.concat([sites, distances.set_axis(first.index)], axis=1)


def straightforward_search(plan, query, roads_rail):  # noqa: ANN001, ANN201
    """Everything measured for this query alone, every candidate scored, sorted and kept."""
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
    sites = pd.concat([sites, score(sites, query)], axis=1)
    order = ["score", "area_ha", "plot_codes"]
    if query.nearest_to is not None:  # nearest first, the score's order among equals
        order.insert(0, f"dest_{query.nearest_to}_km")
    sites = sites.sort_values(order, ascending=[True] * (len(order) - 3) + [False, False, True],
                              kind="stable")
    sites = sites.head(query.limit).reset_index(drop=True)
    shown = sites[list(POINT_COLUMNS)]
    sites["why_vi"] = why(sites, shown, "vi")
    sites["why_en"] = why(sites, shown, "en")
    sites["site_id"] = (sites["park_code"] + ":" + sites["plot_codes"]).astype("string")
    sites = sites.astype({"kind": "string", "plot_codes": "string", "land_use": "string",
                          "ready_built_factory": "boolean", "n_plots": "int64"})
    return gpd.GeoDataFrame(sites[list(RESULT_COLUMNS) + [sites.geometry.name]],
                            geometry=sites.geometry.name, crs=plan.plots.crs)


def assert_same_result(got: gpd.GeoDataFrame, expected: gpd.GeoDataFrame) -> None:
    """Same columns, dtypes, order and values (floats bit for bit), same geometries."""
    assert_geodataframe_equal(got, expected, check_less_precise=False)
    pd.testing.assert_frame_equal(pd.DataFrame(got.drop(columns=got.geometry.name)),
                                  pd.DataFrame(expected.drop(columns=expected.geometry.name)),
                                  check_exact=True)
    assert list(shapely.to_wkb(got.geometry.values)) == \
        list(shapely.to_wkb(expected.geometry.values))


# -- the shipped provinces ----------------------------------------------------------------------
@pytest.fixture(scope="module", params=["bac_ninh", "ninh_binh"])
def province(request):
    path = PROVINCES[request.param].default_path
    plan = read_plan(path)
    roads = read_context(path, "roads_rail")
    return plan, roads, build_index(plan, roads)


def _queries(plan) -> list[SearchQuery]:  # noqa: ANN001
    vacant = plan.plots.loc[plan.plots["status"] == "vacant"]
    median = round(float(vacant["area_ha"].median()), 2)
    largest = float(vacant["area_ha"].max())
    park = str(vacant["park_code"].iloc[0])
    # A legacy province that is not also a 2025 province, where the file has one.
    moved = plan.parks[plan.parks["legacy_province"] != plan.parks["province"]]
    province = str((moved if len(moved) else plan.parks)["legacy_province"].iloc[0])
    return [
        SearchQuery(),
        SearchQuery(min_area_ha=median, allow_groups=False, limit=50),
        SearchQuery(min_area_ha=median, limit=500),  # groups only where no plot is large enough
        SearchQuery(min_area_ha=round(largest * 1.3, 2), limit=50),  # groups in every park
        SearchQuery(min_area_ha=round(largest * 1.3, 2), max_area_ha=round(largest * 1.6, 2)),
        SearchQuery(min_area_ha=round(largest * 3, 2), land_uses=("warehouse_logistics",)),
        SearchQuery(min_area_ha=median, province=province, park_codes=(park,)),
        SearchQuery(ready_built_factory=True, min_headroom_m3_day=500.0),
        SearchQuery(min_area_ha=median, max_road_km=3.0, max_rail_km=15.0,
                    max_km_to=(("hanoi", 60.0), ("haiphong", 120.0))),
        SearchQuery(min_area_ha=round(largest * 1.3, 2), max_km_to=(("noibai", 70.0),), limit=5),
        SearchQuery(min_area_ha=round(largest * 100, 2)),  # nothing, not even a group
    ]


def test_indexed_search_equals_the_straightforward_one(province):
    plan, roads, index = province
    kinds = set()
    for query in _queries(plan):
        expected = straightforward_search(plan, query, roads)
        assert_same_result(search(plan, query, roads, index=index), expected)  # reused index
        kinds |= set(expected["kind"])
    assert kinds == {"plot", "group"}  # the queries exercise both kinds of site


def test_a_fresh_index_gives_the_reused_one_s_results(province):
    plan, roads, index = province
    before = index.sites.copy()
    for query in _queries(plan)[2:5]:
        assert_same_result(search(plan, query, roads), search(plan, query, roads, index=index))
    assert_geodataframe_equal(index.sites, before)  # a search leaves its index as it was


def test_plot_order_in_the_file_does_not_matter_beyond_ties(province):
    # Plots stored in another order: groups are grown (and ties broken) by position, so the
    # index must reproduce the straightforward search's order, not assume a sorted file.
    plan, roads, _ = province
    shuffled = plan.replace(plots=plan.plots.sample(frac=1.0, random_state=3))
    index = build_index(shuffled, roads)
    for query in _queries(plan)[2:4]:
        assert_same_result(search(shuffled, query, roads, index=index),
                           straightforward_search(shuffled, query, roads))


# -- the hand-computed example ------------------------------------------------------------------
def test_example_searches_equal_the_straightforward_ones():
    plan, roads = example_plan(), example_roads_rail()
    index = build_index(plan, roads)
    for query in (SearchQuery(), SearchQuery(min_area_ha=1.5), SearchQuery(min_area_ha=3.0),
                  SearchQuery(min_area_ha=1.5, max_area_ha=1.8), SearchQuery(max_rail_km=0.6)):
        assert_same_result(search(plan, query, roads, index=index),
                           straightforward_search(plan, query, roads))
    no_roads = build_index(plan, None)
    assert_same_result(search(plan, SearchQuery(min_area_ha=1.5), None, index=no_roads),
                       straightforward_search(plan, SearchQuery(min_area_ha=1.5), None))


def _grid_plan(side: int = 12):
    """The example plus a ``side`` x ``side`` grid of 1 ha vacant plots in park P1, stored in
    shuffled order: equal areas and near-equal scores, so only tie-breaks decide."""
    plan = example_plan()
    n = side * side
    grid = plan.plots.iloc[[0] * n].reset_index(drop=True)  # B1's row: P1, vacant, 1 ha
    grid["plot_code"] = pd.array([f"G{i:03d}" for i in range(n)], dtype="string")
    x0, y0 = ORIGIN[0] + 5000, ORIGIN[1]
    grid = grid.set_geometry([shapely.box(x0 + 100 * (i % side), y0 + 100 * (i // side),
                                          x0 + 100 * (i % side) + 100,
                                          y0 + 100 * (i // side) + 100) for i in range(n)],
                             crs=plan.plots.crs)
    plots = pd.concat([plan.plots, grid], ignore_index=True).sample(frac=1.0, random_state=5)
    return plan.replace(plots=gpd.GeoDataFrame(plots, geometry="geometry", crs=grid.crs))


def test_ties_are_broken_as_the_straightforward_search_breaks_them():
    plan, roads = _grid_plan(), example_roads_rail()
    index = build_index(plan, roads)
    for query in (SearchQuery(min_area_ha=1.0, limit=60), SearchQuery(min_area_ha=2.5, limit=60),
                  SearchQuery(min_area_ha=4.0, max_area_ha=4.0, limit=60)):
        expected = straightforward_search(plan, query, roads)
        assert len(expected) > 20  # dozens of tied sites, not a trivial case
        assert_same_result(search(plan, query, roads, index=index), expected)


def test_group_hectares_are_summed_as_pandas_sums_them():
    # B1, B2, B3 of 0.1, 0.2 and 0.3 ha (attributes only): B3 seeds, takes B2 then B1. pandas
    # sums the members (in plot order) with compensated summation: exactly 0.6, where a plain
    # 0.1 + 0.2 + 0.3 gives 0.6000000000000001 (so == is the point here). B4 is too small
    # to stand alone and has no edge neighbour.
    plan = example_plan()
    plots = plan.plots.copy()
    plots["area_ha"] = [0.1, 0.2, 0.3, 0.05, 1.0, 2.0]
    plan = plan.replace(plots=plots)
    query = SearchQuery(min_area_ha=0.6, park_codes=("P1",))
    result = search(plan, query, None)
    assert list(result["plot_codes"]) == ["B1,B2,B3"]
    assert result["area_ha"].iloc[0] == 0.6
    assert_same_result(result, straightforward_search(plan, query, None))


def test_index_holds_vacant_plots_distances_and_edge_neighbours():
    plan, roads = example_plan(), example_roads_rail()
    index = build_index(plan, roads)
    codes = list(index.sites["plot_code"])
    assert codes == ["B1", "B2", "B3", "B4", "D1"]  # vacant only, B5 is leased
    assert list(index.sites["road_km"]) == pytest.approx([1.0, 1.0, 1.0, 0.9, 1.0])
    named = {codes[i]: sorted(codes[j] for j in nb) for i, nb in enumerate(index.neighbours)}
    # B3 and B4 meet at a corner only; D1 is in another park.
    assert named == {"B1": ["B2"], "B2": ["B1", "B3"], "B3": ["B2"], "B4": [], "D1": []}


def test_an_index_of_another_plan_is_refused():
    plan, roads = example_plan(), example_roads_rail()
    index = build_index(plan, roads)
    other = plan.replace(plots=plan.plots.copy())
    with pytest.raises(ValueError, match="another plan"):
        search(other, SearchQuery(), roads, index=index)
    with pytest.raises(ValueError, match="roads layer"):
        search(plan, SearchQuery(), roads.copy(), index=index)


# -- generated provinces: any query, nearest-first or by score ----------------------------------
def _generated_roads(plots: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A road across the middle of the parks and a railway along their diagonal."""
    x0, y0, x1, y1 = plots.total_bounds
    middle = (y0 + y1) / 2
    return gpd.GeoDataFrame(
        {"kind": ["road", "railway"]},
        geometry=[shapely.LineString([(x0 - 500, middle), (x1 + 500, middle + 300)]),
                  shapely.LineString([(x0, y1 + 2000), (x1, y0 - 2000)])],
        crs=plots.crs)


@pytest.fixture(scope="module", params=[3, 11])
def generated(request):
    plan = build_scaled(6, 1500, 50, seed=request.param, key="bac_ninh")
    roads = _generated_roads(plan.plots)
    return plan, roads, build_index(plan, roads)


_KEYS = [d.key for d in DESTINATIONS]
_queries_of_any_kind = st.builds(
    SearchQuery,
    min_area_ha=st.sampled_from([0.0, 1.0, 1.55, 2.5, 4.0, 9.0]),
    max_area_ha=st.none() | st.sampled_from([9.0, 20.0]),
    land_uses=st.sampled_from([(), ("industrial",), ("warehouse_logistics", "industrial")]),
    ready_built_factory=st.booleans(),
    min_headroom_m3_day=st.none() | st.sampled_from([0.0, 500.0, 3000.0]),
    max_road_km=st.none() | st.sampled_from([0.5, 2.0, 8.0]),
    max_rail_km=st.none() | st.sampled_from([1.0, 6.0]),
    max_km_to=st.lists(st.tuples(st.sampled_from(_KEYS), st.sampled_from([20.0, 45.0, 90.0])),
                       max_size=2, unique_by=lambda t: t[0]).map(tuple),
    allow_groups=st.booleans(),
    limit=st.integers(1, 80),
    nearest_to=st.none() | st.sampled_from(_KEYS),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=_queries_of_any_kind)
def test_any_query_on_a_generated_province_equals_brute_force(generated, query):
    # Brute force: every plot filtered, measured and sorted; the search walks its index.
    plan, roads, index = generated
    assert_same_result(search(plan, query, roads, index=index),
                       straightforward_search(plan, query, roads))


def test_nearest_first_lists_sites_by_distance_then_score(generated):
    plan, roads, index = generated
    for key in _KEYS:
        for query in (SearchQuery(min_area_ha=1.55, allow_groups=False, limit=50, nearest_to=key),
                      SearchQuery(min_area_ha=9.0, limit=30, nearest_to=key),  # groups only
                      SearchQuery(min_area_ha=1.0, max_km_to=((key, 45.0),), nearest_to=key)):
            found = search(plan, query, roads, index=index)
            assert len(found) == query.limit or query.max_km_to
            km = found[f"dest_{key}_km"].to_numpy()
            assert (np.diff(km) >= 0).all()  # nearest first, whatever the score
            assert_same_result(found, straightforward_search(plan, query, roads))
    by_score = search(plan, SearchQuery(min_area_ha=1.55, allow_groups=False, limit=50), roads,
                      index=index)
    assert not (np.diff(by_score["dest_noibai_km"].to_numpy()) >= 0).all()  # another order


def test_ties_in_distance_keep_the_score_order():
    # The grid's 400 plots stacked on one square: all equally far from every destination, so
    # the score, area and codes decide among them, as in the default order; more of them than
    # the walk reads at once, so it must read on past the 60th for its ties.
    plan, roads = _grid_plan(side=20), example_roads_rail()
    plots = plan.plots.copy()
    grid = plots["plot_code"].str.startswith("G").fillna(False).to_numpy()
    plots.loc[grid, "geometry"] = shapely.box(ORIGIN[0] + 5000, ORIGIN[1],
                                              ORIGIN[0] + 5100, ORIGIN[1] + 100)
    plan = plan.replace(plots=plots)
    index = build_index(plan, roads)
    query = SearchQuery(min_area_ha=1.0, allow_groups=False, limit=60, nearest_to="hanoi")
    expected = straightforward_search(plan, query, roads)
    assert expected["dest_hanoi_km"].duplicated().sum() > 50
    assert_same_result(search(plan, query, roads, index=index), expected)
