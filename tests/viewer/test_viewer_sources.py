"""KCN_GIS_FILES lists files and PostGIS URLs; URLs keep their own colons (no server needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gis_app.viewer import frame

URL = "postgresql://ana:secret@db.example:5433/kcn?province=bac_ninh"
SOCKET = "postgresql:///kcn?host=%2Fvar%2Frun&province=ninh_binh"


@pytest.mark.parametrize("sep", [":", "\n"])
def test_files_and_urls_split_whole(sep):
    value = sep.join(["layers/a.gpkg", URL, "/data/b.gpkg", SOCKET, "postgres://h/kcn?x=1"])
    assert frame.split_sources(value, ":") == [
        Path("layers/a.gpkg"), URL, Path("/data/b.gpkg"), SOCKET, "postgres://h/kcn?x=1"]


def test_urls_stay_strings_and_files_become_paths(monkeypatch):
    monkeypatch.setenv("KCN_GIS_FILES", f"{URL}:/data/b.gpkg")
    files = frame.available_files()
    assert files == [URL, Path("/data/b.gpkg")]
    assert isinstance(files[0], str)  # Path would fold the URL's '//'


def test_labels_name_the_province_of_a_url():
    assert frame.file_label(URL, "vi") == "Bắc Ninh (PostGIS)"
    assert frame.file_label(SOCKET, "en") == "Ninh Binh (PostGIS)"
    assert frame.file_label(Path("/data/b.gpkg"), "vi") == "b.gpkg"
