"""The investor fact sheet of a shortlist from the shipped Bắc Ninh file, read back from the PDF."""

from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from sheet_fixtures import page_text, pdf_pages

from gis_app.errors import ExportError
from gis_app.export.investor import (
    investor_pdf,
    number_runs,
    render_investor_pages,
    write_investor_pdf,
)
from gis_app.export.style import sheet_style
from gis_app.search import DESTINATIONS, SearchQuery, search

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
#: A park code standing alone (as a name would), not inside a plot code like BN01-T190.
PARK_CODE_ALONE = re.compile(r"(?<![\w-])BN\d\d(?![\w-])")


@pytest.fixture(scope="module")
def shortlist(bac_ninh) -> pd.DataFrame:
    """Every site of an open search (25): far more than one page holds."""
    return search(bac_ninh.plan, SearchQuery(), bac_ninh.context["roads_rail"])


def _number(value: float, lang: str, decimals: int) -> str:
    """The way a reader of ``lang`` writes the number (written here independently)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") if lang == "vi" else text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_site_is_printed_with_its_facts(bac_ninh, shortlist, lang):
    pages = pdf_pages(investor_pdf(bac_ninh, shortlist, lang=lang))
    texts = [page_text(p) for p in pages]
    whole = " ".join(texts)
    assert len(shortlist) == 25 and len(pages) > 2  # the list flows onto further pages
    assert "more rows" not in whole and "dòng khác" not in whole
    site = "Địa điểm {i}: lô {plots}" if lang == "vi" else "Site {i}: plot {plots}"
    parks = bac_ninh.plan.parks.set_index("park_code")
    for i, row in enumerate(shortlist.itertuples(), 1):
        assert site.format(i=i, plots=row.plot_codes) in whole, i
        assert re.sub(r"\s+", " ", getattr(row, f"why_{lang}")) in whole, i
        name = parks.loc[row.park_code, "name_vi" if lang == "vi" else "name_en"]
        assert f"{row.plot_codes} {name}" in whole  # the park's name under the heading
        assert _number(row.headroom_m3_day, lang, 0) + (" m³/ngày" if lang == "vi"
                                                         else " m³/day") in whole
        for km in (row.road_km, row.rail_km,
                   *(getattr(row, f"dest_{d.key}_km") for d in DESTINATIONS)):
            assert f"{_number(km, lang, 1)} km" in whole, (i, km)
        developer = parks.loc[row.park_code, "developer"]
        if isinstance(developer, str) and developer:
            assert developer in whole
    # Park codes are never printed as names: only inside plot codes.
    assert not PARK_CODE_ALONE.findall(whole)
    labels = (["Đến quốc lộ", "Đến đường sắt", "XLNT còn dư", "Nhà xưởng xây sẵn",
               "Chủ đầu tư / liên hệ", "Loại đất"] if lang == "vi" else
              ["To national road", "To railway", "Wastewater headroom", "Ready-built factory",
               "Park developer / contact", "Land use"])
    for text in labels:
        assert text in whole
    assert texts[-1].count("Page" if lang == "en" else "Trang") == 1


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_text_overlaps_on_any_page(bac_ninh, shortlist, lang):
    figures = render_investor_pages(bac_ninh, shortlist, lang=lang)
    with sheet_style():
        for k, fig in enumerate(figures, 1):
            renderer = FigureCanvasAgg(fig).get_renderer()
            page = next(ax for ax in fig.axes if ax.get_label() == "page")
            boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in page.texts
                     if t.get_text().strip()]
            assert len(boxes) > 20
            for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
                overlap_w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
                overlap_h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
                assert overlap_w <= 0.5 or overlap_h <= 0.5, (k, a, b)
            # Nothing leaves the paper's printable area (12 mm margins at 100 dpi ~ 47 px).
            width = fig.bbox.width
            for text, box in boxes:
                assert box.x0 >= 0.04 * width and box.x1 <= 0.96 * width, (k, text)
    if lang == "en":
        ARTIFACTS.mkdir(exist_ok=True)
        with sheet_style():
            figures[0].savefig(ARTIFACTS / "investor_fact_sheet_en_p1.png", dpi=110)
            figures[1].savefig(ARTIFACTS / "investor_fact_sheet_en_p2.png", dpi=110)
        write_investor_pdf(figures, ARTIFACTS / "investor_fact_sheet_en.pdf", lang=lang)


def test_both_maps_are_drawn(bac_ninh, shortlist):
    first = render_investor_pages(bac_ninh, shortlist.head(3), lang="en")[0]
    labels = {ax.get_label() for ax in first.axes}
    assert {"locator", "site_map"} <= labels
    site_map = next(ax for ax in first.axes if ax.get_label() == "site_map")
    numbers = {n.strip() for t in site_map.texts for n in t.get_text().split(",")}
    assert {"1", "2", "3"} <= numbers  # each site's number is on the map
    locator = next(ax for ax in first.axes if ax.get_label() == "locator")
    parks = list(dict.fromkeys(shortlist.head(3)["park_code"]))
    letters = [chr(65 + n) for n in range(len(parks))]
    assert sorted(t.get_text() for t in locator.texts) == letters
    page = next(ax for ax in first.axes if ax.get_label() == "page")
    key = [t.get_text() for t in page.texts]
    names = bac_ninh.plan.parks.set_index("park_code")["name_en"]
    for letter, code in zip(letters, parks, strict=True):
        assert any(k.startswith(f"{letter}  {names[code]}: sites ") for k in key), key


def test_number_runs():
    assert number_runs([12, 13, 14, 15, 3, 1]) == "1, 3, 12–15"
    assert number_runs([4, 5]) == "4, 5"


def test_a_park_without_a_developer_says_so(bac_ninh, shortlist):
    row = shortlist.head(1)
    parks = bac_ninh.plan.parks.copy()
    parks.loc[parks["park_code"] == row["park_code"].iloc[0], "developer"] = None
    data = dataclasses.replace(bac_ninh, plan=bac_ninh.plan.replace(parks=parks))
    text = " ".join(page_text(p) for p in pdf_pages(investor_pdf(data, row, lang="en")))
    assert "Park developer / contact not in the data" in text


def test_a_shortlist_that_is_not_a_search_result_is_refused(bac_ninh):
    with pytest.raises(ExportError, match="plot_codes"):
        investor_pdf(bac_ninh, pd.DataFrame({"plot_code": ["BN01-T190"]}))
    with pytest.raises(ExportError, match="empty"):
        investor_pdf(bac_ninh, pd.DataFrame({"plot_codes": [], "park_code": []}))
