"""A park whose name is mathtext (``$\\frac{1}{$``) or markup is printed on the map sheet as
typed: matplotlib would otherwise typeset ``$...$`` or refuse to draw the sheet at all."""

from __future__ import annotations

from sheet_fixtures import page_text, pdf_pages

from gis_app.export import SheetLayout, render_park_sheet, sheet_bytes, sheet_data_from_plan
from gis_app.testing import tiny_plan
from gis_app.testing.hostile import IMG

MATH = r"$\frac{1}{$ KCN $x^2$"


def test_a_park_named_in_mathtext_prints_as_typed() -> None:
    plan = tiny_plan()
    plan = plan.replace(parks=plan.parks.assign(name_vi=MATH, name_en=IMG))
    data = sheet_data_from_plan(plan)
    vi = page_text(pdf_pages(sheet_bytes(render_park_sheet(data, "P1", SheetLayout())))[0])
    assert MATH in vi
    en = render_park_sheet(data, "P1", SheetLayout(lang="en"))
    assert IMG in page_text(pdf_pages(sheet_bytes(en))[0])
