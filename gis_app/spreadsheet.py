"""Every CSV and Excel file KCN-GIS writes goes through here, so no cell becomes a formula.

A name typed into a province file, such as ``=HYPERLINK("http://...";"open")``, would be a live
formula in a spreadsheet: Excel and LibreOffice evaluate a CSV cell or an Excel formula cell
that starts with ``=``, ``+``, ``-`` or ``@`` (and some do so after a tab or carriage return).
As OWASP recommends, such text is written with a leading single quote (``'=HYPERLINK(...``),
which spreadsheets show as text. Numbers are left alone: real numbers stay numeric cells, and
text that is only a number (``-5``, ``+1.5e3``) cannot run anything. In Excel every text cell
is also written as a string cell, never as a formula.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import pandas as pd

#: A cell whose text starts with one of these is read as a formula by some spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: RFC 4180's row end; see :func:`write_csv`.
CSV_LINE_END = "\r\n"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: object) -> object:
    """``value`` safe for a spreadsheet cell: formula-like text gets a leading ``'``.

    >>> neutralise('=HYPERLINK("http://x")'), neutralise("-5"), neutralise(-5), neutralise("A1")
    ('\\'=HYPERLINK("http://x")', '-5', -5, 'A1')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) \
            and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):  # e.g. (layer, feature_id) of ``kcn-gis diff``
        return pd.MultiIndex.from_tuples(
            [tuple(neutralise(v) for v in key) for key in index], names=index.names)
    if pd.api.types.is_numeric_dtype(index.dtype):
        return index
    return index.map(neutralise)


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell, index label and header :func:`neutralise`-d.

    Numeric, boolean and date columns are kept as they are (still numbers in the file).
    """
    out = pd.DataFrame(frame).copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if pd.api.types.is_numeric_dtype(column.dtype) or \
                pd.api.types.is_datetime64_any_dtype(column.dtype):
            continue
        out.isetitem(position, column.map(neutralise))
    out.index = _labels(out.index)
    out.columns = _labels(out.columns)
    return out


def write_csv(frame: pd.DataFrame, target: str | Path | IO[str] | None = None, *,
              index: bool = False, bom: bool = True) -> str | None:
    """``frame`` as CSV, neutralised; to a path (UTF-8, with a BOM so Excel reads the
    diacritics), to an open text stream, or returned as text when ``target`` is None.

    Rows end in CRLF (RFC 4180): the csv module then quotes every field holding a carriage
    return, so a name ``"x\\r=1+1"`` cannot end its row and start a new one with a formula.
    """
    text = neutralised(frame).to_csv(index=index, lineterminator=CSV_LINE_END)
    if target is None:
        return text
    if isinstance(target, str | Path):
        Path(target).write_bytes(text.encode("utf-8-sig" if bom else "utf-8"))
        return None
    buffer = getattr(target, "buffer", None)
    if buffer is not None:  # a console: bytes as they are (text mode would double the CR)
        target.flush()
        buffer.write(text.encode(getattr(target, "encoding", None) or "utf-8"))
        buffer.flush()
    else:
        target.write(text)
    return None


def write_excel(sheets: Mapping[str, pd.DataFrame], path: str | Path, *,
                index: bool = False) -> None:
    """Each frame of ``sheets`` (sheet name -> frame) as a sheet of one ``.xlsx`` file.

    Text is neutralised and every text cell written as a string cell (``data_type`` ``s``), so
    nothing in the file is a formula; numbers stay numeric cells.
    """
    with pd.ExcelWriter(path, engine="openpyxl") as xlsx:
        for name, frame in sheets.items():
            neutralised(frame).to_excel(xlsx, sheet_name=name[:31], index=index)
            for row in xlsx.sheets[name[:31]].iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"
