"""Efficiency per leased hectare, ranking and threshold flags."""

from __future__ import annotations

import math

import pytest

from gis_app.analytics import (
    EfficiencyThresholds,
    efficiency_ranking,
    park_efficiency,
    tenant_flags,
    tenant_metrics,
)


def test_tenant_spanning_plots_gets_the_area_of_all_its_plots(mixed):
    m = tenant_metrics(mixed)
    assert m.loc["X", "plots_count"] == 2
    assert m.loc["X", "area_ha"] == pytest.approx(1.5)  # S1 1.0 + S2 0.5
    assert m.loc["X", "registered_capital_usd_per_ha"] == pytest.approx(4e6)
    assert m.loc["Z", "area_ha"] == 0.0  # revoked, no plot
    assert math.isnan(m.loc["Z", "registered_capital_usd_per_ha"])
    assert not m.loc["Z", "valid"]


def test_tiny_plan_efficiency(tiny):
    e = park_efficiency(tiny).loc["P1"]
    # T1 10 M + T2 2 M USD on 1.0 + 0.5 ha.
    assert e["registered_capital_usd_per_ha"] == pytest.approx(8e6)
    assert e["realised_capital_usd_per_ha"] == pytest.approx(8.5e6 / 1.5)
    # Only T1 reports revenue, exports and budget: their denominators are T1's 1.0 ha.
    assert e["revenue_usd_per_ha"] == pytest.approx(30e6)
    assert e["exports_usd_per_ha"] == pytest.approx(25e6)
    assert e["budget_usd_per_ha"] == pytest.approx(1e6)
    assert e["employees_per_ha"] == pytest.approx(410 / 1.5)
    assert e["registered_capital_usd_per_project"] == pytest.approx(6e6)


def test_missing_figures_stay_missing_and_out_of_denominators(mixed):
    e = park_efficiency(mixed).loc["SPAN"]
    # Valid secondary projects: X (1.5 ha, 6 M USD, revenue 3 M, 30 jobs) and Y (0.5 ha,
    # 1 M USD). Z is revoked and INF is the infrastructure developer: both left out.
    assert e["secondary_projects_valid_count"] == 2
    assert e["projects_ha"] == pytest.approx(2.0)
    assert e["registered_capital_usd"] == pytest.approx(7e6)
    assert e["registered_capital_usd_per_ha"] == pytest.approx(3.5e6)
    assert e["revenue_usd_per_ha"] == pytest.approx(2e6)  # 3 M on X's 1.5 ha only
    assert e["employees_per_ha"] == pytest.approx(20.0)
    assert math.isnan(e["realised_capital_usd"])  # nobody reports it
    assert math.isnan(e["realised_capital_usd_per_ha"])
    assert math.isnan(e["realised_share"])


def test_parks_without_projects_have_zero_counts_and_nan_ratios(mixed):
    e = park_efficiency(mixed)
    assert e.loc["EMPTY", "secondary_projects_valid_count"] == 0
    assert math.isnan(e.loc["EMPTY", "registered_capital_usd_per_ha"])
    assert math.isnan(e.loc["EMPTY", "registered_capital_usd_per_project"])


def test_ranking_orders_parks_by_capital_per_ha_and_flags(mixed):
    r = efficiency_ranking(mixed)
    assert list(r.index[:2]) == ["SPAN", "FULL"]  # 3.5 M vs 2.0 M USD/ha
    assert r.loc["SPAN", "rank"] == 1 and r.loc["FULL", "rank"] == 2
    assert r["rank"].iloc[2:].isna().all()  # parks without the figure come last
    # Default minimum 3 M USD/ha: FULL is below it, SPAN is not.
    assert bool(r.loc["FULL", "below_registered_capital_per_ha"])
    assert not bool(r.loc["SPAN", "below_registered_capital_per_ha"])
    # FULL: budget 50,000 USD on 1 ha, below the default 100,000 USD/ha.
    assert bool(r.loc["FULL", "below_budget_per_ha"])
    assert "below_revenue_per_ha" not in r.columns  # threshold off by default


def test_thresholds_are_configurable(mixed):
    strict = EfficiencyThresholds(min_registered_capital_usd_per_ha=5e6,
                                  min_revenue_usd_per_ha=3e6, min_budget_usd_per_ha=None,
                                  min_realised_share=None)
    r = efficiency_ranking(mixed, strict)
    assert bool(r.loc["SPAN", "below_registered_capital_per_ha"])
    assert bool(r.loc["SPAN", "below_revenue_per_ha"])  # 2 M < 3 M
    assert not bool(r.loc["FULL", "below_revenue_per_ha"])  # 4 M
    assert "below_budget_per_ha" not in r.columns
    assert r.loc["SPAN", "flag_count"] == 2


def test_tenant_flags(tiny):
    f = tenant_flags(tiny)
    # T2: 4 M USD/ha registered (above 3 M) but only 25 % realised (below 50 %).
    assert bool(f.loc["T2", "below_realised_share"])
    assert not bool(f.loc["T2", "below_registered_capital_per_ha"])
    assert f.index[0] == "T2"  # most flagged first
    assert f.loc["T1", "flag_count"] == 0
