"""The search query's URL round trip and the shortlist exports (CSV, RFC 7946 GeoJSON)."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from gis_app.model.crs import to_crs, transformer
from gis_app.search import QueryError, SearchQuery, search, to_csv, to_geojson
from gis_app.search.examples import CRS, example_plan, example_roads_rail
from gis_app.search.settings import DESTINATION_KEYS

_km = st.floats(min_value=0, max_value=500, allow_nan=False, allow_infinity=False)
_code = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", min_size=1, max_size=6)


@st.composite
def queries(draw) -> SearchQuery:
    low = draw(_km)
    high = draw(st.none() | st.floats(min_value=low, max_value=1000, allow_nan=False))
    return SearchQuery(
        province=draw(st.none() | st.sampled_from(["Bắc Ninh", "Bắc Giang", "Ninh Bình"])),
        park_codes=tuple(draw(st.lists(_code, max_size=3))),
        min_area_ha=low,
        max_area_ha=high,
        land_uses=tuple(draw(st.lists(st.sampled_from(["industrial", "warehouse_logistics"]),
                                      max_size=2, unique=True))),
        ready_built_factory=draw(st.booleans()),
        min_headroom_m3_day=draw(st.none() | _km),
        max_road_km=draw(st.none() | _km),
        max_rail_km=draw(st.none() | _km),
        max_km_to=tuple((k, draw(_km)) for k in DESTINATION_KEYS if draw(st.booleans())),
        allow_groups=draw(st.booleans()),
        limit=draw(st.integers(min_value=1, max_value=500)),
        nearest_to=draw(st.none() | st.sampled_from(DESTINATION_KEYS)),
    )


@given(queries())
def test_url_round_trip(query):
    params = query.to_params()
    assert all(isinstance(v, str) for v in params.values())
    assert SearchQuery.from_params(params) == query


def test_url_is_short_and_readable():
    q = SearchQuery(min_area_ha=5.0, park_codes=("BN01", "BN02"), ready_built_factory=True,
                    max_km_to=(("noibai", 30.0),))
    assert q.to_params() == {"park": "BN01,BN02", "min_ha": "5.0", "factory": "1",
                             "to_noibai": "30.0"}
    assert SearchQuery().to_params() == {}
    assert SearchQuery(nearest_to="noibai").to_params() == {"near": "noibai"}


def test_streamlit_style_lists_and_unknown_params():
    # st.query_params may hand over repeated keys as lists; other pages' keys are ignored.
    q = SearchQuery.from_params({"min_ha": ["1", "2.5"], "page": "x", "groups": "0"})
    assert q == SearchQuery(min_area_ha=2.5, allow_groups=False)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_ha": "abc"}, "min_ha"),
        ({"min_ha": "-1"}, "min_area_ha"),
        ({"min_ha": "5", "max_ha": "2"}, "maximum area"),
        ({"factory": "maybe"}, "factory"),
        ({"use": "farm"}, "land_uses"),
        ({"to_noibai": "x"}, "to_noibai"),
        ({"limit": "0"}, "limit"),
        ({"near": "saigon"}, "near"),
    ],
)
def test_bad_params_name_the_parameter(params, message):
    with pytest.raises(QueryError, match=message):
        SearchQuery.from_params(params)


@pytest.fixture(scope="module")
def shortlist():
    return search(example_plan(), SearchQuery(min_area_ha=1.5), example_roads_rail())


def test_csv_export(shortlist):
    data = to_csv(shortlist)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens Vietnamese text correctly
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(table["plot_codes"]) == ["D1", "B1,B2"]
    assert "geometry" not in table.columns
    assert table.loc[0, "why_vi"].startswith("Lô D1 rộng 2,00 ha")
    # lon/lat: D1's centroid (x+2100, y+50 from the origin) through the pinned transformer.
    centroid = shortlist.geometry.iloc[0].centroid
    lon, lat = transformer(CRS, "EPSG:4326").transform(centroid.x, centroid.y)
    assert (table.loc[0, "lon"], table.loc[0, "lat"]) == pytest.approx((lon, lat), abs=1e-6)


def test_geojson_export_is_rfc7946(shortlist):
    doc = json.loads(to_geojson(shortlist))
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc  # RFC 7946 §4: WGS 84 only, no crs member
    assert [f["properties"]["plot_codes"] for f in doc["features"]] == ["D1", "B1,B2"]
    assert doc["features"][1]["properties"]["kind"] == "group"
    for feature in doc["features"]:
        ring = feature["geometry"]["coordinates"][0]
        for lon, lat in ring:
            assert 102 < lon < 110 and 8 < lat < 24  # lon first, inside Vietnam
            assert round(lon, 6) == lon and round(lat, 6) == lat
        # RFC 7946 §3.1.6: exterior rings counter-clockwise (positive signed area).
        assert shapely.Polygon(ring).exterior.is_ccw
    # Round trip: back to VN-2000 the 2 ha group measures 2 ha (6 decimals ~ 0.1 m).
    back = to_crs(gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326"), CRS)
    assert back.geometry.area.tolist() == pytest.approx([20_000.0, 20_000.0], rel=5e-3)
