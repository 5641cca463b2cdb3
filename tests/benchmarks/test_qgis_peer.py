"""The QGIS peer of the atlas benchmark: it runs QGIS's atlas on our GeoPackage, and reads
"n/a" (never a failure, never a made-up figure) where QGIS is absent.

QGIS is Debian's ``python3-qgis``, built for ``/usr/bin/python3``; ``.ci/run`` installs it, so
in CI the real-QGIS test fails rather than skips when it is missing (as tests/layers/
test_qgis_styles.py does).
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import run  # noqa: E402
from cases import BY_NAME, qgis_missing  # noqa: E402

from gis_app.settings import PROVINCES  # noqa: E402

PEER = BY_NAME["atlas, QGIS peer"]
ATLAS = BY_NAME["atlas, 30 parks"]


def test_the_atlas_is_judged_against_the_qgis_peer():
    assert ATLAS.floor == PEER.name and ATLAS.target_ratio == 1.0
    assert ATLAS.target_sheet_s == 0.3


def test_without_qgis_the_peer_and_the_ratio_read_n_a():
    absent = replace(PEER, probe=lambda: "QGIS (python3-qgis) not installed")
    result = run.measure(absent, ROOT / "layers" / "ninh_binh.gpkg", 1, dict(os.environ))
    assert result == {"error": "n/a: QGIS (python3-qgis) not installed"}
    # Our atlas's row then names the missing floor instead of a ratio.
    rows = run.rows_for("ninh_binh", {PEER.name: result,
                                      ATLAS.name: {"times": [2.0], "peak_mb": 300.0,
                                                   "extra": {"s_per_sheet": 0.2}}})
    atlas = next(r for r in rows if r["case"] == ATLAS.name)
    assert atlas["floor"].endswith("n/a: QGIS (python3-qgis) not installed")
    assert "ratio" not in atlas and atlas["met"] == "(yes)"


def test_a_slow_sheet_misses_the_target():
    rows = run.rows_for("national", {ATLAS.name: {"times": [9.0], "peak_mb": 300.0,
                                                  "extra": {"s_per_sheet": 0.31}}})
    assert rows[0]["met"] == "NO"


def test_qgis_draws_the_atlas_of_our_parks():
    reason = qgis_missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the QGIS peer cannot run in CI: {reason}", pytrace=False)
        pytest.skip(f"the QGIS peer needs Debian's python3-qgis: {reason}")
    path = PROVINCES["ninh_binh"].default_path
    out = PEER.run(PEER.setup(path))
    import pyogrio

    parks = len(pyogrio.read_dataframe(path, layer="parks", read_geometry=False))
    assert out["pages"] == min(parks, 30)
    assert 0 < out["_seconds"] < out["process_s"]
    assert out["pdf_mb"] > 0.05  # maps were drawn, not blank pages
