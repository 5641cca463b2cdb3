"""What the database itself enforces, even against SQL that bypasses the app; and upgrades."""

from __future__ import annotations

import psycopg
import pytest

from gis_app.errors import LayerError
from gis_app.storage import source
from gis_app.storage.postgis import store as postgis
from gis_app.storage.postgis.schema import SCHEMA_VERSION
from gis_app.testing import tiny_plan

POLY = ("ST_GeomFromText('POLYGON((550000 2335000,550010 2335000,550010 2335010,"
        "550000 2335000))', {})")


@pytest.fixture
def conn(pg_url, pg_cluster, pg_db):
    postgis.init_database(pg_url)
    source.write_plan(pg_url, tiny_plan())
    with pg_cluster.connect(pg_db) as conn:
        yield conn


def _insert_plot(conn, *, code="B1", park="P1", status="vacant", area=0.01, srid=9209):
    conn.execute(
        "INSERT INTO bac_ninh.plots (plot_code, park_code, land_use, status, ready_built_factory,"
        f" area_ha, geom) VALUES (%s, %s, 'industrial', %s, false, %s, {POLY.format(srid)})",
        [code, park, status, area])


def test_a_valid_plot_is_accepted(conn):
    _insert_plot(conn)
    assert conn.execute("SELECT count(*) FROM bac_ninh.plots").fetchone()[0] == 5


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"area": -0.5}, psycopg.errors.CheckViolation),
    ({"status": "rented"}, psycopg.errors.CheckViolation),
    ({"code": ""}, psycopg.errors.CheckViolation),
    ({"code": "A1"}, psycopg.errors.UniqueViolation),
    ({"park": "P9"}, psycopg.errors.ForeignKeyViolation),
    ({"srid": 4326}, psycopg.errors.InvalidParameterValue),
])
def test_database_refuses_bad_plots(conn, kwargs, error):
    with pytest.raises(error):
        _insert_plot(conn, **kwargs)


def test_tenant_links_need_a_plot_and_a_project(conn):
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        conn.execute("INSERT INTO bac_ninh.tenant_plots VALUES (DEFAULT, 'A3', 'T9')")
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        conn.execute("INSERT INTO bac_ninh.tenant_plots VALUES (DEFAULT, 'Z9', 'T1')")
    with pytest.raises(psycopg.errors.UniqueViolation):  # a plot hosts at most one project
        conn.execute("INSERT INTO bac_ninh.tenant_plots VALUES (DEFAULT, 'A1', 'T2')")
    with pytest.raises(psycopg.errors.ForeignKeyViolation):  # a park with plots stays
        conn.execute("DELETE FROM bac_ninh.parks")


def test_point_layer_refuses_polygons(conn):
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="Point"):
        conn.execute("UPDATE bac_ninh.wastewater_plants SET geom = " + POLY.format(9209))


def test_spatial_indexes_exist(conn):
    rows = conn.execute("SELECT tablename FROM pg_indexes WHERE schemaname = 'bac_ninh' "
                        "AND indexdef ILIKE '%USING gist%' ORDER BY tablename").fetchall()
    assert [r[0] for r in rows] == ["parks", "plots", "wastewater_plants", "zones"]


def test_upgrade_applies_only_the_missing_steps(conn, pg_url):
    conn.execute("DROP VIEW bac_ninh.tenants_public")
    conn.execute("UPDATE bac_ninh.kcn_meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(LayerError, match="version 1.*db init"):
        source.read_plan(pg_url)
    assert postgis.init_database(pg_url) == 1
    assert conn.execute("SELECT count(*) FROM bac_ninh.tenants_public").fetchone()[0] == 2
    assert len(source.read_plan(pg_url).plots) == 4  # data untouched by the upgrade


def test_a_newer_database_is_not_downgraded(conn, pg_url):
    conn.execute("UPDATE bac_ninh.kcn_meta SET value = %s WHERE key = 'schema_version'",
                 [str(SCHEMA_VERSION + 1)])
    with pytest.raises(LayerError, match="newer than this kcn-gis"):
        postgis.init_database(pg_url)


def test_upgrade_brings_code_checks_in_step_with_the_code_lists(conn, pg_url):
    # A database made when parks could not yet be 'proposed' (an older code list).
    conn.execute("ALTER TABLE bac_ninh.parks DROP CONSTRAINT parks_status_codes")
    conn.execute("ALTER TABLE bac_ninh.parks ADD CONSTRAINT parks_status_codes "
                 "CHECK (status IN ('approved', 'established', 'operating'))")
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("UPDATE bac_ninh.parks SET status = 'proposed'")
    postgis.init_database(pg_url)
    conn.execute("UPDATE bac_ninh.parks SET status = 'proposed'")
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("UPDATE bac_ninh.parks SET status = 'abandoned'")


def test_a_write_failing_half_way_leaves_every_layer_as_it_was(conn, pg_url):
    # The database refuses the last layer written (a trigger standing for a full disk or a
    # dropped connection): the layers replaced before it must come back unchanged.
    conn.execute("CREATE FUNCTION bac_ninh.refuse() RETURNS trigger LANGUAGE plpgsql AS "
                 "$$ BEGIN RAISE EXCEPTION 'disk full'; END $$")
    conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON bac_ninh.wastewater_plants "
                 "FOR EACH ROW EXECUTE FUNCTION bac_ninh.refuse()")
    plan = tiny_plan()
    plots = plan.plots.copy()
    plots["status"] = ["leased", "leased", "reserved", "leased"]
    with pytest.raises(LayerError, match="disk full"):
        source.write_plan(pg_url, plan.replace(plots=plots))
    statuses = conn.execute("SELECT status FROM bac_ninh.plots ORDER BY kcn_fid").fetchall()
    assert [s for (s,) in statuses] == ["leased", "leased", "vacant", "leased"]
    assert conn.execute("SELECT count(*) FROM bac_ninh.wastewater_plants").fetchone()[0] == 1


def test_init_from_several_processes_at_once(pg_cluster):
    import multiprocessing

    # Three databases and a second start in each: schemas, extension and server-wide roles.
    names = []
    with pg_cluster.connect() as admin:
        for i in range(3):
            names.append(f"kcn_init_{i}")
            admin.execute(f"CREATE DATABASE {names[-1]} TEMPLATE template0")
    try:
        urls = [pg_cluster.url(n, province="bac_ninh") for n in names] * 2
        with multiprocessing.get_context("spawn").Pool(len(urls)) as pool:
            pool.map(postgis.init_database, urls)
        for url in urls:
            assert len(source.list_layers(url)) == 6
    finally:
        with pg_cluster.connect() as admin:
            for name in names:
                admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
