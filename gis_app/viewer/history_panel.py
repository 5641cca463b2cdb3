"""The plan history in the viewer: a version picker and the "changes" table with the decisions.

Pages call :func:`plan_picker` instead of :func:`gis_app.viewer.frame.load` to get the plan as
of the chosen version (the current baseline by default), with a cache key naming that date,
and :func:`changes_table` to list the changes of the province or of one park. A file without
a history shows the current plan and no picker.
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

import pandas as pd
import streamlit as st

from .. import history
from ..formatting import date as date_text
from ..i18n import t
from ..model.plan import Plan
from . import frame, keep
from .date_field import date_field

#: Columns of the changes table, in order.
CHANGE_TABLE_COLUMNS = ("change_id", "effective_date", "basis_type", "decision_no",
                        "authority", "description", "features_count")
_OTHER = "other"
_CURRENT = "current"


@st.cache_data(show_spinner=False, max_entries=8)
def has_history(path: str, key: str) -> bool:
    return history.has_history(path)


@st.cache_resource(show_spinner=False, max_entries=8)
def read_history(path: str, key: str) -> history.History:
    return history.read_history(path)


@st.cache_resource(show_spinner=False, max_entries=32)
def as_of(path: str, day: date, key: str) -> Plan:
    return history.as_of(read_history(path, key), day)


@st.cache_data(show_spinner=False, max_entries=16)
def changes(path: str, park_code: str | None, key: str) -> pd.DataFrame:
    return history.changes(read_history(path, key), park_code=park_code)


#: What the record holds as the number of a decision whose number was not found
#: (:class:`gis_app.history.model.Basis` requires a document reference then).
NUMBER_NOT_FOUND = "number not found"


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value) and str(value).strip() != ""


def version_label(row: pd.Series, lang: str) -> str:
    """One change in the picker: its date, decision number (or the imported file) and the
    issuing authority: ``15/10/2004 · 600/QĐ-TTg · Thủ tướng Chính phủ`` (dated as the
    decisions themselves are, :func:`gis_app.formatting.date`)."""
    parts = [date_text(row["effective_date"], lang)]
    number = row["decision_no"]
    if _present(number) and str(number).strip() == NUMBER_NOT_FOUND:
        parts.append(f"({t('history.number_unknown', lang)})")
    elif _present(number):
        parts.append(str(number))
    elif _present(row["source_file"]):
        parts.append(PurePath(str(row["source_file"])).name)
    if _present(row["authority"]):
        parts.append(str(row["authority"]))
    return " · ".join(parts)


def versions(log: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """(value, label) of the picker's changes, newest first: every change with a decision
    basis, and the first change (the start of the history) even if it was an import; other
    imports (leases) are left out. One entry per change, its value the change id, so two
    decisions of the same day are two entries."""
    ordered = log.sort_values(["effective_date", "change_id"])
    first = ordered["change_id"] == ordered["change_id"].min() if len(ordered) else False
    decided = ordered.loc[(ordered["basis_type"] != "import") | first]
    out: list[tuple[str, str]] = []
    for _, row in decided.iloc[::-1].iterrows():  # tens of decisions, not features
        shown = version_label(row, lang)
        if any(shown == other for _, other in out):  # a label picks its entry: keep them apart
            shown = f"{shown} ({row['change_id']})"
        out.append((str(row["change_id"]), shown))
    return out


def date_picker(s: frame.Session, *, key: str) -> date | None:
    """The version picker: None for the current plan, else the date chosen.

    Lists the current plan, then each decision (and the start of the history), newest
    first, and "another date"; a file without a history shows nothing and returns None.
    A change shows the plan as of its effective date (with every change of that day).
    """
    path = str(s.path)
    if not has_history(path, s.key):
        return None
    log = changes(path, None, s.key)
    options = versions(log, s.lang)
    labels = dict(options)
    labels[_CURRENT] = t("history.current", s.lang)
    labels[_OTHER] = t("history.other_date", s.lang)
    values = [_CURRENT, *(v for v, _ in options), _OTHER]
    choice = st.selectbox(t("history.as_of", s.lang), values, format_func=labels.__getitem__,
                          **keep.widget(key, _CURRENT, values))
    if choice == _CURRENT:
        return None
    if choice == _OTHER:
        default_day = date(2018, 7, 31)
        # Day, month and year boxes: Streamlit's calendar names months only in English.
        day = date_field(t("history.pick_date", s.lang), default_day, f"{key}_date", s.lang,
                         kept=True)
    else:
        day = log.loc[log["change_id"] == choice, "effective_date"].iloc[0].date()
    st.info(t("history.showing_past", s.lang, day=date_text(day, s.lang)))
    return day


def plan_picker(s: frame.Session, *, key: str) -> tuple[Plan, str, date | None]:
    """The version picker; returns the plan shown, its cache key and its date (None: current)."""
    day = date_picker(s, key=key)
    if day is None:
        return frame.load(s), s.key, None
    return as_of(str(s.path), day, s.key), f"{s.key}@{day.isoformat()}", day


def in_language(description: object, lang: str) -> object:
    """The reader's half of a description the program wrote in both languages
    ("Hiện trạng ban đầu / initial baseline"); other descriptions are shown as written."""
    if not isinstance(description, str) or description.count(" / ") != 1:
        return description
    vi, en = description.split(" / ")
    return vi if lang == "vi" else en[:1].upper() + en[1:]


def changes_table(s: frame.Session, *, park_code: str | None = None, key: str) -> None:
    """The "changes" table: every change with its basis (leases optional)."""
    st.subheader(t("history.changes", s.lang))
    path = str(s.path)
    if not has_history(path, s.key):
        st.caption(t("history.no_history", s.lang))
        return
    log = changes(path, park_code, s.key)
    if not st.toggle(t("history.show_leases", s.lang), key=key):
        log = log.loc[log["basis_type"] != "import"]
    unknown = f"({t('history.number_unknown', s.lang)})"
    shown = log.assign(decision_no=log["decision_no"].replace(NUMBER_NOT_FOUND, unknown),
                       description=[in_language(d, s.lang) for d in log["description"]])
    frame.show_table(shown, s.lang, list(CHANGE_TABLE_COLUMNS))

