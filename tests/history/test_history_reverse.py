"""Reversal: a new change restores the earlier versions; nothing is erased."""

from __future__ import annotations

from datetime import date

import pytest

from gis_app.analytics import province_indicators
from gis_app.history import (
    Basis,
    HistoryError,
    as_of,
    changes,
    check_versions,
    read_history,
    record_change,
    reverse,
)
from gis_app.history.versions import compare_plans
from gis_app.storage import read_plan

UNDO = Basis.decision("12/QĐ-BQL", date(2020, 1, 1), "BQL các KCN Bắc Ninh")


def _summary(plan):
    return province_indicators(plan, by="legacy_province").loc["Bắc Ninh"]


def test_reversal_restores_the_earlier_plan_and_keeps_history(writable_history):
    before_rezone = as_of(writable_history, "2016-05-31")
    rows_before = sum(len(f) for f in read_history(writable_history).versions.values())
    change = reverse(writable_history, "C0003", UNDO)
    assert change == "C0004"
    # Z1 back, Z2 warehouse again, plant back to 1,000 m³/day: the plan before C0003.
    assert compare_plans(read_plan(writable_history), before_rezone).empty
    h = read_history(writable_history)
    assert check_versions(h.versions) == []
    # 3 versions closed by the reversal and 3 opened: none deleted.
    assert sum(len(f) for f in h.versions.values()) == rows_before + 3
    log = changes(writable_history)
    row = log.loc[log["change_id"] == "C0004"].iloc[0]
    assert (row["basis_type"], row["reverses"], row["decision_no"]) == (
        "reversal", "C0003", "12/QĐ-BQL")
    # The rezoned plan is still visible on its dates.
    assert as_of(writable_history, "2017-01-01").zones["zone_id"].tolist() == ["Z2"]


def test_reversal_is_refused_twice_and_out_of_order(writable_history):
    with pytest.raises(HistoryError, match="changed again by C0003"):
        reverse(writable_history, "C0001", UNDO)
    reverse(writable_history, "C0003", UNDO)
    with pytest.raises(HistoryError, match="already reversed by C0004"):
        reverse(writable_history, "C0003", UNDO)
    with pytest.raises(HistoryError, match="no change 'C0099'"):
        reverse(writable_history, "C0099", UNDO)


def test_a_reversal_needs_a_decision(writable_history):
    with pytest.raises(HistoryError, match="needs a decision basis"):
        reverse(writable_history, "C0003", Basis.imported("x.csv", "A"))


def test_lease_then_reversal_restores_the_occupancy(writable_history):
    base = _summary(read_plan(writable_history))
    plan = read_plan(writable_history)
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == "A1", "status"] = "not_cleared"
    links = plan.tenant_plots.loc[plan.tenant_plots["plot_code"] != "A1"]
    change = record_change(writable_history, plan.replace(plots=plots, tenant_plots=links),
                           Basis.decision("20/QĐ-BQL", date(2021, 1, 1), "BQL"))
    changed = _summary(read_plan(writable_history))
    assert changed["leased_ha"] == pytest.approx(1.5)  # 2.0 - 0.5 ha of A1
    reverse(writable_history, change, Basis.decision("21/QĐ-BQL", date(2022, 1, 1), "BQL"))
    after = _summary(read_plan(writable_history))
    for column in ("leased_ha", "occupancy_share", "cleared_ha", "projects_valid_count"):
        assert after[column] == pytest.approx(base[column])
