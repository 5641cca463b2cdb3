"""The ministry's view over PostGIS: two province schemas of one database give the same
national table as the two files, and a package is exported from a schema like from a file."""

from __future__ import annotations

import pandas as pd
import pytest

from gis_app.analytics import national_summary, province_indicators
from gis_app.cli.commands import main
from gis_app.settings import PROVINCES
from gis_app.storage.package import export_package, read_package
from gis_app.storage.source import read_plan

KEYS = ("bac_ninh", "ninh_binh")


@pytest.fixture
def schemas(pg_cluster, pg_db):
    paths = [PROVINCES[key].default_path for key in KEYS]
    if not all(p.exists() for p in paths):
        pytest.skip("the shipped provinces are not built (kcn-gis sample)")
    urls = [pg_cluster.url(pg_db, province=key) for key in KEYS]
    for path, url in zip(paths, urls, strict=True):
        assert main(["db", "push", str(path), url]) == 0
    return paths, urls


def test_province_schemas_give_the_national_table_of_the_files(schemas, tmp_path, capsys):
    paths, urls = schemas
    from_db = national_summary([read_plan(u) for u in urls])
    from_files = national_summary([read_plan(p) for p in paths])
    pd.testing.assert_frame_equal(from_db, from_files)
    capsys.readouterr()
    assert main(["summary", *urls, "--format", "csv", "--lang", "en"]) == 0
    database = capsys.readouterr().out
    assert main(["summary", *(str(p) for p in paths), "--format", "csv", "--lang", "en"]) == 0
    assert capsys.readouterr().out == database
    assert "National total" in database


def test_a_package_exported_from_a_schema_reads_back(schemas, tmp_path):
    _, urls = schemas
    package = read_package(export_package(urls[1], tmp_path / "nb.zip"))
    assert package.manifest["province"] == "ninh_binh"
    pd.testing.assert_frame_equal(province_indicators(package.plan),
                                  province_indicators(read_plan(urls[1])))
