"""Import a surveyed layer from every format and CRS family into a real province file.

Sources are generated into ``tmp_path`` from ``tiny_plan()`` reprojected (through the pinned
transformation) to the source CRS, so the expected result is the hand-known tiny plan: four
50 m x 100 m plots of 5,000 m² at ORIGIN + (50 i, 0) in EPSG:9209.
"""

from __future__ import annotations

import dataclasses
import shutil
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from gis_app.errors import CRSError, ImportDataError, LayerError, ValidationError
from gis_app.imports.importer import ImportResult, import_layer
from gis_app.model.crs import to_crs
from gis_app.settings import PROVINCES
from gis_app.storage import list_layers, read_layer, read_plan
from gis_app.testing import ORIGIN

#: One CRS of each family a survey arrives in.
SOURCE_CRS = {
    "EPSG:9209": "VN-2000 / TM-3 105-30 (the province's own zone)",
    "EPSG:5897": "VN-2000 / TM-3 zone 482 (105-00)",
    "EPSG:9210": "VN-2000 / TM-3 105-45",
    "EPSG:3405": "VN-2000 / UTM zone 48N",
    "EPSG:3406": "VN-2000 / UTM zone 49N",
    "EPSG:32648": "WGS 84 / UTM zone 48N",
    "EPSG:32649": "WGS 84 / UTM zone 49N",
    "EPSG:4326": "WGS 84 geographic",
}

#: Shapefile field names are cut to 10 characters; a survey names them its own way.
SHP_FIELDS = {
    "plot_code": "MA_LO",
    "park_code": "MA_KCN",
    "land_use": "SD_DAT",
    "status": "TRANG_THAI",
    "ready_built_factory": "NX_XAY_SAN",
    "area_ha": "DT_HA",
}


def box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return shapely.box(ORIGIN[0] + x0, ORIGIN[1] + y0, ORIGIN[0] + x1, ORIGIN[1] + y1)


#: The tiny plan's plots as surveyed, in EPSG:9209.
PLOT_BOXES = {f"A{i + 1}": box(50 * i, 0, 50 * (i + 1), 100) for i in range(4)}


