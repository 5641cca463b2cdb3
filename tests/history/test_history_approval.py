"""Approving a stored scenario records it as one change with its decision; reversing the
approval restores the earlier indicators (tiny plan: A3, 0.5 ha, is the only vacant plot)."""

from __future__ import annotations

from datetime import date

import pytest
from history_fixtures import SURVEY

from gis_app.analytics import province_indicators
from gis_app.history import (
    Basis,
    HistoryError,
    as_of,
    changes,
    reverse,
    start_history,
)
from gis_app.scenarios import LeasePlots, Scenario, approve_scenario
from gis_app.scenarios.store import ScenarioStore
from gis_app.storage import read_plan

APPROVAL = Basis.decision("30/QĐ-UBND", date(2021, 3, 1), "UBND tỉnh Bắc Ninh",
                          document_ref="Tờ trình 12/TTr-BQL")
UNDO = Basis.decision("31/QĐ-UBND", date(2021, 9, 1), "UBND tỉnh Bắc Ninh")


@pytest.fixture
def with_scenario(fresh):
    start_history(fresh, SURVEY, "2011-01-01")
    scenario = Scenario.new("Cho thuê lô A3", author="BQL", scenario_id="lease-a3").replace(
        edits=(LeasePlots(id="e1", plot_codes=("A3",), project_id="T3",
                          investor="Gamma Foods", sector="food", country="JP",
                          lease_start="2021-03-01"),))
    ScenarioStore(fresh).save(scenario)
    return fresh


def _summary(path):
    return province_indicators(read_plan(path), by="legacy_province").loc["Bắc Ninh"]


def test_approval_is_one_change_with_its_decision(with_scenario):
    change = approve_scenario(with_scenario, "lease-a3", APPROVAL)
    assert change == "C0002"
    row = changes(with_scenario).set_index("change_id").loc["C0002"]
    assert (row["basis_type"], row["scenario_id"], row["decision_no"]) == (
        "scenario_approval", "lease-a3", "30/QĐ-UBND")
    assert row["effective_date"] == row["decision_date"]
    # A3 leased, the new project T3 and its link: three features.
    assert row["features_count"] == 3
    summary = _summary(with_scenario)
    assert summary["leased_ha"] == pytest.approx(2.0)
    assert summary["occupancy_share"] == pytest.approx(1.0)
    # The plan before the approval is still there on its dates.
    before = province_indicators(as_of(with_scenario, "2021-02-28"), by="legacy_province")
    assert before.loc["Bắc Ninh", "occupancy_share"] == pytest.approx(0.75)


def test_reversal_of_an_approval_restores_the_indicators(with_scenario):
    base = _summary(with_scenario)
    change = approve_scenario(with_scenario, "lease-a3", APPROVAL)
    reverse(with_scenario, change, UNDO)
    after = _summary(with_scenario)
    assert after["occupancy_share"] == pytest.approx(0.75)
    for column in ("leased_ha", "leasable_ha", "occupancy_share", "projects_valid_count",
                   "registered_capital_usd"):
        assert after[column] == pytest.approx(base[column], nan_ok=True)
    log = changes(with_scenario)
    assert log["basis_type"].tolist() == ["import", "scenario_approval", "reversal"]
    assert log["reverses"].iloc[-1] == change
    # The scenario itself is kept: it can be approved again later.
    assert ScenarioStore(with_scenario).ids() == ["lease-a3"]


def test_an_approval_needs_a_decision(with_scenario):
    before = with_scenario.read_bytes()
    with pytest.raises(HistoryError, match="needs a decision basis"):
        approve_scenario(with_scenario, "lease-a3", Basis.imported("x.csv", "A"))
    assert with_scenario.read_bytes() == before
