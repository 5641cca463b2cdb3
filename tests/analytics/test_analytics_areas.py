"""park_areas on hand-computed fixtures (see conftest for the layouts)."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest

from gis_app.analytics import park_areas
from gis_app.errors import CRSError
from gis_app.model.crs import to_crs


def test_tiny_plan_areas(tiny):
    a = park_areas(tiny).loc["P1"]
    # Four 0.5 ha plots, all leasable; A1, A2, A4 leased; A3 vacant with a factory.
    assert a["leasable_ha"] == pytest.approx(2.0)
    assert a["leased_ha"] == pytest.approx(1.5)
    assert a["vacant_ha"] == pytest.approx(0.5)
    assert a["rbf_vacant_ha"] == pytest.approx(0.5)
    assert a["cleared_ha"] == pytest.approx(2.0)
    assert a["occupancy_share"] == pytest.approx(0.75)
    assert a["occupancy_cleared_share"] == pytest.approx(0.75)
    assert a["outline_ha"] == pytest.approx(2.0)
    assert a["area_basis"] == "plots"


def test_span_park_splits_leasable_land_by_status(mixed):
    a = park_areas(mixed).loc["SPAN"]
    # S1 1.0 + S2 0.5 leased; S3 1.0 reserved; S4 0.5 not cleared; S5 0.5 vacant (factory);
    # S6 0.5 is service land: leased, but not leasable industrial land.
    assert a["leasable_ha"] == pytest.approx(3.5)
    assert a["leased_ha"] == pytest.approx(1.5)
    assert a["reserved_ha"] == pytest.approx(1.0)
    assert a["not_cleared_ha"] == pytest.approx(0.5)
    assert a["vacant_ha"] == pytest.approx(0.5)
    assert a["rbf_vacant_ha"] == pytest.approx(0.5)
    assert a["cleared_ha"] == pytest.approx(3.0)
    assert a["plots_ha"] == pytest.approx(4.0)
    assert a["occupancy_share"] == pytest.approx(1.5 / 3.5)
    assert a["occupancy_cleared_share"] == pytest.approx(0.5)


def test_park_without_plots_falls_back_to_attributes(mixed):
    a = park_areas(mixed)
    empty = a.loc["EMPTY"]
    assert empty["area_basis"] == "park_attributes"
    assert empty["leasable_ha"] == pytest.approx(2.0)  # attribute leasable_area_ha
    assert math.isnan(empty["cleared_ha"])  # attribute absent: unknown, not zero
    assert empty["leased_ha"] == 0.0
    assert empty["occupancy_share"] == 0.0
    assert math.isnan(empty["vacant_ha"])
    approved = a.loc["APPROVED"]
    assert math.isnan(approved["leasable_ha"])
    assert math.isnan(approved["occupancy_share"])
    assert approved["planned_ha"] == pytest.approx(5.0)
    assert approved["established_ha"] == 0.0


def test_park_with_no_leasable_land_has_no_occupancy(mixed):
    a = park_areas(mixed).loc["NOLEASE"]
    assert a["leasable_ha"] == 0.0
    assert a["plots_ha"] == pytest.approx(2.0)
    assert math.isnan(a["occupancy_share"])
    assert math.isnan(a["occupancy_cleared_share"])


def test_index_and_order_follow_the_parks_layer(mixed):
    a = park_areas(mixed)
    assert a.index.name == "park_code"
    assert list(a.index) == ["SPAN", "EMPTY", "APPROVED", "NOLEASE", "FULL"]


def test_planned_attribute_and_measured_outline_are_kept_apart(mixed):
    parks = mixed.parks.copy()
    parks.loc[parks["park_code"] == "SPAN", "planned_area_ha"] = 4.5  # published figure
    a = park_areas(mixed.replace(parks=parks)).loc["SPAN"]
    assert a["planned_ha"] == pytest.approx(4.5)
    assert a["outline_ha"] == pytest.approx(4.0)


def test_inputs_are_not_mutated(mixed):
    before = {n: f.copy() for n, f in mixed.layers().items()}
    park_areas(mixed)
    for name, frame in mixed.layers().items():
        pd.testing.assert_frame_equal(frame, before[name])


def test_geographic_crs_is_refused(tiny):
    plots = to_crs(tiny.plots, "EPSG:4326")
    parks = to_crs(tiny.parks, "EPSG:4326")
    with pytest.raises(CRSError, match="plots.*not a projected metric CRS"):
        park_areas(tiny.replace(plots=plots, parks=parks))


def test_missing_crs_is_refused(tiny):
    plots = gpd.GeoDataFrame(tiny.plots.drop(columns="geometry"),
                             geometry=list(tiny.plots.geometry), crs=None)
    with pytest.raises(CRSError, match="no CRS"):
        park_areas(tiny.replace(plots=plots))
