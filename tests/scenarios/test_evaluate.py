"""evaluate(): order, based_on chains, conflicting edits, the final check, an untouched baseline."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pytest
from scenario_helpers import box, line, simple_park_indicators

from gis_app.errors import ScenarioError
from gis_app.model.plan import Plan
from gis_app.scenarios import (
    AddPark,
    Edit,
    LeasePlots,
    MergePlots,
    ReclaimProjects,
    RezonePlots,
    Scenario,
    ScenarioEditError,
    SplitPlot,
    UpgradeWastewaterPlant,
    add_edit,
    evaluate,
    evaluate_detailed,
)
from gis_app.scenarios._working import WorkingPlan
from gis_app.scenarios.params import PLOT, TEXT, param


def _scenario(*edits: Edit, **kwargs: object) -> Scenario:
    s = Scenario.new("test", **kwargs)  # type: ignore[arg-type]
    for e in edits:
        s = s.with_edit(e)
    return s


def _lease(edit_id: str, plot: str, project: str) -> LeasePlots:
    return LeasePlots(id=edit_id, plot_codes=(plot,), project_id=project, investor="I",
                      sector="s")


def test_empty_scenario_changes_nothing(plan: Plan) -> None:
    out = evaluate(plan, _scenario())
    for name, frame in plan.layers().items():
        pd.testing.assert_frame_equal(out.layers()[name], frame, check_exact=True)


def test_edits_apply_in_order_and_the_baseline_stays(plan: Plan) -> None:
    before = {name: frame.copy() for name, frame in plan.layers().items()}
    s = _scenario(ReclaimProjects(id="e1", project_ids=("T2",)), _lease("e2", "A4", "T9"))
    out = evaluate(plan, s)
    assert out.tenant_plots.set_index("plot_code").loc["A4", "project_id"] == "T9"
    assert simple_park_indicators(out).loc["P1", "occupancy"] == pytest.approx(0.75)
    for name, frame in plan.layers().items():
        assert frame.equals(before[name]), name
    # The same two edits the other way round cannot hold: A4 is not vacant yet.
    with pytest.raises(ScenarioEditError, match=r"edit e2 \(lease_plots\).*A4 \(leased\)"):
        evaluate(plan, _scenario(_lease("e2", "A4", "T9"),
                                 ReclaimProjects(id="e1", project_ids=("T2",))))


def test_two_leases_of_one_plot_conflict(plan: Plan) -> None:
    s = _scenario(_lease("e1", "A3", "T8"), _lease("e2", "A3", "T9"))
    with pytest.raises(ScenarioEditError,
                       match=r"edit e2 \(lease_plots\): conflicts with edit e1 \(lease_plots\)"):
        evaluate(plan, s)


def test_two_rezonings_of_one_plot_conflict(plan: Plan) -> None:
    s = _scenario(RezonePlots(id="a", plot_codes=("A3",), land_use="service_admin"),
                  RezonePlots(id="b", plot_codes=("A3",), land_use="technical_infrastructure"))
    with pytest.raises(ScenarioEditError, match=r"edit b \(rezone_plots\).*conflicts with edit a"):
        evaluate(plan, s)


def test_lease_then_rezone_away_from_industry_names_both_edits(plan: Plan) -> None:
    s = _scenario(_lease("e1", "A3", "T8"),
                  RezonePlots(id="e2", plot_codes=("A3",), land_use="green"))
    with pytest.raises(ScenarioEditError) as info:
        evaluate(plan, s)
    err = info.value
    assert (err.edit_id, err.operation, err.scenario_id) == ("e2", "rezone_plots", s.id)
    assert "leased land re-zoned away from industry" in str(err)
    assert "conflicts with edit e1 (lease_plots)" in str(err)


def test_split_of_a_merged_plot_conflicts(plan: Plan) -> None:
    s = _scenario(MergePlots(id="m", plot_codes=("A1", "A2"), new_code="A12"),
                  SplitPlot(id="s", plot_code="A1", line=line((25, -1), (25, 101)),
                            new_codes=("x", "y")))
    with pytest.raises(ScenarioEditError, match=r"edit s \(split_plot\): conflicts with edit m "
                                                r"\(merge_plots\): both set geometry of plots A1"):
        evaluate(plan, s)


def test_overlapping_new_parks_conflict(plan: Plan) -> None:
    def park(edit_id: str, code: str, outline: object) -> AddPark:
        return AddPark(id=edit_id, park_code=code, name_vi=code, name_en=code,
                       province="Bắc Ninh", legacy_province="Bắc Ninh", outline=outline)

    s = _scenario(park("e1", "P2", box(0, 200, 300, 500)),
                  park("e2", "P3", box(250, 400, 400, 600)))
    with pytest.raises(ScenarioEditError, match=r"edit e2 \(add_park\).*overlaps park\(s\) P2"):
        evaluate(plan, s)


@dataclass(frozen=True, kw_only=True)
class _CopyPlotShifted(Edit):
    """A deliberately careless edit (test only): adds a copy of a plot shifted by 10 m."""

    plot_code: str = param(PLOT, "plots")
    new_code: str = param(TEXT, "new_code")
    operation = "test_copy_plot_shifted"

    def check(self, work: WorkingPlan) -> None:
        pass

    def change(self, work: WorkingPlan) -> None:
        row = work.plots.rows(work.plots.where("plot_code", [self.plot_code])).copy()
        row["plot_code"] = self.new_code
        row["status"] = "vacant"
        row = gpd.GeoDataFrame(row, geometry=row.geometry.translate(10, 0), crs=work.crs)
        work.plots.append(row)

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("plots", self.new_code)}


def test_final_check_names_the_edit_that_broke_a_rule(plan: Plan) -> None:
    s = _scenario(UpgradeWastewaterPlant(id="e1", plant_id="W1", design_capacity_m3_day=2e3),
                  _CopyPlotShifted(id="e2", plot_code="A3", new_code="A3x"))
    with pytest.raises(ScenarioEditError,
                       match=r"edit e2 \(test_copy_plot_shifted\): overlapping_plots"):
        evaluate(plan, s)
    # Unchecked evaluation (for exploring) still returns the plan.
    out = evaluate_detailed(plan, s, check=False).plan
    assert "A3x" in set(out.plots["plot_code"])


def test_based_on_chain_applies_parents_first(plan: Plan) -> None:
    parent = _scenario(ReclaimProjects(id="e1", project_ids=("T2",)), scenario_id="parent")
    child = _scenario(_lease("e1", "A4", "T9"), based_on="parent", scenario_id="child")
    loader = {"parent": parent}.__getitem__
    result = evaluate_detailed(plan, child, loader)
    assert result.chain == ("parent", "child")
    assert result.plan.tenant_plots.set_index("plot_code").loc["A4", "project_id"] == "T9"
    with pytest.raises(ScenarioError, match="no store was given"):
        evaluate(plan, child)


def test_based_on_cycle_is_refused(plan: Plan) -> None:
    a = _scenario(based_on="b", scenario_id="a")
    b = _scenario(based_on="a", scenario_id="b")
    with pytest.raises(ScenarioError, match="cycle"):
        evaluate(plan, a, {"a": a, "b": b}.__getitem__)


def test_add_edit_validates_when_the_edit_is_made(plan: Plan) -> None:
    s = add_edit(plan, _scenario(), _lease("e1", "A3", "T8"))
    assert [e.id for e in s.edits] == ["e1"]
    with pytest.raises(ScenarioEditError, match=r"edit e2 \(lease_plots\)"):
        add_edit(plan, s, _lease("e2", "A3", "T9"))
    with pytest.raises(ScenarioError, match="already exists"):
        s.with_edit(_lease("e1", "A4", "T7"))
    assert s.next_edit_id() == "e2"
