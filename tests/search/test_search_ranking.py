"""Vacant-land search on the hand-computable example of gis_app.search.examples."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from gis_app.errors import CRSError, LayerError
from gis_app.model.crs import transformer
from gis_app.search import (
    DESTINATIONS,
    RESULT_COLUMNS,
    SearchQuery,
    adjacent_pairs,
    destination_points,
    grow_groups,
    nearest_km,
    search,
)
from gis_app.search.examples import CRS, example_plan, example_roads_rail


@pytest.fixture(scope="module")
def plan():
    return example_plan()


@pytest.fixture(scope="module")
def roads():
    return example_roads_rail()


def _codes(result) -> list[str]:
    return list(result["plot_codes"])


def test_no_minimum_lists_every_vacant_plot_never_leased_ones(plan, roads):
    result = search(plan, SearchQuery(), roads)
    assert sorted(_codes(result)) == ["B1", "B2", "B3", "B4", "D1"]  # B5 is leased
    assert list(result.columns[:-1]) == list(RESULT_COLUMNS)
    assert set(result["kind"]) == {"plot"}


def test_group_proposed_only_where_no_single_plot_is_large_enough(plan, roads):
    # P2's D1 (2 ha) fits alone; P1 has no 1.5 ha plot, so B1+B2 (largest seed first, then its
    # largest edge neighbour) is proposed. B3 cannot join B2 (taken) and B4 only touches B3's
    # corner, so no second group.
    result = search(plan, SearchQuery(min_area_ha=1.5), roads)
    rows = result.set_index("plot_codes")
    assert sorted(rows.index) == ["B1,B2", "D1"]
    assert rows.loc["B1,B2", "kind"] == "group"
    assert rows.loc["B1,B2", "n_plots"] == 2
    assert rows.loc["B1,B2", "area_ha"] == pytest.approx(2.0)
    assert rows.loc["D1", "kind"] == "plot"
    group = result.loc[result["kind"] == "group"].geometry.iloc[0]
    assert group.area == pytest.approx(20_000.0)  # the union of two 1 ha squares


def test_group_grows_until_it_reaches_the_area(plan, roads):
    result = search(plan, SearchQuery(min_area_ha=3.0), roads)
    assert _codes(result) == ["B1,B2,B3"]
    assert result["area_ha"].iloc[0] == pytest.approx(3.0)


def test_corner_contact_is_not_adjacency(plan):
    vacant = plan.plots[plan.plots["status"] == "vacant"].reset_index(drop=True)
    pairs = adjacent_pairs(vacant)
    codes = vacant["plot_code"].to_numpy()
    named = sorted(tuple(sorted((codes[a], codes[b])))
                   for a, b in zip(pairs["left"], pairs["right"], strict=True))
    assert named == [("B1", "B2"), ("B2", "B3")]
    assert list(pairs["edge_m"]) == pytest.approx([100.0, 100.0])
    # 4 ha cannot be reached through edges in P1 (B4 is cut off), so no group at all.
    assert grow_groups(vacant[vacant["park_code"] == "P1"].reset_index(drop=True), 4.0) == []


def test_area_thresholds_are_inclusive_and_max_excludes(plan, roads):
    exact = search(plan, SearchQuery(min_area_ha=2.0, max_area_ha=2.0), roads)
    assert sorted(_codes(exact)) == ["B1,B2", "D1"]
    assert search(plan, SearchQuery(min_area_ha=1.5, max_area_ha=1.8), roads).empty
    no_groups = search(plan, SearchQuery(min_area_ha=1.5, allow_groups=False), roads)
    assert _codes(no_groups) == ["D1"]


def test_distances_to_road_and_rail_are_hand_computed(plan, roads):
    result = search(plan, SearchQuery(), roads).set_index("plot_codes")
    assert result.loc["B1", "road_km"] == pytest.approx(1.0)  # top edge y=100, road y=1100
    assert result.loc["B4", "road_km"] == pytest.approx(0.9)  # B4's top edge is y=200
    assert result.loc["B1", "rail_km"] == pytest.approx(0.5)
    assert result.loc["B2", "rail_km"] == pytest.approx(0.6)
    assert result.loc["D1", "rail_km"] == pytest.approx(2.5)


def test_distance_filters(plan, roads):
    assert sorted(_codes(search(plan, SearchQuery(max_rail_km=0.6), roads))) == ["B1", "B2"]
    assert _codes(search(plan, SearchQuery(max_road_km=0.95), roads)) == ["B4"]


def test_destination_distance_measured_after_pinned_reprojection():
    # The destination projected independently through the pinned EPSG:6960 transformer.
    noibai = next(d for d in DESTINATIONS if d.key == "noibai")
    x, y = transformer("EPSG:4326", CRS).transform(noibai.lon, noibai.lat)
    point = destination_points(CRS)["noibai"]
    assert (point.x, point.y) == pytest.approx((x, y), abs=1e-6)
    # A 10 m square whose west edge is 3 km east of the airport is 3.0 km away.
    square = shapely.box(x + 3000, y - 5, x + 3010, y + 5)
    assert nearest_km(np.array([square]), np.array([point])) == pytest.approx([3.0])


def test_destination_limit_filters_by_that_destination(plan, roads):
    all_sites = search(plan, SearchQuery(), roads).set_index("plot_codes")
    limit = float(all_sites["dest_hanoi_km"].min()) + 0.01  # only the nearest site(s) pass
    near = search(plan, SearchQuery(max_km_to=(("hanoi", limit),)), roads)
    assert (near["dest_hanoi_km"] <= limit).all()
    assert 0 < len(near) < len(all_sites)


def test_park_level_filters(plan, roads):
    assert _codes(search(plan, SearchQuery(ready_built_factory=True), roads)) == ["D1"]
    assert _codes(search(plan, SearchQuery(min_headroom_m3_day=200), roads)) == ["D1"]
    assert _codes(search(plan, SearchQuery(province="Bắc Giang"), roads)) == ["D1"]
    assert sorted(_codes(search(plan, SearchQuery(park_codes=("P1",)), roads))) == \
        ["B1", "B2", "B3", "B4"]
    assert search(plan, SearchQuery(land_uses=("warehouse_logistics",)), roads).empty


def test_score_contributions_hand_computed(plan, roads):
    result = search(plan, SearchQuery(min_area_ha=1.5), roads).set_index("plot_codes")
    d1, group = result.loc["D1"], result.loc["B1,B2"]
    # road: 20 x (1 - 1.0/10); rail: 10 x (1 - 2.5/25); wastewater 20 x 1500/2000;
    # ready-built 10; a single plot 10.
    assert [d1.pts_road, d1.pts_rail, d1.pts_wastewater, d1.pts_ready_built,
            d1.pts_single_plot] == pytest.approx([18.0, 9.0, 15.0, 10.0, 10.0])
    # group: rail 10 x (1 - 0.5/25) = 9.8; wastewater 20 x 100/2000 = 1; two plots: 10/2.
    assert [group.pts_road, group.pts_rail, group.pts_wastewater, group.pts_ready_built,
            group.pts_single_plot] == pytest.approx([18.0, 9.8, 1.0, 0.0, 5.0])
    for row in (d1, group):
        expected = sum(10.0 * max(0.0, 1 - row[f"dest_{d.key}_km"] / 80.0) for d in DESTINATIONS)
        assert row.pts_destinations == pytest.approx(expected, abs=0.051)  # rounded to 0.1
        parts = [row[c] for c in result.columns if c.startswith("pts_")]
        assert row.score == pytest.approx(sum(parts), abs=0.051)
    assert list(result.index) == ["D1", "B1,B2"]  # ranked by score, best first


def test_why_sentences_name_strengths_in_both_languages(plan, roads):
    result = search(plan, SearchQuery(min_area_ha=1.5), roads).set_index("plot_codes")
    en, vi = result.loc["D1", "why_en"], result.loc["D1", "why_vi"]
    assert en.startswith("Plot D1 of 2.00 ha in Park Two:")
    assert "1.0 km from a national road" in en
    assert "1,500 m³/day spare" in en and "ready-built factory" in en
    assert vi.startswith("Lô D1 rộng 2,00 ha tại KCN Hai:")
    assert "cách quốc lộ 1,0 km" in vi and "1.500 m³/ngày" in vi and "nhà xưởng xây sẵn" in vi
    group_en = result.loc["B1,B2", "why_en"]
    assert group_en.startswith("2 adjacent plots (B1,B2) of 2.00 ha together in Park One")
    # P1's 100 m³/day headroom earned 1 of 20 points: not a strength, not mentioned.
    assert "wastewater" not in group_en


def test_limit_keeps_the_best(plan, roads):
    result = search(plan, SearchQuery(limit=2), roads)
    full = search(plan, SearchQuery(), roads)
    assert list(result["site_id"]) == list(full["site_id"].head(2))


def test_road_limit_without_roads_layer_is_refused(plan):
    with pytest.raises(LayerError, match="roads_rail"):
        search(plan, SearchQuery(max_road_km=5), None)
    unknown = search(plan, SearchQuery(), None)
    assert unknown["road_km"].isna().all() and (unknown["pts_road"] == 0).all()


def test_degrees_are_refused(plan):
    in_degrees = plan.replace(plots=plan.plots.to_crs("EPSG:4326"))
    with pytest.raises(CRSError, match="projected"):
        search(in_degrees, SearchQuery())


def test_search_does_not_mutate_the_plan(plan, roads):
    before = plan.plots.copy()
    search(plan, SearchQuery(min_area_ha=1.5), roads)
    assert_geodataframe_equal(plan.plots, before)
