"""GeoPackage -> PostGIS -> GeoPackage gives back identical layers, through the CLI."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import geopandas as gpd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

from gis_app.cli import main
from gis_app.settings import PROVINCES
from gis_app.storage import gpkg, source
from gis_app.testing import tiny_plan

GDAL_VALIDATOR = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"


def _plain(value: object) -> object:
    return list(value) if hasattr(value, "__len__") and not isinstance(value, str) else value


def _catalogue(path) -> tuple[set, dict]:
    """Registered layers with their descriptions, and the DDL of every data table (not the
    file's own count of its writes, ``layer_versions``: a copy is a new file)."""
    with sqlite3.connect(path) as con:
        contents = set(con.execute("SELECT table_name, data_type, identifier, description, "
                                   "srs_id FROM gpkg_contents"))
        ddl = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND "
                               "name NOT LIKE 'gpkg%' AND name NOT LIKE 'rtree%' "
                               "AND name NOT LIKE 'sqlite%' AND name <> ?",
                               [gpkg.VERSIONS_TABLE]))
    return contents, ddl


def _assert_same_files(a, b) -> None:
    assert dict(gpkg.list_layers(b)) == dict(gpkg.list_layers(a))
    assert _catalogue(b) == _catalogue(a)
    for name in gpkg.list_layers(a):
        left, right = gpkg.read_layer(a, name), gpkg.read_layer(b, name)
        if isinstance(left, gpd.GeoDataFrame):
            assert_geodataframe_equal(right, left, check_crs=True, check_dtype=True,
                                      check_geom_type=True)
        else:
            assert_frame_equal(right, left, check_dtype=True)
        info_a, info_b = pyogrio.read_info(a, layer=name), pyogrio.read_info(b, layer=name)
        for key in ("fields", "ogr_types", "ogr_subtypes", "geometry_type", "features"):
            assert _plain(info_b[key]) == _plain(info_a[key]), (name, key)


