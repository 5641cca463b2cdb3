"""The same behaviour from both backends: a GeoPackage in tmp_path and a PostGIS schema."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

from gis_app.errors import LayerError, ValidationError
from gis_app.storage import source
from gis_app.storage.postgis.store import init_database
from gis_app.testing import tiny_plan


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def src(request: pytest.FixtureRequest, tmp_path) -> str:
    """An empty province source of each kind."""
    if request.param == "gpkg":
        return str(tmp_path / "bac_ninh.gpkg")
    url = request.getfixturevalue("pg_url")
    init_database(url)
    return url


def _assert_same_plan(got, want) -> None:
    for name, frame in want.layers().items():
        other = got.layers()[name]
        if isinstance(frame, gpd.GeoDataFrame):
            assert_geodataframe_equal(other, frame, check_crs=True, check_dtype=True)
        else:
            assert_frame_equal(other, frame, check_dtype=True)


def test_write_then_read_returns_the_same_plan(src):
    plan = tiny_plan()
    source.write_plan(src, plan)
    _assert_same_plan(source.read_plan(src), plan)


def test_tiny_plan_validates_clean(src):
    source.write_plan(src, tiny_plan())
    report = source.validate_source(src)
    assert report.ok, report.summary()


def test_invalid_plan_is_refused_and_nothing_written(src):
    plan = tiny_plan()
    source.write_plan(src, plan)
    plots = plan.plots.copy()
    plots.loc[0, "status"] = "rented"  # not a code
    plots.loc[1, "area_ha"] = -1.0
    with pytest.raises(ValidationError) as info:
        source.write_plan(src, plan.replace(plots=plots))
    rules = set(info.value.report.problems["rule"])
    assert {"bad_code", "below_minimum"} <= rules
    assert source.read_plan(src).plots["status"].tolist() == ["leased", "leased", "vacant",
                                                              "leased"]


def test_edited_plan_is_read_back(src):
    plan = tiny_plan()
    source.write_plan(src, plan)
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == "A3", "status"] = "reserved"
    source.write_plan(src, plan.replace(plots=plots))
    got = source.read_plan(src).plots.set_index("plot_code")["status"]
    assert got["A3"] == "reserved"
    assert got["A1"] == "leased"


def test_extra_tables_round_trip(src):
    source.write_plan(src, tiny_plan())
    scenarios = pd.DataFrame({"scenario_id": ["S1", "S2"], "title": ["Mở rộng", None],
                              "edits": pd.array([3, None], dtype="Int64")})
    labels = gpd.GeoDataFrame({"label": ["KCN Thử nghiệm"]},
                              geometry=[shapely.Point(550_100, 2_335_050)], crs="EPSG:9209")
    source.write_layers(src, {"scenarios": scenarios, "park_labels": labels})
    got = source.read_layer(src, "scenarios")
    assert got["scenario_id"].tolist() == ["S1", "S2"]
    assert got["title"].isna().tolist() == [False, True]
    assert got["edits"].iloc[0] == 3 and pd.isna(got["edits"].iloc[1])
    context = source.read_context(src, "park_labels")
    assert context.crs.to_epsg() == 9209
    assert context.geometry.iloc[0].equals(shapely.Point(550_100, 2_335_050))
    assert {"plots", "scenarios", "park_labels"} <= set(source.list_layers(src))


def test_missing_layer_is_a_layer_error_naming_it(src):
    source.write_plan(src, tiny_plan())
    with pytest.raises(LayerError, match="rivers"):
        source.read_context(src, "rivers")
