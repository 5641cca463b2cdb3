"""Writing indicator frames as a text table, CSV or Excel, in Vietnamese or English.

Shared by the ``summary`` and ``report`` commands; the frames come from
:mod:`gis_app.analytics` and are only labelled and formatted here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .errors import ExportError
from .formatting import integer, number, percent
from .i18n import label_frame, t
from .spreadsheet import write_csv, write_excel

FORMATS = ("table", "csv", "xlsx")


def _formatted(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Labelled copy with shares as percentages, money without decimals, areas to 0.01, in
    ``lang``'s separators (:mod:`gis_app.formatting`)."""
    shown = label_frame(frame, lang)
    for original, column in zip(frame.columns, shown.columns, strict=True):
        series = frame[original]
        if pd.api.types.is_bool_dtype(series):
            words = {True: t("yes", lang), False: t("no", lang)}
            shown[column] = series.map(words).fillna("")
            continue
        if not pd.api.types.is_float_dtype(series):
            continue
        if original.endswith("_share"):
            write = lambda v: percent(v, lang, 2)  # noqa: E731
        elif original.endswith(("_count", "employees")) and (series.dropna() % 1 == 0).all():
            write = lambda v: integer(v, lang)  # noqa: E731 - people are counted, not measured
        elif original.endswith("_usd") or "_usd_" in original:
            write = lambda v: number(v, lang, 0)  # noqa: E731
        else:
            write = lambda v: number(v, lang, 2)  # noqa: E731
        # Formatting is per value of a summary table (tens of rows), not per plot.
        shown[column] = [("" if pd.isna(v) else write(v)) for v in series]
    return shown


def write_frame(frame: pd.DataFrame, *, fmt: str, lang: str, output: str | Path | None,
                sheet: str, transpose: bool = False) -> None:
    """Write ``frame`` labelled in ``lang`` as ``fmt`` to ``output`` (stdout if None).

    ``transpose`` prints a text table with one row per indicator (for a few wide rows).
    CSV is written with a BOM so that Excel shows the Vietnamese diacritics; CSV and Excel
    cells that a spreadsheet would run as formulas are neutralised (:mod:`gis_app.spreadsheet`).
    """
    if fmt not in FORMATS:
        raise ExportError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt == "table":
        shown = _formatted(frame, lang)
        text = (shown.T if transpose else shown).to_string()
        if output is None:
            sys.stdout.write(text + "\n")
        else:
            Path(output).write_text(text + "\n", encoding="utf-8")
        return
    labelled = label_frame(frame, lang)
    if fmt == "csv":
        write_csv(labelled, sys.stdout if output is None else output, index=True)
        return
    if output is None:
        raise ExportError("--format xlsx needs --output PATH (an Excel file cannot go to the "
                          "terminal)")
    try:
        write_excel({sheet: labelled}, output, index=True)
    except OSError as exc:
        raise ExportError(f"{output}: cannot write the Excel file ({exc})") from exc
