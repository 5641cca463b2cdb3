"""The analytics reproduce the figures the boards publish (facts.md) on the shipped sample."""

from __future__ import annotations

from datetime import date

import pytest

from gis_app.analytics import province_indicators, reclamation_candidates
from gis_app.sample.builtup import write_builtup_raster
from gis_app.settings import PROVINCES
from gis_app.storage import read_plan


@pytest.fixture(scope="module")
def bac_ninh():
    return read_plan(PROVINCES["bac_ninh"].default_path)


@pytest.fixture(scope="module")
def ninh_binh():
    return read_plan(PROVINCES["ninh_binh"].default_path)


def test_old_bac_ninh_2023(bac_ninh):
    # facts.md, seeds 000/001 (to 17 Nov 2023).
    bn = province_indicators(bac_ninh, by="legacy_province").loc["Bắc Ninh"]
    assert bn["parks_approved_count"] == 16
    assert bn["planned_ha"] == pytest.approx(6397.68, abs=0.005)
    assert bn["parks_established_count"] == 15
    assert bn["established_ha"] == pytest.approx(5946.99, abs=0.005)
    assert bn["parks_operating_count"] == 12
    assert bn["leased_ha"] == pytest.approx(2481.57, abs=0.005)
    assert round(bn["occupancy_share"] * 100, 2) == 60.04
    assert bn["parks_operating_with_plant_count"] == 11
    assert bn["wastewater_coverage_share"] == pytest.approx(11 / 12)


def test_old_ninh_binh_project_mix(ninh_binh):
    # facts.md, seed 004: 122 valid projects, 102 operating, 7 under construction, 13 behind.
    nb = province_indicators(ninh_binh, by="legacy_province").loc["Ninh Bình"]
    assert nb["projects_valid_count"] == 122
    assert nb["projects_operating_count"] == 102
    assert nb["projects_under_construction_count"] == 7
    assert nb["projects_behind_schedule_count"] == 13


def test_merged_province_is_the_sum_of_its_legacy_provinces(bac_ninh):
    whole = province_indicators(bac_ninh, by="province").loc["Bắc Ninh"]
    parts = province_indicators(bac_ninh, by="legacy_province")
    for column in ("parks_approved_count", "planned_ha", "leased_ha", "leasable_ha",
                   "projects_valid_count"):
        assert whole[column] == pytest.approx(parts[column].sum())


def test_sample_raster_finds_behind_schedule_and_idle_land(ninh_binh, tmp_path):
    raster = write_builtup_raster(ninh_binh, tmp_path / "nb.tif")
    assert raster.stat().st_size < 400_000
    r = reclamation_candidates(ninh_binh, raster, date(2023, 11, 17))
    reasons = r["reasons"]
    # Plots of the 13 behind-schedule projects are all candidates and all look empty.
    behind = ninh_binh.tenants.loc[ninh_binh.tenants["project_status"] == "behind_schedule",
                                   "project_id"]
    assert set(r.loc[reasons.str.contains("behind_schedule"), "project_id"]) == set(behind)
    assert reasons.str.contains("behind_schedule").sum() == reasons.str.contains(
        "behind_schedule, low_builtup").sum()
    # The raster alone also finds idle land of operating projects.
    assert (reasons == "low_builtup").any()
    assert r["rank"].tolist() == list(range(1, len(r) + 1))
