"""QGIS itself opens our GeoPackages with the stored styles as the layers' default style.

QGIS looks a layer's style up in ``layer_styles`` by table *and* geometry column; a style that
names another column is never found and QGIS draws the layer with a single symbol. The check
runs in QGIS (Debian's ``python3-qgis``, headless): its bindings belong to Debian's
``/usr/bin/python3``, not to the interpreter running the tests, so a small script runs there
in a subprocess and prints what QGIS loaded. Without QGIS the tests skip on a workstation and
FAIL when ``CI`` is set (``.ci/run`` installs it), like the PostGIS and browser tests.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from gis_app.cli import main
from gis_app.settings import PROVINCES
from gis_app.storage import read_layer
from gis_app.storage.styles import CATEGORIZED

QGIS_PYTHON = Path("/usr/bin/python3")
#: The layers an officer styles by code: parks and plots by status, zones by land use.
STYLED = ("parks", "zones", "plots")

#: Run by Debian's Python: open each layer as QGIS does and report its renderer.
QGIS_SCRIPT = r"""
import json, sys
from qgis.core import QgsApplication, QgsVectorLayer

app = QgsApplication([], False)
app.initQgis()
out = {}
path = sys.argv[1]
for name in sys.argv[2:]:
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    if not layer.isValid():
        out[name] = {"valid": False}
        continue
    opened = layer.renderer().type()  # QGIS applies the default style when it opens a layer
    message, loaded = layer.loadDefaultStyle()
    renderer = layer.renderer()
    field = renderer.classAttribute() if renderer.type() == "categorizedSymbol" else None
    index = layer.fields().indexOf(field) if field else -1
    out[name] = {
        "valid": True,
        "opened_with": opened,
        "default_style_loaded": bool(loaded),
        "message": message,
        "renderer": renderer.type(),
        "field": field,
        "categories": [str(c.value()) for c in renderer.categories()] if field else [],
        "values_in_layer": sorted(str(v) for v in layer.uniqueValues(index)) if index >= 0
        else [],
    }
    del renderer, layer  # before exitQgis: a layer outliving QGIS crashes the interpreter
print("RESULT " + json.dumps(out), flush=True)
app.exitQgis()
"""


def _qgis_missing() -> str | None:
    if not QGIS_PYTHON.exists():
        return f"{QGIS_PYTHON} is missing"
    done = subprocess.run([str(QGIS_PYTHON), "-c", "import qgis.core"], capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()[-1:] or [""]
        return f"QGIS's Python bindings are missing (apt-get install python3-qgis): {last[0]}"
    return None


@pytest.fixture(scope="module")
def qgis() -> None:
    reason = _qgis_missing()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"QGIS style tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"QGIS style tests need Debian's python3-qgis: {reason}")


def open_in_qgis(path: Path, tmp_path: Path) -> dict[str, dict]:
    script = tmp_path / "open_in_qgis.py"
    script.write_text(QGIS_SCRIPT, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    env.pop("PYTHONPATH", None)  # Debian's Python must not import this interpreter's packages
    done = subprocess.run([str(QGIS_PYTHON), str(script), str(path), *STYLED],
                          capture_output=True, text=True, timeout=300, env=env)
    lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    return json.loads(lines[-1].removeprefix("RESULT "))


def assert_styled(path: Path, tmp_path: Path) -> None:
    found = open_in_qgis(path, tmp_path)
    for name in STYLED:
        layer = found[name]
        assert layer["valid"], f"QGIS cannot open {path}|{name}"
        assert layer["default_style_loaded"], (name, layer["message"])
        assert layer["opened_with"] == "categorizedSymbol", (name, layer)
        assert layer["renderer"] == "categorizedSymbol", (name, layer)
        field, colours, _ = CATEGORIZED[name]
        assert layer["field"] == field
        assert set(layer["categories"]) == set(colours)
        # Every feature falls in a category: none is drawn without a symbol.
        assert set(layer["values_in_layer"]) <= set(layer["categories"]), (name, layer)


@pytest.mark.parametrize("key", list(PROVINCES))
def test_shipped_file_opens_styled_in_qgis(qgis, key, tmp_path):
    path = PROVINCES[key].default_path
    assert_styled(path, tmp_path)
    # Every stored style names the column QGIS matches on (the other layers' styles too).
    assert set(read_layer(path, "layer_styles")["f_geometry_column"]) == {"geom"}


def test_exported_scenario_opens_styled_in_qgis(qgis, tmp_path):
    exported = tmp_path / "ninh-binh-2024.gpkg"
    assert main(["scenario", "export", str(PROVINCES["ninh_binh"].default_path),
                 "ninh-binh-2024", "--gpkg", str(exported),
                 "--report", str(tmp_path / "report.csv")]) == 0
    assert_styled(exported, tmp_path)


def test_an_empty_province_from_init_opens_styled_in_qgis(qgis, tmp_path):
    path = tmp_path / "quang_ninh.gpkg"
    assert main(["init", "quang_ninh", "-o", str(path)]) == 0
    assert_styled(path, tmp_path)
