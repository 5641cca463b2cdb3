"""Database roles: the public reads no confidential tenant figures, officers read and write."""

from __future__ import annotations

import psycopg
import pytest

from gis_app.errors import LayerError
from gis_app.storage import source
from gis_app.storage.postgis import store as postgis
from gis_app.storage.postgis.schema import CONFIDENTIAL_TENANT_COLUMNS
from gis_app.testing import tiny_plan


@pytest.fixture
def loaded(pg_url, pg_cluster, pg_db) -> str:
    postgis.init_database(pg_url)
    source.write_plan(pg_url, tiny_plan())
    source.write_layers(pg_url, {"scenarios": tiny_plan().tenants[["project_id"]]})
    return pg_db


@pytest.mark.parametrize("column", CONFIDENTIAL_TENANT_COLUMNS)
def test_public_role_cannot_select_confidential_columns(column, loaded, pg_cluster, login):
    user = login("kcn_public")
    with pg_cluster.connect(loaded, user=user) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(psycopg.sql.SQL("SELECT {} FROM bac_ninh.tenants").format(
                psycopg.sql.Identifier(column)))


def test_public_role_reads_the_public_view_and_the_plots(loaded, pg_cluster, login):
    user = login("kcn_public")
    with pg_cluster.connect(loaded, user=user) as conn:
        cur = conn.execute("SELECT * FROM bac_ninh.tenants_public ORDER BY project_id")
        columns = [d.name for d in cur.description]
        assert cur.fetchall()[0][columns.index("investor")] == "Alpha Electronics"
        assert not set(columns) & set(CONFIDENTIAL_TENANT_COLUMNS)
        leased = conn.execute("SELECT count(*) FROM bac_ninh.plots WHERE status = 'leased'")
        assert leased.fetchone()[0] == 3
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM bac_ninh.scenarios")  # drafts are for officers
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE bac_ninh.plots SET status = 'vacant'")


def test_public_role_reads_a_plan_without_the_confidential_figures(loaded, pg_cluster, login):
    url = pg_cluster.url(loaded, user=login("kcn_public"), province="bac_ninh")
    plan = source.read_plan(url)
    want = tiny_plan().tenants
    for column in want.columns:
        if column in CONFIDENTIAL_TENANT_COLUMNS:
            assert plan.tenants[column].isna().all(), column
            assert plan.tenants[column].dtype == want[column].dtype
        else:
            assert plan.tenants[column].tolist() == want[column].tolist(), column
    assert plan.plots["status"].tolist() == tiny_plan().plots["status"].tolist()


def test_public_role_cannot_write_through_the_app(loaded, pg_cluster, login):
    url = pg_cluster.url(loaded, user=login("kcn_public"), province="bac_ninh")
    with pytest.raises(LayerError, match="permission denied"):
        source.write_plan(url, tiny_plan())
    with pytest.raises(LayerError, match="permission denied"):
        source.write_layers(url, {"scenarios": tiny_plan().tenants[["project_id"]]})
    assert source.read_plan(url).plots["status"].tolist() == ["leased", "leased", "vacant",
                                                              "leased"]


def test_officer_role_reads_and_writes(loaded, pg_cluster, login):
    url = pg_cluster.url(loaded, user=login("kcn_officer"), province="bac_ninh")
    plan = source.read_plan(url)
    assert plan.tenants["registered_capital_usd"].sum() == 12_000_000.0
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == "A3", "status"] = "reserved"
    source.write_plan(url, plan.replace(plots=plots))
    assert source.read_plan(url).plots["status"].tolist() == ["leased", "leased", "reserved",
                                                              "leased"]


def test_context_layers_stay_public_after_their_columns_change(loaded, pg_url, pg_cluster, login):
    import geopandas as gpd
    import shapely

    point = [shapely.Point(550_100, 2_335_050)]
    source.write_layers(pg_url, {"park_labels": gpd.GeoDataFrame(
        {"label": ["P1"]}, geometry=point, crs="EPSG:9209")})
    source.write_layers(pg_url, {"park_labels": gpd.GeoDataFrame(
        {"label": ["P1"], "size": [12]}, geometry=point, crs="EPSG:9209")})  # table recreated
    assert list(source.list_layers(pg_url))[-2:] == ["scenarios", "park_labels"]
    url = pg_cluster.url(loaded, user=login("kcn_public"), province="bac_ninh")
    labels = source.read_context(url, "park_labels")
    assert labels["size"].tolist() == [12]
