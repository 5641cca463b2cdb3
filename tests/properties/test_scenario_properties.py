"""Invariants of scenarios (Hypothesis): random edit sequences on the tiny plan, and round trips
of random edit parameters through their JSON form."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gis_app.analytics import park_areas
from gis_app.errors import ScenarioError
from gis_app.scenarios import (
    LeasePlots,
    ReclaimProjects,
    RezonePlots,
    Scenario,
    UpgradeWastewaterPlant,
    edit_from_params,
    evaluate,
    params_json,
)
from gis_app.testing import tiny_plan

PLAN = tiny_plan()
PLOTS = ("A1", "A2", "A3", "A4")


@st.composite
def edits(draw):  # noqa: ANN001, ANN201
    kind = draw(st.sampled_from(["lease", "reclaim", "rezone", "upgrade"]))
    if kind == "lease":
        return LeasePlots(id="x", plot_codes=tuple(draw(st.sets(st.sampled_from(PLOTS),
                                                                   min_size=1))),
                          project_id=draw(st.sampled_from(["N1", "N2"])), investor="I",
                          sector="s")
    if kind == "reclaim":
        return ReclaimProjects(id="x", project_ids=(draw(st.sampled_from(["T1", "T2"])),))
    if kind == "rezone":
        return RezonePlots(id="x", plot_codes=(draw(st.sampled_from(PLOTS)),),
                           land_use=draw(st.sampled_from(["industrial", "service_admin",
                                                          "green"])))
    return UpgradeWastewaterPlant(id="x", plant_id="W1",
                                  design_capacity_m3_day=draw(st.floats(600, 1e5)))


@settings(max_examples=60, deadline=None)
@given(st.lists(edits(), max_size=5))
def test_any_accepted_scenario_keeps_the_invariants(sequence) -> None:  # noqa: ANN001
    before = {name: frame.copy() for name, frame in PLAN.layers().items()}
    scenario = Scenario.new("h")
    for i, edit in enumerate(sequence):
        scenario = scenario.with_edit(dataclasses.replace(edit, id=f"e{i}"))
    try:
        after = evaluate(PLAN, scenario)
    except ScenarioError as exc:
        assert "edit e" in str(exc)  # a refusal always names the edit
        return
    areas = park_areas(after)
    share = areas["occupancy_share"].dropna()
    assert ((share >= 0) & (share <= 1)).all()
    assert (areas["leased_ha"] <= areas["leasable_ha"] + 1e-9).all()
    plots = after.plots
    assert plots["status"].eq("leased").sum() == plots["plot_code"].isin(
        after.tenant_plots["plot_code"]).sum()
    for name, frame in PLAN.layers().items():  # the baseline is never modified
        pd.testing.assert_frame_equal(frame, before[name])


@given(capital=st.floats(0, 1e12, allow_nan=False), jobs=st.integers(0, 10**6),
       investor=st.text(min_size=1, max_size=40))
def test_edit_parameters_round_trip_through_json(capital: float, jobs: int,
                                                 investor: str) -> None:
    edit = LeasePlots(id="e1", plot_codes=("A3",), project_id="N", investor=investor,
                      sector="điện tử", registered_capital_usd=capital, employees=jobs)
    back = edit_from_params("e1", "lease_plots", params_json(edit))
    assert back == edit
    assert np.float64(back.registered_capital_usd) == np.float64(capital)
