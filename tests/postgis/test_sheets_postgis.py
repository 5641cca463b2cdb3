"""Map sheets drawn from PostGIS: the same data, the same sheet text as from the GeoPackage."""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import date

import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal
from pypdf import PdfReader

from gis_app.cli import main
from gis_app.export import SheetLayout, load_sheet_data, render_park_sheet, sheet_bytes
from gis_app.settings import PROVINCES
from gis_app.storage import source
from gis_app.storage.transfer import copy_province

FILE = PROVINCES["bac_ninh"].default_path


def _texts(blob: bytes) -> list[str]:
    """Each page's text, NFC-normalised, runs of whitespace as one space."""
    return [re.sub(r"\s+", " ", unicodedata.normalize("NFC", page.extract_text()))
            for page in PdfReader(io.BytesIO(blob)).pages]


@pytest.fixture(scope="module")
def bac_ninh_url(pg_cluster) -> Iterator[str]:
    """The shipped Bắc Ninh file pushed into a database of its own (read-only in this module)."""
    name = f"kcn_{uuid.uuid4().hex[:10]}"
    with pg_cluster.connect() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE kcn_template")
    url = pg_cluster.url(name, province="bac_ninh")
    copy_province(FILE, url)
    yield url
    with pg_cluster.connect() as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_dataset_info_travels_to_postgis(bac_ninh_url):
    info = source.read_dataset_info(bac_ninh_url)
    assert info == source.read_dataset_info(FILE)
    assert info["province"] == "bac_ninh" and info["illustrative"] == "true"


def test_sheet_data_is_the_same_from_both_backends(bac_ninh_url):
    from_file, from_db = load_sheet_data(FILE), load_sheet_data(bac_ninh_url)
    assert from_db.province == from_file.province == PROVINCES["bac_ninh"]
    for name, frame in from_file.plan.layers().items():
        other = from_db.plan.layers()[name]
        if isinstance(frame, gpd.GeoDataFrame):
            assert_geodataframe_equal(other, frame, check_crs=True, check_dtype=True)
        else:
            assert_frame_equal(other, frame, check_dtype=True)
    assert sorted(from_db.context) == sorted(from_file.context) == [
        "communes", "province_boundary", "rivers", "roads_rail"]
    for name, frame in from_file.context.items():
        assert_geodataframe_equal(from_db.context[name], frame, check_crs=True)
    assert from_file.illustrative and from_db.illustrative  # by dataset_info, not by location
    assert from_file.source == "bac_ninh.gpkg"
    # The database and schema, never the host, user or socket directory.
    assert re.fullmatch(r"PostGIS kcn_[0-9a-f]{10}/bac_ninh", from_db.source), from_db.source


def test_sheet_text_is_the_same_from_both_backends(bac_ninh_url):
    layout = SheetLayout(paper="A3", orientation="landscape", lang="vi", corner_table=True)
    texts = {}
    for kind, src in (("gpkg", FILE), ("postgis", bac_ninh_url)):
        data = load_sheet_data(src)
        sheet = render_park_sheet(data, "BN06", layout, when=date(2026, 11, 24))
        (texts[kind],) = _texts(sheet_bytes(sheet))
        texts[kind] = texts[kind].replace(data.source, "<SOURCE>")
    assert texts["postgis"] == texts["gpkg"]
    assert "KCN Quế Võ (BN06)" in texts["gpkg"] and "24/11/2026" in texts["gpkg"]
    assert "<SOURCE>" in texts["gpkg"]  # the source line was there to replace


def test_cli_exports_a_sheet_and_an_atlas_from_a_url(bac_ninh_url, tmp_path, capsys):
    sheet, atlas = tmp_path / "bn06.pdf", tmp_path / "atlas.pdf"
    assert main(["export", "sheet", bac_ninh_url, "--park", "BN06", "-o", str(sheet)]) == 0
    assert main(["export", "atlas", bac_ninh_url, "--parks", "BN06,BG01", "--workers", "1",
                 "-o", str(atlas)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {atlas} (4 pages: cover, index and 2 sheets)" in out
    (text,) = _texts(sheet.read_bytes())
    assert "KCN Quế Võ (BN06)" in text and "PostGIS kcn_" in text
    pages = _texts(atlas.read_bytes())
    assert len(pages) == 4
    assert "KCN Quế Võ (BN06)" in pages[2] and "KCN Quang Châu (BG01)" in pages[3]


def test_cli_refuses_a_url_without_a_province(pg_cluster, pg_db, tmp_path, capsys):
    url = pg_cluster.url(pg_db)
    assert main(["export", "sheet", url, "--park", "BN06", "-o", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "names no province" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()
