"""Example inputs of a board starting a new province: its detailed-plan drawing and register.

The province is Gia Lai (merged on 1 July 2025 from Gia Lai and Bình Định), neither of the
shipped sample provinces. Its example park ``GL01`` "KCN Ví dụ Bình An" is invented (an example,
not a real park) and lies in xã Bình An, in old Bình Định. Its drawing is therefore in old Bình
Định's VN-2000 TM-3 zone, 108°15′ (EPSG:9217), while ``kcn-gis init gia_lai`` keeps the file in
108°30′ (EPSG:9218): the import must place it, as it would a real board's drawing.

:func:`write_drawing` writes the detailed plan (quy hoạch chi tiết 1/500) with ezdxf, the
way CAD drawings are kept: the park boundary on ``RANH_GIOI``, each plot a closed polyline on a
land-use layer named in Vietnamese, its code a text (one a block attribute ``SO_LO``), a green
belt as a hatch with the park's inside as its island, the internal road, and one plot
(``CN-03``) with a corner rounded by an arc (a bulge of radius :data:`ARC_RADIUS_M`).
Coordinates are metres from :data:`ORIGIN`; the park is 600 m x 400 m (24 ha):

======  ==================  ======================  ===============================
plot    CAD layer           land use                 register
======  ==================  ======================  ===============================
CN-01   DAT_CN              industrial               DA 1 (with CN-02), operating
CN-02   DAT_CN              industrial               DA 1
CN-03   DAT_CN              industrial (arc corner)  vacant
CN-04   DAT_CN              industrial               DA 2, operating
CN-05   DAT_CN              industrial               vacant
CN-06   DAT_CN              industrial               vacant
KB-01   KHO_BAI             warehouse_logistics      DA 3, under construction
DV-01   DHDH                service_admin            (not leasable land)
HT-01   HTKT                technical_infrastructure (not leasable land)
======  ==================  ======================  ===============================

:func:`write_register` writes the project register (.xlsx, openpyxl) with Vietnamese headers,
a merged title and a two-row header ("Vốn đầu tư (tỷ đồng)" over "Đăng ký" and "Thực hiện"),
dates as dd/mm/yyyy text and amounts in tỷ đồng (VND: the import needs :data:`USD_RATE`).
Both are fixed content: the same call writes the same drawing and the same cells.

``python -m gis_app.testing.new_province DIR`` writes both into ``DIR`` (for the README).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .workbooks import write_board_register

#: The province (registry key) and the legacy province whose drawings the example follows.
PROVINCE = "gia_lai"
LEGACY_PROVINCE = "Bình Định"
#: The drawing's CRS: old Bình Định's VN-2000 TM-3 zone, 108°15′.
DRAWING_EPSG = 9217
#: The park's south-west corner in EPSG:9217 (xã Bình An, old Bình Định).
ORIGIN = (583_000.0, 1_539_500.0)
#: The rounded corner of plot CN-03 (m): a quarter circle at the road junction.
ARC_RADIUS_M = 15.0
#: VND per USD stated for the register's amounts in tỷ đồng.
USD_RATE = 25_400.0

DRAWING_NAME = "qhct_kcn_binh_an.dxf"
REGISTER_NAME = "so_du_an_kcn_binh_an.xlsx"

#: The park's attributes for its boundary's import (``kcn-gis import ... --set``).
PARK: dict[str, str] = {
    "park_code": "GL01",
    "name_vi": "KCN Ví dụ Bình An",
    "name_en": "Binh An Example Park",
    "province": "Gia Lai",
    "legacy_province": LEGACY_PROVINCE,
    "status": "operating",
    "planned_area_ha": "24",
    "established_area_ha": "24",
}
#: The park's outline (local metres) and its green belt's width.
PARK_SIZE = (600.0, 400.0)
BELT_M = 10.0
#: The internal road: a strip across the park between y = 190 and 210 m.
ROAD = (BELT_M, 190.0, PARK_SIZE[0] - BELT_M, 210.0)


@dataclass(frozen=True)
class ExamplePlot:
    code: str
    cad_layer: str
    land_use: str
    vertices: tuple[tuple[float, float, float], ...]  #: local (x, y, bulge), counter-clockwise

    @property
    def area_m2(self) -> float:
        """The exact area (m², in the drawing's plane): the polygon plus its arcs' segments."""
        pts = self.vertices
        area = 0.0
        for i, (x0, y0, bulge) in enumerate(pts):
            x1, y1, _ = pts[(i + 1) % len(pts)]
            area += (x0 * y1 - x1 * y0) / 2
            if bulge:
                sweep = 4 * math.atan(bulge)
                chord = math.hypot(x1 - x0, y1 - y0)
                radius = chord / (2 * abs(math.sin(sweep / 2)))
                area += math.copysign(radius**2 * (abs(sweep) - math.sin(abs(sweep))) / 2, bulge)
        return area


def _rect(code: str, layer: str, use: str, x0: float, y0: float, x1: float, y1: float
          ) -> ExamplePlot:
    return ExamplePlot(code, layer, use, ((x0, y0, 0.0), (x1, y0, 0.0), (x1, y1, 0.0),
                                          (x0, y1, 0.0)))


_R = ARC_RADIUS_M
#: The plots, north row (y 210-390 m) then south row (y 10-190 m).
PLOTS: tuple[ExamplePlot, ...] = (
    _rect("CN-01", "DAT_CN", "industrial", 10, 210, 160, 390),
    _rect("CN-02", "DAT_CN", "industrial", 160, 210, 310, 390),
    # The south-east corner rounded: a quarter circle (bulge tan(90°/4)) around (445, 225).
    ExamplePlot("CN-03", "DAT_CN", "industrial",
                ((310, 210, 0.0), (460 - _R, 210, math.tan(math.pi / 8)), (460, 210 + _R, 0.0),
                 (460, 390, 0.0), (310, 390, 0.0))),
    _rect("KB-01", "KHO_BAI", "warehouse_logistics", 460, 210, 590, 390),
    _rect("CN-04", "DAT_CN", "industrial", 10, 10, 160, 190),
    _rect("CN-05", "DAT_CN", "industrial", 160, 10, 310, 190),
    _rect("CN-06", "DAT_CN", "industrial", 310, 10, 460, 190),
    _rect("DV-01", "DHDH", "service_admin", 460, 10, 530, 190),
    _rect("HT-01", "HTKT", "technical_infrastructure", 530, 10, 590, 190),
)

#: The register's header: Vietnamese, with a group cell over two sub-headers.
REGISTER_HEADER = ("STT", "Tên dự án", "Nhà đầu tư", "Quốc gia", "Ngành nghề", "Tên KCN",
                   "Số lô", "Ngày cấp GCNĐKĐT",
                   ("Vốn đầu tư (tỷ đồng)", ("Đăng ký", "Thực hiện")),
                   "Lao động (người)", "Tình trạng")
#: The register's rows: amounts in tỷ đồng as boards type them ("1.270,0"), dates dd/mm/yyyy.
REGISTER_ROWS: tuple[tuple[object, ...], ...] = (
    (1, "Nhà máy chế biến gỗ xuất khẩu", "Công ty TNHH Gỗ Ví dụ", "Việt Nam", "wood",
     "KCN Ví dụ Bình An", "CN-01, CN-02", "15/03/2021", "1.270,0", "1.016,0", 850,
     "Đang hoạt động"),
    (2, "Nhà máy may mặc", "Example Garment Co., Ltd.", "Hàn Quốc", "textiles",
     "KCN Ví dụ Bình An", "CN-04", "02/11/2022", 508, "254,0", 1200, "Đang hoạt động"),
    (3, "Kho lạnh nông sản", "Công ty CP Logistics Ví dụ", "Việt Nam", "logistics",
     "KCN Ví dụ Bình An", "KB-01", "20/06/2024", "127", None, None, "Đang xây dựng"),
)
#: The plots the register's projects occupy (they become leased on import).
LEASED_PLOTS: tuple[str, ...] = ("CN-01", "CN-02", "CN-04", "KB-01")


def _world(x: float, y: float) -> tuple[float, float]:
    return ORIGIN[0] + x, ORIGIN[1] + y


def _ring(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [_world(x0, y0), _world(x1, y0), _world(x1, y1), _world(x0, y1)]


def write_drawing(path: str | Path) -> Path:
    """Write the park's detailed plan as a DXF drawing (ezdxf, AutoCAD 2018) at ``path``."""
    import ezdxf

    fixed = ezdxf.options.write_fixed_meta_data_for_testing
    ezdxf.options.write_fixed_meta_data_for_testing = True  # no time stamps or random GUIDs
    try:
        return _write_drawing(Path(path))
    finally:
        ezdxf.options.write_fixed_meta_data_for_testing = fixed


def _write_drawing(path: Path) -> Path:
    import ezdxf
    from ezdxf import units

    doc = ezdxf.new("R2018")
    doc.units = units.M
    for name, color in (("RANH_GIOI", 1), ("DAT_CN", 30), ("KHO_BAI", 40), ("DHDH", 6),
                        ("HTKT", 8), ("CAY XANH", 3), ("GIAO THONG", 9), ("SO_LO", 7)):
        doc.layers.add(name, color=color)
    msp = doc.modelspace()
    width, height = PARK_SIZE
    msp.add_lwpolyline(_ring(0, 0, width, height), close=True,
                       dxfattribs={"layer": "RANH_GIOI"})
    belt = msp.add_hatch(color=3, dxfattribs={"layer": "CAY XANH"})
    belt.paths.add_polyline_path(_ring(0, 0, width, height), is_closed=True)
    belt.paths.add_polyline_path(_ring(BELT_M, BELT_M, width - BELT_M, height - BELT_M),
                                 is_closed=True)
    msp.add_lwpolyline(_ring(*ROAD), close=True, dxfattribs={"layer": "GIAO THONG"})
    block = doc.blocks.new("KH_LO")
    block.add_attdef("SO_LO", (0, 0), dxfattribs={"height": 3.0})
    for plot in PLOTS:
        msp.add_lwpolyline([(*_world(x, y), b) for x, y, b in plot.vertices], format="xyb",
                           close=True, dxfattribs={"layer": plot.cad_layer})
        xs = [x for x, _, _ in plot.vertices]
        ys = [y for _, y, _ in plot.vertices]
        middle = _world((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
        if plot.code == "KB-01":  # a plot-code block, as some offices label lots
            ref = msp.add_blockref("KH_LO", middle, dxfattribs={"layer": "SO_LO"})
            ref.add_auto_attribs({"SO_LO": plot.code})
        else:
            msp.add_text(plot.code, height=4.0, dxfattribs={"layer": "SO_LO",
                                                             "insert": middle})
    # ezdxf adds CLASS definitions from sets (their order follows the string hash seed): add
    # them now and sort them, so that every process writes the same bytes.
    doc.classes.add_required_classes(doc.dxfversion)
    doc.classes.classes = dict(sorted(doc.classes.classes.items()))
    doc.saveas(path)
    return path


def write_register(path: str | Path) -> Path:
    """Write the park's project register (.xlsx) at ``path``."""
    return write_board_register(
        path, "DANH SÁCH DỰ ÁN ĐẦU TƯ TẠI KCN VÍ DỤ BÌNH AN", REGISTER_HEADER,
        [list(row) for row in REGISTER_ROWS], sheet="Dự án",
        note="(Số liệu đến ngày 30/06/2025; vốn đầu tư tính bằng tỷ đồng)")


def write_inputs(folder: str | Path) -> dict[str, Path]:
    """Write the drawing and the register into ``folder`` (made if missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {"drawing": write_drawing(folder / DRAWING_NAME),
            "register": write_register(folder / REGISTER_NAME)}


def main(argv: Sequence[str] | None = None) -> int:
    """Write the example drawing and register into the folder given; print their paths."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m gis_app.testing.new_province",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("folder", metavar="DIR")
    args = parser.parse_args(argv)
    for path in write_inputs(args.folder).values():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
