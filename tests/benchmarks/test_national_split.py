"""One split of the national data into 34 province files for every national case: the
national summary's cases and the national overview map read the same files, each naming its
province (in ``dataset_info`` and as its parks' province), with its 2025 boundary."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import cases  # noqa: E402
import datasets  # noqa: E402
import national_split  # noqa: E402

from gis_app.storage.gpkg import read_dataset_info, read_plan, write_layers  # noqa: E402
from gis_app.testing import tiny_plan  # noqa: E402


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny plan as a benchmark file, with the cache in ``tmp_path``."""
    monkeypatch.setattr(datasets, "CACHE", tmp_path / "cache")
    path = tmp_path / "tiny.gpkg"
    write_layers(path, {**tiny_plan().layers(), "dataset_info": pd.DataFrame(
        [("province", "bac_ninh"), ("crs", "EPSG:9209")], columns=["key", "value"])},
                 fresh=True)
    return path


def test_the_summary_cases_and_the_overview_read_one_split(source: Path) -> None:
    files = cases.province_files(source)
    assert files == national_split.split_files(source)  # the same files, written once
    assert len(files) == 34
    parts = national_split.overview_setup(source)  # the overview map's setup
    assert [p.source for p in parts] == [str(f) for f in files]
    with_parks = 0
    for file in files:
        info, plan = read_dataset_info(file), read_plan(file)
        # Each file is its province's: the national table gets a row per file.
        assert set(plan.parks["province"]) <= {info["province_name_vi"]}, file
        with_parks += not plan.parks.empty
    assert with_parks == 1  # the tiny plan's one park, in one file
    assert all(len(p.boundary) == 1 for p in parts)  # each province's 2025 boundary
    assert cases._national_summary(files) == {"files": 34, "rows": 35}  # + the totals
