"""The viewer's Map sheets page: options, a real PDF/PNG behind the download button."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from viewer_helpers import open_page


@pytest.fixture
def served(monkeypatch):  # noqa: ANN001, ANN201
    """Files the app hands to Streamlit's media storage (a spy: the real storage still runs)."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):  # noqa: ANN001, ANN202
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if filename:
            files[filename] = bytes(path_or_data)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return files


def _pdf_text(blob: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(blob)).pages]


def test_page_makes_a_park_sheet_pdf(app, served):
    open_page(app, "map_sheets")
    assert app.title[0].value == "Bản đồ in cho hồ sơ quy hoạch"
    park = app.selectbox(key="ms_park").value
    app.selectbox(key="ms_scale").set_value(5_000)
    app.button(key="ms_make").click().run()
    assert not app.exception, app.exception
    assert "tỷ lệ 1:5 000" in app.success[0].value
    name = app.success[0].value.split(" ")[2].rstrip(":")
    assert name.endswith(f"_{park}_A3.pdf")
    (text,) = _pdf_text(served[name])
    assert "Tỷ lệ 1:5 000" in text and "VN-2000, kinh tuyến trục 105°30′, múi 3°" in text
    assert f"({park})" in text


def test_page_in_english_makes_a_png_and_an_atlas(app, served):
    app.sidebar.radio(key="lang").set_value("en").run()
    open_page(app, "map_sheets")
    assert app.title[0].value == "Map sheets for planning dossiers"
    app.radio(key="ms_format").set_value("png").run()
    app.button(key="ms_make").click().run()
    assert not app.exception, app.exception
    assert app.success[0].value.startswith("Made ")
    (png,) = [blob for name, blob in served.items() if name.endswith(".png")]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    app.radio(key="ms_what").set_value("atlas").run()
    app.button(key="ms_make_atlas").click().run()
    assert not app.exception, app.exception
    (atlas,) = [blob for name, blob in served.items() if "_atlas_" in name]
    texts = _pdf_text(atlas)
    assert len(texts) == int(re.search(r"(\d+) pages", app.success[0].value).group(1))
    assert "ATLAS OF INDUSTRIAL PARKS" in texts[0]


def test_a_scale_at_which_the_park_does_not_fit_is_an_error_on_the_page(app, served):
    open_page(app, "map_sheets")
    app.selectbox(key="ms_scale").set_value(1_000)
    app.button(key="ms_make").click().run()
    assert not app.exception, app.exception
    assert not app.success and not served
    (error,) = app.error
    assert "at 1:1,000 the A3 map frame shows" in error.value
