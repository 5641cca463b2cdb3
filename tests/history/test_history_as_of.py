"""as_of returns exactly the features valid on a date (hand-checked on the tiny history)."""

from __future__ import annotations

import pandas as pd
import pytest

from gis_app.analytics import province_indicators
from gis_app.history import as_of, check_versions, current, read_history
from gis_app.history.versions import compare_plans
from gis_app.storage import read_plan


def _keys(frame: pd.DataFrame, key: str) -> list[str]:
    return sorted(frame[key].astype(str))


def test_before_the_history_starts_the_plan_is_empty(tiny_history):
    plan = as_of(tiny_history, "2010-12-31")
    assert all(len(frame) == 0 for frame in plan.layers().values())


@pytest.mark.parametrize(
    ("day", "a3_status", "links", "zones", "capacity"),
    [
        ("2011-01-01", "vacant", ["A1", "A2", "A4"],
         {"Z1": "industrial", "Z2": "warehouse_logistics"}, 1000.0),
        ("2014-12-31", "vacant", ["A1", "A2", "A4"],
         {"Z1": "industrial", "Z2": "warehouse_logistics"}, 1000.0),
        ("2015-01-01", "leased", ["A1", "A2", "A3", "A4"],
         {"Z1": "industrial", "Z2": "warehouse_logistics"}, 1000.0),
        ("2016-05-31", "leased", ["A1", "A2", "A3", "A4"],
         {"Z1": "industrial", "Z2": "warehouse_logistics"}, 1000.0),
        ("2016-06-01", "leased", ["A1", "A2", "A3", "A4"], {"Z2": "green"}, 1500.0),
        ("2030-01-01", "leased", ["A1", "A2", "A3", "A4"], {"Z2": "green"}, 1500.0),
    ],
)
def test_features_valid_on_each_date(tiny_history, day, a3_status, links, zones, capacity):
    plan = as_of(tiny_history, day)
    assert _keys(plan.parks, "park_code") == ["P1"]
    assert _keys(plan.plots, "plot_code") == ["A1", "A2", "A3", "A4"]
    status = dict(zip(plan.plots["plot_code"], plan.plots["status"], strict=True))
    assert status == {"A1": "leased", "A2": "leased", "A3": a3_status, "A4": "leased"}
    assert _keys(plan.tenant_plots, "plot_code") == links
    assert dict(zip(plan.zones["zone_id"], plan.zones["land_use"], strict=True)) == zones
    assert plan.wastewater_plants["design_capacity_m3_day"].tolist() == [capacity]
    assert _keys(plan.tenants, "project_id") == ["T1", "T2"]


def test_occupancy_as_of_follows_the_leases(tiny_history):
    # 1.5 of 2.0 ha leased before the lease of A3 (0.5 ha), 2.0 of 2.0 after it.
    before = province_indicators(as_of(tiny_history, "2014-12-31"), by="legacy_province")
    after = province_indicators(as_of(tiny_history, "2015-01-01"), by="legacy_province")
    assert before.loc["Bắc Ninh", "leased_ha"] == pytest.approx(1.5)
    assert before.loc["Bắc Ninh", "occupancy_share"] == pytest.approx(0.75)
    assert after.loc["Bắc Ninh", "occupancy_share"] == pytest.approx(1.0)
    # Headroom of the plant: 1,000 - 600 m³/day before the upgrade, 1,500 - 600 after it.
    from gis_app.analytics import wastewater_status

    old = wastewater_status(as_of(tiny_history, "2016-05-31")).loc["P1", "headroom_m3_day"]
    new = wastewater_status(as_of(tiny_history, "2016-06-01")).loc["P1", "headroom_m3_day"]
    assert (old, new) == (pytest.approx(400.0), pytest.approx(900.0))


def test_versions_are_closed_not_erased(tiny_history):
    h = read_history(tiny_history)
    plots = h.versions["plots"]
    a3 = plots.loc[plots["plot_code"] == "A3"].sort_values("valid_from")
    assert a3["status"].tolist() == ["vacant", "leased"]
    assert a3["valid_to"].iloc[0] == pd.Timestamp("2015-01-01")
    assert a3["change_to"].iloc[0] == "C0002" and a3["change_from"].iloc[1] == "C0002"
    zones = h.versions["zones"]
    z1 = zones.loc[zones["zone_id"] == "Z1"]
    assert len(z1) == 1 and z1["valid_to"].iloc[0] == pd.Timestamp("2016-06-01")
    assert z1["change_to"].iloc[0] == "C0003"
    assert check_versions(h.versions) == []


def test_current_baseline_is_the_open_versions(tiny_history):
    h = read_history(tiny_history)
    assert compare_plans(read_plan(tiny_history), current(h.versions)).empty
