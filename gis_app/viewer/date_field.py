"""A date chosen as day, month and year: words in the reader's language, unlike Streamlit's
date picker.

``st.date_input`` opens a calendar whose month and day names are always English ("December",
"Mo Tu We") and takes no locale. The viewer picks dates (a version's "another date", a
scenario edit's dates) with three select boxes instead: the month by its name in the chosen
language (Babel's CLDR names, as :mod:`gis_app.formatting` writes numbers and dates), the day
and year as numbers. A day past the month's end (31 February) becomes the month's last day.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st
from babel.dates import get_month_names

from ..i18n import t
from . import keep
from .escape import md_text

#: Years offered (a province's decisions start in the 1990s; leases run to the 2070s).
FIRST_YEAR = 1990
LAST_YEAR = 2080


def month_names(lang: str) -> dict[int, str]:
    """``1 -> "Tháng 1"`` / ``1 -> "January"``: the months as a date's reader names them."""
    return {n: name[:1].upper() + name[1:]
            for n, name in get_month_names("wide", locale=lang).items()}


def clamped(year: int, month: int, day: int) -> date:
    """The date, with a day past the month's end moved back to its last day."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def date_field(label: str, value: date | None, key: str, lang: str, *,
               kept: bool = False) -> date:
    """Three select boxes (day, month, year) under ``label``; returns the date chosen.

    ``value`` is the first choice (None: today). ``kept``: the choice survives page changes
    and language switches (:mod:`gis_app.viewer.keep`); else it lives under ``key`` as any
    widget's state does.
    """
    start = value or date.today()
    years = list(range(min(FIRST_YEAR, start.year), max(LAST_YEAR, start.year) + 1))
    parts: dict[str, tuple[list[int], int, Callable[[Any], str]]] = {
        "day": (list(range(1, 32)), start.day, str),
        "month": (list(range(1, 13)), start.month, month_names(lang).__getitem__),
        "year": (years, start.year, str)}
    st.caption(md_text(label))
    chosen: dict[str, int] = {}
    for column, (part, (options, default, shown)) in zip(st.columns([1, 2, 1.3]), parts.items(),
                                                         strict=True):
        widget_key = f"{key}_{part}"
        args: dict[str, Any]
        if kept:
            args = keep.widget(widget_key, default, options)
        else:
            args = {"key": widget_key}
            if widget_key not in st.session_state:
                st.session_state[widget_key] = default
        picked = column.selectbox(t(f"date_field.{part}", lang), options, format_func=shown,
                                  **args)
        chosen[part] = default if picked is None else int(picked)
    return clamped(chosen["year"], chosen["month"], chosen["day"])
