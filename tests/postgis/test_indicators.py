"""Park areas computed in PostGIS equal the Python path on the same plan."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.affinity
from pandas.testing import assert_frame_equal

from gis_app.layers import gpkg, postgis, source
from gis_app.layers.pg_connect import connect, parse_url
from gis_app.layers.pg_indicators import AREA_COLUMNS, park_areas_sql
from gis_app.layers.plan import Plan
from gis_app.settings import LEASABLE_LAND_USES, PROVINCES
from gis_app.testing import tiny_plan


def _reference(plan: Plan) -> pd.DataFrame:
    """An independent geopandas computation of the same definitions (groupby on plots).

    TODO(lead): once gis_app.analytics (branch ``analytics``) is on main, also compare with
    ``gis_app.analytics.park_areas`` (see test below), which follows these definitions.
    """
    plots: gpd.GeoDataFrame = plan.plots
    ha = plots.geometry.area / 10_000
    leasable = plots["land_use"].isin(LEASABLE_LAND_USES).to_numpy(dtype=bool)
    status = plots["status"].to_numpy(dtype=object)
    rbf = plots["ready_built_factory"].to_numpy(dtype=bool)

    def part(mask: np.ndarray) -> pd.Series:
        return ha.where(mask, 0.0)

    parts = pd.DataFrame({
        "plots_ha": ha,
        "leasable_ha": part(leasable),
        "cleared_ha": part(leasable & (status != "not_cleared")),
        "leased_ha": part(leasable & (status == "leased")),
        "vacant_ha": part(leasable & (status == "vacant")),
        "reserved_ha": part(leasable & (status == "reserved")),
        "not_cleared_ha": part(leasable & (status == "not_cleared")),
        "rbf_vacant_ha": part(leasable & (status == "vacant") & rbf),
    }).astype("float64")
    parks = plan.parks.set_index(pd.Index(plan.parks["park_code"], name="park_code"))
    sums = parts.groupby(plots["park_code"].to_numpy()).sum().reindex(parks.index)
    has = sums["plots_ha"].notna()
    out = pd.DataFrame(index=parks.index)
    out["planned_ha"] = parks["planned_area_ha"].astype("float64")
    out["outline_ha"] = (parks.geometry.area / 10_000).astype("float64")
    out["established_ha"] = parks["established_area_ha"].astype("float64")
    out["leasable_ha"] = sums["leasable_ha"].where(has, parks["leasable_area_ha"])
    out["cleared_ha"] = sums["cleared_ha"].where(has, parks["cleared_area_ha"])
    out["leased_ha"] = sums["leased_ha"].fillna(0.0)
    for c in ("vacant_ha", "reserved_ha", "not_cleared_ha"):
        out[c] = sums[c]
    out["rbf_vacant_ha"] = sums["rbf_vacant_ha"].fillna(0.0)
    out["plots_ha"] = sums["plots_ha"].fillna(0.0)
    for share, den in (("occupancy_share", "leasable_ha"), ("occupancy_cleared_share",
                                                            "cleared_ha")):
        d = out[den].astype("float64")
        out[share] = (out["leased_ha"] / d.where(d > 0)).astype("float64")
    out["area_basis"] = pd.Series(np.where(has, "plots", "park_attributes"), index=out.index,
                                  dtype="string")
    return out.astype({c: "float64" for c in AREA_COLUMNS[:-1]})


def _sql_areas(url: str) -> pd.DataFrame:
    target = parse_url(url)
    with connect(target, autocommit=True) as conn:
        return park_areas_sql(conn, target.province_key)


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
    want = _reference(plan)
    assert_frame_equal(got, want[list(AREA_COLUMNS)], check_exact=False, rtol=1e-9)
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
    assert_frame_equal(got, _reference(plan)[list(AREA_COLUMNS)], check_exact=False, rtol=1e-9)
