"""What every sub-command shares: argument types and output-name checks."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ..errors import GisAppError


def iso_date(text: str) -> date:
    """An argparse type: a calendar date written YYYY-MM-DD (``2019-02-30`` and
    ``yesterday`` are refused with a one-line usage error, not a traceback)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None



def check_suffix(value: str | None, suffixes: str | tuple[str, ...], option: str) -> None:
    """Refuse an output name whose extension says another format than the one written (a
    ``.csv`` holding Excel, a ``.png`` holding PDF) before anything is computed or written."""
    if value is None:
        return
    wanted = (suffixes,) if isinstance(suffixes, str) else suffixes
    if Path(value).suffix.lower() not in wanted:
        raise GisAppError(f"{option} {value}: the file name must end in "
                          f"{' or '.join(wanted)} for this output")


#: The extension of an output file per ``--format`` (a text table may go to any file).
FORMAT_SUFFIX = {"csv": ".csv", "xlsx": ".xlsx"}


def check_output(args: argparse.Namespace) -> None:
    """``--output`` of the table commands must match ``--format``."""
    suffix = FORMAT_SUFFIX.get(args.format)
    if suffix:
        check_suffix(args.output, suffix, "--output")
