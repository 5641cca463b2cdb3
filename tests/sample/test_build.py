"""The shipped sample: calibrated to the published figures, deterministic, labelled, valid.

Figures are recomputed here straight from the geometries and tables (not through
gis_app.analytics), so these tests check the data itself.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from gis_app.sample.build import build_province
from gis_app.settings import LEASABLE_LAND_USES, PROVINCES
from gis_app.storage import read_layer, read_plan, validate_file

BAC_NINH = PROVINCES["bac_ninh"].default_path
NINH_BINH = PROVINCES["ninh_binh"].default_path


@pytest.fixture(scope="module")
def bac_ninh():
    return read_plan(BAC_NINH)


@pytest.fixture(scope="module")
def ninh_binh():
    return read_plan(NINH_BINH)


def test_shipped_files_are_valid():
    for path in (BAC_NINH, NINH_BINH):
        report = validate_file(path)
        assert report.ok, report.summary()


def test_old_bac_ninh_parks_match_the_2023_report(bac_ninh):
    parks = bac_ninh.parks[bac_ninh.parks["legacy_province"] == "Bắc Ninh"]
    assert len(parks) == 16
    assert parks["planned_area_ha"].sum() == pytest.approx(6397.68, abs=0.005)
    # the generated outlines have exactly the published areas
    assert (parks.geometry.area / 1e4).sum() == pytest.approx(6397.68, abs=0.005)
    established = parks[parks["status"].isin(["established", "operating"])]
    assert len(established) == 15
    assert established["planned_area_ha"].sum() == pytest.approx(5946.99, abs=0.005)
    assert (parks["status"] == "operating").sum() == 12


def test_old_bac_ninh_occupancy_is_the_published_60_04_percent(bac_ninh):
    codes = bac_ninh.parks.loc[bac_ninh.parks["legacy_province"] == "Bắc Ninh", "park_code"]
    plots = bac_ninh.plots[bac_ninh.plots["park_code"].isin(codes)]
    leasable = plots[plots["land_use"].isin(LEASABLE_LAND_USES)]
    leased_ha = leasable.loc[leasable["status"] == "leased"].geometry.area.sum() / 1e4
    leasable_ha = leasable.geometry.area.sum() / 1e4
    assert leased_ha == pytest.approx(2481.57, abs=0.005)
    assert round(100 * leased_ha / leasable_ha, 2) == 60.04


def test_eleven_of_twelve_operating_parks_have_a_working_plant(bac_ninh):
    parks = bac_ninh.parks
    operating = parks[(parks["legacy_province"] == "Bắc Ninh") & (parks["status"] == "operating")]
    plants = bac_ninh.wastewater_plants
    working = plants.loc[plants["status"] == "operating", "park_code"]
    assert operating["park_code"].isin(working).sum() == 11
    assert len(operating) == 12


def test_ninh_binh_project_mix_matches_2023(ninh_binh):
    tenants = ninh_binh.tenants
    valid = tenants[tenants["project_status"] != "revoked"]
    assert len(valid) == 122
    assert valid["project_status"].value_counts().to_dict() == {
        "operating": 102, "behind_schedule": 13, "under_construction": 7}
    assert (valid["project_type"] == "infrastructure").sum() == 2
    fdi = valid[valid["country"] != "VN"]
    assert len(fdi) == 33
    assert fdi["registered_capital_usd"].sum() == pytest.approx(635.66e6, rel=1e-4)
    assert valid["employees"].sum() == 36_659


def test_ninh_binh_has_the_seven_planned_and_four_proposed_parks(ninh_binh):
    status = ninh_binh.parks["status"]
    assert len(status) == 11
    assert (status == "proposed").sum() == 4
    assert ninh_binh.parks["name_vi"].str.contains("Gián Khẩu II").sum() == 1


def test_every_leased_plot_has_a_project_and_projects_span_plots(bac_ninh):
    leased = bac_ninh.plots.loc[bac_ninh.plots["status"] == "leased", "plot_code"]
    assert leased.isin(bac_ninh.tenant_plots["plot_code"]).all()
    assert bac_ninh.tenant_plots["project_id"].duplicated().any()


@pytest.mark.parametrize("key", ["ninh_binh"])
def test_generator_is_deterministic_and_the_shipped_file_is_its_output(key):
    first = build_province(key)
    second = build_province(key)
    shipped = read_plan(PROVINCES[key].default_path)
    for name in ("parks", "plots", "zones", "wastewater_plants"):
        assert_geodataframe_equal(first[name], second[name], check_crs=True)
        assert_geodataframe_equal(first[name], shipped.layers()[name], check_crs=True,
                                  check_less_precise=True)
    pd.testing.assert_frame_equal(first["tenants"], shipped.tenants, check_dtype=False)


def test_files_say_they_are_illustrative_and_carry_attributions():
    for path in (BAC_NINH, NINH_BINH):
        info = read_layer(path, "dataset_info").set_index("key")["value"]
        assert info["illustrative"] == "true"
        assert "minh họa" in info["notice_vi"].lower()
        sources = read_layer(path, "layer_sources").set_index("layer")
        assert "OpenStreetMap" in sources.loc["park_labels", "attribution"]
        assert "CC BY-SA" in sources.loc["roads_rail", "licence"]
        assert sources.loc["plots", "illustrative"]


def test_qgis_styles_are_stored_for_every_spatial_layer():
    styles = read_layer(BAC_NINH, "layer_styles")
    spatial = ["parks", "zones", "plots", "wastewater_plants", "province_boundary", "communes",
               "roads_rail", "rivers", "park_labels"]
    assert sorted(styles["f_table_name"]) == sorted(spatial)
    plots = styles.set_index("f_table_name").loc["plots", "styleQML"]
    root = ET.fromstring(plots.split(">", 1)[1])  # drop the DOCTYPE line
    values = {c.get("value") for c in root.iter("category")}
    assert values == {"leased", "vacant", "reserved", "not_cleared"}


@pytest.mark.parametrize("path", [BAC_NINH, NINH_BINH], ids=lambda p: p.stem)
def test_gdal_geopackage_validator_accepts_the_shipped_files(path):
    result = subprocess.run(
        [sys.executable, "-m", "osgeo_utils.samples.validate_gpkg", str(path)],
        capture_output=True, text=True, check=False,
    )
    assert "No module named" not in result.stderr, (
        "GDAL's validator is missing: pip install --no-deps gdal-utils")
    assert result.returncode == 0, result.stdout + result.stderr


def test_context_layers_are_in_the_province_crs():
    for key, path in (("bac_ninh", BAC_NINH), ("ninh_binh", NINH_BINH)):
        for name in ("province_boundary", "communes", "roads_rail", "park_labels"):
            layer = read_layer(path, name)
            assert isinstance(layer, gpd.GeoDataFrame)
            assert layer.crs.to_epsg() == PROVINCES[key].epsg
