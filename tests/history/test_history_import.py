"""Every change that reaches a file with a plan history is on the record.

``kcn-gis import`` and a plain ``write_plan`` used to change the baseline without a
``plan_changes`` row or ``<layer>_history`` rows, so ``as-of`` today disagreed with
``summary`` and ``history``/``diff`` did not show the change. Now each is recorded with its
basis (an import: the source file's name and SHA-256, the date, who).
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date, timedelta

import pandas as pd
import pyogrio
import pytest

from gis_app.cli import main
from gis_app.history import as_of, changes, check_versions, current, diff, read_history, write_plan
from gis_app.history.versions import compare_plans
from gis_app.settings import PROVINCES
from gis_app.storage import read_plan

TODAY = date.today()


@pytest.fixture
def copy(tmp_path):
    """A copy of the shipped Bắc Ninh file (with its history)."""
    path = tmp_path / "bac_ninh.gpkg"
    shutil.copyfile(PROVINCES["bac_ninh"].default_path, path)
    return path


def _survey(folder, province_file) -> tuple[object, list[str]]:  # noqa: ANN001
    """The file's plots as a surveyor sends them back: two vacant plots now have a factory."""
    plots = pyogrio.read_dataframe(province_file, layer="plots")
    vacant = plots.index[(plots["status"] == "vacant") & ~plots["ready_built_factory"]
                         .astype(bool)][:2]
    plots.loc[vacant, "ready_built_factory"] = True
    path = folder / "khao_sat_lo_dat.gpkg"
    pyogrio.write_dataframe(plots, path, layer="plots")
    return path, sorted(plots.loc[vacant, "plot_code"])


def _run(capsys, *args: str) -> str:  # noqa: ANN001
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_an_import_is_recorded_and_as_of_today_equals_the_summary(copy, tmp_path, capsys):
    survey, changed = _survey(tmp_path, copy)
    sha = hashlib.sha256(survey.read_bytes()).hexdigest()
    last_before = changes(copy)["change_id"].iloc[-1]
    _run(capsys, "import", str(survey), str(copy), "--layer", "plots", "--replace",
         "--by", "Trần Thị B")

    row = changes(copy).iloc[-1]
    assert row["change_id"] > last_before
    assert row["basis_type"] == "import"
    assert row["source_file"] == "khao_sat_lo_dat.gpkg"
    assert sha in row["document_ref"] and sha in row["description"]
    assert row["recorded_by"] == "Trần Thị B"
    assert row["effective_date"].date() == TODAY
    assert row["features_count"] == len(changed)
    table = _run(capsys, "history", str(copy))
    line = next(t for t in table.splitlines() if t.startswith(row["change_id"]))
    assert "khao_sat_lo_dat.gpkg" in line and sha in line

    summary = _run(capsys, "summary", str(copy))
    as_of_today = _run(capsys, "as-of", str(copy), TODAY.isoformat())
    assert as_of_today.split("\n", 1)[1] == summary  # after its "# plan as of" line

    yesterday = (TODAY - timedelta(days=1)).isoformat()
    found = diff(copy, yesterday, TODAY)
    assert sorted(found["feature_id"]) == changed
    assert set(found["action"]) == {"changed"}
    assert set(found["columns"]) == {"ready_built_factory"}
    assert set(found["decision_nos"]) == {"khao_sat_lo_dat.gpkg"}
    shown = _run(capsys, "diff", str(copy), yesterday, TODAY.isoformat(), "--features")
    assert all(code in shown for code in changed) and "khao_sat_lo_dat.gpkg" in shown
    history = read_history(copy)
    assert check_versions(history.versions) == []
    assert compare_plans(current(history.versions), read_plan(copy)).empty


def test_a_plain_write_plan_adds_a_change_and_history_rows(copy):
    before = read_history(copy)
    plan = read_plan(copy)
    plots = plan.plots.copy()
    code = plots["plot_code"].iloc[0]
    plots.loc[plots["plot_code"] == code, "land_use"] = "warehouse_logistics"
    change = write_plan(copy, plan.replace(plots=plots))
    after = read_history(copy)
    assert len(after.changes) == len(before.changes) + 1
    row = after.changes.iloc[-1]
    assert row["change_id"] == change and row["basis_type"] == "import"
    assert pd.notna(row["recorded_by"]) and pd.notna(row["source_file"])
    opened = after.versions["plots"].loc[lambda f: f["change_from"] == change, "plot_code"]
    assert list(opened) == [code]
    assert compare_plans(as_of(copy, TODAY), read_plan(copy)).empty
