"""The detailed plan from CAD (gis_app.imports.cad): drawings generated here with ezdxf.

The tiny plan (gis_app.testing) is one 200 m x 100 m park in Bắc Ninh's 105°30′ zone with four
plots A1..A4 (50 m wide) and two zones. Each drawing below redraws some of it the way a board's
CAD drawing does: an outline per plot or zone on a land-use layer, its code written inside.
"""

from __future__ import annotations

import math
from pathlib import Path

import ezdxf
import numpy as np
import pytest
import shapely
from pyproj import Transformer

from gis_app.cli import main
from gis_app.errors import CRSError, ImportDataError, ValidationError
from gis_app.history import Basis, read_history, start_history
from gis_app.imports import CadDrawingError, import_cad
from gis_app.imports.cad import (
    arc_segments,
    densify,
    drawing_crs,
    parse_meridian,
    recognised_land_use,
)
from gis_app.registry import province
from gis_app.storage import read_plan
from gis_app.testing import ORIGIN

OX, OY = ORIGIN
#: The columns a plot needs that a drawing does not carry.
PLOT_DEFAULTS = {"park_code": "P1", "status": "vacant", "ready_built_factory": False}
HERE = {"legacy_province": "Bắc Ninh"}  # the drawings below are in the file's own zone


def rect(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    """A rectangle of the tiny park's local metres, in EPSG:9209."""
    return [(OX + x0, OY + y0), (OX + x1, OY + y0), (OX + x1, OY + y1), (OX + x0, OY + y1)]


def new_drawing() -> tuple[ezdxf.document.Drawing, object]:
    doc = ezdxf.new("R2018")
    return doc, doc.modelspace()


def plots_drawing(folder: Path, name: str = "plan.dxf") -> Path:
    """A1..A3 on DAT_CN, A4 on KHO BAI; the codes as TEXT, MTEXT and a block attribute."""
    doc, msp = new_drawing()
    for i in range(4):
        layer = "DAT_CN" if i < 3 else "KHO BAI"
        msp.add_lwpolyline(rect(50 * i, 0, 50 * (i + 1), 100), close=True,
                           dxfattribs={"layer": layer})
    msp.add_text("A1", dxfattribs={"layer": "SO_LO", "insert": (OX + 25, OY + 50)})
    msp.add_text("A2", dxfattribs={"layer": "SO_LO"}).set_placement(
        (OX + 75, OY + 50), align=ezdxf.enums.TextEntityAlignment.MIDDLE_CENTER)
    msp.add_mtext("A3", dxfattribs={"layer": "SO_LO", "insert": (OX + 125, OY + 50)})
    block = doc.blocks.new("KH_LO")
    block.add_attdef("SO_LO", (0, 0))
    ref = msp.add_blockref("KH_LO", (OX + 175, OY + 50), dxfattribs={"layer": "KY_HIEU"})
    ref.add_auto_attribs({"SO_LO": "A4"})
    path = folder / name
    doc.saveas(path)
    return path


def test_plots_take_their_land_use_from_the_layer_and_their_code_from_inside(
        province_file, tmp_path):
    result = import_cad(plots_drawing(tmp_path), province_file, defaults=PLOT_DEFAULTS,
                        mode="replace", **HERE)
    assert result.written and result.ok and result.problems == ()
    plots = read_plan(province_file).plots.set_index("plot_code")
    assert sorted(plots.index) == ["A1", "A2", "A3", "A4"]
    assert plots.loc[["A1", "A2", "A3"], "land_use"].tolist() == ["industrial"] * 3
    assert plots.loc["A4", "land_use"] == "warehouse_logistics"
    for i, code in enumerate(["A1", "A2", "A3", "A4"]):
        assert plots.loc[code, "geometry"].equals(shapely.Polygon(rect(50 * i, 0,
                                                                       50 * (i + 1), 100)))
        assert plots.loc[code, "area_ha"] == pytest.approx(0.5)


@pytest.mark.parametrize(("name", "land_use"), [
    ("DAT_CN", "industrial"), ("DAT CONG NGHIEP", "industrial"), ("CN", "industrial"),
    ("Đất công nghiệp", "industrial"), ("CAY XANH", "green"), ("CX", "green"),
    ("cây_xanh", "green"), ("GIAO THONG", "roads"), ("GT", "roads"),
    ("KHO", "warehouse_logistics"), ("KHO BAI", "warehouse_logistics"),
    ("HTKT", "technical_infrastructure"), ("DAU MOI", "technical_infrastructure"),
    ("DHDH", "service_admin"), ("DIEU HANH", "service_admin"), ("MAT NUOC", "water"),
    ("QH_DAT_CN", "industrial"), ("CX-2", "green"),
    ("RANH_GIOI", None), ("0", None), ("TEXT", None),
])
def test_common_vietnamese_layer_names_are_recognised(name, land_use):
    assert recognised_land_use(name) == land_use


def zones_drawing(folder: Path, layers: tuple[str, str, str]) -> Path:
    """Three zones across the park: 0-100 m, 100-150 m (a green with a bulged edge), 150-200 m;
    the middle one a HATCH, the others polylines; a frame on a layer that is no land use."""
    doc, msp = new_drawing()
    msp.add_lwpolyline(rect(0, 0, 100, 100), close=True, dxfattribs={"layer": layers[0]})
    hatch = msp.add_hatch(dxfattribs={"layer": layers[1]})
    hatch.paths.add_polyline_path(rect(100, 0, 150, 100), is_closed=True)
    msp.add_lwpolyline(rect(150, 0, 200, 100), close=True, dxfattribs={"layer": layers[2]})
    msp.add_lwpolyline(rect(-10, -10, 210, 110), close=True, dxfattribs={"layer": "KHUNG"})
    msp.add_text("Z-CN", dxfattribs={"insert": (OX + 50, OY + 50)})
    path = folder / "zones.dxf"
    doc.saveas(path)
    return path


def test_a_layer_map_names_the_land_use_of_each_cad_layer(province_file, tmp_path):
    source = zones_drawing(tmp_path, ("L1", "L2", "L3"))
    result = import_cad(source, province_file, layer="zones", mode="replace",
                        layer_map="L1=industrial,L2=green,L3=warehouse_logistics",
                        defaults={"park_code": "P1"}, **HERE)
    assert result.written
    assert dict(result.unknown_layers) == {"KHUNG": 1}  # listed, not silently dropped
    zones = read_plan(province_file).zones.sort_values("land_use")
    assert zones["land_use"].tolist() == ["green", "industrial", "warehouse_logistics"]
    # The labelled zone takes its label; the others are named by their CAD handle.
    ids = dict(zip(zones["land_use"], zones["zone_id"], strict=True))
    assert ids["industrial"] == "Z-CN" and ids["green"].startswith("Z")
    green = zones.loc[zones["land_use"] == "green", "geometry"].iloc[0]
    assert green.equals(shapely.Polygon(rect(100, 0, 150, 100)))  # from the hatch


def test_vietnamese_layer_names_need_no_map_and_a_map_can_leave_a_layer_out(
        province_file, tmp_path):
    source = zones_drawing(tmp_path, ("DAT_CN", "CAY XANH", "KHO_BAI"))
    result = import_cad(source, province_file, layer="zones", mode="replace",
                        layer_map="KHUNG=-", defaults={"park_code": "P1"}, **HERE)
    assert result.unknown_layers == ()
    assert dict(result.land_uses) == {"industrial": 1, "green": 1, "warehouse_logistics": 1}
    assert sorted(read_plan(province_file).zones["land_use"]) == [
        "green", "industrial", "warehouse_logistics"]


def test_plots_leave_zone_only_land_uses_out_with_a_warning(province_file, tmp_path):
    source = zones_drawing(tmp_path, ("DAT_CN", "CAY XANH", "KHO_BAI"))
    result = import_cad(source, province_file, dry_run=True, defaults=PLOT_DEFAULTS, **HERE)
    (warning,) = [p for p in result.problems if p.key == "not_plot_land_use"]
    assert warning.severity == "warning"
    assert "green" in warning.text("en") and "--layer zones" in warning.text("en")
    assert "khu chức năng" in warning.text("vi")
    # The two plot outlines without a code are errors naming their handles.
    assert sorted(p.key for p in result.errors) == ["no_label"]  # one: Z-CN labels the other
    assert result.result is not None and result.result.imported == 2


# --- arcs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("tolerance", [0.2, 0.05, 0.01])
@pytest.mark.parametrize("radius", [3.0, 25.0, 400.0])
def test_a_bulge_is_densified_within_the_tolerance_and_keeps_the_area(tolerance, radius):
    """A 2r x r rectangle whose top edge is a semicircle (bulge 1) bulging outwards."""
    w = 2 * radius
    vertices = [(0.0, 0.0, 0.0), (w, 0.0, 0.0), (w, radius, 1.0), (0.0, radius, 0.0)]
    ring = densify(vertices, tolerance)
    center = complex(radius, radius)
    on_arc = np.array([p for p in ring if p.imag > radius + 1e-9] + [complex(w, radius),
                                                                      complex(0, radius)])
    # Every densified vertex lies on the circle...
    np.testing.assert_allclose(np.abs(on_arc - center), radius, rtol=0, atol=1e-9)
    # ...and no chord strays farther than the tolerance from it (at its middle).
    arc = sorted(on_arc, key=lambda p: -np.angle(p - center))
    mids = [(a + b) / 2 for a, b in zip(arc, arc[1:], strict=False)]
    deviation = max(radius - abs(m - center) for m in mids)
    assert deviation <= tolerance + 1e-12
    assert deviation > tolerance / 4  # the tolerance is used, not ignored by overkill
    area = shapely.Polygon([(p.real, p.imag) for p in ring]).area
    exact = w * radius + math.pi * radius**2 / 2
    # Chords cut off at most (2/3) x sagitta x arc length: the area is right to that order.
    assert 0 < exact - area <= tolerance * math.pi * radius


def test_arc_segments_follow_the_sagitta_formula():
    # A quarter circle of 10 m at 0.05 m: each chord spans at most 2*acos(1 - 0.005).
    n = arc_segments(10.0, math.pi / 2, 0.05)
    assert n == math.ceil((math.pi / 2) / (2 * math.acos(1 - 0.005)))
    assert 10 * (1 - math.cos(math.pi / 4 / n)) <= 0.05


def arcs_drawing(folder: Path, ccw: bool = True) -> tuple[Path, float, float]:
    """Zone Z1 (0-150 m) with a semicircular notch of radius 20 m cut by a bulge, and a hatch
    on CAY XANH filling the notch from line and arc edges, with a 4 x 4 m island (a pond);
    the arc edge runs counter-clockwise or clockwise (ezdxf keeps its angles ccw)."""
    doc, msp = new_drawing()
    r = 20.0
    z1 = [(OX, OY, 0), (OX + 150, OY, 0), (OX + 150, OY + 100, 0), (OX + 95, OY + 100, -1),
          (OX + 55, OY + 100, 0), (OX, OY + 100, 0)]
    msp.add_lwpolyline(z1, format="xyb", close=True, dxfattribs={"layer": "DAT_CN"})
    hatch = msp.add_hatch(dxfattribs={"layer": "CAY XANH"})
    edges = hatch.paths.add_edge_path()
    edges.add_line((OX + 55, OY + 100), (OX + 95, OY + 100))
    edges.add_arc((OX + 75, OY + 100), r, 180, 360, ccw=ccw)
    hatch.paths.add_polyline_path([(OX + 73, OY + 88), (OX + 77, OY + 88), (OX + 77, OY + 92),
                                   (OX + 73, OY + 92)], is_closed=True)
    msp.add_text("Z1", dxfattribs={"insert": (OX + 20, OY + 50)})
    msp.add_text("ZX", dxfattribs={"insert": (OX + 75, OY + 95)})
    path = folder / "arcs.dxf"
    doc.saveas(path)
    return path, 150 * 100 - math.pi * r**2 / 2, math.pi * r**2 / 2 - 16


@pytest.mark.parametrize(("tolerance", "ccw"), [(0.05, True), (0.005, True), (0.05, False)])
def test_bulges_and_hatch_arcs_are_imported_to_the_stated_tolerance(
        province_file, tmp_path, tolerance, ccw):
    source, z1_area, green_area = arcs_drawing(tmp_path, ccw)
    result = import_cad(source, province_file, layer="zones", mode="replace",
                        arc_tolerance=tolerance, defaults={"park_code": "P1"}, **HERE)
    assert result.arc_tolerance == tolerance and result.written
    zones = read_plan(province_file).zones.set_index("zone_id")
    arc_length = math.pi * 20
    z1, green = zones.loc["Z1", "geometry"], zones.loc["ZX", "geometry"]
    assert 0 < green_area - green.area <= tolerance * arc_length
    assert 0 < z1.area - z1_area <= tolerance * arc_length  # the notch is cut slightly short
    assert len(green.interiors) == 1  # the island is a hole
    center = shapely.Point(OX + 75, OY + 100)
    on_arc = [shapely.Point(c) for c in green.exterior.coords if c[1] < OY + 100 - 1e-6]
    assert max(abs(center.distance(p) - 20) for p in on_arc) < 1e-6
    assert green.exterior.hausdorff_distance(
        shapely.Point(OX + 75, OY + 100).buffer(20, 2048).boundary.intersection(
            shapely.box(OX, OY, OX + 150, OY + 100)).union(
            shapely.LineString([(OX + 55, OY + 100), (OX + 95, OY + 100)]))) <= tolerance


def test_a_mirrored_polyline_and_a_circle_land_where_they_are_drawn(province_file, tmp_path):
    """A polyline mirrored in CAD has extrusion (0, 0, -1): its stored x runs westwards and
    its bulges turn the other way; a roundabout drawn as a CIRCLE is an outline too."""
    doc, msp = new_drawing()
    ocs = [(-x, y, b) for (x, y), b in zip(rect(0, 0, 150, 100), [0, 0, 0.4, 0], strict=True)]
    msp.add_lwpolyline(ocs, format="xyb", close=True,
                       dxfattribs={"layer": "DAT_CN", "extrusion": (0, 0, -1)})
    msp.add_circle((OX + 175, OY + 50), 20, dxfattribs={"layer": "CX"})
    doc.saveas(tmp_path / "mirrored.dxf")
    result = import_cad(tmp_path / "mirrored.dxf", province_file, layer="zones",
                        mode="replace", defaults={"park_code": "P1"}, **HERE)
    assert result.written
    zones = read_plan(province_file).zones.set_index("land_use")
    industrial, green = zones.loc["industrial", "geometry"], zones.loc["green", "geometry"]
    # Mirrored back: the box, with its top edge (x 150 -> 0 in the world) bulging into it
    # (a ccw bulge in the mirrored system is clockwise in the world: to the right, south).
    assert industrial.bounds == pytest.approx((OX, OY, OX + 150, OY + 100))
    sagitta = 75 * 0.4  # a bulge is 2 x sagitta / chord
    assert industrial.area == pytest.approx(150 * 100 - (2 / 3) * 150 * sagitta, rel=0.02)
    assert industrial.area < 150 * 100
    assert 0 < math.pi * 400 - green.area <= 0.05 * 2 * math.pi * 20  # default tolerance
    assert green.centroid.distance(shapely.Point(OX + 175, OY + 50)) < 1e-6


def test_the_arc_tolerance_must_be_a_positive_length(unchanged, tmp_path):
    source, _, _ = arcs_drawing(tmp_path)
    for bad in (0, -1, float("nan")):
        with pytest.raises(ImportDataError, match="--arc-tolerance"):
            import_cad(source, unchanged, layer="zones", arc_tolerance=bad, **HERE)


# --- codes written inside -----------------------------------------------------------------------


def test_an_outline_with_two_codes_is_an_error_unless_the_code_layer_is_named(
        province_file, tmp_path):
    source = plots_drawing(tmp_path)
    doc = ezdxf.readfile(source)
    doc.modelspace().add_text("S=0,5ha", dxfattribs={"layer": "DIEN_TICH",
                                                     "insert": (OX + 25, OY + 30)})
    doc.saveas(source)
    result = import_cad(source, province_file, defaults=PLOT_DEFAULTS, dry_run=True, **HERE)
    (error,) = result.errors
    assert error.key == "several_labels"
    assert "'A1'" in error.text("en") and "'S=0,5ha'" in error.text("en")
    result = import_cad(source, province_file, defaults=PLOT_DEFAULTS, mode="replace",
                        label_layers=["SO_LO"], **HERE)
    assert result.written
    assert sorted(read_plan(province_file).plots["plot_code"]) == ["A1", "A2", "A3", "A4"]


# --- bad drawings change nothing ----------------------------------------------------------------


@pytest.fixture
def unchanged(province_file, sha256, temp_files):
    """Asserts, after the test body, that the province file was not touched."""
    before = sha256(province_file)
    yield province_file
    assert sha256(province_file) == before
    assert temp_files(province_file.parent) == []


def open_drawing(folder: Path) -> tuple[Path, str]:
    """The plots drawing with A2's outline left open (its closing edge never drawn)."""
    doc, msp = new_drawing()
    for i in range(4):
        msp.add_lwpolyline(rect(50 * i, 0, 50 * (i + 1), 100), close=i != 1,
                           dxfattribs={"layer": "DAT_CN"})
        msp.add_text(f"A{i + 1}", dxfattribs={"insert": (OX + 50 * i + 25, OY + 50)})
    handle = [e for e in msp.query("LWPOLYLINE")][1].dxf.handle
    path = folder / "open.dxf"
    doc.saveas(path)
    return path, handle


def test_an_open_polyline_is_reported_by_handle_and_coordinates(unchanged, tmp_path):
    source, handle = open_drawing(tmp_path)
    with pytest.raises(CadDrawingError, match="1 error") as caught:
        import_cad(source, unchanged, defaults=PLOT_DEFAULTS, mode="replace", lang="en", **HERE)
    (problem,) = caught.value.result.problems
    text = problem.text("en")
    assert problem.severity == "error" and problem.key == "open_polyline"
    assert f"LWPOLYLINE handle {handle} on layer 'DAT_CN' does not close" in text
    assert f"first vertex {OX + 50:.3f}, {OY:.3f}, last vertex {OX + 50:.3f}, {OY + 100:.3f}" \
        in text
    assert "không khép kín" in problem.text("vi")


def test_a_polyline_whose_ends_meet_is_closed_without_the_flag(province_file, tmp_path):
    doc, msp = new_drawing()
    for i in range(4):
        msp.add_lwpolyline([*rect(50 * i, 0, 50 * (i + 1), 100), rect(50 * i, 0, 0, 0)[0]],
                           dxfattribs={"layer": "DAT_CN"})
        msp.add_text(f"A{i + 1}", dxfattribs={"insert": (OX + 50 * i + 25, OY + 50)})
    doc.saveas(tmp_path / "ends.dxf")
    result = import_cad(tmp_path / "ends.dxf", province_file, defaults=PLOT_DEFAULTS,
                        mode="replace", **HERE)
    assert result.written and result.problems == ()


def test_a_vertex_that_is_not_a_number_is_an_error(unchanged, tmp_path):
    doc, msp = new_drawing()
    corners = rect(0, 0, 50, 100)
    corners[2] = (float("nan"), corners[2][1])
    line = msp.add_lwpolyline(corners, close=True, dxfattribs={"layer": "DAT_CN"})
    msp.add_text("A1", dxfattribs={"insert": (OX + 10, OY + 50)})
    circle = msp.add_circle((OX + 100, OY + 50), float("inf"), dxfattribs={"layer": "CX"})
    doc.saveas(tmp_path / "nan.dxf")
    with pytest.raises(CadDrawingError) as caught:
        import_cad(tmp_path / "nan.dxf", unchanged, defaults=PLOT_DEFAULTS, **HERE)
    problems = caught.value.result.errors
    assert [p.key for p in problems] == ["not_finite"] * 2
    assert f"handle {line.dxf.handle}" in problems[0].text("en")
    assert f"handle {circle.dxf.handle}" in problems[1].text("en")


def test_the_cli_lists_each_problem_on_its_line_and_writes_nothing(unchanged, tmp_path,
                                                                   capsys):
    source, handle = open_drawing(tmp_path)
    doc = ezdxf.readfile(source)
    doc.modelspace().add_line((OX, OY), (OX + 10, OY), dxfattribs={"layer": "DAT_CN"})
    doc.saveas(source)
    code = main(["import", str(source), str(unchanged), "--legacy-province", "Bắc Ninh",
                 "--set", "park_code=P1", "--set", "status=vacant", "--set",
                 "ready_built_factory=false", "--replace", "--lang", "en"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert any(line.startswith(f"error: LWPOLYLINE handle {handle} ") for line in err)
    assert any(line.startswith("warning: LINE handle ") for line in err)
    assert err[-1].startswith("kcn-gis import: ") and "nothing was written" in err[-1]
    assert not any("Traceback" in line for line in err)


def test_a_file_that_is_not_a_drawing_is_one_line(unchanged, tmp_path, capsys):
    source = tmp_path / "plan.dxf"
    source.write_text("this is not a drawing\n", encoding="utf-8")
    code = main(["import", str(source), str(unchanged), "--legacy-province", "Bắc Ninh",
                 "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1
    assert f"{source}: not a readable DXF drawing" in err and "Traceback" not in err


def test_a_layer_mapped_to_an_unknown_land_use_changes_nothing(unchanged, tmp_path):
    source = zones_drawing(tmp_path, ("L1", "L2", "L3"))
    with pytest.raises(ImportDataError, match="'L2'.*'parkland' is not a land use"):
        import_cad(source, unchanged, layer="zones", mode="replace", lang="en",
                   layer_map="L1=industrial,L2=parkland", defaults={"park_code": "P1"}, **HERE)


def test_a_self_intersecting_outline_changes_nothing(unchanged, tmp_path):
    doc, msp = new_drawing()
    x0, y0, x1, y1 = OX, OY, OX + 50, OY + 100
    msp.add_lwpolyline([(x0, y0), (x1, y1), (x1, y0), (x0, y1)], close=True,
                       dxfattribs={"layer": "DAT_CN"})  # a bow tie
    msp.add_text("A1", dxfattribs={"insert": (OX + 10, OY + 50)})
    doc.saveas(tmp_path / "bowtie.dxf")
    with pytest.raises(ValidationError) as caught:
        import_cad(tmp_path / "bowtie.dxf", unchanged, defaults=PLOT_DEFAULTS, **HERE)
    problems = caught.value.report.problems
    handle = msp.query("LWPOLYLINE")[0].dxf.handle
    assert (problems["feature_id"] + problems["message"]).str.contains(f"handle {handle}").any()


def test_a_dwg_without_a_converter_says_how_to_export_dxf(unchanged, tmp_path, monkeypatch,
                                                           capsys):
    dwg = tmp_path / "plan.dwg"
    dwg.write_bytes(b"AC1032" + bytes(100))  # a DWG header; there is nothing to convert it
    monkeypatch.setenv("PATH", str(tmp_path))  # no ODAFileConverter on the path
    monkeypatch.setitem(ezdxf.options._config["odafc-addon"], "unix_exec_path", "")
    monkeypatch.setitem(ezdxf.options._config["odafc-addon"], "win_exec_path",
                        str(tmp_path / "missing.exe"))
    code = main(["import", str(dwg), str(unchanged), "--legacy-province", "Bắc Ninh",
                 "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "ODA File Converter, which is not installed" in err
    assert "SAVEAS" in err and "AutoCAD DXF (*.dxf)" in err
    code = main(["import", str(dwg), str(unchanged), "--legacy-province", "Bắc Ninh"])
    assert "SAVEAS" in capsys.readouterr().err  # the same advice in Vietnamese


# --- the drawing's zone -------------------------------------------------------------------------


def bac_giang_drawing(folder: Path) -> tuple[Path, list[list[tuple[float, float]]]]:
    """The tiny plots (inset by 1 m) drawn in old Bắc Giang's 107°00′ zone (EPSG:9214), with
    a bulge on A1's top edge, as a board there would have them."""
    to_107 = Transformer.from_crs("EPSG:9209", "EPSG:9214", always_xy=True)
    doc, msp = new_drawing()
    drawn = []
    for i in range(4):
        corners = [to_107.transform(x, y) for x, y in rect(50 * i + 1, 1, 50 * (i + 1) - 1, 99)]
        bulges = [0, 0, -0.2 if i == 0 else 0, 0]
        msp.add_lwpolyline([(x, y, b) for (x, y), b in zip(corners, bulges, strict=True)],
                           format="xyb", close=True, dxfattribs={"layer": "DAT_CN"})
        cx, cy = to_107.transform(OX + 50 * i + 25, OY + 50)
        msp.add_text(f"A{i + 1}", dxfattribs={"insert": (cx, cy)})
        drawn.append(corners)
    path = folder / "bac_giang.dxf"
    doc.saveas(path)
    return path, drawn


def test_a_drawing_in_107_lands_where_proj_puts_it_in_a_105_30_file(province_file, tmp_path):
    source, drawn = bac_giang_drawing(tmp_path)
    result = import_cad(source, province_file, defaults=PLOT_DEFAULTS, mode="replace",
                        legacy_province="Bắc Giang")
    assert result.written and "107-00" in result.source_crs
    direct = Transformer.from_crs("EPSG:9214", "EPSG:9209", always_xy=True)
    plots = read_plan(province_file).plots.set_index("plot_code")
    for i, corners in enumerate(drawn):
        outline = np.array(plots.loc[f"A{i + 1}", "geometry"].exterior.coords[:-1])
        # Every vertex of the drawing (the densified arc's too, densified in the drawing's
        # zone) put in 105°30′ by one direct PROJ transformation...
        ring = densify([(x, y, -0.2 if (i, k) == (0, 2) else 0)
                        for k, (x, y) in enumerate(corners)], 0.05)
        expected = np.array([direct.transform(p.real, p.imag) for p in ring])
        assert len(outline) == len(expected) > (7 if i == 0 else 3)
        # ...is a vertex of the imported outline, within 1 cm (in whatever ring order).
        gaps = np.hypot(*(expected[:, None, :] - outline[None, :, :]).transpose(2, 0, 1))
        assert gaps.min(axis=1).max() < 0.01 and gaps.min(axis=0).max() < 0.01
    # A 105°30′ reading of the same drawing would put it ~150 km east, far outside the park.
    assert plots.geometry.within(read_plan(province_file).parks.geometry.iloc[0]).all()


def test_the_cli_takes_the_drawing_zone_as_a_meridian(province_file, tmp_path, capsys):
    source, _ = bac_giang_drawing(tmp_path)
    code = main(["import", str(source), str(province_file), "--from-zone", "107",
                 "--set", "park_code=P1", "--set", "status=vacant", "--set",
                 "ready_built_factory=false", "--replace", "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "imported 4 outline(s) into Plots" in out and "Industrial: 4" in out


def test_a_merged_province_with_two_zones_needs_the_drawing_zone(unchanged, tmp_path):
    source, _ = bac_giang_drawing(tmp_path)
    with pytest.raises(CRSError, match=r"Bắc Ninh 105°30′ \(EPSG:9209\), Bắc Giang 107°00′"):
        import_cad(source, unchanged, defaults=PLOT_DEFAULTS, lang="en")


def test_zones_are_given_as_a_crs_a_meridian_or_a_legacy_province():
    bac_ninh = province("bac_ninh")
    assert drawing_crs(bac_ninh, legacy_province="bac giang").to_epsg() == 9214
    assert drawing_crs(bac_ninh, from_zone="105-30").to_epsg() == 9209
    assert drawing_crs(None, source_crs="EPSG:9214").to_epsg() == 9214
    assert parse_meridian("105°30′") == parse_meridian("105.5") == 105.5
    with pytest.raises(CRSError, match="once"):
        drawing_crs(bac_ninh, from_zone="107", legacy_province="Bắc Giang", lang="en")
    with pytest.raises(CRSError, match="not a province before the 2025 merger"):
        drawing_crs(bac_ninh, legacy_province="Atlantis", lang="en")


# --- history ------------------------------------------------------------------------------------


def test_a_good_import_leaves_a_history_record(province_file, tmp_path):
    start_history(province_file, Basis.imported("survey.gpkg", "Trần Thị B"), "2020-01-01")
    source = plots_drawing(tmp_path, "qhct_1-500.dxf")
    import hashlib

    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    result = import_cad(source, province_file, defaults=PLOT_DEFAULTS, mode="replace",
                        recorded_by="Nguyễn Văn C", **HERE)
    assert result.written
    changes = read_history(province_file).changes
    last = changes.iloc[-1]
    assert len(changes) == 2 and last["basis_type"] == "import"
    assert last["source_file"] == "qhct_1-500.dxf" and last["recorded_by"] == "Nguyễn Văn C"
    assert last["document_ref"] == f"sha256:{digest}"
