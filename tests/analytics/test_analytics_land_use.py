"""Land-use structure of each park and the check against minimum shares."""

from __future__ import annotations

import pandas as pd
import pytest

from gis_app.analytics import LandUseMinimums, Minimum, land_use_structure, minimums_table


def test_shares_and_default_minimums(mixed):
    s = land_use_structure(mixed)
    span = s.loc["SPAN"]
    # Zones: industrial 3.1 ha, green 0.3, roads 0.52, technical 0.08 of 4.0 ha.
    assert span["zoned_ha"] == pytest.approx(4.0)
    assert span["zoned_share"] == pytest.approx(1.0)
    assert span["industrial_share"] == pytest.approx(0.775)
    assert span["green_share"] == pytest.approx(0.075)
    assert span["roads_share"] == pytest.approx(0.13)
    assert span["technical_infrastructure_share"] == pytest.approx(0.02)
    assert not bool(span["green_meets_min"])
    assert bool(span["technical_infrastructure_meets_min"])
    assert span["shortfalls"] == "green"
    full = s.loc["FULL"]
    assert full["green_share"] == pytest.approx(0.2)
    assert full["shortfalls"] == "technical_infrastructure"
    assert not bool(full["meets_all_minimums"])


def test_park_without_zones_is_not_judged(mixed):
    s = land_use_structure(mixed).loc["EMPTY"]
    assert s["zoned_ha"] == 0.0
    assert pd.isna(s["green_share"])
    assert s["green_meets_min"] is pd.NA
    assert s["meets_all_minimums"] is pd.NA


def test_minimums_are_configurable_and_sourced(mixed):
    custom = LandUseMinimums({"green": Minimum(0.05, "board decision 1/2024", True)})
    s = land_use_structure(mixed, custom)
    assert bool(s.loc["SPAN", "meets_all_minimums"])  # 7.5 % >= 5 %
    assert "technical_infrastructure_meets_min" not in s.columns
    table = minimums_table()
    assert set(table.index) == {"green", "technical_infrastructure"}
    assert table["source"].str.contains("QCVN 01:2021/BXD").all()


def test_unknown_land_use_in_minimums_is_refused():
    with pytest.raises(ValueError, match="parking"):
        LandUseMinimums({"parking": Minimum(0.1, "x", False)})