@pytest.mark.parametrize("province", ["bac_ninh", "ninh_binh"])
def test_shipped_province_round_trip(province, pg_cluster, pg_db, tmp_path, capsys):
    original = tmp_path / f"{province}.gpkg"
    shutil.copyfile(PROVINCES[province].default_path, original)
    url = pg_cluster.url(pg_db)  # no province: push takes the file's own
    assert main(["db", "push", str(original), url]) == 0
    pulled = tmp_path / "pulled.gpkg"
    assert main(["db", "pull", pg_cluster.url(pg_db, province=province), str(pulled)]) == 0
    assert "layers copied" in capsys.readouterr().out
    _assert_same_files(original, pulled)
    # Styles and sources are among the layers compared above; make sure they were not empty.
    assert len(gpkg.read_layer(pulled, "layer_styles")) > 0
    assert len(gpkg.read_layer(pulled, "layer_sources")) > 0
    # The pulled file passes GDAL's validator as strictly as the shipped one (valid DATETIMEs).
    done = subprocess.run(["/usr/bin/python3", GDAL_VALIDATOR, "--extra", "--warning-as-error",
                           str(pulled)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_round_trip_keeps_scenarios_unlisted_tables_and_nulls(pg_url, tmp_path):
    original = tmp_path / "a.gpkg"

    def add_table(con: sqlite3.Connection) -> None:
        con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, done BOOLEAN, "
                    "weight REAL)")
        con.executemany("INSERT INTO notes VALUES (?, ?, ?, ?)",
                        [(1, "Lô A3 còn trống", 1, 2.5), (2, None, 0, None)])
        # Registered tables with their own constraints, as the scenario store writes them.
        con.execute("CREATE TABLE scenarios (fid INTEGER PRIMARY KEY AUTOINCREMENT, "
                    "scenario_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, based_on TEXT, "
                    "created TEXT NOT NULL, version INTEGER NOT NULL)")
        con.execute("CREATE TABLE scenario_edits (fid INTEGER PRIMARY KEY AUTOINCREMENT, "
                    "scenario_id TEXT NOT NULL, seq INTEGER NOT NULL, params TEXT NOT NULL)")
        con.executemany("INSERT INTO gpkg_contents (table_name, data_type, identifier, "
                        "description) VALUES (?, 'attributes', ?, ?)",
                        [("scenarios", "scenarios", "Kịch bản điều chỉnh quy hoạch"),
                         ("scenario_edits", "scenario_edits", "")])
        con.executemany("INSERT INTO scenarios (scenario_id, name, based_on, created, version) "
                        "VALUES (?, ?, ?, ?, ?)",
                        [("S1", "Mở rộng KCN", None, "2026-11-24T14:00:00+00:00", 3),
                         ("S2", "Thu hồi lô A4", "S1", "2026-11-24T14:05:00+00:00", 1)])
        con.executemany("INSERT INTO scenario_edits (scenario_id, seq, params) VALUES (?, ?, ?)",
                        [("S1", 0, '{"plot_code": "A3"}'), ("S2", 0, "{}")])

    gpkg.write_layers(original, tiny_plan().layers(), after=add_table)
    source.write_layers(original, {"extra": tiny_plan().tenants[["project_id", "employees"]]})
    assert main(["db", "init", pg_url]) == 0
    assert main(["db", "push", str(original), pg_url]) == 0
    pulled = tmp_path / "b.gpkg"
    assert main(["db", "pull", pg_url, str(pulled)]) == 0
    _assert_same_files(original, pulled)
    with sqlite3.connect(original) as a, sqlite3.connect(pulled) as b:
        want = a.execute("SELECT sql FROM sqlite_master WHERE name = 'notes'").fetchone()
        assert b.execute("SELECT sql FROM sqlite_master WHERE name = 'notes'").fetchone() == want
        rows = "SELECT id, body, done, weight, typeof(done) FROM notes ORDER BY id"
        assert b.execute(rows).fetchall() == a.execute(rows).fetchall()
        rows = "SELECT * FROM scenarios ORDER BY fid"
        assert b.execute(rows).fetchall() == a.execute(rows).fetchall()


def test_push_replaces_what_the_database_held(pg_url, tmp_path):
    first = tmp_path / "first.gpkg"
    gpkg.write_layers(first, {**tiny_plan().layers(),
                              "scenarios": tiny_plan().tenants[["project_id"]]})
    assert main(["db", "push", str(first), pg_url]) == 0
    second = tmp_path / "second.gpkg"
    gpkg.write_layers(second, tiny_plan().layers())
    assert main(["db", "push", str(second), pg_url]) == 0
    assert "scenarios" not in source.list_layers(pg_url)


def test_push_of_an_invalid_file_is_refused_with_exit_2(pg_url, tmp_path, capsys):
    plan = tiny_plan()
    plots = plan.plots.copy()
    plots.loc[0, "park_code"] = "P9"
    bad = tmp_path / "bad.gpkg"
    gpkg.write_layers(bad, plan.replace(plots=plots).layers())
    assert main(["db", "push", str(bad), pg_url]) == 2
    assert "unknown_park" in capsys.readouterr().err


@pytest.mark.parametrize("province", ["bac_ninh", "ninh_binh"])
def test_pushed_layers_read_the_same_from_both_backends(province, pg_cluster, pg_db):
    path = PROVINCES[province].default_path
    url = pg_cluster.url(pg_db, province=province)
    assert main(["db", "push", str(path), url]) == 0
    for name, kind in gpkg.list_layers(path).items():
        want, got = source.read_layer(path, name), source.read_layer(url, name)
        if kind is None:
            assert_frame_equal(got, want, check_dtype=True, obj=name)
        else:
            assert_geodataframe_equal(got, want, check_crs=True, check_dtype=True,
                                      check_geom_type=True)


@pytest.mark.parametrize("command", [["summary"], ["report", "--format", "csv"]])
def test_cli_reports_are_the_same_from_both_backends(command, pg_cluster, pg_db, capsys):
    path = PROVINCES["bac_ninh"].default_path
    url = pg_cluster.url(pg_db, province="bac_ninh")
    assert main(["db", "push", str(path), url]) == 0
    capsys.readouterr()
    assert main([*command[:1], str(path), *command[1:]]) == 0
    from_file = capsys.readouterr().out
    assert main([*command[:1], url, *command[1:]]) == 0
    assert capsys.readouterr().out == from_file
    assert "Bắc Ninh" in from_file  # a real table, not two empty outputs
