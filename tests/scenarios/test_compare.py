"""compare() with small hand-checkable indicator functions, and the change layer."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario_helpers import box, simple_park_indicators, simple_province_indicators

from gis_app.model.plan import Plan
from gis_app.scenarios import (
    AddPark,
    LeasePlots,
    MergePlots,
    ReclaimProjects,
    Scenario,
    UpgradeWastewaterPlant,
    evaluate,
)
from gis_app.scenarios.compare import (
    COMPARE_COLUMNS,
    before_after,
    change_layer,
    compare,
    differences,
)
from gis_app.storage import read_layer
from gis_app.storage.gpkg import write_layers

FUNCS = {"park_indicators": simple_park_indicators,
         "province_indicators": simple_province_indicators}


def _apply(plan: Plan, *edits: object) -> Plan:
    s = Scenario.new("t")
    for e in edits:
        s = s.with_edit(e)  # type: ignore[arg-type]
    return evaluate(plan, s)


def test_empty_scenario_leaves_every_indicator_unchanged(plan: Plan) -> None:
    table = compare(plan, evaluate(plan, Scenario.new("empty")), **FUNCS)
    assert list(table.columns) == COMPARE_COLUMNS
    assert not table["changed"].any()
    assert (table["difference"] == 0).all()
    # leasable, leased, occupancy, headroom per park; four figures for the province
    assert len(table) == 4 + 4
    assert differences(table).empty


def test_reclaim_and_lease_show_in_the_differences(plan: Plan) -> None:
    after = _apply(plan, ReclaimProjects(id="e1", project_ids=("T2",)),
                   LeasePlots(id="e2", plot_codes=("A3",), project_id="T3", investor="G",
                              sector="s"),
                   UpgradeWastewaterPlant(id="e3", plant_id="W1", design_capacity_m3_day=1500.0))
    table = compare(plan, after, **FUNCS).set_index(["level", "key", "indicator"])
    # Before: 1.5 of 2.0 ha leased. After: A4 freed (-0.5), A3 leased (+0.5).
    assert table.loc[("park", "P1", "leased_ha"), ["a", "b", "difference"]].tolist() == \
        pytest.approx([1.5, 1.5, 0.0])
    assert not table.loc[("park", "P1", "occupancy"), "changed"]
    assert table.loc[("park", "P1", "headroom_m3_day"), ["a", "b", "difference"]].tolist() == \
        pytest.approx([400.0, 900.0, 500.0])
    assert table.loc[("province", "Bắc Ninh", "headroom_m3_day"), "difference"] == \
        pytest.approx(500.0)
    assert "name" not in set(table.index.get_level_values("indicator"))  # text is not compared


def test_a_new_park_appears_with_nothing_before(plan: Plan) -> None:
    after = _apply(plan, AddPark(id="e1", park_code="P2", name_vi="Mới", name_en="New",
                                 province="Bắc Ninh", legacy_province="Bắc Ninh",
                                 outline=box(0, 200, 300, 500)))
    table = compare(plan, after, ["leasable_ha", "parks_count"], **FUNCS)
    assert set(table["indicator"]) == {"leasable_ha", "parks_count"}
    p2 = table.loc[(table["key"] == "P2")].iloc[0]
    assert p2["a"] != p2["a"] and p2["b"] == 0.0 and p2["changed"]  # NaN before
    province = before_after(table)
    assert province.loc["parks_count", ("a", "Bắc Ninh")] == 1
    assert province.loc["parks_count", ("b", "Bắc Ninh")] == 2


def test_two_scenarios_compare_with_each_other(plan: Plan) -> None:
    one = _apply(plan, ReclaimProjects(id="e1", project_ids=("T2",)))
    two = _apply(plan, LeasePlots(id="e1", plot_codes=("A3",), project_id="T3", investor="G",
                                  sector="s"))
    table = compare(one, two, **FUNCS).set_index(["level", "key", "indicator"])
    assert table.loc[("park", "P1", "leased_ha"), ["a", "b"]].tolist() == \
        pytest.approx([1.0, 2.0])


def test_change_layer_lists_what_changed(plan: Plan) -> None:
    after = _apply(plan, ReclaimProjects(id="e1", project_ids=("T2",)),
                   MergePlots(id="e2", plot_codes=("A1", "A2"), new_code="A12"),
                   UpgradeWastewaterPlant(id="e3", plant_id="W1", design_capacity_m3_day=1500.0))
    changes = change_layer(plan, after)
    got = {(r.layer, r.feature_id): (r.change, r.columns_changed)
           for r in changes.itertuples()}
    assert got == {
        ("plots", "A1"): ("removed", ""),
        ("plots", "A2"): ("removed", ""),
        ("plots", "A12"): ("added", ""),
        ("plots", "A4"): ("changed", "status"),
        ("tenants", "T2"): ("changed", "project_status"),
        ("tenant_plots", "A1"): ("removed", ""),
        ("tenant_plots", "A2"): ("removed", ""),
        ("tenant_plots", "A4"): ("removed", ""),
        ("tenant_plots", "A12"): ("added", ""),
        ("wastewater_plants", "W1"): ("changed", "design_capacity_m3_day"),
    }
    assert changes.crs == plan.crs
    removed = changes.set_index(["layer", "feature_id"]).loc[("plots", "A1")]
    assert removed.geometry.equals(box(0, 0, 50, 100))  # a removed feature keeps its old shape


def test_change_layer_of_an_empty_scenario_is_empty(plan: Plan) -> None:
    assert change_layer(plan, evaluate(plan, Scenario.new("e"))).empty


def test_change_layer_writes_to_a_geopackage(plan: Plan, tmp_path: Path) -> None:
    after = _apply(plan, MergePlots(id="e1", plot_codes=("A1", "A2"), new_code="A12"),
                   UpgradeWastewaterPlant(id="e2", plant_id="W1", design_capacity_m3_day=2e3))
    path = tmp_path / "changes.gpkg"
    write_layers(path, {"scenario_changes": change_layer(plan, after)}, fresh=True)
    back = read_layer(path, "scenario_changes")
    assert sorted(back["feature_id"]) == sorted(["A1", "A2", "A12", "A1", "A2", "A12", "W1"])
