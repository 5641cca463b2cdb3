"""Field mapping: explicit pairs first, then names matched ignoring case; never a guess."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gis_app.errors import ImportDataError
from gis_app.layers.fieldmap import map_fields
from gis_app.layers.schema import TENANT_PLOTS, ZONES


def zones(columns: dict[str, list[str]]) -> gpd.GeoDataFrame:
    """Zones of 10 m x 10 m side by side in EPSG:9209."""
    n = len(next(iter(columns.values())))
    squares = [shapely.box(10 * i, 0, 10 * (i + 1), 10) for i in range(n)]
    return gpd.GeoDataFrame(columns, geometry=squares, crs="EPSG:9209")


def test_names_match_ignoring_case_and_the_map_wins():
    source = pd.DataFrame({"Plot_Code": ["A1"], "PROJECT_ID": ["T1"], "ma_du_an": ["T9"]})
    out, chosen = map_fields(source, TENANT_PLOTS, {"ma_du_an": "project_id"}, {}, "f")
    assert out.to_dict("list") == {"plot_code": ["A1"], "project_id": ["T9"]}
    assert chosen == {"project_id": "ma_du_an", "plot_code": "Plot_Code"}


def test_mapped_field_is_found_ignoring_case():
    source = pd.DataFrame({"MA_LO": ["A1"], "project_id": ["T1"]})
    out, _ = map_fields(source, TENANT_PLOTS, {"ma_lo": "plot_code"}, {}, "f")
    assert out["plot_code"].tolist() == ["A1"]


def test_two_fields_matching_one_column_is_an_error():
    source = pd.DataFrame({"plot_code": ["A1"], "PLOT_CODE": ["A2"], "project_id": ["T1"]})
    with pytest.raises(ImportDataError, match="plot_code, PLOT_CODE all match 'plot_code'"):
        map_fields(source, TENANT_PLOTS, {}, {}, "f")


def test_two_fields_mapped_to_one_column_is_an_error():
    source = pd.DataFrame({"a": ["A1"], "b": ["A2"], "project_id": ["T1"]})
    with pytest.raises(ImportDataError, match="both 'a' and 'b' are mapped to 'plot_code'"):
        map_fields(source, TENANT_PLOTS, {"a": "plot_code", "b": "plot_code"}, {}, "f")


def test_defaults_fill_columns_the_source_lacks():
    source = zones({"zone_id": ["Z1", "Z2"], "land_use": ["green", "roads"]})
    out, _ = map_fields(source, ZONES, {}, {"park_code": "P1"}, "f")
    assert out["park_code"].tolist() == ["P1", "P1"]
    assert out.geometry.area.tolist() == [100.0, 100.0]


def test_a_default_overrides_a_field_of_the_same_name():
    source = zones({"zone_id": ["Z1"], "land_use": ["green"], "park_code": ["P1"]})
    out, chosen = map_fields(source, ZONES, {}, {"park_code": "P2"}, "f")
    assert out["park_code"].tolist() == ["P2"]
    assert "park_code" not in chosen


def test_a_default_for_a_mapped_column_is_an_error():
    source = zones({"zone_id": ["Z1"], "land_use": ["green"], "ma_kcn": ["P1"]})
    with pytest.raises(ImportDataError, match="'park_code' comes from field 'ma_kcn'"):
        map_fields(source, ZONES, {"ma_kcn": "park_code"}, {"park_code": "P2"}, "f")


def test_a_default_for_an_unknown_column_is_an_error():
    source = zones({"zone_id": ["Z1"], "land_use": ["green"], "park_code": ["P1"]})
    with pytest.raises(ImportDataError, match="'colour': not a column of layer 'zones'"):
        map_fields(source, ZONES, {}, {"colour": "red"}, "f")
