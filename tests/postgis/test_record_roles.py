"""Database roles and the record: the public role drives every public page through views of the
history without private fields; officers append to the record but never rewrite or erase it;
only the schema owner touches the metadata, and a refused officer is told what is needed.

The owner (the test cluster's superuser, who ran ``db init``) starts the history of the tiny
plan on 2011-01-01 (C0001, an import); officers then record, reverse and approve changes.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import psycopg
import pytest
from psycopg import sql

from gis_app.cli import main
from gis_app.errors import LayerError
from gis_app.history import (
    CHANGE_COLUMNS,
    HISTORY_LAYERS,
    Basis,
    changes,
    check_versions,
    current,
    read_history,
    record_change,
    reverse,
    start_history,
    update_plan,
)
from gis_app.history.versions import compare_plans
from gis_app.model.crs import to_crs
from gis_app.scenarios import LeasePlots, Scenario, approve_scenario
from gis_app.scenarios.store import ScenarioStore
from gis_app.storage import source
from gis_app.storage.postgis import store as postgis
from gis_app.storage.postgis.schema import (
    CHANGES_TABLE,
    CONFIDENTIAL_TENANT_COLUMNS,
    HISTORY_TABLES,
    PUBLIC_VIEWS,
    SCHEMA_VERSION,
)
from gis_app.testing import tiny_plan

pytestmark = pytest.mark.postgis

SURVEY = Basis.imported(r"C:\Users\lan\Desktop\survey_2011.dxf", "Nguyễn Văn A")
LEASE = Basis.decision("5/QĐ-BQL", date(2015, 1, 1), "BQL", recorded_by="Trần Thị B")
UNDO = Basis.decision("6/QĐ-BQL", date(2016, 1, 1), "BQL", recorded_by="Trần Thị B")


def _lease_a3(plan):  # noqa: ANN001, ANN202
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == "A3", "status"] = "leased"
    links = pd.concat([plan.tenant_plots, pd.DataFrame({"plot_code": ["A3"],
                                                        "project_id": ["T2"]})],
                      ignore_index=True)
    return plan.replace(plots=plots, tenant_plots=links)


@pytest.fixture
def recorded(pg_url: str, pg_cluster, pg_db: str, login) -> dict[str, str]:
    """The tiny plan with a history started by the owner and one lease recorded by an
    officer (C0002, which closes A3's plot version); URLs by role."""
    assert main(["db", "init", pg_url]) == 0  # as the owner: also the scenario tables
    source.write_plan(pg_url, tiny_plan())
    start_history(pg_url, SURVEY, "2011-01-01")
    urls = {"owner": pg_url,
            "officer": pg_cluster.url(pg_db, user=login("kcn_officer"), province="bac_ninh"),
            "public": pg_cluster.url(pg_db, user=login("kcn_public"), province="bac_ninh")}
    assert record_change(urls["officer"], _lease_a3(source.read_plan(urls["officer"])),
                         LEASE) == "C0002"
    return urls


def _counts(conn: psycopg.Connection) -> dict[str, int]:
    names = [*HISTORY_TABLES, "kcn_meta", "layer_versions", "kcn_layers"]
    return {n: conn.execute(sql.SQL("SELECT count(*) FROM bac_ninh.{}").format(
        sql.Identifier(n))).fetchone()[0] for n in names}


def test_the_schema_guards_the_tables_the_history_writes():
    assert HISTORY_TABLES == (CHANGES_TABLE, *HISTORY_LAYERS.values())


# -- the record is append-only -------------------------------------------------------------

_REFUSED = [
    *(f"{verb} bac_ninh.{table}" for table in HISTORY_TABLES
      for verb in ("DELETE FROM", "TRUNCATE")),
    "UPDATE bac_ninh.plan_changes SET decision_no = 'forged'",
    "UPDATE bac_ninh.plan_changes SET description = 'x' WHERE change_id = 'C0002'",
    *(f"UPDATE bac_ninh.{h} SET change_from = 'C0002'" for h in HISTORY_LAYERS.values()),
    *(f"UPDATE bac_ninh.{h} SET valid_from = '1990-01-01'" for h in HISTORY_LAYERS.values()),
    # The one update officers may make, closing an open version, cannot touch closed ones,
    # reopen them, or set only one of the two closing fields.
    "UPDATE bac_ninh.plots_history SET valid_to = '2030-01-01' WHERE valid_to IS NOT NULL",
    "UPDATE bac_ninh.plots_history SET valid_to = NULL, change_to = NULL "
    "WHERE valid_to IS NOT NULL",
    "UPDATE bac_ninh.plots_history SET change_to = 'C0002' WHERE valid_to IS NULL",
    "UPDATE bac_ninh.parks_history SET valid_to = '2030-01-01' WHERE valid_to IS NULL",
    "UPDATE bac_ninh.kcn_meta SET value = '99' WHERE key = 'schema_version'",
    "DELETE FROM bac_ninh.kcn_meta",
    "TRUNCATE bac_ninh.kcn_meta",
    "INSERT INTO bac_ninh.kcn_meta VALUES ('x', 'y')",
    "UPDATE bac_ninh.layer_versions SET version = 0",
    "DELETE FROM bac_ninh.layer_versions",
    "TRUNCATE bac_ninh.layer_versions",
    "INSERT INTO bac_ninh.layer_versions VALUES ('forged', 7)",
    "DELETE FROM bac_ninh.kcn_layers",
    "UPDATE bac_ninh.kcn_layers SET kind = 'table'",
]


@pytest.mark.parametrize("statement", _REFUSED)
def test_an_officer_cannot_rewrite_the_record_or_the_metadata(statement, recorded, pg_cluster,
                                                              pg_db):
    officer = psycopg.conninfo.conninfo_to_dict(recorded["officer"].split("?")[0])["user"]
    with pg_cluster.connect(pg_db) as owner:
        before = _counts(owner)
        history_before = read_history(recorded["owner"])
        version_before = owner.execute("SELECT value FROM bac_ninh.kcn_meta "
                                       "WHERE key = 'schema_version'").fetchone()
    with pg_cluster.connect(pg_db, user=officer) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
    with pg_cluster.connect(pg_db) as owner:
        assert _counts(owner) == before
        assert owner.execute("SELECT value FROM bac_ninh.kcn_meta "
                             "WHERE key = 'schema_version'").fetchone() == version_before
    after = read_history(recorded["owner"])
    pd.testing.assert_frame_equal(after.changes, history_before.changes)
    for name, frame in history_before.versions.items():
        pd.testing.assert_frame_equal(after.versions[name], frame)


def test_officers_still_record_reverse_approve_import_and_save(recorded, tmp_path):
    url = recorded["officer"]
    reverse(url, "C0002", UNDO)  # A3 is vacant again
    scenario = Scenario.new("Cho thuê lô A3", author="BQL", scenario_id="s1").replace(
        edits=(LeasePlots(id="e1", plot_codes=("A3",), project_id="T9", investor="Gamma Foods",
                          sector="food", country="JP", lease_start="2021-03-01"),))
    ScenarioStore(url).save(scenario)
    approval = Basis.decision("30/QĐ-UBND", date(2021, 3, 1), "UBND tỉnh Bắc Ninh")
    assert approve_scenario(url, "s1", approval) == "C0004"
    history = read_history(url)
    assert changes(history)["change_id"].tolist() == ["C0001", "C0002", "C0003", "C0004"]
    assert check_versions(history.versions) == []
    assert compare_plans(source.read_plan(url), current(history.versions)).empty
    closed = history.versions["plots"].dropna(subset=["valid_to"])
    assert sorted(closed["change_to"]) == ["C0002", "C0003", "C0004"]  # A3's versions
    assert len(history.versions["tenants"]) == len(tiny_plan().tenants) + 1  # T9 appended
    # A versioned edit of the plan and an import into the database.
    edited = update_plan(url, lambda plan: plan.replace(
        parks=plan.parks.assign(name_vi="Quế Võ mới")))
    assert source.read_plan(url).parks["name_vi"].tolist() == edited.parks[
        "name_vi"].tolist()
    plots = to_crs(tiny_plan().plots, "EPSG:3405").rename(columns={"plot_code": "MA_LO"})
    survey = tmp_path / "survey.gpkg"
    plots.assign(status="reserved").to_file(survey, layer="plots")
    assert main(["import", str(survey), url, "--layer", "plots", "--replace",
                 "--map", "MA_LO=plot_code"]) == 0
    assert set(source.read_plan(url).plots["status"]) == {"reserved"}


def test_a_change_that_would_rewrite_the_history_is_refused(recorded):
    url = recorded["officer"]
    history = read_history(url)
    forged = dict(history.layers())
    forged[CHANGES_TABLE] = history.changes.iloc[1:]  # drops C0001
    with pytest.raises(LayerError, match="append-only"):
        postgis.write(url, appends=forged)
    assert read_history(url).changes["change_id"].tolist() == ["C0001", "C0002"]


# -- the public role ------------------------------------------------------------------------

def test_the_public_reads_the_record_without_private_fields(recorded, pg_cluster, pg_db):
    public = read_history(recorded["public"])
    full = read_history(recorded["owner"])
    assert public.changes["change_id"].tolist() == ["C0001", "C0002"]
    assert public.changes["recorded_by"].isna().all()
    assert full.changes["recorded_by"].tolist() == ["Nguyễn Văn A", "Trần Thị B"]
    # The file of an import without the folder (which may name a person).
    assert public.changes["source_file"].tolist()[0] == "survey_2011.dxf"
    shown = [c for c in CHANGE_COLUMNS if c not in ("recorded_by", "source_file")]
    pd.testing.assert_frame_equal(public.changes[shown], full.changes[shown])
    tenants = public.versions["tenants"]
    for column in CONFIDENTIAL_TENANT_COLUMNS:
        assert tenants[column].isna().all(), column
    assert full.versions["tenants"]["registered_capital_usd"].notna().any()
    for name in HISTORY_LAYERS:
        assert len(public.versions[name]) == len(full.versions[name]), name
    user = psycopg.conninfo.conninfo_to_dict(recorded["public"].split("?")[0])["user"]
    with pg_cluster.connect(pg_db, user=user) as conn:
        for table in (CHANGES_TABLE, "tenants_history"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql.SQL("SELECT * FROM bac_ninh.{}").format(sql.Identifier(table)))
        view = PUBLIC_VIEWS[CHANGES_TABLE][0]
        cur = conn.execute(sql.SQL("SELECT * FROM bac_ninh.{}").format(sql.Identifier(view)))
        assert "recorded_by" not in [d.name for d in cur.description]


# -- upgrades and hints ---------------------------------------------------------------------

def test_db_init_takes_an_existing_database_to_the_new_privileges(recorded, pg_cluster, pg_db):
    # A database as the previous release left it: officers had every right on every table.
    with pg_cluster.connect(pg_db) as owner:
        owner.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA bac_ninh "
                      "TO kcn_officer")
        owner.execute("UPDATE bac_ninh.kcn_meta SET value = '2' WHERE key = 'schema_version'")
    with pytest.raises(LayerError, match="db init"):
        read_history(recorded["officer"])
    assert main(["db", "init", recorded["owner"]]) == 0
    assert postgis.init_database(recorded["owner"]) == SCHEMA_VERSION
    officer = psycopg.conninfo.conninfo_to_dict(recorded["officer"].split("?")[0])["user"]
    with pg_cluster.connect(pg_db, user=officer) as conn:
        for statement in ("DELETE FROM bac_ninh.plan_changes",
                          "UPDATE bac_ninh.layer_versions SET version = 0"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    assert len(read_history(recorded["public"]).changes) == 2


def test_db_push_as_an_officer_names_the_schema_owner(recorded, tmp_path, capsys):
    path = tmp_path / "bac_ninh.gpkg"
    source.write_plan(path, tiny_plan())
    assert main(["db", "push", str(path), recorded["officer"]]) != 0
    err = capsys.readouterr().err
    assert "schema's owner" in err and "db push" in err
    assert "editing needs the kcn_officer role" not in err
    assert len(read_history(recorded["owner"]).changes) == 2  # nothing was replaced
