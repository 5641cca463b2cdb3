"""`kcn-gis sample` is byte-reproducible, and the files shipped in layers/ are its output.

Regenerating the sample must leave a clean git tree: the same files, byte for byte, whenever
and however often they are built.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gis_app.cli import main

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sample_build")]


def _build(out: Path) -> dict[str, bytes]:
    """Every file `kcn-gis sample --output-dir out` writes (lock files aside), by name."""
    assert main(["sample", "--output-dir", str(out)]) == 0
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix != ".lock"}


def _first_difference(a: bytes, b: bytes) -> str:
    if len(a) != len(b):
        return f"sizes {len(a)} and {len(b)} bytes"
    offset = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
    return f"first differing byte at offset {offset}"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return _build(tmp_path_factory.mktemp("sample-first"))


def test_building_the_sample_twice_gives_identical_bytes(fresh, tmp_path):
    second = _build(tmp_path)
    assert {"bac_ninh.gpkg", "ninh_binh.gpkg"} <= set(fresh)
    assert set(second) == set(fresh)
    differ = {name: _first_difference(fresh[name], second[name])
              for name in fresh if fresh[name] != second[name]}
    assert not differ, f"two builds of the sample differ: {differ}"


def test_the_shipped_layers_are_a_fresh_build(fresh):
    tracked = subprocess.run(["git", "ls-files", "layers"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    assert tracked, "no tracked files in layers/ (not a git checkout?)"
    missing = [name for name in tracked if Path(name).name not in fresh]
    assert not missing, f"shipped but no longer generated: {missing}"
    stale = {name: _first_difference((ROOT / name).read_bytes(), fresh[Path(name).name])
             for name in tracked if (ROOT / name).read_bytes() != fresh[Path(name).name]}
    assert not stale, (f"the shipped files differ from a fresh `kcn-gis sample` ({stale}); "
                       "run `kcn-gis sample` and commit layers/")
