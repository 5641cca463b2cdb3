"""park_indicators and province_indicators on the mixed plan (hand-computed in conftest)."""

from __future__ import annotations

import pytest

from gis_app.analytics import park_areas, park_indicators, province_indicators


def test_park_indicators_one_wide_row_per_park(mixed):
    t = park_indicators(mixed)
    assert list(t.index) == list(mixed.parks["park_code"])
    for column in ("name_vi", "name_en", "province", "legacy_province", "status", "planned_ha",
                   "leased_ha", "occupancy_share", "registered_capital_usd_per_ha",
                   "projects_valid_count", "plant_operating", "utilisation_share",
                   "headroom_m3_day"):
        assert column in t.columns
    span = t.loc["SPAN"]
    assert span["name_vi"] == "KCN SPAN"
    assert span["projects_valid_count"] == 3  # X, Y and the developer INF
    assert span["projects_revoked_count"] == 1  # Z
    assert span["headroom_m3_day"] == pytest.approx(50.0)
    assert t.loc["FULL", "projects_revoked_count"] == 1


def test_legacy_province_figures(mixed):
    t = province_indicators(mixed, by="legacy_province")
    bn = t.loc["Bắc Ninh"]
    assert (bn["parks_approved_count"], bn["parks_established_count"],
            bn["parks_operating_count"]) == (3, 2, 2)
    assert bn["planned_ha"] == pytest.approx(12.0)  # 4 + 3 + 5
    assert bn["established_ha"] == pytest.approx(7.0)  # SPAN 4 + EMPTY 3
    assert bn["leased_ha"] == pytest.approx(1.5)
    assert bn["leasable_ha"] == pytest.approx(5.5)  # SPAN 3.5 + EMPTY's attribute 2.0
    assert bn["occupancy_share"] == pytest.approx(1.5 / 5.5)
    assert bn["parks_operating_with_plant_count"] == 1  # SPAN yes, EMPTY no
    assert bn["wastewater_coverage_share"] == pytest.approx(0.5)
    assert (bn["projects_valid_count"], bn["projects_operating_count"],
            bn["projects_under_construction_count"], bn["projects_behind_schedule_count"],
            bn["projects_revoked_count"]) == (3, 2, 1, 0, 1)
    bg = t.loc["Bắc Giang"]
    assert (bg["parks_approved_count"], bg["parks_established_count"],
            bg["parks_operating_count"]) == (2, 2, 1)
    assert bg["occupancy_share"] == pytest.approx(1.0)
    assert bg["wastewater_coverage_share"] == 0.0  # FULL only has a planned plant
    assert bg["registered_capital_usd_per_ha"] == pytest.approx(2e6)  # Q only, R revoked


def test_province_sums_equal_the_legacy_provinces(mixed):
    whole = province_indicators(mixed, by="province")
    parts = province_indicators(mixed, by="legacy_province")
    assert list(whole.index) == ["Bắc Ninh"]
    for column in ("parks_approved_count", "parks_operating_count", "planned_ha",
                   "leased_ha", "leasable_ha", "projects_valid_count", "registered_capital_usd"):
        assert whole.loc["Bắc Ninh", column] == pytest.approx(parts[column].sum())
    assert whole.loc["Bắc Ninh", "occupancy_share"] == pytest.approx(3.5 / 7.5)
    assert whole.loc["Bắc Ninh", "wastewater_coverage_share"] == pytest.approx(1 / 3)


def test_established_area_counts_established_parks_only(mixed):
    parks = mixed.parks.copy()
    # An approved park with an established area filled in by mistake is not counted.
    parks.loc[parks["park_code"] == "APPROVED", "established_area_ha"] = 5.0
    t = province_indicators(mixed.replace(parks=parks), by="legacy_province")
    assert t.loc["Bắc Ninh", "established_ha"] == pytest.approx(7.0)
    # ... while the park row shows the attribute as it is.
    assert park_areas(mixed.replace(parks=parks)).loc["APPROVED", "established_ha"] == 5.0


def test_proposed_parks_are_not_approved(mixed):
    parks = mixed.parks.copy()
    parks["status"] = parks["status"].astype("object")
    parks.loc[parks["park_code"] == "APPROVED", "status"] = "proposed"
    parks["status"] = parks["status"].astype("string")
    t = province_indicators(mixed.replace(parks=parks), by="legacy_province")
    assert t.loc["Bắc Ninh", "parks_count"] == 3
    assert t.loc["Bắc Ninh", "parks_approved_count"] == 2


def test_unknown_grouping_is_refused(mixed):
    with pytest.raises(ValueError, match="by='district'"):
        province_indicators(mixed, by="district")
