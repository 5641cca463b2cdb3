"""What a notebook user meets: ``gis_app.open`` by key, path or URL, every capability from the
top-level package, and writes that never bypass the plan history."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import gis_app
from gis_app.errors import LayerError
from gis_app.history import read_history
from gis_app.settings import PROVINCES
from gis_app.storage import read_plan
from gis_app.storage import write_plan as write_without_history

ROOT = Path(__file__).resolve().parents[1]


def test_open_takes_a_key_or_a_path_and_gives_the_validated_plan():
    by_key = gis_app.open("bac_ninh")
    by_path = gis_app.open(str(PROVINCES["bac_ninh"].default_path))
    assert by_key.plots["plot_code"].tolist() == by_path.plots["plot_code"].tolist()
    assert len(by_key.parks) == 22


def test_a_province_without_a_file_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LayerError, match="kcn-gis init son_la"):
        gis_app.open("son_la")


def test_every_capability_is_reachable_from_the_top_level_package():
    code = ("import gis_app; plan = gis_app.open('ninh_binh'); "
            "print(gis_app.analytics.province_indicators(plan)['parks_count'].sum(), "
            "len(gis_app.search.search(plan, gis_app.search.SearchQuery(min_area_ha=1))), "
            "callable(gis_app.scenarios.compare), callable(gis_app.history.as_of), "
            "callable(gis_app.export.render_park_sheet), callable(gis_app.write_plan))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True, timeout=300).stdout.split()
    assert int(out[0]) == len(gis_app.open("ninh_binh").parks)
    assert int(out[1]) > 0
    assert out[2:] == ["True"] * 4


def test_a_plain_storage_write_cannot_bypass_the_history(tmp_path):
    path = tmp_path / "nb.gpkg"
    path.write_bytes(PROVINCES["ninh_binh"].default_path.read_bytes())
    assert not read_history(path).changes.empty  # the shipped sample keeps a plan history
    plan = read_plan(path)
    before = path.read_bytes()
    edited = plan.replace(plots=plan.plots.assign(
        ready_built_factory=~plan.plots["ready_built_factory"].astype(bool)))
    with pytest.raises(LayerError, match="gis_app.write_plan"):
        write_without_history(path, edited)
    assert path.read_bytes() == before
    changes = len(read_history(path).changes)
    change = gis_app.write_plan(path, edited)
    assert change is not None
    assert len(read_history(path).changes) == changes + 1
