"""Map builders, tested on the HTML folium renders (as geopandas tests explore())."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gis_app import symbology
from gis_app.search import SearchQuery, search
from gis_app.search.examples import CRS, example_plan, example_roads_rail
from gis_app.viewer import maps
from gis_app.viewer.indicators import park_indicators


def _js(text: str) -> str:
    """``text`` as it appears inside folium's JSON (non-ASCII escaped)."""
    return json.dumps(text)[1:-1]


def _html(m) -> str:
    return m.get_root().render()


@pytest.fixture(scope="module")
def plan():
    return example_plan()


@pytest.fixture(scope="module")
def context():
    boundary = gpd.GeoDataFrame(geometry=[shapely.box(549_000, 2_332_000, 555_000, 2_338_000)],
                                crs=CRS)
    return maps.prepare_basemap(
        {"roads_rail": example_roads_rail(), "province_boundary": boundary}, CRS)


def _layer_names(html: str) -> list[str]:
    block = html[html.index("overlays :"):]
    block = block[: block.index("}")]
    return [json.loads(f'"{name}"') for name in re.findall(r'"((?:[^"\\]|\\.)*)" :', block)]


def test_leaflet_is_served_locally_and_nothing_comes_from_a_cdn(plan, context):
    html = _html(maps.province_map(plan, park_indicators(plan), context, lang="en"))
    assert re.findall(r'<script src="([^"]+)"', html) == [maps.LEAFLET_BASE + "leaflet.js"]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == [
        maps.LEAFLET_BASE + "leaflet.css"]
    assert "$(" not in html  # jQuery is not served, so nothing may call it
    # OSM tiles are offered in the layer control but never added to the map by default.
    tiles = re.search(r"var (tile_layer_\w+) = L\.tileLayer", html).group(1)
    assert f"{tiles}.addTo(" not in html


def test_other_maps_do_not_touch_the_shared_folium_defaults(plan, context):
    import folium

    maps.park_map(plan, "P1", context)
    assert folium.Map.default_js[0][1].startswith("https://")  # class list left alone
    assert _html(folium.Map()).count("cdn.jsdelivr.net") >= 1


def test_province_map_layers_colours_popups(plan, context):
    table = park_indicators(plan)
    html = _html(maps.province_map(plan, table, context, colour_by="occupancy", lang="vi"))
    assert _layer_names(html) == ["Nền OpenStreetMap (cần Internet)", "Ranh giới tỉnh",
                                  "Quốc lộ", "Đường sắt", "Khu công nghiệp", "Trạm XLNT"]
    # P1: 4 ha leasable vacant + 1 ha leased of 5 ha -> 20 % -> the 20-40 % class colour;
    # P2: nothing leased -> 0 %.
    share = table["occupancy_share"]
    assert share.loc["P1"] == pytest.approx(0.2) and share.loc["P2"] == pytest.approx(0.0)
    assert symbology.occupancy_colour(0.2) in html and symbology.occupancy_colour(0.0) in html
    assert _js("Tỷ lệ lấp đầy") in html  # legend title and popup alias
    assert "GeoJsonPopup" in html or "bindPopup" in html
    assert '"park_code"' in html and _js("KCN Một") in html
    status = _html(maps.province_map(plan, table, context, colour_by="status", lang="en"))
    assert symbology.PARK_STATUS_COLOURS["operating"] in status
    assert "Industrial parks" in status and _js("Khu công nghiệp") not in status


def test_filtered_parks_are_not_drawn(plan, context):
    table = park_indicators(plan)
    html = _html(maps.province_map(plan, table.loc[["P2"]], context, lang="en"))
    assert "Park Two" in html and "Park One" not in html


def test_park_map_by_status_and_land_use(plan, context):
    html = _html(maps.park_map(plan, "P1", context, colour_by="status", lang="en"))
    assert "Plots" in _layer_names(html) and "Functional zones" in _layer_names(html)
    assert symbology.PLOT_STATUS_COLOURS["vacant"] in html
    assert symbology.PLOT_STATUS_COLOURS["leased"] in html
    for plot in ("B1", "B2", "B3", "B4", "B5"):
        assert f'"plot_code": "{plot}"' in html
    assert '"D1"' not in html  # another park's plot
    assert "Alpha Electronics" not in html  # public: no tenant in popups
    by_use = _html(maps.park_map(plan, "P1", context, colour_by="land_use", lang="vi"))
    assert symbology.LAND_USE_COLOURS["industrial"] in by_use
    assert _js(maps.label("industrial", "vi")) in by_use


def test_park_map_names_tenants_only_when_given(plan, context):
    tenants = pd.DataFrame({"plot_code": ["B5"], "investor": ["Alpha Electronics"]})
    html = _html(maps.park_map(plan, "P1", context, lang="en", tenants=tenants))
    assert "Alpha Electronics" in html
    assert '"Tenant"' in html  # popup alias


def test_sites_map_shows_results_with_why(plan, context):
    sites = search(plan, SearchQuery(min_area_ha=1.5), example_roads_rail())
    html = _html(maps.sites_map(plan, sites, context, lang="en"))
    assert "Search results" in _layer_names(html)
    assert maps.RESULT_COLOUR in html
    assert '"B1,B2"' in html and '"D1"' in html
    assert "Why it fits" in html and "adjacent plots" in html


def test_geometries_are_simplified_and_in_degrees():
    circle = shapely.Point(550_000, 2_335_000).buffer(500, quad_segs=256)  # 1,025 vertices
    frame = gpd.GeoDataFrame({"name": ["c"]}, geometry=[circle], crs=CRS)
    shown = maps.for_display(frame, CRS, 5.0, ["name"])
    assert shown.crs.to_epsg() == 4326
    assert shapely.get_num_coordinates(shown.geometry.iloc[0]) < 200
    lon, lat = shown.geometry.iloc[0].centroid.coords[0]
    assert 105 < lon < 107 and 20 < lat < 22


def test_province_map_can_draw_every_plot_on_a_canvas(plan, context):
    table = park_indicators(plan)
    without = _html(maps.province_map(plan, table, context, lang="en"))
    assert '"plot_code"' not in without and '"preferCanvas": false' in without
    html = _html(maps.province_map(plan, table, context, lang="en", plots=True))
    assert '"preferCanvas": true' in html
    assert "Plots" in _layer_names(html)
    for plot in ("B1", "B2", "B3", "B4", "B5", "D1"):
        assert f'"plot_code": "{plot}"' in html
    assert "Alpha Electronics" not in html  # the overview never names tenants


def test_display_coordinates_are_rounded_to_six_decimals(context):
    coords = shapely.get_coordinates(context["road"].geometry.values)
    assert (abs(coords - coords.round(6)) < 1e-12).all()
    assert set(context) == {"province_boundary", "road", "railway"}


def test_builders_accept_the_raw_context_layers_too(plan):
    raw = {"roads_rail": example_roads_rail()}
    html = _html(maps.park_map(plan, "P1", raw, lang="en"))
    assert {"National roads", "Railway"} <= set(_layer_names(html))
    prepared = maps.prepare_basemap(raw, CRS)
    assert maps.as_basemap(prepared, CRS) is prepared
