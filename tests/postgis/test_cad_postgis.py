"""A CAD drawing imported into a PostGIS province: the same checked import as into a file."""

from __future__ import annotations

import ezdxf
import pytest

from gis_app.cli import main
from gis_app.storage import source
from gis_app.storage.postgis.store import init_database, layer_versions
from gis_app.testing import ORIGIN, tiny_plan

pytestmark = pytest.mark.postgis


def test_plots_from_a_drawing_replace_the_database_plots(pg_url, tmp_path, capsys):
    init_database(pg_url)
    source.write_plan(pg_url, tiny_plan())
    ox, oy = ORIGIN
    doc = ezdxf.new("R2018")
    msp = doc.modelspace()
    for i in range(4):
        x0, x1 = ox + 50 * i, ox + 50 * (i + 1)
        msp.add_lwpolyline([(x0, oy), (x1, oy), (x1, oy + 100), (x0, oy + 100)], close=True,
                           dxfattribs={"layer": "DAT_CN" if i < 3 else "KHO"})
        msp.add_text(f"A{i + 1}", dxfattribs={"insert": (x0 + 25, oy + 50)})
    doc.saveas(tmp_path / "plan.dxf")
    before = layer_versions(pg_url)["plots"]
    code = main(["import", str(tmp_path / "plan.dxf"), pg_url, "--from-zone", "105-30",
                 "--set", "park_code=P1", "--set", "status=reserved", "--set",
                 "ready_built_factory=false", "--replace", "--lang", "en"])
    assert code == 0, capsys.readouterr()
    plots = source.read_plan(pg_url).plots.set_index("plot_code")
    assert sorted(plots.index) == ["A1", "A2", "A3", "A4"]
    assert set(plots["status"]) == {"reserved"}
    assert plots.loc["A4", "land_use"] == "warehouse_logistics"
    assert layer_versions(pg_url)["plots"] > before
