"""The product's exceptions: one small hierarchy, each with a message a person can act on."""

from __future__ import annotations

from collections.abc import Iterable


class GisAppError(Exception):
    """Base of every error KCN-GIS raises on purpose."""


class LayerError(GisAppError):
    """A file or layer cannot be read or written."""


class SchemaError(LayerError):
    """A layer does not have the columns, types or geometry its schema requires."""


class CRSError(LayerError):
    """A layer has no CRS, or one that cannot be transformed safely to VN-2000."""


class ValidationError(LayerError):
    """Data failed validation; ``report`` lists every problem found, not just the first."""

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message)
        self.report = report


class EditConflictError(LayerError):
    """Someone else changed a layer between your read and your write; nothing was written."""


def stale_write_message(where: str, layer: str, read_at: int, now: int) -> str:
    """The one message both backends give for a save based on a stale read (reload, redo)."""
    return (f"{where}, layer {layer!r}: changed by someone else since you read it (version "
            f"{read_at}, now {now}); nothing was written: reload and apply your edit again")


class ImportDataError(LayerError):
    """A surveyed file cannot be imported (unreadable, unmappable or invalid)."""


class ScenarioError(GisAppError):
    """A scenario edit is invalid or conflicts with another edit."""


class ExportError(GisAppError):
    """A map sheet or report cannot be produced."""


class UsageError(GisAppError, ValueError):
    """A call the function cannot serve: an unknown language, grouping, code or column, or a
    search index built from another plan. (A ValueError too, for callers that catch those.)"""


class ReferenceDataError(GisAppError, ValueError):
    """The shipped reference data (``data/reference/``) contradicts itself."""


class SampleError(GisAppError, ValueError):
    """The sample generator cannot meet a published target with the layout it drew."""


#: How much of a user's text (a layer, field or file name, a value) a message quotes whole.
QUOTE_LIMIT = 80
#: Longest message printed as it is; anything longer is shortened in the middle.
MESSAGE_LIMIT = 1000


def shorten(text: object, limit: int = QUOTE_LIMIT) -> str:
    """``text`` on one line and at most ``limit`` characters: the start and the end around
    "…" when longer. Messages quote names and values from files anyone can write; a 10 MB
    layer name must not come back as a 10 MB error.

    >>> shorten("N" * 1000, 9)
    'NNNNN…NNN'
    """
    one_line = " ".join(str(text).splitlines())
    if len(one_line) <= limit:
        return one_line
    head = (limit - 1) * 2 // 3
    return f"{one_line[:head]}…{one_line[len(one_line) - (limit - 1 - head):]}"


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``value`` quoted for a message (``repr``-style), :func:`shorten`-ed to ``limit``."""
    return repr(shorten(value, limit))


def listing(values: Iterable[object], count: int = 20, limit: int = 40) -> str:
    """Up to ``count`` names, each :func:`shorten`-ed, comma-separated; "… (N more)" after."""
    items = [str(v) for v in values]
    shown = ", ".join(shorten(v, limit) for v in items[:count])
    return f"{shown}, … ({len(items) - count} more)" if len(items) > count else shown
