"""Park areas computed in PostGIS equal the Python path (gis_app.analytics) on the same plan."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.affinity
from pandas.testing import assert_frame_equal

from gis_app.analytics import park_areas
from gis_app.analytics.areas import AREA_COLUMNS as PYTHON_COLUMNS
from gis_app.settings import PROVINCES
from gis_app.storage import gpkg, source
from gis_app.storage.postgis import store as postgis
from gis_app.storage.postgis.connect import connect, parse_url
from gis_app.storage.postgis.indicators import AREA_COLUMNS, park_areas_sql
from gis_app.testing import tiny_plan


def _sql_areas(url: str) -> pd.DataFrame:
    target = parse_url(url)
    with connect(target, autocommit=True) as conn:
        return park_areas_sql(conn, target.province_key)


def test_columns_are_those_of_the_python_path():
    assert AREA_COLUMNS == PYTHON_COLUMNS


def test_tiny_plan_by_hand(pg_url):
    postgis.init_database(pg_url)
    source.write_plan(pg_url, tiny_plan())
    got = _sql_areas(pg_url)
    assert list(got.columns) == list(AREA_COLUMNS)
    row = got.loc["P1"]
    assert row["leasable_ha"] == pytest.approx(2.0)
    assert row["leased_ha"] == pytest.approx(1.5)
    assert row["vacant_ha"] == pytest.approx(0.5)
    assert row["rbf_vacant_ha"] == pytest.approx(0.5)  # A3 has a ready-built factory
    assert row["occupancy_share"] == pytest.approx(0.75)
    assert row["area_basis"] == "plots"


@pytest.mark.parametrize("province", ["bac_ninh", "ninh_binh"])
def test_sql_equals_python_on_the_shipped_provinces(province, pg_cluster, pg_db):
    url = pg_cluster.url(pg_db, province=province)
    postgis.init_database(url)
    plan = gpkg.read_plan(PROVINCES[province].default_path)
    source.write_plan(url, plan)
    got = _sql_areas(url)
    want = park_areas(plan)
    assert_frame_equal(got, want, check_exact=False, rtol=1e-9)
    assert got["leased_ha"].sum() > 0


def test_parks_without_plots_fall_back_to_their_attributes(pg_url):
    postgis.init_database(pg_url)
    plan = tiny_plan()
    empty = pd.concat([plan.parks] * 2, ignore_index=True)
    empty["park_code"] = ["P2", "P3"]
    empty["leasable_area_ha"] = pd.array([7.0, None], dtype="float64")
    empty["geometry"] = [shapely.affinity.translate(plan.parks.geometry.iloc[0], 1_000, dy)
                         for dy in (0, 1_000)]
    parks = pd.concat([plan.parks, empty], ignore_index=True)
    plan = plan.replace(parks=gpd.GeoDataFrame(parks, crs=plan.crs))
    source.write_plan(pg_url, plan)
    got = _sql_areas(pg_url)
    assert got.loc["P2", "leasable_ha"] == 7.0 and got.loc["P2", "leased_ha"] == 0.0
    assert got.loc["P2", "occupancy_share"] == 0.0
    assert np.isnan(got.loc["P3", "occupancy_share"])  # nothing known to be leasable
    assert np.isnan(got.loc["P2", "vacant_ha"])  # the status split is unknown without plots
    assert got["area_basis"].tolist() == ["plots", "park_attributes", "park_attributes"]
    assert_frame_equal(got, park_areas(plan), check_exact=False, rtol=1e-9)
