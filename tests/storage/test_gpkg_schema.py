"""The schema survives a real GeoPackage: write -> read_plan gives back the same typed frames."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

from gis_app.model.schema import SCHEMAS
from gis_app.storage import read_plan

#: How each kind of column is declared in the GeoPackage (OGR field type, subtype).
OGR_TYPES = {
    "str": ("OFTString", "OFSTNone"),
    "float": ("OFTReal", "OFSTNone"),
    "int": ("OFTInteger64", "OFSTNone"),
    "bool": ("OFTInteger", "OFSTBoolean"),
    "date": ("OFTDateTime", "OFSTNone"),
}


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_layer_round_trips_through_geopackage(province_file, plan, name):
    written = plan.layers()[name]
    read = read_plan(province_file).layers()[name]
    if SCHEMAS[name].geometry_types is None:
        assert not isinstance(read, gpd.GeoDataFrame)
        assert_frame_equal(read, written)
    else:
        assert_geodataframe_equal(read, written, check_crs=True, check_dtype=True)
    assert list(read.columns[: len(SCHEMAS[name].columns)]) == SCHEMAS[name].column_names


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_stored_field_types_follow_the_schema(province_file, name):
    info = pyogrio.read_info(province_file, layer=name)
    stored = dict(
        zip(info["fields"], zip(info["ogr_types"], info["ogr_subtypes"], strict=True), strict=True)
    )
    expected = {c.name: OGR_TYPES[c.kind] for c in SCHEMAS[name].columns}
    assert stored == expected
    geometry_types = SCHEMAS[name].geometry_types
    if geometry_types is None:
        assert info["geometry_type"] is None
    else:
        assert info["geometry_type"] in geometry_types
        assert info["crs"] == "EPSG:9209"


def test_missing_optional_values_round_trip_as_missing(province_file):
    # T2 has no revenue: it must come back missing, not 0 or NaN-as-string.
    tenants = read_plan(province_file).tenants.set_index("project_id")
    assert pd.isna(tenants.loc["T2", "revenue_usd"])
    assert tenants.loc["T1", "revenue_usd"] == pytest.approx(30_000_000.0)
    assert tenants["employees"].dtype == "Int64"
    assert tenants.loc["T2", "employees"] == 10