def write_source(frame: gpd.GeoDataFrame, path: Path, **kwargs: object) -> Path:
    """Write ``frame`` as the format its suffix names (GDAL's chatter silenced)."""
    driver = {".gpkg": "GPKG", ".shp": "ESRI Shapefile", ".geojson": "GeoJSON", ".dxf": "DXF"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "'crs' was not provided" for DXF
        pyogrio.write_dataframe(frame, path, driver=driver[path.suffix], **kwargs)
    return path


def surveyed_plots(plan, crs: str, fmt: str, folder: Path) -> tuple[Path, dict[str, str]]:
    """The tiny plan's plots written in ``crs`` as ``fmt``, and the field map they need."""
    plots = to_crs(plan.plots, crs)
    plots["ready_built_factory"] = plots["ready_built_factory"].astype(bool)
    if fmt == "shp":
        return write_source(plots.rename(columns=SHP_FIELDS), folder / "survey.shp"), {
            v: k for k, v in SHP_FIELDS.items()
        }
    if fmt == "gpkg":
        # Upper-case names: matched to the schema without a map, ignoring case.
        plots = plots.rename(columns={c: c.upper() for c in plots.columns if c != "geometry"})
        return write_source(plots, folder / "survey.gpkg", layer="do_dac"), {}
    return write_source(plots, folder / "survey.geojson"), {}


def assert_plots_are_the_tiny_plots(path: Path, tolerance_m: float) -> None:
    plots = read_plan(path).plots.set_index("plot_code")
    assert sorted(plots.index) == sorted(PLOT_BOXES)
    for code, expected in PLOT_BOXES.items():
        got = plots.geometry[code]
        # Every vertex within the tolerance of the surveyed outline, and vice versa.
        assert shapely.hausdorff_distance(got, expected) <= tolerance_m, (code, got.wkt)
    # 0.1 % of 5,000 m² is 5 m².
    np.testing.assert_allclose(plots.area.to_numpy(), 5_000.0, rtol=1e-3)


@pytest.mark.parametrize("crs", list(SOURCE_CRS))
@pytest.mark.parametrize("fmt", ["gpkg", "shp", "geojson"])
def test_import_replaces_plots_from_each_format_and_crs(province_file, plan, tmp_path, fmt, crs):
    source, field_map = surveyed_plots(plan, crs, fmt, tmp_path)

    result = import_layer(source, province_file, "plots", field_map=field_map, mode="replace")

    assert (result.written, result.read, result.imported, result.before, result.after) == (
        True,
        4,
        4,
        4,
        4,
    )
    assert result.report.ok
    # A WGS 84 round trip costs about a millimetre (PROJ's first-order Helmert inverse).
    assert_plots_are_the_tiny_plots(province_file, tolerance_m=0.005)
    stored = read_plan(province_file).plots.set_index("plot_code")
    assert stored.loc["A3", "status"] == "vacant"
    assert bool(stored.loc["A3", "ready_built_factory"]) is True
    assert stored.loc["A4", "land_use"] == "warehouse_logistics"
    assert list_layers(province_file)["plots"] == "Polygon"


def test_areas_survive_a_wgs84_round_trip_to_a_tenth_of_a_percent(province_file, plan, tmp_path):
    source, _ = surveyed_plots(plan, "EPSG:4326", "geojson", tmp_path)
    import_layer(source, province_file, "plots", mode="replace")
    measured = read_plan(province_file).plots.area.to_numpy()
    assert np.all(np.abs(measured - 5_000.0) <= 5.0)  # 0.1 % of each 0.5 ha plot


def zones_drawing(crs: str, folder: Path) -> Path:
    """A CAD drawing of the zoning: one closed polyline per zone on a land-use CAD layer,
    plus a label point and an open road centreline that are not zones."""
    local = gpd.GeoDataFrame(
        {"Layer": ["industrial", "warehouse_logistics", "labels", "roads"]},
        geometry=[
            box(0, 0, 150, 100).exterior,
            box(150, 0, 200, 100),
            box(0, 0, 150, 100).centroid,
            shapely.LineString([(ORIGIN[0], ORIGIN[1] - 5), (ORIGIN[0] + 200, ORIGIN[1] - 5)]),
        ],
        crs="EPSG:9209",
    )
    drawing = to_crs(local, crs).set_crs(None, allow_override=True)  # a DXF has no CRS
    return write_source(drawing, folder / "zoning.dxf")


@pytest.mark.parametrize("crs", list(SOURCE_CRS))
def test_import_zones_from_dxf_in_each_crs(province_file, tmp_path, crs):
    source = zones_drawing(crs, tmp_path)

    result = import_layer(
        source,
        province_file,
        "zones",
        mode="replace",
        source_crs=crs,
        field_map={"EntityHandle": "zone_id", "Layer": "land_use"},
        defaults={"park_code": "P1"},
    )

    assert (result.read, result.skipped, result.imported) == (4, 2, 2)
    zones = read_plan(province_file).zones.set_index("land_use")
    assert sorted(zones.index) == ["industrial", "warehouse_logistics"]
    # The closed polyline became a polygon; both keep their areas (1.5 ha, 0.5 ha) to 0.1 %.
    assert zones.area["industrial"] == pytest.approx(15_000.0, rel=1e-3)
    assert zones.area["warehouse_logistics"] == pytest.approx(5_000.0, rel=1e-3)
    assert shapely.hausdorff_distance(zones.geometry["industrial"], box(0, 0, 150, 100)) < 0.005


def test_dxf_source_layer_selects_a_cad_layer(province_file, tmp_path):
    source = zones_drawing("EPSG:9209", tmp_path)
    result = import_layer(
        source,
        province_file,
        "zones",
        source_layer="warehouse_logistics",
        source_crs="EPSG:9209",
        mode="append",
        field_map={"Layer": "land_use"},
        defaults={"park_code": "P1", "zone_id": "Z9"},
        dry_run=True,
    )
    assert (result.source_layer, result.read, result.imported, result.after) == (
        "warehouse_logistics",
        1,
        1,
        3,
    )
    # Z9 lies exactly on Z2; zones may overlap (only plots may not), so the plan stays valid.
    assert result.report.ok
    with pytest.raises(ImportDataError, match="no entities on CAD layer 'parking'.*industrial"):
        import_layer(
            source,
            province_file,
            "zones",
            source_layer="parking",
            source_crs="EPSG:9209",
            dry_run=True,
        )


def test_append_a_park_then_its_plots(province_file, plan, tmp_path):
    # Park P2 (100 m x 100 m, 1 ha) east of P1, surveyed in WGS 84 ...
    park = plan.parks.assign(
        park_code="P2",
        name_vi="KCN Thử nghiệm 2",
        name_en="Test Park 2",
        planned_area_ha=1.0,
        established_area_ha=1.0,
    )
    park = park.set_geometry([box(300, 0, 400, 100)], crs=park.crs)
    park_file = write_source(to_crs(park, "EPSG:4326"), tmp_path / "p2.geojson")
    # ... and its two vacant plots, one a single-part MultiPolygon, in VN-2000 UTM 48N.
    plots = gpd.GeoDataFrame(
        {
            "plot_code": ["B1", "B2"],
            "park_code": ["P2", "P2"],
            "land_use": ["industrial"] * 2,
            "status": ["vacant"] * 2,
            "ready_built_factory": [False, True],
        },
        geometry=[shapely.MultiPolygon([box(300, 0, 350, 100)]), box(350, 0, 400, 100)],
        crs="EPSG:9209",
    )
    plot_file = write_source(to_crs(plots, "EPSG:3405"), tmp_path / "p2_plots.gpkg")

    first = import_layer(park_file, province_file, "parks")
    second = import_layer(plot_file, province_file, "plots")

    assert (first.before, first.after, second.before, second.after) == (1, 2, 4, 6)
    new = read_plan(province_file)
    assert sorted(new.parks["park_code"]) == ["P1", "P2"]
    p = new.plots.set_index("plot_code")
    # No area field: measured from the outline, 50 m x 100 m = 0.5 ha.
    assert p.loc["B1", "area_ha"] == pytest.approx(0.5, abs=1e-4)
    assert ("area_ha", "area_ha") not in second.fields and (
        "(measured)",
        "area_ha",
    ) in second.fields
    # The single-part MultiPolygon was stored as a Polygon, like the rest of the layer.
    assert list_layers(province_file)["plots"] == "Polygon"
    assert p.geometry["B1"].geom_type == "Polygon"
    # The plots that were there are untouched.
    assert shapely.equals_exact(p.geometry["A1"], PLOT_BOXES["A1"], tolerance=1e-9)
    assert p.loc["A1", "status"] == "leased"


def test_a_multi_part_plot_makes_the_layer_multipolygon(province_file, plan, tmp_path):
    park = plan.parks.set_geometry([box(0, 0, 200, 200)], crs=plan.parks.crs)
    import_layer(
        write_source(park, tmp_path / "bigger_park.gpkg"), province_file, "parks", mode="replace"
    )
    two_parts = shapely.MultiPolygon([box(0, 120, 50, 150), box(100, 120, 150, 150)])
    plot = gpd.GeoDataFrame(
        {
            "plot_code": ["C1"],
            "park_code": ["P1"],
            "land_use": ["industrial"],
            "status": ["reserved"],
            "ready_built_factory": [False],
        },
        geometry=[two_parts],
        crs="EPSG:9209",
    )
    result = import_layer(write_source(plot, tmp_path / "c1.geojson"), province_file, "plots")

    assert result.written
    assert list_layers(province_file)["plots"] == "MultiPolygon"
    plots = read_plan(province_file).plots.set_index("plot_code")
    assert set(plots.geom_type) == {"MultiPolygon"}
    assert plots.loc["C1", "area_ha"] == pytest.approx(0.3)  # 2 x 50 m x 30 m
    assert plots.area["A2"] == pytest.approx(5_000.0)


# --- bad input: a clear error and the target byte-identical -----------------------------------


@pytest.fixture
def unchanged(province_file, sha256, temp_files):
    """Asserts, after the test body, that the province file was not touched."""
    before = sha256(province_file)
    yield province_file
    assert sha256(province_file) == before
    assert temp_files(province_file.parent) == []


def test_source_without_crs_needs_one(unchanged, plan, tmp_path):
    source, field_map = surveyed_plots(plan, "EPSG:3405", "shp", tmp_path)
    source.with_suffix(".prj").unlink()
    with pytest.raises(CRSError, match=r"survey\.shp.*has no CRS.*source-crs"):
        import_layer(source, unchanged, "plots", field_map=field_map, mode="replace")
    # Told the CRS, the same file imports.
    result = import_layer(
        source,
        unchanged,
        "plots",
        field_map=field_map,
        mode="replace",
        source_crs="EPSG:3405",
        dry_run=True,
    )
    assert result.report.ok and not result.written


def test_dxf_without_source_crs_is_refused(unchanged, tmp_path):
    with pytest.raises(CRSError, match=r"zoning\.dxf.*has no CRS"):
        import_layer(
            zones_drawing("EPSG:9209", tmp_path),
            unchanged,
            "zones",
            field_map={"Layer": "land_use", "EntityHandle": "zone_id"},
            defaults={"park_code": "P1"},
        )


def test_source_crs_contradicting_the_file_is_refused(unchanged, plan, tmp_path):
    source, _ = surveyed_plots(plan, "EPSG:32648", "geojson", tmp_path)
    with pytest.raises(CRSError, match="declares 'WGS 84 / UTM zone 48N'.*VN-2000 / UTM zone 48N"):
        import_layer(source, unchanged, "plots", mode="replace", source_crs="EPSG:3405")


def test_source_in_a_foreign_datum_is_refused(unchanged, plan, tmp_path):
    plots = plan.plots.set_crs("EPSG:3148", allow_override=True)  # Indian 1960 / UTM 48N
    source = write_source(plots, tmp_path / "indian1960.gpkg")
    with pytest.raises(CRSError, match=r"indian1960\.gpkg.*no pinned datum transformation"):
        import_layer(source, unchanged, "plots", mode="replace")


def test_invalid_geometry_is_reported_against_the_source(unchanged, plan, tmp_path):
    bowtie = shapely.Polygon(
        [(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in [(100, 0), (150, 100), (150, 0), (100, 100)]]
    )
    plots = plan.plots.copy()
    plots.loc[2, "geometry"] = bowtie  # A3
    source = write_source(plots, tmp_path / "bad.gpkg", layer="plots")

    with pytest.raises(ValidationError, match="A3: invalid_geometry: Self-intersection") as caught:
        import_layer(source, unchanged, "plots", mode="replace")
    problems = caught.value.report.problems
    assert problems[["file", "layer", "feature_id", "rule"]].values.tolist() == [
        [str(source), "plots", "A3", "invalid_geometry"]
    ]


def test_unknown_park_code_is_refused(unchanged, plan, tmp_path):
    plots = plan.plots.assign(park_code=["P1", "P1", "P7", "P1"])
    source = write_source(plots, tmp_path / "plots.geojson")
    with pytest.raises(ValidationError, match="A3: unknown_park: park_code='P7': no such park"):
        import_layer(source, unchanged, "plots", mode="replace")


def test_missing_mapped_field_is_named(unchanged, plan, tmp_path):
    source, field_map = surveyed_plots(plan, "EPSG:9209", "shp", tmp_path)
    field_map = {**field_map, "SO_THUA": "plot_code"}
    del field_map["MA_LO"]
    with pytest.raises(
        ImportDataError,
        match=r"survey\.shp.*mapped field 'SO_THUA' is not in"
        r" the source \(fields: MA_LO, MA_KCN",
    ):
        import_layer(source, unchanged, "plots", field_map=field_map, mode="replace")


def test_unmapped_required_column_is_named(unchanged, plan, tmp_path):
    source = write_source(plan.plots.drop(columns="status"), tmp_path / "nostatus.geojson")
    with pytest.raises(ImportDataError, match="no source field for required column.* status"):
        import_layer(source, unchanged, "plots", mode="replace")


def test_mapping_to_an_unknown_column_is_refused(unchanged, plan, tmp_path):
    source, _ = surveyed_plots(plan, "EPSG:9209", "geojson", tmp_path)
    with pytest.raises(ImportDataError, match="'plot_no' is not a column of layer 'plots'"):
        import_layer(source, unchanged, "plots", field_map={"plot_code": "plot_no"})


def test_unreadable_source_is_an_import_error(unchanged, tmp_path):
    junk = tmp_path / "survey.gpkg"
    junk.write_bytes(b"this is not a GeoPackage")
    with pytest.raises(ImportDataError, match=r"survey\.gpkg"):
        import_layer(junk, unchanged, "plots")


def test_appending_plots_already_there_is_refused(unchanged, plan, tmp_path):
    source, _ = surveyed_plots(plan, "EPSG:4326", "geojson", tmp_path)
    with pytest.raises(ValidationError) as caught:
        import_layer(source, unchanged, "plots", mode="append")
    problems = caught.value.report.problems
    # Each code twice (the stored plot and the imported one, each named in its own file),
    # and, the cross-layer rules not hidden by the duplicates, each pair overlapping.
    assert dict(problems.groupby(["rule", "file"]).size().items()) == {
        ("duplicate_id", str(source)): 4, ("duplicate_id", str(unchanged)): 4,
        ("overlapping_plots", str(unchanged)): 4}


def test_problems_of_unnamed_features_use_the_source_row(unchanged, plan, tmp_path):
    plots = plan.plots.iloc[:2].assign(plot_code=["B1", None], park_code="P1", status="vacant")
    source = write_source(plots, tmp_path / "two.geojson")
    report = import_layer(source, unchanged, "plots", dry_run=True).report
    missing = report.problems[report.problems["rule"] == "missing_value"]
    # The second source feature (fid 1), not the sixth of the combined layer.
    assert missing[["file", "feature_id"]].values.tolist() == [[str(source), "fid 1"]]


# --- dry run ----------------------------------------------------------------------------------


def test_dry_run_reports_without_writing(unchanged, plan, tmp_path):
    source, _ = surveyed_plots(plan, "EPSG:32648", "geojson", tmp_path)
    result = import_layer(source, unchanged, "plots", mode="replace", dry_run=True)
    assert isinstance(result, ImportResult)
    assert result.report.ok and not result.written
    assert (result.imported, result.after) == (4, 4)


def test_dry_run_returns_every_problem_instead_of_raising(unchanged, plan, tmp_path):
    plots = plan.plots.assign(
        status=["leased", "sold", "vacant", "leased"], plot_code=["A1", "A2", None, "A4"]
    )
    source = write_source(plots, tmp_path / "bad.geojson")
    result = import_layer(source, unchanged, "plots", mode="replace", dry_run=True)
    assert not result.written
    found = set(result.report.problems[["rule", "feature_id"]].itertuples(index=False, name=None))
    assert found == {("bad_code", "A2"), ("missing_value", "fid 2")}


def test_result_is_frozen(province_file, plan, tmp_path):
    source, _ = surveyed_plots(plan, "EPSG:9209", "geojson", tmp_path)
    result = import_layer(source, province_file, "plots", mode="replace", dry_run=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.written = True  # type: ignore[misc]


# --- the rest of the province file ------------------------------------------------------------


def test_import_keeps_other_layers_styles_and_the_layer_description(tmp_path):
    # A copy of the shipped Bắc Ninh file: its plots re-surveyed in WGS 84 replace the layer.
    target = tmp_path / "bac_ninh.gpkg"
    shutil.copyfile(PROVINCES["bac_ninh"].default_path, target)
    plan = read_plan(target)
    before_layers = list_layers(target)
    description = pyogrio.read_info(target, layer="plots")["layer_metadata"]["DESCRIPTION"]
    styles = read_layer(target, "layer_styles")
    source = write_source(to_crs(plan.plots, "EPSG:4326"), tmp_path / "plots.geojson")

    result = import_layer(source, target, "plots", mode="replace")

    assert result.written and result.imported == len(plan.plots)
    assert list_layers(target) == before_layers
    assert pyogrio.read_info(target, layer="plots")["layer_metadata"]["DESCRIPTION"] == description
    pd.testing.assert_frame_equal(read_layer(target, "layer_styles"), styles)
    after = read_plan(target)
    np.testing.assert_allclose(after.plots.area, plan.plots.area, rtol=1e-3)
    assert_geodataframe_equal(after.parks, plan.parks, check_crs=True)


def test_missing_target_is_named(plan, tmp_path):
    source, _ = surveyed_plots(plan, "EPSG:9209", "geojson", tmp_path)
    with pytest.raises(LayerError, match=r"nowhere\.gpkg: no such file"):
        import_layer(source, tmp_path / "nowhere.gpkg", "plots")
    assert not (tmp_path / "nowhere.gpkg").exists()


def test_source_with_several_layers_needs_a_choice(unchanged, plan, tmp_path):
    source = write_source(plan.zones, tmp_path / "survey.gpkg", layer="zoning_2024")
    write_source(plan.parks, source, layer="outline_2024")
    with pytest.raises(ImportDataError, match="several layers.*--source-layer"):
        import_layer(source, unchanged, "zones", dry_run=True)
    result = import_layer(
        source, unchanged, "zones", source_layer="zoning_2024", mode="replace", dry_run=True
    )
    assert result.report.ok and result.imported == 2
    with pytest.raises(ImportDataError, match="no layer 'zoning_2025'"):
        import_layer(source, unchanged, "zones", source_layer="zoning_2025", dry_run=True)


def test_import_a_table_and_leave_optional_columns_empty(province_file, plan, tmp_path):
    # Two new projects from an attribute table that lacks the optional money columns.
    tenants = plan.tenants.drop(columns=["revenue_usd", "exports_usd"]).assign(
        project_id=["T3", "T4"]
    )
    source = tmp_path / "projects.gpkg"
    pyogrio.write_dataframe(tenants, source, layer="du_an")

    result = import_layer(source, province_file, "tenants")

    assert (result.before, result.after, result.written) == (2, 4, True)
    stored = read_plan(province_file).tenants.set_index("project_id")
    assert stored["revenue_usd"].isna().tolist() == [False, True, True, True]
    assert stored.loc["T3", "employees"] == 400
    assert stored.loc["T4", "lease_start"] == pd.Timestamp("2020-06-01")


def labelled_plots_drawing(
    folder: Path, labels: dict[str, tuple[float, float]], *, labels_first: bool = False
) -> Path:
    """The four plots as hatched outlines, with the plot codes written as text inside them."""
    codes = list(labels)
    points = [shapely.Point(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in labels.values()]
    drawing = gpd.GeoDataFrame(
        {
            "Layer": ["LO_DAT"] * 4 + ["MA_LO"] * len(codes),
            # GDAL writes a point with a LABEL style as an MTEXT entity.
            "OGR_STYLE": [None] * 4 + [f'LABEL(f:"Arial",t:"{c}",s:2g)' for c in codes],
        },
        geometry=list(PLOT_BOXES.values()) + points,
    )
    if labels_first:
        drawing = drawing.iloc[::-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no CRS; OGR_STYLE is not a DXF field
        pyogrio.write_dataframe(drawing, folder / "plots.dxf", driver="DXF")
    return folder / "plots.dxf"


DXF_PLOT_DEFAULTS = {
    "park_code": "P1",
    "land_use": "industrial",
    "status": "reserved",
    "ready_built_factory": "false",
}


def test_dxf_outlines_take_the_plot_code_written_inside_them(province_file, tmp_path):
    # Labels near each plot's centre, listed out of order.
    labels = {"A3": (125, 50), "A1": (25, 40), "A4": (170, 90), "A2": (60, 10)}
    source = labelled_plots_drawing(tmp_path, labels)

    result = import_layer(
        source,
        province_file,
        "plots",
        mode="replace",
        source_crs="EPSG:9209",
        field_map={"Text": "plot_code"},
        defaults=DXF_PLOT_DEFAULTS,
    )

    assert (result.read, result.skipped, result.imported) == (8, 4, 4)
    assert_plots_are_the_tiny_plots(province_file, tolerance_m=1e-6)
    plots = read_plan(province_file).plots.set_index("plot_code")
    assert plots.loc["A2", "area_ha"] == pytest.approx(0.5)


def test_dxf_outline_without_a_label_is_reported(unchanged, tmp_path):
    # A4's label is missing and A1 has two; the labels come first in the drawing.
    labels = {"A1": (25, 40), "A9": (30, 60), "A2": (60, 10), "A3": (125, 50)}
    source = labelled_plots_drawing(tmp_path, labels, labels_first=True)

    report = import_layer(
        source,
        unchanged,
        "plots",
        mode="replace",
        source_crs="EPSG:9209",
        field_map={"Text": "plot_code"},
        defaults=DXF_PLOT_DEFAULTS,
        dry_run=True,
    ).report
    missing = report.problems[report.problems["rule"] == "missing_value"]
    # Entities 0-3 are the labels, 4-7 the outlines A4..A1: A4 (no label) is row 4, A1
    # (two labels) row 7.
    assert sorted(missing["feature_id"]) == ["fid 4", "fid 7"]
    assert (missing["file"] == str(source)).all()


@pytest.mark.parametrize("fmt", ["gpkg", "geojson"])
def test_problems_name_the_source_fid_and_where_it_lies_in_the_source_crs(
        unchanged, plan, tmp_path, fmt):
    # Surveyed in WGS 84: A2 names an unknown park and A3 is a bow-tie.
    plots = plan.plots.assign(park_code=["P1", "P7", "P1", "P1"])
    plots.loc[2, "geometry"] = shapely.Polygon(
        [(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in [(100, 0), (150, 100), (150, 0), (100, 100)]])
    surveyed = to_crs(plots, "EPSG:4326")
    source = write_source(surveyed, tmp_path / f"survey.{fmt}")

    problems = import_layer(source, unchanged, "plots", mode="replace",
                            dry_run=True).report.problems.set_index("feature_id")
    # A GeoPackage numbers its features from 1, a GeoJSON file from 0.
    first = 1 if fmt == "gpkg" else 0
    for code, row in (("A2", 1), ("A3", 2)):
        message = problems.loc[code, "message"]
        lon, lat = (float(v) for v in
                    message.split(" at ")[1].split(" in ")[0].split(", "))
        centre = surveyed.geometry[row].envelope.centroid
        assert f"(fid {first + row}, at " in message and "in WGS 84" in message, message
        assert (lon, lat) == pytest.approx((centre.x, centre.y), abs=1e-6)
    assert problems.loc["A2", "rule"] == "unknown_park"
    assert problems.loc["A3", "rule"] == "invalid_geometry"
    assert (problems["file"] == str(source)).all()


# --- impossible data and awkward file names ----------------------------------------------------


def nan_vertex_drawing(folder: Path, kind: str) -> Path:
    """The four plots drawn with ezdxf (closed polylines or hatches) on CAD layer LO_DAT, the
    third with a NaN vertex, as a broken CAD export writes it."""
    import ezdxf

    doc = ezdxf.new()
    space = doc.modelspace()
    for i, outline in enumerate(PLOT_BOXES.values()):
        corners = list(outline.exterior.coords)[:-1]
        if i == 2:
            corners[1] = (float("nan"), corners[1][1])
        if kind == "polyline":
            space.add_lwpolyline(corners, close=True, dxfattribs={"layer": "LO_DAT"})
        else:
            space.add_hatch(dxfattribs={"layer": "LO_DAT"}).paths.add_polyline_path(
                corners, is_closed=True)
    doc.saveas(folder / "broken.dxf")
    return folder / "broken.dxf"


@pytest.mark.parametrize("dry_run", [True, False])
@pytest.mark.parametrize("kind", ["polyline", "hatch"])
def test_a_dxf_vertex_that_is_not_a_number_is_named(unchanged, tmp_path, kind, dry_run):
    source = nan_vertex_drawing(tmp_path, kind)
    with pytest.raises(ImportDataError) as caught:
        import_layer(source, unchanged, "plots", mode="replace", source_crs="EPSG:9209",
                     field_map={"EntityHandle": "plot_code"}, defaults=DXF_PLOT_DEFAULTS,
                     dry_run=dry_run)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{source}, layer 'entities': 1 feature(s) have a vertex that "
                              "is not a finite number")
    # The third entity of the drawing, with its handle and CAD layer.
    assert "entity fid 2 (handle " in message and "CAD layer 'LO_DAT'" in message


@pytest.mark.parametrize("name", ["lô 7;8", "survey!v2", "what?"])
@pytest.mark.parametrize("fmt", ["shp", "gpkg"])
def test_a_file_name_with_uri_characters_is_imported(province_file, plan, tmp_path, name, fmt):
    source, field_map = surveyed_plots(plan, "EPSG:3405", fmt, tmp_path)
    renamed = []
    for sibling in tmp_path.glob(f"{source.stem}.*"):
        renamed.append(sibling.rename(tmp_path / f"{name}{sibling.suffix}"))
    source = tmp_path / f"{name}{source.suffix}"
    result = import_layer(source, province_file, "plots", field_map=field_map, mode="replace")
    assert result.written and result.source == str(source)
    assert_plots_are_the_tiny_plots(province_file, tolerance_m=0.005)
    # Its problems name it too.
    report = import_layer(source, province_file, "plots", field_map=field_map,
                          dry_run=True).report
    assert set(report.problems.loc[report.problems["rule"] == "duplicate_id", "file"]) == {
        str(source), str(province_file)}
