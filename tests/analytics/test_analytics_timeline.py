"""Occupancy over time from lease start dates."""

from __future__ import annotations

import pytest

from gis_app.analytics import occupancy_over_time


def test_tiny_plan_series(tiny):
    t = occupancy_over_time(tiny)
    # T1 (A1 + A2, 1.0 ha) from 2012; T2 (A4, 0.5 ha) from 2020; leasable 2.0 ha.
    assert t.index.names == ["park_code", "year"]
    assert t.loc[("P1", 2012), "leased_ha"] == pytest.approx(1.0)
    assert t.loc[("P1", 2019), "occupancy_share"] == pytest.approx(0.5)
    assert t.loc[("P1", 2020), "leased_ha"] == pytest.approx(1.5)
    assert t.index.get_level_values("year").min() == 2012
    assert t.index.get_level_values("year").max() == 2020


def test_revoked_and_ended_leases_and_non_leasable_land(mixed):
    t = occupancy_over_time(mixed, years=(2014, 2022))
    # SPAN: X (1.5 ha) from 2015; Y's plot is service land, not leasable.
    assert t.loc[("SPAN", 2014), "leased_ha"] == 0.0
    assert t.loc[("SPAN", 2015), "leased_ha"] == pytest.approx(1.5)
    assert t.loc[("SPAN", 2022), "occupancy_share"] == pytest.approx(1.5 / 3.5)
    # FULL: Q (1.0 ha) leases 2020-2022 (ends 1 Jan 2022); R is revoked and never counts.
    assert t.loc[("FULL", 2019), "leased_ha"] == 0.0
    assert t.loc[("FULL", 2020), "leased_ha"] == pytest.approx(1.0)
    assert t.loc[("FULL", 2021), "occupancy_share"] == pytest.approx(0.5)
    assert t.loc[("FULL", 2022), "leased_ha"] == 0.0
    # Parks without leases still have a row per year.
    assert t.loc[("EMPTY", 2020), "leased_ha"] == 0.0


def test_province_series_is_the_sum_of_its_parks(mixed):
    parks = occupancy_over_time(mixed, years=(2014, 2022))
    legacy = occupancy_over_time(mixed, by="legacy_province", years=(2014, 2022))
    bn = parks.loc[["SPAN", "EMPTY", "APPROVED"]].groupby("year")["leased_ha"].sum()
    assert legacy.xs("Bắc Ninh")["leased_ha"].tolist() == pytest.approx(bn.tolist())
    assert legacy.loc[("Bắc Giang", 2021), "occupancy_share"] == pytest.approx(0.5)


def test_undated_leases_are_reported_not_placed(tiny):
    tenants = tiny.tenants.copy()
    tenants.loc[tenants["project_id"] == "T2", "lease_start"] = None
    t = occupancy_over_time(tiny.replace(tenants=tenants))
    assert t.attrs["undated_leased_ha"] == pytest.approx(0.5)
    assert t["leased_ha"].max() == pytest.approx(1.0)


def test_no_dated_lease_gives_an_empty_series(tiny):
    tenants = tiny.tenants.copy()
    tenants["lease_start"] = None
    tenants["lease_start"] = tenants["lease_start"].astype("datetime64[ms]")
    t = occupancy_over_time(tiny.replace(tenants=tenants))
    assert t.empty and list(t.columns) == ["leased_ha", "leasable_ha", "occupancy_share"]
