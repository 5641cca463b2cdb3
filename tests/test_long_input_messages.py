"""Messages quote what a user's file holds shortened: a GeoJSON whose collection name, field
name (1 MB) or field value (1 MB) is huge gets a one-line error of a few hundred characters (the
name's start and end around "…"), not the 10 MB echoed back.

Run as a person would: ``kcn-gis import`` in a subprocess, reading its standard error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gis_app.errors import listing, quote, shorten
from gis_app.settings import PROVINCES

ROOT = Path(__file__).resolve().parents[1]
HUGE = 10 * 1024 * 1024
#: GDAL reads no single JSON token (a key, a value) of 10 MB, so those are 1 MB long.
LARGE = 1024 * 1024


def _geojson(path: Path, *, name: str = "survey", properties: dict | None = None) -> Path:
    square = [[105.90, 20.20], [105.901, 20.20], [105.901, 20.201], [105.90, 20.201],
              [105.90, 20.20]]
    feature = {"type": "Feature", "properties": properties or {"plot_code": "A1"},
               "geometry": {"type": "Polygon", "coordinates": [square]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "name": name,
                                "features": [feature]}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = PROVINCES["ninh_binh"].default_path
    if not source.exists():
        pytest.skip(f"{source} is not built (kcn-gis sample)")
    return Path(shutil.copy(source, tmp_path_factory.mktemp("long") / "nb.gpkg"))


def _import(source: Path, target: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [sys.executable, "-c", "import sys; from gis_app.cli import main; sys.exit(main())",
         "import", str(source), str(target), "--layer", "plots", *extra],
        capture_output=True, text=True, env=env, timeout=300, check=False)


def test_a_10_mb_collection_name_is_quoted_shortened(target: Path, tmp_path: Path) -> None:
    name = "N" * (HUGE - 1) + "Z"
    source = _geojson(tmp_path / "huge_name.geojson", name=name)
    before = target.read_bytes()
    done = _import(source, target)
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.splitlines()  # one line, no traceback
    assert len(line) < 500, len(line)
    assert line.startswith("kcn-gis import: ") and "huge_name.geojson" in line
    quoted = line.split(", layer ", 1)[1].split(": ", 1)[0]
    assert quoted.startswith("'NNNN") and quoted.endswith("NNZ'") and "…" in quoted  # both ends
    assert len(quoted) < 100
    assert "no source field for required column(s)" in line  # the problem is still said
    assert target.read_bytes() == before


def test_a_1_mb_field_name_is_listed_shortened(target: Path, tmp_path: Path) -> None:
    source = _geojson(tmp_path / "huge_field.geojson",
                      properties={"F" * LARGE: 1, "plot_code": "A1"})
    done = _import(source, target)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert len(line) < 500 and "source fields: FFF" in line and "plot_code" in line


def test_a_1_mb_value_is_reported_shortened(target: Path, tmp_path: Path) -> None:
    """A dry run lists the problems of the features: each names its feature shortened."""
    source = _geojson(tmp_path / "huge_value.geojson", properties={
        "plot_code": "P" * LARGE, "park_code": "NB01", "land_use": "L" * LARGE,
        "status": "vacant", "ready_built_factory": False})
    done = _import(source, target, "--dry-run")
    assert done.returncode == 1, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert len(lines) > 2 and "problem(s)" in done.stdout
    assert max(map(len, lines)) < 1000, max(map(len, lines))
    assert done.stderr == ""


def test_shorten_keeps_short_text_and_bounds_long_text() -> None:
    assert shorten("Gián Khẩu") == "Gián Khẩu" and quote("KCN 'A'") == repr("KCN 'A'")
    long = shorten("a" * 50 + "\n" + "b" * 50, 21)
    assert len(long) == 21 and long.startswith("aaaa") and long.endswith("bbb") and "…" in long
    assert "\n" not in shorten("a\nb") and len(quote("x" * HUGE)) < 100
    assert listing(["a", "b"]) == "a, b"
    assert listing(map(str, range(30)), count=2) == "0, 1, … (28 more)"
