"""The working copy edits change in place: lookups by key, changes, drops, appends, the plan.

On the tiny plan (plots A1-A4 of 50 m x 100 m; links A1->T1, A2->T1, A4->T2; see
gis_app/testing.py). Every test runs with both kinds of key lookup: column scans (what a
short scenario uses) and the hash index (built after a few lookups).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from scenario_helpers import box

from gis_app.model.plan import Plan
from gis_app.scenarios import _working
from gis_app.scenarios._working import WorkingPlan


@pytest.fixture(autouse=True, params=["scan", "hash"])
def lookups(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_working, "SCANS_BEFORE_INDEX", 100 if request.param == "scan" else 0)


def _codes(frame: pd.DataFrame, column: str = "plot_code") -> list[str]:
    return frame[column].tolist()


def test_find_groups_rows_by_code_in_the_order_given(plan: Plan) -> None:
    links = WorkingPlan(plan).tenant_plots
    # T2's one row (position 2) first, then T1's two rows in layer order; X matches nothing.
    assert links.find("project_id", ["T2", "X", "T1"]).tolist() == [2, 0, 1]
    assert links.where("project_id", ["T2", "T1"]).tolist() == [0, 1, 2]  # layer order
    assert links.find("project_id", []).tolist() == []


def test_missing_values_never_match(plan: Plan) -> None:
    frame = plan.tenant_plots.copy()
    frame.loc[1, "project_id"] = pd.NA
    links = WorkingPlan(plan.replace(tenant_plots=frame)).tenant_plots
    links.append(pd.DataFrame({"plot_code": ["A3"], "project_id": [None]}))
    assert links.find("project_id", [None, pd.NA, "T1"]).tolist() == [0]


def test_dropped_rows_are_not_found_and_appended_rows_are(plan: Plan) -> None:
    links = WorkingPlan(plan).tenant_plots
    links.find("project_id", ["T1"])  # the lookup exists before the changes below
    links.drop(links.find("plot_code", ["A2"]))
    links.append(pd.DataFrame({"plot_code": ["A3"], "project_id": ["T1"]}))
    assert links.find("project_id", ["T1"]).tolist() == [0, 3]
    assert _codes(links.rows([3])) == ["A3"]
    # A key looked up for the first time while the appended row still waits.
    assert links.find("plot_code", ["A3", "A2"]).tolist() == [3]


def test_result_keeps_survivors_in_order_then_appended_rows_typed(plan: Plan) -> None:
    work = WorkingPlan(plan)
    plots = work.plots
    plots.drop(plots.find("plot_code", ["A2"]))
    new = plan.plots.iloc[[2]].assign(plot_code="A5", status="reserved")
    plots.append(new.set_geometry(new.geometry.translate(200.0, 0.0)))
    out = work.plan().plots
    assert _codes(out) == ["A1", "A3", "A4", "A5"]
    assert isinstance(out.index, pd.RangeIndex)
    assert out.dtypes.equals(plan.plots.dtypes)
    assert out.crs == plan.plots.crs
    assert shapely.equals(out.geometry.iloc[3], box(300, 0, 350, 100))


def test_string_values_set_in_place_are_read_back_everywhere(plan: Plan) -> None:
    work = WorkingPlan(plan)
    plots = work.plots
    a3 = plots.find("plot_code", ["A3"])
    plots.set(a3, "status", "leased")
    plots.set(plots.find("plot_code", ["A1", "A4"]), "status", ["vacant", "reserved"])
    assert plots.rows(a3)["status"].tolist() == ["leased"]
    assert plots.column(np.array([0, 1, 2, 3]), "status").tolist() == [
        "vacant", "leased", "leased", "reserved"]
    assert plots.frame()["status"].tolist() == ["vacant", "leased", "leased", "reserved"]
    assert work.plan().plots["status"].tolist() == ["vacant", "leased", "leased", "reserved"]
    assert plan.plots["status"].tolist() == ["leased", "leased", "vacant", "leased"]  # untouched


def test_a_row_waiting_to_be_merged_can_be_changed(plan: Plan) -> None:
    work = WorkingPlan(plan)
    parks = work.parks
    parks.append(plan.parks.assign(park_code="P2", status="proposed"))
    p2 = parks.find("park_code", ["P2"])
    parks.set(p2, "planned_area_ha", 5.0)  # a float column: written into the frame at once
    parks.set(p2, "status", "approved")
    out = work.plan().parks.set_index("park_code")
    assert (out.loc["P2", "planned_area_ha"], out.loc["P2", "status"]) == (5.0, "approved")
    assert (out.loc["P1", "planned_area_ha"], out.loc["P1", "status"]) == (2.0, "operating")


def test_areas_are_measured_again_after_a_geometry_changes(plan: Plan) -> None:
    plots = WorkingPlan(plan).plots
    a3 = plots.find("plot_code", ["A3"])
    assert plots.area(a3).tolist() == pytest.approx([5_000.0])
    plots.set(a3, "geometry", [box(100, 0, 150, 50)])
    assert plots.area(a3).tolist() == pytest.approx([2_500.0])
    assert shapely.equals(plots.geometries(a3)[0], box(100, 0, 150, 50))


def test_changed_layers_are_typed_to_the_schema_others_left_as_given(plan: Plan) -> None:
    loose = plan.replace(plots=plan.plots.assign(note="x", status=plan.plots["status"]
                                                 .astype(object)),
                         zones=plan.zones.assign(note="x"))
    work = WorkingPlan(loose)
    work.plots.set(work.plots.find("plot_code", ["A3"]), "status", "reserved")
    out = work.plan()
    assert out.zones is loose.zones and out.tenants is loose.tenants
    assert list(out.plots.columns) == list(plan.plots.columns)  # no "note"
    assert out.plots.dtypes.equals(plan.plots.dtypes)
    assert out.plots["status"].tolist() == ["leased", "leased", "reserved", "leased"]
