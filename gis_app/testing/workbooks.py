"""Excel registers laid out the way boards keep them, for tests, notebooks and the README.

A board's register is made for people: a title merged across the sheet, a header of two rows
where a group cell ("Vốn đầu tư") is merged over its sub-headers ("Triệu USD", "Tỷ đồng") and
every other header is merged down over both rows, then the rows, then a "Tổng cộng" line.
:func:`write_board_register` writes one such workbook with openpyxl, so that the register tests
and the new-province example (:mod:`.new_province`) share one layout instead of each drawing
its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

#: A header: one column's text, or a group's text over its sub-headers' texts.
Header = str | tuple[str, tuple[str, ...]]

#: Excel row of the title, and the first of the two header rows.
TITLE_ROW, HEADER_ROW = 1, 3


def header_width(header: Sequence[Header]) -> int:
    """The number of columns a header spans (a group spans its sub-headers)."""
    return sum(len(h[1]) if isinstance(h, tuple) else 1 for h in header)


def write_board_register(path: str | Path, title: str, header: Sequence[Header],
                         rows: Sequence[Sequence[object]], *, sheet: str = "Dự án",
                         note: str | None = None, total: str | None = "Tổng cộng") -> Path:
    """Write ``rows`` under ``header`` in a board's layout and return the path.

    Row 1 is ``title`` merged across the sheet, row 2 ``note`` (e.g. the date the register
    is current to), rows 3-4 the header, data from row 5 (``None`` cells left empty), then a
    ``total`` row with only its label (boards add one; the import must not read it as data).
    """
    import openpyxl
    from openpyxl.utils import get_column_letter as letter

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    width = header_width(header)
    ws.cell(TITLE_ROW, 1, title)
    ws.merge_cells(f"A{TITLE_ROW}:{letter(width)}{TITLE_ROW}")
    if note:
        ws.cell(TITLE_ROW + 1, 1, note)
    sub = HEADER_ROW + 1
    col = 1
    for item in header:
        if isinstance(item, tuple):
            group, subs = item
            ws.cell(HEADER_ROW, col, group)
            ws.merge_cells(f"{letter(col)}{HEADER_ROW}:{letter(col + len(subs) - 1)}{HEADER_ROW}")
            for k, text in enumerate(subs):
                ws.cell(sub, col + k, text)
            col += len(subs)
        else:
            ws.cell(HEADER_ROW, col, item)
            ws.merge_cells(f"{letter(col)}{HEADER_ROW}:{letter(col)}{sub}")
            col += 1
    for i, row in enumerate(rows):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(sub + 1 + i, c, value)
    if total is not None:
        ws.cell(sub + 1 + len(rows), 1, total)
    path = Path(path)
    book.save(path)
    return path
