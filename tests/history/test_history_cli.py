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
    assert "75.00%" in capsys.readouterr().out  # 1.5 of 2 ha leased then
    assert main(["as-of", str(tiny_history), "2015-01-01", "--by", "legacy_province"]) == 0
    assert "100.00%" in capsys.readouterr().out


def test_diff_names_features_and_decisions(tiny_history, capsys):
    assert main(["diff", str(tiny_history), "2014-01-01", "2016-12-31", "--layer", "zones",
                 "--lang", "en"]) == 0
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
    assert f"plan as of {date}" in out
    expected = province_indicators(as_of(PROVINCES["bac_ninh"].default_path, date),
                                   by="legacy_province").loc["Bắc Ninh"]
    assert f"{expected['leased_established_ha']:,.2f}" in out
    assert f"{expected['planned_ha']:,.2f}" in out
