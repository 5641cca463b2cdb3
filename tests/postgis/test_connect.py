"""Credentials come from the environment or a service file, never from the URL or the code."""

from __future__ import annotations

import pytest

from gis_app.errors import LayerError
from gis_app.storage import source
from gis_app.storage.postgis import store as postgis
from gis_app.storage.postgis.connect import parse_url
from gis_app.testing import tiny_plan


@pytest.fixture
def loaded(pg_url) -> str:
    postgis.init_database(pg_url)
    source.write_plan(pg_url, tiny_plan())
    return pg_url


def test_service_file_names_the_server(loaded, pg_cluster, pg_db, tmp_path, monkeypatch):
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[kcn]\nhost={pg_cluster.socket_dir}\nport={pg_cluster.port}\n"
                        f"user=postgres\ndbname={pg_db}\n")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    plan = source.read_plan("postgresql:///?service=kcn&province=bac_ninh")
    assert plan.plots["plot_code"].tolist() == ["A1", "A2", "A3", "A4"]


def test_pg_environment_variables_fill_in_the_url(loaded, pg_cluster, pg_db, monkeypatch):
    for name, value in {"PGHOST": str(pg_cluster.socket_dir), "PGPORT": str(pg_cluster.port),
                        "PGUSER": "postgres", "PGDATABASE": pg_db}.items():
        monkeypatch.setenv(name, value)
    assert source.validate_source("postgresql:///?province=bac_ninh").ok


def test_messages_never_show_a_password(pg_cluster):
    url = (f"postgresql://ana:s3cret@/nodb?host={pg_cluster.socket_dir}&port={pg_cluster.port}"
           "&province=bac_ninh")
    with pytest.raises(LayerError) as info:
        source.read_plan(url)
    assert "s3cret" not in str(info.value)
    assert "cannot connect" in str(info.value)
    assert "s3cret" not in parse_url(url + "&password=x2").display


def test_url_without_province_is_refused_before_connecting():
    with pytest.raises(LayerError, match=r"names no province.*bac_ninh"):
        source.read_plan("postgresql://nobody@/kcn")


def test_uninitialised_database_says_what_to_run(pg_url):
    with pytest.raises(LayerError, match="kcn-gis db init"):
        source.read_plan(pg_url)


def test_init_is_idempotent_and_records_the_version(pg_url, pg_cluster, pg_db):
    from gis_app.storage.postgis.schema import MIGRATIONS, SCHEMA_VERSION

    assert postgis.init_database(pg_url) == 0
    assert postgis.init_database(pg_url) == SCHEMA_VERSION == MIGRATIONS[-1].version
    with pg_cluster.connect(pg_db) as conn:
        row = conn.execute("SELECT value FROM bac_ninh.kcn_meta WHERE key = 'schema_version'")
        assert row.fetchone()[0] == str(SCHEMA_VERSION)


def test_cli_validate_takes_a_url(loaded, capsys):
    from gis_app.cli import main

    assert main(["validate", loaded]) == 0
    out = capsys.readouterr().out
    assert "no problems found" in out and "province=bac_ninh" in out
