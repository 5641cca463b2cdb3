"""Atlases: cover, index and one sheet per park, drawn in one process or on every core."""

from __future__ import annotations

import io

import pytest
from sheet_fixtures import page_text, pdf_pages

from gis_app.cli import main
from gis_app.errors import ExportError
from gis_app.export import SheetLayout
from gis_app.export.atlas import AtlasPage, atlas_bytes, park_pages, write_atlas, zone_pages

NAMES = {"P1": "KCN Quế Võ", "P1b": "KCN Yên Phong", "P1c": "KCN Đại Đồng – Hoàn Sơn"}


@pytest.mark.parametrize("workers", [1, 2])
def test_atlas_has_cover_index_and_one_sheet_per_park(three_parks, workers):
    blob = atlas_bytes(three_parks, workers=workers, start_method="fork" if workers > 1 else None)
    pages = pdf_pages(blob)
    assert len(pages) == 3 + 2
    texts = [page_text(p) for p in pages]
    assert "TẬP BẢN ĐỒ CÁC KHU CÔNG NGHIỆP" in texts[0] and "3 tờ bản đồ" in texts[0]
    assert "MỤC LỤC VÀ SƠ ĐỒ VỊ TRÍ" in texts[1]
    for number, (code, name) in enumerate(NAMES.items(), start=1):
        # The index row: number, code, name, status, occupancy, page.
        assert f"{number} {code} {name} Đang hoạt động 75,00% {number + 2}" in texts[1]
        assert f"{name} ({code})" in texts[number + 1]
        assert f"Trang {number + 2}/5" in texts[number + 1]
    for page in pages:
        assert float(page.mediabox.width) == pytest.approx(420 * 72 / 25.4, abs=0.01)


def test_parallel_and_serial_atlases_have_the_same_text(three_parks):
    serial = [page_text(p) for p in pdf_pages(atlas_bytes(three_parks, workers=1))]
    parallel = [page_text(p) for p in pdf_pages(atlas_bytes(three_parks, workers=2,
                                                             start_method="fork"))]
    assert serial == parallel


def test_a_stated_scale_applies_to_the_sheets_and_the_index_is_fitted(three_parks):
    # The parks are 200 m x 100 m and 3 km apart: 1:1 000 suits each, not the index map.
    texts = [page_text(p) for p in pdf_pages(atlas_bytes(
        three_parks, workers=1, layout=SheetLayout(scale=1_000)))]
    assert "Tỷ lệ 1:1 000" not in texts[1] and "Tỷ lệ 1:25 000" in texts[1]
    assert all("Tỷ lệ 1:1 000" in text for text in texts[2:])


@pytest.mark.parametrize("workers", [1, 2])
def test_a_stated_scale_too_large_for_a_park_names_its_page(three_parks, workers):
    # An A4 frame at 1:1 000 shows 175 m of ground; each park is 200 m wide.
    with pytest.raises(ExportError, match=r"atlas page for park P1: at 1:1,000 the A4 map "
                                          r"frame shows .* choose 1:2,000"):
        atlas_bytes(three_parks, workers=workers, start_method="fork" if workers > 1 else None,
                    layout=SheetLayout(paper="A4", scale=1_000))


def test_atlas_of_selected_parks_in_the_given_order(three_parks, tmp_path):
    target = tmp_path / "atlas.pdf"
    pages = park_pages(three_parks, ["P1c", "P1"])
    assert write_atlas(three_parks, target, pages=pages, workers=1) == 4
    texts = [page_text(p) for p in pdf_pages(target.read_bytes())]
    assert "(P1c)" in texts[2] and "(P1)" in texts[3]


def test_zone_and_plot_pages(three_parks):
    zones = zone_pages(three_parks, "P1")
    assert [p.zone_id for p in zones] == ["Z1", "Z2"]
    pages = [*zones, AtlasPage("P1", plots=("A3",), title="Lô A3 còn trống")]
    texts = [page_text(p) for p in pdf_pages(atlas_bytes(three_parks, pages=pages, workers=1))]
    assert len(texts) == 5
    assert "KCN Quế Võ – Z1" in texts[1] and "KCN Quế Võ – Z2" in texts[1]
    assert "LÔ A3 CÒN TRỐNG" in texts[4] and "Lô được chọn" in texts[4]


def test_english_atlas(three_parks):
    blob = atlas_bytes(three_parks, layout=SheetLayout(lang="en"), workers=1)
    texts = [page_text(p) for p in pdf_pages(blob)]
    assert "ATLAS OF INDUSTRIAL PARKS" in texts[0] and "3 industrial-park sheets" in texts[0]
    assert "Que Vo (KCN Quế Võ) (P1)" in texts[2]


def test_empty_or_unknown_selection_is_refused(three_parks):
    with pytest.raises(ExportError, match="at least one sheet"):
        write_atlas(three_parks, io.BytesIO(), pages=[])
    with pytest.raises(ExportError, match="no park 'P7'"):
        park_pages(three_parks, ["P1", "P7"])


@pytest.mark.slow
def test_bac_ninh_sample_atlas_from_the_cli(bac_ninh, tmp_path, capsys):
    target = tmp_path / "bac_ninh_atlas.pdf"
    assert main(["export", "atlas", "bac_ninh", "-o", str(target)]) == 0
    parks = bac_ninh.plan.parks
    pages = pdf_pages(target.read_bytes())
    assert len(pages) == len(parks) + 2
    assert f"{len(pages)} pages" in capsys.readouterr().out
    texts = [page_text(p) for p in pages]
    assert "Bắc Ninh" in texts[0] and "Dữ liệu minh họa" in texts[0]
    for text, (code, name) in zip(texts[2:], sorted(zip(parks["park_code"], parks["name_vi"],
                                                        strict=True)), strict=True):
        assert f"{name} ({code})" in text
        assert "VN-2000, kinh tuyến trục 105°30′, múi 3°" in text
