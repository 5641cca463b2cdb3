"""The one format helper of the viewer's tables: separators of the chosen language (Babel),
percentages, dates and an en dash for empty cells, whatever the browser's locale."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gis_app.formatting import EMPTY, date, display_table, number, percent, plain_number


def test_numbers_use_the_separators_of_the_chosen_language() -> None:
    assert number(1234.5, "vi") == "1.234,5"
    assert number(1234.5, "en") == "1,234.5"
    assert number(2835.019999999983, "vi", 2) == "2.835,02"  # no raw float
    assert number(1_000_000, "en", 0) == "1,000,000"


def test_percent_and_dates() -> None:
    assert percent(0.143, "vi") == "14,3%"
    assert percent(0.143, "en") == "14.3%"
    assert date("2024-03-05", "vi") == "05/03/2024"
    assert date(pd.Timestamp("2024-03-05 10:00"), "en") == "05/03/2024"
    assert date(dt.date(2024, 12, 31), "vi") == "31/12/2024"


@pytest.mark.parametrize("empty", [None, np.nan, pd.NA, pd.NaT, float("inf")])
def test_empty_cells_show_a_dash(empty: object) -> None:
    assert number(empty, "vi") == EMPTY and percent(empty, "en") == EMPTY


def test_display_table_translates_and_formats_every_cell() -> None:
    table = pd.DataFrame({"planned_ha": [2835.019999999983, np.nan],
                          "occupancy_share": [0.75, None], "status": ["operating", None],
                          "projects_valid_count": [3, 12000],
                          "lease_start": ["2024-03-05", None], "year": [2010, 2011],
                          "plant_operating": [True, False]})
    vi = display_table(table, "vi")
    assert list(vi.columns) == ["Diện tích quy hoạch (ha)", "Tỷ lệ lấp đầy", "Tình trạng",
                                "Số dự án còn hiệu lực", "Ngày bắt đầu thuê", "Năm",
                                "Có trạm XLNT tập trung hoạt động"]
    assert vi.iloc[0].tolist() == ["2.835,02", "75,0%", "Đang hoạt động", "3", "05/03/2024",
                                   "2010", "Có"]
    assert vi.iloc[1].tolist() == ["–", "–", "–", "12.000", "–", "2011", "Không"]
    en = display_table(table, "en")
    assert en.iloc[0].tolist()[:3] == ["2,835.02", "75.0%", "Operating"]
    text = vi.to_string() + en.to_string()
    for raw in ("None", "nan", "NaN", "<NA>", "2835.0199"):
        assert raw not in text


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 3),
       st.sampled_from(["vi", "en"]))
def test_the_fast_formatter_writes_what_babel_writes(value, decimals, lang):
    # Rounding a decimal half is where a binary float and Babel's decimal arithmetic may part
    # ways, so the values compared are already rounded to the digits shown (+ 0.0: no -0).
    shown = round(value, decimals) + 0.0
    assert plain_number(shown, decimals, lang) == number(shown, lang, decimals)
