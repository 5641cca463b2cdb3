"""Atomic, locked writes: a failed, killed or concurrent write never damages a province file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import gis_app
from gis_app.errors import LayerError
from gis_app.storage import list_layers, read_layer, read_plan, validate_file
from gis_app.storage.gpkg import write_layers

#: The package under test, so that child processes import this copy of gis_app.
ROOT = Path(gis_app.__file__).resolve().parent.parent

#: A child process that builds a layer of N 5 m squares, then writes it with write_layers.
WRITER = """
import sys
import geopandas as gpd, numpy as np, shapely
from gis_app.storage.gpkg import write_layers

path, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
i = np.arange(n)
x, y = 550_000.0 + (i % 1000) * 10.0, 2_335_000.0 + (i // 1000) * 10.0
frame = gpd.GeoDataFrame({"k": i}, geometry=shapely.box(x, y, x + 5, y + 5), crs="EPSG:9209")
write_layers(path, {name: frame})
print("done", flush=True)
"""


def start_writer(path: Path, name: str, n: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), name, str(n)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_failing_third_layer_leaves_file_byte_identical(province_file, plan, sha256, temp_files):
    before = sha256(province_file)
    # complex numbers have no GeoPackage field type: the third layer cannot be written.
    tenants = plan.tenants.assign(employees=np.array([1 + 2j, 3 + 0j]))
    zones = plan.zones.assign(land_use="green")
    layers = {"parks": plan.parks.assign(name_en="Renamed"), "zones": zones, "tenants": tenants}

    with pytest.raises(LayerError, match=r"layer 'tenants': write failed .*left unchanged"):
        write_layers(province_file, layers)

    assert sha256(province_file) == before
    assert temp_files(province_file.parent) == []
    assert read_plan(province_file).zones["land_use"].tolist() == [
        "industrial",
        "warehouse_logistics",
    ]


def test_killed_writer_leaves_file_byte_identical_and_readable(province_file, sha256, temp_files):
    before = sha256(province_file)
    size = province_file.stat().st_size
    child = start_writer(province_file, "big", 300_000)
    deadline = time.monotonic() + 60
    # Wait until the temporary copy exists and has grown past the original: the child is
    # now writing the big layer into it.
    while time.monotonic() < deadline and child.poll() is None:
        tmp = temp_files(province_file.parent)
        if any(t.name.endswith(".tmp.gpkg") and t.stat().st_size > size for t in tmp if t.exists()):
            break
        time.sleep(0.001)
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=60)

    assert child.returncode == -signal.SIGKILL, (out, err)
    assert "done" not in out
    assert temp_files(province_file.parent), "the child was not killed mid-write"
    assert sha256(province_file) == before
    assert validate_file(province_file).ok
    assert "big" not in list_layers(province_file)

    # The next writer is not blocked by the dead one and clears its leftovers.
    write_layers(province_file, {"parks": read_plan(province_file).parks})
    assert temp_files(province_file.parent) == []
    assert read_plan(province_file).parks["park_code"].tolist() == ["P1"]


def test_concurrent_writers_are_serialised(province_file):
    children = [start_writer(province_file, name, 50_000) for name in ("extra_a", "extra_b")]
    results = [child.communicate(timeout=120) for child in children]

    assert [c.returncode for c in children] == [0, 0], results
    layers = list_layers(province_file)
    # Each writer copied the file as the other left it: neither layer was lost.
    assert {"extra_a", "extra_b", "parks", "plots"} <= set(layers)
    assert len(read_layer(province_file, "extra_a")) == 50_000
    assert len(read_layer(province_file, "extra_b")) == 50_000
    assert validate_file(province_file).ok
