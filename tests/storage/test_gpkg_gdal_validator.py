"""The files we write pass GDAL's own GeoPackage validator (validate_gpkg.py), strictly.

It runs with ``--extra --warning-as-error``: the extra checks read every value of every
column, so a DATETIME that is not ``YYYY-MM-DDTHH:MM:SS.SSSZ`` fails the file.
It ships with GDAL's Python utilities; on Debian/Ubuntu: ``apt-get install python3-gdal``.
A missing validator is a failure, not a skip: without it this requirement is unchecked.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import shapely

from gis_app.cli import main
from gis_app.imports.importer import import_layer
from gis_app.model.crs import to_crs
from gis_app.settings import PROVINCES
from gis_app.storage import read_layer, read_plan
from gis_app.storage.gpkg import write_layers
from gis_app.testing import ORIGIN

PYTHON = Path("/usr/bin/python3")
VALIDATOR = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")


def validate_gpkg(path: Path) -> subprocess.CompletedProcess:
    assert PYTHON.exists() and VALIDATOR.exists(), (
        f"GDAL's GeoPackage validator is missing ({VALIDATOR}); install it with "
        "'apt-get install python3-gdal' (Debian's python3-gdal)"
    )
    return subprocess.run(
        [str(PYTHON), str(VALIDATOR), "--extra", "--warning-as-error", str(path)],
        capture_output=True, text=True, timeout=300,
    )


def test_province_file_passes_gdal_validator(province_file):
    result = validate_gpkg(province_file)
    assert result.returncode == 0, result.stdout + result.stderr


def test_file_rewritten_by_write_layers_passes(province_file, plan):
    # Rewriting layers of an existing file (replace, add a layer) keeps it conformant.
    write_layers(province_file, {"zones": plan.zones, "extra_points": plan.wastewater_plants})
    result = validate_gpkg(province_file)
    assert result.returncode == 0, result.stdout + result.stderr


def test_file_after_an_import_passes(province_file, plan, tmp_path):
    # A second wastewater plant, surveyed in WGS 84, appended to the layer.
    plant = plan.wastewater_plants.assign(plant_id="W2", status="planned")
    plant = plant.set_geometry([shapely.Point(ORIGIN[0] + 10, ORIGIN[1] + 5)], crs=plant.crs)
    source = tmp_path / "plant.geojson"
    pyogrio.write_dataframe(to_crs(plant, "EPSG:4326"), source, driver="GeoJSON")
    assert import_layer(source, province_file, "wastewater_plants").written

    result = validate_gpkg(province_file)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("key", list(PROVINCES))
def test_shipped_province_files_pass_debians_validator(key):
    # GDAL 3.6's validator (Debian bookworm) knows only the pre-1.4 R-tree triggers.
    result = validate_gpkg(PROVINCES[key].default_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dates_are_valid_datetimes_and_read_back_unchanged(province_file, plan):
    # Lease dates (a planning layer) and a table's timestamp, naive as KCN-GIS holds them.
    stamp = pd.Timestamp("2024-05-06 07:08:09.250")
    write_layers(province_file, {"notes": pd.DataFrame({"at": [stamp, pd.NaT]})})
    result = validate_gpkg(province_file)
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(province_file) as con:
        stored = [v for (v,) in con.execute("SELECT lease_start FROM tenants")]
        assert stored == [f"{d:%Y-%m-%d}T00:00:00.000Z" for d in plan.tenants["lease_start"]]
        assert con.execute("SELECT at FROM notes WHERE at IS NOT NULL").fetchone() == (
            "2024-05-06T07:08:09.250Z",)
    # Read back as they were written: naive, same instants.
    notes = read_layer(province_file, "notes")
    assert notes["at"].iloc[0] == stamp and pd.isna(notes["at"].iloc[1])
    tenants = read_plan(province_file).tenants
    pd.testing.assert_series_equal(tenants["lease_start"].reset_index(drop=True),
                                   plan.tenants["lease_start"].reset_index(drop=True),
                                   check_dtype=False)
    assert tenants["lease_start"].dt.tz is None


def test_exported_scenario_passes(tmp_path):
    exported = tmp_path / "ninh-binh-2024.gpkg"
    assert main(["scenario", "export", str(PROVINCES["ninh_binh"].default_path),
                 "ninh-binh-2024", "--gpkg", str(exported),
                 "--report", str(tmp_path / "report.csv")]) == 0
    result = validate_gpkg(exported)
    assert result.returncode == 0, result.stdout + result.stderr
