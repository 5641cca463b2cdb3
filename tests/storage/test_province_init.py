"""Every province: the registry built from data/reference/national and ``kcn-gis init``."""

from __future__ import annotations

import csv
import sqlite3

import pyogrio
import pytest
from pyproj import CRS
from test_gpkg_gdal_validator import validate_gpkg

from gis_app.cli import main
from gis_app.model.crs import transformer
from gis_app.model.schema import SCHEMAS, STYLES_TABLE
from gis_app.province_init import init_province
from gis_app.registry import NATIONAL_DIR, registry, tm3_crs, tm3_epsg
from gis_app.settings import ILLUSTRATIVE_NOTICE_EN, PROVINCES, REAL_DATA_NOTICE_EN
from gis_app.storage import validate_file
from gis_app.storage.gpkg import province_of, read_dataset_info

CONTEXT = ("province_boundary", "communes", "roads_rail")


def _crs_of(path, layer) -> CRS:
    return CRS.from_user_input(pyogrio.read_info(path, layer=layer)["crs"])


def test_registry_has_the_34_provinces_and_every_legacy_province_once():
    provinces = registry()
    assert len(provinces) == 34
    assert len({p.code for p in provinces.values()}) == 34
    legacy = [z.name_vi for p in provinces.values() for z in p.legacy_zones]
    with open(NATIONAL_DIR / "vn2000_central_meridians.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert sorted(legacy) == sorted(r["legacy_province_vi"] for r in rows)  # 63, each once
    for p in provinces.values():
        # The file's zone is a TM-3 zone of one of its legacy provinces, with a stated reason.
        assert p.epsg == p.legacy_zones[0].epsg and p.zone_reason_en and p.zone_reason_vi
        crs = CRS.from_epsg(p.epsg)
        assert crs.name.startswith("VN-2000 / TM-3"), (p.key, crs.name)
        lon0 = {q.name: q.value for q in crs.coordinate_operation.params}
        assert lon0["Longitude of natural origin"] == p.central_meridian, p.key
        for z in p.legacy_zones:
            assert tm3_epsg(z.central_meridian) == z.epsg, (p.key, z)


def test_settings_provinces_agree_with_the_registry():
    assert list(PROVINCES) == ["bac_ninh", "ninh_binh"]
    assert (PROVINCES["bac_ninh"].epsg, PROVINCES["bac_ninh"].central_meridian) == (9209, 105.5)
    assert (PROVINCES["ninh_binh"].epsg, PROVINCES["ninh_binh"].central_meridian) == (5897, 105.0)
    assert PROVINCES["bac_ninh"].legacy_provinces == ("Bắc Ninh", "Bắc Giang")
    assert PROVINCES["ninh_binh"].legacy_provinces == ("Ninh Bình", "Hà Nam", "Nam Định")
    for key, p in PROVINCES.items():
        assert registry()[key] == p


def test_a_meridian_without_epsg_code_is_built_on_vn2000_with_the_pinned_shift():
    crs = tm3_crs(106.75)  # no EPSG code for 106°45'
    assert tm3_epsg(106.75) is None and crs.is_projected
    t = transformer("EPSG:4326", crs.to_wkt())
    assert "VN-2000 to WGS 84 (2)" in t.description
    x, _ = t.transform(106.75, 21.0)
    assert abs(x - 500_000) < 300  # on its central meridian, up to the datum shift


@pytest.mark.slow
def test_init_works_for_every_province(tmp_path):
    """All 34: valid, in the province's zone, context layers cut from the national data,
    styled, real-data notice; a handful also through GDAL's validator (each run costs ~1 s)."""
    gdal_checked = {"ha_noi", "quang_ninh", "ho_chi_minh", "ca_mau", "khanh_hoa"}
    for key, p in registry().items():
        path = init_province(key, tmp_path / f"{key}.gpkg")
        report = validate_file(path)
        assert report.ok, (key, report.summary())
        for name in (*SCHEMAS, *CONTEXT):
            if SCHEMAS.get(name) and SCHEMAS[name].geometry_types is None:
                continue
            assert _crs_of(path, name).to_epsg() == p.epsg, (key, name)
        for name in CONTEXT:
            assert pyogrio.read_info(path, layer=name)["features"] > 0, (key, name)
        for name in SCHEMAS:
            assert pyogrio.read_info(path, layer=name)["features"] == 0, (key, name)
        with sqlite3.connect(path) as con:
            styled = {r[0] for r in con.execute(f"SELECT f_table_name FROM {STYLES_TABLE}")}
        assert styled >= {*CONTEXT, "parks", "zones", "plots", "wastewater_plants"}
        info = read_dataset_info(path)
        assert (info["province"], info["crs"], info["illustrative"]) == (key, p.crs, "false")
        assert info["notice_en"] == REAL_DATA_NOTICE_EN != ILLUSTRATIVE_NOTICE_EN
        assert "thanglequoc" in info["attribution"] and "LegoCity" in info["attribution"]
        if key in gdal_checked:
            result = validate_gpkg(path)
            assert result.returncode == 0, (key, result.stdout + result.stderr)


def test_init_refuses_an_unknown_province_in_one_line(tmp_path, capsys):
    target = tmp_path / "x.gpkg"
    assert main(["init", "atlantis", "-o", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("kcn-gis init: unknown province 'atlantis'") and "\n" not in err
    assert "ha_noi" in err and not target.exists()


def test_init_never_replaces_an_existing_file(tmp_path, capsys):
    target = tmp_path / "hue.gpkg"
    target.write_bytes(b"the board's records")
    assert main(["init", "hue", "-o", str(target)]) == 2
    assert "exists already" in capsys.readouterr().err
    assert target.read_bytes() == b"the board's records"


def test_epsg_overrides_the_default_zone(tmp_path, capsys):
    # Bắc Ninh's default is 105°30' (EPSG:9209); a board drawing in old Bắc Giang's 107°00'.
    path = tmp_path / "bn.gpkg"
    assert main(["init", "bac_ninh", "-o", str(path), "--epsg", "9214"]) == 0
    for name in ("parks", "plots", *CONTEXT):
        assert _crs_of(path, name).to_epsg() == 9214
    assert read_dataset_info(path)["crs"] == "EPSG:9214"
    p = province_of(path)
    assert (p.epsg, p.central_meridian) == (9214, 107.0)
    assert validate_file(path).ok
    for bad in ("4326", "99999"):
        target = tmp_path / f"bad{bad}.gpkg"
        assert main(["init", "bac_ninh", "-o", str(target), "--epsg", bad]) == 2
        assert f"--epsg {bad}" in capsys.readouterr().err and not target.exists()


def test_validate_and_summary_read_an_empty_province_as_zeros(tmp_path, capsys):
    path = init_province("dong_nai", tmp_path / "dn.gpkg")
    assert main(["validate", str(path)]) == 0
    assert "no problems" in capsys.readouterr().out
    out = tmp_path / "summary.csv"
    assert main(["summary", str(path), "--format", "csv", "--lang", "en",
                 "--output", str(out)]) == 0
    with open(out, encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 2 and rows[1][0] == "Đồng Nai", rows  # one row: the file's province
    row = dict(zip(rows[0], rows[1], strict=True))
    zeros = ["Parks", "Parks operating", "Planned area (ha)", "Leased (ha)", "Vacant (ha)"]
    assert [float(row[c]) for c in zeros] == [0.0] * len(zeros), row


def test_a_survey_imported_into_an_overridden_zone_lands_in_that_zone(tmp_path):
    """The file says EPSG:9214, so the importer reprojects into 9214, not Bắc Ninh's default."""
    from gis_app.imports.importer import import_layer
    from gis_app.model.crs import to_crs
    from gis_app.testing import tiny_plan

    parks = tiny_plan().parks
    source = tmp_path / "parks.geojson"
    pyogrio.write_dataframe(to_crs(parks, "EPSG:4326"), source, driver="GeoJSON")
    path = tmp_path / "bn.gpkg"
    assert main(["init", "bac_ninh", "-o", str(path), "--epsg", "9214"]) == 0
    assert import_layer(source, path, "parks").written
    stored = pyogrio.read_dataframe(path, layer="parks")
    assert stored.crs.to_epsg() == 9214
    expected = to_crs(parks, "EPSG:9214").geometry.iloc[0].centroid
    assert stored.geometry.iloc[0].centroid.distance(expected) < 0.01
    assert validate_file(path).ok
