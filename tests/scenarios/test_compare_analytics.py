"""compare() with the real analytics indicators (its defaults)."""

from __future__ import annotations

import pytest

from gis_app.model.plan import Plan
from gis_app.scenarios import ReclaimProjects, Scenario, UpgradeWastewaterPlant, evaluate
from gis_app.scenarios.compare import compare
from gis_app.settings import PROVINCES
from gis_app.storage import read_plan


@pytest.mark.parametrize("key", ["bac_ninh", "ninh_binh"])
def test_empty_scenario_leaves_every_analytics_indicator_unchanged(key: str) -> None:
    baseline = read_plan(PROVINCES[key].default_path)
    table = compare(baseline, evaluate(baseline, Scenario.new("empty")))
    assert len(table) > 100
    assert not table["changed"].any(), table.loc[table["changed"]].head()
    indicators = set(table["indicator"])
    # leasable ha, occupancy, efficiency per ha, wastewater headroom, land-use compliance
    assert {"leasable_ha", "occupancy_share", "registered_capital_usd_per_ha",
            "headroom_m3_day", "wastewater_coverage_share",
            "meets_all_minimums"} <= indicators


def test_reclaim_and_upgrade_on_the_tiny_plan(plan: Plan) -> None:
    s = Scenario.new("t").with_edit(ReclaimProjects(id="e1", project_ids=("T2",))).with_edit(
        UpgradeWastewaterPlant(id="e2", plant_id="W1", design_capacity_m3_day=1500.0))
    table = compare(plan, evaluate(plan, s)).set_index(["level", "key", "indicator"])
    park = table.loc["park"].loc["P1"]
    assert park.loc["leased_ha", ["a", "b"]].tolist() == pytest.approx([1.5, 1.0])
    assert park.loc["occupancy_share", ["a", "b"]].tolist() == pytest.approx([0.75, 0.5])
    assert park.loc["headroom_m3_day", ["a", "b"]].tolist() == pytest.approx([400.0, 900.0])
    # T2 (2 M USD on 0.5 ha) leaves: registered capital per leased ha is T1's 10 M / 1.0 ha
    assert park.loc["registered_capital_usd_per_ha", "b"] == pytest.approx(10_000_000.0)
