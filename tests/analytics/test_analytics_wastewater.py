"""Wastewater status per park and coverage per province."""

from __future__ import annotations

import math

import pytest

from gis_app.analytics import WastewaterThresholds, wastewater_coverage, wastewater_status
from gis_app.testing.builders import ParkSpec, PlantSpec, build_plan


def test_tiny_plan_plant(tiny):
    w = wastewater_status(tiny).loc["P1"]
    assert w["plant_operating"] and w["auto_monitoring"]
    assert w["utilisation_share"] == pytest.approx(0.6)
    assert w["headroom_m3_day"] == pytest.approx(400.0)
    assert not w["flag_high_utilisation"] and not w["flag_operating_without_plant"]


def test_flags(mixed):
    w = wastewater_status(mixed)
    assert bool(w.loc["SPAN", "flag_high_utilisation"])  # 950 / 1000 > 85 %
    assert not bool(w.loc["SPAN", "auto_monitoring"])
    assert bool(w.loc["EMPTY", "flag_operating_without_plant"])  # no plant at all
    full = w.loc["FULL"]
    assert bool(full["plant_present"]) and not bool(full["plant_operating"])
    assert bool(full["flag_operating_without_plant"])  # a planned plant does not treat water
    assert full["pending_capacity_m3_day"] == pytest.approx(500.0)
    assert full["design_capacity_m3_day"] == 0.0
    assert math.isnan(full["utilisation_share"])
    # Established but not operating: no plant expected yet.
    assert not bool(w.loc["NOLEASE", "flag_operating_without_plant"])


def test_threshold_is_configurable(mixed):
    w = wastewater_status(mixed, WastewaterThresholds(max_utilisation_share=0.96))
    assert not bool(w.loc["SPAN", "flag_high_utilisation"])


def test_several_plants_sum_operating_capacity_only():
    plan = build_plan([ParkSpec("P", 100.0, "operating", plants=(
        PlantSpec("A", 1000.0, 400.0, "operating", monitoring=True),
        PlantSpec("B", 500.0, 100.0, "operating", monitoring=False),
        PlantSpec("C", 2000.0, None, "under_construction"),
    ))])
    w = wastewater_status(plan).loc["P"]
    assert w["plants_count"] == 3 and w["plants_operating_count"] == 2
    assert w["design_capacity_m3_day"] == pytest.approx(1500.0)
    assert w["current_load_m3_day"] == pytest.approx(500.0)
    assert w["utilisation_share"] == pytest.approx(1 / 3)
    assert w["pending_capacity_m3_day"] == pytest.approx(2000.0)
    assert not bool(w["auto_monitoring"])  # B is not monitored


def test_coverage_per_legacy_province(mixed):
    c = wastewater_coverage(mixed, by="legacy_province")
    assert c.loc["Bắc Ninh", "parks_operating_count"] == 2
    assert c.loc["Bắc Ninh", "parks_operating_with_plant_count"] == 1
    assert c.loc["Bắc Ninh", "coverage_share"] == pytest.approx(0.5)
    assert c.loc["Bắc Ninh", "parks_high_utilisation_count"] == 1
    assert c.loc["Bắc Giang", "coverage_share"] == 0.0
