"""Numbers, percentages and dates as a report in the reader's language writes them.

One place for every table the viewer shows (and the sentences that describe scenario edits):
Vietnamese writes ``1.234,5`` and ``12,5%`` and dates ``05/03/2024``; English writes
``1,234.5``, ``12.5%`` and ``05/03/2024`` too (the boards' documents use day first). The
separators come from Babel's CLDR data for the chosen language, never from the browser's
locale, so an officer whose browser is set to English still reads a Vietnamese report.

Display copies are text; downloads keep the numbers (see :func:`display_table`).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Iterable

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from .errors import UsageError
from .i18n import LANGS, label

#: What an empty cell shows (an en dash: not "None", "NaN" or "<NA>").
EMPTY = "–"
#: Columns holding codes to translate with :func:`gis_app.i18n.label`.
CODE_COLUMNS = ("status", "park_status", "land_use", "project_status", "kind", "rule",
                "area_basis", "basis_type", "action", "sector", "project_type",
                "action_kind", "verdict")


def _check(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"language must be one of {LANGS}, not {lang!r}")
    return lang


def is_empty(value: object) -> bool:
    """None, NaN, NaT and pandas' NA: a cell with nothing to say."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # arrays and other non-scalars are not empty cells
        return False


def _decimal(value: object, lang: str, decimals: int, digit: str) -> str:
    """``value`` by Babel with ``decimals`` decimal places of ``digit`` (``0``: always shown,
    ``#``: only when not zero); :data:`EMPTY` for a missing or non-finite value."""
    if is_empty(value):
        return EMPTY
    x = float(value)  # type: ignore[arg-type]
    if not math.isfinite(x):
        return EMPTY
    pattern = "#,##0" + ("." + digit * decimals if decimals > 0 else "")
    return format_decimal(x, format=pattern, locale=_check(lang))


def number(value: object, lang: str, decimals: int = 1) -> str:
    """``value`` with the thousands and decimal separators of ``lang``, at most ``decimals``
    decimals (trailing zeros kept so a column lines up); whole numbers show no decimals.

    >>> number(1234.5, "vi"), number(1234.5, "en"), number(2835.019999999983, "vi", 2)
    ('1.234,5', '1,234.5', '2.835,02')
    """
    return _decimal(value, lang, decimals, "0")


def plain_number(value: float, decimals: int, lang: str) -> str:
    """:func:`number` for a finite float, without Babel: ``1,234.5`` in English, ``1.234,5``
    in Vietnamese, always ``decimals`` decimals. About 80 times faster than Babel's
    formatter, for the hot loops that write a number per row shown (the search's "why it
    fits" sentences); ``tests/test_formatting.py`` checks that the two agree.

    >>> plain_number(1234.5, 1, "vi"), plain_number(1234.5, 1, "en")
    ('1.234,5', '1,234.5')
    """
    text = f"{value:,.{decimals}f}"
    if _check(lang) == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def trimmed(value: object, lang: str, decimals: int = 2) -> str:
    """``value`` with at most ``decimals`` decimals and no trailing zeros, as a sentence
    writes an amount (``30``, ``14,3``).

    >>> trimmed(14.30, "vi"), trimmed(30.0, "en"), trimmed(1234.567, "en")
    ('14,3', '30', '1,234.57')
    """
    return _decimal(value, lang, decimals, "#")


def integer(value: object, lang: str) -> str:
    """A count: grouped, no decimals (``12.000`` in Vietnamese)."""
    return number(value, lang, 0)


def percent(value: object, lang: str, decimals: int = 1) -> str:
    """A share (0.125) as a percentage (``12,5%`` in Vietnamese, ``12.5%`` in English)."""
    if is_empty(value):
        return EMPTY
    x = float(value)  # type: ignore[arg-type]
    if not math.isfinite(x):
        return EMPTY
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "%"
    return format_percent(x, format=pattern, locale=_check(lang))


def date(value: object, lang: str) -> str:
    """A date as ``dd/mm/yyyy`` (both languages: the boards' decisions are dated so);
    text that is not a date is shown as given."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, str):
        text = value
        try:
            value = _dt.date.fromisoformat(text[:10])
        except ValueError:
            return text
    if isinstance(value, pd.Timestamp | _dt.datetime):
        value = value.date()
    if not isinstance(value, _dt.date):
        return str(value)
    return format_date(value, "dd/MM/yyyy", locale=_check(lang))


def _is_share(column: str) -> bool:
    return column.endswith("_share")


def _is_date(column: str, values: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return True
    return column.endswith("_date") or column in ("lease_start", "lease_end", "effective_date",
                                                    "created", "modified")


#: How a code or column name becomes words: ``(key, lang) -> label``.
Labeler = Callable[[str, str], str]


def cell(value: object, column: str, lang: str, *, decimals: int = 2,
         label: Labeler = label) -> str:
    """One table cell as text: numbers, shares, dates, yes/no and codes in ``lang``."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    if _is_share(column) and isinstance(value, int | float):
        return percent(value, lang)
    if isinstance(value, pd.Timestamp | _dt.date):
        return date(value, lang)
    if isinstance(value, int) or (hasattr(value, "dtype") and
                                  pd.api.types.is_integer_dtype(value.dtype)):
        return integer(value, lang)
    if isinstance(value, float):
        if column.endswith(("_usd", "_usd_per_ha", "_usd_per_project", "_m3_day")):
            decimals = 0  # dollars and cubic metres a day: whole units are exact enough
        return number(value, lang, 0 if float(value).is_integer() and column.endswith(
            ("_count", "employees", "year")) else decimals)
    if column in CODE_COLUMNS:
        return label(str(value), lang)
    return str(value)


def column_cells(values: pd.Series, column: str, lang: str, label: Labeler = label
                 ) -> list[str]:
    """Every cell of a column as text (dates recognised by dtype or by the column's name)."""
    if _is_date(column, values) and not pd.api.types.is_numeric_dtype(values.dtype):
        return [date(v, lang) for v in values]
    if pd.api.types.is_integer_dtype(values.dtype) and column in ("year", "established_year"):
        return [EMPTY if is_empty(v) else str(int(v)) for v in values]  # 2024, not 2.024
    if pd.api.types.is_float_dtype(values.dtype) and not _is_share(column):
        whole = values.dropna()
        if column.endswith(("year",)) and (whole == whole.round()).all():
            return [EMPTY if is_empty(v) else str(int(v)) for v in values]
        if column.endswith(("_count", "employees")) and (whole == whole.round()).all():
            return [integer(v, lang) for v in values]
    return [cell(v.item() if hasattr(v, "item") else v, column, lang, label=label)
            for v in values]


def display_table(frame: pd.DataFrame, lang: str, columns: Iterable[str] | None = None,
                  label: Labeler = label) -> pd.DataFrame:
    """A text copy of ``frame`` to show: headers and codes in ``lang``, numbers with its
    separators, shares as percentages, dates as dates and empty cells as "–".

    The copy is for the eye only; what a reader downloads keeps numbers.
    """
    _check(lang)
    chosen = list(frame.columns if columns is None else columns)
    out = pd.DataFrame(index=range(len(frame)))
    for column in chosen:
        out[label(str(column), lang)] = column_cells(frame[column].reset_index(drop=True),
                                                     str(column), lang, label)
    return out
