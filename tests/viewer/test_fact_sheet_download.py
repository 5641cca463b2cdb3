"""The vacant-land page's fact-sheet download is the investor document, in the page's language."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from gis_app.search import SearchQuery
from gis_app.viewer import cache


def _text(blob: bytes) -> str:
    pages = PdfReader(io.BytesIO(blob)).pages
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", " ".join(
        p.extract_text() for p in pages)))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_download_prints_each_shortlisted_site(province_file, lang):
    path, key = str(province_file), f"test-{lang}"
    sites = cache.search(path, SearchQuery(), key).head(8)  # as the page hands them over
    ids = tuple(sites["site_id"].astype(str))
    text = _text(cache.fact_sheet_pdf(path, key, sites, ids, lang))
    site = "Địa điểm {i}: lô {plots}" if lang == "vi" else "Site {i}: plot {plots}"
    assert len(sites) > 1
    for i, row in enumerate(sites.itertuples(), 1):
        assert site.format(i=i, plots=row.plot_codes) in text
        assert re.sub(r"\s+", " ", getattr(row, f"why_{lang}")) in text
        assert getattr(row, f"park_name_{lang}") in text
