"""The plan history on both backends: a GeoPackage in tmp_path and a PostGIS schema.

Same tiny timeline as tests/history: C0001 import (2011-01-01), C0002 lease of A3 to T2
(2015-01-01), then a reversal of C0002 (2016-01-01).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from gis_app.analytics import province_indicators
from gis_app.history import (
    Basis,
    HistoryError,
    as_of,
    changes,
    check_versions,
    current,
    diff,
    read_history,
    record_change,
    reverse,
    start_history,
)
from gis_app.history.versions import compare_plans
from gis_app.storage import source
from gis_app.storage.postgis.store import init_database
from gis_app.testing import tiny_plan


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def src(request: pytest.FixtureRequest, tmp_path) -> str:
    """The tiny plan in a source of each kind, with a history started on 2011-01-01."""
    if request.param == "gpkg":
        where = str(tmp_path / "bac_ninh.gpkg")
    else:
        where = request.getfixturevalue("pg_url")
        init_database(where)
    source.write_plan(where, tiny_plan())
    start_history(where, Basis.imported("survey_2011.dxf", "Nguyễn Văn A"), "2011-01-01")
    return where


def _lease_a3(plan):
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == "A3", "status"] = "leased"
    links = pd.concat([plan.tenant_plots, pd.DataFrame({"plot_code": ["A3"],
                                                        "project_id": ["T2"]})],
                      ignore_index=True)
    return plan.replace(plots=plots, tenant_plots=links)


def _occupancy(plan) -> float:
    return float(province_indicators(plan, by="legacy_province").loc["Bắc Ninh",
                                                                     "occupancy_share"])


def test_record_as_of_diff_and_reverse(src):
    change = record_change(src, _lease_a3(source.read_plan(src)),
                           Basis.decision("5/QĐ-BQL", date(2015, 1, 1), "BQL"))
    assert change == "C0002"
    assert _occupancy(source.read_plan(src)) == pytest.approx(1.0)
    assert _occupancy(as_of(src, "2014-12-31")) == pytest.approx(0.75)
    assert _occupancy(as_of(src, "2015-01-01")) == pytest.approx(1.0)
    found = diff(src, "2014-01-01", "2015-06-01")
    assert sorted(zip(found["layer"], found["feature_id"], found["decision_nos"],
                      strict=True)) == [
        ("plots", "A3", "5/QĐ-BQL"), ("tenant_plots", "A3", "5/QĐ-BQL")]
    reverse(src, change, Basis.decision("6/QĐ-BQL", date(2016, 1, 1), "BQL"))
    assert _occupancy(source.read_plan(src)) == pytest.approx(0.75)
    history = read_history(src)
    assert check_versions(history.versions) == []
    assert compare_plans(source.read_plan(src), current(history.versions)).empty
    assert changes(src)["basis_type"].tolist() == ["import", "decision", "reversal"]


def test_a_refused_change_writes_nothing(src):
    before = read_history(src)
    with pytest.raises(HistoryError, match="needs its basis"):
        record_change(src, _lease_a3(source.read_plan(src)), None, "2015-01-01")  # type: ignore[arg-type]
    after = read_history(src)
    assert len(after.changes) == len(before.changes) == 1
    assert compare_plans(source.read_plan(src), tiny_plan()).empty


@pytest.mark.postgis
def test_history_travels_with_db_push(tmp_path, pg_url):
    from gis_app.storage.transfer import copy_province

    path = tmp_path / "bac_ninh.gpkg"
    source.write_plan(path, tiny_plan())
    start_history(path, Basis.imported("survey_2011.dxf", "Nguyễn Văn A"), "2011-01-01")
    record_change(path, _lease_a3(source.read_plan(path)),
                  Basis.decision("5/QĐ-BQL", date(2015, 1, 1), "BQL"))
    init_database(pg_url)
    copy_province(str(path), pg_url)
    here, there = read_history(path), read_history(pg_url)
    pd.testing.assert_frame_equal(here.changes, there.changes)
    assert {n: len(f) for n, f in there.versions.items()} == {
        n: len(f) for n, f in here.versions.items()}
    for day in ("2014-12-31", "2015-01-01"):
        assert compare_plans(as_of(here, day), as_of(there, day)).empty
    # And the database's history takes the next change.
    reverse(pg_url, "C0002", Basis.decision("6/QĐ-BQL", date(2016, 1, 1), "BQL"))
    assert _occupancy(source.read_plan(pg_url)) == pytest.approx(0.75)
