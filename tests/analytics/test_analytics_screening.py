"""The "hai ít, ba cao, một không" screening score."""

from __future__ import annotations

import pandas as pd
import pytest

from gis_app.analytics import (
    Criterion,
    ScreeningCriteria,
    criterion_label,
    screening_score,
    tenant_screening,
)


def _proposal(**values):
    base = {"area_ha": 1.0, "registered_capital_usd": 20e6, "employees": 50,
            "revenue_usd": 20e6, "sector": "electronics"}
    base.update(values)
    return pd.DataFrame([base])


def test_ideal_proposal_scores_the_maximum():
    s = screening_score(_proposal()).iloc[0]
    assert s["score"] == pytest.approx(100.0)
    assert s["score_share"] == pytest.approx(1.0)
    assert s["missing_inputs"] == ""


def test_each_criterion_has_its_own_column_hand_computed():
    # 2 ha, 11 M USD, 250 jobs, 10.5 M USD revenue, garment (not high-tech, not polluting).
    s = screening_score(_proposal(area_ha=2.0, registered_capital_usd=11e6, employees=250,
                                  revenue_usd=10.5e6, sector="garments")).iloc[0]
    # labour: 125 jobs/ha, between 400 (0) and 50 (15): (400-125)/350*15
    assert s["labour_points"] == pytest.approx((400 - 125) / 350 * 15)
    # land: 2 ha / 11 M USD = 0.1818 ha per M USD, between 1.0 (0) and 0.05 (15)
    assert s["land_points"] == pytest.approx((1.0 - 2 / 11) / 0.95 * 15)
    # capital: 5.5 M USD/ha between 1 M (0) and 10 M (20): 4.5/9*20 = 10
    assert s["capital_points"] == pytest.approx(10.0)
    # efficiency: 5.25 M USD/ha revenue between 1 M and 20 M: 4.25/19*20
    assert s["efficiency_points"] == pytest.approx(4.25 / 19 * 20)
    assert s["technology_points"] == 0.0
    assert s["pollution_points"] == 15.0
    parts = [c for c in s.index if c.endswith("_points")]
    assert s["score"] == pytest.approx(sum(s[c] for c in parts))


def test_polluting_sector_and_explicit_flags():
    s = screening_score(_proposal(sector="tanning")).iloc[0]
    assert s["pollution_points"] == 0.0
    flagged = screening_score(_proposal(sector="tanning", polluting=False, high_tech=False))
    assert flagged.iloc[0]["pollution_points"] == 15.0  # the explicit column wins
    assert flagged.iloc[0]["technology_points"] == 0.0


def test_missing_inputs_score_zero_and_are_listed():
    s = screening_score(_proposal(revenue_usd=None, employees=None)).iloc[0]
    assert s["efficiency_points"] == 0.0 and s["labour_points"] == 0.0
    assert s["missing_inputs"] == "labour, efficiency"


def test_custom_criteria():
    only_capital = ScreeningCriteria({"capital": Criterion(
        "registered_capital_usd_per_ha", 10, 0.0, 10e6)})
    s = screening_score(_proposal(registered_capital_usd=5e6), only_capital).iloc[0]
    assert s["score"] == pytest.approx(5.0) and s["score_share"] == pytest.approx(0.5)


def test_criteria_are_named_from_the_catalogue():
    names = list(ScreeningCriteria().criteria)
    assert [criterion_label(n, "vi") for n in names] == [
        "Ít lao động", "Ít đất", "Suất đầu tư cao", "Hiệu quả kinh tế cao", "Công nghệ cao",
        "Không gây ô nhiễm"]
    assert [criterion_label(n, "en") for n in names] == [
        "Little labour", "Little land", "High capital per ha", "High economic efficiency",
        "High technology", "No pollution"]
    # A board's own criterion the catalogue does not know is shown by its key.
    assert criterion_label("water_use", "en") == "water_use"


def test_tenants_are_ranked(tiny):
    t = tenant_screening(tiny)
    assert list(t.index) == ["T1", "T2"]
    assert list(t["rank"]) == [1, 2]
    # T2 (logistics) reports no revenue.
    assert t.loc["T2", "missing_inputs"] == "efficiency"


def test_rank_ties_share_a_rank():
    frame = pd.concat([_proposal(), _proposal(), _proposal(sector="tanning")],
                      ignore_index=True)
    assert screening_score(frame)["rank"].tolist() == [1, 1, 3]
