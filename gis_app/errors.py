"""The product's exceptions: one small hierarchy, each with a message a person can act on."""

from __future__ import annotations


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
