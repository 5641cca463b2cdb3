"""The validation report: every problem found in one file, one row each.

Each rule returns problem rows ``(file, layer, feature_id, rule, message)``; a
:class:`ValidationReport` gathers them so that a user sees all problems at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import ValidationError, quote, shorten

__all__ = ["PROBLEM_COLUMNS", "ValidationReport", "make_report"]

PROBLEM_COLUMNS = ["file", "layer", "feature_id", "rule", "message"]


@dataclass(frozen=True)
class ValidationReport:
    """All problems found in one file; empty when the file is valid."""

    problems: pd.DataFrame

    @property
    def ok(self) -> bool:
        return self.problems.empty

    def __len__(self) -> int:
        return len(self.problems)

    def summary(self, limit: int | None = 20) -> str:
        """The problems one a line; ``limit``: at most that many lines (None: every one)."""
        if self.ok:
            return "no problems found"
        lines = [f"{len(self.problems)} problem(s):"]
        shown = self.problems if limit is None else self.problems.head(limit)
        for row in shown.itertuples(index=False):
            # Names and values come from the file: each is quoted shortened, one line each.
            where = f"{shorten(row.file, 300)}, layer {quote(row.layer)}"
            if row.feature_id:
                where += f", feature {shorten(row.feature_id)}"
            lines.append(f"- {where}: {row.rule}: {shorten(row.message, 300)}")
        if limit is not None and len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more")
        return "\n".join(lines)

    def raise_if_problems(self) -> None:
        if not self.ok:
            raise ValidationError(self.summary(), self)


def make_report(rows: list[dict], *, positions: bool = False) -> ValidationReport:
    """The report of problem rows; ``positions`` keeps each row's ``_row`` (the position of
    the feature in its layer, None for a layer-wide problem) for the importer to name the
    source's own feature."""
    columns = PROBLEM_COLUMNS + ["_row"] if positions else PROBLEM_COLUMNS
    return ValidationReport(pd.DataFrame(rows, columns=columns))
