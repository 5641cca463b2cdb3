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


class ImportDataError(LayerError):
    """A surveyed file cannot be imported (unreadable, unmappable or invalid)."""


class ScenarioError(GisAppError):
    """A scenario edit is invalid or conflicts with another edit."""


class ExportError(GisAppError):
    """A map sheet or report cannot be produced."""
