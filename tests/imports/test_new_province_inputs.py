"""The example inputs of a new province (gis_app.testing.new_province) and the path a board
takes with them: ``init``, the park's boundary and plots from the drawing, the register.

The notebook notebooks/03_new_province.ipynb and the README's "Start your own province" run
the same path on the command line; this checks it in Python, figure by figure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import ezdxf
import openpyxl
import pytest
import shapely
from pyproj import Transformer

from gis_app.analytics import province_indicators
from gis_app.cli import main
from gis_app.imports import import_cad, import_layer, import_register
from gis_app.settings import LEASABLE_LAND_USES
from gis_app.storage import read_plan
from gis_app.testing import new_province as example

ROOT = Path(__file__).resolve().parents[2]
#: The two VN-2000 zones' scale factors differ by about 1 in 10,000 at the park.
ZONE_SCALE = 2e-4


def test_the_drawing_is_the_same_bytes_in_every_process(tmp_path):
    """ezdxf stamps the time and random GUIDs, and orders its CLASS table by the string hash
    seed; the example drawing is written without either."""
    here = example.write_drawing(tmp_path / "a.dxf").read_bytes()
    for seed in ("1", "4"):  # seed 4 ordered the CLASS table differently before the fix
        out = tmp_path / seed
        subprocess.run([sys.executable, "-m", "gis_app.testing.new_province", str(out)],
                       check=True, capture_output=True, cwd=tmp_path,
                       env={**os.environ, "PYTHONHASHSEED": seed,
                            "PYTHONPATH": os.pathsep.join([str(ROOT),
                                                           os.environ.get("PYTHONPATH", "")])})
        assert (out / example.DRAWING_NAME).read_bytes() == here


def test_the_drawing_holds_what_a_board_draws(tmp_path):
    doc = ezdxf.readfile(example.write_drawing(tmp_path / "qhct.dxf"))
    msp = doc.modelspace()
    outlines = {e.dxf.handle: e for e in msp.query("LWPOLYLINE")}
    layers = sorted(e.dxf.layer for e in outlines.values())
    assert layers.count("DAT_CN") == 6 and {"KHO_BAI", "DHDH", "HTKT", "RANH_GIOI",
                                              "GIAO THONG"} <= set(layers)
    assert all(e.closed for e in outlines.values())
    bulges = [b for e in outlines.values() for _, _, b in e.get_points("xyb") if b]
    assert bulges == [pytest.approx(0.41421356)]  # one quarter-circle arc
    texts = sorted(e.dxf.text for e in msp.query("TEXT"))
    (block,) = msp.query("INSERT")
    assert sorted([*texts, block.get_attrib_text("SO_LO")]) == sorted(p.code for p in
                                                                      example.PLOTS)
    (hatch,) = msp.query("HATCH")
    assert hatch.dxf.layer == "CAY XANH" and len(hatch.paths) == 2  # the belt and its island


def test_the_register_is_laid_out_as_boards_keep_it(tmp_path):
    book = openpyxl.load_workbook(example.write_register(tmp_path / "so.xlsx"))
    ws = book["Dự án"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:L1", "I3:J3", "A3:A4", "L3:L4"} <= merged
    assert (ws["I3"].value, ws["I4"].value, ws["J4"].value) == (
        "Vốn đầu tư (tỷ đồng)", "Đăng ký", "Thực hiện")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=7)]
    assert rows == [list(r) for r in example.REGISTER_ROWS]
    assert [r[7] for r in rows] == ["15/03/2021", "02/11/2022", "20/06/2024"]  # dd/mm/yyyy
    assert ws["A8"].value == "Tổng cộng"


@pytest.fixture(scope="module")
def gia_lai(tmp_path_factory) -> dict[str, Path]:
    """A Gia Lai file from ``kcn-gis init`` with the example park, plots and projects."""
    folder = tmp_path_factory.mktemp("gia_lai")
    inputs = example.write_inputs(folder / "inputs")
    target = folder / "gia_lai.gpkg"
    assert main(["init", example.PROVINCE, "-o", str(target)]) == 0
    import_layer(inputs["drawing"], target, "parks", source_layer="RANH_GIOI",
                 source_crs=f"EPSG:{example.DRAWING_EPSG}", defaults=example.PARK)
    cad = import_cad(inputs["drawing"], target, legacy_province=example.LEGACY_PROVINCE,
                     defaults={"park_code": "GL01", "status": "vacant",
                               "ready_built_factory": False})
    assert cad.written and cad.errors == ()
    register = import_register(inputs["register"], target, usd_rate=example.USD_RATE)
    assert register.written and sorted(register.plots_leased) == sorted(example.LEASED_PLOTS)
    return {"target": target, **inputs}


def test_the_plots_land_where_proj_puts_the_drawing(gia_lai):
    """Drawn in old Bình Định's 108°15′, kept in Gia Lai's 108°30′: each plot corner where
    one direct PROJ transformation puts it, within 1 cm."""
    plan = read_plan(gia_lai["target"])
    assert plan.crs.to_epsg() == 9218
    direct = Transformer.from_crs(f"EPSG:{example.DRAWING_EPSG}", "EPSG:9218", always_xy=True)
    plots = plan.plots.set_index("plot_code")
    for plot in example.PLOTS:
        outline = plots.loc[plot.code, "geometry"]
        for x, y, _ in plot.vertices:
            corner = shapely.Point(direct.transform(example.ORIGIN[0] + x,
                                                    example.ORIGIN[1] + y))
            assert outline.boundary.distance(corner) < 0.01, plot.code
    arc = next(p for p in example.PLOTS if p.code == "CN-03")
    assert plots.loc["CN-03", "geometry"].area == pytest.approx(arc.area_m2, rel=ZONE_SCALE)
    assert arc.area_m2 < 150 * 180  # the rounded corner is cut off


def test_the_summary_follows_from_the_drawing_and_the_register(gia_lai):
    row = province_indicators(read_plan(gia_lai["target"])).iloc[0]
    leasable = sum(p.area_m2 for p in example.PLOTS if p.land_use in LEASABLE_LAND_USES)
    leased = sum(p.area_m2 for p in example.PLOTS if p.code in example.LEASED_PLOTS)
    assert row["leasable_ha"] == pytest.approx(leasable / 1e4, rel=ZONE_SCALE)
    assert row["leased_ha"] == pytest.approx(leased / 1e4, rel=ZONE_SCALE)
    assert row["occupancy_share"] == pytest.approx(leased / leasable, rel=ZONE_SCALE)
    # 1,270 + 508 + 127 tỷ đồng registered, 1,016 + 254 realised, at 25,400 VND per USD.
    assert row["registered_capital_usd"] == pytest.approx(1_905e9 / example.USD_RATE)
    assert row["realised_capital_usd"] == pytest.approx(1_270e9 / example.USD_RATE)
    assert (row["projects_valid_count"], row["parks_operating_count"]) == (3, 1)
