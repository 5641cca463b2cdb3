"""The viewer's date field: months named in the reader's language, impossible days clamped
(Streamlit's own date picker names months and days only in English)."""

from __future__ import annotations

from datetime import date

from gis_app.viewer.date_field import clamped, month_names


def test_months_are_named_in_the_chosen_language():
    assert month_names("vi")[7] == "Tháng 7"
    assert month_names("en")[7] == "July"
    assert list(month_names("vi")) == list(range(1, 13))


def test_a_day_past_the_months_end_becomes_its_last_day():
    assert clamped(2023, 2, 31) == date(2023, 2, 28)
    assert clamped(2024, 2, 30) == date(2024, 2, 29)
    assert clamped(2018, 7, 31) == date(2018, 7, 31)
