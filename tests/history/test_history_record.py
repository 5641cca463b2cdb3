"""Recording changes: a basis is required, refused changes leave the file untouched."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from history_fixtures import LEASE, SURVEY, leased_a3, rezoned

from gis_app.history import Basis, HistoryError, changes, read_history, record_change, start_history
from gis_app.storage import read_plan
from gis_app.testing import tiny_plan


def test_every_change_of_the_tiny_history_has_its_basis(tiny_history):
    log = changes(tiny_history)
    assert log["change_id"].tolist() == ["C0001", "C0002", "C0003"]
    assert log["basis_type"].tolist() == ["import", "decision", "decision"]
    assert log.loc[0, "source_file"] == "survey_2011.dxf"
    assert log.loc[0, "recorded_by"] == "Nguyễn Văn A"
    assert log.loc[1, ["decision_no", "authority", "document_ref"]].tolist() == [
        "5/QĐ-BQL", "BQL các KCN Bắc Ninh", "hồ sơ thuê đất A3"]
    assert log.loc[1, "decision_date"] == pd.Timestamp("2015-01-01")
    # C0002 touched plot A3 and its new link; C0003 zones Z1, Z2 and plant W1.
    assert log["features_count"].tolist() == [13, 2, 3]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Basis.decision("", date(2020, 1, 1), "UBND"), "decision number"),
        (lambda: Basis.decision("1/QĐ", None, "UBND"), "needs its date"),  # type: ignore[arg-type]
        (lambda: Basis.decision("1/QĐ", date(2020, 1, 1), " "), "issuing authority"),
        (lambda: Basis.decision("number not found", date(2020, 1, 1), "TTg"),
         "document reference"),
        (lambda: Basis.imported("", "A"), "source file"),
        (lambda: Basis.imported("a.dxf", ""), "recorded_by"),
        (lambda: Basis("guess"), "basis type"),
    ],
)
def test_a_basis_without_its_fields_is_refused(make, message):
    with pytest.raises(HistoryError, match=message):
        make()


def test_a_change_without_a_basis_is_refused_and_nothing_is_written(writable_history):
    before = writable_history.read_bytes()
    with pytest.raises(HistoryError, match="needs its basis"):
        record_change(writable_history, tiny_plan(), None, "2020-01-01")  # type: ignore[arg-type]
    with pytest.raises(HistoryError, match="needs its basis"):
        record_change(writable_history, tiny_plan(), {"decision_no": "1"}, "2020-01-01")  # type: ignore[arg-type]
    assert writable_history.read_bytes() == before


def test_a_change_earlier_than_the_version_it_replaces_is_refused(writable_history):
    before = writable_history.read_bytes()
    # A3 has been leased since 2015-01-01 (C0002): un-leasing it "as of 2014" is refused.
    with pytest.raises(HistoryError, match=r"plots, feature A3.*valid from 2015-01-01"):
        record_change(writable_history, rezoned(tiny_plan()),
                      Basis.decision("9/QĐ-BQL", date(2014, 6, 1), "BQL"))
    assert writable_history.read_bytes() == before


def test_recording_an_unchanged_plan_is_refused(writable_history):
    with pytest.raises(HistoryError, match="nothing to record"):
        record_change(writable_history, read_plan(writable_history),
                      Basis.decision("9/QĐ-BQL", date(2020, 6, 1), "BQL"))


def test_an_invalid_new_plan_is_refused_unwritten(writable_history):
    before = writable_history.read_bytes()
    plan = read_plan(writable_history)
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == "A1", "park_code"] = "NOPE"
    with pytest.raises(Exception, match="unknown_park"):
        record_change(writable_history, plan.replace(plots=plots),
                      Basis.decision("9/QĐ-BQL", date(2020, 6, 1), "BQL"))
    assert writable_history.read_bytes() == before


def test_a_history_is_started_once_and_needed_before_changes(fresh):
    with pytest.raises(HistoryError, match="no plan history yet"):
        record_change(fresh, leased_a3(tiny_plan()), LEASE)
    assert start_history(fresh, SURVEY, "2011-01-01") == "C0001"
    with pytest.raises(HistoryError, match="already has a plan history"):
        start_history(fresh, SURVEY, "2012-01-01")
    assert len(read_history(fresh).changes) == 1


def test_record_change_rewrites_the_baseline_layers(writable_history):
    plan = read_plan(writable_history)
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == "A3", "ready_built_factory"] = False
    change = record_change(writable_history, plan.replace(plots=plots),
                           Basis.decision("9/QĐ-BQL", date(2020, 6, 1), "BQL"))
    assert change == "C0004"
    stored = read_plan(writable_history).plots.set_index("plot_code")
    assert not stored.loc["A3", "ready_built_factory"]
    log = changes(writable_history)
    assert log.iloc[-1]["effective_date"] == pd.Timestamp("2020-06-01")
