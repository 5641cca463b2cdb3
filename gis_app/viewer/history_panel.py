"""The plan history in the viewer: a version picker and the "changes" table with the decisions.

Pages call :func:`plan_picker` instead of :func:`gis_app.viewer.frame.load` to get the plan as
of the chosen version (the current baseline by default), with a cache key naming that date,
and :func:`changes_table` to list the changes of the province or of one park. A file without
a history shows the current plan and no picker.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from .. import history
from ..i18n import label
from ..layers.plan import Plan
from . import frame

#: Viewer strings of this panel (vi, en).
TEXT: dict[str, tuple[str, str]] = {
    "as_of": ("Kế hoạch tại thời điểm", "Plan as of"),
    "current": ("Hiện hành", "Current"),
    "other_date": ("Ngày khác…", "Another date…"),
    "pick_date": ("Chọn ngày", "Choose a date"),
    "showing_past": ("Đang xem kế hoạch tại ngày {day} (không phải hiện hành)",
                     "Showing the plan as of {day} (not the current plan)"),
    "changes": ("Các thay đổi quy hoạch và căn cứ", "Plan changes and their basis"),
    "no_history": ("Tệp này chưa có lịch sử quy hoạch", "This file has no plan history"),
    "show_leases": ("Gồm cả hợp đồng thuê đất", "Include leases"),
}

#: Columns of the changes table, in order.
CHANGE_TABLE_COLUMNS = ("change_id", "effective_date", "basis_type", "decision_no",
                        "authority", "description", "features_count")
_OTHER = "other"
_CURRENT = "current"


def text(key: str, lang: str, **values: object) -> str:
    vi, en = TEXT[key]
    out = vi if lang == "vi" else en
    return out.format(**values) if values else out


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


def versions(log: pd.DataFrame) -> list[tuple[str, str]]:
    """(value, label) of the picker: current, then each decision-based change and the start of
    the history (newest first); leases and other imports are left out of the list."""
    first = log["effective_date"] == log["effective_date"].min()
    decided = log.loc[(log["basis_type"] != "import") | first].sort_values(
        ["effective_date", "change_id"], ascending=False)
    out = [(_CURRENT, "")]
    for _, row in decided.iterrows():  # tens of decisions, not features
        day = row["effective_date"].strftime("%Y-%m-%d")
        basis = row["decision_no"] if pd.notna(row["decision_no"]) else row["source_file"]
        out.append((day, f"{day} · {basis}"))
    return list(dict.fromkeys(out))


def date_picker(s: frame.Session, *, key: str) -> date | None:
    """The version picker: None for the current plan, else the date chosen.

    Lists the current plan, then each decision (and the start of the history), newest
    first, and "another date"; a file without a history shows nothing and returns None.
    """
    path = str(s.path)
    if not has_history(path, s.key):
        return None
    options = versions(changes(path, None, s.key))
    labels = dict(options)
    labels[_CURRENT] = text("current", s.lang)
    labels[_OTHER] = text("other_date", s.lang)
    choice = st.selectbox(text("as_of", s.lang), [v for v, _ in options] + [_OTHER], key=key,
                          format_func=labels.__getitem__)
    if choice == _CURRENT:
        return None
    if choice == _OTHER:
        day = st.date_input(text("pick_date", s.lang), value=date(2018, 7, 31),
                            min_value=date(1990, 1, 1), key=f"{key}_date")
    else:
        day = pd.Timestamp(choice).date()
    st.info(text("showing_past", s.lang, day=day.isoformat()))
    return day


def plan_picker(s: frame.Session, *, key: str) -> tuple[Plan, str, date | None]:
    """The version picker; returns the plan shown, its cache key and its date (None: current)."""
    day = date_picker(s, key=key)
    if day is None:
        return frame.load(s), s.key, None
    return as_of(str(s.path), day, s.key), f"{s.key}@{day.isoformat()}", day


def changes_table(s: frame.Session, *, park_code: str | None = None, key: str) -> None:
    """The "changes" table: every change with its basis (leases optional)."""
    st.subheader(text("changes", s.lang))
    path = str(s.path)
    if not has_history(path, s.key):
        st.caption(text("no_history", s.lang))
        return
    log = changes(path, park_code, s.key)
    if not st.toggle(text("show_leases", s.lang), key=key):
        log = log.loc[log["basis_type"] != "import"]
    shown = log.assign(effective_date=log["effective_date"].dt.strftime("%Y-%m-%d"),
                       basis_type=[label(str(v), s.lang) for v in log["basis_type"]])
    st.dataframe(frame.localized(shown, s.lang, list(CHANGE_TABLE_COLUMNS)), hide_index=True,
                 width="stretch")

