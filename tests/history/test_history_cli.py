"""``kcn-gis history``, ``as-of`` and ``diff`` on the tiny history and the shipped sample."""

from __future__ import annotations

import pandas as pd
import pytest

from gis_app.cli import main


def test_history_lists_changes_with_their_basis(tiny_history, capsys):
    assert main(["history", str(tiny_history), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    for text in ("C0001", "C0002", "C0003", "5/QĐ-BQL", "7/QĐ-BQL", "2015-01-01"):
        assert text in out


def test_history_of_one_basis_type_as_csv(tiny_history, tmp_path):
    target = tmp_path / "changes.csv"
    assert main(["history", str(tiny_history), "--basis", "import", "--format", "csv",
                 "--output", str(target)]) == 0
    table = pd.read_csv(target, encoding="utf-8-sig")
    assert len(table) == 1
    assert "survey_2011.dxf" in table.to_string()


def test_as_of_prints_the_summary_of_that_date(tiny_history, capsys):
    assert main(["as-of", str(tiny_history), "2014-12-31", "--by", "legacy_province"]) == 0
    assert "75,00%" in capsys.readouterr().out  # 1.5 of 2 ha leased then
    assert main(["as-of", str(tiny_history), "2015-01-01", "--by", "legacy_province"]) == 0
    assert "100,00%" in capsys.readouterr().out


def test_diff_names_features_and_decisions(tiny_history, capsys):
    assert main(["diff", str(tiny_history), "2014-01-01", "2016-12-31", "--layer", "zones",
                 "--lang", "en", "--features"]) == 0
    out = capsys.readouterr().out
    assert "Z1" in out and "Removed" in out and "Z2" in out and "7/QĐ-BQL" in out


def test_diff_with_dates_in_the_wrong_order_is_a_one_line_error(tiny_history, capsys):
    assert main(["diff", str(tiny_history), "2016-01-01", "2015-01-01"]) == 2
    err = capsys.readouterr().err
    assert "earlier than the first" in err and "Traceback" not in err


def test_history_of_a_file_without_history(fresh, capsys):
    assert main(["history", str(fresh)]) == 2
    assert "no plan history yet" in capsys.readouterr().err


@pytest.mark.parametrize("date", ["2018-07-31", "2023-11-17"])
def test_as_of_on_the_shipped_sample_prints_that_dates_figures(capsys, date):
    from gis_app.analytics import province_indicators
    from gis_app.history import as_of
    from gis_app.settings import PROVINCES

    assert main(["as-of", "bac_ninh", date, "--by", "legacy_province", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    day = f"{date[8:10]}/{date[5:7]}/{date[:4]}"  # dates written day first (gis_app.formatting)
    assert f"plan as of {day}" in out
    expected = province_indicators(as_of(PROVINCES["bac_ninh"].default_path, date),
                                   by="legacy_province").loc["Bắc Ninh"]
    assert f"{expected['leased_established_ha']:,.2f}" in out
    assert f"{expected['planned_ha']:,.2f}" in out



@pytest.fixture
def with_scenario(fresh):
    """The tiny plan with a history and a stored scenario leasing A3 (its one vacant plot)."""
    from history_fixtures import SURVEY

    from gis_app.history import start_history
    from gis_app.scenarios import LeasePlots, Scenario
    from gis_app.scenarios.store import ScenarioStore

    start_history(fresh, SURVEY, "2011-01-01")
    ScenarioStore(fresh).save(Scenario.new("Cho thuê lô A3", author="BQL",
                                           scenario_id="lease-a3").replace(
        edits=(LeasePlots(id="e1", plot_codes=("A3",), project_id="T3", investor="Gamma Foods",
                          sector="food", country="JP", lease_start="2021-03-01"),)))
    return fresh


def _decision(number: str, when: str) -> list[str]:
    return ["--decision", number, "--date", when, "--authority", "UBND tỉnh Bắc Ninh"]


def test_approve_then_reverse_on_the_command_line(with_scenario, capsys):
    from gis_app.analytics import province_indicators
    from gis_app.history import changes
    from gis_app.storage import read_plan

    def occupancy() -> float:
        table = province_indicators(read_plan(with_scenario), by="legacy_province")
        return table.loc["Bắc Ninh", "occupancy_share"]

    assert occupancy() == pytest.approx(0.75)
    assert main(["approve", str(with_scenario), "lease-a3",
                 *_decision("30/QĐ-UBND", "2021-03-01")]) == 0
    assert "C0002" in capsys.readouterr().out
    assert occupancy() == pytest.approx(1.0)
    assert main(["reverse", str(with_scenario), "C0002", *_decision("31/QĐ-UBND", "2021-09-01"),
                 "--effective-date", "2021-10-01"]) == 0
    assert "C0003" in capsys.readouterr().out
    assert occupancy() == pytest.approx(0.75)
    log = changes(with_scenario).set_index("change_id")
    assert log.loc["C0002", ["basis_type", "decision_no", "scenario_id"]].tolist() == [
        "scenario_approval", "30/QĐ-UBND", "lease-a3"]
    assert log.loc["C0003", ["basis_type", "reverses"]].tolist() == ["reversal", "C0002"]
    assert str(log.loc["C0003", "effective_date"].date()) == "2021-10-01"


def test_approving_a_missing_scenario_changes_nothing(with_scenario, capsys):
    before = with_scenario.read_bytes()
    assert main(["approve", str(with_scenario), "no-such",
                 *_decision("30/QĐ-UBND", "2021-03-01")]) == 2
    err = capsys.readouterr().err
    assert "no-such" in err and "Traceback" not in err
    assert with_scenario.read_bytes() == before


def test_a_decision_date_that_is_not_a_date_is_refused(with_scenario, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["reverse", str(with_scenario), "C0001", *_decision("31/QĐ-UBND", "1/9/2021")])
    assert exit_.value.code == 2
    assert "is not a date (YYYY-MM-DD)" in capsys.readouterr().err


@pytest.mark.parametrize(("lang", "words"), [
    ("vi", "bắt đầu từ 15/12/1998: chưa có dữ liệu nào ghi nhận trước ngày 01/06/1990"),
    ("en", "starts on 15/12/1998: nothing is recorded before 01/06/1990"),
])
def test_as_of_before_the_first_record_says_so(capsys, lang, words):
    assert main(["as-of", "bac_ninh", "1990-06-01", "--lang", lang]) == 2
    captured = capsys.readouterr()
    assert words in captured.err and len(captured.err.strip().splitlines()) == 1
    assert captured.out == ""  # no table of zeros that reads as "no parks then"


@pytest.mark.parametrize(("lang", "line", "counts"), [
    ("vi", "BN09 KCN Nam Sơn – Hạp Lĩnh: Điều chỉnh – Diện tích quy hoạch (ha) 432,00 → "
     "300,00; Diện tích đã thành lập (ha) 432,00 → 300,00; ranh giới (1402/TTg-CN)",
     "Thêm mới  Loại bỏ  Điều chỉnh"),
    ("en", "BN09 Nam Son – Hap Linh Industrial Park: Changed – Planned area (ha) 432.00 → "
     "300.00; Established area (ha) 432.00 → 300.00; outline (1402/TTg-CN)",
     "Added  Removed  Changed"),
])
def test_diff_summarises_first_with_park_names_and_values_before_and_after(capsys, lang, line,
                                                                            counts):
    assert main(["diff", "bac_ninh", "2014-01-01", "2023-11-17", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert line in out
    # Thuận Thành III, by the same decision, in the reader's separators
    assert ("504,00 → 536,32" if lang == "vi" else "504.00 → 536.32") in out
    assert counts in out and out.index(counts) < out.index("BN09")  # the summary first
    assert "BN09-A003" not in out and "--features" in out  # features only on request
    assert "<NA>" not in out and "NaN" not in out
    assert main(["diff", "bac_ninh", "2014-01-01", "2023-11-17", "--lang", lang,
                 "--features"]) == 0
    detailed = capsys.readouterr().out
    assert detailed.startswith(out.rsplit("\n", 2)[0])  # the same summary, then the features
    assert "BN09-A003" in detailed and "<NA>" not in detailed and "NaN" not in detailed


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_history_prints_no_missing_value_markers(capsys, lang):
    assert main(["history", "bac_ninh", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert "C0002" in out and "<NA>" not in out and "NaN" not in out and "None" not in out
