"""Officers editing at once from several processes: no update is ever lost."""

from __future__ import annotations

import multiprocessing

import pandas as pd
import pytest
from psycopg import sql as psycopg_sql

from gis_app.history import update_plan
from gis_app.model.plan import Plan
from gis_app.storage import source
from gis_app.storage.postgis import store as postgis
from gis_app.storage.postgis.store import EditConflictError
from gis_app.testing import tiny_plan

WORKERS = 6


def _with_tenant(plan: Plan, project_id: str) -> Plan:
    row = plan.tenants.iloc[[0]].copy()
    row["project_id"] = project_id
    tenants = pd.concat([plan.tenants, row], ignore_index=True)
    return plan.replace(tenants=tenants.astype(plan.tenants.dtypes.to_dict()))


def _add_with_retry(url: str, project_id: str) -> None:
    update_plan(url, lambda plan: _with_tenant(plan, project_id), attempts=WORKERS)


def _stale_write(url: str, project_id: str, barrier) -> str:  # noqa: ANN001 - a Barrier proxy
    plan, versions = postgis.read_plan_versioned(url)
    barrier.wait()  # every worker has read the same versions before anyone writes
    try:
        source.write_plan(url, _with_tenant(plan, project_id), expected_versions=versions)
    except EditConflictError as exc:
        return f"conflict: {exc}"
    return "written"


@pytest.fixture
def loaded(pg_url) -> str:
    postgis.init_database(pg_url)
    source.write_plan(pg_url, tiny_plan())
    return pg_url


def _pool(n: int):  # noqa: ANN202
    return multiprocessing.get_context("spawn").Pool(n)


def test_concurrent_edits_from_processes_all_survive(loaded):
    ids = [f"N{i}" for i in range(WORKERS)]
    with _pool(WORKERS) as pool:
        pool.starmap(_add_with_retry, [(loaded, i) for i in ids])
    got = source.read_plan(loaded).tenants["project_id"].tolist()
    assert sorted(got) == sorted(["T1", "T2", *ids])


def test_simultaneous_stale_writes_exactly_one_wins(loaded):
    ids = [f"N{i}" for i in range(WORKERS)]
    with multiprocessing.get_context("spawn").Manager() as manager, _pool(WORKERS) as pool:
        barrier = manager.Barrier(WORKERS)
        results = pool.starmap(_stale_write, [(loaded, i, barrier) for i in ids])
    winners = [i for i, r in zip(ids, results, strict=True) if r == "written"]
    assert len(winners) == 1
    conflicts = [r for r in results if r != "written"]
    assert all("changed by someone else" in r and "nothing was written" in r for r in conflicts)
    got = source.read_plan(loaded).tenants["project_id"].tolist()
    assert got == ["T1", "T2", winners[0]]


def test_stale_write_names_the_layer_and_leaves_data_unchanged(loaded):
    plan, versions = postgis.read_plan_versioned(loaded)
    source.write_plan(loaded, _with_tenant(plan, "FIRST"), expected_versions=versions)
    with pytest.raises(EditConflictError, match=r"layer 'parks'.*version 1, now 2"):
        source.write_plan(loaded, _with_tenant(plan, "SECOND"), expected_versions=versions)
    assert source.read_plan(loaded).tenants["project_id"].tolist() == ["T1", "T2", "FIRST"]
    assert postgis.layer_versions(loaded)["tenants"] == 2


def test_gpkg_takes_versioned_writes_as_postgis_does(tmp_path):
    path = tmp_path / "bac_ninh.gpkg"
    source.write_plan(path, tiny_plan())
    plan, versions = source.read_plan_versioned(path)
    source.write_plan(path, _with_tenant(plan, "FIRST"), expected_versions=versions)
    with pytest.raises(EditConflictError, match="changed by someone else since you read it"):
        source.write_plan(path, _with_tenant(plan, "SECOND"), expected_versions=versions)
    assert "FIRST" in set(source.read_plan(path).tenants["project_id"])


def _increment(url: str) -> None:
    """A row-level edit of an extra table: read a counter and write it back plus one."""
    with postgis.transaction(url, ["counters"]) as (conn, schema):
        table = psycopg_sql.SQL("{}.counters").format(psycopg_sql.Identifier(schema))
        value = conn.execute(psycopg_sql.SQL("SELECT n FROM {}").format(table)).fetchone()[0]
        conn.execute(psycopg_sql.SQL("UPDATE {} SET n = %s").format(table), [value + 1])


def test_row_level_edits_in_transactions_take_turns(loaded):
    source.write_layers(loaded, {"counters": pd.DataFrame({"n": [0]})})
    with _pool(WORKERS) as pool:
        pool.map(_increment, [loaded] * (WORKERS * 3))
    frame, version = postgis.read_layer_versioned(loaded, "counters")
    assert frame["n"].tolist() == [WORKERS * 3]
    assert version == 1 + WORKERS * 3  # the first write, then one per edit


def test_versioned_table_write_refuses_a_stale_copy(loaded):
    source.write_layers(loaded, {"scenarios": pd.DataFrame({"scenario_id": ["S1"]})})
    frame, version = postgis.read_layer_versioned(loaded, "scenarios")
    mine = pd.concat([frame, pd.DataFrame({"scenario_id": ["S2"]})], ignore_index=True)
    theirs = pd.concat([frame, pd.DataFrame({"scenario_id": ["S3"]})], ignore_index=True)
    postgis.write_layers(loaded, {"scenarios": theirs}, expected_versions={"scenarios": version})
    with pytest.raises(EditConflictError, match="layer 'scenarios'"):
        postgis.write_layers(loaded, {"scenarios": mine}, expected_versions={"scenarios": version})
    assert source.read_layer(loaded, "scenarios")["scenario_id"].tolist() == ["S1", "S3"]


def test_failed_transaction_changes_nothing(loaded):
    source.write_layers(loaded, {"counters": pd.DataFrame({"n": [5]})})
    before = postgis.layer_versions(loaded)["counters"]
    with pytest.raises(RuntimeError), postgis.transaction(loaded, ["counters"]) as (conn, s):
        conn.execute(psycopg_sql.SQL("UPDATE {}.counters SET n = 99").format(
            psycopg_sql.Identifier(s)))
        raise RuntimeError("the officer's edit failed half-way")
    assert source.read_layer(loaded, "counters")["n"].tolist() == [5]
    assert postgis.layer_versions(loaded)["counters"] == before
