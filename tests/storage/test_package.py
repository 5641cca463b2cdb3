"""The national information system package (Decree 35/2022/NĐ-CP, Art. 46).

What is checked: a package exported from the shipped Ninh Bình file and read back gives the
same province summary and per-park indicators (the VN-2000 copy is read back, so areas are
measured on the same coordinates); the WGS 84 copy equals the official EPSG:6960
transformation of the VN-2000 geometry (1e-9°) and transforms back within 1 mm; the data
dictionary lists every column of every layer in both languages; the manifest's counts and
checksums hold; a changed, missing, added or unsafe file, a missing layer and a manifest that
is not one are refused with one line naming the file and the problem; CSV cells of a hostile
province carry no live formula.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj.transformer import TransformerGroup

from gis_app.analytics import park_indicators, province_indicators
from gis_app.cli.commands import main
from gis_app.model.crs import to_crs
from gis_app.model.schema import PLAN_LAYERS
from gis_app.province_init import init_province
from gis_app.settings import PROVINCES
from gis_app.spreadsheet import FORMULA_STARTS, neutralise
from gis_app.storage.package import (
    COPIES,
    MANIFEST,
    PackageError,
    data_dictionary,
    export_package,
    import_package,
    read_package,
)
from gis_app.storage.source import read_plan
from gis_app.testing.hostile import FORMULA, write_hostile_province

SOURCE = PROVINCES["ninh_binh"].default_path


@pytest.fixture(scope="module")
def original():
    if not SOURCE.exists():
        pytest.skip(f"{SOURCE} is not built (kcn-gis sample)")
    return read_plan(SOURCE)


@pytest.fixture(scope="module")
def folder(original, tmp_path_factory) -> Path:
    return export_package(SOURCE, tmp_path_factory.mktemp("pkg") / "ninh_binh")


def _copy(folder: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(folder, tmp_path / "copy"))


def _reseal(package: Path, name: str) -> None:
    """Update the manifest's checksum of ``name``, as a faulty producer would have written."""
    manifest = json.loads((package / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][name]["sha256"] = hashlib.sha256((package / name).read_bytes()).hexdigest()
    (package / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def test_round_trip_gives_the_same_summary(original, folder, tmp_path):
    for where in (folder, export_package(SOURCE, tmp_path / "nb.zip")):
        package = read_package(where)
        pd.testing.assert_frame_equal(province_indicators(package.plan),
                                      province_indicators(original))
        pd.testing.assert_frame_equal(park_indicators(package.plan), park_indicators(original))
        assert package.province_name_vi == "Ninh Bình"
        assert package.manifest["counts"] == {n: len(f) for n, f in original.layers().items()}


def test_the_wgs84_copy_is_the_official_transformation(original, folder):
    wgs = pyogrio.read_dataframe(folder / COPIES["wgs84"][0], layer="plots")
    assert wgs.crs.to_epsg() == 4326
    expected = to_crs(original.plots, "EPSG:4326")
    assert shapely.equals_exact(wgs.geometry.values, expected.geometry.values,
                                tolerance=1e-9).all()
    back = to_crs(wgs, str(original.crs.to_string()))
    gap = shapely.hausdorff_distance(back.geometry.values, original.plots.geometry.values)
    assert gap.max() < 0.001  # metres
    # Not the other published operation ("VN-2000 to WGS 84 (1)"): it differs by ~0.7 m.
    other = next(t for t in TransformerGroup(original.crs, "EPSG:4326", always_xy=True)
                 .transformers if "WGS 84 (1)" in t.description)
    x, y = shapely.get_coordinates(original.plots.geometry.values[:1])[0]
    lon, lat = other.transform(x, y)
    mine = shapely.get_coordinates(wgs.geometry.values[:1])[0]
    assert abs(mine[0] - lon) > 1e-6


def test_csv_copies_hold_every_feature_with_wkt(original, folder):
    for copy, (_, csv_dir) in COPIES.items():
        for name, frame in original.layers().items():
            table = pd.read_csv(folder / csv_dir / f"{name}.csv", encoding="utf-8-sig")
            assert len(table) == len(frame), (copy, name)
            assert list(table.columns[:len(frame.columns) - 1]) == [
                c for c in frame.columns if c != getattr(frame, "_geometry_column_name", None)
            ][:len(frame.columns) - 1]
    parks = pd.read_csv(folder / "csv_vn2000" / "parks.csv", encoding="utf-8-sig")
    geometry = shapely.from_wkt(parks["geometry_wkt"])
    assert shapely.hausdorff_distance(geometry, original.parks.geometry.values).max() < 0.001


def test_the_data_dictionary_covers_every_column_in_both_languages(folder):
    dictionary = data_dictionary()
    for schema in PLAN_LAYERS:
        listed = dictionary.loc[dictionary["layer"] == schema.name, "column"].tolist()
        assert listed[:len(schema.columns)] == schema.column_names
    for column in ("label_vi", "label_en", "meaning_vi", "meaning_en", "type"):
        assert dictionary[column].str.len().gt(0).all(), column
    assert not (dictionary["label_vi"] == dictionary["column"]).any()  # every name translated
    plots = dictionary.set_index(["layer", "column"])
    assert plots.loc[("plots", "area_ha"), "unit_en"] == "ha"
    assert plots.loc[("wastewater_plants", "design_capacity_m3_day"), "unit_en"] == "m³/day"
    assert plots.loc[("wastewater_plants", "design_capacity_m3_day"), "unit_vi"] == "m³/ngày"
    assert plots.loc[("tenants", "employees"), "unit_vi"] == "người"
    assert "leased = Đã cho thuê" in plots.loc[("plots", "status"), "meaning_vi"]
    written = pd.read_csv(folder / "DATA_DICTIONARY.csv", encoding="utf-8-sig")
    assert len(written) == len(dictionary)
    markdown = (folder / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "Từ điển dữ liệu" in markdown and "Data dictionary" in markdown
    assert markdown.count("| plot_code |") == 4  # plots and tenant_plots, in both languages


def test_the_manifest_states_province_schema_time_counts_and_checksums(folder):
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["province"] == "ninh_binh" and manifest["schema_version"] == 1
    assert datetime.fromisoformat(manifest["created"]).tzinfo is not None
    assert manifest["crs"]["vn2000"] == "EPSG:5897"
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert set(manifest["files"]) == files - {MANIFEST}
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == hashlib.sha256((folder / name).read_bytes()).hexdigest()
    attribution = (folder / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "Illustrative data" in attribution and "35/2022/NĐ-CP" in attribution


def test_a_changed_file_is_a_checksum_mismatch(folder, tmp_path, capsys):
    package = _copy(folder, tmp_path)
    target = package / "csv_vn2000" / "plots.csv"
    target.write_bytes(target.read_bytes().replace(b"leased", b"vacant", 1))
    with pytest.raises(PackageError, match=r"csv_vn2000/plots\.csv: checksum mismatch"):
        read_package(package)
    assert main(["package", "import", str(package)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "plots.csv: checksum mismatch" in err


def test_a_missing_layer_is_named(folder, tmp_path):
    package = _copy(folder, tmp_path)
    name = COPIES["wgs84"][0]
    with sqlite3.connect(package / name) as con:
        con.execute("DROP TABLE plots")
        for table in ("gpkg_contents", "gpkg_geometry_columns"):
            con.execute(f"DELETE FROM {table} WHERE table_name = 'plots'")  # noqa: S608
    _reseal(package, name)
    with pytest.raises(PackageError, match=rf"{name}: layer 'plots' missing"):
        read_package(package)


def test_missing_added_and_unsafe_files_are_refused(folder, tmp_path):
    package = _copy(folder, tmp_path)
    (package / "csv_wgs84" / "tenants.csv").unlink()
    with pytest.raises(PackageError, match=r"csv_wgs84/tenants\.csv: missing"):
        read_package(package)
    package = Path(shutil.copytree(folder, tmp_path / "added"))
    (package / "extra.csv").write_text("=1+1\n", encoding="utf-8")
    with pytest.raises(PackageError, match=r"extra\.csv: not in the manifest"):
        read_package(package)
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../escape.txt", "x")
    with pytest.raises(PackageError, match="unsafe member name"):
        read_package(evil)
    (tmp_path / "junk.zip").write_text("not a zip", encoding="utf-8")
    with pytest.raises(PackageError, match="not a zip archive"):
        read_package(tmp_path / "junk.zip")


def test_a_manifest_that_is_not_one_is_refused(folder, tmp_path):
    package = _copy(folder, tmp_path)
    (package / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(PackageError, match=r"manifest\.json: not valid JSON"):
        read_package(package)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["../outside.txt"] = {"sha256": "0" * 64, "bytes": 0}
    (package / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(PackageError, match=r"manifest\.json: unsafe file name '\.\./outside"):
        read_package(package)
    (package / MANIFEST).write_text(json.dumps({"format": "other"}), encoding="utf-8")
    with pytest.raises(PackageError, match="not a KCN-GIS package manifest"):
        read_package(package)


def test_csv_cells_of_a_hostile_province_are_not_formulas(original, tmp_path):
    hostile = write_hostile_province(SOURCE, tmp_path / "hostile.gpkg")
    package = export_package(hostile, tmp_path / "hostile_pkg")
    cells = []
    for path in package.rglob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        cells += [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    assert "'" + FORMULA in " ".join(cells)
    live = [c for c in cells if c.startswith(FORMULA_STARTS) and neutralise(c) != c]
    assert live == []


def test_summary_reads_packages_and_import_keeps_a_province_file(folder, tmp_path, capsys):
    empty = init_province("gia_lai", tmp_path / "gia_lai.gpkg")
    empty_package = export_package(empty, tmp_path / "gia_lai.zip")
    assert main(["summary", str(folder), str(empty_package), "--format", "csv",
                 "--output", str(tmp_path / "n.csv"), "--lang", "en"]) == 0
    rows = list(csv.reader(io.StringIO(
        (tmp_path / "n.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == ["Ninh Bình", "Gia Lai", "National total"]
    out_dir = tmp_path / "imported"
    assert main(["package", "import", str(folder), str(empty_package), "--output-dir",
                 str(out_dir), "--lang", "en"]) == 0
    assert "verified" in capsys.readouterr().out
    pd.testing.assert_frame_equal(province_indicators(read_plan(out_dir / "ninh_binh.gpkg")),
                                  province_indicators(read_plan(SOURCE)))
    assert len(read_plan(out_dir / "gia_lai.gpkg").parks) == 0
    with pytest.raises(Exception, match="already exists"):
        import_package(folder, out_dir / "ninh_binh.gpkg")
